package templates

import (
	"net/url"
	"sort"
	"unicode/utf8"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/web/static"
)

// Page is what every page needs to build its chrome and its links. Every URL
// the dashboard writes is relative to Root, so the pages work behind any
// path prefix, proxy or kubectl port-forward.
type Page struct {
	// Root is the relative path from the current page to the application
	// root: "./" on "/", "../../" on "/pods/ns/name".
	Root string
	// Title is the document title (without the product name).
	Title string
	Lang  diagnose.Lang
	// Theme is "light", "dark" or "" (follow prefers-color-scheme).
	Theme string
	// Embed drops the header and navigation for iframes.
	Embed bool
	// Keep is the encoded query kept on every link (lang, theme, embed).
	Keep url.Values
	// Demo shows the demo banner.
	Demo bool
	// WS is the websocket URL relative to the root, with the view's query;
	// "" disables live updates for the page.
	WS string
	// FrameOrigins are the origins app.js may post its height to in embed mode.
	FrameOrigins string
	// Status is the connection and sync state shown in the header.
	Status Status
	// Nav marks the active navigation item: "pods" or "nodes".
	Nav string
	// Self is this page's application path ("" for the list, "pods/ns/name")
	// and Query its own query without the kept parameters; the language and
	// theme switches link back here.
	Self  string
	Query url.Values
}

// Switch links to this same page with one kept parameter changed ("" removes it).
func (p Page) Switch(key, value string) string {
	q := url.Values{}
	for k, vs := range p.Query {
		q[k] = vs
	}
	keep := url.Values{}
	for k, vs := range p.Keep {
		if k != key {
			keep[k] = vs
		}
	}
	if value != "" {
		keep.Set(key, value)
	}
	p.Keep = keep
	return p.Link(p.Self, q)
}

// Asset returns the URL of a static asset for this page.
func (p Page) Asset(name string) string { return p.Root + static.Path(name) }

// Link returns the URL of an application path ("pods/ns/name", "" for the
// list) with the kept parameters and the extra query q merged in.
func (p Page) Link(path string, q url.Values) string {
	v := url.Values{}
	for k, vs := range p.Keep {
		v[k] = vs
	}
	for k, vs := range q {
		v[k] = vs
	}
	s := p.Root + path
	if s == "" {
		s = "./"
	}
	if enc := v.Encode(); enc != "" {
		s += "?" + enc
	}
	return s
}

// maxShownRunes is how many characters of one text from the cluster a page
// shows: a full screen of a termination message or an event, and a bound on
// what a page costs however long the texts the API server accepted.
const maxShownRunes = 2000

// shorten returns s whole (more is 0) when it has at most maxShownRunes
// characters, otherwise its first maxShownRunes characters, cut between two
// characters, and how many characters it leaves out.
func shorten(s string) (head string, more int) {
	if len(s) <= maxShownRunes { // never more characters than bytes
		return s, 0
	}
	i := 0
	for n := 0; n < maxShownRunes && i < len(s); n++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i == len(s) {
		return s, 0
	}
	return s[:i], utf8.RuneCountInString(s[i:])
}

// PodAPI is the URL of the pod's JSON, where its texts are whole.
func (p Page) PodAPI(namespace, name string) string {
	return p.Root + "api/v1/" + PodPath(namespace, name)
}

// NodesAPI is the URL of the nodes' JSON, where their texts are whole.
func (p Page) NodesAPI() string { return p.Root + "api/v1/nodes" }

// PodPath is the application path of a pod's page.
func PodPath(namespace, name string) string {
	return "pods/" + url.PathEscape(namespace) + "/" + url.PathEscape(name)
}

// NodePath is the application path of a node's page.
func NodePath(name string) string { return "nodes/" + url.PathEscape(name) }

