package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/podlens/podlens/internal/live"
	"github.com/podlens/podlens/internal/podindex"
	"github.com/podlens/podlens/web/templates"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"
)

// readiness is /readyz's state: ready once the pod cache has synced, and
// not ready again from the moment shutdown starts draining.
type readiness struct {
	synced   func() bool
	draining atomic.Bool
}

func (r *readiness) ready() bool { return !r.draining.Load() && r.synced() }

// handleHealthz is 200 while the process is alive.
func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
}

// handleReadyz is 200 only when the pod cache synced and we are not draining.
func handleReadyz(ready *readiness) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		switch {
		case ready.draining.Load():
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "draining")
		case !ready.synced():
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "cache not synced")
		default:
			fmt.Fprintln(w, "ok")
		}
	})
}

// renderHTML renders c fully before writing, so a render error becomes a
// clean 500 rather than half a page.
func renderHTML(w http.ResponseWriter, r *http.Request, log *slog.Logger, m *metrics, status int, c templ.Component) {
	start := time.Now()
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		log.Error("rendering page", "path", r.URL.Path, "error", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	m.renderSeconds.WithLabelValues("page").Observe(time.Since(start).Seconds())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderError shows userMsg (a fixed, safe text) and logs err, if any.
func renderError(w http.ResponseWriter, r *http.Request, log *slog.Logger, m *metrics, s live.Site, status int, userMsg string, err error) {
	if err != nil {
		log.Error("request failed", "path", r.URL.Path, "status", status, "error", err)
	}
	v := live.View{Kind: live.KindNode, Lang: pickLang(r), Keep: keepParams(r.URL.Query())}
	p := s.Page(v, templates.Tr(v.Lang, "Error"), templates.Status{Synced: true, Connected: true})
	p.Root, p.Self, p.Query = relativeRoot(r), "", nil
	p.WS, p.Nav = "", "" // an error page has nothing live to follow
	renderHTML(w, r, log, m, status, templates.ErrorView(templates.ErrorPage{Page: p, Status: status, Message: userMsg}))
}

// relativeRoot is the path from the request's URL to the application root,
// from its depth: "/" and "/nodes" → "./", "/nodes/a" → "../". It must be
// exact for the links to work behind any prefix, so it is as long as the
// path is deep: limitPath refuses paths deeper than maxDepth before they
// reach a handler, which keeps it under 50 bytes.
func relativeRoot(r *http.Request) string {
	depth := strings.Count(r.URL.Path, "/") - 1
	if depth <= 0 {
		return "./"
	}
	return strings.Repeat("../", depth)
}

// unwatched returns the first namespace not watched, if any.
func unwatched(watched, asked []string) (string, bool) {
	if len(watched) == 0 {
		return "", false
	}
	for _, ns := range asked {
		if !slices.Contains(watched, ns) {
			return ns, true
		}
	}
	return "", false
}

// The handlers read the index and the cache through these small
// interfaces, declared where they are used: a handler's signature says what
// it reads, not which type happens to hold it. routes.go passes the
// publisher and the informers' store, which have them all.
type (
	// podLister answers a pod list query from the index.
	podLister interface {
		List(podindex.Query) podindex.Result
	}
	// podGetter finds one pod's diagnosis.
	podGetter interface {
		Entry(cache.ObjectName) (*podindex.Entry, bool)
	}
	// nodePods lists the diagnosed pods bound to one node.
	nodePods interface {
		PodsOnNode(node string) []*podindex.Entry
	}
	// podsByNode groups every diagnosed pod by node.
	podsByNode interface {
		PodsByNode() map[string][]*podindex.Entry
	}
	// pageStatus is the cache state every page shows in its header.
	pageStatus interface {
		Status() templates.Status
	}
	// podEvents reads the events about a pod from the cache.
	podEvents interface {
		EventsFor(*corev1.Pod) []*corev1.Event
	}
	// nodeGetter reads one node from the cache.
	nodeGetter interface {
		Node(name string) *corev1.Node
	}
	// nodeLister reads every node from the cache.
	nodeLister interface {
		Nodes() []*corev1.Node
	}
)

// handlePodsPage is the pod list: problems first, grouped by root cause,
// filterable, sortable and paged; rows then update over the websocket.
func handlePodsPage(log *slog.Logger, pods podLister, status pageStatus, s live.Site, watched []string, m *metrics, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, errs := parseView(r, live.KindPods)
		page := s.Page(v, templates.Tr(v.Lang, "Pods"), status.Status())
		q := v.List
		out := templates.PodList{
			Page: page,
			Filter: templates.Filter{
				Namespace: strings.Join(q.Namespaces, ","), Selector: q.SelectorText, Node: q.Node, Status: q.Status,
				Q: q.Text, All: q.All, Sort: q.Sort, Desc: q.Desc,
			},
			Columns:      live.ColumnsView(page, q),
			ProblemsHref: page.Link("", q.With("all", "", "severity", "")),
			AllHref:      page.Link("", q.With("all", "1", "severity", "")),
		}
		if q.HasSeverity {
			out.Filter.Severity = q.Severity.String()
		}
		var msgs []string
		for _, e := range errs {
			if e.Param == "selector" {
				out.SelectorError = e.Msg
			} else {
				msgs = append(msgs, e.Msg)
			}
		}
		if ns, bad := unwatched(watched, q.Namespaces); bad {
			msgs = append(msgs, fmt.Sprintf("namespace %q is not watched (watching: %s)", ns, strings.Join(watched, ", ")))
		}
		out.FilterError = strings.Join(msgs, "; ")
		res, t := pods.List(q), now()
		out.Rows = live.RowsView(page, res.Rows, t)
		out.Summary = live.SummaryView(page, q, res.Summary)
		out.Groups = live.GroupsView(page, q, res.Summary.Top, t)
		out.Meta = live.MetaView(page, q, res, len(res.Rows))
		out.Namespaces = watched
		if len(watched) == 0 {
			out.Namespaces = res.Namespaces
		}
		status := http.StatusOK
		if len(errs) > 0 || out.FilterError != "" {
			status = http.StatusBadRequest
		}
		renderHTML(w, r, log, m, status, templates.PodListPage(out))
	})
}

