package live

import (
	"net/url"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/podindex"
	"github.com/podlens/podlens/web/templates"
	"k8s.io/client-go/tools/cache"
)

// The kinds of pages a viewer can look at.
const (
	KindPods  = "pods"
	KindPod   = "pod"
	KindNodes = "nodes"
	KindNode  = "node"
)

// View is what one viewer looks at: the page kind, its filters, the language
// and the kept presentation parameters. Viewers with equal views share one
// hub topic and one rendering of every change.
type View struct {
	Kind string
	List podindex.Query
	Pod  cache.ObjectName
	Node string
	Lang diagnose.Lang
	// Keep holds the parameters every link carries: lang (when given
	// explicitly), theme and embed.
	Keep url.Values
}

// Site is the page configuration that does not depend on the request.
type Site struct {
	Demo bool
	// FrameOrigins are the allowed parent origins, for embed-mode postMessage.
	FrameOrigins string
}

// root is the relative path from the view's page to the application root.
func (v View) root() string {
	switch v.Kind {
	case KindPod:
		return "../../"
	case KindNode:
		return "../"
	default:
		return "./"
	}
}

// self is the view's application path and own query.
func (v View) self() (string, url.Values) {
	switch v.Kind {
	case KindPod:
		return templates.PodPath(v.Pod.Namespace, v.Pod.Name), url.Values{}
	case KindNode:
		return templates.NodePath(v.Node), url.Values{}
	case KindNodes:
		return "nodes", url.Values{}
	default:
		return "", v.List.Values()
	}
}

// wsQuery is the websocket URL's query for this view: the same parameters
// as the page, plus which view it is.
func (v View) wsQuery() url.Values {
	q := url.Values{}
	switch v.Kind {
	case KindPod:
		q.Set("namespace", v.Pod.Namespace)
		q.Set("name", v.Pod.Name)
	case KindNode:
		q.Set("name", v.Node)
	case KindPods:
		q = v.List.Values()
	}
	q.Set("view", v.Kind)
	for k, vs := range v.Keep {
		q[k] = vs
	}
	return q
}

// Topic is the view's canonical key (url.Values.Encode sorts by key). The
// resolved language is part of it: a viewer's language may come from
// Accept-Language rather than the URL.
func (v View) Topic() string {
	q := v.wsQuery()
	q.Set("_lang", string(v.Lang))
	return q.Encode()
}

// Page builds the page chrome for the view.
func (s Site) Page(v View, title string, status templates.Status) templates.Page {
	p := templates.Page{
		Root:         v.root(),
		Title:        title,
		Lang:         v.Lang,
		Theme:        v.Keep.Get("theme"),
		Embed:        v.Keep.Get("embed") == "1",
		Keep:         v.Keep,
		Demo:         s.Demo,
		FrameOrigins: s.FrameOrigins,
		Status:       status,
		Nav:          "pods",
	}
	if v.Kind == KindNodes || v.Kind == KindNode {
		p.Nav = "nodes"
	}
	p.Self, p.Query = v.self()
	p.WS = p.Root + "ws?" + v.wsQuery().Encode()
	return p
}
