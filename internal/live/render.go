package live

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/podindex"
	"github.com/podlens/podlens/web/templates"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// This file turns entries, pods, nodes and diagnoses into the plain view
// values the templates take. Everything here is computed for the visible
// rows only.

// topGroups is how many root-cause groups the summary keeps, and
// maxGroupsShown how many the list page shows above the table.
const (
	topGroups      = 20
	maxGroupsShown = 6
)

func age(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return duration.HumanDuration(now.Sub(t))
}

func stamp(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339) + " (" + age(now, t) + ")"
}

// rowView is one pod row; AGE and RESTARTS' "ago" are recomputed for now.
func rowView(p templates.Page, e *podindex.Entry, now time.Time) templates.PodRow {
	cols := podindex.ColumnsAt(e.Pod(), now)
	r := templates.PodRow{
		Namespace: e.Key().Namespace,
		Name:      e.Key().Name,
		Ready:     cols.Ready,
		Status:    cols.Status,
		Restarts:  cols.Restarts,
		Age:       cols.Age,
		Node:      cols.Node,
		IP:        cols.IP,
		Severity:  e.Diagnosis().Severity,
		Summary:   e.Diagnosis().Summary(p.Lang, now),
		Codes:     e.Diagnosis().Codes(),
		Href:      p.Link(templates.PodPath(e.Key().Namespace, e.Key().Name), nil),
	}
	if n := e.Pod().Spec.NodeName; n != "" {
		r.NodeHref = p.Link(templates.NodePath(n), nil)
	}
	return r
}

// RowsView is rowView for each entry, in order.
func RowsView(p templates.Page, es []*podindex.Entry, now time.Time) []templates.PodRow {
	rows := make([]templates.PodRow, len(es))
	for i, e := range es {
		rows[i] = rowView(p, e, now)
	}
	return rows
}

// rowEqual compares rows, to push only the ones that changed.
func rowEqual(a, b templates.PodRow) bool {
	return a.Namespace == b.Namespace && a.Name == b.Name && a.Ready == b.Ready && a.Status == b.Status &&
		a.Restarts == b.Restarts && a.Age == b.Age && a.Node == b.Node && a.IP == b.IP &&
		a.Severity == b.Severity && a.Summary == b.Summary && a.Href == b.Href && a.NodeHref == b.NodeHref &&
		slices.Equal(a.Codes, b.Codes)
}

var columnLabels = map[string]string{
	"severity": "Severity", "namespace": "Namespace", "name": "Name", "ready": "Ready", "status": "Status",
	"restarts": "Restarts", "age": "Age", "node": "Node", "ip": "IP",
}

// ColumnsView is the pod table's header: each column links to sorting by it,
// and the one the list is sorted by says which way.
func ColumnsView(p templates.Page, q podindex.Query) []templates.Column {
	cols := make([]templates.Column, 0, len(podindex.SortKeys))
	for _, k := range podindex.SortKeys {
		c := templates.Column{Label: columnLabels[k]}
		sorted := q.Sort == k || (q.Sort == "" && k == "severity")
		switch {
		case q.Sort == "" && k == "severity":
			c.Sorted = "descending"
		case sorted && q.Desc:
			c.Sorted = "descending"
		case sorted:
			c.Sorted = "ascending"
		}
		desc := ""
		if q.Sort == k && !q.Desc {
			desc = "1"
		}
		c.Href = p.Link("", q.With("sort", k, "desc", desc))
		cols = append(cols, c)
	}
	return cols
}

// SummaryView is the counts bar: by severity, then the ten largest
// namespaces and codes, each a link that narrows the list to it.
func SummaryView(p templates.Page, q podindex.Query, s diagnose.Summary) templates.Summary {
	out := templates.Summary{Total: s.Total}
	for _, sev := range []diagnose.Severity{diagnose.Critical, diagnose.Warning, diagnose.Info, diagnose.OK} {
		n := s.BySeverity[sev]
		if n == 0 {
			continue
		}
		out.BySeverity = append(out.BySeverity, templates.CountLink{
			Label: sev.String(), Count: n, Severity: sev.String(),
			Href: p.Link("", q.With("severity", sev.String())),
		})
	}
	type kc struct {
		k string
		n int
	}
	sorted := func(m map[string]int) []kc {
		var out []kc
		for k, n := range m {
			if n > 0 {
				out = append(out, kc{k, n})
			}
		}
		slices.SortFunc(out, func(a, b kc) int { return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.k, b.k)) })
		return out[:min(len(out), 10)]
	}
	for _, c := range sorted(s.ByNamespace) {
		out.ByNamespace = append(out.ByNamespace, templates.CountLink{Label: c.k, Count: c.n, Href: p.Link("", q.With("namespace", c.k))})
	}
	codes := map[string]int{}
	for c, n := range s.ByCode {
		codes[string(c)] = n
	}
	for _, c := range sorted(codes) {
		out.ByCode = append(out.ByCode, templates.CountLink{Label: c.k, Count: c.n, Href: p.Link("", q.With("code", c.k, "all", "1"))})
	}
	return out
}

