package informers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/apimachinery/pkg/watch"
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
	// loaded counts the objects the handler was given (added minus deleted).
	loaded atomic.Int64

	// Guarded by tracker.mu.
	forbidden bool
	// forbiddenBeforeSync is true when the 403 came before the informer ever
	// synced: if it syncs later, RBAC was granted in the meantime.
	forbiddenBeforeSync bool
	restarts            int
	lastEvent           time.Time
	// live counts this informer's open watches that proved current (see
	// tracker.watchStarted): while one is open, no change is missed, even
	// if the probe failed meanwhile.
	live int
	// everLive is set by the first such watch: before it the informer is
	// syncing (Synced says so), not stale.
	everLive bool
	// gapSince is when the last live watch ended, zero while one is open.
	// Changes made since then may be missing from the cache.
	gapSince time.Time
	gapSeq   uint64 // tracker sequence number at gapSince
}

// rewatchGrace is how long an informer may go without an open watch before
// the cache calls itself stale. A watch the server ends on its timeout is
// resumed within milliseconds; one that stays closed longer means the
// server is gone, or the informer is relisting after 410 Gone.
const rewatchGrace = 2 * time.Second

// current reports whether w is receiving every change at now, errSeq being
// the tracker's last connection error. Call with tracker.mu held.
func (w *watched) current(now time.Time, errSeq uint64) bool {
	if w.live > 0 || !w.everLive || w.isForbidden() {
		return true
	}
	// Between two watches: fine for a moment, unless the server was found
	// unreachable since the last one ended (the outage ended it).
	return w.gapSeq > errSeq && now.Sub(w.gapSince) < rewatchGrace
}

// synced reports whether the initial list reached the cache and the handler.
func (w *watched) synced() bool { return w.handlerSynced != nil && w.handlerSynced() }

// isForbidden reports whether RBAC currently denies this informer. Call with tracker.mu held.
func (w *watched) isForbidden() bool {
	return w.forbidden && !(w.forbiddenBeforeSync && w.synced())
}

// tracker keeps the connection state fed by event handlers, watch error
// handlers, the informers' list/watch calls and the probe. Informer
// goroutines call it, so it only takes a mutex and never blocks on I/O.
//
// What happened in which order is kept as sequence numbers, not times, so
// that a test clock (Options.Now) or a coarse system clock cannot make two
// moments equal.
type tracker struct {
	now func() time.Time
	all []*watched // every informer, set once by New

	mu        sync.Mutex
	seq       uint64    // last sequence number handed out
	heardSeq  uint64    // last successful delivery, list, watch start or probe
	errSeq    uint64    // last error meaning "cannot reach the API server"
	lastHeard time.Time // when heardSeq happened
	// unreachableSince is when the server was last heard before the
	// current outage began: the data is at least this fresh.
	unreachableSince time.Time
	// staleSince is the StaleSince of the current stale spell, zero while live.
	staleSince time.Time
	lastErr    string
}

// next hands out the next sequence number. Call with t.mu held.
func (t *tracker) next() uint64 {
	t.seq++
	return t.seq
}

// heardLocked records that the API server answered. Call with t.mu held.
func (t *tracker) heardLocked(now time.Time) {
	t.heardSeq = t.next()
	t.lastHeard = now
}

// failedLocked records an error meaning the API server could not be reached
// (or lost data for an informer, which then has to relist). Call with t.mu held.
func (t *tracker) failedLocked(err error) {
	if t.reachableLocked() {
		t.unreachableSince = t.lastHeard
	}
	t.errSeq = t.next()
	t.lastErr = oneLine(err)
}

// heard records a delivery from w: the API server is reachable and w is readable.
func (t *tracker) heard(w *watched) {
	now := t.now()
	t.mu.Lock()
	t.heardLocked(now)
	w.lastEvent = now
	w.forbidden = false
	t.mu.Unlock()
}

// watchError is the informer's WatchErrorHandlerWithContext for w. It
// reports whether the error is worth logging: a 403 is logged once, not on
// every retry (namespaced RBAC denies nodes for the life of the process).
//
// The reflector retries "connection refused" on its own without calling
// this handler, so an outage is also noticed by the probe.
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
		t.lastErr = oneLine(err)
		return log
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		apierrors.IsResourceExpired(err), apierrors.IsGone(err):
		// A watch ended normally or its resource version expired: the
		// reflector relists; nothing is wrong with the connection.
	default:
		t.failedLocked(err)
	}
	return true
}

