package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/podlens/podlens/internal/informers"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

func TestPublisher(t *testing.T) {
	t.Parallel()
	t.Run("workers turn queued keys into pushes to the views that show them", func(t *testing.T) {
		t.Parallel()
		store := newFakeStore(testPods()...)
		state := &fakeState{synced: true, status: informers.SyncStatus{Connected: true}}
		hub := NewHub(16)
		q := workqueue.NewTyped[cache.ObjectName]()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		pub := NewPublisher(log, store, q, state, hub, newMetrics(state, hub), site{}, func() time.Time { return testNow },
			publisherConfig{flushEvery: time.Millisecond, statusEvery: time.Hour, refreshEvery: time.Hour})
		for _, p := range store.Pods("") {
			q.Add(podKey(p.Namespace, p.Name))
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { pub.Run(ctx) })
		defer func() {
			cancel()
			wg.Wait()
		}()

		// Wait until the workers have diagnosed the three pods.
		deadline := time.After(5 * time.Second)
		for len(pub.list(listQuery{all: true, pageSize: 10}).rows) < 3 {
			select {
			case <-deadline:
				t.Fatal("workers did not process the queued pods")
			case <-time.After(5 * time.Millisecond):
			}
		}
		sub, err := pub.Join(view{kind: kindPods, list: listQuery{all: true, namespaces: []string{"data"}, pageSize: 100}, lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if snap := <-sub.C(); !strings.Contains(string(snap), "pod-data-db-0") { // the table body comes first
			t.Fatalf("snapshot lacks db-0: %.200q", snap)
		}
		<-sub.C() // the rest of the snapshot

		store.put(pod("data", "db-0", func(p *corev1.Pod) { p.Status.PodIP = "10.7.7.7" }))
		q.Add(podKey("data", "db-0"))
		select {
		case msg := <-sub.C():
			if !strings.Contains(string(msg), "10.7.7.7") {
				t.Fatalf("push = %.300q, want the new IP", msg)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no push after the pod changed")
		}
		sub.Close()
	})
	t.Run("a status change is pushed to every view", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		sub, err := env.pub.Join(view{kind: kindPod, pod: podKey("shop", "web-1"), lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		<-sub.C()
		env.state.set(true, informers.SyncStatus{Connected: false, StaleSince: testNow})
		env.pub.flush(false)
		select {
		case msg := <-sub.C():
			if !strings.Contains(string(msg), "data is stale since") || !strings.Contains(string(msg), `id="cache-status"`) {
				t.Fatalf("push = %.300q, want the stale notice", msg)
			}
		default:
			t.Fatal("no push after the cache went stale")
		}
	})
	t.Run("views without viewers are forgotten", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		sub, _ := env.pub.Join(view{kind: kindPods, list: listQuery{all: true, pageSize: 100}, lang: "en"})
		sub.Close()
		env.pub.flush(true)
		env.pub.viewsMu.Lock()
		n := len(env.pub.views)
		env.pub.viewsMu.Unlock()
		if n != 0 {
			t.Fatalf("views = %d, want 0", n)
		}
	})
}
