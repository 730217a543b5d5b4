package diagnose

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	resourcehelper "k8s.io/component-helpers/resource"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
)

// Thresholds of the scheduling rule.
const (
	// unschedulableInfoFor: a pod unschedulable for less than 1 minute may
	// still be placed (autoscaler, preemption, nodes joining): Info.
	unschedulableInfoFor = time.Minute
	// unschedulableCritical: pending unschedulable for 5 minutes is Critical;
	// in between it is a Warning.
	unschedulableCritical = 5 * time.Minute
	// notScheduledAfter: an unbound pod that no scheduler has looked at for
	// 1 minute (no PodScheduled condition, no events) is a Warning.
	notScheduledAfter = time.Minute
	// gatedWarnAfter: scheduling gates are often a queue (Kueue): Info for
	// 10 minutes, then a Warning.
	gatedWarnAfter = 10 * time.Minute
	// nominatedWarnAfter: waiting for preemption victims for 5 minutes is a Warning.
	nominatedWarnAfter = 5 * time.Minute
	// maxNodesListed caps per-node evidence lines.
	maxNodesListed = 5
)

// schedKind classifies one reason of a scheduler FitError.
type schedKind int

const (
	kindOther schedKind = iota
	kindTaint
	kindNodeAffinity
	kindResource
	kindTooManyPods
	kindCordoned
	kindNodeName
	kindPorts
	kindPodAffinity
	kindTopology
	kindVolume
	kindDRA
)

// schedFragments maps scheduler message fragments to kinds, tested in order,
// case-insensitively. The texts are the scheduler plugins' Filter statuses
// (pkg/scheduler/framework/plugins, e.g. noderesources/fit.go "Insufficient
// cpu", tainttoleration/taint_toleration.go "node(s) had untolerated
// taint(s)"), joined by FitError.Error (pkg/scheduler/framework/types.go),
// in current and older wording.
var schedFragments = []struct {
	fragment string
	kind     schedKind
}{
	{"untolerated taint", kindTaint},
	{"that the pod didn't tolerate", kindTaint},
	{"didn't match pod's node affinity/selector", kindNodeAffinity},
	{"didn't match node selector", kindNodeAffinity},
	{"didn't match scheduler-enforced node affinity", kindNodeAffinity},
	{"pod affinity terms conflict", kindNodeAffinity},
	{"insufficient ", kindResource},
	{"too many pods", kindTooManyPods},
	{"were unschedulable", kindCordoned},
	{"didn't match the requested node name", kindNodeName},
	{"didn't have free ports", kindPorts},
	{"pod affinity rules", kindPodAffinity},
	{"pod anti-affinity rules", kindPodAffinity},
	{"existing pods anti-affinity", kindPodAffinity},
	{"topology spread constraints", kindTopology},
	{"volume node affinity conflict", kindVolume},
	{"persistentvolume's node affinity", kindVolume},
	{"persistent volumes to bind", kindVolume},
	{"enough free storage", kindVolume},
	{"non-existent pv", kindVolume},
	{"unbound immediate persistentvolumeclaims", kindVolume},
	{"persistentvolumeclaim", kindVolume},
	{"available disk", kindVolume},
	{"max volume count", kindVolume},
	{"volume zone", kindVolume},
	{"readwriteoncepod", kindVolume},
	{"claims", kindDRA},
	{"resourceclaim", kindDRA},
}

func classifySchedReason(text string) schedKind {
	lower := strings.ToLower(text)
	for _, f := range schedFragments {
		if strings.Contains(lower, f.fragment) {
			return f.kind
		}
	}
	return kindOther
}

// schedReason is one "<count> <reason>" item of a FitError.
type schedReason struct {
	Count int
	Text  string
	Kind  schedKind
}

// schedMessage is a parsed FitError: "0/<N> nodes are available: <reasons>.
// preemption: …".
type schedMessage struct {
	Total      int
	Reasons    []schedReason
	Preemption string
}

var (
	fitErrorRE  = regexp.MustCompile(`(?s)^0/(\d+) nodes are available:\s*(.*)$`)
	countItemRE = regexp.MustCompile(`^(\d+) (.+)$`)
	oldTaintRE  = regexp.MustCompile(`taint \{([^:}]+): ?([^}]*)\}`)
)

// parseSchedulerMessage parses the scheduler's FitError text, in the current
// and older formats. ok is false for text that is not a FitError.
func parseSchedulerMessage(msg string) (schedMessage, bool) {
	m := fitErrorRE.FindStringSubmatch(strings.TrimSpace(msg))
	if m == nil {
		return schedMessage{}, false
	}
	total, _ := strconv.Atoi(m[1])
	out := schedMessage{Total: total}
	rest := m[2]
	if i := strings.Index(rest, "preemption:"); i >= 0 {
		out.Preemption = strings.TrimSpace(rest[i:])
		rest = rest[:i]
		rest = strings.TrimSpace(rest)
		rest = strings.TrimSuffix(rest, "no new claims to deallocate,")
	}
	rest = strings.TrimSuffix(strings.TrimSpace(rest), ".")
	if rest == "" {
		return out, true
	}
	var items []string
	for _, p := range strings.Split(rest, ", ") {
		if len(items) > 0 && !countItemRE.MatchString(p) {
			items[len(items)-1] += ", " + p // "taint {k: v}, that the pod didn't tolerate"
			continue
		}
		items = append(items, p)
	}
	for _, it := range items {
		r := schedReason{Count: total, Text: strings.TrimSpace(it)}
		if cm := countItemRE.FindStringSubmatch(r.Text); cm != nil {
			r.Count, _ = strconv.Atoi(cm[1])
			r.Text = cm[2]
		}
		r.Kind = classifySchedReason(r.Text)
		out.Reasons = append(out.Reasons, r)
	}
	return out, true
}

