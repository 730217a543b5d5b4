package diagnose

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// The kubectl command builders below fill in a pod's real namespace, name and
// container, so a finding's Commands can be pasted into a terminal as they are.
// They match the standard evidence commands of reference/reasons.md §0. Every
// command is read-only: the dashboard never suggests a command that changes the
// cluster. Names are DNS labels or subdomains, so they need no shell quoting;
// JSONPath expressions are single-quoted.

// cmdGetPodWide is evidence command 1: STATUS, RESTARTS and NODE.
func cmdGetPodWide(pod *corev1.Pod) string {
	return "kubectl get pod -n " + pod.Namespace + " " + pod.Name + " -o wide"
}

// cmdDescribePod is evidence command 2: states, last states, exit codes, events.
func cmdDescribePod(pod *corev1.Pod) string {
	return "kubectl describe pod -n " + pod.Namespace + " " + pod.Name
}

// cmdPodEvents is evidence command 3: the pod's events, oldest first.
func cmdPodEvents(pod *corev1.Pod) string {
	return "kubectl get events -n " + pod.Namespace + " --field-selector involvedObject.name=" + pod.Name + " --sort-by=.lastTimestamp"
}

// cmdLogs is evidence command 4: a container's logs; previous selects the run
// that crashed rather than the current one.
func cmdLogs(pod *corev1.Pod, container string, previous bool) string {
	s := "kubectl logs -n " + pod.Namespace + " " + pod.Name + " -c " + container
	if previous {
		s += " --previous"
	}
	return s
}

// cmdPodJSONPath is evidence command 5: one part of the pod exactly as stored,
// e.g. cmdPodJSONPath(pod, "{.status.containerStatuses[?(@.name==\"app\")].lastState}").
func cmdPodJSONPath(pod *corev1.Pod, expr string) string {
	return "kubectl get pod -n " + pod.Namespace + " " + pod.Name + " -o jsonpath='" + expr + "'"
}

// cmdContainerStatus prints one container's status (init containers included).
func cmdContainerStatus(pod *corev1.Pod, container string, init bool) string {
	field := "containerStatuses"
	if init {
		field = "initContainerStatuses"
	}
	return cmdPodJSONPath(pod, "{.status."+field+"[?(@.name==\""+container+"\")]}")
}

// cmdContainerSpec prints one container's spec (init containers included).
func cmdContainerSpec(pod *corev1.Pod, container string, init bool) string {
	field := "containers"
	if init {
		field = "initContainers"
	}
	return cmdPodJSONPath(pod, "{.spec."+field+"[?(@.name==\""+container+"\")]}")
}

// cmdDescribeNode is evidence command 6: node conditions, taints, allocations.
func cmdDescribeNode(node string) string {
	return "kubectl describe node " + node
}

// cmdNodeTaints is evidence command 7 for one node.
func cmdNodeTaints(node string) string {
	return "kubectl get node " + node + " -o jsonpath='{.spec.taints}'"
}

// cmdEventsByReason is evidence command 8: the same event reason cluster-wide.
func cmdEventsByReason(reason string) string {
	return "kubectl get events -A --field-selector reason=" + reason
}

// cmdDebugNode is evidence command 9: a shell on the node for crictl and
// journalctl (run `chroot /host` inside it).
func cmdDebugNode(node string) string {
	return "kubectl debug node/" + node + " -it --image=busybox"
}

// cmdTopPod shows real memory and CPU use per container (needs metrics-server).
func cmdTopPod(pod *corev1.Pod) string {
	return "kubectl top pod -n " + pod.Namespace + " " + pod.Name + " --containers"
}

// cmdGet prints one namespaced object of the pod's namespace, e.g.
// cmdGet(pod, "configmap", "app-config").
func cmdGet(pod *corev1.Pod, kind, name string) string {
	return "kubectl get " + kind + " -n " + pod.Namespace + " " + name
}

// cmdDescribe describes one namespaced object of the pod's namespace. For a
// Secret, describe shows key names and sizes but never the values.
func cmdDescribe(pod *corev1.Pod, kind, name string) string {
	return "kubectl describe " + kind + " -n " + pod.Namespace + " " + name
}

// cmdServiceAccount prints the pod's ServiceAccount, whose imagePullSecrets
// are merged into the pod's at admission.
func cmdServiceAccount(pod *corev1.Pod) string {
	sa := pod.Spec.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	return "kubectl get serviceaccount -n " + pod.Namespace + " " + sa + " -o yaml"
}

// cmdEndpoints lists the EndpointSlices of the pod's namespace with the pod's
// address, to see whether a Service still routes to it.
func cmdEndpoints(pod *corev1.Pod) string {
	if pod.Status.PodIP == "" {
		return "kubectl get endpointslices -n " + pod.Namespace
	}
	return "kubectl get endpointslices -n " + pod.Namespace + " -o wide | grep " + strings.ReplaceAll(pod.Status.PodIP, ".", "\\.")
}
