package informers_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"

	"github.com/podlens/podlens/internal/informers"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func pod(ns, name, node string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID("uid-" + ns + "-" + name)},
		Spec:       corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "app", Image: "app:1"}}},
		Status:     corev1.PodStatus{Phase: corev1.PodRunning},
	}
}

func node(name string) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{
			Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
			Message: "kubelet is posting ready status", LastHeartbeatTime: metav1.NewTime(t0),
		}}},
	}
}

// event builds a kubelet event about p. Old-style events set lastTimestamp;
// events.k8s.io/v1 ones set eventTime and series instead.
func event(p *corev1.Pod, name, reason string, last time.Time) *corev1.Event {
	return &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace, Name: name},
		InvolvedObject: corev1.ObjectReference{
			Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID,
		},
		Reason: reason, Type: corev1.EventTypeWarning,
		FirstTimestamp: metav1.NewTime(last.Add(-time.Hour)),
		LastTimestamp:  metav1.NewTime(last),
	}
}

// fixture is a cache over a fake clientset, started and synced.
type fixture struct {
	client *fake.Clientset
	cache  *informers.Cache
	cancel context.CancelFunc
}

// newFixture starts a cache over objs and waits until pods are synced.
// configure runs before the start, to install reactors.
func newFixture(t *testing.T, opts informers.Options, configure func(*fake.Clientset), objs ...runtime.Object) *fixture {
	t.Helper()
	client := fake.NewClientset(objs...)
	if configure != nil {
		configure(client)
	}
	if opts.ProbeInterval == 0 {
		opts.ProbeInterval = -1
	}
	c := informers.New(client, opts)
	ctx, cancel := context.WithCancel(t.Context())
	if err := c.Start(ctx); err != nil {
		cancel()
		t.Fatalf("Start: %v", err)
	}
	f := &fixture{client: client, cache: c, cancel: cancel}
	t.Cleanup(f.stop)
	waitFor(t, "pods synced", c.Synced)
	return f
}

// stop cancels the cache and waits until every goroutine has ended.
func (f *fixture) stop() {
	f.cancel()
	<-f.cache.Stopped()
}

// waitFor polls cond until it holds, failing the test after ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	err := wait.PollUntilContextTimeout(t.Context(), 5*time.Millisecond, 10*time.Second, true,
		func(context.Context) (bool, error) { return cond(), nil })
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// allSynced reports whether every watched kind has synced.
func allSynced(c *informers.Cache) func() bool {
	return func() bool {
		for _, r := range c.Status().Resources {
			if !r.Synced {
				return false
			}
		}
		return true
	}
}

// nextKey takes the next key from the cache's queue, failing after ten seconds.
func nextKey(t *testing.T, c *informers.Cache) cache.ObjectName {
	t.Helper()
	got := make(chan cache.ObjectName, 1)
	go func() {
		key, shutdown := c.Changes().Get()
		if !shutdown {
			c.Changes().Done(key)
			got <- key
		}
		close(got)
	}()
	select {
	case key, ok := <-got:
		if !ok {
			t.Fatal("queue shut down while waiting for a key")
		}
		return key
	case <-time.After(10 * time.Second):
		t.Fatal("no key within 10s")
	}
	return cache.ObjectName{}
}

// drain waits until every kind has synced, so the handlers have queued the
// keys of the initial lists, then takes every key queued.
func drain(t *testing.T, c *informers.Cache) {
	t.Helper()
	waitFor(t, "all synced", allSynced(c))
	for c.Changes().Len() > 0 {
		nextKey(t, c)
	}
}

func names[T metav1.Object](objs []T) []string {
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		if o.GetNamespace() != "" {
			out = append(out, o.GetNamespace()+"/"+o.GetName())
		} else {
			out = append(out, o.GetName())
		}
	}
	return out
}