var (
	msgSchedTitle = map[schedKind]*Message{
		kindTaint: podMsg("Cannot be scheduled: %d of %d nodes have taints the pod does not tolerate",
			"无法调度：%d/%d 个节点带有 Pod 不容忍的污点"),
		kindNodeAffinity: podMsg("Cannot be scheduled: %d of %d nodes do not match the node selector / affinity",
			"无法调度：%d/%d 个节点不匹配节点选择器 / 亲和性"),
		kindResource: podMsg("Cannot be scheduled: %d of %d nodes lack %s",
			"无法调度：%d/%d 个节点的 %s 不足"),
		kindTooManyPods: podMsg("Cannot be scheduled: %d of %d nodes are full (too many pods)",
			"无法调度：%d/%d 个节点的 Pod 数已满"),
		kindCordoned: podMsg("Cannot be scheduled: %d of %d nodes are cordoned",
			"无法调度：%d/%d 个节点已被封锁（cordon）"),
		kindNodeName: podMsg("Cannot be scheduled: %d of %d nodes are not the requested node",
			"无法调度：%d/%d 个节点不是指定的节点"),
		kindPorts: podMsg("Cannot be scheduled: %d of %d nodes have the requested host port in use",
			"无法调度：%d/%d 个节点上请求的 hostPort 已被占用"),
		kindPodAffinity: podMsg("Cannot be scheduled: %d of %d nodes break pod affinity / anti-affinity rules",
			"无法调度：%d/%d 个节点不满足 Pod 亲和性 / 反亲和性规则"),
		kindTopology: podMsg("Cannot be scheduled: %d of %d nodes break topology spread constraints",
			"无法调度：%d/%d 个节点不满足拓扑分布约束"),
		kindVolume: podMsg("Cannot be scheduled: %d of %d nodes cannot use the pod's volumes",
			"无法调度：%d/%d 个节点无法使用 Pod 的存储卷"),
		kindDRA: podMsg("Cannot be scheduled: %d of %d nodes cannot allocate the resource claims",
			"无法调度：%d/%d 个节点无法分配资源声明（ResourceClaim）"),
		kindOther: podMsg("Cannot be scheduled: %d of %d nodes rejected the pod",
			"无法调度：%d/%d 个节点拒绝了该 Pod"),
	}
	msgSchedExpl = map[schedKind]*Message{
		kindTaint: podMsg("A taint with effect NoSchedule or NoExecute keeps pods off a node unless they carry a matching toleration. The scheduler lists each node once, under the first reason that rejected it.",
			"效果为 NoSchedule 或 NoExecute 的污点会阻止没有相应容忍的 Pod 调度到该节点。调度器只按第一个拒绝原因统计每个节点。"),
		kindNodeAffinity: podMsg("The pod's spec.nodeSelector or required node affinity only allows nodes with certain labels, and these nodes do not have them.",
			"Pod 的 spec.nodeSelector 或必需节点亲和性只允许带有特定标签的节点，而这些节点没有这些标签。"),
		kindResource: podMsg("The scheduler compares the sum of the pod's requests with each node's allocatable minus the requests of the pods already there (not real usage).",
			"调度器把 Pod 的 requests 总和与每个节点的 allocatable 减去已有 Pod 的 requests 做比较（不是实际用量）。"),
		kindTooManyPods: podMsg("Each node runs at most status.allocatable.pods pods (the kubelet's max-pods), and these nodes are full.",
			"每个节点最多运行 status.allocatable.pods 个 Pod（kubelet 的 max-pods），这些节点已满。"),
		kindCordoned: podMsg("Cordoned nodes (spec.unschedulable: true) accept no new pods, usually during maintenance or a drain.",
			"被封锁的节点（spec.unschedulable: true）不接受新的 Pod，通常是在维护或排空（drain）期间。"),
		kindNodeName: podMsg("The pod asks for one node by name and the other nodes are ruled out.",
			"Pod 通过名称指定了一个节点，其他节点都被排除。"),
		kindPorts: podMsg("A hostPort can be used by only one pod per node; the port is taken on these nodes.",
			"一个 hostPort 在每个节点上只能被一个 Pod 使用；这些节点上的端口已被占用。"),
		kindPodAffinity: podMsg("Required pod affinity needs matching pods in the same topology domain; required anti-affinity forbids them. With more replicas than domains, anti-affinity leaves some pods with nowhere to go.",
			"必需的 Pod 亲和性要求同一拓扑域中存在匹配的 Pod，必需的反亲和性则禁止这样。副本数多于拓扑域时，反亲和性会让部分 Pod 无处可去。"),
		kindTopology: podMsg("A topology spread constraint with whenUnsatisfiable: DoNotSchedule would exceed its maxSkew on these nodes, or the nodes lack the topology label.",
			"whenUnsatisfiable: DoNotSchedule 的拓扑分布约束在这些节点上会超出 maxSkew，或者节点缺少拓扑标签。"),
		kindVolume: podMsg("The pod's PersistentVolumeClaims are unbound, missing, or bound to volumes these nodes cannot reach (a zonal disk in another zone, a local volume on another node, attach limits).",
			"Pod 的 PersistentVolumeClaim 未绑定、不存在，或绑定的卷无法被这些节点使用（其他可用区的磁盘、其他节点上的本地卷、挂载数量上限）。"),
		kindDRA: podMsg("Dynamic resource allocation could not satisfy the pod's ResourceClaims on these nodes.",
			"动态资源分配（DRA）无法在这些节点上满足 Pod 的 ResourceClaim。"),
		kindOther: podMsg("The scheduler rejected every node; its message gives the reasons.",
			"调度器拒绝了所有节点，原因见其消息。"),
	}

	msgSchedTaintTolerate = podMsg(
		"If the pod belongs on nodes with taint %s, add this toleration to the pod template:\n%s",
		"如果该 Pod 应当运行在带有污点 %s 的节点上，请在 Pod 模板中添加以下容忍：\n%s")
	msgSchedSystemTaint = podMsg(
		"Taint %s is set by Kubernetes on %s: fix the node condition behind it instead of tolerating it.",
		"污点 %s 由 Kubernetes 自动添加在 %s 上：应修复其背后的节点状况，而不是容忍它。")
	msgSchedSelectorNoNode = podMsg(
		"No node has the label %s required by %s: label a node (kubectl label node <node> %s) or fix the selector.",
		"没有节点带有标签 %s（%s 要求）：给节点打上标签（kubectl label node <node> %s）或修正选择器。")
	msgSchedAffinityGeneric = podMsg(
		"%d of %d nodes match the pod's nodeSelector and required node affinity together: compare the selector with the node labels (kubectl get nodes --show-labels).",
		"同时满足 Pod 的 nodeSelector 和必需节点亲和性的节点有 %d/%d 个：请对比选择器与节点标签（kubectl get nodes --show-labels）。")
	msgSchedResourceTooBig = podMsg(
		"The pod's %s request is %s but the largest node has only %s allocatable: lower the request or add bigger nodes.",
		"Pod 的 %s 请求为 %s，但最大的节点只有 %s 可分配：降低 requests 或添加更大的节点。")
	msgSchedResourceTooBigFit = podMsg(
		"The pod's %s request is %s but the largest node it may run on (taints tolerated, node selector matched, not cordoned) has only %s allocatable: lower the request, add bigger nodes, or let the pod use the bigger ones.",
		"Pod 的 %s 请求为 %s，但它可以运行的节点（污点已容忍、匹配节点选择器、未封锁）中最大的只有 %s 可分配：降低 requests、添加更大的节点，或让 Pod 可以使用更大的节点。")
	msgSchedResourceBusy = podMsg(
		"The pod's %s request is %s and nodes have up to %s allocatable, but other pods' requests already use it. Add nodes, scale other workloads down, or lower requests. (Other pods are not visible here: the scheduler's message is the evidence that the free amount is short.)",
		"Pod 的 %s 请求为 %s，节点最多有 %s 可分配，但已被其他 Pod 的 requests 占用。请扩容节点、缩减其他工作负载或降低 requests。（此处看不到其他 Pod：空闲量不足的依据是调度器的消息。）")
	msgSchedResourceUnknown = podMsg(
		"The pod's %s request is %s. Compare it with the nodes' free capacity (kubectl describe nodes, Allocated resources) and add nodes or lower requests.",
		"Pod 的 %s 请求为 %s。请与节点的空闲容量对比（kubectl describe nodes 中的 Allocated resources），然后扩容节点或降低 requests。")
	msgSchedTooManyPods = podMsg(
		"Nodes are at their pod limit (allocatable pods: %s). Add nodes or raise the kubelet's maxPods (and check the CNI's IP capacity).",
		"节点已达到 Pod 数量上限（allocatable pods：%s）。请扩容节点或调高 kubelet 的 maxPods（并检查 CNI 的 IP 容量）。")
	msgSchedUncordon = podMsg(
		"Nodes %s are cordoned. When maintenance is over: kubectl uncordon <node>.",
		"节点 %s 已被封锁。维护结束后执行：kubectl uncordon <node>。")
	msgSchedPodAffinity = podMsg(
		"Required %s with topologyKey %s: %d nodes carry that label. With more replicas than topology domains, use preferredDuringScheduling or add nodes/zones.",
		"必需的 %s（topologyKey %s）：有 %d 个节点带有该标签。副本数多于拓扑域时，请改用 preferredDuringScheduling 或增加节点 / 可用区。")
	msgSchedTopology = podMsg(
		"Constraint topologyKey %s, maxSkew %d, DoNotSchedule: the nodes form %d domains. Allow more skew, use ScheduleAnyway, or add nodes in the missing domains.",
		"约束 topologyKey %s、maxSkew %d、DoNotSchedule：节点共构成 %d 个拓扑域。请放宽 skew、改用 ScheduleAnyway，或在缺少的拓扑域中添加节点。")
	msgSchedVolume = podMsg(
		"Check PersistentVolumeClaim %s: is it Bound, and is its volume reachable from a schedulable node (zone, local node)? kubectl describe pvc %s -n %s",
		"检查 PersistentVolumeClaim %s：是否已绑定（Bound），其卷能否被可调度节点使用（可用区、本地节点）？kubectl describe pvc %s -n %s")
	msgSchedVolumeGeneric = podMsg(
		"Check the pod's PersistentVolumeClaims and their StorageClass (volumeBindingMode, allowed zones).",
		"检查 Pod 的 PersistentVolumeClaim 及其 StorageClass（volumeBindingMode、允许的可用区）。")
	msgSchedPorts = podMsg(
		"The pod asks for hostPort %s. Drop hostPort (use a Service), or run fewer replicas than nodes.",
		"Pod 请求了 hostPort %s。去掉 hostPort（改用 Service），或让副本数少于节点数。")
	msgSchedGeneric = podMsg(
		"Read the scheduler's reasons (kubectl describe pod %s -n %s) and compare them with the nodes.",
		"阅读调度器给出的原因（kubectl describe pod %s -n %s），并与节点情况对比。")
	msgSchedPreemption = podMsg(
		"Preemption cannot help: no lower-priority pods would free a node. A higher PriorityClass would not change that.",
		"抢占无济于事：驱逐低优先级 Pod 也腾不出合适的节点。提高 PriorityClass 也无法改变这一点。")

	msgGatedTitle = podMsg(
		"Waiting for scheduling gates: %s",
		"等待调度门控移除：%s")
	msgGatedExpl = podMsg(
		"The scheduler ignores the pod until every entry in spec.schedulingGates is removed by the controller that added it (for example a queueing system like Kueue). It has been gated for %s.",
		"在 spec.schedulingGates 中的每一项被添加它的控制器（例如 Kueue 等排队系统）移除之前，调度器会忽略该 Pod。已等待 %s。")
	msgGatedAction = podMsg(
		"Find the controller that owns gate %s and check why it has not released the pod (quota, queue position, its logs).",
		"找到负责门控 %s 的控制器，检查它为何尚未放行该 Pod（配额、队列位置、日志）。")

	msgSchedErrTitle = podMsg(
		"The scheduler failed with an internal error",
		"调度器发生内部错误")
	msgSchedErrExpl = podMsg(
		"The scheduler could not evaluate the pod: %s",
		"调度器无法处理该 Pod：%s")
	msgSchedErrAction = podMsg(
		"Read the kube-scheduler logs; often a malformed affinity or a missing object the pod refers to.",
		"查看 kube-scheduler 日志；常见原因是亲和性配置格式错误或 Pod 引用的对象不存在。")

	msgNotScheduledTitle = podMsg(
		"Not scheduled: no scheduler has picked the pod up for %s",
		"未调度：已有 %s 没有调度器处理该 Pod")
	msgNotScheduledExpl = podMsg(
		"The pod names scheduler %s, but there is no scheduling attempt (no PodScheduled condition, no FailedScheduling event).",
		"Pod 指定了调度器 %s，但没有任何调度尝试（没有 PodScheduled 状况，也没有 FailedScheduling 事件）。")
	msgNotScheduledAction = podMsg(
		"Check that scheduler %s is running (kubectl get pods -n kube-system) and that spec.schedulerName is spelled right.",
		"检查调度器 %s 是否在运行（kubectl get pods -n kube-system），以及 spec.schedulerName 是否拼写正确。")

	msgNominatedTitle = podMsg(
		"Waiting for preemption on node %s",
		"等待节点 %s 上的抢占完成")
	msgNominatedExpl = podMsg(
		"The scheduler nominated node %s and is evicting lower-priority pods there to make room; the pod is bound once they have terminated.",
		"调度器已提名节点 %s，正在驱逐其上的低优先级 Pod 以腾出资源；它们终止后该 Pod 就会被绑定。")
	msgNominatedAction = podMsg(
		"If it takes long, check the victims' terminationGracePeriodSeconds and PodDisruptionBudgets on node %s.",
		"如果耗时较长，检查节点 %s 上被驱逐 Pod 的 terminationGracePeriodSeconds 和 PodDisruptionBudget。")
)