// handlePodPage is one pod: diagnosis first, then what kubectl describe shows.
func handlePodPage(log *slog.Logger, pods podGetter, events podEvents, status pageStatus, s live.Site, watched []string, m *metrics, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := cache.ObjectName{Namespace: chi.URLParam(r, "namespace"), Name: chi.URLParam(r, "name")}
		v, _ := parseView(r, live.KindPod)
		v.Pod = key
		if _, bad := unwatched(watched, []string{key.Namespace}); bad {
			renderError(w, r, log, m, s, http.StatusNotFound, templates.Tr(v.Lang, "This pod no longer exists."), nil)
			return
		}
		e, ok := pods.Entry(key)
		if !ok {
			renderError(w, r, log, m, s, http.StatusNotFound, templates.Tr(v.Lang, "This pod no longer exists."), nil)
			return
		}
		page := s.Page(v, key.Namespace+"/"+key.Name, status.Status())
		renderHTML(w, r, log, m, http.StatusOK, templates.PodPage(live.PodDetailView(page, e, events.EventsFor(e.Pod()), now())))
	})
}

// handleNodesPage lists nodes: Ready, pressure, taints, unhealthy pods.
func handleNodesPage(log *slog.Logger, nodes nodeLister, pods podsByNode, status pageStatus, s live.Site, m *metrics, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := parseView(r, live.KindNodes)
		page := s.Page(v, templates.Tr(v.Lang, "Nodes"), status.Status())
		renderHTML(w, r, log, m, http.StatusOK, templates.NodeListPage(live.NodeListView(page, nodes.Nodes(), pods.PodsByNode(), now())))
	})
}

// handleNodePage is one node with its diagnosis and pods.
func handleNodePage(log *slog.Logger, nodes nodeGetter, pods nodePods, status pageStatus, s live.Site, m *metrics, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := parseView(r, live.KindNode)
		v.Node = chi.URLParam(r, "name")
		n := nodes.Node(v.Node)
		if n == nil {
			renderError(w, r, log, m, s, http.StatusNotFound, "node not found", nil)
			return
		}
		page := s.Page(v, v.Node, status.Status())
		renderHTML(w, r, log, m, http.StatusOK, templates.NodePage(live.NodeDetailView(page, n, pods.PodsOnNode(n.Name), now())))
	})
}

// handleNotFound answers unknown routes: JSON under /api, HTML elsewhere.
func handleNotFound(log *slog.Logger, s live.Site, m *metrics) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusNotFound, "no such API route: "+r.URL.Path)
			return
		}
		renderError(w, r, log, m, s, http.StatusNotFound, "page not found", nil)
	})
}
