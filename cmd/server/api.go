package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/live"
	"github.com/podlens/podlens/internal/podindex"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"
)

// The JSON API (/api/v1). Field names are stable: scripts and tests key on them.

// apiPod is one pod in a list: kubectl's columns plus the verdict.
type apiPod struct {
	Namespace string            `json:"namespace"`
	Name      string            `json:"name"`
	Status    string            `json:"status"`
	Ready     string            `json:"ready"`
	Restarts  string            `json:"restarts"`
	Age       string            `json:"age"`
	Node      string            `json:"node"`
	IP        string            `json:"ip"`
	Severity  diagnose.Severity `json:"severity"`
	Reasons   []diagnose.Code   `json:"reasons"`
	Summary   string            `json:"summary"`
}

// apiFreshness says how current the data is.
type apiFreshness struct {
	Synced     bool       `json:"synced"`
	Stale      bool       `json:"stale"`
	StaleSince *time.Time `json:"staleSince"`
}

// apiPodList is GET /api/v1/pods. Paging: page (from 1) and pageSize
// (default 100, at most 500); total counts every matching pod.
type apiPodList struct {
	Items    []apiPod `json:"items"`
	Total    int      `json:"total"`
	Page     int      `json:"page"`
	PageSize int      `json:"pageSize"`
	Pages    int      `json:"pages"`
	apiFreshness
}

type apiFinding struct {
	Code        diagnose.Code       `json:"code"`
	Severity    diagnose.Severity   `json:"severity"`
	Container   string              `json:"container"`
	Title       string              `json:"title"`
	Explanation string              `json:"explanation"`
	Evidence    []diagnose.Evidence `json:"evidence"`
	Actions     []string            `json:"actions"`
	Commands    []string            `json:"commands"`
	Since       *time.Time          `json:"since"`
}

type apiDiagnosis struct {
	Severity diagnose.Severity `json:"severity"`
	Findings []apiFinding      `json:"findings"`
}

type apiEvent struct {
	Type      string     `json:"type"`
	Reason    string     `json:"reason"`
	Message   string     `json:"message"`
	Count     int32      `json:"count"`
	FirstSeen *time.Time `json:"firstSeen"`
	LastSeen  *time.Time `json:"lastSeen"`
	Source    string     `json:"source"`
}

// apiPodDetail is GET /api/v1/pods/{namespace}/{name}.
type apiPodDetail struct {
	apiPod
	Diagnosis apiDiagnosis `json:"diagnosis"`
	Events    []apiEvent   `json:"events"`
	apiFreshness
}

type apiOwner struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

type apiGroup struct {
	Namespace string            `json:"namespace"`
	Owner     apiOwner          `json:"owner"`
	Code      diagnose.Code     `json:"code"`
	Severity  diagnose.Severity `json:"severity"`
	Count     int               `json:"count"`
	Total     int               `json:"total"`
	Pods      []string          `json:"pods"`
	Title     string            `json:"title"`
}

// apiSummary is GET /api/v1/summary.
type apiSummary struct {
	Total       int            `json:"total"`
	BySeverity  map[string]int `json:"bySeverity"`
	ByCode      map[string]int `json:"byCode"`
	ByNamespace map[string]int `json:"byNamespace"`
	Groups      []apiGroup     `json:"groups"`
	apiFreshness
}

type apiNode struct {
	Name          string            `json:"name"`
	Ready         string            `json:"ready"`
	Pressure      []string          `json:"pressure"`
	Taints        []string          `json:"taints"`
	Severity      diagnose.Severity `json:"severity"`
	Reasons       []diagnose.Code   `json:"reasons"`
	Summary       string            `json:"summary"`
	Diagnosis     apiDiagnosis      `json:"diagnosis"`
	UnhealthyPods int               `json:"unhealthyPods"`
	Pods          int               `json:"pods"`
}