// schedulingRule explains why an unbound pod is not running: scheduling
// gates, a scheduler FitError checked against the pod spec and the node list,
// a scheduler error, no scheduler at all, or a pending preemption
// (Kubernetes documentation, "Pod Scheduling Readiness" and "Pod Priority
// and Preemption").
func schedulingRule(in PodInput, now *clock) []Finding {
	pod := in.Pod
	if pod.Spec.NodeName != "" || pod.DeletionTimestamp != nil || pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return nil
	}
	cond := podCondition(pod, corev1.PodScheduled)
	var out []Finding
	switch {
	case len(pod.Spec.SchedulingGates) > 0 || (cond != nil && cond.Reason == corev1.PodReasonSchedulingGated):
		out = append(out, gatedFinding(in, cond, now))
	case cond != nil && cond.Status == corev1.ConditionFalse && cond.Reason == corev1.PodReasonSchedulerError:
		f := Finding{
			Code: CodeSchedulerError, Severity: Warning,
			Title:       T(msgSchedErrTitle),
			Explanation: T(msgSchedErrExpl, cond.Message),
			Evidence:    []Evidence{{Source: "status.conditions[PodScheduled].message", Value: cond.Message}},
			Actions:     []Text{T(msgSchedErrAction)},
			Commands:    []string{cmdDescribePod(pod), cmdPodEvents(pod)},
			Since:       cond.LastTransitionTime.Time,
		}
		out = append(out, f)
	default:
		if f, ok := unschedulableFinding(in, cond, now); ok {
			out = append(out, f)
		} else if cond == nil && pod.Status.Phase == corev1.PodPending && !pod.CreationTimestamp.IsZero() && now.reached(pod.CreationTimestamp.Time, notScheduledAfter) {
			name := pod.Spec.SchedulerName
			if name == "" {
				name = corev1.DefaultSchedulerName
			}
			out = append(out, Finding{
				Code: CodeNotScheduled, Severity: Warning,
				Title:       T(msgNotScheduledTitle, Since(pod.CreationTimestamp.Time)),
				Explanation: T(msgNotScheduledExpl, name),
				Evidence:    []Evidence{{Source: "spec.schedulerName", Value: name}, {Source: "metadata.creationTimestamp", Value: pod.CreationTimestamp.UTC().Format(time.RFC3339)}},
				Actions:     []Text{T(msgNotScheduledAction, name)},
				Commands:    []string{cmdDescribePod(pod), cmdSchedulerPods},
				Since:       pod.CreationTimestamp.Time,
			})
		}
	}
	if n := pod.Status.NominatedNodeName; n != "" {
		since := pod.CreationTimestamp.Time
		if cond != nil && !cond.LastTransitionTime.IsZero() {
			since = cond.LastTransitionTime.Time
		}
		out = append(out, Finding{
			Code:        CodePreemptionPending,
			Severity:    agedSeverity(now, since, nominatedWarnAfter, Info, Warning),
			Title:       T(msgNominatedTitle, n),
			Explanation: T(msgNominatedExpl, n),
			Evidence:    []Evidence{{Source: "status.nominatedNodeName", Value: n}},
			Actions:     []Text{T(msgNominatedAction, n)},
			Commands:    []string{cmdDescribePod(pod), cmdPodsOnNode(n)},
			Since:       since,
		})
	}
	return out
}

