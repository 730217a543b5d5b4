package diagnose

import (
	"regexp"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// The kubectl command builders below fill in a pod's real namespace, name and
// container, so a finding's Commands can be pasted into a terminal as they
// are. They read the cluster; the one exception is kubectl debug node/…,
// which starts a debugging pod on the node, on purpose.
//
// The values come from the cluster, written by whoever can create a pod, and
// the engineer who pastes a command runs it in their own shell with their own
// credentials, so a value must never become shell syntax or a kubectl flag
// (OWASP, "OS Command Injection Defense Cheat Sheet": validate the input, and
// quote what is passed as an argument). The API server validates object
// names, but not every string that names one: an imagePullSecrets[].name, a
// volume's claimName or a name read out of a waiting message can hold
// anything, "; curl … | sh" included. Hence two rules:
//
//   - A value goes into a command only when it is valid for its kind, by the
//     rule the API server applies to that kind (Kubernetes docs, "Object Names
//     and IDs": namespaces and container names are DNS-1123 labels, pods,
//     nodes, Secrets, ConfigMaps, ServiceAccounts and PersistentVolumeClaims
//     DNS-1123 subdomains), checked with k8s.io/apimachinery/pkg/util/validation.
//     A valid name starts with a letter or digit, so it cannot be read as a
//     flag either. When a value is not valid the builder returns "" and
//     newDiagnosis drops it: the finding still shows the value as evidence
//     (escaped by the templates), but offers no command with it.
//   - Every argument is written by kubectl, the one place a command line is
//     assembled, which single-quotes an argument for a POSIX shell (POSIX.1
//     Shell Command Language, 2.2.3 "Single-Quotes") unless it consists of
//     bytes no shell treats specially. Valid names never need quotes, so
//     commands read as kubectl's own documentation writes them; JSONPath and
//     custom-columns expressions are quoted like any other argument.

// kubectl is the command line "kubectl args…", each argument one shell word.
func kubectl(args ...string) string {
	var b strings.Builder
	b.WriteString("kubectl")
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(shellWord(a))
	}
	return b.String()
}

