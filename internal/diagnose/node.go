package diagnose

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// nodeNotReadyGrace: a node NotReady or Unknown for less than 1 minute may be
// booting or blipping (Warning); after that it is Critical.
const nodeNotReadyGrace = time.Minute

// Fragments of the node Ready=False message, case-insensitive, runtime first
// because an aggregated message can carry both. The kubelet builds the
// message from its runtime state (pkg/kubelet/kubelet.go, updateRuntimeUp:
// "container runtime not ready", "container runtime network not ready";
// pkg/kubelet/runtime.go, runtimeErrors; pkg/kubelet/pleg/generic.go,
// Healthy: "pleg was last seen active … ago").
var (
	nodeRuntimeFragments = []string{
		"container runtime not ready", // also the old "Container runtime not ready" prefix
		"runtimeready=false",
		"dockerdaemonnotready", // legacy dockershim reason inside the message
		"container runtime is down",
		"runtime status check may not have completed",
		"pleg is not healthy",
	}
	nodeNetworkFragments = []string{
		"runtime network not ready", // "container runtime network not ready" and the old prefix
		"networkready=false",
		"networkpluginnotready",
		"cni plugin not initialized",
		"no cni configuration file",
	}
)

var (
	msgNodeNotReadyTitle = podMsg(
		"Node %s is NotReady",
		"节点 %s 未就绪（NotReady）")
	msgNodeNotReadyExpl = podMsg(
		"The kubelet on the node reports Ready=False (%s) since %s. New pods are not scheduled there and pods on it are marked not ready; after the not-ready toleration (usually 5 minutes) they are evicted.",
		"节点上的 kubelet 报告 Ready=False（%s），自 %s 起。新 Pod 不会调度到该节点，节点上的 Pod 被标记为未就绪；超过 not-ready 容忍时间（通常 5 分钟）后会被驱逐。")
	msgNodeNotReadyAction = podMsg(
		"Read the Ready message and the kubelet log on the node (kubectl describe node %s; journalctl -u kubelet).",
		"查看 Ready 状况的信息以及节点上的 kubelet 日志（kubectl describe node %s；journalctl -u kubelet）。")
	msgNodeUnreachableTitle = podMsg(
		"Node %s is unreachable: no status for %s",
		"节点 %s 失联：已有 %s 没有上报状态")
	msgNodeUnreachableExpl = podMsg(
		"The node controller set Ready=Unknown (%s): the kubelet stopped posting status and renewing its lease. The machine may be down, the kubelet stopped, or the network to the API server broken. Pods there are evicted after their unreachable toleration (usually 5 minutes).",
		"节点控制器把 Ready 设为 Unknown（%s）：kubelet 停止上报状态并停止续约 Lease。可能是机器宕机、kubelet 停止或与 API server 的网络中断。节点上的 Pod 会在 unreachable 容忍时间（通常 5 分钟）后被驱逐。")
	msgNodeUnreachableAction = podMsg(
		"Check that machine %s is running and the kubelet is up (systemctl status kubelet), and its lease: kubectl get lease -n kube-node-lease %s.",
		"检查机器 %s 是否在运行、kubelet 是否正常（systemctl status kubelet），以及它的 Lease：kubectl get lease -n kube-node-lease %s。")
	msgNodeRuntimeTitle = podMsg(
		"Node %s is NotReady: the container runtime is not ready",
		"节点 %s 未就绪：容器运行时未就绪")
	msgNodeRuntimeExpl = podMsg(
		"The kubelet cannot use the container runtime (containerd or CRI-O): it is down, hung, or too slow to list containers (PLEG). No container on the node can start or stop.",
		"kubelet 无法使用容器运行时（containerd 或 CRI-O）：运行时已停止、卡住，或列出容器过慢（PLEG）。节点上的容器都无法启动或停止。")
	msgNodeRuntimeAction = podMsg(
		"On node %s: systemctl status containerd (or crio), journalctl -u containerd, crictl ps -a; restart the runtime if it is hung.",
		"在节点 %s 上执行：systemctl status containerd（或 crio）、journalctl -u containerd、crictl ps -a；如果运行时卡住，重启它。")
	msgNodeDockershimAction = podMsg(
		"DockerDaemonNotReady comes from the legacy dockershim / cri-dockerd: check that dockerd and cri-dockerd run on the node.",
		"DockerDaemonNotReady 来自旧的 dockershim / cri-dockerd：检查节点上的 dockerd 和 cri-dockerd 是否在运行。")
	msgNodeNetworkTitle = podMsg(
		"Node %s is NotReady: the network plugin (CNI) is not ready",
		"节点 %s 未就绪：网络插件（CNI）未就绪")
	msgNodeNetworkExpl = podMsg(
		"The runtime reports NetworkReady=false: no CNI configuration or the CNI plugin failed. Pods without hostNetwork cannot get an IP and stay ContainerCreating.",
		"容器运行时报告 NetworkReady=false：没有 CNI 配置或 CNI 插件失败。非 hostNetwork 的 Pod 无法获得 IP，会一直处于 ContainerCreating。")
	msgNodeNetworkAction = podMsg(
		"Check the CNI pods on node %s (calico, cilium, flannel, aws-node…) and /etc/cni/net.d on the node.",
		"检查节点 %s 上的 CNI Pod（calico、cilium、flannel、aws-node 等）以及节点上的 /etc/cni/net.d。")
	msgNodePressureTitle = podMsg(
		"Node %s has %s",
		"节点 %s 出现 %s")
	msgNodeMemoryExpl = podMsg(
		"Available memory on the node is below the kubelet's eviction threshold. The kubelet evicts pods, BestEffort and those above their memory request first, and admits no new BestEffort pods.",
		"节点可用内存低于 kubelet 的驱逐阈值。kubelet 会驱逐 Pod（优先 BestEffort 以及超出内存 requests 的 Pod），并且不再接纳新的 BestEffort Pod。")
	msgNodeDiskExpl = podMsg(
		"Free disk space or inodes on the node's root or image filesystem are below the eviction threshold. The kubelet removes unused images and evicts pods using the most local storage.",
		"节点根文件系统或镜像文件系统的可用空间或 inode 低于驱逐阈值。kubelet 会清理未使用的镜像，并驱逐占用本地存储最多的 Pod。")
	msgNodePIDExpl = podMsg(
		"The node is running out of process IDs. The kubelet evicts pods to free them; a fork bomb or leaking threads is a common cause.",
		"节点的进程 ID 即将耗尽。kubelet 会驱逐 Pod 来释放 PID；常见原因是进程失控或线程泄漏。")
	msgNodePressureAction = podMsg(
		"Find what uses it on node %s (kubectl describe node %s; kubectl top pods -A --sort-by=memory) and set requests and limits.",
		"找出节点 %s 上的占用来源（kubectl describe node %s；kubectl top pods -A --sort-by=memory），并设置 requests 和 limits。")
	msgNodeNetUnavailTitle = podMsg(
		"Node %s: network unavailable",
		"节点 %s：网络不可用")
	msgNodeNetUnavailExpl = podMsg(
		"NetworkUnavailable=True: the cloud provider or the network plugin has not configured routes for the node, so its pods cannot reach other nodes.",
		"NetworkUnavailable=True：云厂商或网络插件尚未为该节点配置路由，节点上的 Pod 无法访问其他节点。")
	msgNodeNetUnavailAction = podMsg(
		"Check the cloud-controller-manager route controller or the CNI's node agent for node %s.",
		"检查 cloud-controller-manager 的路由控制器或节点 %s 上 CNI 的节点代理。")
	msgNodeCordonedTitle = podMsg(
		"Node %s is cordoned",
		"节点 %s 已被封锁（cordon）")
	msgNodeCordonedExpl = podMsg(
		"spec.unschedulable is true: running pods stay, but no new pods are scheduled there. It is usually maintenance or a drain in progress.",
		"spec.unschedulable 为 true：已运行的 Pod 保留，但不会再有新 Pod 调度到该节点。通常是正在维护或排空（drain）。")
	msgNodeCordonedAction = podMsg(
		"When maintenance is over: kubectl uncordon %s.",
		"维护结束后执行：kubectl uncordon %s。")
	msgNodeTaintedTitle = podMsg(
		"Node %s has taint %s",
		"节点 %s 带有污点 %s")
	msgNodeOutOfServiceExpl = podMsg(
		"Someone marked the node out of service after a non-graceful shutdown: pods without a matching toleration are force-deleted and their volumes detached.",
		"有人在节点非正常关机后将其标记为停止服务：没有相应容忍的 Pod 会被强制删除，存储卷会被卸载。")
	msgNodeUninitializedExpl = podMsg(
		"The kubelet runs with an external cloud provider and the cloud-controller-manager has not initialized the node yet, so ordinary pods are not scheduled there.",
		"kubelet 使用外部云厂商模式，而 cloud-controller-manager 尚未初始化该节点，因此普通 Pod 不会调度到这里。")
	msgNodeTaintedAction = podMsg(
		"Remove the taint when the node is healthy again (kubectl taint node %s %s-), or check the controller that should remove it.",
		"节点恢复后移除污点（kubectl taint node %s %s-），或检查本应移除它的控制器。")
	msgNodeMissingTitle = podMsg(
		"Node %s no longer exists",
		"节点 %s 已不存在")
	msgNodeMissingExpl = podMsg(
		"The pod is bound to node %s, which is not in the node list: it was deleted (scale-down, replaced machine). The pod garbage collector deletes such pods; its containers are gone.",
		"该 Pod 绑定的节点 %s 已不在节点列表中：它已被删除（缩容、更换机器）。Pod 垃圾回收器会删除这样的 Pod；其容器已不存在。")
	msgNodeMissingAction = podMsg(
		"Nothing to repair on the pod: its controller creates a replacement. Delete it if it lingers (kubectl delete pod %s -n %s).",
		"该 Pod 本身无需修复：控制器会创建替代 Pod。如果它一直残留，可将其删除（kubectl delete pod %s -n %s）。")
)