// recordingListWatch wraps lw so that w's successful lists and its watches
// are recorded: after an outage the cache stays stale until every informer
// has caught up (watches again), not merely until the probe gets an answer.
func (t *tracker) recordingListWatch(w *watched, lw *cache.ListWatch) *cache.ListWatch {
	return &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
			obj, err := untilReachable(ctx, t, func() (runtime.Object, error) { return lw.ListWithContext(ctx, opts) })
			if err != nil {
				return obj, err
			}
			// A paged list is complete with its last page.
			if l, lerr := meta.ListAccessor(obj); lerr == nil && l.GetContinue() == "" {
				now := t.now()
				t.mu.Lock()
				t.heardLocked(now)
				t.mu.Unlock()
			}
			return obj, nil
		},
		WatchFuncWithContext: func(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
			wi, err := untilReachable(ctx, t, func() (watch.Interface, error) { return lw.WatchWithContext(ctx, opts) })
			if err != nil {
				return wi, err
			}
			initial := opts.SendInitialEvents != nil && *opts.SendInitialEvents
			return t.watchStarted(w, wi, initial), nil
		},
	}
}

// retryEvery is how often a list or watch that could not reach the API
// server is tried again.
const retryEvery = 500 * time.Millisecond

// untilReachable calls call until it gets past the dial, retrying every
// retryEvery while the API server cannot be reached, and tells t at once.
//
// It is the dashboard's one reconnect gate, and unreachableErr its one
// definition of "unreachable": the client's transport is not gated.
//
// Why: the reflector backs off on every failed list or watch, doubling up
// to 30 s and forgetting only after 2 minutes without failures, and the
// backoff cannot be configured through a SharedInformerFactory. Waiting
// here instead of failing keeps that backoff from growing over outages, so
// an informer resumes within retryEvery of the server's return.
func untilReachable[T any](ctx context.Context, t *tracker, call func() (T, error)) (T, error) {
	for {
		v, err := call()
		if err == nil || !unreachableErr(err) || ctx.Err() != nil {
			return v, err
		}
		t.mu.Lock()
		t.failedLocked(err)
		t.mu.Unlock()
		select {
		case <-ctx.Done():
			return v, err
		case <-time.After(retryEvery):
		}
	}
}

// unreachableErr reports whether err means no connection to the API server
// could be made (refused, no route, dial timeout), as opposed to an answer
// or a broken stream.
func unreachableErr(err error) bool {
	var op *net.OpError
	return utilnet.IsConnectionRefused(err) || (errors.As(err, &op) && op.Op == "dial")
}

// watchStarted records a watch that w's reflector opened and returns it
// wrapped, so that its events and its end are seen on their way through.
//
// A watch resumed from a resource version (or started after a plain list)
// makes w live when it starts, unless its first event is an error (410
// Gone: the informer must relist, so the gap goes on). A streaming list
// (initial events) makes it live only at the bookmark that ends the
// initial events, when the reflector swaps in the new list.
func (t *tracker) watchStarted(w *watched, inner watch.Interface, initial bool) watch.Interface {
	var prevGap time.Time
	var prevGapSeq uint64
	counted := false
	count := func() {
		now := t.now()
		t.mu.Lock()
		prevGap, prevGapSeq, counted = w.gapSince, w.gapSeq, true
		w.live++
		w.everLive = true
		w.gapSince, w.gapSeq = time.Time{}, 0
		t.heardLocked(now)
		t.mu.Unlock()
	}
	uncount := func(failed bool) {
		now := t.now()
		t.mu.Lock()
		w.live--
		counted = false
		if w.live == 0 {
			w.gapSince, w.gapSeq = now, t.next()
			if failed && !prevGap.IsZero() {
				w.gapSince, w.gapSeq = prevGap, prevGapSeq // the resume failed: the gap goes on
			}
		}
		t.mu.Unlock()
	}
	if !initial {
		count()
	}
	rw := &recordingWatch{inner: inner, out: make(chan watch.Event), stop: make(chan struct{})}
	go rw.run(func(first bool, e watch.Event) {
		switch {
		case initial && !counted && e.Type == watch.Bookmark && initialEventsEnd(e.Object):
			count()
		case first && counted && !initial && e.Type == watch.Error:
			uncount(true) // the resume failed: it proved nothing
		}
	}, func() {
		if counted {
			uncount(false)
		}
	})
	return rw
}

// initialEventsEnd reports whether obj is the bookmark ending a streaming list.
func initialEventsEnd(obj runtime.Object) bool {
	m, err := meta.Accessor(obj)
	return err == nil && m.GetAnnotations()[metav1.InitialEventsAnnotationKey] == "true"
}

// recordingWatch forwards a watch's events, letting watchStarted look at
// each one and learn when the watch ends.
type recordingWatch struct {
	inner watch.Interface
	out   chan watch.Event
	stop  chan struct{}
	once  sync.Once
}

// Stop implements watch.Interface.
func (r *recordingWatch) Stop() {
	r.once.Do(func() {
		close(r.stop)
		r.inner.Stop()
	})
}

// ResultChan implements watch.Interface.
func (r *recordingWatch) ResultChan() <-chan watch.Event { return r.out }