func TestStore(t *testing.T) {
	t.Parallel()
	web := pod("shop", "web", "node-b")
	db := pod("data", "db", "node-a")
	cart := pod("shop", "cart", "node-b")
	pending := pod("shop", "pending", "")
	objs := []runtime.Object{
		web, db, cart, pending, node("node-b"), node("node-a"),
		event(web, "web.1", "BackOff", t0.Add(2*time.Minute)),
		event(web, "web.2", "Unhealthy", t0.Add(5*time.Minute)),
		event(web, "web.3", "Pulled", t0),
		event(cart, "cart.1", "Started", t0),
	}
	// web.4 uses the events.k8s.io/v1 shape: no lastTimestamp, a series.
	newer := event(web, "web.4", "Failed", time.Time{})
	newer.FirstTimestamp, newer.LastTimestamp = metav1.Time{}, metav1.Time{}
	newer.EventTime = metav1.NewMicroTime(t0.Add(3 * time.Minute))
	newer.Series = &corev1.EventSeries{Count: 4, LastObservedTime: metav1.NewMicroTime(t0.Add(10 * time.Minute))}
	objs = append(objs, newer)

	f := newFixture(t, informers.Options{}, nil, objs...)
	c := f.cache
	waitFor(t, "events and nodes synced", allSynced(c))

	t.Run("Pods of every namespace are sorted by namespace then name", func(t *testing.T) {
		want := []string{"data/db", "shop/cart", "shop/pending", "shop/web"}
		if diff := cmp.Diff(want, names(c.Pods(""))); diff != "" {
			t.Errorf("Pods(\"\") (-want +got):\n%s", diff)
		}
	})
	t.Run("Pods of one namespace holds only that namespace", func(t *testing.T) {
		want := []string{"shop/cart", "shop/pending", "shop/web"}
		if diff := cmp.Diff(want, names(c.Pods("shop"))); diff != "" {
			t.Errorf("Pods(shop) (-want +got):\n%s", diff)
		}
	})
	t.Run("Pod finds a cached pod and reports a missing one", func(t *testing.T) {
		if p, ok := c.Pod("data", "db"); !ok || p.UID != db.UID {
			t.Errorf("Pod(data, db) = %v, %v; want the db pod", p, ok)
		}
		if p, ok := c.Pod("data", "nope"); ok {
			t.Errorf("Pod(data, nope) = %v, true; want false", p.Name)
		}
	})
	t.Run("EventsFor returns the pod's events newest first, whatever timestamp field they use", func(t *testing.T) {
		want := []string{"shop/web.4", "shop/web.2", "shop/web.1", "shop/web.3"}
		if diff := cmp.Diff(want, names(c.EventsFor(web))); diff != "" {
			t.Errorf("EventsFor(web) (-want +got):\n%s", diff)
		}
	})
	t.Run("Node finds a node, and nil for an unknown or empty name", func(t *testing.T) {
		if n := c.Node("node-a"); n == nil || n.Name != "node-a" {
			t.Errorf("Node(node-a) = %v, want node-a", n)
		}
		if n := c.Node("node-z"); n != nil {
			t.Errorf("Node(node-z) = %v, want nil", n.Name)
		}
		if n := c.Node(""); n != nil {
			t.Errorf("Node(\"\") = %v, want nil", n.Name)
		}
	})
	t.Run("Nodes are sorted by name", func(t *testing.T) {
		if diff := cmp.Diff([]string{"node-a", "node-b"}, names(c.Nodes())); diff != "" {
			t.Errorf("Nodes() (-want +got):\n%s", diff)
		}
	})
	t.Run("PodsOnNode lists the pods bound to the node", func(t *testing.T) {
		if diff := cmp.Diff([]string{"shop/cart", "shop/web"}, names(c.PodsOnNode("node-b"))); diff != "" {
			t.Errorf("PodsOnNode(node-b) (-want +got):\n%s", diff)
		}
	})
	t.Run("Status counts what is loaded and says the server is connected", func(t *testing.T) {
		st := c.Status()
		if !st.Connected {
			t.Errorf("Connected = false, want true (LastError %q)", st.LastError)
		}
		got := map[informers.Resource]int{}
		for _, r := range st.Resources {
			got[r.Resource] = r.Loaded
		}
		want := map[informers.Resource]int{informers.ResourcePods: 4, informers.ResourceEvents: 5, informers.ResourceNodes: 2}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Loaded per resource (-want +got):\n%s", diff)
		}
	})
}