// pressureInfo describes each node pressure condition.
var pressureInfo = []struct {
	cond  corev1.NodeConditionType
	code  Code
	expl  *Message
	taint string
}{
	{corev1.NodeMemoryPressure, CodeNodeMemoryPressure, msgNodeMemoryExpl, corev1.TaintNodeMemoryPressure},
	{corev1.NodeDiskPressure, CodeNodeDiskPressure, msgNodeDiskExpl, corev1.TaintNodeDiskPressure},
	{corev1.NodePIDPressure, CodeNodePIDPressure, msgNodePIDExpl, corev1.TaintNodePIDPressure},
}

// Node diagnoses one node: Ready state, runtime and network, pressure,
// network routes, cordon and the well-known taints that need a human.
func Node(node *corev1.Node, now time.Time) Diagnosis {
	if node == nil {
		return Diagnosis{}
	}
	c := newClock(now)
	d := newDiagnosis(nodeFindings(node, c))
	d.RecheckAt = c.next
	return d
}

func nodeFindings(node *corev1.Node, now *clock) []Finding {
	name := node.Name
	cmds := []string{cmdDescribeNode(name), cmdNodeTaints(name)}
	var out []Finding
	if f, ok := nodeReadyFinding(node, now); ok {
		out = append(out, f)
	}
	for _, p := range pressureInfo {
		c := nodeCondition(node, p.cond)
		if c == nil || c.Status != corev1.ConditionTrue {
			continue
		}
		f := Finding{
			Code: p.code, Severity: Warning,
			Title:       T(msgNodePressureTitle, name, string(p.cond)),
			Explanation: T(p.expl),
			Evidence:    conditionEvidence(name, c),
			Actions:     []Text{T(msgNodePressureAction, name, nodeWord(name))},
			Commands:    cmds,
			Since:       c.LastTransitionTime.Time,
		}
		f.Evidence = append(f.Evidence, taintEvidence(node, p.taint)...)
		out = append(out, f)
	}
	if c := nodeCondition(node, corev1.NodeNetworkUnavailable); c != nil && c.Status == corev1.ConditionTrue {
		f := Finding{
			Code: CodeNodeNetworkUnavailable, Severity: Critical,
			Title:       T(msgNodeNetUnavailTitle, name),
			Explanation: T(msgNodeNetUnavailExpl),
			Evidence:    append(conditionEvidence(name, c), taintEvidence(node, corev1.TaintNodeNetworkUnavailable)...),
			Actions:     []Text{T(msgNodeNetUnavailAction, name)},
			Commands:    cmds,
			Since:       c.LastTransitionTime.Time,
		}
		out = append(out, f)
	}
	if node.Spec.Unschedulable {
		out = append(out, Finding{
			Code: CodeNodeCordoned, Severity: Info,
			Title:       T(msgNodeCordonedTitle, name),
			Explanation: T(msgNodeCordonedExpl),
			Evidence:    append([]Evidence{{Source: "node/" + name + " spec.unschedulable", Value: "true"}}, taintEvidence(node, corev1.TaintNodeUnschedulable)...),
			Actions:     []Text{T(msgNodeCordonedAction, nodeWord(name))},
			Commands:    cmds,
		})
	}
	for i, t := range node.Spec.Taints {
		var expl *Message
		sev := Warning
		switch t.Key {
		case corev1.TaintNodeOutOfService:
			expl, sev = msgNodeOutOfServiceExpl, Critical
		case "node.cloudprovider.kubernetes.io/uninitialized":
			expl = msgNodeUninitializedExpl
		default:
			continue
		}
		f := Finding{
			Code: CodeNodeTainted, Severity: sev,
			Title:       T(msgNodeTaintedTitle, name, t.ToString()),
			Explanation: T(expl),
			Evidence:    []Evidence{{Source: fmt.Sprintf("node/%s spec.taints[%d]", name, i), Value: t.ToString()}},
			Actions:     []Text{T(msgNodeTaintedAction, nodeWord(name), taintKeyWord(t.Key))},
			Commands:    cmds,
		}
		if t.TimeAdded != nil {
			f.Since = t.TimeAdded.Time
		}
		out = append(out, f)
	}
	return out
}

