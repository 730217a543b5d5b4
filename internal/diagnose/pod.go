package diagnose

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Codes of the pod-, scheduling- and node-level rules. Never rename one: the
// UI, the JSON API, tests and docs/diagnoses.md key on them.
const (
	CodeUnschedulable     Code = "Unschedulable"
	CodeSchedulingGated   Code = "SchedulingGated"
	CodeSchedulerError    Code = "SchedulerError"
	CodeNotScheduled      Code = "NotScheduled"
	CodePreemptionPending Code = "PreemptionPending"

	CodeEvicted                  Code = "Evicted"
	CodePreempted                Code = "Preempted"
	CodeOutOfResources           Code = "OutOfResources"
	CodeAdmissionRejected        Code = "AdmissionRejected"
	CodeSysctlForbidden          Code = "SysctlForbidden"
	CodeUnexpectedAdmissionError Code = "UnexpectedAdmissionError"
	CodeNodeLost                 Code = "NodeLost"
	CodeNodeShutdown             Code = "NodeShutdown"
	CodeDeadlineExceeded         Code = "DeadlineExceeded"
	CodeDisrupted                Code = "Disrupted"
	CodePodFailed                Code = "PodFailed"

	CodeStuckTerminating Code = "StuckTerminating"

	CodeNodeNotReady           Code = "NodeNotReady"
	CodeNodeUnreachable        Code = "NodeUnreachable"
	CodeNodeRuntimeNotReady    Code = "NodeRuntimeNotReady"
	CodeNodeNetworkNotReady    Code = "NodeNetworkNotReady"
	CodeNodeMemoryPressure     Code = "NodeMemoryPressure"
	CodeNodeDiskPressure       Code = "NodeDiskPressure"
	CodeNodePIDPressure        Code = "NodePIDPressure"
	CodeNodeNetworkUnavailable Code = "NodeNetworkUnavailable"
	CodeNodeCordoned           Code = "NodeCordoned"
	CodeNodeTainted            Code = "NodeTainted"
	CodeNodeMissing            Code = "NodeMissing"

	CodeContainersNotReady     Code = "ContainersNotReady"
	CodeReadinessGatesNotReady Code = "ReadinessGatesNotReady"
)

// podMessages lists every message of this half of the package, so a test can
// check that the English and Chinese texts take the same verbs.
var podMessages []*Message

// podMsg declares one message and registers it in podMessages.
func podMsg(en, zh string) *Message {
	m := &Message{EN: en, ZH: zh}
	podMessages = append(podMessages, m)
	return m
}

// Thresholds of the pod-level rules.
const (
	// notReadyGrace: a running pod that has not been Ready for less than 2
	// minutes is still starting (Info); after that it is a Warning.
	notReadyGrace = 2 * time.Minute
	// terminatingSlack: a pod still present 1 minute after its deletion
	// deadline (deletionTimestamp already includes the grace period) is stuck.
	terminatingSlack = time.Minute
	// terminatingCritical: 15 minutes past the deadline it is Critical.
	terminatingCritical = 15 * time.Minute
)