func TestNamespaces(t *testing.T) {
	t.Parallel()
	objs := []runtime.Object{pod("shop", "web", "n1"), pod("data", "db", "n1"), pod("other", "x", "n1"), node("n1")}

	t.Run("several namespaces watch only those namespaces, and nodes once", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, informers.Options{Namespaces: []string{"shop", "data", "shop"}}, nil, objs...)
		waitFor(t, "all synced", allSynced(f.cache))
		if diff := cmp.Diff([]string{"data/db", "shop/web"}, names(f.cache.Pods(""))); diff != "" {
			t.Errorf("Pods(\"\") (-want +got):\n%s", diff)
		}
		if got := f.cache.Pods("other"); got != nil {
			t.Errorf("Pods(other) = %v, want nil", names(got))
		}
		if diff := cmp.Diff([]string{"data/db", "shop/web"}, names(f.cache.PodsOnNode("n1"))); diff != "" {
			t.Errorf("PodsOnNode(n1) (-want +got):\n%s", diff)
		}
		if n := f.cache.Node("n1"); n == nil {
			t.Error("Node(n1) = nil, want the node")
		}
	})
	t.Run("one namespace watches only that namespace", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, informers.Options{Namespaces: []string{"data"}}, nil, objs...)
		if diff := cmp.Diff([]string{"data/db"}, names(f.cache.Pods(""))); diff != "" {
			t.Errorf("Pods(\"\") (-want +got):\n%s", diff)
		}
	})
}