// run forwards events until the inner watch ends or Stop is called.
func (r *recordingWatch) run(seen func(first bool, e watch.Event), ended func()) {
	defer ended()
	defer close(r.out)
	in := r.inner.ResultChan()
	for first := true; ; first = false {
		select {
		case e, ok := <-in:
			if !ok {
				return
			}
			seen(first, e)
			select {
			case r.out <- e:
			case <-r.stop:
				return
			}
		case <-r.stop:
			return
		}
	}
}

// probeResult records the outcome of one probe.
func (t *tracker) probeResult(err error) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if reachable(err) {
		t.heardLocked(now)
		if err != nil && !apierrors.IsForbidden(err) {
			t.lastErr = oneLine(err) // answered, but not ready
		}
		return
	}
	t.failedLocked(err)
}

// reachable reports whether a probe error still means the API server
// answered. Any HTTP answer does (a 403 means we may not read /readyz; a
// 500 with a list of failed checks means it is starting or degraded, while
// lists and watches often already work), except the gateway errors a proxy
// in front of an unreachable server sends.
func reachable(err error) bool {
	if err == nil {
		return true
	}
	var st apierrors.APIStatus
	if !errors.As(err, &st) {
		return false // transport error: refused, timeout, DNS, TLS
	}
	switch st.Status().Code {
	case 0, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return false
	}
	return true
}

// maxErrLen bounds LastError: it goes into one log line.
const maxErrLen = 300

// oneLine shortens err to one log line. A /readyz failure carries the whole
// multi-line check report; only the names of the failed checks are kept.
func oneLine(err error) string {
	var st apierrors.APIStatus
	if errors.As(err, &st) {
		s := st.Status()
		if s.Details != nil {
			for _, c := range s.Details.Causes {
				if c.Type != metav1.CauseTypeUnexpectedServerResponse {
					continue
				}
				if failed := failedChecks(c.Message); len(failed) > 0 {
					return truncate(fmt.Sprintf("API server answered HTTP %d: not ready: %s", s.Code, strings.Join(failed, ", ")))
				}
			}
		}
	}
	return truncate(strings.Join(strings.Fields(err.Error()), " "))
}

// failedChecks returns the names of the "[-]name failed: …" lines of a
// /readyz or /livez report.
func failedChecks(report string) []string {
	var out []string
	for line := range strings.Lines(report) {
		name, ok := strings.CutPrefix(strings.TrimSpace(line), "[-]")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, " ")
		out = append(out, name)
	}
	return out
}

func truncate(s string) string {
	if len(s) <= maxErrLen {
		return s
	}
	cut := maxErrLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
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

// reachableLocked reports whether the API server answered after the last
// error. Call with t.mu held.
func (t *tracker) reachableLocked() bool { return t.heardSeq >= t.errSeq }

// freshnessLocked reports whether the cache is live: the API server is
// reachable and every readable informer is watching (see watched.current).
// When it is not, since is how fresh the data is at least: when the server
// was last heard, or when the earliest informer stopped watching. Call with
// t.mu held.
//
// why explains a stale cache the server still answers for: which informer
// stopped watching. It is empty otherwise (LastError explains an outage).
func (t *tracker) freshnessLocked() (live bool, since time.Time, why string) {
	reachable := t.reachableLocked()
	live = reachable
	if !live {
		since = t.unreachableSince
	}
	now := t.now()
	for _, w := range t.all {
		if w.current(now, t.errSeq) {
			continue
		}
		live = false
		if since.IsZero() || w.gapSince.Before(since) {
			since = w.gapSince
			if reachable {
				why = fmt.Sprintf("%s watch ended at %s and has not resumed", w.resource, w.gapSince.UTC().Format(time.TimeOnly))
			}
		}
	}
	return live, since, why
}

// status builds the SyncStatus over the informers in order of resource.
func (t *tracker) status() SyncStatus {
	order := []Resource{ResourcePods, ResourceEvents, ResourceNodes}
	states := make([]ResourceState, 0, len(order))
	for _, r := range order {
		st := ResourceState{Resource: r, Synced: true}
		found := false
		for _, w := range t.all {
			if w.resource != r {
				continue
			}
			found = true
			synced := w.synced()
			loaded := int(w.loaded.Load())
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
	s := SyncStatus{Resources: states, LastError: t.lastErr, LastHeard: t.lastHeard}
	live, since, why := t.freshnessLocked()
	if why != "" {
		s.LastError = why
	}
	// StaleSince only moves back within one stale spell: what is learnt
	// later (the probe failing, another informer's gap) can only make the
	// data older, never fresher.
	switch {
	case live:
		t.staleSince = time.Time{}
	case t.staleSince.IsZero() || (!since.IsZero() && since.Before(t.staleSince)):
		t.staleSince = since
	}
	s.Connected = live
	if !live {
		s.StaleSince = t.staleSince
	}
	return s
}

// forbidden reports whether every informer of r is denied by RBAC.
func (t *tracker) forbidden(r Resource) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	found := false
	for _, w := range t.all {
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