var (
	msgEvictedTitle = podMsg(
		"Evicted by the kubelet: the node was low on %s",
		"被 kubelet 驱逐：节点 %s 不足")
	msgEvictedExpl = podMsg(
		"The node crossed an eviction threshold for %s, so the kubelet stopped this pod to reclaim it. Pods using more than they request are evicted first. The pod will not restart; its controller, if any, creates a replacement.",
		"节点的 %s 低于驱逐阈值，kubelet 停止了这个 Pod 以回收资源。实际用量超过 requests 的 Pod 会被优先驱逐。该 Pod 不会再启动；如果有控制器，它会创建新的 Pod 替代。")
	msgEvictedContainer = podMsg(
		"Container %s used %s, more than its request of %s: raise its %s request (and limit) to what it really uses, or find out why it grows.",
		"容器 %s 使用了 %s，超过了它的 requests（%s）：把 %s 的 requests（和 limits）调到实际用量，或查明用量增长的原因。")
	msgEvictedNode = podMsg(
		"Check the node's %s pressure and what fills it: kubectl describe node %s.",
		"检查节点的 %s 压力以及占用来源：kubectl describe node %s。")
	msgEvictedLocalTitle = podMsg(
		"Evicted: local ephemeral storage limit exceeded",
		"被驱逐：超出本地临时存储限制")
	msgEvictedLocalExpl = podMsg(
		"The kubelet evicted the pod because it wrote more local storage (emptyDir, logs or writable layers) than its limit allows: %s",
		"Pod 写入的本地存储（emptyDir、日志或容器可写层）超过了限制，kubelet 因此将其驱逐：%s")
	msgEvictedLocalAction = podMsg(
		"Raise the ephemeral-storage or emptyDir sizeLimit, or stop the container writing so much to local disk (rotate logs, use a volume).",
		"提高 ephemeral-storage 或 emptyDir 的 sizeLimit，或减少容器写入本地磁盘的数据（轮转日志、改用持久卷）。")
	msgEvictedCleanup = podMsg(
		"Evicted pods stay listed until deleted; once the cause is fixed you can remove them (kubectl delete pod %s -n %s).",
		"被驱逐的 Pod 会一直保留到被删除；修复原因后可以删除它们（kubectl delete pod %s -n %s）。")

	msgPreemptedTitle = podMsg(
		"Preempted: stopped to make room for a higher-priority pod",
		"被抢占：为更高优先级的 Pod 腾出资源而被停止")
	msgPreemptedSchedExpl = podMsg(
		"The scheduler removed this pod so that a pod of higher priority could run on node %s. Lower-priority pods are preempted when the cluster is full.",
		"调度器删除了这个 Pod，好让更高优先级的 Pod 在节点 %s 上运行。集群资源不足时，低优先级的 Pod 会被抢占。")
	msgPreemptedKubeletExpl = podMsg(
		"The kubelet on node %s stopped this pod to admit a critical pod (a static pod or a system-node-critical pod) that did not fit.",
		"节点 %s 上的 kubelet 停止了这个 Pod，以便接纳放不下的关键 Pod（静态 Pod 或 system-node-critical Pod）。")
	msgPreemptedAction = podMsg(
		"Give this workload a higher PriorityClass, or add capacity so preemption is not needed.",
		"为该工作负载设置更高的 PriorityClass，或扩充容量以避免抢占。")

	msgOutOfTitle = podMsg(
		"Rejected by node %s: not enough %s",
		"被节点 %s 拒绝：%s 不足")
	msgOutOfExpl = podMsg(
		"When the kubelet admitted the pod, the node's %s was already taken by other pods' requests. This is usually a race: the scheduler's view was stale, a static pod was added, or spec.nodeName was set by hand, bypassing the scheduler.",
		"kubelet 接纳该 Pod 时，节点上的 %s 已被其他 Pod 的 requests 占满。这通常是竞态：调度器的视图已过时、新增了静态 Pod，或手动设置了 spec.nodeName 绕过了调度器。")
	msgOutOfAction = podMsg(
		"Do not set spec.nodeName by hand; let the scheduler choose. Compare the node's Allocated resources with its allocatable (kubectl describe node %s).",
		"不要手动设置 spec.nodeName，交给调度器选择节点。对比节点的 Allocated resources 与 allocatable（kubectl describe node %s）。")

	msgAdmissionTitle = podMsg(
		"Rejected by node %s: %s",
		"被节点 %s 拒绝：%s")
	msgAdmissionExpl = podMsg(
		"The kubelet refused to run the pod (admission check %s) and marked it Failed. The pod never started; a controller creates replacements, so rejected pods can pile up.",
		"kubelet 拒绝运行该 Pod（准入检查 %s），并将其标记为 Failed。Pod 从未启动；控制器会不断创建替代 Pod，被拒绝的 Pod 可能越积越多。")
	msgAdmissionAffinityAction = podMsg(
		"The node's labels no longer match the pod's nodeSelector / required node affinity. Fix the labels or the selector, and do not bind pods with spec.nodeName by hand.",
		"节点标签已不再匹配 Pod 的 nodeSelector / 必需节点亲和性。修正标签或选择器，不要手动用 spec.nodeName 绑定 Pod。")
	msgAdmissionTaintAction = podMsg(
		"Node %s has the NoExecute taint %s that the pod does not tolerate. Remove the taint or add a matching toleration.",
		"节点 %s 带有 Pod 不容忍的 NoExecute 污点 %s。移除该污点或添加匹配的容忍。")
	msgAdmissionGenericAction = podMsg(
		"Read the rejection message and fix the node or the pod spec it names.",
		"阅读拒绝信息，修正其中提到的节点或 Pod 配置。")

	msgSysctlTitle = podMsg(
		"Rejected: sysctl %s is not allowed on node %s",
		"被拒绝：sysctl %s 不被节点 %s 允许")
	msgSysctlExpl = podMsg(
		"The pod sets an unsafe sysctl (spec.securityContext.sysctls) that the kubelet does not allow, or a namespaced sysctl together with host networking / IPC.",
		"Pod 设置了 kubelet 不允许的非安全 sysctl（spec.securityContext.sysctls），或在使用主机网络 / IPC 时设置了命名空间级 sysctl。")
	msgSysctlAction = podMsg(
		"Remove %s from spec.securityContext.sysctls, or allow it on the node with the kubelet's --allowed-unsafe-sysctls (allowedUnsafeSysctls) and schedule the pod only there.",
		"从 spec.securityContext.sysctls 中删除 %s，或通过 kubelet 的 --allowed-unsafe-sysctls（allowedUnsafeSysctls）在节点上放行，并只把 Pod 调度到这些节点。")

	msgUnexpectedAdmissionTitle = podMsg(
		"Rejected by node %s: device or resource allocation failed",
		"被节点 %s 拒绝：设备或资源分配失败")
	msgUnexpectedAdmissionExpl = podMsg(
		"The kubelet could not allocate a device or plugin resource the pod asked for (often a GPU whose device plugin reports it unhealthy, or a kubelet restart during allocation).",
		"kubelet 无法分配 Pod 申请的设备或插件资源（常见于设备插件报告 GPU 不健康，或分配期间 kubelet 重启）。")
	msgUnexpectedAdmissionAction = podMsg(
		"Check the device plugin pods and the node's allocatable devices (kubectl describe node %s); delete the pod so its controller retries.",
		"检查设备插件 Pod 和节点上可分配的设备（kubectl describe node %s）；删除该 Pod 让控制器重试。")

	msgNodeLostTitle = podMsg(
		"Node %s stopped responding while running this pod",
		"运行该 Pod 的节点 %s 失去响应")
	msgNodeLostExpl = podMsg(
		"The node controller marked the pod lost because its node stopped reporting. What happened to the containers is unknown.",
		"节点控制器因节点停止上报而把该 Pod 标记为丢失，容器的实际状态未知。")
	msgNodeLostAction = podMsg(
		"Check the node (kubectl describe node %s): is the machine running, is the kubelet up, can it reach the API server?",
		"检查节点（kubectl describe node %s）：机器是否在运行、kubelet 是否正常、能否连接 API server？")

	msgShutdownTitle = podMsg(
		"Stopped because node %s was shutting down",
		"因节点 %s 关机而被停止")
	msgShutdownExpl = podMsg(
		"The kubelet's graceful node shutdown stopped the pod (a reboot, a spot/preemptible instance reclaim or a scale-down).",
		"kubelet 的节点优雅关机流程停止了该 Pod（重启、竞价/抢占式实例回收或缩容）。")
	msgShutdownAction = podMsg(
		"Nothing to fix in the pod. If this happens often, spread replicas over nodes and add a PodDisruptionBudget.",
		"Pod 本身无需修改。如果经常发生，请把副本分散到多个节点并添加 PodDisruptionBudget。")

	msgDeadlineTitle = podMsg(
		"Stopped: ran longer than activeDeadlineSeconds (%d s)",
		"被停止：运行时间超过 activeDeadlineSeconds（%d 秒）")
	msgDeadlineExpl = podMsg(
		"The pod started at %s and the kubelet stopped it once %d seconds had passed. Time spent pulling images counts against the deadline.",
		"Pod 于 %s 启动，运行满 %d 秒后被 kubelet 停止。拉取镜像的时间也计入该期限。")
	msgDeadlineAction = podMsg(
		"Raise spec.activeDeadlineSeconds (or the Job's), or make the work finish sooner.",
		"调大 spec.activeDeadlineSeconds（或 Job 的对应字段），或让任务更快完成。")

	msgDisruptedTitle = podMsg(
		"Being removed: %s",
		"正在被移除：%s")
	msgDisruptedTaintExpl = podMsg(
		"The taint eviction controller is deleting the pod because its node has a NoExecute taint the pod does not tolerate (or tolerates only for tolerationSeconds).",
		"由于节点带有 Pod 不容忍（或只在 tolerationSeconds 内容忍）的 NoExecute 污点，污点驱逐控制器正在删除该 Pod。")
	msgDisruptedAPIExpl = podMsg(
		"Something called the Eviction API for this pod: usually kubectl drain, the cluster autoscaler or the descheduler. PodDisruptionBudgets were respected.",
		"有组件对该 Pod 调用了 Eviction API：通常是 kubectl drain、集群自动扩缩容器或 descheduler。PodDisruptionBudget 已被遵守。")
	msgDisruptedGCExpl = podMsg(
		"The pod garbage collector is deleting the pod because its node no longer exists or is out of service.",
		"由于节点已不存在或已停止服务，Pod 垃圾回收器正在删除该 Pod。")
	msgDisruptedKubeletExpl = podMsg(
		"The kubelet is terminating the pod (eviction, node shutdown or critical-pod preemption).",
		"kubelet 正在终止该 Pod（驱逐、节点关机或关键 Pod 抢占）。")
	msgDisruptedAction = podMsg(
		"Read the condition message; a controller normally replaces the pod. Protect availability with a PodDisruptionBudget and several replicas.",
		"阅读该状况的信息；通常控制器会创建替代 Pod。通过 PodDisruptionBudget 和多副本保障可用性。")

	msgPodFailedTitle = podMsg(
		"Pod failed: %s",
		"Pod 失败：%s")
	msgPodFailedExpl = podMsg(
		"The pod is in phase Failed with reason %s: %s",
		"Pod 处于 Failed 阶段，原因 %s：%s")
	msgPodFailedAction = podMsg(
		"Read the pod's status message and events (kubectl describe pod %s -n %s).",
		"查看 Pod 的状态信息和事件（kubectl describe pod %s -n %s）。")

	msgTerminatingTitle = podMsg(
		"Stuck terminating for %s past its deadline",
		"终止超时：已超过删除期限 %s")
	msgTerminatingFinalizerExpl = podMsg(
		"The pod was deleted but stays because of finalizers (%s); the controller that owns each finalizer must remove it.",
		"Pod 已被删除，但因 finalizer（%s）而仍然存在；需要对应的控制器移除它们。")
	msgTerminatingFinalizerAction = podMsg(
		"Find out why the controller owning %s does not finish. Removing the finalizer by hand (kubectl patch pod %s -n %s --type=merge -p '{\"metadata\":{\"finalizers\":null}}') skips its cleanup.",
		"查明负责 %s 的控制器为何没有完成清理。手动移除 finalizer（kubectl patch pod %s -n %s --type=merge -p '{\"metadata\":{\"finalizers\":null}}'）会跳过它的清理工作。")
	msgTerminatingNodeExpl = podMsg(
		"The pod's node %s is %s, so no kubelet can confirm that the containers stopped; the API server keeps the pod until it does.",
		"Pod 所在节点 %s 处于 %s 状态，没有 kubelet 能确认容器已停止，API server 会一直保留该 Pod。")
	msgTerminatingNodeAction = podMsg(
		"Bring node %s back, or if it is really down, taint it node.kubernetes.io/out-of-service=nodeshutdown:NoExecute (or delete the Node) so the pod is cleaned up; force deletion (--grace-period=0 --force) risks two copies running.",
		"恢复节点 %s；如果它确实已宕机，给它加上污点 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute（或删除该 Node）以清理 Pod；强制删除（--grace-period=0 --force）可能导致出现两个副本同时运行。")
	msgTerminatingKubeletExpl = podMsg(
		"The kubelet on node %s has not finished stopping the containers: a preStop hook or the process ignores SIGTERM, or the container runtime is stuck.",
		"节点 %s 上的 kubelet 还没有停止容器：preStop 钩子或进程忽略了 SIGTERM，或容器运行时卡住了。")
	msgTerminatingKubeletAction = podMsg(
		"Look for FailedKillPod / FailedPreStopHook events and the runtime on node %s (crictl ps -a, journalctl -u kubelet).",
		"查看 FailedKillPod / FailedPreStopHook 事件以及节点 %s 上的容器运行时（crictl ps -a、journalctl -u kubelet）。")

	msgNotReadyTitle = podMsg(
		"Running but not Ready: %s not ready",
		"运行中但未就绪：%s 未就绪")
	msgNotReadyExpl = podMsg(
		"The containers run but have not passed their readiness (or startup) checks for %s, so Services send the pod no traffic.",
		"容器在运行，但已有 %s 没有通过就绪（或启动）检查，Service 不会把流量发给该 Pod。")
	msgNotReadyAction = podMsg(
		"Check the readiness probe (path, port, timeouts, initialDelaySeconds) and the application logs (kubectl logs %s -n %s).",
		"检查就绪探针（路径、端口、超时、initialDelaySeconds）和应用日志（kubectl logs %s -n %s）。")

	msgGatesTitle = podMsg(
		"Not Ready: readiness gate %s is not True",
		"未就绪：就绪门控 %s 不为 True")
	msgGatesExpl = podMsg(
		"The pod declares readiness gates (spec.readinessGates). The kubelet never sets them: an external controller (for example a load-balancer controller) must set condition %s to True before the pod becomes Ready.",
		"Pod 声明了就绪门控（spec.readinessGates）。kubelet 不会设置它们：必须由外部控制器（例如负载均衡控制器）将状况 %s 设为 True，Pod 才会就绪。")
	msgGatesAction = podMsg(
		"Check the controller that owns %s: is it running, and do its logs mention this pod?",
		"检查负责 %s 的控制器：它是否在运行，日志中是否提到了该 Pod？")
)

