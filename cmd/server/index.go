package main

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

// podIndex holds the publisher's entries in the shapes its readers ask for,
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
type podIndex struct {
	byKey map[cache.ObjectName]*podEntry
	// bySeverity has one tree per severity, each in namespace and name order.
	bySeverity [diagnose.Critical + 1]*btree.BTreeG[*podEntry]
	namespaces map[string]*namespacePods
	// sortedNamespaces are the namespaces' names, sorted (the filter's
	// suggestions); rebuilt when a namespace gains its first pod or loses
	// its last.
	sortedNamespaces []string
	byNode           map[string]map[cache.ObjectName]*podEntry

	summaryMu sync.Mutex
	// merged are summaries of scopes read since the last change, by the
	// scope's namespaces joined with commas; cleared on every change.
	merged map[string]diagnose.Summary
}

// maxMergedScopes bounds merged: the scopes come from viewers' queries.
const maxMergedScopes = 64

// namespacePods are one namespace's entries and their summary.
type namespacePods struct {
	pods map[string]*podEntry
	// summary is nil until a reader needs it after a change.
	summary *diagnose.Summary
}

// keyOrder orders entries by namespace and name.
func keyOrder(a, b *podEntry) bool {
	if a.key.Namespace != b.key.Namespace {
		return a.key.Namespace < b.key.Namespace
	}
	return a.key.Name < b.key.Name
}

// btreeDegree is the trees' node size: wide nodes, few pointers per pod.
const btreeDegree = 32

func newPodIndex() *podIndex {
	ix := &podIndex{
		byKey:      map[cache.ObjectName]*podEntry{},
		namespaces: map[string]*namespacePods{},
		byNode:     map[string]map[cache.ObjectName]*podEntry{},
	}
	for s := range ix.bySeverity {
		ix.bySeverity[s] = btree.NewG(btreeDegree, keyOrder)
	}
	return ix
}

// get returns the entry for key.
func (ix *podIndex) get(key cache.ObjectName) (*podEntry, bool) {
	e, ok := ix.byKey[key]
	return e, ok
}

// len is how many pods the index holds.
func (ix *podIndex) len() int { return len(ix.byKey) }

// tree is the tree of the entry's severity.
func (ix *podIndex) tree(s diagnose.Severity) *btree.BTreeG[*podEntry] {
	return ix.bySeverity[min(max(s, diagnose.OK), diagnose.Critical)]
}

// set stores e, replacing the entry of the same key.
func (ix *podIndex) set(e *podEntry) {
	ix.remove(e.key)
	ix.byKey[e.key] = e
	ix.tree(e.diag.Severity).ReplaceOrInsert(e)
	ns := ix.namespaces[e.key.Namespace]
	if ns == nil {
		ns = &namespacePods{pods: map[string]*podEntry{}}
		ix.namespaces[e.key.Namespace] = ns
		ix.sortNamespaces()
	}
	ns.pods[e.key.Name] = e
	ns.summary = nil
	clear(ix.merged)
	if node := e.pod.Spec.NodeName; node != "" {
		on := ix.byNode[node]
		if on == nil {
			on = map[cache.ObjectName]*podEntry{}
			ix.byNode[node] = on
		}
		on[e.key] = e
	}
}

// remove forgets the entry for key, if any.
func (ix *podIndex) remove(key cache.ObjectName) {
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

func (ix *podIndex) sortNamespaces() {
	ix.sortedNamespaces = slices.Sorted(maps.Keys(ix.namespaces))
}

// onNode returns the entries of the pods bound to node, in list order.
func (ix *podIndex) onNode(node string) []*podEntry {
	out := slices.Collect(maps.Values(ix.byNode[node]))
	slices.SortFunc(out, listQuery{}.compare)
	return out
}

// podsByNode returns every bound pod's entry by node name, in no order.
func (ix *podIndex) podsByNode() map[string][]*podEntry {
	out := make(map[string][]*podEntry, len(ix.byNode))
	for node, pods := range ix.byNode {
		out[node] = slices.Collect(maps.Values(pods))
	}
	return out
}

// severities are the trees a query reads, in the order it lists them.
func (q listQuery) severities() []diagnose.Severity {
	var ss []diagnose.Severity
	switch {
	case q.hasSeverity:
		ss = []diagnose.Severity{q.severity}
	case !q.all:
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
func (q listQuery) walksInOrder() bool { return q.sort == "" || q.sort == "severity" }

// bySeverityDescending: the default order lists the most urgent first;
// "severity" sorts ascending; desc reverses either.
func (q listQuery) bySeverityDescending() bool { return (q.sort == "") != q.desc }

// candidates calls yield with every entry in the query's scope and
// severities, in severity, namespace and name order, until yield returns
// false. Other filters are the caller's.
func (ix *podIndex) candidates(q listQuery, yield func(*podEntry) bool) {
	namespaces := q.scope()
	for _, s := range q.severities() {
		t := ix.bySeverity[s]
		if len(namespaces) == 0 {
			more := true
			t.Ascend(func(e *podEntry) bool {
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
			t.AscendRange(&podEntry{key: cache.ObjectName{Namespace: ns}}, &podEntry{key: cache.ObjectName{Namespace: ns + "\x00"}},
				func(e *podEntry) bool {
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
func (q listQuery) scope() []string {
	return slices.Compact(slices.Sorted(slices.Values(q.namespaces)))
}

// scopeSize counts the pods in the query's namespaces.
func (ix *podIndex) scopeSize(q listQuery) int {
	if len(q.namespaces) == 0 {
		return ix.len()
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
func (ix *podIndex) summary(scope []string, top int) diagnose.Summary {
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
		scope = listQuery{namespaces: scope}.scope()
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

// list filters, sorts and pages entries, and summarises the query's scope.
// In the default order (and by severity) it walks the trees and keeps only
// the requested page; other orders sort the matching pods.
func (ix *podIndex) list(q listQuery, top int) listResult {
	res := listResult{namespaces: ix.sortedNamespaces, scoped: ix.scopeSize(q)}
	size := cmp.Or(q.pageSize, defaultPageSize)
	if q.walksInOrder() {
		page := max(q.page, 1)
		res.matched, res.rows = ix.walk(q, (page-1)*size, size)
		res.pages = max(1, (res.matched+size-1)/size)
		if res.page = min(page, res.pages); res.page != page { // past the end: show the last page
			_, res.rows = ix.walk(q, (res.page-1)*size, size)
		}
	} else {
		var matched []*podEntry
		ix.candidates(q, func(e *podEntry) bool {
			if q.matches(e) {
				matched = append(matched, e)
			}
			return true
		})
		slices.SortFunc(matched, q.compare)
		res.matched = len(matched)
		res.pages = max(1, (len(matched)+size-1)/size)
		res.page = min(max(q.page, 1), res.pages)
		start := (res.page - 1) * size
		res.rows = matched[start:min(start+size, len(matched))]
	}
	res.summary = ix.summary(q.namespaces, top)
	return res
}

// walk counts the entries matching q in order and returns those from the
// skip-th on, at most size of them.
func (ix *podIndex) walk(q listQuery, skip, size int) (int, []*podEntry) {
	matched := 0
	var rows []*podEntry
	ix.candidates(q, func(e *podEntry) bool {
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
