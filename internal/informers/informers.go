// Package informers keeps the dashboard's in-memory copy of the cluster: one
// shared informer factory for pods, core/v1 events and nodes, stripped by a
// transform before objects enter the cache, and a queue of coalesced change
// keys for the publisher.
//
// Objects handed out by Store are shared with the cache: NEVER modify them.
package informers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	kubeinformers "k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

// Store is everything the rest of the dashboard may read from the cache.
// Objects are shared with the cache: never modify them.
type Store interface {
	// Pods returns the pods of namespace ("" = every watched namespace),
	// sorted by namespace, then name.
	Pods(namespace string) []*corev1.Pod
	// Pod returns one pod.
	Pod(namespace, name string) (*corev1.Pod, bool)
	// EventsFor returns the events whose involvedObject is pod (by UID), newest first.
	EventsFor(pod *corev1.Pod) []*corev1.Event
	// Node returns the named node, or nil when unknown or not readable.
	Node(name string) *corev1.Node
	// Nodes returns every node, sorted by name; nil when nodes cannot be read.
	Nodes() []*corev1.Node
	// PodsOnNode returns the pods bound to the named node.
	PodsOnNode(name string) []*corev1.Pod
}

// Options selects what the cache watches.
type Options struct {
	// Namespaces limits pods and events to these namespaces; empty watches all.
	// One namespace uses one namespaced factory; several use one factory each
	// (RBAC may grant a Role per namespace and no cluster-wide list).
	Namespaces []string
	// Resync is the informers' resync period; 0 disables periodic resync.
	Resync time.Duration
	// ProbeInterval is how often the API server's /readyz is probed to notice
	// an outage and a recovery; 0 means DefaultProbeInterval, negative disables.
	ProbeInterval time.Duration
	// Now is the clock for Status times; nil means time.Now.
	Now func() time.Time
}

// Resource names one of the watched kinds.
type Resource string

// The kinds the cache watches.
const (
	ResourcePods   Resource = "pods"
	ResourceEvents Resource = "events"
	ResourceNodes  Resource = "nodes"
)

// ResourceState is the sync state of one kind.
type ResourceState struct {
	Resource Resource
	Synced   bool
	// Forbidden is true when RBAC denies list/watch; the dashboard works without it.
	Forbidden bool
	// Loaded counts objects in the cache so far (shown while syncing).
	Loaded int
	// WatchRestarts counts list/watch failures the informers retried (for /metrics).
	WatchRestarts int
	// LastEventTime is when the last change of this kind was delivered.
	LastEventTime time.Time
}

// SyncStatus says what the cache knows and how fresh it is.
type SyncStatus struct {
	Resources []ResourceState
	// Connected is false while the API server cannot be reached, and while
	// a readable informer that was watching has had no open watch for more
	// than a moment (after an outage: until it has resumed its watch or
	// relisted). Meanwhile the cache may still hold deleted pods.
	Connected bool
	// StaleSince is how fresh the data is at least, set while Connected is
	// false: when the API server was last heard before the outage, or when
	// the first informer stopped watching. Zero while the cache never was live.
	StaleSince time.Time
	// LastHeard is when the API server last delivered a change or answered the probe.
	LastHeard time.Time
	// LastError is the last watch/list error, for logs and the UI.
	LastError string
}

// Resource returns the state of r, and false when r is not watched.
func (s SyncStatus) Resource(r Resource) (ResourceState, bool) {
	for _, st := range s.Resources {
		if st.Resource == r {
			return st, true
		}
	}
	return ResourceState{}, false
}

// scope is the pods and events of one namespace ("" = all namespaces).
type scope struct {
	namespace string
	pods      *watched
	podLister corelisters.PodLister
	events    *watched
}

// Cache is the informer-backed Store.
type Cache struct {
	client kubernetes.Interface
	opts   Options

	factories  []kubeinformers.SharedInformerFactory
	scopes     []scope
	nodes      *watched
	nodeLister corelisters.NodeLister
	// nodesGen counts node changes seen by the handler; sortedNodes is
	// Nodes' list, valid while its gen is current.
	nodesGen    atomic.Uint64
	sortedNodes atomic.Pointer[nodeSnapshot]
	all         []*watched

	queue   workqueue.TypedDelayingInterface[cache.ObjectName]
	status  *tracker
	initErr error

	started atomic.Bool
	stopped chan struct{}
}

var _ Store = (*Cache)(nil)