// shellWord writes s as one word that a POSIX shell (and bash or zsh) reads
// back as exactly s: as it is when every byte is safe, otherwise in single
// quotes, inside which nothing is special except the quote itself, which is
// written as close quote, backslash-quote, reopen. A leading "name=" of safe
// bytes stays outside the quotes, the way kubectl's documentation writes
// jsonpath='{…}'. A word never starts with an unquoted "=" (zsh expands =cmd
// to a path), and the empty string is a pair of quotes:
//
//	it's          ->  'it'\''s'
//	jsonpath={.x} ->  jsonpath='{.x}'
//	(empty)       ->  ''
func shellWord(s string) string {
	if s != "" && s[0] != '=' && safeWord(s) {
		return s
	}
	prefix := ""
	if i := strings.IndexByte(s, '='); i > 0 && safeWord(s[:i]) {
		prefix, s = s[:i+1], s[i+1:]
	}
	return prefix + "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safeWord reports whether every byte of s is one no shell gives a meaning
// to inside a word: letters, digits and _ . / : = , @ % + -. Not ~ (home
// directory), not * ? [ ] (globs), not { } (brace expansion), not $ ` \ " '
// or any blank, operator or control byte.
func safeWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("_./:=,@%+-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// Each kind of value a command takes, with the rule the API server applies
// to it (Kubernetes docs, "Object Names and IDs"; k8s.io/kubernetes
// pkg/apis/core/validation: ValidateNamespaceName, ValidatePodName,
// ValidateNodeName, ValidateSecretName, ValidateConfigMapName,
// ValidateServiceAccountName, ValidatePersistentVolumeName, and
// validateContainers for container names).

// validNamespace: namespaces are DNS-1123 labels.
func validNamespace(s string) bool { return len(validation.IsDNS1123Label(s)) == 0 }

// validName: pods, nodes, Secrets, ConfigMaps, ServiceAccounts and
// PersistentVolumeClaims are named by DNS-1123 subdomains.
func validName(s string) bool { return len(validation.IsDNS1123Subdomain(s)) == 0 }

// validContainerName: container names are DNS-1123 labels.
func validContainerName(s string) bool { return len(validation.IsDNS1123Label(s)) == 0 }

// validPod reports whether the pod's namespace and name may go into a command.
func validPod(pod *corev1.Pod) bool { return validNamespace(pod.Namespace) && validName(pod.Name) }

// validLabel: a label key is a qualified name ([prefix/]name) and its value a
// label value.
func validLabel(key, value string) bool {
	return len(validation.IsQualifiedName(key)) == 0 && len(validation.IsValidLabelValue(value)) == 0
}

// validTaintKey: taint keys are qualified names, like label keys.
func validTaintKey(s string) bool { return len(validation.IsQualifiedName(s)) == 0 }

// eventReason is the shape of the reasons Kubernetes components give events:
// one UpperCamelCase word ("FailedMount", "BackOff"). The API server checks
// only a reason's length (ReasonLengthLimit, 128 bytes, in k8s.io/kubernetes
// pkg/apis/core/validation/events.go), so this is the rule
// a reason must pass to be put into a field selector, where "," "=" and "\"
// would change the query.
var eventReason = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,127}$`)

// validEventReason reports whether reason may go into a command.
func validEventReason(s string) bool { return eventReason.MatchString(s) }

// cmdGetPodWide is evidence command 1: STATUS, RESTARTS and NODE.
func cmdGetPodWide(pod *corev1.Pod) string {
	if !validPod(pod) {
		return ""
	}
	return kubectl("get", "pod", "-n", pod.Namespace, pod.Name, "-o", "wide")
}

// cmdDescribePod is evidence command 2: states, last states, exit codes, events.
func cmdDescribePod(pod *corev1.Pod) string {
	if !validPod(pod) {
		return ""
	}
	return kubectl("describe", "pod", "-n", pod.Namespace, pod.Name)
}

// cmdPodEvents is evidence command 3: the pod's events, oldest first.
func cmdPodEvents(pod *corev1.Pod) string {
	if !validPod(pod) {
		return ""
	}
	return kubectl("get", "events", "-n", pod.Namespace, "--field-selector", "involvedObject.name="+pod.Name, "--sort-by=.lastTimestamp")
}

// cmdLogs is evidence command 4: a container's logs; previous selects the run
// that crashed rather than the current one.
func cmdLogs(pod *corev1.Pod, container string, previous bool) string {
	if !validPod(pod) || !validContainerName(container) {
		return ""
	}
	args := []string{"logs", "-n", pod.Namespace, pod.Name, "-c", container}
	if previous {
		args = append(args, "--previous")
	}
	return kubectl(args...)
}

// cmdPodJSONPath is evidence command 5: one part of the pod exactly as stored,
// e.g. cmdPodJSONPath(pod, "{.metadata.finalizers}"). expr is the package's
// own; a name inside it must have been validated by the caller.
func cmdPodJSONPath(pod *corev1.Pod, expr string) string {
	if !validPod(pod) {
		return ""
	}
	return kubectl("get", "pod", "-n", pod.Namespace, pod.Name, "-o", "jsonpath="+expr)
}

// cmdContainerStatus prints one container's status (init containers included).
func cmdContainerStatus(pod *corev1.Pod, container string, init bool) string {
	field := "containerStatuses"
	if init {
		field = "initContainerStatuses"
	}
	return cmdContainerPath(pod, ".status."+field, container)
}

// cmdContainerSpec prints one container's spec (init containers included).
func cmdContainerSpec(pod *corev1.Pod, container string, init bool) string {
	field := "containers"
	if init {
		field = "initContainers"
	}
	return cmdContainerPath(pod, ".spec."+field, container)
}

// cmdContainerPath prints the element of the list at path whose name is
// container. The name sits inside a JSONPath string literal, so it must be a
// valid container name: a DNS label has no quote or bracket to end it early.
func cmdContainerPath(pod *corev1.Pod, path, container string) string {
	if !validContainerName(container) {
		return ""
	}
	return cmdPodJSONPath(pod, "{"+path+"[?(@.name==\""+container+"\")]}")
}

// cmdDescribeNode is evidence command 6: node conditions, taints, allocations.
func cmdDescribeNode(node string) string {
	if !validName(node) {
		return ""
	}
	return kubectl("describe", "node", node)
}

// cmdNodeTaints is evidence command 7 for one node.
func cmdNodeTaints(node string) string {
	if !validName(node) {
		return ""
	}
	return kubectl("get", "node", node, "-o", "jsonpath={.spec.taints}")
}

// cmdEventsByReason is evidence command 8: the same event reason cluster-wide.
func cmdEventsByReason(reason string) string {
	if !validEventReason(reason) {
		return ""
	}
	return kubectl("get", "events", "-A", "--field-selector", "reason="+reason)
}

// cmdDebugNode is evidence command 9: a shell on the node for crictl and
// journalctl (run `chroot /host` inside it).
func cmdDebugNode(node string) string {
	if !validName(node) {
		return ""
	}
	return kubectl("debug", "node/"+node, "-it", "--image=busybox")
}

// cmdNodeLease prints the node's heartbeat Lease, renewed by its kubelet.
func cmdNodeLease(node string) string {
	if !validName(node) {
		return ""
	}
	return kubectl("get", "lease", "-n", "kube-node-lease", node)
}

// cmdPodsOnNode lists the pods bound to a node, in every namespace.
func cmdPodsOnNode(node string) string {
	if !validName(node) {
		return ""
	}
	return kubectl("get", "pods", "-A", "-o", "wide", "--field-selector", "spec.nodeName="+node)
}

// cmdTopPod shows real memory and CPU use per container (needs metrics-server).
func cmdTopPod(pod *corev1.Pod) string {
	if !validPod(pod) {
		return ""
	}
	return kubectl("top", "pod", "-n", pod.Namespace, pod.Name, "--containers")
}

// cmdGet prints one namespaced object of the pod's namespace, e.g.
// cmdGet(pod, "configmap", "app-config").
func cmdGet(pod *corev1.Pod, kind, name string) string {
	if !validNamespace(pod.Namespace) || !validName(name) {
		return ""
	}
	return kubectl("get", kind, "-n", pod.Namespace, name)
}

// cmdDescribe describes one namespaced object of the pod's namespace. For a
// Secret, describe shows key names and sizes but never the values.
func cmdDescribe(pod *corev1.Pod, kind, name string) string {
	if !validNamespace(pod.Namespace) || !validName(name) {
		return ""
	}
	return kubectl("describe", kind, "-n", pod.Namespace, name)
}

// cmdDescribePVC describes a PersistentVolumeClaim of the pod's namespace:
// its phase, StorageClass and the binder's events.
func cmdDescribePVC(pod *corev1.Pod, claim string) string {
	if !validNamespace(pod.Namespace) || !validName(claim) {
		return ""
	}
	return kubectl("describe", "pvc", claim, "-n", pod.Namespace)
}

// cmdNamespaced lists objects of the given kinds (e.g. "pvc") in the pod's
// namespace.
func cmdNamespaced(pod *corev1.Pod, kinds string) string {
	if !validNamespace(pod.Namespace) {
		return ""
	}
	return kubectl("get", kinds, "-n", pod.Namespace)
}

// cmdServiceAccount prints the pod's ServiceAccount, whose imagePullSecrets
// are merged into the pod's at admission.
func cmdServiceAccount(pod *corev1.Pod) string {
	sa := pod.Spec.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	if !validNamespace(pod.Namespace) || !validName(sa) {
		return ""
	}
	return kubectl("get", "serviceaccount", "-n", pod.Namespace, sa, "-o", "yaml")
}

// cmdEndpoints shows, for each EndpointSlice of the pod's namespace, its
// Service and whether it lists this pod as ready (<none>: not listed), to see
// whether a Service still routes to it. One kubectl call, no pipe: the
// slice's endpoints are matched on targetRef, which names the pod (the pod
// IP would also match other hostNetwork pods of the node), and the column is
// JSONPath evaluated by kubectl (custom-columns, kubectl reference "Output
// options"), so all of them show, not the first three that -o wide prints.
func cmdEndpoints(pod *corev1.Pod) string {
	if !validPod(pod) {
		return ""
	}
	columns := "custom-columns=SLICE:.metadata.name," +
		`SERVICE:.metadata.labels.kubernetes\.io/service-name,` +
		`POD_READY:.endpoints[?(@.targetRef.name=="` + pod.Name + `")].conditions.ready`
	return kubectl("get", "endpointslices", "-n", pod.Namespace, "-o", columns)
}

// Commands about the whole cluster, with no value from it.
var (
	cmdNodes         = kubectl("get", "nodes")
	cmdNodeTaintList = kubectl("get", "nodes", "-o", "custom-columns=NAME:.metadata.name,TAINTS:.spec.taints")
	cmdNodesWide     = kubectl("get", "nodes", "-o", "wide", "--show-labels")
	cmdSchedulerPods = kubectl("get", "pods", "-n", "kube-system", "-l", "component=kube-scheduler")
	cmdPVs           = kubectl("get", "pv")
)

// dropEmptyCommands removes the "" a builder returns for a value it would
// not put into a command. Rules may share a Commands slice between findings,
// so a slice with a gap is copied, never edited in place.
func dropEmptyCommands(findings []Finding) {
	for i := range findings {
		cmds := findings[i].Commands
		if !slices.Contains(cmds, "") {
			continue
		}
		kept := make([]string, 0, len(cmds))
		for _, c := range cmds {
			if c != "" {
				kept = append(kept, c)
			}
		}
		findings[i].Commands = kept
	}
}

// A cmdWord is one argument of a kubectl command written inside an action's
// sentence ("When maintenance is over: kubectl uncordon %s."): a value valid
// for its kind, as a shell word, or its placeholder (<node>, <pod>, …) when
// the value is not valid, so the sentence still reads but never carries it.
// People copy these commands too, so they follow the rules of Commands.
type cmdWord string

func word(value string, valid bool, placeholder string) cmdWord {
	if !valid {
		return cmdWord(placeholder)
	}
	return cmdWord(shellWord(value))
}

func nodeWord(node string) cmdWord    { return word(node, validName(node), "<node>") }
func podWord(pod *corev1.Pod) cmdWord { return word(pod.Name, validName(pod.Name), "<pod>") }
func claimWord(claim string) cmdWord  { return word(claim, validName(claim), "<pvc>") }
func taintKeyWord(key string) cmdWord { return word(key, validTaintKey(key), "<key>") }
func labelWord(key, value string) cmdWord {
	return word(key+"="+value, validLabel(key, value), "<key>=<value>")
}

func namespaceWord(pod *corev1.Pod) cmdWord {
	return word(pod.Namespace, validNamespace(pod.Namespace), "<namespace>")
}
