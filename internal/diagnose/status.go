package diagnose

import (
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// Columns are the cells `kubectl get pods -o wide` prints for a pod, computed
// with kubectl's own rules, so an operator switching between the dashboard and
// kubectl never reads a different word (KubectlColumns).
type Columns struct {
	// Ready is "<ready>/<total>", sidecars (restartable init containers) included.
	Ready string
	// Status is kubectl's STATUS: a phase, a pod or container reason, or one of
	// the printer's own words (Init:0/2, ExitCode:1, NotReady, Terminating, …).
	Status string
	// Restarts is "N" or "N (<age> ago)".
	Restarts string
	// Age is the time since creation, as kubectl prints it.
	Age string
	// IP is the first pod IP, or "<none>".
	IP string
	// Node is spec.nodeName, or "<none>".
	Node string
	// NominatedNode is status.nominatedNodeName, or "<none>".
	NominatedNode string
	// ReadinessGates is "<true>/<total>", or "<none>" when the pod has none.
	ReadinessGates string

	// RestartCount is the number behind Restarts, kept so the UI can sort and
	// colour by it without parsing text.
	RestartCount int
	// LastRestart is the newest lastState.terminated.finishedAt among the
	// containers counted in RestartCount; zero when unknown.
	LastRestart time.Time
}

// noneCell is kubectl's placeholder for an empty wide cell.
const noneCell = "<none>"

// KubectlColumns computes the kubectl columns for pod at time now.
//
// It is a port of printPod in kubernetes/kubernetes
// pkg/printers/internalversion/printers.go at v1.37.2, the code the API server
// runs to answer a Table request, and follows it statement by statement. It
// runs for every row on every push, so it avoids maps and fmt: the common
// cells come from constant strings.
func KubectlColumns(pod *corev1.Pod, now time.Time) Columns {
	spec, st := &pod.Spec, &pod.Status

	restarts, sidecarRestarts := 0, 0
	total, ready := len(spec.Containers), 0
	var lastRestart, sidecarLastRestart time.Time

	// Rule 1: the phase, replaced by status.reason when set.
	reason := string(st.Phase)
	if st.Reason != "" {
		reason = st.Reason
	}
	// Rule 2: scheduling gates.
	for i := range st.Conditions {
		c := &st.Conditions[i]
		if c.Type == corev1.PodScheduled && c.Reason == corev1.PodReasonSchedulingGated {
			reason = corev1.PodReasonSchedulingGated
		}
	}
	// Rule 4: sidecars count in the READY denominator.
	for i := range spec.InitContainers {
		if colSidecar(&spec.InitContainers[i]) {
			total++
		}
	}

	// Rule 5: init containers, in status order, up to the first unfinished one.
	initializing := false
	for i := range st.InitContainerStatuses {
		cs := &st.InitContainerStatuses[i]
		sidecar := colSidecar(colInitContainer(spec, cs.Name))
		restarts += int(cs.RestartCount)
		if t := cs.LastTerminationState.Terminated; t != nil {
			lastRestart = colLater(lastRestart, t.FinishedAt.Time)
			if sidecar {
				sidecarLastRestart = colLater(sidecarLastRestart, t.FinishedAt.Time)
			}
		}
		if sidecar {
			sidecarRestarts += int(cs.RestartCount)
		}
		term := cs.State.Terminated
		switch {
		case term != nil && term.ExitCode == 0:
			continue
		case sidecar && cs.Started != nil && *cs.Started:
			if cs.Ready {
				ready++
			}
			continue
		case term != nil:
			switch {
			case term.Reason != "":
				reason = "Init:" + term.Reason
			case term.Signal != 0:
				reason = "Init:Signal:" + strconv.Itoa(int(term.Signal))
			default:
				reason = "Init:ExitCode:" + strconv.Itoa(int(term.ExitCode))
			}
		case cs.State.Waiting != nil && cs.State.Waiting.Reason != "" && cs.State.Waiting.Reason != "PodInitializing":
			reason = "Init:" + cs.State.Waiting.Reason
		default:
			reason = "Init:" + strconv.Itoa(i) + "/" + strconv.Itoa(len(spec.InitContainers))
		}
		initializing = true
		break
	}

	// Rule 6: regular containers, last to first, so the first one with a reason wins.
	if !initializing || colConditionTrue(st.Conditions, corev1.PodInitialized) {
		restarts, lastRestart = sidecarRestarts, sidecarLastRestart
		hasRunning := false
		errorReason := ""
		for i := len(st.ContainerStatuses) - 1; i >= 0; i-- {
			cs := &st.ContainerStatuses[i]
			restarts += int(cs.RestartCount)
			if t := cs.LastTerminationState.Terminated; t != nil {
				lastRestart = colLater(lastRestart, t.FinishedAt.Time)
			}
			switch w, t := cs.State.Waiting, cs.State.Terminated; {
			case w != nil && w.Reason != "":
				reason = w.Reason
			case t != nil:
				switch {
				case t.Reason != "":
					reason = t.Reason
				case t.Signal != 0:
					reason = "Signal:" + strconv.Itoa(int(t.Signal))
				default:
					reason = "ExitCode:" + strconv.Itoa(int(t.ExitCode))
				}
				if t.ExitCode != 0 {
					errorReason = reason
				}
			case cs.Ready && cs.State.Running != nil:
				hasRunning = true
				ready++
			}
		}
		// Rule 7: a Completed container next to running ones.
		if reason == "Completed" {
			switch {
			case hasRunning && colAnyConditionTrue(st.Conditions, corev1.PodReady):
				reason = string(corev1.PodRunning)
			case errorReason != "":
				reason = errorReason
			case hasRunning:
				reason = "NotReady"
			}
		}
	}

	// Rule 8: deletion.
	if pod.DeletionTimestamp != nil {
		switch {
		case st.Reason == "NodeLost":
			reason = "Unknown"
		case st.Phase != corev1.PodSucceeded && st.Phase != corev1.PodFailed:
			reason = "Terminating"
		}
	}

	// Rule 9: restarts.
	restartCell := strconv.Itoa(restarts)
	if restarts != 0 && !lastRestart.IsZero() {
		restartCell += " (" + duration.HumanDuration(now.Sub(lastRestart)) + " ago)"
	}

	// Rule 11: age.
	age := "<unknown>"
	if !pod.CreationTimestamp.IsZero() {
		age = duration.HumanDuration(now.Sub(pod.CreationTimestamp.Time))
	}

	return Columns{
		Ready:          colRatio(ready, total),
		Status:         reason,
		Restarts:       restartCell,
		Age:            age,
		IP:             colPodIP(st),
		Node:           colOrNone(spec.NodeName),
		NominatedNode:  colOrNone(st.NominatedNodeName),
		ReadinessGates: colReadinessGates(pod),
		RestartCount:   restarts,
		LastRestart:    lastRestart,
	}
}

// colSidecar reports whether c is a restartable init container (restartPolicy
// Always), which kubectl counts as a long-running container.
func colSidecar(c *corev1.Container) bool {
	return c != nil && c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

// colInitContainer finds an init container's spec by name. A linear scan beats
// printPod's map for the handful of init containers a pod has.
func colInitContainer(spec *corev1.PodSpec, name string) *corev1.Container {
	for i := range spec.InitContainers {
		if spec.InitContainers[i].Name == name {
			return &spec.InitContainers[i]
		}
	}
	return nil
}

// colLater returns the later of a and b, as printPod's Before comparisons do.
func colLater(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

// colConditionTrue reports whether the first condition of type t is True
// (printPod's isPodInitializedConditionTrue).
func colConditionTrue(conds []corev1.PodCondition, t corev1.PodConditionType) bool {
	for i := range conds {
		if conds[i].Type == t {
			return conds[i].Status == corev1.ConditionTrue
		}
	}
	return false
}

// colAnyConditionTrue reports whether any condition of type t is True
// (printPod's hasPodReadyCondition, which does not stop at the first match).
func colAnyConditionTrue(conds []corev1.PodCondition, t corev1.PodConditionType) bool {
	for i := range conds {
		if conds[i].Type == t && conds[i].Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// colPodIP is printPod's IP cell. printPod reads podIPs[0] of the internal pod,
// and the API server's defaulting makes that equal to status.podIP whenever
// podIP is set (podIP wins a mismatch), so objects that skipped defaulting
// (hand-built pods in tests) read the same as stored ones.
func colPodIP(st *corev1.PodStatus) string {
	if st.PodIP != "" {
		return st.PodIP
	}
	if len(st.PodIPs) > 0 && st.PodIPs[0].IP != "" {
		return st.PodIPs[0].IP
	}
	return noneCell
}

// colReadinessGates counts the gates whose first matching condition is True.
func colReadinessGates(pod *corev1.Pod) string {
	gates := pod.Spec.ReadinessGates
	if len(gates) == 0 {
		return noneCell
	}
	n := 0
	for _, g := range gates {
		if colConditionTrue(pod.Status.Conditions, g.ConditionType) {
			n++
		}
	}
	return colRatio(n, len(gates))
}

// colOrNone returns s, or kubectl's placeholder when s is empty.
func colOrNone(s string) string {
	if s == "" {
		return noneCell
	}
	return s
}

// colRatios holds "a/b" for small a and b, so READY and READINESS GATES cost no
// allocation for ordinary pods.
var colRatios = func() (r [16][16]string) {
	for a := range r {
		for b := range r[a] {
			r[a][b] = strconv.Itoa(a) + "/" + strconv.Itoa(b)
		}
	}
	return r
}()

// colRatio formats "a/b", from colRatios when it can.
func colRatio(a, b int) string {
	if a >= 0 && b >= 0 && a < len(colRatios) && b < len(colRatios) {
		return colRatios[a][b]
	}
	return strconv.Itoa(a) + "/" + strconv.Itoa(b)
}
