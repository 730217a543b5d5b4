package podindex

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/google/btree"
	"github.com/podlens/podlens/internal/diagnose"
	"k8s.io/client-go/tools/cache"
)

// Index holds the publisher's entries in the shapes its readers ask for,
// kept up to date on every change, so that a query or a push costs what it
// shows rather than the size of the cluster (target in docs/performance.md: p50 ≤ 10 ms at 50,000
// pods). The default list — problems first, then by namespace and name —
// is a walk over the Critical and Warning trees; a namespace filter is a
// range of each tree; the summary is a merge of per-namespace summaries,
// each recomputed only after a change in its namespace.
//
// Writers hold the publisher's entriesMu exclusively; readers hold it
// shared. The per-namespace summaries are filled lazily by readers, under
// summaryMu.
type Index struct {
	byKey map[cache.ObjectName]*Entry
	// bySeverity has one tree per severity, each in namespace and name order.
	bySeverity [diagnose.Critical + 1]*btree.BTreeG[*Entry]
	namespaces map[string]*namespacePods
	// sortedNamespaces are the namespaces' names, sorted (the filter's
	// suggestions); rebuilt when a namespace gains its first pod or loses
	// its last.
	sortedNamespaces []string
	byNode           map[string]map[cache.ObjectName]*Entry

	summaryMu sync.Mutex
	// merged are summaries of scopes read since the last change, by the
	// scope's namespaces joined with commas; cleared on every change.
	merged map[string]diagnose.Summary
}

// maxMergedScopes bounds merged: the scopes come from viewers' queries.
const maxMergedScopes = 64

// namespacePods are one namespace's entries and their summary.
type namespacePods struct {
	pods map[string]*Entry
	// summary is nil until a reader needs it after a change.
	summary *diagnose.Summary
}

// keyOrder orders entries by namespace and name.
func keyOrder(a, b *Entry) bool {
	if a.key.Namespace != b.key.Namespace {
		return a.key.Namespace < b.key.Namespace
	}
	return a.key.Name < b.key.Name
}

// btreeDegree is the trees' node size: wide nodes, few pointers per pod.
const btreeDegree = 32

func NewIndex() *Index {
	ix := &Index{
		byKey:      map[cache.ObjectName]*Entry{},
		namespaces: map[string]*namespacePods{},
		byNode:     map[string]map[cache.ObjectName]*Entry{},
	}
	for s := range ix.bySeverity {
		ix.bySeverity[s] = btree.NewG(btreeDegree, keyOrder)
	}
	return ix
}

// Get returns the entry for key.
func (ix *Index) Get(key cache.ObjectName) (*Entry, bool) {
	e, ok := ix.byKey[key]
	return e, ok
}

// Len is how many pods the index holds.
func (ix *Index) Len() int { return len(ix.byKey) }

// tree is the tree of the entry's severity.
func (ix *Index) tree(s diagnose.Severity) *btree.BTreeG[*Entry] {
	return ix.bySeverity[min(max(s, diagnose.OK), diagnose.Critical)]
}

// Set stores e, replacing the entry of the same key.
func (ix *Index) Set(e *Entry) {
	ix.Remove(e.key)
	ix.byKey[e.key] = e
	ix.tree(e.diag.Severity).ReplaceOrInsert(e)
	ns := ix.namespaces[e.key.Namespace]
	if ns == nil {
		ns = &namespacePods{pods: map[string]*Entry{}}
		ix.namespaces[e.key.Namespace] = ns
		ix.sortNamespaces()
	}
	ns.pods[e.key.Name] = e
	ns.summary = nil
	clear(ix.merged)
	if node := e.pod.Spec.NodeName; node != "" {
		on := ix.byNode[node]
		if on == nil {
			on = map[cache.ObjectName]*Entry{}
			ix.byNode[node] = on
		}
		on[e.key] = e
	}
}

// Remove forgets the entry for key, if any.
func (ix *Index) Remove(key cache.ObjectName) {
	old, ok := ix.byKey[key]
	if !ok {
		return
	}
	delete(ix.byKey, key)
	ix.tree(old.diag.Severity).Delete(old)
	if ns := ix.namespaces[key.Namespace]; ns != nil {
		delete(ns.pods, key.Name)
		ns.summary = nil
		clear(ix.merged)
		if len(ns.pods) == 0 {
			delete(ix.namespaces, key.Namespace)
			ix.sortNamespaces()
		}
	}
	if node := old.pod.Spec.NodeName; node != "" {
		delete(ix.byNode[node], key)
		if len(ix.byNode[node]) == 0 {
			delete(ix.byNode, node)
		}
	}
}

func (ix *Index) sortNamespaces() {
	ix.sortedNamespaces = slices.Sorted(maps.Keys(ix.namespaces))
}

// OnNode returns the entries of the pods bound to node, in list order.
func (ix *Index) OnNode(node string) []*Entry {
	out := slices.Collect(maps.Values(ix.byNode[node]))
	slices.SortFunc(out, Query{}.compare)
	return out
}

// PodsByNode returns every bound pod's entry by node name, in no order.
func (ix *Index) PodsByNode() map[string][]*Entry {
	out := make(map[string][]*Entry, len(ix.byNode))
	for node, pods := range ix.byNode {
		out[node] = slices.Collect(maps.Values(pods))
	}
	return out
}