// apiNodeList is GET /api/v1/nodes; available is false when RBAC hides nodes.
type apiNodeList struct {
	Items     []apiNode `json:"items"`
	Available bool      `json:"available"`
	apiFreshness
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// writeJSONError answers {"error": msg}; msg names the user's input problem,
// never an internal error.
func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// cacheState is what the API, the metrics and the readiness check read about
// the cache's health: whether the first sync is done, and whether the
// cluster is reachable.
type cacheState interface {
	Synced() bool
	Status() informers.SyncStatus
}

func freshness(state cacheState) apiFreshness {
	st := state.Status()
	f := apiFreshness{Synced: state.Synced(), Stale: !st.Connected && !st.StaleSince.IsZero()}
	if f.Stale {
		t := st.StaleSince.UTC()
		f.StaleSince = &t
	}
	return f
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func apiPodOf(e *podindex.Entry, lang diagnose.Lang, now time.Time) apiPod {
	c := podindex.ColumnsAt(e.Pod(), now)
	return apiPod{
		Namespace: e.Key().Namespace, Name: e.Key().Name,
		Status: c.Status, Ready: c.Ready, Restarts: c.Restarts, Age: c.Age, Node: c.Node, IP: c.IP,
		Severity: e.Diagnosis().Severity, Reasons: append([]diagnose.Code{}, e.Diagnosis().Codes()...), Summary: e.Diagnosis().Summary(lang, now),
	}
}

// apiDiagnosisOf renders a diagnosis's texts and evidence as they read at now.
func apiDiagnosisOf(d diagnose.Diagnosis, lang diagnose.Lang, now time.Time) apiDiagnosis {
	out := apiDiagnosis{Severity: d.Severity, Findings: []apiFinding{}}
	for _, f := range d.Findings {
		af := apiFinding{
			Code: f.Code, Severity: f.Severity, Container: f.Container,
			Title: f.Title.In(lang, now), Explanation: f.Explanation.In(lang, now),
			Evidence: f.EvidenceAt(now), Actions: []string{},
			Commands: nonNil(f.Commands), Since: timePtr(f.Since),
		}
		for _, a := range f.Actions {
			af.Actions = append(af.Actions, a.In(lang, now))
		}
		out.Findings = append(out.Findings, af)
	}
	return out
}

func apiEventsOf(evs []*corev1.Event) []apiEvent {
	out := make([]apiEvent, 0, len(evs))
	for _, e := range evs {
		first, last := diagnose.EventTimes(e)
		out = append(out, apiEvent{Type: e.Type, Reason: e.Reason, Message: e.Message, Count: diagnose.EventCount(e),
			FirstSeen: timePtr(first), LastSeen: timePtr(last), Source: diagnose.EventReporter(e)})
	}
	return out
}

// checkNamespaces answers 400 when the request names a namespace the
// dashboard does not watch (it could only ever be empty).
func checkNamespaces(w http.ResponseWriter, watched, asked []string) bool {
	if ns, bad := unwatched(watched, asked); bad {
		writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("namespace %q is not watched (watching: %s)", ns, strings.Join(watched, ", ")))
		return false
	}
	return true
}

// handleAPIPods lists pods: ?namespace= (repeated or comma-separated),
// selector, q, problems, node, status, severity, code, owner, sort, desc,
// page, pageSize, lang.
func handleAPIPods(pods podLister, state cacheState, watched []string, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, errs := podindex.ParseQuery(r.URL.Query(), true)
		if len(errs) > 0 {
			writeJSONError(w, http.StatusBadRequest, errs[0].Msg)
			return
		}
		if !checkNamespaces(w, watched, q.Namespaces) {
			return
		}
		lang := pickLang(r)
		res := pods.List(q)
		t := now()
		out := apiPodList{Items: make([]apiPod, 0, len(res.Rows)), Total: res.Matched, Page: res.Page, PageSize: q.PageSize,
			Pages: res.Pages, apiFreshness: freshness(state)}
		for _, e := range res.Rows {
			out.Items = append(out.Items, apiPodOf(e, lang, t))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleAPIPod is one pod with its diagnosis and events.
func handleAPIPod(pods podGetter, events podEvents, state cacheState, watched []string, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := cache.ObjectName{Namespace: chi.URLParam(r, "namespace"), Name: chi.URLParam(r, "name")}
		if !checkNamespaces(w, watched, []string{key.Namespace}) {
			return
		}
		e, ok := pods.Entry(key)
		if !ok {
			writeJSONError(w, http.StatusNotFound, fmt.Sprintf("pod %s/%s not found", key.Namespace, key.Name))
			return
		}
		lang, t := pickLang(r), now()
		writeJSON(w, http.StatusOK, apiPodDetail{
			apiPod:       apiPodOf(e, lang, t),
			Diagnosis:    apiDiagnosisOf(e.Diagnosis(), lang, t),
			Events:       apiEventsOf(events.EventsFor(e.Pod())),
			apiFreshness: freshness(state),
		})
	})
}

// handleAPISummary counts pods by severity, code and namespace and lists the
// top root-cause groups; ?namespace= narrows the scope.
func handleAPISummary(pods podLister, state cacheState, watched []string, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, errs := podindex.ParseQuery(r.URL.Query(), true)
		if len(errs) > 0 {
			writeJSONError(w, http.StatusBadRequest, errs[0].Msg)
			return
		}
		if !checkNamespaces(w, watched, q.Namespaces) {
			return
		}
		lang, t := pickLang(r), now()
		s := pods.List(podindex.Query{Namespaces: q.Namespaces, All: true, PageSize: 1}).Summary
		out := apiSummary{Total: s.Total, BySeverity: map[string]int{}, ByCode: map[string]int{}, ByNamespace: map[string]int{},
			Groups: []apiGroup{}, apiFreshness: freshness(state)}
		for _, sev := range []diagnose.Severity{diagnose.OK, diagnose.Info, diagnose.Warning, diagnose.Critical} {
			out.BySeverity[sev.String()] = s.BySeverity[sev]
		}
		for c, n := range s.ByCode {
			out.ByCode[string(c)] = n
		}
		for ns, n := range s.ByNamespace {
			out.ByNamespace[ns] = n
		}
		for _, g := range s.Top {
			out.Groups = append(out.Groups, apiGroup{Namespace: g.Namespace, Owner: apiOwner{Kind: g.Owner.Kind, Name: g.Owner.Name},
				Code: g.Code, Severity: g.Severity, Count: len(g.Pods), Total: g.Total, Pods: nonNil(g.Pods),
				Title: g.Finding.Title.In(lang, t)})
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleAPINodes lists nodes with their diagnosis and unhealthy pod counts.
func handleAPINodes(cluster nodeLister, pods podsByNode, state cacheState, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := pickLang(r)
		t := now()
		nodes := cluster.Nodes()
		out := apiNodeList{Items: []apiNode{}, Available: nodes != nil, apiFreshness: freshness(state)}
		byNode := pods.PodsByNode()
		for _, n := range nodes {
			d := diagnose.Node(n, t)
			an := apiNode{Name: n.Name, Ready: live.NodeReady(n), Pressure: nonNil(live.NodePressures(n)), Taints: live.NodeTaints(n),
				Severity: d.Severity, Reasons: append([]diagnose.Code{}, d.Codes()...), Summary: d.Summary(lang, t),
				Diagnosis: apiDiagnosisOf(d, lang, t), Pods: len(byNode[n.Name])}
			for _, e := range byNode[n.Name] {
				if e.Diagnosis().Severity >= diagnose.Warning {
					an.UnhealthyPods++
				}
			}
			out.Items = append(out.Items, an)
		}
		slices.SortFunc(out.Items, func(a, b apiNode) int { return strings.Compare(a.Name, b.Name) })
		writeJSON(w, http.StatusOK, out)
	})
}

// handleAPINotAllowed answers 405 for the API.
func handleAPINotAllowed() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusMethodNotAllowed, "method not allowed: the dashboard is read-only")
	})
}

// nonNil makes a nil slice encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
