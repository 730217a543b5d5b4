package live

import (
	"bytes"
	"context"
	"log/slog"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/podindex"
	"github.com/podlens/podlens/web/templates"
	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

// PublisherConfig tunes the publisher's loops.
type PublisherConfig struct {
	// Workers diagnose changed pods concurrently.
	Workers int
	// FlushEvery is the shortest gap between two pushes: changes arriving
	// meanwhile are coalesced into one message per view. The first change
	// after a quiet spell is pushed at once; the gap also grows to twice
	// the last push's cost, so pushing never takes more than a third of
	// the time however large the cluster (target in docs/performance.md: a write reaches viewers
	// in ≤ 100 ms at p50).
	FlushEvery time.Duration
	// RefreshEvery re-renders every view so AGE and "ago" texts do not drift.
	// It re-renders and never re-diagnoses: a verdict that changes with time
	// alone comes back through the change queue at its RecheckAt (sync).
	RefreshEvery time.Duration
	// StatusEvery polls the cache's sync and connection state.
	StatusEvery time.Duration
}

func (c PublisherConfig) withDefaults() PublisherConfig {
	if c.Workers < 1 {
		c.Workers = 2
	}
	if c.FlushEvery <= 0 {
		c.FlushEvery = 25 * time.Millisecond
	}
	if c.RefreshEvery <= 0 {
		c.RefreshEvery = 30 * time.Second
	}
	if c.StatusEvery <= 0 {
		c.StatusEvery = time.Second
	}
	return c
}

// announceNewPodsFor is how young a pod seen for the first time must be for
// its critical state to be announced as new.
const announceNewPodsFor = time.Minute

// PublisherMetrics are the observers the publisher reports to. It takes
// these rather than the server's whole metrics, so what it measures is
// visible here and the server's wiring alone decides where the numbers go.
type PublisherMetrics struct {
	// DiagnoseSeconds observes one pod's diagnosis.
	DiagnoseSeconds prometheus.Observer
	// PushSeconds observes working out and rendering one view's push.
	PushSeconds prometheus.Observer
	// LastChange is set when a pod change has been processed.
	LastChange prometheus.Gauge
	// Disconnects counts the times the cluster became unreachable.
	Disconnects prometheus.Counter
}

// CacheState is what the publisher reads about the cache's health.
type CacheState interface {
	Synced() bool
	Status() informers.SyncStatus
}

// Publisher is the only place where informers, diagnose, templates and the
// hub meet. It follows sample-controller's worker loop: take a pod key from
// the cache's deduplicating queue, diagnose the pod once, keep the result
// (work on write), and push what changed to every view that shows it.
//
// Time goes through the same queue: a diagnosis says when the clock alone
// would change it (diagnose.Diagnosis.RecheckAt), and sync puts the key back
// with AddAfter for that instant. Nothing polls; a pod whose verdict cannot
// age is never diagnosed again until the cluster changes it.
type Publisher struct {
	log   *slog.Logger
	store informers.Store
	// changes hands out the keys of pods to diagnose: the cache's changes
	// and the re-diagnoses sync schedules.
	changes workqueue.TypedDelayingInterface[cache.ObjectName]
	state   CacheState
	hub     *Hub
	metrics PublisherMetrics
	site    Site
	now     func() time.Time
	cfg     PublisherConfig

	// entriesMu guards entries and dirty. Lock order: viewsMu, then entriesMu.
	entriesMu sync.RWMutex
	entries   *podindex.Index
	// dirty holds keys changed since the last flush; true means the pod just
	// became critical and screen readers should hear about it.
	dirty map[cache.ObjectName]bool

	// viewsMu guards views and serialises publishing, so that a viewer's
	// snapshot and the updates after it are queued in order.
	viewsMu sync.Mutex
	views   map[string]*viewState

	signal chan struct{}
}

// NewPublisher wires a publisher; nothing runs until Run.
func NewPublisher(log *slog.Logger, store informers.Store, changes workqueue.TypedDelayingInterface[cache.ObjectName], state CacheState,
	hub *Hub, m PublisherMetrics, s Site, now func() time.Time, cfg PublisherConfig) *Publisher {
	return &Publisher{
		log: log, store: store, changes: changes, state: state, hub: hub, metrics: m, site: s, now: now,
		cfg:     cfg.withDefaults(),
		entries: podindex.NewIndex(),
		dirty:   map[cache.ObjectName]bool{},
		views:   map[string]*viewState{},
		signal:  make(chan struct{}, 1),
	}
}

// Run processes changes until ctx is done.
func (p *Publisher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	stop := context.AfterFunc(ctx, p.changes.ShutDown) // unblocks Get
	defer stop()
	for range p.cfg.Workers {
		wg.Go(func() {
			for p.processNext() {
			}
		})
	}
	p.loop(ctx)
	wg.Wait()
}

// processNext handles one key; false once the queue shuts down.
func (p *Publisher) processNext() bool {
	key, shutdown := p.changes.Get()
	if shutdown {
		return false
	}
	defer p.changes.Done(key)
	p.sync(key)
	return true
}

// sync diagnoses one pod (or forgets a deleted one) and marks it dirty. When
// the verdict would change with time alone, the key goes back on the queue
// for that instant; should the pod be deleted meanwhile, that sync forgets it.
func (p *Publisher) sync(key cache.ObjectName) {
	pod, ok := p.store.Pod(key.Namespace, key.Name)
	var e *podindex.Entry
	if ok {
		now := p.now()
		start := time.Now()
		in := diagnose.PodInput{Pod: pod, Events: p.store.EventsFor(pod)}
		if pod.Spec.NodeName != "" {
			in.Node = p.store.Node(pod.Spec.NodeName)
		} else {
			in.Nodes = p.store.Nodes() // only scheduling questions need every node
		}
		d := diagnose.Pod(in, now)
		p.metrics.DiagnoseSeconds.Observe(time.Since(start).Seconds())
		e = podindex.NewEntry(key, pod, d, now)
		if !d.RecheckAt.IsZero() {
			// The queue keeps the earliest of a key's pending instants.
			p.changes.AddAfter(key, d.RecheckAt.Sub(now))
		}
	}
	p.metrics.LastChange.SetToCurrentTime()

	p.entriesMu.Lock()
	old, _ := p.entries.Get(key)
	if e != nil && old != nil && old.Pod() == pod && reflect.DeepEqual(old.Diagnosis(), e.Diagnosis()) {
		// The same pod found the same: keep the entry, so the index, the
		// namespace's summary and every view stay as they are. A diagnosis
		// holds no age, so this holds however much later it is made.
		p.entriesMu.Unlock()
		return
	}
	if e == nil {
		p.entries.Remove(key)
	} else {
		p.entries.Set(e)
	}
	// Screen readers hear about pods that turn critical, and about new pods
	// that are critical from the start, but not about every critical pod
	// found while the cache fills at startup.
	becameCritical := e != nil && e.Diagnosis().Severity == diagnose.Critical &&
		((old != nil && old.Diagnosis().Severity < diagnose.Critical) ||
			(old == nil && p.now().Sub(pod.CreationTimestamp.Time) < announceNewPodsFor))
	p.dirty[key] = p.dirty[key] || becameCritical
	p.entriesMu.Unlock()

	select {
	case p.signal <- struct{}{}:
	default:
	}
}

// loop pushes coalesced changes, refreshes ages and follows the cache state.
func (p *Publisher) loop(ctx context.Context) {
	refresh := time.NewTicker(p.cfg.RefreshEvery)
	defer refresh.Stop()
	status := time.NewTicker(p.cfg.StatusEvery)
	defer status.Stop()
	pause := time.NewTimer(0)
	defer pause.Stop()
	var wasConnected = true
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.signal:
			start := time.Now()
			p.flush(false)
			// Let changes pile up for a moment: one message per view per
			// interval, however many pods changed.
			pause.Reset(max(p.cfg.FlushEvery, 2*time.Since(start)))
			select {
			case <-ctx.Done():
				return
			case <-pause.C:
			}
		case <-refresh.C:
			p.flush(true)
		case <-status.C:
			st := p.state.Status()
			if wasConnected && !st.Connected && !st.StaleSince.IsZero() {
				p.metrics.Disconnects.Inc()
				p.log.Warn("cluster unreachable; serving cached data", "since", st.StaleSince, "error", st.LastError)
			}
			wasConnected = st.Connected || st.StaleSince.IsZero()
			p.flush(false)
		}
	}
}