func gatedFinding(in PodInput, cond *corev1.PodCondition, now *clock) Finding {
	pod := in.Pod
	names := make([]string, len(pod.Spec.SchedulingGates))
	for i, g := range pod.Spec.SchedulingGates {
		names[i] = g.Name
	}
	gates := strings.Join(names, ", ")
	since := pod.CreationTimestamp.Time
	var ev []Evidence
	for i, g := range pod.Spec.SchedulingGates {
		ev = append(ev, Evidence{Source: fmt.Sprintf("spec.schedulingGates[%d].name", i), Value: g.Name})
	}
	if cond != nil {
		ev = append(ev, Evidence{Source: "status.conditions[PodScheduled].reason", Value: cond.Reason})
		if cond.Message != "" {
			ev = append(ev, Evidence{Source: "status.conditions[PodScheduled].message", Value: cond.Message})
		}
		if !cond.LastTransitionTime.IsZero() {
			since = cond.LastTransitionTime.Time
		}
	}
	f := Finding{
		Code:        CodeSchedulingGated,
		Severity:    agedSeverity(now, since, gatedWarnAfter, Info, Warning),
		Title:       T(msgGatedTitle, gates),
		Explanation: T(msgGatedExpl, Since(since)),
		Evidence:    ev,
		Commands:    []string{cmdPodJSONPath(pod, "{.spec.schedulingGates}"), cmdDescribePod(pod)},
		Since:       since,
	}
	for _, n := range names {
		f.Actions = append(f.Actions, T(msgGatedAction, n))
	}
	return f
}