// GroupsView is the root-cause groups above the table: only groups of more
// than one pod, at most maxGroupsShown of them.
func GroupsView(p templates.Page, q podindex.Query, gs []diagnose.Group, now time.Time) []templates.GroupView {
	out := make([]templates.GroupView, 0, len(gs))
	for _, g := range gs {
		if len(g.Pods) <= 1 && g.Total <= 1 {
			continue // a bare pod or a single replica: its row says it all
		}
		if len(out) == maxGroupsShown {
			break
		}
		out = append(out, templates.GroupView{
			Severity: g.Severity,
			Count:    len(g.Pods),
			Total:    g.Total,
			Kind:     strings.ToLower(g.Owner.Kind),
			Owner:    g.Namespace + "/" + g.Owner.Name,
			Code:     g.Code,
			Title:    g.Finding.Title.In(p.Lang, now),
			Href:     p.Link("", q.With("namespace", g.Namespace, "owner", g.Owner.Kind+"/"+g.Owner.Name, "code", string(g.Code), "all", "1")),
		})
	}
	return out
}

// MetaView is the list's counts and paging links.
func MetaView(p templates.Page, q podindex.Query, res podindex.Result, shown int) templates.ListMeta {
	m := templates.ListMeta{Shown: shown, Matched: res.Matched, Total: res.Scoped, Page: res.Page, Pages: res.Pages}
	pageLink := func(n int) string {
		v := q.Values()
		v.Del("page")
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return p.Link("", v)
	}
	if res.Page > 1 {
		m.PrevHref = pageLink(res.Page - 1)
	}
	if res.Page < res.Pages {
		m.NextHref = pageLink(res.Page + 1)
	}
	return m
}

// statusView formats the cache's state for the header.
func statusView(st informers.SyncStatus, synced bool) templates.Status {
	out := templates.Status{Synced: synced, Connected: st.Connected}
	if !st.Connected && !st.StaleSince.IsZero() {
		out.StaleSince = st.StaleSince.Local().Format("15:04:05")
	}
	for _, r := range st.Resources {
		out.Resources = append(out.Resources, templates.ResourceProgress{Name: string(r.Resource), Loaded: r.Loaded, Synced: r.Synced, Forbidden: r.Forbidden})
	}
	return out
}

// findingsView renders a diagnosis's texts and evidence as they read at now:
// a diagnosis holds instants, and the ages in it are written here.
func findingsView(d diagnose.Diagnosis, lang diagnose.Lang, now time.Time) []templates.FindingView {
	out := make([]templates.FindingView, 0, len(d.Findings))
	for _, f := range d.Findings {
		fv := templates.FindingView{
			Code: f.Code, Severity: f.Severity, Container: f.Container,
			Title: f.Title.In(lang, now), Explanation: f.Explanation.In(lang, now),
			Commands: f.Commands, Since: age(now, f.Since),
		}
		for _, e := range f.Evidence {
			e = e.At(now)
			fv.Evidence = append(fv.Evidence, templates.EvidenceView{Source: e.Source, Value: e.Value})
		}
		for _, a := range f.Actions {
			fv.Actions = append(fv.Actions, a.In(lang, now))
		}
		out = append(out, fv)
	}
	return out
}

func stateView(s corev1.ContainerState, now time.Time) templates.StateView {
	switch {
	case s.Waiting != nil:
		return templates.StateView{Kind: "Waiting", Reason: s.Waiting.Reason, Message: s.Waiting.Message}
	case s.Running != nil:
		return templates.StateView{Kind: "Running", Started: stamp(now, s.Running.StartedAt.Time)}
	case s.Terminated != nil:
		t := s.Terminated
		v := templates.StateView{Kind: "Terminated", Reason: t.Reason, Message: t.Message, ExitCode: strconv.Itoa(int(t.ExitCode)),
			Started: stamp(now, t.StartedAt.Time), Finished: stamp(now, t.FinishedAt.Time)}
		if t.Signal != 0 {
			v.Signal = strconv.Itoa(int(t.Signal))
		}
		return v
	}
	return templates.StateView{}
}

func containersView(pod *corev1.Pod, now time.Time) []templates.ContainerView {
	var out []templates.ContainerView
	add := func(specs []corev1.Container, statuses []corev1.ContainerStatus, init bool) {
		for _, c := range specs {
			cv := templates.ContainerView{Name: c.Name, Image: c.Image, Init: init}
			for _, s := range statuses {
				if s.Name == c.Name {
					cv.Ready, cv.RestartCount = s.Ready, s.RestartCount
					cv.State, cv.LastState = stateView(s.State, now), stateView(s.LastTerminationState, now)
				}
			}
			out = append(out, cv)
		}
	}
	add(pod.Spec.InitContainers, pod.Status.InitContainerStatuses, true)
	add(pod.Spec.Containers, pod.Status.ContainerStatuses, false)
	return out
}