// nodeReadyFinding explains a Ready condition that is False or Unknown.
func nodeReadyFinding(node *corev1.Node, now *clock) (Finding, bool) {
	name := node.Name
	c := nodeCondition(node, corev1.NodeReady)
	if c == nil || c.Status == corev1.ConditionTrue {
		return Finding{}, false
	}
	since := c.LastTransitionTime.Time
	f := Finding{
		Severity: agedSeverity(now, since, nodeNotReadyGrace, Warning, Critical),
		Evidence: conditionEvidence(name, c),
		Commands: []string{cmdDescribeNode(name), cmdNodeTaints(name)},
		Since:    since,
	}
	f.Evidence = append(f.Evidence, taintEvidence(node, corev1.TaintNodeNotReady, corev1.TaintNodeUnreachable)...)
	if c.Status == corev1.ConditionUnknown {
		f.Code = CodeNodeUnreachable
		f.Title = T(msgNodeUnreachableTitle, name, Since(c.LastHeartbeatTime.Time))
		f.Explanation = T(msgNodeUnreachableExpl, c.Reason)
		f.Actions = []Text{T(msgNodeUnreachableAction, name, nodeWord(name))}
		f.Commands = append(f.Commands, cmdNodeLease(name))
		return f, true
	}
	lower := strings.ToLower(c.Message)
	switch {
	case containsAny(lower, nodeRuntimeFragments):
		f.Code = CodeNodeRuntimeNotReady
		f.Title = T(msgNodeRuntimeTitle, name)
		f.Explanation = T(msgNodeRuntimeExpl)
		f.Actions = []Text{T(msgNodeRuntimeAction, name)}
		if strings.Contains(lower, "dockerdaemonnotready") {
			f.Actions = append(f.Actions, T(msgNodeDockershimAction))
		}
		f.Commands = append(f.Commands, cmdDebugNode(name))
	case containsAny(lower, nodeNetworkFragments):
		f.Code = CodeNodeNetworkNotReady
		f.Title = T(msgNodeNetworkTitle, name)
		f.Explanation = T(msgNodeNetworkExpl)
		f.Actions = []Text{T(msgNodeNetworkAction, name)}
		f.Commands = append(f.Commands, cmdPodsOnNode(name))
	default:
		at := "?"
		if !since.IsZero() {
			at = since.UTC().Format(time.RFC3339)
		}
		f.Code = CodeNodeNotReady
		f.Title = T(msgNodeNotReadyTitle, name)
		f.Explanation = T(msgNodeNotReadyExpl, c.Reason, at)
		f.Actions = []Text{T(msgNodeNotReadyAction, nodeWord(name))}
		f.Commands = append(f.Commands, cmdDebugNode(name))
	}
	return f, true
}

