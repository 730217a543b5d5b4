package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/live"
	"github.com/podlens/podlens/internal/podindex"
	"golang.org/x/text/language"
	"k8s.io/client-go/tools/cache"
)

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
func parseView(r *http.Request, kind string) (live.View, []*podindex.QueryError) {
	q := r.URL.Query()
	v := live.View{Kind: kind, Lang: pickLang(r), Keep: keepParams(q)}
	if kind == "" {
		v.Kind = q.Get("view")
	}
	var errs []*podindex.QueryError
	switch v.Kind {
	case live.KindPods:
		v.List, errs = podindex.ParseQuery(q, false)
	case live.KindPod:
		if kind == "" { // the page takes them from the path
			v.Pod = cache.ObjectName{Namespace: q.Get("namespace"), Name: q.Get("name")}
			if v.Pod.Namespace == "" || v.Pod.Name == "" {
				errs = append(errs, &podindex.QueryError{Param: "name", Msg: "namespace and name are required for view=pod"})
			}
		}
	case live.KindNode:
		if kind == "" { // the page takes it from the path
			v.Node = q.Get("name")
			if v.Node == "" {
				errs = append(errs, &podindex.QueryError{Param: "name", Msg: "name is required for view=node"})
			}
		}
	case live.KindNodes:
	default:
		errs = append(errs, &podindex.QueryError{Param: "view", Msg: fmt.Sprintf("invalid view %q: want pods, pod, nodes or node", v.Kind)})
	}
	return v, errs
}
