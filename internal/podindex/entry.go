package podindex

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/podlens/podlens/internal/diagnose"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/tools/cache"
)

// Entry is the publisher's last computed view of one pod: diagnosed once
// per change ("work on write"), read by every page, API call and viewer.
// Never modify an entry after it is stored; replace it.
type Entry struct {
	key   cache.ObjectName
	pod   *corev1.Pod // shared with the informer cache: never modify
	diag  diagnose.Diagnosis
	owner diagnose.Owner
	cols  diagnose.Columns
}

// NewEntry diagnoses nothing: it keeps d with what every reader derives
// from the pod, so that listing and sorting never recompute it.
func NewEntry(key cache.ObjectName, pod *corev1.Pod, d diagnose.Diagnosis, now time.Time) *Entry {
	return &Entry{key: key, pod: pod, diag: d, owner: diagnose.OwnerOf(pod), cols: ColumnsAt(pod, now)}
}

// Key is the pod's namespace and name.
func (e *Entry) Key() cache.ObjectName { return e.key }

// Pod is the pod as cached. It is shared with the informer cache: never
// modify it.
func (e *Entry) Pod() *corev1.Pod { return e.pod }

// Diagnosis is the pod's diagnosis when the entry was made.
func (e *Entry) Diagnosis() diagnose.Diagnosis { return e.diag }

// Owner is the pod's controlling owner, found once per change.
func (e *Entry) Owner() diagnose.Owner { return e.owner }

// ColumnsAt returns kubectl's columns for the pod at now, filling the basics
// from the pod itself should diagnose return nothing. Renderers call it with
// the render time so AGE does not drift from the entry's diagnosis time.
func ColumnsAt(pod *corev1.Pod, now time.Time) diagnose.Columns {
	c := diagnose.KubectlColumns(pod, now)
	if c == (diagnose.Columns{}) {
		c.Status = string(pod.Status.Phase)
		c.Node, c.IP = cmp.Or(pod.Spec.NodeName, "<none>"), cmp.Or(pod.Status.PodIP, "<none>")
		c.Ready, c.Restarts, c.Age = "-", "0", "-"
	}
	return c
}

// member turns an entry into grouping input.
func (e *Entry) member() diagnose.GroupMember {
	return diagnose.GroupMember{Namespace: e.key.Namespace, Pod: e.key.Name, Owner: e.owner, Diagnosis: e.diag}
}

// Result is one page of a pod list plus the overview around it.
type Result struct {
	Rows    []*Entry
	Matched int
	// scoped counts the pods in the query's namespaces (the summary's scope).
	Scoped  int
	Page    int
	Pages   int
	Summary diagnose.Summary
	// namespaces are every namespace with a pod, sorted (the filter's suggestions).
	Namespaces []string
}

// inScope reports whether the entry is in the query's namespaces.
func (q Query) inScope(e *Entry) bool {
	return len(q.Namespaces) == 0 || slices.Contains(q.Namespaces, e.key.Namespace)
}

// matches reports whether the entry passes every filter of the query.
func (q Query) matches(e *Entry) bool {
	if !q.inScope(e) {
		return false
	}
	switch {
	case q.HasSeverity:
		if e.diag.Severity != q.Severity {
			return false
		}
	case !q.All:
		if e.diag.Severity < diagnose.Warning {
			return false
		}
	}
	if q.Selector != nil && !q.Selector.Empty() && !q.Selector.Matches(labels.Set(e.pod.Labels)) {
		return false
	}
	if q.Node != "" && e.pod.Spec.NodeName != q.Node {
		return false
	}
	if q.Status != "" && !strings.EqualFold(e.cols.Status, q.Status) {
		return false
	}
	if q.Code != "" && !slices.ContainsFunc(e.diag.Findings, func(f diagnose.Finding) bool { return f.Code == diagnose.Code(q.Code) }) {
		return false
	}
	if q.Owner != "" && !strings.EqualFold(e.owner.Kind+"/"+e.owner.Name, q.Owner) {
		return false
	}
	if q.Text != "" {
		search := q.search
		if search == nil { // a query built in code rather than parsed
			search = newTextSearch(q.Text)
		}
		if !e.mentions(search) {
			return false
		}
	}
	return true
}