// unschedulableFinding parses the PodScheduled condition or the newest
// FailedScheduling event and checks each reason against the pod spec and the
// nodes.
func unschedulableFinding(in PodInput, cond *corev1.PodCondition, now *clock) (Finding, bool) {
	pod := in.Pod
	ev := newestEvent(in.Events, "FailedScheduling")
	condUnsched := cond != nil && cond.Status == corev1.ConditionFalse && cond.Reason == corev1.PodReasonUnschedulable
	if !condUnsched && ev == nil {
		return Finding{}, false
	}
	f := Finding{Code: CodeUnschedulable}
	msg := ""
	since := pod.CreationTimestamp.Time
	if condUnsched {
		msg = cond.Message
		f.Evidence = append(f.Evidence, Evidence{Source: "status.conditions[PodScheduled].message", Value: cond.Message})
		if !cond.LastTransitionTime.IsZero() {
			since = cond.LastTransitionTime.Time
		}
	}
	if ev != nil {
		f.Evidence = append(f.Evidence, eventEvidence(ev))
		if msg == "" {
			msg = ev.Message
		}
		if first := eventFirstSeen(ev); !condUnsched && !first.IsZero() {
			since = first
		}
	}
	f.Since = since
	pending := pod.CreationTimestamp.Time
	if pending.IsZero() {
		pending = since
	}
	switch {
	case !now.reached(pending, unschedulableInfoFor):
		f.Severity = Info
	case !now.reached(pending, unschedulableCritical):
		f.Severity = Warning
	default:
		f.Severity = Critical
	}
	f.Commands = []string{cmdDescribePod(pod), cmdPodEvents(pod), cmdNodeTaintList}

	sm, ok := parseSchedulerMessage(msg)
	if !ok || len(sm.Reasons) == 0 {
		f.Title = T(msgSchedTitle[kindOther], sm.Total, sm.Total)
		f.Explanation = T(msgSchedExpl[kindOther])
		f.Actions = []Text{T(msgSchedGeneric, podWord(pod), namespaceWord(pod))}
		return f, true
	}
	// The primary reason is the one that rejected the most nodes.
	primary := sm.Reasons[0]
	for _, r := range sm.Reasons[1:] {
		if r.Count > primary.Count {
			primary = r
		}
	}
	if primary.Kind == kindResource {
		f.Title = T(msgSchedTitle[kindResource], primary.Count, sm.Total, insufficientResource(primary.Text))
	} else {
		f.Title = T(msgSchedTitle[primary.Kind], primary.Count, sm.Total)
	}
	f.Explanation = T(msgSchedExpl[primary.Kind])

	a := schedAnalysis{pod: pod, nodes: in.Nodes}
	done := map[schedKind]bool{}
	// Actions follow the scheduler's reasons, most nodes first.
	reasons := append([]schedReason(nil), sm.Reasons...)
	sort.SliceStable(reasons, func(i, j int) bool { return reasons[i].Count > reasons[j].Count })
	for _, r := range reasons {
		if r.Kind == kindResource {
			a.resource(&f, insufficientResource(r.Text))
			continue
		}
		if done[r.Kind] {
			continue
		}
		done[r.Kind] = true
		a.explain(&f, r)
	}
	if sm.Preemption != "" && strings.Contains(strings.ToLower(sm.Preemption), "not helpful") {
		f.Actions = append(f.Actions, T(msgSchedPreemption))
	}
	if len(in.Nodes) > 0 {
		f.Commands = append(f.Commands, cmdNodesWide)
	}
	return f, true
}

func insufficientResource(text string) string {
	if i := strings.Index(strings.ToLower(text), "insufficient "); i >= 0 {
		return strings.TrimSpace(text[i+len("insufficient "):])
	}
	return text
}

// schedAnalysis checks scheduler reasons against the pod spec and the nodes
// the cache knows (other pods are not visible to it).
type schedAnalysis struct {
	pod   *corev1.Pod
	nodes []*corev1.Node
}