func podConditionsView(cs []corev1.PodCondition, now time.Time) []templates.ConditionView {
	out := make([]templates.ConditionView, 0, len(cs))
	for _, c := range cs {
		out = append(out, templates.ConditionView{Type: string(c.Type), Status: string(c.Status), Reason: c.Reason, Message: c.Message, Since: age(now, c.LastTransitionTime.Time)})
	}
	return out
}

func nodeConditionsView(cs []corev1.NodeCondition, now time.Time) []templates.ConditionView {
	out := make([]templates.ConditionView, 0, len(cs))
	for _, c := range cs {
		out = append(out, templates.ConditionView{Type: string(c.Type), Status: string(c.Status), Reason: c.Reason, Message: c.Message, Since: age(now, c.LastTransitionTime.Time)})
	}
	return out
}

func eventsView(evs []*corev1.Event, now time.Time) []templates.EventView {
	out := make([]templates.EventView, 0, len(evs))
	for _, e := range evs {
		_, last := diagnose.EventTimes(e)
		out = append(out, templates.EventView{Type: e.Type, Reason: e.Reason, Age: age(now, last), Count: diagnose.EventCount(e), From: diagnose.EventReporter(e), Message: e.Message})
	}
	return out
}

func labelsView(m map[string]string) []templates.KV {
	out := make([]templates.KV, 0, len(m))
	for k, v := range m {
		out = append(out, templates.KV{Key: k, Value: v})
	}
	slices.SortFunc(out, func(a, b templates.KV) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// PodDetailView builds the pod page from its entry and the cache.
func PodDetailView(p templates.Page, e *podindex.Entry, events []*corev1.Event, now time.Time) templates.PodDetail {
	v := templates.PodDetail{
		Page:       p,
		Row:        rowView(p, e, now),
		Severity:   e.Diagnosis().Severity,
		Findings:   findingsView(e.Diagnosis(), p.Lang, now),
		Containers: containersView(e.Pod(), now),
		Conditions: podConditionsView(e.Pod().Status.Conditions, now),
		Events:     eventsView(events, now),
		Labels:     labelsView(e.Pod().Labels),
		QoS:        string(e.Pod().Status.QOSClass),
		HostIP:     e.Pod().Status.HostIP,
	}
	if e.Owner().Kind != "" && e.Owner().Kind != "Pod" {
		v.OwnerKind, v.OwnerName = e.Owner().Kind, e.Owner().Name
		v.OwnerHref = p.Link("", url.Values{"namespace": {e.Key().Namespace}, "owner": {e.Owner().Kind + "/" + e.Owner().Name}, "all": {"1"}})
	}
	return v
}

// NodeReady returns the node's Ready condition status (Unknown when absent).
func NodeReady(n *corev1.Node) string {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return string(c.Status)
		}
	}
	return string(corev1.ConditionUnknown)
}

// NodePressures names the node's pressure conditions that are true.
func NodePressures(n *corev1.Node) []string {
	var out []string
	for _, c := range n.Status.Conditions {
		switch c.Type {
		case corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure, corev1.NodeNetworkUnavailable:
			if c.Status == corev1.ConditionTrue {
				out = append(out, string(c.Type))
			}
		}
	}
	return out
}

// NodeTaints writes the node's taints as kubectl does: key[=value]:effect.
func NodeTaints(n *corev1.Node) []string {
	out := make([]string, 0, len(n.Spec.Taints))
	for _, t := range n.Spec.Taints {
		s := t.Key
		if t.Value != "" {
			s += "=" + t.Value
		}
		out = append(out, s+":"+string(t.Effect))
	}
	return out
}

// nodeRowView summarises a node; pods are the node's diagnosed pods.
func nodeRowView(p templates.Page, n *corev1.Node, d diagnose.Diagnosis, pods []*podindex.Entry, now time.Time) templates.NodeRow {
	r := templates.NodeRow{
		Name: n.Name, Href: p.Link(templates.NodePath(n.Name), nil),
		Ready: NodeReady(n), Pressures: NodePressures(n), Taints: NodeTaints(n),
		Severity: d.Severity, Summary: d.Summary(p.Lang, now), Pods: len(pods),
		Version: n.Status.NodeInfo.KubeletVersion, Age: age(now, n.CreationTimestamp.Time),
		PodsHref: p.Link("", url.Values{"node": {n.Name}, "all": {"1"}}),
	}
	for _, e := range pods {
		if e.Diagnosis().Severity >= diagnose.Warning {
			r.Unhealthy++
		}
	}
	return r
}