// mentions reports whether the search text appears, ignoring ASCII case, in
// what the free-text filter searches: the pod's name, its images, its STATUS
// and its findings' codes. Searching on the fly keeps no copy of these per pod.
func (e *Entry) mentions(s *textSearch) bool {
	if s.in(e.key.Name) || s.in(e.cols.Status) {
		return true
	}
	for _, cs := range [][]corev1.Container{e.pod.Spec.InitContainers, e.pod.Spec.Containers} {
		for _, c := range cs {
			if s.in(c.Image) {
				return true
			}
		}
	}
	for _, f := range e.diag.Findings {
		if s.in(string(f.Code)) {
			return true
		}
	}
	return false
}

// textSearch finds one text in many fields, ignoring ASCII case, in one pass
// over each field (Knuth–Morris–Pratt). Comparing the text at every offset
// costs the field's length times the text's: tens of milliseconds per pod for
// a long image name, which a viewer's query would pay on every change. A
// search is immutable once built and shared by every reader of its query.
type textSearch struct {
	// text is the search text, ASCII letters lower-cased.
	text string
	// fallback[i] is the length of the longest proper prefix of text[:i+1]
	// that is also its suffix: where to resume after a mismatch at i+1.
	fallback []int
}

func newTextSearch(text string) *textSearch {
	s := &textSearch{text: lowerASCII(text), fallback: make([]int, len(text))}
	for i, k := 1, 0; i < len(s.text); i++ {
		for k > 0 && s.text[i] != s.text[k] {
			k = s.fallback[k-1]
		}
		if s.text[i] == s.text[k] {
			k++
		}
		s.fallback[i] = k
	}
	return s
}

// in reports whether the text appears in field, ignoring ASCII case, without
// allocating: each byte of field is read once, and the matched length falls
// back at most as often as it grew.
func (s *textSearch) in(field string) bool {
	if len(s.text) == 0 {
		return true
	}
	k := 0
	for i := 0; i < len(field); i++ {
		c := lowerASCIIByte(field[i])
		for k > 0 && c != s.text[k] {
			k = s.fallback[k-1]
		}
		if c == s.text[k] {
			k++
			if k == len(s.text) {
				return true
			}
		}
	}
	return false
}

func lowerASCIIByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerASCII lower-cases ASCII letters only, byte for byte, as in compares.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerASCIIByte(c)
	}
	return string(b)
}

// compare orders two entries by the query's sort column, problems first by
// default, then by namespace and name so the order is total.
func (q Query) compare(a, b *Entry) int {
	c := 0
	switch q.Sort {
	case "", "severity":
		c = cmp.Compare(a.diag.Severity, b.diag.Severity)
		if q.Sort == "" {
			c = -c // most urgent first
		}
	case "namespace":
		c = strings.Compare(a.key.Namespace, b.key.Namespace)
	case "name":
		c = strings.Compare(a.key.Name, b.key.Name)
	case "ready":
		c = strings.Compare(a.cols.Ready, b.cols.Ready)
	case "status":
		c = strings.Compare(a.cols.Status, b.cols.Status)
	case "restarts":
		c = cmp.Compare(a.cols.RestartCount, b.cols.RestartCount)
	case "age":
		// Younger first when ascending, as AGE grows downwards.
		c = b.pod.CreationTimestamp.Time.Compare(a.pod.CreationTimestamp.Time)
	case "node":
		c = strings.Compare(a.pod.Spec.NodeName, b.pod.Spec.NodeName)
	case "ip":
		c = strings.Compare(a.pod.Status.PodIP, b.pod.Status.PodIP)
	}
	if q.Desc {
		c = -c
	}
	if c != 0 {
		return c
	}
	if c = strings.Compare(a.key.Namespace, b.key.Namespace); c != 0 {
		return c
	}
	return strings.Compare(a.key.Name, b.key.Name)
}