func (a schedAnalysis) explain(f *Finding, r schedReason) {
	pod := a.pod
	switch r.Kind {
	case kindTaint:
		a.taints(f, r)
	case kindNodeAffinity:
		a.nodeAffinity(f)
	case kindTooManyPods:
		var caps []string
		for _, n := range a.nodes {
			if q, ok := n.Status.Allocatable[corev1.ResourcePods]; ok {
				caps = append(caps, n.Name+"="+q.String())
			}
		}
		value := "?"
		if len(caps) > 0 {
			value = strings.Join(limitList(caps), ", ")
			f.Evidence = append(f.Evidence, Evidence{Source: "nodes status.allocatable.pods", Value: value})
		}
		f.Actions = append(f.Actions, T(msgSchedTooManyPods, value))
	case kindCordoned:
		var names []string
		for _, n := range a.nodes {
			if n.Spec.Unschedulable {
				names = append(names, n.Name)
				if len(names) <= maxNodesListed {
					f.Evidence = append(f.Evidence, Evidence{Source: "node/" + n.Name + " spec.unschedulable", Value: "true"})
				}
			}
		}
		list := "?"
		if len(names) > 0 {
			list = strings.Join(limitList(names), ", ")
		}
		f.Actions = append(f.Actions, T(msgSchedUncordon, list))
	case kindPorts:
		var ports []string
		for _, c := range pod.Spec.Containers {
			for _, p := range c.Ports {
				if p.HostPort != 0 {
					ports = append(ports, fmt.Sprintf("%d/%s", p.HostPort, protocolOr(p.Protocol)))
				}
			}
		}
		list := "?"
		if len(ports) > 0 {
			list = strings.Join(ports, ", ")
			f.Evidence = append(f.Evidence, Evidence{Source: "spec.containers[*].ports[*].hostPort", Value: list})
		}
		f.Actions = append(f.Actions, T(msgSchedPorts, list))
	case kindPodAffinity:
		a.podAffinity(f)
	case kindTopology:
		a.topology(f)
	case kindVolume:
		a.volumes(f)
	default:
		f.Actions = append(f.Actions, T(msgSchedGeneric, podWord(pod), namespaceWord(pod)))
	}
}

// taints names the untolerated taints on each node (PreferNoSchedule is only
// a preference) and the toleration that would match each distinct taint.
func (a schedAnalysis) taints(f *Finding, r schedReason) {
	pod := a.pod
	hard := func(t *corev1.Taint) bool {
		return t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute
	}
	// taintNodes is one distinct untolerated taint: the first nodes that
	// carry it, and how many do. An unschedulable pod is diagnosed against
	// every node, again as it ages: nothing here allocates per node.
	type taintNodes struct {
		taint corev1.Taint
		nodes []string
		count int
	}
	var distinct []*taintNodes
	listed := 0
	for _, n := range a.nodes {
		for i := range n.Spec.Taints {
			t := &n.Spec.Taints[i]
			if !hard(t) || corev1helpers.TolerationsTolerateTaint(logr.Discard(), pod.Spec.Tolerations, t, false) {
				continue
			}
			if listed < maxNodesListed {
				f.Evidence = append(f.Evidence, Evidence{Source: fmt.Sprintf("node/%s spec.taints[%d]", n.Name, i), Value: t.ToString()})
				listed++
			}
			i := slices.IndexFunc(distinct, func(d *taintNodes) bool {
				return d.taint.Key == t.Key && d.taint.Value == t.Value && d.taint.Effect == t.Effect
			})
			if i < 0 {
				i = len(distinct)
				distinct = append(distinct, &taintNodes{taint: *t})
			}
			d := distinct[i]
			if d.count++; len(d.nodes) < maxNodesListed {
				d.nodes = append(d.nodes, n.Name)
			}
		}
	}
	if len(distinct) == 0 && len(a.nodes) == 0 {
		// Without a node list, use the taint the message spells out
		// ("untolerated taint {dedicated: gpu}", older wordings).
		if m := oldTaintRE.FindStringSubmatch(r.Text); m != nil {
			t := corev1.Taint{Key: strings.TrimSpace(m[1]), Value: strings.TrimSpace(m[2])}
			distinct = append(distinct, &taintNodes{taint: t})
		}
	}
	for _, d := range distinct {
		names := d.nodes
		if d.count > len(names) {
			names = append(names, fmt.Sprintf("+%d", d.count-len(names)))
		}
		nodes := strings.Join(names, ", ")
		if nodes == "" {
			nodes = fmt.Sprintf("%d nodes", r.Count)
		}
		if systemTaint(d.taint.Key) {
			f.Actions = append(f.Actions, T(msgSchedSystemTaint, d.taint.ToString(), nodes))
			continue
		}
		f.Actions = append(f.Actions, T(msgSchedTaintTolerate, d.taint.ToString(), tolerationYAML(d.taint)))
	}
	if len(distinct) == 0 {
		f.Actions = append(f.Actions, T(msgSchedGeneric, podWord(pod), namespaceWord(pod)))
	}
}

// systemTaint reports taints Kubernetes adds for node conditions or roles;
// tolerating them hides a node problem.
func systemTaint(key string) bool {
	return strings.HasPrefix(key, "node.kubernetes.io/") ||
		strings.HasPrefix(key, "node.cloudprovider.kubernetes.io/") ||
		key == "node-role.kubernetes.io/control-plane" || key == "node-role.kubernetes.io/master"
}