// podReasonRule explains pod-level status.reason values and DisruptionTarget
// conditions.
func podReasonRule(in PodInput, _ *clock) []Finding {
	pod := in.Pod
	if f, ok := statusReasonFinding(in); ok {
		return []Finding{f}
	}
	if c := podCondition(pod, corev1.DisruptionTarget); c != nil && c.Status == corev1.ConditionTrue {
		return []Finding{disruptionFinding(in, c)}
	}
	return nil
}

// statusReasonFinding maps status.reason: the kubelet's eviction
// (pkg/kubelet/eviction, "Evicted") and admission rejections
// (pkg/kubelet/lifecycle/predicate.go, pkg/kubelet/sysctl), the active
// deadline (pkg/kubelet/active_deadline.go), node shutdown
// (pkg/kubelet/nodeshutdown) and the node lifecycle controller's NodeLost
// (pkg/util/node/node.go).
func statusReasonFinding(in PodInput) (Finding, bool) {
	pod := in.Pod
	reason, message := pod.Status.Reason, pod.Status.Message
	if reason == "" || reason == "SchedulingGated" {
		return Finding{}, false
	}
	node := pod.Spec.NodeName
	ev := []Evidence{{Source: "status.reason", Value: reason}}
	if message != "" {
		ev = append(ev, Evidence{Source: "status.message", Value: message})
	}
	base := Finding{
		Evidence: ev,
		Commands: []string{cmdDescribePod(pod), cmdPodEvents(pod)},
		Since:    failedSince(pod),
	}
	switch {
	case reason == "Evicted":
		return evictionFinding(in, base), true
	case reason == "Preempting" || reason == "PreemptionByScheduler":
		f := base
		f.Code, f.Severity = CodePreempted, Warning
		f.Title = T(msgPreemptedTitle)
		if reason == "Preempting" {
			f.Explanation = T(msgPreemptedKubeletExpl, node)
		} else {
			f.Explanation = T(msgPreemptedSchedExpl, node)
		}
		f.Evidence = append(f.Evidence, eventsEvidence(in.Events, "Preempting", "Preempted")...)
		f.Actions = []Text{T(msgPreemptedAction)}
		return f, true
	case strings.HasPrefix(reason, "OutOf"):
		res := strings.TrimPrefix(reason, "OutOf")
		f := base
		f.Code, f.Severity = CodeOutOfResources, Warning
		f.Title = T(msgOutOfTitle, node, res)
		f.Explanation = T(msgOutOfExpl, res)
		if in.Node != nil {
			if q, ok := in.Node.Status.Allocatable[corev1.ResourceName(res)]; ok {
				f.Evidence = append(f.Evidence, Evidence{Source: "node/" + node + " status.allocatable." + res, Value: q.String()})
			}
			f.Commands = append(f.Commands, cmdDescribeNode(node))
		}
		f.Actions = []Text{T(msgOutOfAction, nodeWord(node))}
		return f, true
	case reason == "SysctlForbidden":
		name := sysctlName(message)
		if sc := pod.Spec.SecurityContext; sc != nil {
			for i, s := range sc.Sysctls {
				if name == "" || s.Name == name {
					src := fmt.Sprintf("spec.securityContext.sysctls[%d]", i)
					ev = append(ev, Evidence{Source: src, Value: s.Name + "=" + s.Value})
				}
			}
		}
		if name == "" {
			name = "?"
		}
		f := base
		f.Evidence = ev
		f.Code, f.Severity = CodeSysctlForbidden, Warning
		f.Title = T(msgSysctlTitle, name, node)
		f.Explanation = T(msgSysctlExpl)
		f.Actions = []Text{T(msgSysctlAction, name)}
		return f, true
	case reason == "UnexpectedAdmissionError":
		f := base
		f.Code, f.Severity = CodeUnexpectedAdmissionError, Warning
		f.Title = T(msgUnexpectedAdmissionTitle, node)
		f.Explanation = T(msgUnexpectedAdmissionExpl)
		f.Actions = []Text{T(msgUnexpectedAdmissionAction, nodeWord(node))}
		f.Commands = append(f.Commands, cmdDescribeNode(node))
		return f, true
	case admissionReasons[reason]:
		return admissionFinding(in, base), true
	case reason == "NodeLost":
		f := base
		f.Code, f.Severity = CodeNodeLost, Critical
		f.Title = T(msgNodeLostTitle, node)
		f.Explanation = T(msgNodeLostExpl)
		f.Actions = []Text{T(msgNodeLostAction, nodeWord(node))}
		f.Commands = append(f.Commands, cmdDescribeNode(node))
		return f, true
	case reason == "NodeShutdown" || reason == "Shutdown" || reason == "Terminated":
		f := base
		f.Code, f.Severity = CodeNodeShutdown, Warning
		f.Title = T(msgShutdownTitle, node)
		f.Explanation = T(msgShutdownExpl)
		f.Actions = []Text{T(msgShutdownAction)}
		return f, true
	case reason == "DeadlineExceeded":
		return deadlineFinding(in, base), true
	case reason == "TerminationByKubelet":
		c := &corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue, Reason: reason, Message: message}
		return disruptionFinding(in, c), true
	}
	if pod.Status.Phase != corev1.PodFailed {
		return Finding{}, false
	}
	f := base
	f.Code, f.Severity = CodePodFailed, Warning
	f.Title = T(msgPodFailedTitle, reason)
	f.Explanation = T(msgPodFailedExpl, reason, message)
	f.Actions = []Text{T(msgPodFailedAction, podWord(pod), namespaceWord(pod))}
	return f, true
}