func containsAny(lower string, fragments []string) bool {
	for _, f := range fragments {
		if strings.Contains(lower, f) {
			return true
		}
	}
	return false
}

// conditionEvidence quotes a node condition: status and reason, message, and
// the last heartbeat (its age is written when the evidence is shown).
func conditionEvidence(node string, c *corev1.NodeCondition) []Evidence {
	src := "node/" + node + " status.conditions[" + string(c.Type) + "]"
	ev := []Evidence{{Source: src, Value: strings.TrimSpace(string(c.Status) + " " + c.Reason)}}
	if c.Message != "" {
		ev = append(ev, Evidence{Source: src + ".message", Value: c.Message})
	}
	if !c.LastHeartbeatTime.IsZero() {
		ev = append(ev, Evidence{
			Source:   src + ".lastHeartbeatTime",
			Value:    c.LastHeartbeatTime.UTC().Format(time.RFC3339),
			LastSeen: c.LastHeartbeatTime.Time,
		})
	}
	return ev
}

// taintEvidence quotes the node's taints with the given keys.
func taintEvidence(node *corev1.Node, keys ...string) []Evidence {
	var ev []Evidence
	for i, t := range node.Spec.Taints {
		for _, k := range keys {
			if t.Key == k {
				ev = append(ev, Evidence{Source: fmt.Sprintf("node/%s spec.taints[%d]", node.Name, i), Value: t.ToString()})
			}
		}
	}
	return ev
}