// New builds a cache over client: the informers, their transform, indexers
// and handlers. Nothing runs until Start.
func New(client kubernetes.Interface, opts Options) *Cache {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	c := &Cache{
		client:  client,
		opts:    opts,
		queue:   workqueue.NewTypedDelayingQueueWithConfig(workqueue.TypedDelayingQueueConfig[cache.ObjectName]{}),
		status:  &tracker{now: now},
		stopped: make(chan struct{}),
	}
	namespaces := slices.Clone(opts.Namespaces)
	slices.Sort(namespaces)
	namespaces = slices.Compact(namespaces)
	if len(namespaces) == 0 || slices.Contains(namespaces, "") {
		namespaces = []string{""}
	}
	for _, ns := range namespaces {
		f := kubeinformers.NewSharedInformerFactoryWithOptions(client, opts.Resync,
			kubeinformers.WithNamespace(ns), kubeinformers.WithTransform(Transform))
		s := scope{
			namespace: ns,
			pods:      &watched{resource: ResourcePods, namespace: ns},
			events:    &watched{resource: ResourceEvents, namespace: ns},
		}
		// Registered first, so the factory's typed accessors (listers)
		// share these informers instead of building their own.
		s.pods.informer = f.InformerFor(&corev1.Pod{}, c.newInformer(s.pods, &corev1.Pod{},
			listWatch[*corev1.PodList](client.CoreV1().Pods(ns))))
		s.events.informer = f.InformerFor(&corev1.Event{}, c.newInformer(s.events, &corev1.Event{},
			listWatch[*corev1.EventList](client.CoreV1().Events(ns))))
		s.podLister = f.Core().V1().Pods().Lister()
		c.setup(s.pods, cache.Indexers{IndexPodsByNode: podsByNode}, c.podHandler(s.pods))
		c.setup(s.events, cache.Indexers{IndexEventsByInvolvedUID: eventsByInvolvedUID}, c.eventHandler(s.events))
		c.scopes = append(c.scopes, s)
		c.factories = append(c.factories, f)
	}
	// Nodes are cluster-scoped: one informer whatever the namespaces.
	nf := kubeinformers.NewSharedInformerFactoryWithOptions(client, opts.Resync, kubeinformers.WithTransform(Transform))
	c.nodes = &watched{resource: ResourceNodes}
	c.nodes.informer = nf.InformerFor(&corev1.Node{}, c.newInformer(c.nodes, &corev1.Node{},
		listWatch[*corev1.NodeList](client.CoreV1().Nodes())))
	c.nodeLister = nf.Core().V1().Nodes().Lister()
	c.setup(c.nodes, nil, c.nodeHandler(c.nodes))
	c.factories = append(c.factories, nf)
	c.status.all = c.all
	return c
}

// listerWatcher is the List and Watch half of a typed client, such as
// client.CoreV1().Pods(namespace).
type listerWatcher[L runtime.Object] interface {
	List(ctx context.Context, opts metav1.ListOptions) (L, error)
	Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error)
}

// listWatch is the ListWatch the factory's own informers would use.
func listWatch[L runtime.Object](c listerWatcher[L]) *cache.ListWatch {
	return &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
			return c.List(ctx, opts)
		},
		WatchFuncWithContext: c.Watch,
	}
}

// newInformer builds w's informer like the factory does, over a ListWatch
// that records its lists and watches (the only way to know that an informer
// caught up after an outage: Status stays stale until then) and waits out
// an unreachable API server instead of failing (see untilReachable).
func (c *Cache) newInformer(w *watched, example runtime.Object, lw *cache.ListWatch) func(kubernetes.Interface, time.Duration) cache.SharedIndexInformer {
	return func(client kubernetes.Interface, resync time.Duration) cache.SharedIndexInformer {
		return cache.NewSharedIndexInformerWithOptions(
			// Keeps the reflector's choice between a streaming list and a
			// plain list as the factory makes it (fake clients cannot stream).
			cache.ToListWatcherWithWatchListSemantics(c.status.recordingListWatch(w, lw), client),
			example,
			cache.SharedIndexInformerOptions{
				ResyncPeriod: resync,
				Indexers:     cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc},
			})
	}
}

// setup registers w's indexers, error handler and event handler. These calls
// fail only on a started informer, which New never sees.
func (c *Cache) setup(w *watched, idx cache.Indexers, h cache.ResourceEventHandler) {
	c.all = append(c.all, w)
	var errs []error
	if idx != nil {
		errs = append(errs, w.informer.AddIndexers(idx))
	}
	errs = append(errs, w.informer.SetWatchErrorHandlerWithContext(func(ctx context.Context, r *cache.Reflector, err error) {
		if c.status.watchError(ctx, w, err) {
			cache.DefaultWatchErrorHandler(ctx, r, err)
		}
	}))
	reg, err := w.informer.AddEventHandler(countingHandler{count: &w.loaded, next: h})
	errs = append(errs, err)
	w.handlerSynced = func() bool { return reg != nil && reg.HasSynced() }
	if err := errors.Join(errs...); err != nil {
		c.initErr = errors.Join(c.initErr, fmt.Errorf("setting up %s informer: %w", w.resource, err))
	}
}

