package podindex

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/podlens/podlens/internal/diagnose"
	"k8s.io/apimachinery/pkg/labels"
)

// Paging defaults: the server sends only the visible rows, never the whole cluster.
const (
	DefaultPageSize = 100
	MaxPageSize     = 500
)

// MaxSearchRunes caps the free-text filter, in characters: longer than any
// pod name, image reference or code worth typing, and short enough that a
// search costs little more than reading the fields it searches.
const MaxSearchRunes = 256

// SortKeys are the columns a list can be sorted by.
var SortKeys = []string{"severity", "namespace", "name", "ready", "status", "restarts", "age", "node", "ip"}

// Query is a pod list's filters, shared by the page, the websocket view
// and the JSON API, so a link (or a ws URL) reproduces a view exactly.
type Query struct {
	Namespaces []string
	Selector   labels.Selector
	// SelectorText is the selector as typed, for the form and the view key.
	SelectorText string
	Node         string
	Status       string
	// Severity is an exact severity filter when HasSeverity.
	Severity    diagnose.Severity
	HasSeverity bool
	Code        string
	// Owner is "Kind/name" (with Namespaces naming the owner's namespace).
	Owner string
	// Text is the free-text filter (the q parameter).
	Text string
	// search is Text compiled for matching, once per query (nil without Text).
	search *textSearch
	// All includes healthy pods; without it only warning or worse are listed
	// (the page opens on problems; the API's problems=true).
	All      bool
	Sort     string
	Desc     bool
	Page     int
	PageSize int
}

// QueryError is a problem with the user's input, safe to show them.
type QueryError struct {
	Param string
	Msg   string
}

func (e *QueryError) Error() string { return e.Msg }

// splitList splits repeated and comma-separated values, dropping empties.
func splitList(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// ParseQuery reads a list query. forAPI switches the meaning of the
// health filter: pages show problems unless all=1, the API shows every pod
// unless problems=true. It returns every problem it finds; the query is
// usable (with the bad parts dropped) even when errs is not empty.
func ParseQuery(v url.Values, forAPI bool) (Query, []*QueryError) {
	var errs []*QueryError
	q := Query{
		Namespaces: splitList(v["namespace"]),
		Node:       strings.TrimSpace(v.Get("node")),
		Status:     strings.TrimSpace(v.Get("status")),
		Code:       strings.TrimSpace(v.Get("code")),
		Owner:      strings.TrimSpace(v.Get("owner")),
		Text:       strings.TrimSpace(v.Get("q")),
		Page:       1,
		PageSize:   DefaultPageSize,
		Selector:   labels.Everything(),
	}
	if n := utf8.RuneCountInString(q.Text); n > MaxSearchRunes {
		errs = append(errs, &QueryError{Param: "q", Msg: fmt.Sprintf("invalid q: %d characters, want at most %d", n, MaxSearchRunes)})
		q.Text = ""
	} else if q.Text != "" {
		q.search = newTextSearch(q.Text)
	}
	if s := strings.TrimSpace(v.Get("selector")); s != "" {
		q.SelectorText = s
		sel, err := labels.Parse(s)
		if err != nil {
			errs = append(errs, &QueryError{Param: "selector", Msg: fmt.Sprintf("invalid label selector %q: %v", s, err)})
		} else {
			q.Selector = sel
		}
	}
	if s := v.Get("severity"); s != "" {
		sev, ok := diagnose.ParseSeverity(s)
		if !ok {
			errs = append(errs, &QueryError{Param: "severity", Msg: fmt.Sprintf("invalid severity %q: want ok, info, warning or critical", s)})
		} else {
			q.Severity, q.HasSeverity = sev, true
		}
	}
	if forAPI {
		q.All = true
		if s := v.Get("problems"); s != "" {
			b, err := strconv.ParseBool(s)
			if err != nil {
				errs = append(errs, &QueryError{Param: "problems", Msg: fmt.Sprintf("invalid problems %q: want true or false", s)})
			} else {
				q.All = !b
			}
		}
	} else {
		q.All = IsTrue(v.Get("all"))
	}
	if s := v.Get("sort"); s != "" {
		if !slices.Contains(SortKeys, s) {
			errs = append(errs, &QueryError{Param: "sort", Msg: fmt.Sprintf("invalid sort %q: want one of %s", s, strings.Join(SortKeys, ", "))})
		} else {
			q.Sort = s
		}
	}
	q.Desc = IsTrue(v.Get("desc"))
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			errs = append(errs, &QueryError{Param: "page", Msg: fmt.Sprintf("invalid page %q: want a number from 1", s)})
		} else {
			q.Page = n
		}
	}
	if s := v.Get("pageSize"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPageSize {
			errs = append(errs, &QueryError{Param: "pageSize", Msg: fmt.Sprintf("invalid pageSize %q: want 1 to %d", s, MaxPageSize)})
		} else {
			q.PageSize = n
		}
	}
	return q, errs
}

// IsTrue reads a boolean parameter as every page does, so all=1, all=yes
// and all=on mean the same in a link, a form and a websocket URL.
func IsTrue(s string) bool {
	b, _ := strconv.ParseBool(s)
	return b || s == "yes" || s == "on"
}

// Values encodes the query back into URL parameters (the page's form of
// the health filter), in a canonical order: the websocket view key and the
// links are built from it.
func (q Query) Values() url.Values {
	v := url.Values{}
	if len(q.Namespaces) > 0 {
		v.Set("namespace", strings.Join(q.Namespaces, ","))
	}
	if q.SelectorText != "" && q.Selector != nil && !q.Selector.Empty() {
		v.Set("selector", q.SelectorText)
	}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("node", q.Node)
	set("status", q.Status)
	set("code", q.Code)
	set("owner", q.Owner)
	set("q", q.Text)
	if q.HasSeverity {
		v.Set("severity", q.Severity.String())
	}
	if q.All {
		v.Set("all", "1")
	}
	set("sort", q.Sort)
	if q.Desc {
		v.Set("desc", "1")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.PageSize != DefaultPageSize && q.PageSize > 0 {
		v.Set("pageSize", strconv.Itoa(q.PageSize))
	}
	return v
}

// With returns a copy of the query's values with one parameter changed
// ("" removes it); changing a filter goes back to the first page.
func (q Query) With(kv ...string) url.Values {
	v := q.Values()
	v.Del("page")
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}