// admissionReasons are kubelet admission rejections other than OutOf*,
// SysctlForbidden and UnexpectedAdmissionError: the reasons
// pkg/kubelet/lifecycle/predicate.go (predicateAdmitHandler.Admit) writes,
// among them the failing scheduler predicates' names.
var admissionReasons = map[string]bool{
	"NodeAffinity": true, "NodeName": true, "NodePorts": true, "TaintToleration": true,
	"PodOSSelectorNodeLabelDoesNotMatch": true, "PodOSNotSupported": true,
	"SupplementalGroupsPolicyNotSupported": true, "InvalidNodeInfo": true,
	"InitContainerRestartPolicyForbidden": true, "TopologyAffinityError": true,
	"AppArmor": true, "UnknownReason": true, "UnexpectedPredicateFailureType": true,
}

func admissionFinding(in PodInput, base Finding) Finding {
	pod := in.Pod
	node := pod.Spec.NodeName
	f := base
	f.Code, f.Severity = CodeAdmissionRejected, Warning
	f.Title = T(msgAdmissionTitle, node, pod.Status.Reason)
	f.Explanation = T(msgAdmissionExpl, pod.Status.Reason)
	switch pod.Status.Reason {
	case "NodeAffinity":
		f.Evidence = append(f.Evidence, nodeSelectorEvidence(pod)...)
		if in.Node != nil {
			f.Evidence = append(f.Evidence, Evidence{Source: "node/" + node + " metadata.labels", Value: labelString(in.Node.Labels)})
		}
		f.Actions = []Text{T(msgAdmissionAffinityAction)}
	case "TaintToleration":
		if in.Node != nil {
			for i, t := range in.Node.Spec.Taints {
				if t.Effect == corev1.TaintEffectNoExecute && !tolerates(pod, t) {
					f.Evidence = append(f.Evidence, Evidence{Source: fmt.Sprintf("node/%s spec.taints[%d]", node, i), Value: t.ToString()})
					f.Actions = append(f.Actions, T(msgAdmissionTaintAction, node, t.ToString()))
				}
			}
		}
		if len(f.Actions) == 0 {
			f.Actions = []Text{T(msgAdmissionGenericAction)}
		}
	default:
		f.Actions = []Text{T(msgAdmissionGenericAction)}
	}
	f.Evidence = append(f.Evidence, eventsEvidence(in.Events, pod.Status.Reason)...)
	if node != "" {
		f.Commands = append(f.Commands, cmdDescribeNode(node))
	}
	return f
}