// countingHandler counts the objects its handler has been told about, so
// the sync status need not list every key of the store to count them (it is
// read on every push).
type countingHandler struct {
	count *atomic.Int64
	next  cache.ResourceEventHandler
}

func (h countingHandler) OnAdd(obj any, isInInitialList bool) {
	h.count.Add(1)
	h.next.OnAdd(obj, isInInitialList)
}

func (h countingHandler) OnUpdate(oldObj, newObj any) { h.next.OnUpdate(oldObj, newObj) }

func (h countingHandler) OnDelete(obj any) {
	h.count.Add(-1)
	h.next.OnDelete(obj)
}

// The handlers only enqueue keys: "the handler should return quickly - any
// expensive processing should be offloaded" (client-go SharedInformer). The
// queue deduplicates, so a burst of updates to one pod is one key.

func (c *Cache) podHandler(w *watched) cache.ResourceEventHandler {
	return cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			if p, ok := obj.(*corev1.Pod); ok {
				c.status.heard(w)
				c.queue.Add(podKey(p))
			}
		},
		UpdateFunc: func(oldObj, newObj any) {
			old, ok1 := oldObj.(*corev1.Pod)
			cur, ok2 := newObj.(*corev1.Pod)
			if !ok1 || !ok2 || sameVersion(old, cur) {
				return // periodic resync: nothing changed
			}
			c.status.heard(w)
			c.queue.Add(podKey(cur))
		},
		DeleteFunc: func(obj any) {
			if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = t.Obj
			}
			if p, ok := obj.(*corev1.Pod); ok {
				c.status.heard(w)
				c.queue.Add(podKey(p))
			}
		},
	}
}

func (c *Cache) eventHandler(w *watched) cache.ResourceEventHandler {
	enqueue := func(obj any) {
		e, ok := obj.(*corev1.Event)
		if !ok {
			return
		}
		c.status.heard(w)
		if key, ok := involvedPodKey(e); ok {
			c.queue.Add(key)
		}
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc: enqueue,
		UpdateFunc: func(oldObj, newObj any) {
			if old, ok := oldObj.(*corev1.Event); ok {
				if cur, ok := newObj.(*corev1.Event); ok && sameVersion(old, cur) {
					return
				}
			}
			enqueue(newObj)
		},
	}
}

func (c *Cache) nodeHandler(w *watched) cache.ResourceEventHandler {
	// A node's change reaches exactly the pods whose verdict depends on
	// it: the pods bound to it, and the pods not bound yet, whose
	// scheduling analysis reads every node's taints, labels and room.
	enqueuePods := func(node string) {
		for _, p := range c.podsIndexedUnder(node) {
			c.queue.Add(podKey(p))
		}
		for _, p := range c.podsIndexedUnder(unscheduledNode) {
			c.queue.Add(podKey(p))
		}
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			if n, ok := obj.(*corev1.Node); ok {
				c.nodesGen.Add(1)
				c.status.heard(w)
				enqueuePods(n.Name)
			}
		},
		UpdateFunc: func(oldObj, newObj any) {
			old, ok1 := oldObj.(*corev1.Node)
			cur, ok2 := newObj.(*corev1.Node)
			if !ok1 || !ok2 || sameVersion(old, cur) {
				return
			}
			c.nodesGen.Add(1)
			c.status.heard(w)
			if nodeChanged(old, cur) {
				enqueuePods(cur.Name)
			}
		},
		DeleteFunc: func(obj any) {
			if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = t.Obj
			}
			if n, ok := obj.(*corev1.Node); ok {
				c.nodesGen.Add(1)
				c.status.heard(w)
				enqueuePods(n.Name)
			}
		},
	}
}

// Start starts the informers and the API server probe, and returns at once;
// Synced and Status report progress. Everything stops when ctx ends: the
// Changes queue shuts down and Stopped is closed once every goroutine exited.
func (c *Cache) Start(ctx context.Context) error {
	if c.initErr != nil {
		return c.initErr
	}
	if !c.started.CompareAndSwap(false, true) {
		return errors.New("informers: cache already started")
	}
	for _, f := range c.factories {
		f.StartWithContext(ctx)
	}
	var wg sync.WaitGroup
	interval := c.opts.ProbeInterval
	if interval == 0 {
		interval = DefaultProbeInterval
	}
	if interval > 0 {
		wg.Go(func() { c.status.runProbe(ctx, c.client, interval) })
	}
	go func() {
		<-ctx.Done()
		c.queue.ShutDown()
		for _, f := range c.factories {
			f.Shutdown() // waits for the informers' goroutines
		}
		wg.Wait()
		close(c.stopped)
	}()
	return nil
}

// Stopped is closed when a started cache has stopped every goroutine after
// its context ended.
func (c *Cache) Stopped() <-chan struct{} { return c.stopped }

