package live

import (
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/podlens/podlens/internal/informers"
	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
)

// This file holds the publisher tests' fakes: a store, a cache state, pods,
// and a publisher over them whose queue and flushes the tests drive.

// testNow is the fixed clock of every test.
var testNow = time.Date(2026, 3, 14, 14, 3, 12, 0, time.UTC)

// fakeStore is an in-memory informers.Store.
type fakeStore struct {
	mu     sync.Mutex
	pods   map[cache.ObjectName]*corev1.Pod
	events map[types.UID][]*corev1.Event
	nodes  []*corev1.Node // nil: nodes forbidden
}

var _ informers.Store = (*fakeStore)(nil)

func newFakeStore(pods ...*corev1.Pod) *fakeStore {
	s := &fakeStore{pods: map[cache.ObjectName]*corev1.Pod{}, events: map[types.UID][]*corev1.Event{}}
	for _, p := range pods {
		s.put(p)
	}
	return s
}

func (s *fakeStore) put(p *corev1.Pod) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pods[cache.ObjectName{Namespace: p.Namespace, Name: p.Name}] = p
}

func (s *fakeStore) remove(ns, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pods, cache.ObjectName{Namespace: ns, Name: name})
}

func (s *fakeStore) Pods(namespace string) []*corev1.Pod {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*corev1.Pod
	for _, p := range s.pods {
		if namespace == "" || p.Namespace == namespace {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *corev1.Pod) int {
		return strings.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	return out
}

func (s *fakeStore) Pod(namespace, name string) (*corev1.Pod, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pods[cache.ObjectName{Namespace: namespace, Name: name}]
	return p, ok
}

func (s *fakeStore) EventsFor(pod *corev1.Pod) []*corev1.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events[pod.UID]
}

// setNodes replaces the nodes (nil: nodes forbidden).
func (s *fakeStore) setNodes(nodes ...*corev1.Node) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nodes = nodes
}

func (s *fakeStore) Node(name string) *corev1.Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

func (s *fakeStore) Nodes() []*corev1.Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nodes
}

func (s *fakeStore) PodsOnNode(name string) []*corev1.Pod {
	var out []*corev1.Pod
	for _, p := range s.Pods("") {
		if p.Spec.NodeName == name {
			out = append(out, p)
		}
	}
	return out
}

// fakeState is a CacheState with fixed answers.
type fakeState struct {
	mu     sync.Mutex
	synced bool
	status informers.SyncStatus
}

func (f *fakeState) Synced() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.synced
}

func (f *fakeState) Status() informers.SyncStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}

func (f *fakeState) set(synced bool, st informers.SyncStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.synced, f.status = synced, st
}

// pod builds a pod with options.
func pod(ns, name string, opts ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID(ns + "-" + name),
			CreationTimestamp: metav1.NewTime(testNow.Add(-time.Hour)), Labels: map[string]string{"app": name}},
		Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "app", Image: "registry.example/" + name + ":1"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1",
			ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// terminated sets the container's last state to a termination with message.
func terminated(reason, message string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Status.ContainerStatuses[0].Ready = false
		p.Status.ContainerStatuses[0].RestartCount = 5
		p.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 5m0s restarting failed container"}}
		p.Status.ContainerStatuses[0].LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: reason, Message: message}}
	}
}

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
	state := &fakeState{synced: true, status: informers.SyncStatus{Connected: true}}
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