func deadlineFinding(in PodInput, base Finding) Finding {
	pod := in.Pod
	f := base
	f.Code, f.Severity = CodeDeadlineExceeded, Warning
	var secs int64
	if pod.Spec.ActiveDeadlineSeconds != nil {
		secs = *pod.Spec.ActiveDeadlineSeconds
		f.Evidence = append(f.Evidence, Evidence{Source: "spec.activeDeadlineSeconds", Value: fmt.Sprint(secs)})
	}
	start := "?"
	if pod.Status.StartTime != nil {
		start = pod.Status.StartTime.UTC().Format(time.RFC3339)
		f.Evidence = append(f.Evidence, Evidence{Source: "status.startTime", Value: start})
	}
	f.Evidence = append(f.Evidence, eventsEvidence(in.Events, "DeadlineExceeded")...)
	f.Title = T(msgDeadlineTitle, secs)
	f.Explanation = T(msgDeadlineExpl, start, secs)
	f.Actions = []Text{T(msgDeadlineAction)}
	return f
}

// disruptionFinding explains a DisruptionTarget=True condition (Kubernetes
// documentation, "Disruptions", Pod disruption conditions).
func disruptionFinding(in PodInput, c *corev1.PodCondition) Finding {
	pod := in.Pod
	node := pod.Spec.NodeName
	f := Finding{
		Code:     CodeDisrupted,
		Severity: Warning,
		Evidence: []Evidence{
			{Source: "status.conditions[DisruptionTarget].reason", Value: c.Reason},
		},
		Commands: []string{cmdDescribePod(pod), cmdPodEvents(pod)},
		Since:    c.LastTransitionTime.Time,
	}
	if c.Message != "" {
		f.Evidence = append(f.Evidence, Evidence{Source: "status.conditions[DisruptionTarget].message", Value: c.Message})
	}
	f.Title = T(msgDisruptedTitle, c.Reason)
	f.Actions = []Text{T(msgDisruptedAction)}
	lower := strings.ToLower(c.Message)
	switch {
	case c.Reason == "PreemptionByScheduler" || (c.Reason == "TerminationByKubelet" && strings.Contains(lower, "preempted")):
		f.Code = CodePreempted
		f.Title = T(msgPreemptedTitle)
		if c.Reason == "PreemptionByScheduler" {
			f.Explanation = T(msgPreemptedSchedExpl, node)
		} else {
			f.Explanation = T(msgPreemptedKubeletExpl, node)
		}
		f.Actions = []Text{T(msgPreemptedAction)}
		f.Evidence = append(f.Evidence, eventsEvidence(in.Events, "Preempted", "Preempting")...)
	case c.Reason == "TerminationByKubelet" && strings.Contains(lower, "shutdown"):
		f.Code = CodeNodeShutdown
		f.Title = T(msgShutdownTitle, node)
		f.Explanation = T(msgShutdownExpl)
		f.Actions = []Text{T(msgShutdownAction)}
	case c.Reason == "TerminationByKubelet" && strings.Contains(lower, "low on resource"):
		return evictionFinding(in, f)
	case c.Reason == "TerminationByKubelet":
		f.Explanation = T(msgDisruptedKubeletExpl)
	case c.Reason == "DeletionByTaintManager":
		f.Explanation = T(msgDisruptedTaintExpl)
		f.Evidence = append(f.Evidence, eventsEvidence(in.Events, "TaintManagerEviction")...)
		if in.Node != nil {
			for i, t := range in.Node.Spec.Taints {
				if t.Effect == corev1.TaintEffectNoExecute {
					f.Evidence = append(f.Evidence, Evidence{Source: fmt.Sprintf("node/%s spec.taints[%d]", node, i), Value: t.ToString()})
				}
			}
		}
		if node != "" {
			f.Commands = append(f.Commands, cmdDescribeNode(node))
		}
	case c.Reason == "EvictionByEvictionAPI":
		f.Severity = Info
		f.Explanation = T(msgDisruptedAPIExpl)
	case c.Reason == "DeletionByPodGC":
		f.Explanation = T(msgDisruptedGCExpl)
	default:
		f.Explanation = T(msgDisruptedKubeletExpl)
	}
	return f
}

