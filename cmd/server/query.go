package main

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
	defaultPageSize = 100
	maxPageSize     = 500
)

// maxSearchRunes caps the free-text filter, in characters: longer than any
// pod name, image reference or code worth typing, and short enough that a
// search costs little more than reading the fields it searches.
const maxSearchRunes = 256

// sortKeys are the columns a list can be sorted by.
var sortKeys = []string{"severity", "namespace", "name", "ready", "status", "restarts", "age", "node", "ip"}

// listQuery is a pod list's filters, shared by the page, the websocket view
// and the JSON API, so a link (or a ws URL) reproduces a view exactly.
type listQuery struct {
	namespaces []string
	selector   labels.Selector
	// selectorText is the selector as typed, for the form and the view key.
	selectorText string
	node         string
	status       string
	// severity is an exact severity filter when hasSeverity.
	severity    diagnose.Severity
	hasSeverity bool
	code        string
	// owner is "Kind/name" (with namespaces naming the owner's namespace).
	owner string
	q     string
	// search is q compiled for matching, once per query (nil without q).
	search *textSearch
	// all includes healthy pods; without it only warning or worse are listed
	// (the page opens on problems; the API's problems=true).
	all      bool
	sort     string
	desc     bool
	page     int
	pageSize int
}

// queryError is a problem with the user's input, safe to show them.
type queryError struct {
	param string
	msg   string
}

func (e *queryError) Error() string { return e.msg }

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

// parseListQuery reads a list query. forAPI switches the meaning of the
// health filter: pages show problems unless all=1, the API shows every pod
// unless problems=true. It returns every problem it finds; the query is
// usable (with the bad parts dropped) even when errs is not empty.
func parseListQuery(v url.Values, forAPI bool) (listQuery, []*queryError) {
	var errs []*queryError
	q := listQuery{
		namespaces: splitList(v["namespace"]),
		node:       strings.TrimSpace(v.Get("node")),
		status:     strings.TrimSpace(v.Get("status")),
		code:       strings.TrimSpace(v.Get("code")),
		owner:      strings.TrimSpace(v.Get("owner")),
		q:          strings.TrimSpace(v.Get("q")),
		page:       1,
		pageSize:   defaultPageSize,
		selector:   labels.Everything(),
	}
	if n := utf8.RuneCountInString(q.q); n > maxSearchRunes {
		errs = append(errs, &queryError{param: "q", msg: fmt.Sprintf("invalid q: %d characters, want at most %d", n, maxSearchRunes)})
		q.q = ""
	} else if q.q != "" {
		q.search = newTextSearch(q.q)
	}
	if s := strings.TrimSpace(v.Get("selector")); s != "" {
		q.selectorText = s
		sel, err := labels.Parse(s)
		if err != nil {
			errs = append(errs, &queryError{param: "selector", msg: fmt.Sprintf("invalid label selector %q: %v", s, err)})
		} else {
			q.selector = sel
		}
	}
	if s := v.Get("severity"); s != "" {
		sev, ok := diagnose.ParseSeverity(s)
		if !ok {
			errs = append(errs, &queryError{param: "severity", msg: fmt.Sprintf("invalid severity %q: want ok, info, warning or critical", s)})
		} else {
			q.severity, q.hasSeverity = sev, true
		}
	}
	if forAPI {
		q.all = true
		if s := v.Get("problems"); s != "" {
			b, err := strconv.ParseBool(s)
			if err != nil {
				errs = append(errs, &queryError{param: "problems", msg: fmt.Sprintf("invalid problems %q: want true or false", s)})
			} else {
				q.all = !b
			}
		}
	} else {
		q.all = isTrue(v.Get("all"))
	}
	if s := v.Get("sort"); s != "" {
		if !slices.Contains(sortKeys, s) {
			errs = append(errs, &queryError{param: "sort", msg: fmt.Sprintf("invalid sort %q: want one of %s", s, strings.Join(sortKeys, ", "))})
		} else {
			q.sort = s
		}
	}
	q.desc = isTrue(v.Get("desc"))
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			errs = append(errs, &queryError{param: "page", msg: fmt.Sprintf("invalid page %q: want a number from 1", s)})
		} else {
			q.page = n
		}
	}
	if s := v.Get("pageSize"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			errs = append(errs, &queryError{param: "pageSize", msg: fmt.Sprintf("invalid pageSize %q: want 1 to %d", s, maxPageSize)})
		} else {
			q.pageSize = n
		}
	}
	return q, errs
}

func isTrue(s string) bool {
	b, _ := strconv.ParseBool(s)
	return b || s == "yes" || s == "on"
}

// values encodes the query back into URL parameters (the page's form of
// the health filter), in a canonical order: the websocket view key and the
// links are built from it.
func (q listQuery) values() url.Values {
	v := url.Values{}
	if len(q.namespaces) > 0 {
		v.Set("namespace", strings.Join(q.namespaces, ","))
	}
	if q.selectorText != "" && q.selector != nil && !q.selector.Empty() {
		v.Set("selector", q.selectorText)
	}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("node", q.node)
	set("status", q.status)
	set("code", q.code)
	set("owner", q.owner)
	set("q", q.q)
	if q.hasSeverity {
		v.Set("severity", q.severity.String())
	}
	if q.all {
		v.Set("all", "1")
	}
	set("sort", q.sort)
	if q.desc {
		v.Set("desc", "1")
	}
	if q.page > 1 {
		v.Set("page", strconv.Itoa(q.page))
	}
	if q.pageSize != defaultPageSize && q.pageSize > 0 {
		v.Set("pageSize", strconv.Itoa(q.pageSize))
	}
	return v
}

// with returns a copy of the query's values with one parameter changed
// ("" removes it); changing a filter goes back to the first page.
func (q listQuery) with(kv ...string) url.Values {
	v := q.values()
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
