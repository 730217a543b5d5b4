package informers

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

// DefaultProbeInterval is how often the cache checks that the API server
// answers. One cheap GET per interval, whatever the number of viewers.
const DefaultProbeInterval = 5 * time.Second

// watched is one informer and what its list/watch errors told us.
type watched struct {
	resource  Resource
	namespace string // "" for cluster-scoped or all namespaces
	informer  cache.SharedIndexInformer
	// handlerSynced is true once the informer synced and our handler has
	// seen every object of the initial list.
	handlerSynced func() bool

	// Guarded by tracker.mu.
	forbidden bool
	// forbiddenBeforeSync is true when the 403 came before the informer ever
	// synced: if it syncs later, RBAC was granted in the meantime.
	forbiddenBeforeSync bool
	restarts            int
	lastEvent           time.Time
}

// synced reports whether the initial list reached the cache and the handler.
func (w *watched) synced() bool { return w.handlerSynced != nil && w.handlerSynced() }

// isForbidden reports whether RBAC currently denies this informer. Call with tracker.mu held.
func (w *watched) isForbidden() bool {
	return w.forbidden && !(w.forbiddenBeforeSync && w.synced())
}

// tracker keeps the connection state fed by event handlers, watch error
// handlers and the probe. Handlers call it from informer goroutines, so it
// only takes a mutex and never blocks on I/O.
type tracker struct {
	now func() time.Time

	mu        sync.Mutex
	lastHeard time.Time // last successful delivery or probe
	lastErrAt time.Time // last error meaning "cannot reach the API server"
	lastErr   string
}

// heard records a delivery from w: the API server is reachable and w is readable.
func (t *tracker) heard(w *watched) {
	now := t.now()
	t.mu.Lock()
	t.lastHeard = now
	w.lastEvent = now
	w.forbidden = false
	t.mu.Unlock()
}

// watchError is the informer's WatchErrorHandlerWithContext for w. It
// reports whether the error is worth logging: a 403 is logged once, not on
// every retry (namespaced RBAC denies nodes for the life of the process).
func (t *tracker) watchError(ctx context.Context, w *watched, err error) (log bool) {
	if err == nil || ctx.Err() != nil {
		return false // shutting down
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	w.restarts++
	switch {
	case apierrors.IsForbidden(err):
		log = !w.forbidden
		if !w.forbidden {
			w.forbiddenBeforeSync = !w.synced()
		}
		w.forbidden = true
		t.lastErr = err.Error()
		return log
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		apierrors.IsResourceExpired(err), apierrors.IsGone(err):
		// A watch ended normally or its resource version expired: the
		// reflector relists; nothing is wrong with the connection.
	default:
		t.lastErrAt = t.now()
		t.lastErr = err.Error()
	}
	return true
}

// probeResult records the outcome of one probe.
func (t *tracker) probeResult(err error) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if err == nil || apierrors.IsForbidden(err) {
		// A 403 is an answer too: the server is up, we just may not read /readyz.
		t.lastHeard = now
		return
	}
	t.lastErrAt = now
	t.lastErr = err.Error()
}

// probe asks the API server whether it is ready: GET /readyz on a real
// client, the version endpoint where there is no REST client (fake clientsets).
func probe(ctx context.Context, client kubernetes.Interface, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d := client.Discovery()
	if rc := d.RESTClient(); rc != nil {
		return rc.Get().AbsPath("/readyz").Do(ctx).Error()
	}
	_, err := d.ServerVersion()
	return err
}

// runProbe probes every interval until ctx ends.
func (t *tracker) runProbe(ctx context.Context, client kubernetes.Interface, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			err := probe(ctx, client, interval)
			if ctx.Err() != nil {
				return
			}
			t.probeResult(err)
		}
	}
}

// status builds the SyncStatus over the informers in order of resource.
func (t *tracker) status(all []*watched) SyncStatus {
	order := []Resource{ResourcePods, ResourceEvents, ResourceNodes}
	states := make([]ResourceState, 0, len(order))
	for _, r := range order {
		st := ResourceState{Resource: r, Synced: true}
		found := false
		for _, w := range all {
			if w.resource != r {
				continue
			}
			found = true
			synced := w.synced()
			loaded := len(w.informer.GetStore().ListKeys())
			t.mu.Lock()
			forbidden := w.isForbidden()
			restarts, last := w.restarts, w.lastEvent
			t.mu.Unlock()
			st.Synced = st.Synced && synced
			st.Forbidden = st.Forbidden || forbidden
			st.Loaded += loaded
			st.WatchRestarts += restarts
			if last.After(st.LastEventTime) {
				st.LastEventTime = last
			}
		}
		if found {
			states = append(states, st)
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	s := SyncStatus{Resources: states, LastError: t.lastErr, Connected: true, LastHeard: t.lastHeard}
	if !t.lastErrAt.IsZero() && !t.lastHeard.After(t.lastErrAt) {
		s.Connected = false
		s.StaleSince = t.lastHeard
	}
	return s
}

// forbidden reports whether every informer of r is denied by RBAC.
func (t *tracker) forbidden(all []*watched, r Resource) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	found := false
	for _, w := range all {
		if w.resource != r {
			continue
		}
		if !w.isForbidden() {
			return false
		}
		found = true
	}
	return found
}