func TestChanges(t *testing.T) {
	t.Parallel()

	t.Run("a burst of 50 updates to one pod yields one key", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, informers.Options{}, nil, pod("shop", "web", "n1"), pod("shop", "sentinel", "n1"))
		drain(t, f.cache)
		ctx := t.Context()
		for i := range 50 {
			p, err := f.client.CoreV1().Pods("shop").Get(ctx, "web", metav1.GetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", RestartCount: int32(i + 1)}}
			if _, err := f.client.CoreV1().Pods("shop").UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		// The handler sees one informer's notifications in order: once the
		// sentinel's key is queued, all 50 updates have been handled.
		sentinel, _ := f.client.CoreV1().Pods("shop").Get(ctx, "sentinel", metav1.GetOptions{})
		sentinel.Labels = map[string]string{"touched": "yes"}
		if _, err := f.client.CoreV1().Pods("shop").Update(ctx, sentinel, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "two keys queued", func() bool { return f.cache.Changes().Len() >= 2 })

		got := []cache.ObjectName{nextKey(t, f.cache), nextKey(t, f.cache)}
		want := []cache.ObjectName{{Namespace: "shop", Name: "web"}, {Namespace: "shop", Name: "sentinel"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("keys (-want +got):\n%s", diff)
		}
		if n := f.cache.Changes().Len(); n != 0 {
			t.Errorf("queue length after the burst = %d, want 0", n)
		}
		if p, _ := f.cache.Pod("shop", "web"); p.Status.ContainerStatuses[0].RestartCount != 50 {
			t.Errorf("cached restart count = %d, want 50", p.Status.ContainerStatuses[0].RestartCount)
		}
	})

	t.Run("deleting a pod delivers its key and removes it from the store", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, informers.Options{}, nil, pod("shop", "web", "n1"))
		drain(t, f.cache)
		if err := f.client.CoreV1().Pods("shop").Delete(t.Context(), "web", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		if got, want := nextKey(t, f.cache), (cache.ObjectName{Namespace: "shop", Name: "web"}); got != want {
			t.Errorf("key = %v, want %v", got, want)
		}
		if _, ok := f.cache.Pod("shop", "web"); ok {
			t.Error("Pod(shop, web) still cached after delete")
		}
	})

	t.Run("an event about a pod enqueues that pod, an event about a node enqueues nothing", func(t *testing.T) {
		t.Parallel()
		web := pod("shop", "web", "n1")
		f := newFixture(t, informers.Options{}, nil, web)
		drain(t, f.cache)
		nodeEvent := &corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Namespace: "default", Name: "n1.1"},
			InvolvedObject: corev1.ObjectReference{Kind: "Node", Name: "n1", UID: "n1"},
			Reason:         "NodeNotReady",
		}
		ctx := t.Context()
		if _, err := f.client.CoreV1().Events("default").Create(ctx, nodeEvent, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.client.CoreV1().Events("shop").Create(ctx, event(web, "web.1", "BackOff", t0), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if got, want := nextKey(t, f.cache), (cache.ObjectName{Namespace: "shop", Name: "web"}); got != want {
			t.Errorf("key = %v, want %v", got, want)
		}
	})

	t.Run("a node condition change enqueues the pods on that node; a heartbeat does not", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, informers.Options{}, nil,
			node("n1"), node("n2"), pod("shop", "a", "n1"), pod("shop", "b", "n1"), pod("shop", "c", "n2"))
		waitFor(t, "all synced", allSynced(f.cache))
		drain(t, f.cache)
		ctx := t.Context()
		nodes := f.client.CoreV1().Nodes()

		n1, _ := nodes.Get(ctx, "n1", metav1.GetOptions{})
		n1.Status.Conditions[0].LastHeartbeatTime = metav1.NewTime(t0.Add(time.Minute))
		if _, err := nodes.UpdateStatus(ctx, n1, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		n2, _ := nodes.Get(ctx, "n2", metav1.GetOptions{})
		n2.Status.Conditions[0].Status, n2.Status.Conditions[0].Reason = corev1.ConditionFalse, "KubeletNotReady"
		if _, err := nodes.UpdateStatus(ctx, n2, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		if got, want := nextKey(t, f.cache), (cache.ObjectName{Namespace: "shop", Name: "c"}); got != want {
			t.Errorf("after n2 went NotReady, key = %v, want %v", got, want)
		}

		n1, _ = nodes.Get(ctx, "n1", metav1.GetOptions{})
		n1.Spec.Taints = []corev1.Taint{{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}}
		if _, err := nodes.Update(ctx, n1, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		got := []cache.ObjectName{nextKey(t, f.cache), nextKey(t, f.cache)}
		want := []cache.ObjectName{{Namespace: "shop", Name: "a"}, {Namespace: "shop", Name: "b"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after tainting n1 (-want +got):\n%s", diff)
		}
		// The pods were enqueued after the cache had the taint: the node
		// list that diagnoses them must have it too, not a kept older one.
		if ns := f.cache.Nodes(); len(ns) != 2 || ns[0].Name != "n1" || len(ns[0].Spec.Taints) != 1 {
			t.Errorf("Nodes() after tainting n1 = %v, want n1 with its taint first", ns)
		}
		if _, err := nodes.Create(ctx, node("n0"), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the new node listed", func() bool { return len(f.cache.Nodes()) == 3 && f.cache.Nodes()[0].Name == "n0" })
	})

	t.Run("a node change enqueues the pods not scheduled yet, which are checked against every node", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, informers.Options{}, nil, node("n1"), pod("shop", "bound", "n1"), pod("shop", "pending", ""))
		waitFor(t, "all synced", allSynced(f.cache))
		drain(t, f.cache)
		ctx := t.Context()
		nodes := f.client.CoreV1().Nodes()

		n1, _ := nodes.Get(ctx, "n1", metav1.GetOptions{})
		n1.Spec.Taints = []corev1.Taint{{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}}
		if _, err := nodes.Update(ctx, n1, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		got := []cache.ObjectName{nextKey(t, f.cache), nextKey(t, f.cache)}
		want := []cache.ObjectName{{Namespace: "shop", Name: "bound"}, {Namespace: "shop", Name: "pending"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after tainting n1 (-want +got):\n%s", diff)
		}
		if _, err := nodes.Create(ctx, node("n2"), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if got, want := nextKey(t, f.cache), (cache.ObjectName{Namespace: "shop", Name: "pending"}); got != want {
			t.Errorf("after a node joined, key = %v, want %v", got, want)
		}
		if got := f.cache.PodsOnNode(""); got != nil {
			t.Errorf("PodsOnNode(\"\") = %v, want nil", names(got))
		}
	})

	t.Run("the queue shuts down when the context ends", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, informers.Options{}, nil)
		f.stop()
		if !f.cache.Changes().ShuttingDown() {
			t.Error("queue still running after the context ended")
		}
	})
}

// forbid makes list and watch of resource fail with 403, as RBAC does.
func forbid(resource string) func(*fake.Clientset) {
	return func(c *fake.Clientset) {
		err := apierrors.NewForbidden(schema.GroupResource{Resource: resource}, "",
			errors.New(`User "system:serviceaccount:podlens:podlens" cannot list resource "`+resource+`"`))
		c.PrependReactor("list", resource, func(k8stesting.Action) (bool, runtime.Object, error) { return true, nil, err })
		c.PrependWatchReactor(resource, func(k8stesting.Action) (bool, watch.Interface, error) { return true, nil, err })
	}
}

func TestForbidden(t *testing.T) {
	t.Parallel()
	web := pod("shop", "web", "n1")
	configure := func(c *fake.Clientset) { forbid("events")(c); forbid("nodes")(c) }
	f := newFixture(t, informers.Options{}, configure, web, node("n1"), event(web, "web.1", "BackOff", t0))
	c := f.cache
	waitFor(t, "events and nodes forbidden", func() bool {
		st := c.Status()
		ev, _ := st.Resource(informers.ResourceEvents)
		nd, _ := st.Resource(informers.ResourceNodes)
		return ev.Forbidden && nd.Forbidden
	})

	t.Run("pods still sync and are served", func(t *testing.T) {
		if !c.Synced() {
			t.Error("Synced() = false, want true")
		}
		if diff := cmp.Diff([]string{"shop/web"}, names(c.Pods(""))); diff != "" {
			t.Errorf("Pods (-want +got):\n%s", diff)
		}
	})
	t.Run("Status says which kinds are forbidden and stays connected", func(t *testing.T) {
		st := c.Status()
		got := map[informers.Resource]bool{}
		for _, r := range st.Resources {
			got[r.Resource] = r.Forbidden
		}
		want := map[informers.Resource]bool{informers.ResourcePods: false, informers.ResourceEvents: true, informers.ResourceNodes: true}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Forbidden per resource (-want +got):\n%s", diff)
		}
		if !st.Connected {
			t.Error("Connected = false; a 403 means the server answered")
		}
		if st.LastError == "" {
			t.Error("LastError is empty, want the 403 text")
		}
	})
	t.Run("the Store answers empty for forbidden kinds", func(t *testing.T) {
		if n := c.Node("n1"); n != nil {
			t.Errorf("Node(n1) = %v, want nil", n.Name)
		}
		if ns := c.Nodes(); ns != nil {
			t.Errorf("Nodes() = %v, want nil", names(ns))
		}
		if evs := c.EventsFor(web); len(evs) != 0 {
			t.Errorf("EventsFor(web) = %v, want none", names(evs))
		}
	})
}

func TestConnection(t *testing.T) {
	t.Parallel()
	var down atomic.Bool
	configure := func(c *fake.Clientset) {
		c.PrependReactor("get", "version", func(k8stesting.Action) (bool, runtime.Object, error) {
			if down.Load() {
				return true, nil, errors.New("dial tcp 10.96.0.1:443: connect: connection refused")
			}
			return false, nil, nil
		})
	}
	f := newFixture(t, informers.Options{ProbeInterval: 5 * time.Millisecond}, configure, pod("shop", "web", "n1"))
	c := f.cache
	waitFor(t, "a first successful probe", func() bool { return !c.Status().LastHeard.IsZero() })

	down.Store(true)
	waitFor(t, "disconnected", func() bool { return !c.Status().Connected })
	st := c.Status()
	if st.StaleSince.IsZero() || !st.StaleSince.Equal(st.LastHeard) {
		t.Errorf("StaleSince = %v, want the last time heard (%v)", st.StaleSince, st.LastHeard)
	}
	if st.LastError == "" {
		t.Error("LastError is empty while disconnected")
	}
	if diff := cmp.Diff([]string{"shop/web"}, names(c.Pods(""))); diff != "" {
		t.Errorf("Pods while disconnected (-want +got):\n%s", diff)
	}

	down.Store(false)
	waitFor(t, "connected again", func() bool { return c.Status().Connected })
	if st := c.Status(); !st.StaleSince.IsZero() {
		t.Errorf("StaleSince = %v after reconnecting, want zero", st.StaleSince)
	}
}

// outage plays an API server outage on a fake clientset: the probe and pod
// lists and watches fail while it lasts, and the pod watches open when it
// begins are closed, as a stopped server closes them.
type outage struct {
	// watchErr is what pod watches fail with during the outage. The
	// reflector retries a refused connection in place and resumes the watch
	// later; any other error makes it relist.
	watchErr error

	probeDown, podsDown atomic.Bool
	// expireNext makes the next pod watch answer 410 Gone, as a resumed
	// watch does when etcd compacted past its resource version.
	expireNext atomic.Bool
	// holdLists makes pod lists wait until release is closed, after
	// sending on listing.
	holdLists atomic.Bool
	listing   chan struct{}
	release   chan struct{}

	mu      sync.Mutex
	watches []watch.Interface // pod watches handed out so far
}

func newOutage(watchErr error) *outage {
	return &outage{watchErr: watchErr, listing: make(chan struct{}, 1), release: make(chan struct{})}
}

// refused is a dial error the reflector recognises as "connection refused".
var refused = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}