// RowID is the deterministic element id of a pod's row, used by the
// websocket pushes to swap it in place, so two pods must never share one.
// Namespaces are DNS labels ([a-z0-9-]) and pod names DNS subdomains
// ([a-z0-9.-]; Kubernetes "Object Names and IDs"): neither holds "_", which
// separates them, so "pod-a_b-c" and "pod-a-b_c" are a/b-c and a-b/c. Any
// other byte (only hostile or unvalidated input has one) is written as "Z"
// and two upper-case hex digits, an escape no valid name can spell. htmx
// looks the target up with "#" + CSS.escape(id), so "." needs no care.
func RowID(namespace, name string) string {
	b := make([]byte, 0, len("pod-_")+len(namespace)+len(name))
	b = append(b, "pod-"...)
	b = appendIDPart(b, namespace)
	b = append(b, '_')
	return string(appendIDPart(b, name))
}

// NodeRowID is the element id of a node's row, escaped as RowID's parts.
func NodeRowID(name string) string {
	return string(appendIDPart([]byte("node-"), name))
}

// appendIDPart appends s with every byte outside [a-z0-9.-] escaped.
func appendIDPart(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '.':
			b = append(b, c)
		default:
			b = append(b, 'Z', hex[c>>4], hex[c&0xf])
		}
	}
	return b
}

// Status is the cache's connection and sync state, preformatted.
type Status struct {
	Synced    bool
	Connected bool
	// StaleSince is the local time the data went stale ("14:03:12"), "" when fresh.
	StaleSince string
	Resources  []ResourceProgress
}

// ResourceProgress is the sync state of one watched kind.
type ResourceProgress struct {
	Name      string
	Loaded    int
	Synced    bool
	Forbidden bool
}

// PodRow is one line of the pod table: the kubectl columns and the verdict.
type PodRow struct {
	Namespace string
	Name      string
	Ready     string
	Status    string
	Restarts  string
	Age       string
	Node      string
	IP        string
	Severity  diagnose.Severity
	// Summary is the top finding's title in the page's language.
	Summary string
	Codes   []diagnose.Code
	// Href and NodeHref are the pod's and node's page URLs ("" without a node).
	Href     string
	NodeHref string
}

// ID is the row's element id.
func (r PodRow) ID() string { return RowID(r.Namespace, r.Name) }

// Filter is the pod list's query, as typed by the user, for the filter form.
type Filter struct {
	Namespace string
	Selector  string
	Node      string
	Status    string
	Severity  string
	Q         string
	All       bool
	Sort      string
	Desc      bool
}

// Column is a sortable column header.
type Column struct {
	Label string
	// Href sorts by this column (toggling the direction when already sorted).
	Href string
	// Sorted is "ascending", "descending" or "" for aria-sort.
	Sorted string
}

// CountLink is one count in the summary bar, linking to the filtered list.
type CountLink struct {
	Label    string
	Count    int
	Href     string
	Severity string // severity class name, "" for none
}

// GroupView is one shared root cause.
type GroupView struct {
	Severity diagnose.Severity
	Count    int
	Total    int
	Kind     string
	Owner    string // namespace/name
	Code     diagnose.Code
	Title    string
	Href     string
}

// Label names the pods that share the cause, with the plural right in
// both languages: "all 3 pods of deployment shop/cart", "2 of 3 pods of
// deployment shop/cart", "the only pod of statefulset data/db", "pod shop/x".
func (g GroupView) Label(lang diagnose.Lang) string {
	switch {
	case g.Kind == "pod" || g.Kind == "":
		return trf(lang, "pod %s", g.Owner)
	case g.Total <= 1:
		return trf(lang, "the only pod of %s %s", g.Kind, g.Owner)
	case g.Count >= g.Total:
		return trf(lang, "all %d pods of %s %s", g.Total, g.Kind, g.Owner)
	}
	return trf(lang, "%d of %d pods of %s %s", g.Count, g.Total, g.Kind, g.Owner)
}

// ListMeta says how much of the view is shown and links to other pages.
type ListMeta struct {
	Shown    int
	Matched  int
	Total    int
	Page     int
	Pages    int
	PrevHref string
	NextHref string
}