// severities are the trees a query reads, in the order it lists them.
func (q Query) severities() []diagnose.Severity {
	var ss []diagnose.Severity
	switch {
	case q.HasSeverity:
		ss = []diagnose.Severity{q.Severity}
	case !q.All:
		ss = []diagnose.Severity{diagnose.Warning, diagnose.Critical}
	default:
		ss = []diagnose.Severity{diagnose.OK, diagnose.Info, diagnose.Warning, diagnose.Critical}
	}
	if q.bySeverityDescending() {
		slices.Reverse(ss)
	}
	return ss
}

// walksInOrder reports whether the trees, read one after the other, are
// already in the query's order: severity, then namespace and name.
func (q Query) walksInOrder() bool { return q.Sort == "" || q.Sort == "severity" }

// bySeverityDescending: the default order lists the most urgent first;
// "severity" sorts ascending; desc reverses either.
func (q Query) bySeverityDescending() bool { return (q.Sort == "") != q.Desc }

// candidates calls yield with every entry in the query's scope and
// severities, in severity, namespace and name order, until yield returns
// false. Other filters are the caller's.
func (ix *Index) candidates(q Query, yield func(*Entry) bool) {
	namespaces := q.scope()
	for _, s := range q.severities() {
		t := ix.bySeverity[s]
		if len(namespaces) == 0 {
			more := true
			t.Ascend(func(e *Entry) bool {
				more = yield(e)
				return more
			})
			if !more {
				return
			}
			continue
		}
		for _, ns := range namespaces {
			more := true
			// Every name sorts after "" and before any name in the next
			// namespace, whose key starts with ns + "\x00" or greater.
			t.AscendRange(&Entry{key: cache.ObjectName{Namespace: ns}}, &Entry{key: cache.ObjectName{Namespace: ns + "\x00"}},
				func(e *Entry) bool {
					more = yield(e)
					return more
				})
			if !more {
				return
			}
		}
	}
}

// scope is the query's namespaces, sorted, without repeats; empty for all.
func (q Query) scope() []string {
	return slices.Compact(slices.Sorted(slices.Values(q.Namespaces)))
}

// scopeSize counts the pods in the query's namespaces.
func (ix *Index) scopeSize(q Query) int {
	if len(q.Namespaces) == 0 {
		return ix.Len()
	}
	n := 0
	for _, ns := range q.scope() {
		if p := ix.namespaces[ns]; p != nil {
			n += len(p.pods)
		}
	}
	return n
}

// summary merges the summaries of the namespaces in scope (every namespace
// when scope is empty), recomputing those changed since they were last read.
// Every caller passes the same top.
func (ix *Index) summary(scope []string, top int) diagnose.Summary {
	ix.summaryMu.Lock()
	defer ix.summaryMu.Unlock()
	key := strings.Join(scope, ",")
	if s, ok := ix.merged[key]; ok {
		return s
	}
	if ix.merged == nil || len(ix.merged) >= maxMergedScopes {
		ix.merged = map[string]diagnose.Summary{}
	}
	if len(scope) == 0 {
		scope = ix.sortedNamespaces
	} else {
		scope = Query{Namespaces: scope}.scope()
	}
	parts := make([]diagnose.Summary, 0, len(scope))
	for _, name := range scope {
		ns := ix.namespaces[name]
		if ns == nil {
			continue
		}
		if ns.summary == nil {
			members := make([]diagnose.GroupMember, 0, len(ns.pods))
			for _, e := range ns.pods {
				members = append(members, e.member())
			}
			s := diagnose.Summarize(members, top)
			ns.summary = &s
		}
		parts = append(parts, *ns.summary)
	}
	s := diagnose.Merge(top, parts...)
	ix.merged[key] = s
	return s
}

// List filters, sorts and pages entries, and summarises the query's scope.
// In the default order (and by severity) it walks the trees and keeps only
// the requested page; other orders sort the matching pods.
func (ix *Index) List(q Query, top int) Result {
	res := Result{Namespaces: ix.sortedNamespaces, Scoped: ix.scopeSize(q)}
	size := cmp.Or(q.PageSize, DefaultPageSize)
	if q.walksInOrder() {
		page := max(q.Page, 1)
		res.Matched, res.Rows = ix.walk(q, (page-1)*size, size)
		res.Pages = max(1, (res.Matched+size-1)/size)
		if res.Page = min(page, res.Pages); res.Page != page { // past the end: show the last page
			_, res.Rows = ix.walk(q, (res.Page-1)*size, size)
		}
	} else {
		var matched []*Entry
		ix.candidates(q, func(e *Entry) bool {
			if q.matches(e) {
				matched = append(matched, e)
			}
			return true
		})
		slices.SortFunc(matched, q.compare)
		res.Matched = len(matched)
		res.Pages = max(1, (len(matched)+size-1)/size)
		res.Page = min(max(q.Page, 1), res.Pages)
		start := (res.Page - 1) * size
		res.Rows = matched[start:min(start+size, len(matched))]
	}
	res.Summary = ix.summary(q.Namespaces, top)
	return res
}

// walk counts the entries matching q in order and returns those from the
// skip-th on, at most size of them.
func (ix *Index) walk(q Query, skip, size int) (int, []*Entry) {
	matched := 0
	var rows []*Entry
	ix.candidates(q, func(e *Entry) bool {
		if q.matches(e) {
			if matched >= skip && len(rows) < size {
				rows = append(rows, e)
			}
			matched++
		}
		return true
	})
	return matched, rows
}
