package live

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/teststore"
	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
)

// This file holds the publisher tests' fakes: a store, a cache state, pods,
// and a publisher over them whose queue and flushes the tests drive.

// The fakes and pod builders shared by every unit-test package.
type (
	fakeStore = teststore.Store
	fakeState = teststore.State
)

var (
	testNow      = teststore.Now
	newFakeStore = teststore.NewStore
	pod          = teststore.Pod
	terminated   = teststore.Terminated
	node         = teststore.Node
	onNode       = teststore.OnNode
)

func testPods() []*corev1.Pod {
	return []*corev1.Pod{
		pod("shop", "cart-1", terminated("Error", "<script>alert('pwned')</script> panic: no config")),
		pod("shop", "web-1"),
		pod("data", "db-0"),
	}
}

// testEnv is a publisher over a fake store, with its parts exposed.
type testEnv struct {
	store *fakeStore
	state *fakeState
	hub   *Hub
	pub   *Publisher
	// clock is the publisher's clock, and the one its change queue's
	// AddAfter runs on; it starts at testNow and moves only when a test
	// steps it.
	clock *clocktesting.FakeClock
}

// newTestEnv is a publisher that has diagnosed every pod of store; no
// worker runs, so the tests decide when a key is synced and a view flushed.
func newTestEnv(t testing.TB, store *fakeStore) *testEnv {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	state := teststore.NewState(true, informers.SyncStatus{Connected: true})
	hub := NewHub(16)
	clock := clocktesting.NewFakeClock(testNow)
	pub := NewPublisher(log, store, newTestQueue(t, clock), state, hub, testMetrics(), Site{FrameOrigins: "'self'"}, clock.Now, PublisherConfig{FlushEvery: time.Millisecond})
	for _, p := range store.Pods("") {
		pub.changes.Add(podKey(p.Namespace, p.Name))
	}
	syncQueued(pub)
	return &testEnv{store: store, state: state, hub: hub, pub: pub, clock: clock}
}

// testMetrics are observers nobody scrapes.
func testMetrics() PublisherMetrics {
	return PublisherMetrics{
		DiagnoseSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "diagnose_seconds"}),
		PushSeconds:     prometheus.NewHistogram(prometheus.HistogramOpts{Name: "push_seconds"}),
		LastChange:      prometheus.NewGauge(prometheus.GaugeOpts{Name: "last_change"}),
		Disconnects:     prometheus.NewCounter(prometheus.CounterOpts{Name: "disconnects"}),
	}
}

// newTestQueue is a change queue like the cache's, on clock; it shuts down
// when the test ends.
func newTestQueue(t testing.TB, clock *clocktesting.FakeClock) workqueue.TypedDelayingInterface[cache.ObjectName] {
	q := workqueue.NewTypedDelayingQueueWithConfig(workqueue.TypedDelayingQueueConfig[cache.ObjectName]{Clock: clock})
	t.Cleanup(q.ShutDown)
	return q
}

// syncQueued diagnoses every key ready on the publisher's queue, as its
// workers would, without starting them. Keys put back for later (AddAfter)
// stay queued for their time.
func syncQueued(pub *Publisher) {
	for pub.changes.Len() > 0 {
		pub.processNext()
	}
}

// nextMessage returns sub's next message, failing the test if none comes
// within 10 seconds (a snapshot or push that never comes must not hang the test).
func nextMessage(t *testing.T, sub *Subscription, what string) []byte {
	t.Helper()
	select {
	case msg := <-sub.C():
		return msg
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10s", what)
		return nil
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

func podKey(ns, name string) cache.ObjectName { return cache.ObjectName{Namespace: ns, Name: name} }
