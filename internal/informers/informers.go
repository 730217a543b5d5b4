// Package informers keeps the dashboard's in-memory copy of the cluster: one
// shared informer factory for pods, core/v1 events and nodes, stripped by a
// transform before objects enter the cache, and a queue of coalesced change
// keys for the publisher.
//
// Objects handed out by Store are shared with the cache: NEVER modify them.
package informers

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
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
	Namespaces []string
	// Resync is the informers' resync period; 0 disables periodic resync.
	Resync time.Duration
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
}

// SyncStatus says what the cache knows and how fresh it is.
type SyncStatus struct {
	Resources []ResourceState
	// Connected is false while the API server cannot be reached.
	Connected bool
	// StaleSince is when the API server was last known reachable, set while
	// Connected is false.
	StaleSince time.Time
	// LastError is the last watch/list error, for logs and the UI.
	LastError string
}

// Cache is the informer-backed Store.
type Cache struct {
	client kubernetes.Interface
	opts   Options
}

var _ Store = (*Cache)(nil)

// New builds a cache over client. Nothing runs until Start.
func New(client kubernetes.Interface, opts Options) *Cache {
	return &Cache{client: client, opts: opts}
}

// Start starts the informers and returns at once; Synced and Status report progress.
func (c *Cache) Start(ctx context.Context) error { return nil }

// Synced reports whether the pod cache has synced (events and nodes are optional).
func (c *Cache) Synced() bool { return false }

// Status reports the sync state of every kind and the connection to the API server.
func (c *Cache) Status() SyncStatus { return SyncStatus{} }

// Changes is the queue of pod keys whose view may have changed. A key is handed
// out once however many updates arrived before it was taken (coalescing); call
// Done(key) after processing it.
func (c *Cache) Changes() workqueue.TypedInterface[cache.ObjectName] { return nil }

// Pods implements Store.
func (c *Cache) Pods(namespace string) []*corev1.Pod { return nil }

// Pod implements Store.
func (c *Cache) Pod(namespace, name string) (*corev1.Pod, bool) { return nil, false }

// EventsFor implements Store.
func (c *Cache) EventsFor(pod *corev1.Pod) []*corev1.Event { return nil }

// Node implements Store.
func (c *Cache) Node(name string) *corev1.Node { return nil }

// Nodes implements Store.
func (c *Cache) Nodes() []*corev1.Node { return nil }

// PodsOnNode implements Store.
func (c *Cache) PodsOnNode(name string) []*corev1.Pod { return nil }