// takeDirty returns and clears the changed keys.
func (p *Publisher) takeDirtyLocked() map[cache.ObjectName]bool {
	d := p.dirty
	p.dirty = map[cache.ObjectName]bool{}
	return d
}

// flush pushes to every view what changed since the last flush. With force
// every view is recomputed (ages drift even when nothing changes).
func (p *Publisher) flush(force bool) {
	p.viewsMu.Lock()
	defer p.viewsMu.Unlock()
	status := statusView(p.state.Status(), p.state.Synced())
	now := p.now()

	p.entriesMu.Lock()
	dirty := p.takeDirtyLocked()
	p.entriesMu.Unlock()

	p.entriesMu.RLock()
	defer p.entriesMu.RUnlock()
	for topic, vs := range p.views {
		if p.hub.Count(topic) == 0 {
			delete(p.views, topic)
			continue
		}
		start := time.Now()
		msgs := vs.update(p, dirty, status, now, force)
		if len(msgs) > 0 {
			vs.snap = nil
		}
		p.metrics.PushSeconds.Observe(time.Since(start).Seconds())
		for _, msg := range msgs {
			p.hub.Publish(topic, msg)
		}
	}
}

// Join subscribes a viewer to its view and queues the view's snapshot as
// its first message, atomically with respect to pushes, so the viewer never
// applies an older update after a newer snapshot.
func (p *Publisher) Join(v View) (*Subscription, error) {
	p.viewsMu.Lock()
	defer p.viewsMu.Unlock()
	topic := v.Topic()
	sub, err := p.hub.Subscribe(topic)
	if err != nil {
		return nil, err
	}
	vs := p.views[topic]
	p.entriesMu.RLock()
	defer p.entriesMu.RUnlock()
	if vs == nil {
		vs = &viewState{v: v}
		vs.update(p, nil, statusView(p.state.Status(), p.state.Synced()), p.now(), true)
		p.views[topic] = vs
	}
	if vs.snap == nil {
		vs.snap = vs.snapshot(p)
	}
	for _, msg := range vs.snap {
		sub.Offer(msg)
	}
	return sub, nil
}