// terminatingRule finds pods still present well after their deletion deadline
// and says what holds them: finalizers, a lost node, or a kubelet that cannot
// stop the containers.
func terminatingRule(in PodInput, now *clock) []Finding {
	pod := in.Pod
	if pod.DeletionTimestamp == nil {
		return nil
	}
	// deletionTimestamp is the request time plus the grace period.
	deadline := pod.DeletionTimestamp.Time
	if !now.reached(deadline, terminatingSlack) {
		return nil
	}
	f := Finding{
		Code:     CodeStuckTerminating,
		Severity: Warning,
		Title:    T(msgTerminatingTitle, Since(deadline)),
		Evidence: []Evidence{{Source: "metadata.deletionTimestamp", Value: pod.DeletionTimestamp.UTC().Format(time.RFC3339)}},
		Commands: []string{cmdDescribePod(pod), cmdPodEvents(pod)},
		Since:    pod.DeletionTimestamp.Time,
	}
	if now.reached(deadline, terminatingCritical) {
		f.Severity = Critical
	}
	if pod.DeletionGracePeriodSeconds != nil {
		f.Evidence = append(f.Evidence, Evidence{Source: "metadata.deletionGracePeriodSeconds", Value: fmt.Sprint(*pod.DeletionGracePeriodSeconds)})
	}
	node := pod.Spec.NodeName
	nodeState := ""
	if node != "" {
		switch {
		case in.Node != nil:
			if c := nodeCondition(in.Node, corev1.NodeReady); c != nil && c.Status != corev1.ConditionTrue {
				nodeState = "NotReady"
				if c.Status == corev1.ConditionUnknown {
					nodeState = "Unknown"
				}
				f.Evidence = append(f.Evidence, Evidence{Source: "node/" + node + " status.conditions[Ready]", Value: string(c.Status) + " " + c.Reason})
			}
		case len(in.Nodes) > 0:
			nodeState = "deleted"
			f.Evidence = append(f.Evidence, Evidence{Source: "spec.nodeName", Value: node + " (no such node)"})
		}
	}
	switch {
	case len(pod.Finalizers) > 0:
		list := strings.Join(pod.Finalizers, ", ")
		f.Evidence = append(f.Evidence, Evidence{Source: "metadata.finalizers", Value: list})
		f.Explanation = T(msgTerminatingFinalizerExpl, list)
		f.Actions = []Text{T(msgTerminatingFinalizerAction, list, podWord(pod), namespaceWord(pod))}
		f.Commands = append(f.Commands, cmdPodJSONPath(pod, "{.metadata.finalizers}"))
	case nodeState != "":
		f.Explanation = T(msgTerminatingNodeExpl, node, nodeState)
		f.Actions = []Text{T(msgTerminatingNodeAction, node)}
		f.Commands = append(f.Commands, cmdDescribeNode(node))
	default:
		f.Explanation = T(msgTerminatingKubeletExpl, node)
		f.Actions = []Text{T(msgTerminatingKubeletAction, node)}
		f.Evidence = append(f.Evidence, eventsEvidence(in.Events, "FailedKillPod", "FailedPreStopHook", "ExceededGracePeriod")...)
	}
	return []Finding{f}
}