// nodeRule reports the problems of the pod's node that affect the pod: the
// node is NotReady, unreachable or gone, under pressure, without network
// routes, cordoned (Info: running pods are unaffected), or out of service.
// Pods that have finished are not affected by their node.
func nodeRule(in PodInput, now *clock) []Finding {
	pod := in.Pod
	name := pod.Spec.NodeName
	if name == "" || pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return nil
	}
	if in.Node == nil {
		if len(in.Nodes) == 0 || pod.DeletionTimestamp != nil {
			return nil // nodes not visible, or terminatingRule explains it
		}
		for _, n := range in.Nodes {
			if n.Name == name {
				return podNodeFindings(in, n, now)
			}
		}
		return []Finding{{
			Code: CodeNodeMissing, Severity: Critical,
			Title:       T(msgNodeMissingTitle, name),
			Explanation: T(msgNodeMissingExpl, name),
			Evidence:    []Evidence{{Source: "spec.nodeName", Value: name}},
			Actions:     []Text{T(msgNodeMissingAction, podWord(pod), namespaceWord(pod))},
			Commands:    []string{cmdGetPodWide(pod), cmdNodes},
		}}
	}
	return podNodeFindings(in, in.Node, now)
}

func podNodeFindings(in PodInput, node *corev1.Node, now *clock) []Finding {
	out := nodeFindings(node, now)
	for i := range out {
		f := &out[i]
		switch f.Code {
		case CodeNodeNotReady, CodeNodeUnreachable, CodeNodeRuntimeNotReady:
			f.Evidence = append(f.Evidence, eventsEvidence(in.Events, "NodeNotReady")...)
		case CodeNodeNetworkNotReady:
			f.Evidence = append(f.Evidence, eventsEvidence(in.Events, "NetworkNotReady", "NodeNotReady")...)
		}
	}
	return out
}