// Entry returns the pod's last diagnosis, diagnosing on the spot a pod the
// Workers have not reached yet (during the initial sync).
func (p *Publisher) Entry(key cache.ObjectName) (*podindex.Entry, bool) {
	p.entriesMu.RLock()
	defer p.entriesMu.RUnlock()
	return p.entryLocked(key)
}

// entryLocked is Entry for callers holding entriesMu.
func (p *Publisher) entryLocked(key cache.ObjectName) (*podindex.Entry, bool) {
	if e, ok := p.entries.Get(key); ok {
		return e, true
	}
	pod, ok := p.store.Pod(key.Namespace, key.Name)
	if !ok {
		return nil, false
	}
	now := p.now()
	in := diagnose.PodInput{Pod: pod, Events: p.store.EventsFor(pod)}
	if pod.Spec.NodeName != "" {
		in.Node = p.store.Node(pod.Spec.NodeName)
	} else {
		in.Nodes = p.store.Nodes()
	}
	return podindex.NewEntry(key, pod, diagnose.Pod(in, now), now), true
}

// List runs a list query over the current entries.
func (p *Publisher) List(q podindex.Query) podindex.Result {
	p.entriesMu.RLock()
	defer p.entriesMu.RUnlock()
	return p.entries.List(q, topGroups)
}