// readinessRule explains a Running pod that is not Ready: readiness gates not
// True, or containers running but not ready. The second is reported only when
// nothing else explains it (no container waiting/terminated, no readiness
// probe failure events, node Ready), because the container and probe rules
// then say more.
func readinessRule(in PodInput, now *clock) []Finding {
	pod := in.Pod
	if pod.Status.Phase != corev1.PodRunning || pod.DeletionTimestamp != nil {
		return nil
	}
	ready := podCondition(pod, corev1.PodReady)
	if ready == nil || ready.Status == corev1.ConditionTrue {
		return nil
	}
	var out []Finding
	for _, g := range pod.Spec.ReadinessGates {
		ct := string(g.ConditionType)
		c := podCondition(pod, g.ConditionType)
		if c != nil && c.Status == corev1.ConditionTrue {
			continue
		}
		f := Finding{
			Code:        CodeReadinessGatesNotReady,
			Title:       T(msgGatesTitle, ct),
			Explanation: T(msgGatesExpl, ct),
			Actions:     []Text{T(msgGatesAction, ct)},
			Commands:    []string{cmdDescribePod(pod), cmdPodJSONPath(pod, "{.status.conditions}")},
			Since:       ready.LastTransitionTime.Time,
		}
		src := "status.conditions[" + ct + "]"
		if c == nil {
			f.Evidence = []Evidence{{Source: src, Value: "(missing)"}}
		} else {
			f.Evidence = []Evidence{{Source: src + ".status", Value: string(c.Status)}}
			if c.Reason != "" {
				f.Evidence = append(f.Evidence, Evidence{Source: src + ".reason", Value: c.Reason})
			}
			if c.Message != "" {
				f.Evidence = append(f.Evidence, Evidence{Source: src + ".message", Value: c.Message})
			}
			if !c.LastTransitionTime.IsZero() {
				f.Since = c.LastTransitionTime.Time
			}
		}
		if ready.Message != "" {
			f.Evidence = append(f.Evidence, Evidence{Source: "status.conditions[Ready].message", Value: ready.Message})
		}
		f.Severity = agedSeverity(now, f.Since, notReadyGrace, Info, Warning)
		out = append(out, f)
	}
	if f, ok := notReadyFinding(in, ready, now); ok {
		out = append(out, f)
	}
	return out
}