// lost is a transport error the reflector does not retry in place.
var lost = errors.New("http2: client connection lost")

func (o *outage) configure(c *fake.Clientset) {
	c.PrependReactor("get", "version", func(k8stesting.Action) (bool, runtime.Object, error) {
		if o.probeDown.Load() {
			return true, nil, refused
		}
		return false, nil, nil
	})
	c.PrependReactor("list", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		if o.podsDown.Load() {
			return true, nil, lost
		}
		if o.holdLists.Load() {
			select {
			case o.listing <- struct{}{}:
			default:
			}
			<-o.release
		}
		return false, nil, nil
	})
	c.PrependWatchReactor("pods", func(a k8stesting.Action) (bool, watch.Interface, error) {
		if o.podsDown.Load() {
			return true, nil, o.watchErr
		}
		if o.expireNext.CompareAndSwap(true, false) {
			w := watch.NewRaceFreeFake()
			w.Error(&apierrors.NewResourceExpired("too old resource version").ErrStatus)
			return true, w, nil
		}
		var opts metav1.ListOptions
		if wa, ok := a.(k8stesting.WatchActionImpl); ok {
			opts = wa.ListOptions
		}
		w, err := c.Tracker().Watch(a.GetResource(), a.GetNamespace(), opts)
		if err == nil {
			o.mu.Lock()
			o.watches = append(o.watches, w)
			o.mu.Unlock()
		}
		return true, w, err
	})
}