// Summary is the summary bar's content.
type Summary struct {
	Total       int
	BySeverity  []CountLink
	ByNamespace []CountLink
	ByCode      []CountLink
}

// PodList is the pod list page.
type PodList struct {
	Page
	Filter Filter
	// SelectorError explains an invalid label selector; the page still renders.
	SelectorError string
	// FilterError explains any other invalid filter value.
	FilterError string
	Columns     []Column
	Rows        []PodRow
	Summary     Summary
	Groups      []GroupView
	Meta        ListMeta
	// ProblemsHref and AllHref switch between unhealthy pods and every pod.
	ProblemsHref string
	AllHref      string
	// Namespaces lists the watched namespaces for the filter's datalist.
	Namespaces []string
}

// FindingView is one finding in the page's language.
type FindingView struct {
	Code        diagnose.Code
	Severity    diagnose.Severity
	Container   string
	Title       string
	Explanation string
	Evidence    []EvidenceView
	Actions     []string
	Commands    []string
	// Since is how long ago the problem started ("5m"), "" when unknown.
	Since string
}

// EvidenceView is one evidence line as it reads when the page is rendered
// (diagnose.Evidence.At: an event's Source says how long ago it last
// happened), quoted verbatim.
type EvidenceView struct {
	Source string
	Value  string
}

// StateView is a container state as kubectl describe prints it.
type StateView struct {
	// Kind is "Waiting", "Running", "Terminated" or "" when unknown.
	Kind     string
	Reason   string
	Message  string
	ExitCode string
	Signal   string
	Started  string
	Finished string
}

// ContainerView is one container of a pod.
type ContainerView struct {
	Name         string
	Image        string
	Init         bool
	Ready        bool
	RestartCount int32
	State        StateView
	LastState    StateView
}

// ConditionView is one pod or node condition.
type ConditionView struct {
	Type    string
	Status  string
	Reason  string
	Message string
	Since   string
}

// EventView is one event, as kubectl describe lists it.
type EventView struct {
	Type    string
	Reason  string
	Age     string
	Count   int32
	From    string
	Message string
}

// KV is one label or annotation.
type KV struct {
	Key   string
	Value string
}

// PodDetail is the pod page.
type PodDetail struct {
	Page
	Row PodRow
	// Missing is true when the pod no longer exists (deleted while watched).
	Missing    bool
	Severity   diagnose.Severity
	Findings   []FindingView
	Containers []ContainerView
	Conditions []ConditionView
	Events     []EventView
	Labels     []KV
	OwnerKind  string
	OwnerName  string
	OwnerHref  string
	QoS        string
	HostIP     string
}

// wholeTexts is where the pod page's texts can be read entire.
func (v PodDetail) wholeTexts() string { return v.PodAPI(v.Row.Namespace, v.Row.Name) }

// NodeRow is one line of the node table.
type NodeRow struct {
	Name      string
	Href      string
	Ready     string
	Pressures []string
	Taints    []string
	Severity  diagnose.Severity
	Summary   string
	Unhealthy int
	Pods      int
	Version   string
	Age       string
	// PodsHref lists the node's pods.
	PodsHref string
}

// NodeList is the nodes page.
type NodeList struct {
	Page
	Rows []NodeRow
	// Unavailable is true when nodes cannot be read (namespaced RBAC).
	Unavailable bool
}

// NodeDetail is one node's page.
type NodeDetail struct {
	Page
	// Missing is true when the node no longer exists (deleted while watched).
	Missing    bool
	Row        NodeRow
	Findings   []FindingView
	Conditions []ConditionView
	Labels     []KV
	Pods       []PodRow
}

// ErrorPage is a user-facing error.
type ErrorPage struct {
	Page
	Status  int
	Message string
}

// KeepPairs returns the kept parameters sorted, for hidden form inputs.
func (p Page) KeepPairs() []KV {
	var out []KV
	for k, vs := range p.Keep {
		for _, v := range vs {
			out = append(out, KV{Key: k, Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