// tolerationYAML is the toleration that matches t exactly.
func tolerationYAML(t corev1.Taint) string {
	var b strings.Builder
	b.WriteString("tolerations:\n")
	fmt.Fprintf(&b, "- key: %q\n", t.Key)
	if t.Value == "" {
		b.WriteString("  operator: \"Exists\"\n")
	} else {
		b.WriteString("  operator: \"Equal\"\n")
		fmt.Fprintf(&b, "  value: %q\n", t.Value)
	}
	if t.Effect != "" {
		fmt.Fprintf(&b, "  effect: %q\n", string(t.Effect))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// repelledByTaint reports whether the node has a NoSchedule or NoExecute
// taint the pod does not tolerate: what the scheduler's TaintToleration
// filter checks (corev1helpers.FindMatchingUntoleratedTaint, without its
// per-call copy of the taints: this runs for every node, for every pending
// pod, again as it ages).
func repelledByTaint(n *corev1.Node, pod *corev1.Pod) bool {
	for i := range n.Spec.Taints {
		t := &n.Spec.Taints[i]
		if (t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute) &&
			!corev1helpers.TolerationsTolerateTaint(logr.Discard(), pod.Spec.Tolerations, t, false) {
			return true
		}
	}
	return false
}

func tolerates(pod *corev1.Pod, t corev1.Taint) bool {
	return corev1helpers.TolerationsTolerateTaint(logr.Discard(), pod.Spec.Tolerations, &t, false)
}

// nodeAffinity names the nodeSelector entries and required node affinity
// terms that match no node.
func (a schedAnalysis) nodeAffinity(f *Finding) {
	pod := a.pod
	f.Evidence = append(f.Evidence, nodeSelectorEvidence(pod)...)
	if len(a.nodes) == 0 {
		f.Actions = append(f.Actions, T(msgSchedGeneric, podWord(pod), namespaceWord(pod)))
		return
	}
	specific := false
	keys := make([]string, 0, len(pod.Spec.NodeSelector))
	for k := range pod.Spec.NodeSelector {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := pod.Spec.NodeSelector[k]
		n := 0
		for _, node := range a.nodes {
			if got, ok := node.Labels[k]; ok && got == v {
				n++
			}
		}
		if n == 0 {
			specific = true
			f.Evidence = append(f.Evidence, Evidence{Source: "spec.nodeSelector." + k, Value: fmt.Sprintf("%s (matches 0 of %d nodes)", v, len(a.nodes))})
			f.Actions = append(f.Actions, T(msgSchedSelectorNoNode, k+"="+v, "spec.nodeSelector", labelWord(k, v)))
		}
	}
	if aff := pod.Spec.Affinity; aff != nil && aff.NodeAffinity != nil && aff.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		terms := aff.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
		for i, term := range terms {
			sel := nodeaffinity.NewLazyErrorNodeSelector(&corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{term}})
			n := 0
			for _, node := range a.nodes {
				if ok, _ := sel.Match(node); ok {
					n++
				}
			}
			if n == 0 {
				specific = true
				src := fmt.Sprintf("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[%d]", i)
				f.Evidence = append(f.Evidence, Evidence{Source: src, Value: fmt.Sprintf("%s (matches 0 of %d nodes)", termString(term), len(a.nodes))})
				if len(terms) == 1 {
					for _, req := range term.MatchExpressions {
						if req.Operator == corev1.NodeSelectorOpIn && len(req.Values) == 1 && !anyNodeHas(a.nodes, req.Key, req.Values[0]) {
							kv := req.Key + "=" + req.Values[0]
							f.Actions = append(f.Actions, T(msgSchedSelectorNoNode, kv, "nodeAffinity", labelWord(req.Key, req.Values[0])))
						}
					}
				}
			}
		}
	}
	if !specific {
		req := nodeaffinity.GetRequiredNodeAffinity(pod)
		n := 0
		for _, node := range a.nodes {
			if ok, _ := req.Match(node); ok {
				n++
			}
		}
		f.Actions = append(f.Actions, T(msgSchedAffinityGeneric, n, len(a.nodes)))
	} else if len(f.Actions) == 0 {
		f.Actions = append(f.Actions, T(msgSchedAffinityGeneric, 0, len(a.nodes)))
	}
}

func anyNodeHas(nodes []*corev1.Node, key, value string) bool {
	for _, n := range nodes {
		if v, ok := n.Labels[key]; ok && v == value {
			return true
		}
	}
	return false
}

func nodeSelectorEvidence(pod *corev1.Pod) []Evidence {
	var ev []Evidence
	if len(pod.Spec.NodeSelector) > 0 {
		ev = append(ev, Evidence{Source: "spec.nodeSelector", Value: labelString(pod.Spec.NodeSelector)})
	}
	if aff := pod.Spec.Affinity; aff != nil && aff.NodeAffinity != nil && aff.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		var terms []string
		for _, t := range aff.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
			terms = append(terms, termString(t))
		}
		ev = append(ev, Evidence{Source: "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution", Value: strings.Join(terms, " OR ")})
	}
	return ev
}

// termString renders a node selector term like kubectl describe does:
// "topology.kubernetes.io/zone in [eu-1a eu-1b], gpu exists".
func termString(t corev1.NodeSelectorTerm) string {
	var parts []string
	for _, r := range append(append([]corev1.NodeSelectorRequirement(nil), t.MatchExpressions...), t.MatchFields...) {
		op := strings.ToLower(string(r.Operator))
		if len(r.Values) > 0 {
			parts = append(parts, fmt.Sprintf("%s %s [%s]", r.Key, op, strings.Join(r.Values, " ")))
		} else {
			parts = append(parts, r.Key+" "+op)
		}
	}
	return strings.Join(parts, ", ")
}

// resource compares the pod's summed requests of res with the nodes'
// allocatable. Only allocatable is known here, not other pods' requests.
func (a schedAnalysis) resource(f *Finding, res string) {
	pod := a.pod
	reqs := resourcehelper.PodRequests(pod, resourcehelper.PodResourcesOptions{})
	name := corev1.ResourceName(res)
	req, ok := reqs[name]
	reqStr := "?"
	if ok {
		reqStr = req.String()
		f.Evidence = append(f.Evidence, Evidence{Source: "spec.containers[*].resources.requests." + res + " (pod total)", Value: reqStr})
	}
	// Compare with the nodes the pod may run on: a node it is kept off by a
	// taint, a selector or a cordon says nothing about its request. When no
	// node qualifies, the other reasons explain that; compare with them all.
	nodes, source := a.nodes, " (largest)"
	if fit := a.mayRunOn(); len(fit) > 0 && len(fit) < len(a.nodes) {
		nodes, source = fit, " (largest the pod may run on)"
	}
	var largest *corev1.Node
	var largestQ resource.Quantity
	for _, n := range nodes {
		q, has := n.Status.Allocatable[name]
		if !has {
			continue
		}
		if largest == nil || q.Cmp(largestQ) > 0 {
			largest, largestQ = n, q
		}
	}
	switch {
	case !ok || largest == nil:
		f.Actions = append(f.Actions, T(msgSchedResourceUnknown, res, reqStr))
	case req.Cmp(largestQ) > 0:
		f.Evidence = append(f.Evidence, Evidence{Source: "node/" + largest.Name + " status.allocatable." + res + source, Value: largestQ.String()})
		msg := msgSchedResourceTooBig
		if len(nodes) < len(a.nodes) {
			msg = msgSchedResourceTooBigFit
		}
		f.Actions = append(f.Actions, T(msg, res, reqStr, largestQ.String()))
	default:
		f.Evidence = append(f.Evidence, Evidence{Source: "node/" + largest.Name + " status.allocatable." + res + source, Value: largestQ.String()})
		f.Actions = append(f.Actions, T(msgSchedResourceBusy, res, reqStr, largestQ.String()))
	}
}

