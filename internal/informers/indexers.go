package informers

import (
	"cmp"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
)

// Index names used on the informers' indexers.
const (
	// IndexEventsByInvolvedUID indexes events by involvedObject.uid, so the
	// events of one pod are found without scanning every event.
	IndexEventsByInvolvedUID = "involvedObject.uid"
	// IndexPodsByNode indexes pods by spec.nodeName, so a node change reaches
	// exactly the pods bound to that node.
	IndexPodsByNode = "spec.nodeName"
)

// eventsByInvolvedUID is the IndexEventsByInvolvedUID index function.
func eventsByInvolvedUID(obj any) ([]string, error) {
	e, ok := obj.(*corev1.Event)
	if !ok || e.InvolvedObject.UID == "" {
		return nil, nil
	}
	return []string{string(e.InvolvedObject.UID)}, nil
}

// unscheduledNode is the IndexPodsByNode value of pods not bound to a node.
// It is no valid node name, so it never collides with one.
const unscheduledNode = "\x00unscheduled"

// podsByNode is the IndexPodsByNode index function. Unscheduled pods are
// indexed under unscheduledNode: their diagnosis checks them against every
// node, so any node's change can change it.
func podsByNode(obj any) ([]string, error) {
	p, ok := obj.(*corev1.Pod)
	if !ok {
		return nil, nil
	}
	if p.Spec.NodeName == "" {
		return []string{unscheduledNode}, nil
	}
	return []string{p.Spec.NodeName}, nil
}

// sameVersion reports whether an update is a resync of an unchanged object.
// An empty resourceVersion (fake clientsets, the demo) counts as changed.
func sameVersion(old, cur metav1.Object) bool {
	return old.GetResourceVersion() != "" && old.GetResourceVersion() == cur.GetResourceVersion()
}

// podKey is the queue key of a pod.
func podKey(p *corev1.Pod) cache.ObjectName {
	return cache.ObjectName{Namespace: p.Namespace, Name: p.Name}
}

// involvedPodKey returns the key of the pod an event is about, if it is about a pod.
func involvedPodKey(e *corev1.Event) (cache.ObjectName, bool) {
	io := e.InvolvedObject
	if io.Kind != "Pod" || io.Name == "" {
		return cache.ObjectName{}, false
	}
	return cache.ObjectName{Namespace: io.Namespace, Name: io.Name}, true
}

// EventTime is when an event last happened: the newest of series.lastObservedTime,
// lastTimestamp, eventTime, firstTimestamp and creationTimestamp. Events written
// through events.k8s.io/v1 leave lastTimestamp empty and use eventTime and series.
func EventTime(e *corev1.Event) time.Time {
	t := e.CreationTimestamp.Time
	for _, c := range []time.Time{e.FirstTimestamp.Time, e.EventTime.Time, e.LastTimestamp.Time} {
		if c.After(t) {
			t = c
		}
	}
	if e.Series != nil && e.Series.LastObservedTime.After(t) {
		t = e.Series.LastObservedTime.Time
	}
	return t
}

// sortEventsNewestFirst orders events by EventTime, newest first; ties by name
// so the order is stable between renders.
func sortEventsNewestFirst(events []*corev1.Event) {
	slices.SortFunc(events, func(a, b *corev1.Event) int {
		if c := EventTime(b).Compare(EventTime(a)); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
}

// sortPods orders pods by namespace, then name.
func sortPods(pods []*corev1.Pod) {
	slices.SortFunc(pods, func(a, b *corev1.Pod) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
}

// nodeChanged reports whether a node update can change a pod's diagnosis:
// conditions (ignoring heartbeat times), taints, unschedulable, allocatable.
// Kubelets rewrite node status every few minutes only to bump heartbeats.
func nodeChanged(old, cur *corev1.Node) bool {
	if old.Spec.Unschedulable != cur.Spec.Unschedulable ||
		!slices.EqualFunc(old.Spec.Taints, cur.Spec.Taints, func(a, b corev1.Taint) bool {
			return a.Key == b.Key && a.Value == b.Value && a.Effect == b.Effect
		}) ||
		!slices.EqualFunc(old.Status.Conditions, cur.Status.Conditions, func(a, b corev1.NodeCondition) bool {
			return a.Type == b.Type && a.Status == b.Status && a.Reason == b.Reason && a.Message == b.Message
		}) ||
		len(old.Status.Allocatable) != len(cur.Status.Allocatable) {
		return true
	}
	for name, q := range cur.Status.Allocatable {
		if oq, ok := old.Status.Allocatable[name]; !ok || !oq.Equal(q) {
			return true
		}
	}
	return false
}