// begin starts the outage.
func (o *outage) begin() {
	o.probeDown.Store(true)
	o.closePodWatches()
}

// closePodWatches fails pod lists and watches from now on and closes the
// open pod watches, leaving the probe alone.
func (o *outage) closePodWatches() {
	o.podsDown.Store(true)
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, w := range o.watches {
		w.Stop()
	}
	o.watches = nil
}

func TestStaleUntilCaughtUp(t *testing.T) {
	t.Parallel()
	o := newOutage(lost)
	f := newFixture(t, informers.Options{ProbeInterval: 5 * time.Millisecond}, o.configure,
		pod("shop", "web", "n1"), pod("shop", "doomed", "n1"), node("n1"))
	c := f.cache
	waitFor(t, "a first successful probe", func() bool { return !c.Status().LastHeard.IsZero() && c.Status().Connected })

	o.begin()
	waitFor(t, "disconnected", func() bool { return !c.Status().Connected })
	down := c.Status()
	// Deleted while the dashboard cannot watch: it keeps listing the pod.
	if err := f.client.CoreV1().Pods("shop").Delete(t.Context(), "doomed", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}

	o.probeDown.Store(false)
	waitFor(t, "the probe answered again", func() bool { return c.Status().LastHeard.After(down.LastHeard) })

	t.Run("an answering probe alone does not make the cache live while pods cannot be listed", func(t *testing.T) {
		st := c.Status()
		if st.Connected {
			t.Fatal("Connected = true before the pod informer relisted")
		}
		if !st.StaleSince.Equal(down.StaleSince) {
			t.Errorf("StaleSince = %v, want %v (when the outage began), unchanged by the probe", st.StaleSince, down.StaleSince)
		}
		if diff := cmp.Diff([]string{"shop/doomed", "shop/web"}, names(c.Pods(""))); diff != "" {
			t.Errorf("Pods while stale (-want +got):\n%s", diff)
		}
	})

	o.podsDown.Store(false)
	waitFor(t, "connected again", func() bool { return c.Status().Connected })

	t.Run("once pods list again the cache is live and drops the pod deleted meanwhile", func(t *testing.T) {
		if st := c.Status(); !st.StaleSince.IsZero() {
			t.Errorf("StaleSince = %v while connected, want zero", st.StaleSince)
		}
		// The list is applied by the informer's queue right after it returns.
		waitFor(t, "the deleted pod gone", func() bool { return len(c.Pods("")) == 1 })
		if diff := cmp.Diff([]string{"shop/web"}, names(c.Pods(""))); diff != "" {
			t.Errorf("Pods after catching up (-want +got):\n%s", diff)
		}
	})
}