// mayRunOn returns the nodes the pod could be placed on but for resources:
// not cordoned, every NoSchedule / NoExecute taint tolerated, nodeSelector
// and required node affinity matched.
func (a schedAnalysis) mayRunOn() []*corev1.Node {
	affinity := nodeaffinity.GetRequiredNodeAffinity(a.pod)
	var out []*corev1.Node
	for _, n := range a.nodes {
		if n.Spec.Unschedulable || repelledByTaint(n, a.pod) {
			continue
		}
		if ok, _ := affinity.Match(n); !ok {
			continue
		}
		out = append(out, n)
	}
	return out
}

func (a schedAnalysis) podAffinity(f *Finding) {
	pod := a.pod
	aff := pod.Spec.Affinity
	n := 0
	add := func(kind string, terms []corev1.PodAffinityTerm, path string) {
		for i, t := range terms {
			sel := ""
			if t.LabelSelector != nil {
				sel = labelString(t.LabelSelector.MatchLabels)
				for _, e := range t.LabelSelector.MatchExpressions {
					if sel != "" {
						sel += ","
					}
					sel += fmt.Sprintf("%s %s (%s)", e.Key, strings.ToLower(string(e.Operator)), strings.Join(e.Values, ","))
				}
			}
			f.Evidence = append(f.Evidence, Evidence{Source: fmt.Sprintf("%s[%d]", path, i), Value: "topologyKey=" + t.TopologyKey + " labelSelector=" + sel})
			f.Actions = append(f.Actions, T(msgSchedPodAffinity, kind, t.TopologyKey, countNodesWithLabel(a.nodes, t.TopologyKey)))
			n++
		}
	}
	if aff != nil && aff.PodAntiAffinity != nil {
		add("podAntiAffinity", aff.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution, "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution")
	}
	if aff != nil && aff.PodAffinity != nil {
		add("podAffinity", aff.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution, "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution")
	}
	if n == 0 {
		// "didn't satisfy existing pods anti-affinity rules": the rule is on
		// the other pods, not visible here.
		f.Actions = append(f.Actions, T(msgSchedGeneric, podWord(pod), namespaceWord(pod)))
	}
}

func (a schedAnalysis) topology(f *Finding) {
	pod := a.pod
	n := 0
	for i, c := range pod.Spec.TopologySpreadConstraints {
		if c.WhenUnsatisfiable != corev1.DoNotSchedule {
			continue
		}
		n++
		f.Evidence = append(f.Evidence, Evidence{
			Source: fmt.Sprintf("spec.topologySpreadConstraints[%d]", i),
			Value:  fmt.Sprintf("topologyKey=%s maxSkew=%d whenUnsatisfiable=%s", c.TopologyKey, c.MaxSkew, c.WhenUnsatisfiable),
		})
		f.Actions = append(f.Actions, T(msgSchedTopology, c.TopologyKey, int(c.MaxSkew), countDomains(a.nodes, c.TopologyKey)))
	}
	if n == 0 {
		f.Actions = append(f.Actions, T(msgSchedGeneric, podWord(pod), namespaceWord(pod)))
	}
}

func (a schedAnalysis) volumes(f *Finding) {
	pod := a.pod
	n := 0
	for _, v := range pod.Spec.Volumes {
		claim := ""
		switch {
		case v.PersistentVolumeClaim != nil:
			claim = v.PersistentVolumeClaim.ClaimName
		case v.Ephemeral != nil:
			claim = pod.Name + "-" + v.Name // generic ephemeral volume naming
		default:
			continue
		}
		n++
		f.Evidence = append(f.Evidence, Evidence{Source: "spec.volumes[" + v.Name + "].persistentVolumeClaim.claimName", Value: claim})
		f.Actions = append(f.Actions, T(msgSchedVolume, claim, claimWord(claim), namespaceWord(pod)))
		f.Commands = append(f.Commands, cmdDescribePVC(pod, claim))
	}
	if n == 0 {
		f.Actions = append(f.Actions, T(msgSchedVolumeGeneric))
	}
	f.Commands = append(f.Commands, cmdNamespaced(pod, "pvc"), cmdPVs)
}

func countNodesWithLabel(nodes []*corev1.Node, key string) int {
	n := 0
	for _, node := range nodes {
		if _, ok := node.Labels[key]; ok {
			n++
		}
	}
	return n
}

func countDomains(nodes []*corev1.Node, key string) int {
	seen := map[string]bool{}
	for _, node := range nodes {
		if v, ok := node.Labels[key]; ok {
			seen[v] = true
		}
	}
	return len(seen)
}

func protocolOr(p corev1.Protocol) string {
	if p == "" {
		return string(corev1.ProtocolTCP)
	}
	return string(p)
}

// limitList keeps the first maxNodesListed names and counts the rest.
func limitList(names []string) []string {
	if len(names) <= maxNodesListed {
		return names
	}
	out := append([]string(nil), names[:maxNodesListed]...)
	return append(out, fmt.Sprintf("+%d", len(names)-maxNodesListed))
}