// PodsOnNode returns the diagnosed pods bound to node, by name.
func (p *Publisher) PodsOnNode(node string) []*podindex.Entry {
	p.entriesMu.RLock()
	defer p.entriesMu.RUnlock()
	return p.entries.OnNode(node)
}

// PodsByNode groups every diagnosed pod by node name.
func (p *Publisher) PodsByNode() map[string][]*podindex.Entry {
	p.entriesMu.RLock()
	defer p.entriesMu.RUnlock()
	return p.entries.PodsByNode()
}

// Status returns the cache state for pages.
func (p *Publisher) Status() templates.Status {
	return statusView(p.state.Status(), p.state.Synced())
}

// viewState is what a view's viewers currently have on screen, so a push
// carries only the differences.
type viewState struct {
	v    View
	page templates.Page

	// List views.
	all     bool
	order   []cache.ObjectName
	rows    map[cache.ObjectName]templates.PodRow
	summary []byte
	groups  []byte
	meta    []byte

	// Pod views; node views too (their table or article).
	body []byte
	// Node views: what decides a re-render (nodes_live.go).
	nodes nodeLive

	status []byte

	// snap is the snapshot every joining viewer is sent, rendered once
	// after each change and shared (target in docs/performance.md: ≤ 64 KiB per idle viewer).
	// Messages are never modified once queued.
	snap [][]byte
}

// render renders a component to bytes; templ writes to a buffer cannot fail
// except through a component bug, which is logged and yields nothing.
func (p *Publisher) render(c templ.Component) []byte {
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		p.log.Error("rendering fragment", "error", err)
		return nil
	}
	return buf.Bytes()
}

// update recomputes the view and returns the fragments that changed as
// messages of out-of-band swaps (none when nothing changed).
//
// Table parts (rows, the table body) travel in a message of their own: the
// browser parses a message as a <template>'s content, where a <tr> or
// <tbody> after a <span> or <section> would be dropped by the HTML parser.
func (vs *viewState) update(p *Publisher, dirty map[cache.ObjectName]bool, st templates.Status, now time.Time, force bool) [][]byte {
	var msg, table bytes.Buffer
	status := p.render(templates.StatusFragment(vs.v.Lang, st, true))
	statusChanged := !bytes.Equal(status, vs.status)
	if statusChanged {
		vs.status = status
		msg.Write(status)
	}
	if vs.v.Kind == KindNodes || vs.v.Kind == KindNode {
		// A change to a node without pods queues no key: check every flush (nodes_live.go).
		vs.updateNodes(p, dirty, st, now, force, &msg)
		return messages(&table, &msg)
	}
	if !force && len(dirty) == 0 {
		return messages(&table, &msg)
	}
	vs.page = p.site.Page(vs.v, "", st)
	switch vs.v.Kind {
	case KindPods:
		if !force && !vs.touched(dirty) {
			return messages(&table, &msg) // no change in the view's namespaces
		}
		vs.updateList(p, dirty, now, force, &table, &msg)
	case KindPod:
		if _, ok := dirty[vs.v.Pod]; ok || force {
			body := p.render(templates.PodBody(p.podDetailLocked(vs.page, vs.v, now), true))
			if !bytes.Equal(body, vs.body) {
				vs.body = body
				msg.Write(body)
			}
		}
	}
	return messages(&table, &msg)
}

// messages returns the non-empty buffers' bytes, in order.
func messages(bufs ...*bytes.Buffer) [][]byte {
	var out [][]byte
	for _, b := range bufs {
		if b.Len() > 0 {
			out = append(out, b.Bytes())
		}
	}
	return out
}

