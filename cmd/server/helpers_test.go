package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/live"
	"github.com/podlens/podlens/internal/podindex"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
)

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

// fakeState is a cacheState with fixed answers.
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

// testEnv is a server over a fake store, with its parts exposed.
type testEnv struct {
	store *fakeStore
	state *fakeState
	hub   *live.Hub
	pub   *live.Publisher
	// changes is the publisher's change queue: a test that changes the
	// store adds the pod's key, as the informers' handlers would, and the
	// publisher's workers diagnose and push it.
	changes workqueue.TypedDelayingInterface[cache.ObjectName]
	// clock is the publisher's and the handlers' clock, and the one its
	// change queue's AddAfter runs on; it starts at testNow and moves only
	// when a test steps it.
	clock   *clocktesting.FakeClock
	handler http.Handler
	conns   *sync.WaitGroup
}

type envOption func(*serverConfig)

// newTestEnv is a server whose publisher runs as in production, on a queue
// the test feeds; it returns once every pod of store is diagnosed.
func newTestEnv(t testing.TB, store *fakeStore, opts ...envOption) *testEnv {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	state := &fakeState{synced: true, status: informers.SyncStatus{Connected: true}}
	hub := live.NewHub(16)
	m := newMetrics(state, hub)
	cfg := serverConfig{site: live.Site{FrameOrigins: "'self'"}, frameAncestors: []string{"'self'"}, ws: wsConfig{maxViewers: 100},
		hosts: newHostPolicy([]string{"example.com"}, "")} // httptest.NewRequest's Host
	for _, o := range opts {
		o(&cfg)
	}
	clock := clocktesting.NewFakeClock(testNow)
	changes := newTestQueue(t, clock)
	pub := live.NewPublisher(log, store, changes, state, hub, m.forPublisher(), cfg.site, clock.Now, live.PublisherConfig{FlushEvery: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		pub.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-stopped
	})
	pods := store.Pods("")
	for _, p := range pods {
		changes.Add(podKey(p.Namespace, p.Name))
	}
	waitUntil(t, "every pod is diagnosed", func() bool {
		return pub.List(podindex.Query{All: true}).Matched == len(pods)
	})
	conns := &sync.WaitGroup{}
	ready := &readiness{synced: state.Synced}
	h := NewServer(log, cfg, store, state, pub, ready, m, conns, clock.Now)
	return &testEnv{store: store, state: state, hub: hub, pub: pub, changes: changes, clock: clock, handler: h, conns: conns}
}

// newTestQueue is a change queue like the cache's, on clock; it shuts down
// when the test ends.
func newTestQueue(t testing.TB, clock *clocktesting.FakeClock) workqueue.TypedDelayingInterface[cache.ObjectName] {
	q := workqueue.NewTypedDelayingQueueWithConfig(workqueue.TypedDelayingQueueConfig[cache.ObjectName]{Clock: clock})
	t.Cleanup(q.ShutDown)
	return q
}

// waitUntil polls done until it holds, failing the test after 10 seconds:
// the publisher works on its own goroutines, so the tests wait for what
// they can observe rather than for an instant.
func waitUntil(t testing.TB, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s until %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// get serves one request through the handler.
func (e *testEnv) get(target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, r)
	return w
}

func podKey(ns, name string) cache.ObjectName { return cache.ObjectName{Namespace: ns, Name: name} }

// waitServeReturned waits for serve, once cancelled, to return without error.
func waitServeReturned(t testing.TB, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not return after cancel")
	}
}
