package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/live"
	"github.com/podlens/podlens/internal/podindex"
	"github.com/podlens/podlens/internal/teststore"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
)

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
	state := teststore.NewState(true, informers.SyncStatus{Connected: true})
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