// Synced reports whether the pod cache has synced and every pod already
// listed has been queued on Changes (events and nodes are optional).
func (c *Cache) Synced() bool {
	for _, s := range c.scopes {
		if !s.pods.synced() {
			return false
		}
	}
	return true
}

// Status reports the sync state of every kind and the connection to the API server.
func (c *Cache) Status() SyncStatus { return c.status.status() }

// Changes is the queue of pod keys whose view may have changed. A key is handed
// out once however many updates arrived before it was taken (coalescing); call
// Done(key) after processing it. It is a delaying queue: a consumer may put a
// key back for later with AddAfter (a verdict that changes with time alone).
// The queue shuts down when the Start context ends.
func (c *Cache) Changes() workqueue.TypedDelayingInterface[cache.ObjectName] { return c.queue }

// scopeFor returns the scope holding namespace ns.
func (c *Cache) scopeFor(ns string) (scope, bool) {
	for _, s := range c.scopes {
		if s.namespace == "" || s.namespace == ns {
			return s, true
		}
	}
	return scope{}, false
}

// Pods implements Store.
func (c *Cache) Pods(namespace string) []*corev1.Pod {
	var pods []*corev1.Pod
	if namespace != "" {
		s, ok := c.scopeFor(namespace)
		if !ok {
			return nil
		}
		pods, _ = s.podLister.Pods(namespace).List(labels.Everything())
	} else {
		for _, s := range c.scopes {
			ps, _ := s.podLister.List(labels.Everything())
			pods = append(pods, ps...)
		}
	}
	sortPods(pods)
	return pods
}

// Pod implements Store.
func (c *Cache) Pod(namespace, name string) (*corev1.Pod, bool) {
	s, ok := c.scopeFor(namespace)
	if !ok {
		return nil, false
	}
	p, err := s.podLister.Pods(namespace).Get(name)
	if err != nil {
		return nil, false
	}
	return p, true
}

// EventsFor implements Store.
func (c *Cache) EventsFor(pod *corev1.Pod) []*corev1.Event {
	if pod == nil || pod.UID == "" || c.status.forbidden(ResourceEvents) {
		return nil
	}
	s, ok := c.scopeFor(pod.Namespace)
	if !ok {
		return nil
	}
	objs, err := s.events.informer.GetIndexer().ByIndex(IndexEventsByInvolvedUID, string(pod.UID))
	if err != nil || len(objs) == 0 {
		return nil
	}
	events := make([]*corev1.Event, 0, len(objs))
	for _, o := range objs {
		if e, ok := o.(*corev1.Event); ok {
			events = append(events, e)
		}
	}
	sortEventsNewestFirst(events)
	return events
}

// Node implements Store.
func (c *Cache) Node(name string) *corev1.Node {
	if name == "" || c.status.forbidden(ResourceNodes) {
		return nil
	}
	n, err := c.nodeLister.Get(name)
	if err != nil {
		return nil
	}
	return n
}

// Nodes implements Store. The sorted list is kept until a node changes:
// every pending pod's diagnosis reads it, so at a few hundred nodes listing
// and sorting on each call was a large share of the publisher's garbage.
// Callers share the slice and must not modify it.
func (c *Cache) Nodes() []*corev1.Node {
	if c.status.forbidden(ResourceNodes) {
		return nil
	}
	gen := c.nodesGen.Load()
	if snap := c.sortedNodes.Load(); snap != nil && snap.gen == gen {
		return snap.nodes
	}
	nodes, _ := c.nodeLister.List(labels.Everything())
	slices.SortFunc(nodes, func(a, b *corev1.Node) int { return strings.Compare(a.Name, b.Name) })
	nodes = slices.Clip(nodes) // an append by a caller must not write into the shared array
	// The handler counts a change after the lister has it: a list taken
	// after reading gen is at least as new as gen.
	c.sortedNodes.Store(&nodeSnapshot{gen: gen, nodes: nodes})
	return nodes
}

// nodeSnapshot is the sorted node list as of a count of node changes.
type nodeSnapshot struct {
	gen   uint64
	nodes []*corev1.Node
}

// PodsOnNode implements Store.
func (c *Cache) PodsOnNode(name string) []*corev1.Pod {
	if name == "" {
		return nil
	}
	return c.podsIndexedUnder(name)
}

// podsIndexedUnder returns the pods IndexPodsByNode files under value: a
// node's name, or unscheduledNode.
func (c *Cache) podsIndexedUnder(value string) []*corev1.Pod {
	var pods []*corev1.Pod
	for _, s := range c.scopes {
		objs, err := s.pods.informer.GetIndexer().ByIndex(IndexPodsByNode, value)
		if err != nil {
			continue
		}
		for _, o := range objs {
			if p, ok := o.(*corev1.Pod); ok {
				pods = append(pods, p)
			}
		}
	}
	sortPods(pods)
	return pods
}