func notReadyFinding(in PodInput, ready *corev1.PodCondition, now *clock) (Finding, bool) {
	pod := in.Pod
	if in.Node != nil {
		if c := nodeCondition(in.Node, corev1.NodeReady); c != nil && c.Status != corev1.ConditionTrue {
			return Finding{}, false // nodeRule explains it
		}
	}
	var names []string
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Ready {
			continue
		}
		if cs.State.Running == nil || hasProbeEvent(in.Events, cs.Name) {
			return Finding{}, false // the container and probe rules explain it
		}
		names = append(names, cs.Name)
	}
	if len(names) == 0 {
		return Finding{}, false
	}
	since := ready.LastTransitionTime.Time
	f := Finding{
		Code:     CodeContainersNotReady,
		Severity: agedSeverity(now, since, notReadyGrace, Info, Warning),
		Title:    T(msgNotReadyTitle, strings.Join(names, ", ")),
		Evidence: []Evidence{{Source: "status.conditions[Ready].status", Value: string(ready.Status)}},
		Actions:  []Text{T(msgNotReadyAction, podWord(pod), namespaceWord(pod))},
		Commands: []string{cmdDescribePod(pod), cmdPodEvents(pod)},
		Since:    since,
	}
	f.Explanation = T(msgNotReadyExpl, Since(since))
	if ready.Reason != "" {
		f.Evidence = append(f.Evidence, Evidence{Source: "status.conditions[Ready].reason", Value: ready.Reason})
	}
	if ready.Message != "" {
		f.Evidence = append(f.Evidence, Evidence{Source: "status.conditions[Ready].message", Value: ready.Message})
	}
	return f, true
}

// hasProbeEvent reports whether an Unhealthy (probe failure) event names the
// container.
func hasProbeEvent(events []*corev1.Event, container string) bool {
	want := "{" + container + "}"
	for _, e := range events {
		if e.Reason == "Unhealthy" && (e.InvolvedObject.FieldPath == "" || strings.HasSuffix(e.InvolvedObject.FieldPath, want)) {
			return true
		}
	}
	return false
}

// agedSeverity returns young until the state is older than grace, then old.
// A zero since counts as old.
func agedSeverity(now *clock, since time.Time, grace time.Duration, young, old Severity) Severity {
	if !since.IsZero() && !now.reached(since, grace) {
		return young
	}
	return old
}

// failedSince is when the pod failed, when known.
func failedSince(pod *corev1.Pod) time.Time {
	for _, t := range []corev1.PodConditionType{corev1.DisruptionTarget, corev1.PodReady} {
		if c := podCondition(pod, t); c != nil && !c.LastTransitionTime.IsZero() {
			return c.LastTransitionTime.Time
		}
	}
	return time.Time{}
}

func podCondition(pod *corev1.Pod, t corev1.PodConditionType) *corev1.PodCondition {
	for i := range pod.Status.Conditions {
		if pod.Status.Conditions[i].Type == t {
			return &pod.Status.Conditions[i]
		}
	}
	return nil
}

func nodeCondition(node *corev1.Node, t corev1.NodeConditionType) *corev1.NodeCondition {
	for i := range node.Status.Conditions {
		if node.Status.Conditions[i].Type == t {
			return &node.Status.Conditions[i]
		}
	}
	return nil
}

// newestEvent returns the most recent event with one of the reasons.
func newestEvent(events []*corev1.Event, reasons ...string) *corev1.Event {
	var best *corev1.Event
	for _, r := range reasons {
		if e, _ := latestEvent(events, r, nil); e != nil && (best == nil || eventLastSeen(e).After(eventLastSeen(best))) {
			best = e
		}
	}
	return best
}

// eventsEvidence quotes the newest event of each reason, as
// "event Warning/FailedScheduling ×4".
func eventsEvidence(events []*corev1.Event, reasons ...string) []Evidence {
	var out []Evidence
	for _, r := range reasons {
		if e, _ := latestEvent(events, r, nil); e != nil {
			out = append(out, eventEvidence(e))
		}
	}
	return out
}

func labelString(l map[string]string) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + l[k]
	}
	return strings.Join(parts, ",")
}
