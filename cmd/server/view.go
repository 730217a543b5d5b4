package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/podindex"
	"github.com/podlens/podlens/web/templates"
	"golang.org/x/text/language"
	"k8s.io/client-go/tools/cache"
)

// The kinds of pages a viewer can look at.
const (
	kindPods  = "pods"
	kindPod   = "pod"
	kindNodes = "nodes"
	kindNode  = "node"
)

// view is what one viewer looks at: the page kind, its filters, the language
// and the kept presentation parameters. Viewers with equal views share one
// hub topic and one rendering of every change.
type view struct {
	kind string
	list podindex.Query
	pod  cache.ObjectName
	node string
	lang diagnose.Lang
	// keep holds the parameters every link carries: lang (when given
	// explicitly), theme and embed.
	keep url.Values
}

// site is the page configuration that does not depend on the request.
type site struct {
	demo bool
	// frameOrigins are the allowed parent origins, for embed-mode postMessage.
	frameOrigins string
}

// root is the relative path from the view's page to the application root.
func (v view) root() string {
	switch v.kind {
	case kindPod:
		return "../../"
	case kindNode:
		return "../"
	default:
		return "./"
	}
}

// self is the view's application path and own query.
func (v view) self() (string, url.Values) {
	switch v.kind {
	case kindPod:
		return templates.PodPath(v.pod.Namespace, v.pod.Name), url.Values{}
	case kindNode:
		return templates.NodePath(v.node), url.Values{}
	case kindNodes:
		return "nodes", url.Values{}
	default:
		return "", v.list.Values()
	}
}

// wsQuery is the websocket URL's query for this view: the same parameters
// as the page, plus which view it is.
func (v view) wsQuery() url.Values {
	q := url.Values{}
	switch v.kind {
	case kindPod:
		q.Set("namespace", v.pod.Namespace)
		q.Set("name", v.pod.Name)
	case kindNode:
		q.Set("name", v.node)
	case kindPods:
		q = v.list.Values()
	}
	q.Set("view", v.kind)
	for k, vs := range v.keep {
		q[k] = vs
	}
	return q
}

// topic is the view's canonical key (url.Values.Encode sorts by key). The
// resolved language is part of it: a viewer's language may come from
// Accept-Language rather than the URL.
func (v view) topic() string {
	q := v.wsQuery()
	q.Set("_lang", string(v.lang))
	return q.Encode()
}

// page builds the page chrome for the view.
func (s site) page(v view, title string, status templates.Status) templates.Page {
	p := templates.Page{
		Root:         v.root(),
		Title:        title,
		Lang:         v.lang,
		Theme:        v.keep.Get("theme"),
		Embed:        v.keep.Get("embed") == "1",
		Keep:         v.keep,
		Demo:         s.demo,
		FrameOrigins: s.frameOrigins,
		Status:       status,
		Nav:          "pods",
	}
	if v.kind == kindNodes || v.kind == kindNode {
		p.Nav = "nodes"
	}
	p.Self, p.Query = v.self()
	p.WS = p.Root + "ws?" + v.wsQuery().Encode()
	return p
}

// langMatcher picks a supported language; its order is diagnose.Langs'.
var langMatcher = func() language.Matcher {
	tags := make([]language.Tag, len(diagnose.Langs))
	for i, l := range diagnose.Langs {
		tags[i] = language.Make(string(l))
	}
	return language.NewMatcher(tags)
}()

// pickLang chooses the response language: ?lang= first, then Accept-Language,
// then English.
func pickLang(r *http.Request) diagnose.Lang {
	var tags []language.Tag
	if s := r.URL.Query().Get("lang"); s != "" {
		if t, err := language.Parse(s); err == nil {
			tags = []language.Tag{t}
		}
	}
	if tags == nil {
		tags, _, _ = language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	}
	if len(tags) == 0 {
		return diagnose.English
	}
	_, i, conf := langMatcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(diagnose.Langs) {
		return diagnose.English
	}
	return diagnose.Langs[i]
}

// keepParams extracts the presentation parameters that every link carries.
// Unknown values are dropped rather than refused: they only change looks.
func keepParams(q url.Values) url.Values {
	keep := url.Values{}
	if s := q.Get("lang"); s != "" {
		for _, l := range diagnose.Langs {
			if strings.EqualFold(s, string(l)) {
				keep.Set("lang", string(l))
			}
		}
	}
	if s := q.Get("theme"); s == "light" || s == "dark" {
		keep.Set("theme", s)
	}
	if podindex.IsTrue(q.Get("embed")) {
		keep.Set("embed", "1")
	}
	return keep
}

// parseView reads the view a request asks for. kind is the page's kind; the
// websocket passes "" and the view comes from ?view=. Errors are the user's.
func parseView(r *http.Request, kind string) (view, []*podindex.QueryError) {
	q := r.URL.Query()
	v := view{kind: kind, lang: pickLang(r), keep: keepParams(q)}
	if kind == "" {
		v.kind = q.Get("view")
	}
	var errs []*podindex.QueryError
	switch v.kind {
	case kindPods:
		v.list, errs = podindex.ParseQuery(q, false)
	case kindPod:
		if kind == "" { // the page takes them from the path
			v.pod = cache.ObjectName{Namespace: q.Get("namespace"), Name: q.Get("name")}
			if v.pod.Namespace == "" || v.pod.Name == "" {
				errs = append(errs, &podindex.QueryError{Param: "name", Msg: "namespace and name are required for view=pod"})
			}
		}
	case kindNode:
		if kind == "" { // the page takes it from the path
			v.node = q.Get("name")
			if v.node == "" {
				errs = append(errs, &podindex.QueryError{Param: "name", Msg: "name is required for view=node"})
			}
		}
	case kindNodes:
	default:
		errs = append(errs, &podindex.QueryError{Param: "view", Msg: fmt.Sprintf("invalid view %q: want pods, pod, nodes or node", v.kind)})
	}
	return v, errs
}
