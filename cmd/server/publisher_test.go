package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podlens/podlens/internal/informers"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
	t.Run("one pod's change pushes its row alone, and the periodic refresh moves the other rows' ages", func(t *testing.T) {
		t.Parallel()
		store := newFakeStore(testPods()...)
		state := &fakeState{synced: true, status: informers.SyncStatus{Connected: true}}
		hub := NewHub(16)
		var clock atomic.Int64
		clock.Store(testNow.UnixNano())
		now := func() time.Time { return time.Unix(0, clock.Load()) }
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		pub := NewPublisher(log, store, nil, state, hub, newMetrics(state, hub), site{}, now, publisherConfig{})
		pub.resync()
		sub, err := pub.Join(view{kind: kindPods, list: listQuery{all: true, pageSize: 100}, lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		pub.flush(false) // the resync's changes
		drain(sub)

		clock.Store(testNow.Add(5 * time.Minute).UnixNano()) // every AGE goes from 60m to 65m
		store.put(pod("data", "db-0", func(p *corev1.Pod) { p.Status.PodIP = "10.7.7.7" }))
		pub.sync(podKey("data", "db-0"))
		pub.flush(false)
		msg := drain(sub)
		if !strings.Contains(msg, `id="pod-data-db-0"`) || !strings.Contains(msg, "10.7.7.7") {
			t.Errorf("push = %.400q, want db-0's row with its new IP", msg)
		}
		if strings.Contains(msg, `id="pod-shop-web-1"`) || strings.Contains(msg, `id="pod-shop-cart-1"`) {
			t.Errorf("push = %.800q, want no row of an unchanged pod", msg)
		}

		pub.flush(true)
		msg = drain(sub)
		if !strings.Contains(msg, `id="pod-shop-web-1"`) || !strings.Contains(msg, "65m") {
			t.Errorf("refresh = %.800q, want web-1's row with AGE 65m", msg)
		}
	})
	t.Run("a pod the ager queues is diagnosed again and pushed", func(t *testing.T) {
		t.Parallel()
		store := newFakeStore(testPods()...)
		state := &fakeState{synced: true, status: informers.SyncStatus{Connected: true}}
		hub := NewHub(16)
		q := workqueue.NewTyped[cache.ObjectName]()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		pub := NewPublisher(log, store, q, state, hub, newMetrics(state, hub), site{}, func() time.Time { return testNow },
			publisherConfig{flushEvery: time.Millisecond, statusEvery: time.Hour, refreshEvery: time.Hour})
		pub.resync()
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { pub.Run(ctx) })
		defer func() {
			cancel()
			wg.Wait()
		}()
		sub, err := pub.Join(view{kind: kindPods, list: listQuery{all: true, pageSize: 100}, lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()

		store.put(pod("data", "db-0", func(p *corev1.Pod) { p.Status.PodIP = "10.8.8.8" }))
		pub.Age(podKey("data", "db-0"))
		deadline := time.After(5 * time.Second)
		for {
			select {
			case msg := <-sub.C():
				if strings.Contains(string(msg), "10.8.8.8") {
					return
				}
			case <-deadline:
				t.Fatal("no push of db-0 after the ager queued it")
			}
		}
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
	t.Run("a pod turning critical is announced in the live region, once", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		sub, err := env.pub.Join(view{kind: kindPods, list: listQuery{pageSize: 100}, lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		drain(sub)
		env.store.put(pod("shop", "web-1", terminated("Error", "boom")))
		env.pub.sync(podKey("shop", "web-1"))
		env.pub.flush(false)
		msg := drain(sub)
		if !strings.Contains(msg, `<div hx-swap-oob="innerHTML:#announce"><p>new critical problem: shop/web-1 — `) {
			t.Errorf("push = %.800q, want an announcement of web-1", msg)
		}
		// Two at once: a healthy pod turning critical and a new pod critical from the start.
		env.store.put(pod("data", "db-0", terminated("OOMKilled", "")))
		env.store.put(pod("shop", "api-9", terminated("OOMKilled", ""), func(p *corev1.Pod) { p.CreationTimestamp = metav1.NewTime(testNow) }))
		env.pub.sync(podKey("data", "db-0"))
		env.pub.sync(podKey("shop", "api-9"))
		env.pub.flush(false)
		msg = drain(sub)
		if n := strings.Count(msg, "#announce"); n != 1 {
			t.Errorf("push with two new critical pods = %.1200q: %d announcements, want one with both", msg, n)
		}
		if !strings.Contains(msg, "<p>new critical problem: data/db-0 — ") || !strings.Contains(msg, "<p>new critical problem: shop/api-9 — ") {
			t.Errorf("push = %.1200q, want db-0 and api-9 announced", msg)
		}
		env.pub.sync(podKey("shop", "web-1")) // still critical: nothing new to say
		env.pub.flush(false)
		if msg := drain(sub); strings.Contains(msg, "#announce") {
			t.Errorf("second push = %.300q, want no announcement", msg)
		}
	})
	t.Run("a re-diagnosis that finds the same keeps the entry and pushes nothing", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		sub, err := env.pub.Join(view{kind: kindPods, list: listQuery{all: true, pageSize: 100}, lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		drain(sub)
		before, _ := env.pub.entry(podKey("shop", "cart-1"))
		env.pub.sync(podKey("shop", "cart-1")) // what the ager does
		if after, _ := env.pub.entry(podKey("shop", "cart-1")); after != before {
			t.Error("the entry was replaced although the pod and its diagnosis did not change")
		}
		env.pub.flush(false)
		if msg := drain(sub); msg != "" {
			t.Errorf("push = %.300q, want none", msg)
		}
		env.store.put(pod("shop", "cart-1", terminated("OOMKilled", "")))
		env.pub.sync(podKey("shop", "cart-1"))
		if after, _ := env.pub.entry(podKey("shop", "cart-1")); after == before {
			t.Error("the entry was kept although the pod changed")
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
