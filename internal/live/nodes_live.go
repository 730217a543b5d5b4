package live

import (
	"bytes"
	"cmp"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/podindex"
	"github.com/podlens/podlens/web/templates"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"
)

// This file keeps the nodes page and the node page live. Nodes are few but
// a render of every node on every flush would still be waste, so a view
// re-renders only when what it shows may have changed: a node's state
// (conditions, taints, its resourceVersion), its pods' verdicts, or the
// periodic refresh (ages). A render equal to the last one pushes nothing.

// nodeLive is what a node view last showed, to decide whether to re-render.
type nodeLive struct {
	// nodes hashes the shown nodes' state.
	nodes uint64
	// pods hashes the per-node pod counts (nodes page).
	pods uint64
	// shown holds the pods listed on the node page.
	shown map[cache.ObjectName]bool
}

// NodeListView builds the nodes page: every node with its diagnosis and its
// pods' health, problems first. nodes is nil when they cannot be read.
func NodeListView(page templates.Page, nodes []*corev1.Node, byNode map[string][]*podindex.Entry, now time.Time) templates.NodeList {
	if nodes == nil {
		return templates.NodeList{Page: page, Unavailable: true}
	}
	rows := make([]templates.NodeRow, 0, len(nodes))
	for _, n := range nodes {
		rows = append(rows, nodeRowView(page, n, diagnose.Node(n, now), byNode[n.Name], now))
	}
	slices.SortStableFunc(rows, func(a, b templates.NodeRow) int { return cmp.Compare(b.Severity, a.Severity) })
	return templates.NodeList{Page: page, Rows: rows}
}

// NodeDetailView builds one node's page; pods are its diagnosed pods, sorted.
func NodeDetailView(page templates.Page, n *corev1.Node, pods []*podindex.Entry, now time.Time) templates.NodeDetail {
	d := diagnose.Node(n, now)
	return templates.NodeDetail{
		Page:       page,
		Row:        nodeRowView(page, n, d, pods, now),
		Findings:   findingsView(d, page.Lang, now),
		Conditions: nodeConditionsView(n.Status.Conditions, now),
		Labels:     labelsView(n.Labels),
		Pods:       RowsView(page, pods, now),
	}
}

// hashNode writes what the node views show of a node.
func hashNode(w io.Writer, n *corev1.Node) {
	if n == nil {
		_, _ = io.WriteString(w, "\x00<nil>")
		return
	}
	_, _ = io.WriteString(w, "\x00"+n.Name+"\x00"+n.ResourceVersion+"\x00"+strconv.FormatBool(n.Spec.Unschedulable)+"\x00"+n.Status.NodeInfo.KubeletVersion)
	for _, c := range n.Status.Conditions {
		_, _ = io.WriteString(w, "\x01"+string(c.Type)+"="+string(c.Status)+"/"+c.Reason+"@"+c.LastTransitionTime.UTC().String())
	}
	for _, t := range n.Spec.Taints {
		_, _ = io.WriteString(w, "\x02"+t.Key+"="+t.Value+":"+string(t.Effect))
	}
}

func nodesHash(nodes []*corev1.Node) uint64 {
	h := fnv.New64a()
	if nodes == nil {
		_, _ = io.WriteString(h, "unavailable")
	}
	for _, n := range nodes {
		hashNode(h, n)
	}
	return h.Sum64()
}

// podCountsHash hashes each node's unhealthy and total pod counts.
func podCountsHash(nodes []*corev1.Node, byNode map[string][]*podindex.Entry) uint64 {
	h := fnv.New64a()
	for _, n := range nodes {
		unhealthy := 0
		for _, e := range byNode[n.Name] {
			if e.Diagnosis().Severity >= diagnose.Warning {
				unhealthy++
			}
		}
		_, _ = io.WriteString(h, n.Name+"\x00"+strconv.Itoa(unhealthy)+"/"+strconv.Itoa(len(byNode[n.Name]))+"\x00")
	}
	return h.Sum64()
}

// updateNodes re-renders a nodes or node view when what it shows may have
// changed, and writes the new fragment to msg if it differs from the last.
// The caller holds entriesMu (read).
func (vs *viewState) updateNodes(p *Publisher, dirty map[cache.ObjectName]bool, st templates.Status, now time.Time, force bool, msg *bytes.Buffer) {
	vs.page = p.site.Page(vs.v, "", st)
	var body []byte
	switch vs.v.Kind {
	case KindNodes:
		nodes := p.store.Nodes()
		nh := nodesHash(nodes)
		nodesChanged := vs.nodes.nodes != nh
		var byNode map[string][]*podindex.Entry
		podsChanged := false
		if force || len(dirty) > 0 || nodesChanged {
			byNode = p.entries.PodsByNode()
			h := podCountsHash(nodes, byNode)
			podsChanged = h != vs.nodes.pods
			vs.nodes.pods = h
		}
		if !force && !nodesChanged && !podsChanged {
			return
		}
		vs.nodes.nodes = nh
		body = p.render(templates.NodeTable(NodeListView(vs.page, nodes, byNode, now), true))
	case KindNode:
		n := p.store.Node(vs.v.Node)
		h := fnv.New64a()
		hashNode(h, n)
		nodeChanged := h.Sum64() != vs.nodes.nodes
		podsChanged := false
		var pods []*podindex.Entry
		if force || len(dirty) > 0 || nodeChanged {
			pods = p.entries.OnNode(vs.v.Node)
			shown := make(map[cache.ObjectName]bool, len(pods))
			for _, e := range pods {
				shown[e.Key()] = true
			}
			for key := range dirty {
				podsChanged = podsChanged || shown[key] || vs.nodes.shown[key]
			}
			vs.nodes.shown = shown
		}
		if !force && !nodeChanged && !podsChanged {
			return
		}
		vs.nodes.nodes = h.Sum64()
		d := templates.NodeDetail{Page: vs.page, Missing: true, Row: templates.NodeRow{Name: vs.v.Node}}
		if n != nil {
			d = NodeDetailView(vs.page, n, pods, now)
		}
		body = p.render(templates.NodeBody(d, true))
	default:
		return
	}
	if !bytes.Equal(body, vs.body) {
		vs.body = body
		msg.Write(body)
	}
}