func TestStaleWhileResumedWatchExpired(t *testing.T) {
	t.Parallel()
	o := newOutage(refused)
	f := newFixture(t, informers.Options{ProbeInterval: 5 * time.Millisecond}, o.configure,
		pod("shop", "web", "n1"), node("n1"))
	c := f.cache
	// Delivered by the pod watch, so that the watch ends normally when the
	// server stops (not "very short") and the reflector resumes it in place.
	if _, err := f.client.CoreV1().Pods("shop").Create(t.Context(), pod("shop", "doomed", "n1"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new pod cached", func() bool { return len(c.Pods("")) == 2 })
	waitFor(t, "a first successful probe", func() bool { return !c.Status().LastHeard.IsZero() && c.Status().Connected })

	o.begin()
	waitFor(t, "disconnected", func() bool { return !c.Status().Connected })
	if err := f.client.CoreV1().Pods("shop").Delete(t.Context(), "doomed", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	// The server comes back having compacted its history: the resumed
	// watch answers 410 Gone and the informer must relist, which hangs.
	o.expireNext.Store(true)
	o.holdLists.Store(true)
	o.probeDown.Store(false)
	o.podsDown.Store(false)
	released := false
	release := func() {
		if !released {
			released = true
			close(o.release)
		}
	}
	t.Cleanup(release)
	select {
	case <-o.listing:
	case <-time.After(10 * time.Second):
		t.Fatal("the pod informer did not relist within 10s")
	}

	t.Run("a resumed watch whose first answer is 410 Gone does not make the cache live", func(t *testing.T) {
		waitFor(t, "the probe answered again", func() bool { return c.Status().LastHeard.After(c.Status().StaleSince) })
		if st := c.Status(); st.Connected {
			t.Error("Connected = true while the pod informer is still relisting")
		}
	})

	release()
	waitFor(t, "connected again", func() bool { return c.Status().Connected })

	t.Run("the relist makes the cache live without the pod deleted meanwhile", func(t *testing.T) {
		waitFor(t, "the deleted pod gone", func() bool { return len(c.Pods("")) == 1 })
		if diff := cmp.Diff([]string{"shop/web"}, names(c.Pods(""))); diff != "" {
			t.Errorf("Pods after relisting (-want +got):\n%s", diff)
		}
	})
}

func TestStaleWhileNotWatching(t *testing.T) {
	t.Parallel()
	// The pod watch cannot resume (throttled here) while the probe keeps
	// answering: only the informer can tell the cache misses changes.
	o := newOutage(apierrors.NewTooManyRequests("too many requests", 1))
	f := newFixture(t, informers.Options{ProbeInterval: 5 * time.Millisecond}, o.configure,
		pod("shop", "web", "n1"), node("n1"))
	c := f.cache
	if _, err := f.client.CoreV1().Pods("shop").Create(t.Context(), pod("shop", "new", "n1"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new pod cached", func() bool { return len(c.Pods("")) == 2 })
	waitFor(t, "a first successful probe", func() bool { return !c.Status().LastHeard.IsZero() && c.Status().Connected })

	closed := time.Now()
	o.closePodWatches()

	t.Run("a pod informer that cannot watch again makes the cache stale, since its watch ended", func(t *testing.T) {
		waitFor(t, "stale", func() bool { return !c.Status().Connected })
		st := c.Status()
		if st.StaleSince.Before(closed) {
			t.Errorf("StaleSince = %v, before the watch was closed (%v)", st.StaleSince, closed)
		}
		if !st.LastHeard.After(st.StaleSince) {
			t.Errorf("LastHeard = %v, want after StaleSince (%v): the probe kept answering", st.LastHeard, st.StaleSince)
		}
		if !strings.HasPrefix(st.LastError, "pods watch ended at ") {
			t.Errorf("LastError = %q, want it to say the pods watch ended", st.LastError)
		}
	})

	o.podsDown.Store(false)
	t.Run("the resumed watch makes the cache live again", func(t *testing.T) {
		waitFor(t, "connected again", func() bool { return c.Status().Connected })
		if st := c.Status(); !st.StaleSince.IsZero() {
			t.Errorf("StaleSince = %v while connected, want zero", st.StaleSince)
		}
	})
}

// readyzReport is what kube-apiserver answers on /readyz while it starts.
const readyzReport = `[+]ping ok
[+]log ok
[+]etcd ok
[-]poststarthook/rbac/bootstrap-roles failed: reason withheld
[+]poststarthook/start-apiextensions-controllers ok
[-]poststarthook/scheduling/bootstrap-system-priority-classes failed: reason withheld
readyz check failed`

func TestProbeAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		err           error
		wantConnected bool
		wantError     string
	}{
		{
			name:          "a starting server answering 500 with its check report is reachable, and the error is one short line",
			err:           apierrors.NewGenericServerResponse(500, "get", schema.GroupResource{}, "", readyzReport, 0, true),
			wantConnected: true,
			wantError:     "API server answered HTTP 500: not ready: poststarthook/rbac/bootstrap-roles, poststarthook/scheduling/bootstrap-system-priority-classes",
		},
		{
			name:          "a proxy answering 502 for an unreachable server counts as unreachable",
			err:           apierrors.NewGenericServerResponse(502, "get", schema.GroupResource{}, "", "upstream connect error", 0, true),
			wantConnected: false,
			wantError:     `an error on the server ("upstream connect error") has prevented the request from succeeding`,
		},
		{
			name:          "a transport error counts as unreachable, on one line",
			err:           errors.New("Get \"https://10.96.0.1/readyz\":\n  dial tcp 10.96.0.1:443: i/o timeout"),
			wantConnected: false,
			wantError:     `Get "https://10.96.0.1/readyz": dial tcp 10.96.0.1:443: i/o timeout`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			configure := func(c *fake.Clientset) {
				c.PrependReactor("get", "version", func(k8stesting.Action) (bool, runtime.Object, error) {
					return true, nil, tt.err
				})
			}
			f := newFixture(t, informers.Options{ProbeInterval: 5 * time.Millisecond}, configure, pod("shop", "web", "n1"))
			// Lists and watches answering after a failed probe prove the
			// server reachable too, so wait for the probe to have the last word.
			waitFor(t, fmt.Sprintf("a probe answer and Connected = %v", tt.wantConnected), func() bool {
				st := f.cache.Status()
				return st.LastError != "" && st.Connected == tt.wantConnected
			})
			st := f.cache.Status()
			if diff := cmp.Diff(tt.wantError, st.LastError); diff != "" {
				t.Errorf("LastError (-want +got):\n%s", diff)
			}
		})
	}
}
