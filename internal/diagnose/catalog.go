package diagnose

// CodeInfo documents one finding code for the catalog users read
// (docs/diagnoses.md, generated from these entries).
type CodeInfo struct {
	Code Code
	// Severity is the code's usual severity (a transient state may start lower).
	Severity Severity
	// Meaning says what the code means, in both languages.
	Meaning Message
	// Trigger says what in the cluster raises it, in both languages.
	Trigger Message
	// Example is a verbatim example of the decisive evidence.
	Example string
}

// Catalog lists every code Pod and Node can return, in display order.
func Catalog() []CodeInfo {
	all := make([]CodeInfo, 0, len(containerCodes)+len(podCodes))
	all = append(all, containerCodes...)
	return append(all, podCodes...)
}

// podCodes documents the codes of the pod-, scheduling- and node-level rules
// (scheduling.go, pod.go, eviction.go, node.go).
var podCodes = []CodeInfo{
	{
		Code: CodeUnschedulable, Severity: Critical,
		Meaning: Message{
			EN: "No node can run the pod; the reasons are checked against the pod spec and the nodes (taints and the toleration that would match, selectors that match no node, requests larger than any node). Info for the first minute, Warning until 5 minutes, then Critical.",
			ZH: "没有节点能运行该 Pod；会结合 Pod 配置与节点逐项核对原因（污点及可匹配的容忍、没有节点匹配的选择器、大于任何节点的 requests）。首分钟为 Info，5 分钟内为 Warning，之后为 Critical。",
		},
		Trigger: Message{
			EN: "Condition PodScheduled=False reason Unschedulable, or a FailedScheduling event.",
			ZH: "PodScheduled=False 且原因为 Unschedulable 的状况，或 FailedScheduling 事件。",
		},
		Example: "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
	},
	{
		Code: CodeSchedulingGated, Severity: Info,
		Meaning: Message{EN: "The pod waits for its scheduling gates to be removed (Info for 10 minutes, then Warning).", ZH: "Pod 正在等待调度门控被移除（10 分钟内为 Info，之后为 Warning）。"},
		Trigger: Message{EN: "spec.schedulingGates is not empty; PodScheduled reason SchedulingGated.", ZH: "spec.schedulingGates 非空；PodScheduled 原因为 SchedulingGated。"},
		Example: "Scheduling is blocked due to non-empty scheduling gates",
	},
	{
		Code: CodeSchedulerError, Severity: Warning,
		Meaning: Message{EN: "The scheduler failed internally while handling the pod.", ZH: "调度器在处理该 Pod 时发生内部错误。"},
		Trigger: Message{EN: "Condition PodScheduled=False reason SchedulerError.", ZH: "PodScheduled=False 且原因为 SchedulerError。"},
		Example: "PodScheduled=False SchedulerError",
	},
	{
		Code: CodeNotScheduled, Severity: Warning,
		Meaning: Message{EN: "No scheduler has tried to place the pod for over a minute (wrong schedulerName or the scheduler is down).", ZH: "超过一分钟没有调度器尝试调度该 Pod（schedulerName 错误或调度器未运行）。"},
		Trigger: Message{EN: "Pending, no node, no PodScheduled condition and no FailedScheduling event.", ZH: "Pending、未绑定节点、没有 PodScheduled 状况也没有 FailedScheduling 事件。"},
		Example: "spec.schedulerName: my-scheduler",
	},
	{
		Code: CodePreemptionPending, Severity: Info,
		Meaning: Message{EN: "The scheduler nominated a node and is preempting lower-priority pods there (Warning after 5 minutes).", ZH: "调度器已提名节点，正在抢占其上的低优先级 Pod（5 分钟后为 Warning）。"},
		Trigger: Message{EN: "status.nominatedNodeName set on an unbound pod.", ZH: "未绑定节点的 Pod 设置了 status.nominatedNodeName。"},
		Example: "status.nominatedNodeName: worker-2",
	},
	{
		Code: CodeEvicted, Severity: Warning,
		Meaning: Message{EN: "The kubelet evicted the pod under node pressure or for exceeding local storage limits; names the resource and the container that used the most.", ZH: "kubelet 因节点资源压力或超出本地存储限制而驱逐了该 Pod；会指出资源类型和用量最大的容器。"},
		Trigger: Message{EN: "status.reason Evicted (or DisruptionTarget TerminationByKubelet with an eviction message).", ZH: "status.reason 为 Evicted（或 DisruptionTarget 为 TerminationByKubelet 且带驱逐信息）。"},
		Example: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 48Mi. Container app was using 1876Mi, request is 512Mi, has larger consumption of memory.",
	},
	{
		Code: CodePreempted, Severity: Warning,
		Meaning: Message{EN: "The pod was stopped to make room for a higher-priority or critical pod.", ZH: "Pod 为更高优先级或关键 Pod 让出资源而被停止。"},
		Trigger: Message{EN: "status.reason Preempting, or DisruptionTarget reason PreemptionByScheduler.", ZH: "status.reason 为 Preempting，或 DisruptionTarget 原因为 PreemptionByScheduler。"},
		Example: "default-scheduler: preempting to accommodate a higher priority pod",
	},
	{
		Code: CodeOutOfResources, Severity: Warning,
		Meaning: Message{EN: "The kubelet rejected the pod because the node's resource was already fully requested.", ZH: "节点资源已被全部申请，kubelet 拒绝了该 Pod。"},
		Trigger: Message{EN: "status.reason OutOfcpu, OutOfmemory, OutOfpods, OutOfephemeral-storage or OutOf<extended resource>.", ZH: "status.reason 为 OutOfcpu、OutOfmemory、OutOfpods、OutOfephemeral-storage 或 OutOf<扩展资源>。"},
		Example: "Pod was rejected: Node didn't have enough resource: cpu, requested: 4000, used: 3500, capacity: 4000",
	},
	{
		Code: CodeAdmissionRejected, Severity: Warning,
		Meaning: Message{EN: "The kubelet refused to run the pod for a node mismatch (affinity, taints, ports, OS, AppArmor, topology).", ZH: "kubelet 因节点不匹配（亲和性、污点、端口、操作系统、AppArmor、拓扑）拒绝运行该 Pod。"},
		Trigger: Message{EN: "status.reason NodeAffinity, TaintToleration, NodePorts, NodeName, PodOS*, TopologyAffinityError and other kubelet admission reasons.", ZH: "status.reason 为 NodeAffinity、TaintToleration、NodePorts、NodeName、PodOS*、TopologyAffinityError 等 kubelet 准入原因。"},
		Example: "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
	},
	{
		Code: CodeSysctlForbidden, Severity: Warning,
		Meaning: Message{EN: "The pod sets a sysctl the node's kubelet does not allow; names the sysctl.", ZH: "Pod 设置了节点 kubelet 不允许的 sysctl；会指出具体的 sysctl。"},
		Trigger: Message{EN: "status.reason SysctlForbidden.", ZH: "status.reason 为 SysctlForbidden。"},
		Example: "Pod was rejected: forbidden sysctl: \"net.core.somaxconn\" not allowlisted",
	},
	{
		Code: CodeUnexpectedAdmissionError, Severity: Warning,
		Meaning: Message{EN: "The kubelet failed to allocate a device or plugin resource (often GPUs).", ZH: "kubelet 分配设备或插件资源失败（常见于 GPU）。"},
		Trigger: Message{EN: "status.reason UnexpectedAdmissionError.", ZH: "status.reason 为 UnexpectedAdmissionError。"},
		Example: "Allocate failed due to requested number of devices unavailable for nvidia.com/gpu. Requested: 4, Available: 0, which is unexpected",
	},
	{
		Code: CodeNodeLost, Severity: Critical,
		Meaning: Message{EN: "The node running the pod stopped responding; the pod's real state is unknown.", ZH: "运行该 Pod 的节点失去响应；Pod 的实际状态未知。"},
		Trigger: Message{EN: "status.reason NodeLost.", ZH: "status.reason 为 NodeLost。"},
		Example: "Node worker-3 which was running pod web-1 is unresponsive",
	},
	{
		Code: CodeNodeShutdown, Severity: Warning,
		Meaning: Message{EN: "The pod was stopped or rejected because its node was shutting down.", ZH: "因节点关机，Pod 被停止或拒绝。"},
		Trigger: Message{EN: "status.reason NodeShutdown, Terminated or Shutdown; DisruptionTarget TerminationByKubelet mentioning shutdown.", ZH: "status.reason 为 NodeShutdown、Terminated 或 Shutdown；或 DisruptionTarget 为 TerminationByKubelet 且提到关机。"},
		Example: "Pod was terminated in response to imminent node shutdown.",
	},
	{
		Code: CodeDeadlineExceeded, Severity: Warning,
		Meaning: Message{EN: "The pod ran longer than spec.activeDeadlineSeconds and was stopped.", ZH: "Pod 运行时间超过 spec.activeDeadlineSeconds 而被停止。"},
		Trigger: Message{EN: "status.reason DeadlineExceeded.", ZH: "status.reason 为 DeadlineExceeded。"},
		Example: "Pod was active on the node longer than the specified deadline",
	},
	{
		Code: CodeDisrupted, Severity: Warning,
		Meaning: Message{EN: "The pod is being removed by a disruption: taint eviction, the Eviction API (drain; Info) or pod garbage collection.", ZH: "Pod 正因中断而被移除：污点驱逐、Eviction API（drain，为 Info）或 Pod 垃圾回收。"},
		Trigger: Message{EN: "Condition DisruptionTarget=True with reason DeletionByTaintManager, EvictionByEvictionAPI, DeletionByPodGC or TerminationByKubelet.", ZH: "DisruptionTarget=True，原因为 DeletionByTaintManager、EvictionByEvictionAPI、DeletionByPodGC 或 TerminationByKubelet。"},
		Example: "Taint manager: deleting due to NoExecute taint",
	},
	{
		Code: CodePodFailed, Severity: Warning,
		Meaning: Message{EN: "The pod failed with a pod-level reason not listed above.", ZH: "Pod 以上面未列出的 Pod 级原因失败。"},
		Trigger: Message{EN: "Phase Failed with an unrecognised status.reason.", ZH: "阶段为 Failed，且 status.reason 无法识别。"},
		Example: "status.reason: SomethingNew",
	},
	{
		Code: CodeStuckTerminating, Severity: Warning,
		Meaning: Message{EN: "The pod is still there more than a minute after its deletion deadline (Critical after 15 minutes); names the finalizers, a lost node, or a kubelet that cannot stop it.", ZH: "删除期限过后一分钟以上 Pod 仍然存在（15 分钟后为 Critical）；会指出 finalizer、失联节点或无法停止容器的 kubelet。"},
		Trigger: Message{EN: "metadata.deletionTimestamp (which already includes the grace period) is in the past.", ZH: "metadata.deletionTimestamp（已包含宽限期）已过去。"},
		Example: "metadata.finalizers: example.com/cleanup",
	},
	{
		Code: CodeNodeNotReady, Severity: Critical,
		Meaning: Message{EN: "The node reports Ready=False for another reason than runtime or network (Warning in the first minute).", ZH: "节点报告 Ready=False，且原因不是运行时或网络（首分钟为 Warning）。"},
		Trigger: Message{EN: "Node condition Ready=False, e.g. reason KubeletNotReady.", ZH: "节点状况 Ready=False，例如原因 KubeletNotReady。"},
		Example: "Ready=False KubeletNotReady: node is shutting down",
	},
	{
		Code: CodeNodeUnreachable, Severity: Critical,
		Meaning: Message{EN: "The kubelet stopped posting node status; says how long since the last heartbeat.", ZH: "kubelet 停止上报节点状态；会显示距上次心跳的时间。"},
		Trigger: Message{EN: "Node condition Ready=Unknown (NodeStatusUnknown, NodeStatusNeverUpdated).", ZH: "节点状况 Ready=Unknown（NodeStatusUnknown、NodeStatusNeverUpdated）。"},
		Example: "Kubelet stopped posting node status.",
	},
	{
		Code: CodeNodeRuntimeNotReady, Severity: Critical,
		Meaning: Message{EN: "The node's container runtime is down, hung or not ready (PLEG unhealthy; legacy DockerDaemonNotReady).", ZH: "节点的容器运行时已停止、卡住或未就绪（PLEG 不健康；旧版的 DockerDaemonNotReady）。"},
		Trigger: Message{EN: "Ready=False whose message contains \"container runtime not ready\", \"container runtime is down\", \"PLEG is not healthy\" or DockerDaemonNotReady.", ZH: "Ready=False 且信息包含 \"container runtime not ready\"、\"container runtime is down\"、\"PLEG is not healthy\" 或 DockerDaemonNotReady。"},
		Example: "container runtime is down, PLEG is not healthy: pleg was last seen active 3m20s ago; threshold is 3m0s",
	},
	{
		Code: CodeNodeNetworkNotReady, Severity: Critical,
		Meaning: Message{EN: "The node's network plugin (CNI) is not ready; pods cannot get an IP.", ZH: "节点的网络插件（CNI）未就绪；Pod 无法获得 IP。"},
		Trigger: Message{EN: "Ready=False whose message contains \"runtime network not ready\" or NetworkPluginNotReady.", ZH: "Ready=False 且信息包含 \"runtime network not ready\" 或 NetworkPluginNotReady。"},
		Example: "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
	},
	{
		Code: CodeNodeMemoryPressure, Severity: Warning,
		Meaning: Message{EN: "The node is low on memory; the kubelet evicts pods.", ZH: "节点内存不足；kubelet 会驱逐 Pod。"},
		Trigger: Message{EN: "Node condition MemoryPressure=True.", ZH: "节点状况 MemoryPressure=True。"},
		Example: "MemoryPressure=True KubeletHasInsufficientMemory",
	},
	{
		Code: CodeNodeDiskPressure, Severity: Warning,
		Meaning: Message{EN: "The node is low on disk space or inodes; the kubelet removes images and evicts pods.", ZH: "节点磁盘空间或 inode 不足；kubelet 会清理镜像并驱逐 Pod。"},
		Trigger: Message{EN: "Node condition DiskPressure=True.", ZH: "节点状况 DiskPressure=True。"},
		Example: "DiskPressure=True KubeletHasDiskPressure",
	},
	{
		Code: CodeNodePIDPressure, Severity: Warning,
		Meaning: Message{EN: "The node is running out of process IDs.", ZH: "节点进程 ID 即将耗尽。"},
		Trigger: Message{EN: "Node condition PIDPressure=True.", ZH: "节点状况 PIDPressure=True。"},
		Example: "PIDPressure=True KubeletHasInsufficientPID",
	},
	{
		Code: CodeNodeNetworkUnavailable, Severity: Critical,
		Meaning: Message{EN: "The node's network routes are not configured.", ZH: "节点的网络路由尚未配置。"},
		Trigger: Message{EN: "Node condition NetworkUnavailable=True.", ZH: "节点状况 NetworkUnavailable=True。"},
		Example: "NetworkUnavailable=True NoRouteCreated",
	},
	{
		Code: CodeNodeCordoned, Severity: Info,
		Meaning: Message{EN: "The node accepts no new pods; running pods are unaffected.", ZH: "节点不接受新 Pod；已运行的 Pod 不受影响。"},
		Trigger: Message{EN: "Node spec.unschedulable: true (kubectl cordon / drain).", ZH: "节点 spec.unschedulable: true（kubectl cordon / drain）。"},
		Example: "node.kubernetes.io/unschedulable:NoSchedule",
	},
	{
		Code: CodeNodeTainted, Severity: Warning,
		Meaning: Message{EN: "The node has a well-known taint that needs a human or a controller: out-of-service (Critical) or cloud-provider uninitialized.", ZH: "节点带有需要人工或控制器处理的知名污点：out-of-service（Critical）或云厂商未初始化。"},
		Trigger: Message{EN: "Taint node.kubernetes.io/out-of-service or node.cloudprovider.kubernetes.io/uninitialized.", ZH: "污点 node.kubernetes.io/out-of-service 或 node.cloudprovider.kubernetes.io/uninitialized。"},
		Example: "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute",
	},
	{
		Code: CodeNodeMissing, Severity: Critical,
		Meaning: Message{EN: "The pod is bound to a node that no longer exists.", ZH: "Pod 绑定的节点已不存在。"},
		Trigger: Message{EN: "spec.nodeName names no node in the node list.", ZH: "spec.nodeName 指向的节点不在节点列表中。"},
		Example: "spec.nodeName: worker-7 (no such node)",
	},
	{
		Code: CodeContainersNotReady, Severity: Warning,
		Meaning: Message{EN: "The pod runs but is not Ready and no container or probe finding explains why (Info for the first 2 minutes).", ZH: "Pod 在运行但未就绪，且没有容器或探针方面的发现能解释原因（前 2 分钟为 Info）。"},
		Trigger: Message{EN: "Phase Running, Ready=False, containers running but not ready, no Unhealthy events.", ZH: "阶段为 Running、Ready=False，容器在运行但未就绪，且没有 Unhealthy 事件。"},
		Example: "containers with unready status: [app]",
	},
	{
		Code: CodeReadinessGatesNotReady, Severity: Warning,
		Meaning: Message{EN: "A readiness gate condition is missing or not True, so the pod is not Ready (Info for the first 2 minutes).", ZH: "就绪门控对应的状况缺失或不为 True，因此 Pod 未就绪（前 2 分钟为 Info）。"},
		Trigger: Message{EN: "spec.readinessGates names a condition that is absent or not True.", ZH: "spec.readinessGates 指定的状况不存在或不为 True。"},
		Example: "corresponding condition of pod readiness gate \"target-health.elbv2.k8s.aws/web\" does not exist.",
	},
}
