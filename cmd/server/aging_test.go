package main

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/podlens/podlens/internal/informers"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
)

// recorder collects enqueued keys.
type recorder struct {
	mu   sync.Mutex
	keys []cache.ObjectName
}

func (r *recorder) add(k cache.ObjectName) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys = append(r.keys, k)
}

func (r *recorder) sorted() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, k := range r.keys {
		out = append(out, k.String())
	}
	slices.Sort(out)
	return out
}

func pending(p *corev1.Pod) {
	p.Spec.NodeName = ""
	p.Status = corev1.PodStatus{Phase: corev1.PodPending}
}

func deletedAt(t time.Time) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		ts := metav1.NewTime(t)
		p.DeletionTimestamp = &ts
	}
}

// noMessage fails if sub has a message queued: pushes are synchronous with
// flush, so nothing queued right after a flush means nothing was pushed.
func noMessage(t *testing.T, sub *Subscription) {
	t.Helper()
	select {
	case msg := <-sub.C():
		t.Fatalf("unexpected push: %.300q", msg)
	default:
	}
}

func TestTransient(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		pod  *corev1.Pod
		want bool
	}{
		{"a running ready pod is settled", pod("shop", "web"), false},
		{"a pending pod is transient", pod("shop", "web", pending), true},
		{"a pod being deleted is transient", pod("shop", "web", deletedAt(testNow)), true},
		{"a pod with a waiting container is transient", pod("shop", "web", terminated("Error", "boom")), true},
		{"a pod with a waiting init container is transient", pod("shop", "web", func(p *corev1.Pod) {
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "init", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "PodInitializing"}}}}
		}), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := transient(tt.pod); got != tt.want {
				t.Errorf("transient = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAger(t *testing.T) {
	t.Parallel()
	t.Run("a tick re-enqueues pods that are not OK or transient, a full tick every pod", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(pod("shop", "web-1"), pod("shop", "cart-1", terminated("Error", "boom")),
			pod("shop", "queued", pending), pod("data", "db-0", deletedAt(testNow))))
		var rec recorder
		a := newAger(env.store, env.pub, rec.add)
		if n := a.tick(false); n != 3 {
			t.Errorf("tick enqueued %d pods, want 3", n)
		}
		if diff := cmp.Diff([]string{"data/db-0", "shop/cart-1", "shop/queued"}, rec.sorted()); diff != "" {
			t.Errorf("enqueued on a tick (-want +got):\n%s", diff)
		}
		rec = recorder{}
		a.tick(true)
		if diff := cmp.Diff([]string{"data/db-0", "shop/cart-1", "shop/queued", "shop/web-1"}, rec.sorted()); diff != "" {
			t.Errorf("enqueued on a full tick (-want +got):\n%s", diff)
		}
	})
	t.Run("every pod is re-enqueued once per full period of ticks", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(pod("shop", "web-1"), pod("shop", "web-2")))
		var rec recorder
		a := newAger(env.store, env.pub, rec.add)
		ticks := make(chan time.Time)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { a.run(ctx, ticks) })
		// An unbuffered send is taken only once the previous tick is done.
		for range 2*a.fullEvery - 1 {
			ticks <- testNow
		}
		cancel()
		wg.Wait()
		if got, want := a.fullEvery, int(agingFullEvery/agingEvery); got != want {
			t.Errorf("fullEvery = %d, want %d", got, want)
		}
		if diff := cmp.Diff([]string{"shop/web-1", "shop/web-2"}, rec.sorted()); diff != "" {
			t.Errorf("enqueued over %d ticks of healthy pods (-want +got):\n%s", 2*a.fullEvery-1, diff)
		}
	})
	t.Run("a pod left past its deletion deadline turns stuck terminating and is pushed", func(t *testing.T) {
		t.Parallel()
		var clock atomic.Int64
		clock.Store(testNow.UnixNano())
		now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
		store := newFakeStore(pod("shop", "web-1", deletedAt(testNow)))
		state := &fakeState{synced: true, status: informers.SyncStatus{Connected: true}}
		hub := NewHub(16)
		pub := NewPublisher(slog.New(slog.NewTextHandler(io.Discard, nil)), store, nil, state, hub, newMetrics(state, hub), site{}, now, publisherConfig{})
		pub.resync()
		list, err := pub.Join(view{kind: kindPods, list: listQuery{pageSize: 100}, lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer list.Close()
		<-list.C()
		<-list.C()
		if e, _ := pub.entry(podKey("shop", "web-1")); len(e.diag.Findings) != 0 {
			t.Fatalf("at the deadline: findings %v, want none", e.diag.Codes())
		}

		clock.Store(testNow.Add(3 * time.Minute).UnixNano())
		a := newAger(store, pub, pub.sync)
		a.tick(false)
		pub.flush(false)
		var pushed strings.Builder
		for len(list.C()) > 0 {
			pushed.Write(<-list.C())
		}
		if !strings.Contains(pushed.String(), "Stuck terminating for 3m") || !strings.Contains(pushed.String(), `id="pod-shop-web-1"`) {
			t.Errorf("push after 3 minutes = %.600q, want the row stuck terminating", pushed.String())
		}
	})
	t.Run("a re-diagnosis that renders the same row pushes nothing", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(pod("shop", "cart-1", terminated("Error", "boom")), pod("shop", "queued", pending)))
		list, err := env.pub.Join(view{kind: kindPods, list: listQuery{all: true, pageSize: 100}, lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer list.Close()
		one, err := env.pub.Join(view{kind: kindPod, pod: podKey("shop", "cart-1"), lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer one.Close()
		for len(list.C()) > 0 {
			<-list.C()
		}
		<-one.C()
		a := newAger(env.store, env.pub, env.pub.sync)
		if n := a.tick(false); n != 2 {
			t.Fatalf("tick enqueued %d pods, want 2", n)
		}
		env.pub.flush(false)
		noMessage(t, list)
		noMessage(t, one)
	})
}