func (vs *viewState) updateList(p *Publisher, dirty map[cache.ObjectName]bool, now time.Time, force bool, table, msg *bytes.Buffer) {
	q := vs.v.List
	res := p.entries.List(q, topGroups)
	order := make([]cache.ObjectName, len(res.Rows))
	rows := make(map[cache.ObjectName]templates.PodRow, len(res.Rows))
	ordered := make([]templates.PodRow, len(res.Rows))
	for i, e := range res.Rows {
		order[i] = e.Key()
		// A row whose pod did not change keeps what viewers have: only
		// its AGE could differ, and ages move on the periodic refresh, so
		// one pod's change costs one row (target in docs/performance.md: ≤ 2 KiB per change).
		if old, ok := vs.rows[e.Key()]; ok && !force {
			if _, changed := dirty[e.Key()]; !changed {
				ordered[i] = old
				rows[e.Key()] = old
				continue
			}
		}
		ordered[i] = rowView(vs.page, e, now)
		rows[e.Key()] = ordered[i]
	}
	if !slices.Equal(order, vs.order) || vs.rows == nil {
		// The set or order of rows changed: replace the table body.
		table.Write(p.render(templates.PodRows(vs.page, ordered, q.All || q.HasSeverity, true)))
	} else {
		for _, r := range ordered {
			if !rowEqual(r, vs.rows[cache.ObjectName{Namespace: r.Namespace, Name: r.Name}]) {
				table.Write(p.render(templates.PodRowView(vs.page, r, true)))
			}
		}
	}
	vs.order, vs.rows, vs.all = order, rows, q.All || q.HasSeverity

	for _, part := range []struct {
		old *[]byte
		c   templ.Component
	}{
		{&vs.summary, templates.SummaryBar(vs.v.Lang, SummaryView(vs.page, q, res.Summary), true)},
		{&vs.groups, templates.Groups(vs.page, GroupsView(vs.page, q, res.Summary.Top, now), true)},
		{&vs.meta, templates.ListMetaView(vs.v.Lang, MetaView(vs.page, q, res, len(res.Rows)), true)},
	} {
		b := p.render(part.c)
		if !bytes.Equal(b, *part.old) {
			*part.old = b
			msg.Write(b)
		}
	}
	var announce []string
	for _, key := range order { // in the order of the rows
		if r, shown := rows[key]; shown && dirty[key] {
			announce = append(announce, templates.Tr(vs.v.Lang, "new critical problem: %s/%s — %s", r.Namespace, r.Name, r.Summary))
		}
	}
	if len(announce) > 0 {
		msg.Write(p.render(templates.Announce(vs.v.Lang, announce)))
	}
}

// touched reports whether a changed key is in the list view's namespaces:
// nothing else can change what the view shows.
func (vs *viewState) touched(dirty map[cache.ObjectName]bool) bool {
	if len(vs.v.List.Namespaces) == 0 {
		return len(dirty) > 0
	}
	for key := range dirty {
		if slices.Contains(vs.v.List.Namespaces, key.Namespace) {
			return true
		}
	}
	return false
}

// snapshot is everything a (re)connecting viewer needs to be current: the
// table body in one message, the rest in another.
func (vs *viewState) snapshot(p *Publisher) [][]byte {
	var buf, table bytes.Buffer
	buf.Write(vs.status)
	switch vs.v.Kind {
	case KindPods:
		ordered := make([]templates.PodRow, len(vs.order))
		for i, k := range vs.order {
			ordered[i] = vs.rows[k]
		}
		table.Write(p.render(templates.PodRows(vs.page, ordered, vs.all, true)))
		buf.Write(vs.summary)
		buf.Write(vs.groups)
		buf.Write(vs.meta)
	case KindPod, KindNodes, KindNode:
		buf.Write(vs.body)
	}
	return messages(&table, &buf)
}

// podDetailLocked builds a pod page; the caller holds entriesMu.
func (p *Publisher) podDetailLocked(page templates.Page, v View, now time.Time) templates.PodDetail {
	e, ok := p.entryLocked(v.Pod)
	if !ok {
		return templates.PodDetail{Page: page, Missing: true, Row: templates.PodRow{Namespace: v.Pod.Namespace, Name: v.Pod.Name}}
	}
	return PodDetailView(page, e, p.store.EventsFor(e.Pod()), now)
}
