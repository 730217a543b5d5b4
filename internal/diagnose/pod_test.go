package diagnose

import (
	"regexp"
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

const (
	evictNew = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 48Mi. Container sidecar was using 120Mi, request is 64Mi, has larger consumption of memory. Container app was using 1876Mi, request is 512Mi, has larger consumption of memory. "
	evictOld = "The node was low on resource: ephemeral-storage. Container app was using 11Gi, which exceeds its request of 0. "
)

func TestPodReasons(t *testing.T) {
	t.Parallel()
	pressured := mkNode("worker-1", nodeCond(corev1.NodeMemoryPressure, corev1.ConditionTrue, "KubeletHasInsufficientMemory", "kubelet has insufficient memory available", 10*time.Second, 3*time.Minute))
	runPodCases(t, []dcase{
		{
			name: "an eviction names the pressure and the container that used the most",
			in: PodInput{
				Pod:    mkPod(onNode("worker-1"), failedWith("Evicted", evictNew)),
				Events: []*corev1.Event{mkEvent("Warning", "Evicted", evictNew, 1, 3*time.Minute)},
				Node:   pressured,
			},
			checks: []dcheck{
				wantOnlyCodes(CodeEvicted),
				wantSeverity(CodeEvicted, Warning),
				wantTitle(CodeEvicted, English, "the node was low on memory"),
				wantTitle(CodeEvicted, Chinese, "节点 memory 不足"),
				wantEvidence(CodeEvicted, "status.reason", "Evicted"),
				wantEvidence(CodeEvicted, "status.message threshold", "threshold 100Mi, available 48Mi"),
				wantEvidence(CodeEvicted, "status.message container app", "using 1876Mi, request 512Mi"),
				wantEvidence(CodeEvicted, "node/worker-1 status.conditions[MemoryPressure]", "True KubeletHasInsufficientMemory"),
				wantEvidence(CodeEvicted, "event Warning/Evicted", "low on resource"),
				wantAction(CodeEvicted, English, "Container app used 1876Mi, more than its request of 512Mi"),
				wantAction(CodeEvicted, Chinese, "容器 app 使用了 1876Mi"),
				wantCommand(CodeEvicted, "kubectl describe node worker-1"),
			},
		},
		{
			name: "the older eviction wording is parsed too",
			in:   PodInput{Pod: mkPod(onNode("worker-1"), failedWith("Evicted", evictOld))},
			checks: []dcheck{
				wantTitle(CodeEvicted, English, "low on ephemeral-storage"),
				wantAction(CodeEvicted, English, "Container app used 11Gi, more than its request of 0"),
			},
		},
		{
			name: "an emptyDir over its limit is a local storage eviction",
			in:   PodInput{Pod: mkPod(onNode("worker-1"), failedWith("Evicted", "Usage of EmptyDir volume \"cache\" exceeds the limit \"1Gi\". "))},
			checks: []dcheck{
				wantTitle(CodeEvicted, English, "local ephemeral storage limit exceeded"),
				wantExplanation(CodeEvicted, English, "Usage of EmptyDir volume \"cache\""),
				wantAction(CodeEvicted, English, "sizeLimit"),
			},
		},
		{
			name:   "an admission eviction names the node condition",
			in:     PodInput{Pod: mkPod(onNode("worker-1"), failedWith("Evicted", "The node had condition: [DiskPressure]. "))},
			checks: []dcheck{wantTitle(CodeEvicted, English, "low on DiskPressure")},
		},
		{
			name: "OutOfcpu names the resource and the node",
			in: PodInput{
				Pod:  mkPod(onNode("worker-1"), failedWith("OutOfcpu", "Pod was rejected: Node didn't have enough resource: cpu, requested: 4000, used: 3500, capacity: 4000")),
				Node: mkNode("worker-1"),
			},
			checks: []dcheck{
				wantOnlyCodes(CodeOutOfResources),
				wantTitle(CodeOutOfResources, English, "Rejected by node worker-1: not enough cpu"),
				wantTitle(CodeOutOfResources, Chinese, "被节点 worker-1 拒绝：cpu 不足"),
				wantEvidence(CodeOutOfResources, "node/worker-1 status.allocatable.cpu", "3920m"),
			},
		},
		{
			name: "a NodeAffinity rejection quotes the selector and the node labels",
			in: PodInput{
				Pod:  mkPod(onNode("worker-1"), withSelector("disktype", "ssd"), failedWith("NodeAffinity", "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector")),
				Node: mkNode("worker-1"),
			},
			checks: []dcheck{
				wantOnlyCodes(CodeAdmissionRejected),
				wantTitle(CodeAdmissionRejected, English, "Rejected by node worker-1: NodeAffinity"),
				wantEvidence(CodeAdmissionRejected, "spec.nodeSelector", "disktype=ssd"),
				wantEvidence(CodeAdmissionRejected, "node/worker-1 metadata.labels", "kubernetes.io/hostname=worker-1"),
			},
		},
		{
			name: "a TaintToleration rejection names the NoExecute taint",
			in: PodInput{
				Pod:  mkPod(onNode("worker-1"), failedWith("TaintToleration", "Pod was rejected: Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate")),
				Node: mkNode("worker-1", withTaint("maintenance", "true", corev1.TaintEffectNoExecute)),
			},
			checks: []dcheck{
				wantEvidence(CodeAdmissionRejected, "node/worker-1 spec.taints[0]", "maintenance=true:NoExecute"),
				wantAction(CodeAdmissionRejected, English, "Node worker-1 has the NoExecute taint maintenance=true:NoExecute"),
			},
		},
		{
			name: "SysctlForbidden names the sysctl from the message and the spec",
			in: PodInput{Pod: mkPod(onNode("worker-1"), failedWith("SysctlForbidden", "Pod was rejected: forbidden sysctl: \"net.core.somaxconn\" not allowlisted"), func(p *corev1.Pod) {
				p.Spec.SecurityContext = &corev1.PodSecurityContext{Sysctls: []corev1.Sysctl{{Name: "kernel.shm_rmid_forced", Value: "1"}, {Name: "net.core.somaxconn", Value: "4096"}}}
			})},
			checks: []dcheck{
				wantTitle(CodeSysctlForbidden, English, "sysctl net.core.somaxconn is not allowed on node worker-1"),
				wantTitle(CodeSysctlForbidden, Chinese, "sysctl net.core.somaxconn 不被节点 worker-1 允许"),
				wantEvidence(CodeSysctlForbidden, "spec.securityContext.sysctls[1]", "net.core.somaxconn=4096"),
				wantAction(CodeSysctlForbidden, English, "--allowed-unsafe-sysctls"),
			},
		},
		{
			name: "an unexpected admission error points at the device plugin",
			in: PodInput{Pod: mkPod(onNode("gpu-1"), failedWith("UnexpectedAdmissionError",
				"Allocate failed due to requested number of devices unavailable for nvidia.com/gpu. Requested: 4, Available: 0, which is unexpected"))},
			checks: []dcheck{
				wantSeverity(CodeUnexpectedAdmissionError, Warning),
				wantEvidence(CodeUnexpectedAdmissionError, "status.message", "nvidia.com/gpu"),
				wantAction(CodeUnexpectedAdmissionError, English, "device plugin"),
			},
		},
		{
			name:   "NodeLost is critical",
			in:     PodInput{Pod: mkPod(onNode("worker-3"), failedWith("NodeLost", "Node worker-3 which was running pod web-7d4b9c-x2x9z is unresponsive"))},
			checks: []dcheck{wantSeverity(CodeNodeLost, Critical), wantTitle(CodeNodeLost, English, "Node worker-3 stopped responding")},
		},
		{
			name:   "a graceful node shutdown (Terminated) is explained",
			in:     PodInput{Pod: mkPod(onNode("worker-2"), failedWith("Terminated", "Pod was terminated in response to imminent node shutdown."))},
			checks: []dcheck{wantOnlyCodes(CodeNodeShutdown), wantTitle(CodeNodeShutdown, English, "node worker-2 was shutting down")},
		},
		{
			name:   "the old Shutdown reason maps to the same code",
			in:     PodInput{Pod: mkPod(onNode("worker-2"), failedWith("Shutdown", "Node is shutting, evicting pods"))},
			checks: []dcheck{wantOnlyCodes(CodeNodeShutdown)},
		},
		{
			name: "DeadlineExceeded quotes activeDeadlineSeconds and the start time",
			in: PodInput{
				Pod: mkPod(onNode("worker-1"), failedWith("DeadlineExceeded", "Pod was active on the node longer than the specified deadline"), func(p *corev1.Pod) {
					secs := int64(600)
					p.Spec.ActiveDeadlineSeconds = &secs
					st := tago(11 * time.Minute)
					p.Status.StartTime = &st
				}),
				Events: []*corev1.Event{mkEvent("Normal", "DeadlineExceeded", "Pod was active on the node longer than the specified deadline", 1, time.Minute)},
			},
			checks: []dcheck{
				wantTitle(CodeDeadlineExceeded, English, "activeDeadlineSeconds (600 s)"),
				wantEvidence(CodeDeadlineExceeded, "spec.activeDeadlineSeconds", "600"),
				wantEvidence(CodeDeadlineExceeded, "status.startTime", "2026-11-28T07:49:00Z"),
				wantEvidence(CodeDeadlineExceeded, "event Normal/DeadlineExceeded", "longer than the specified deadline"),
			},
		},
		{
			name: "kubelet preemption for a critical pod",
			in: PodInput{
				Pod:    mkPod(onNode("worker-1"), failedWith("Preempting", "Preempted in order to admit critical pod")),
				Events: []*corev1.Event{mkEvent("Warning", "Preempting", "Preempted in order to admit critical pod", 1, time.Minute)},
			},
			checks: []dcheck{
				wantOnlyCodes(CodePreempted),
				wantExplanation(CodePreempted, English, "kubelet on node worker-1 stopped this pod to admit a critical pod"),
			},
		},
		{
			name: "scheduler preemption through the DisruptionTarget condition",
			in: PodInput{
				Pod:    mkPod(onNode("worker-1"), runningCtr("app", true), deletedAgo(-20*time.Second), podCond(corev1.DisruptionTarget, corev1.ConditionTrue, "PreemptionByScheduler", "default-scheduler: preempting to accommodate a higher priority pod", 10*time.Second)),
				Events: []*corev1.Event{mkEvent("Normal", "Preempted", "Preempted by pod 2a6f3d9e-3c1b-4f0e-9d55-7b1c8a0e4b21 on node worker-1", 1, 10*time.Second)},
			},
			checks: []dcheck{
				wantOnlyCodes(CodePreempted),
				wantEvidence(CodePreempted, "status.conditions[DisruptionTarget].reason", "PreemptionByScheduler"),
				wantEvidence(CodePreempted, "event Normal/Preempted", "Preempted by pod"),
				wantSince(CodePreempted, tnow.Add(-10*time.Second)),
			},
		},
		{
			name: "taint eviction names the NoExecute taint",
			in: PodInput{
				Pod:  mkPod(onNode("worker-1"), runningCtr("app", true), podCond(corev1.DisruptionTarget, corev1.ConditionTrue, "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint", 10*time.Second)),
				Node: mkNode("worker-1", withTaint(corev1.TaintNodeUnreachable, "", corev1.TaintEffectNoExecute)),
			},
			checks: []dcheck{
				wantSeverity(CodeDisrupted, Warning),
				wantTitle(CodeDisrupted, English, "Being removed: DeletionByTaintManager"),
				wantEvidence(CodeDisrupted, "node/worker-1 spec.taints[0]", "node.kubernetes.io/unreachable:NoExecute"),
			},
		},
		{
			name:   "a drain through the Eviction API is only Info",
			in:     PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", true), podCond(corev1.DisruptionTarget, corev1.ConditionTrue, "EvictionByEvictionAPI", "Eviction API: evicting", 5*time.Second))},
			checks: []dcheck{wantSeverity(CodeDisrupted, Info), wantExplanation(CodeDisrupted, English, "kubectl drain")},
		},
		{
			name:   "a kubelet termination carrying an eviction message is an eviction",
			in:     PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", false), podCond(corev1.DisruptionTarget, corev1.ConditionTrue, "TerminationByKubelet", evictNew, 5*time.Second))},
			checks: []dcheck{wantOnlyCodes(CodeEvicted), wantAction(CodeEvicted, English, "Container app used 1876Mi")},
		},
		{
			name: "an unknown failure reason is still shown",
			in:   PodInput{Pod: mkPod(onNode("worker-1"), failedWith("SomethingNew", "the kubelet did something new"))},
			checks: []dcheck{
				wantOnlyCodes(CodePodFailed),
				wantExplanation(CodePodFailed, English, "reason SomethingNew: the kubelet did something new"),
			},
		},
		{
			name:   "a healthy running pod has no pod-level findings",
			in:     PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", true), podCond(corev1.PodReady, corev1.ConditionTrue, "", "", time.Hour)), Node: mkNode("worker-1")},
			checks: []dcheck{wantOnlyCodes()},
		},
	})
}

func TestPodTerminating(t *testing.T) {
	t.Parallel()
	notReady := mkNode("worker-1", nodeCond(corev1.NodeReady, corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status.", 12*time.Minute, 11*time.Minute))
	runPodCases(t, []dcase{
		{
			name: "finalizers are named",
			in:   PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", false), deletedAgo(5*time.Minute, "example.com/cleanup", "foregroundDeletion")), Node: mkNode("worker-1")},
			checks: []dcheck{
				wantSeverity(CodeStuckTerminating, Warning),
				wantTitle(CodeStuckTerminating, English, "Stuck terminating for 5m past its deadline"),
				wantEvidence(CodeStuckTerminating, "metadata.finalizers", "example.com/cleanup, foregroundDeletion"),
				wantEvidence(CodeStuckTerminating, "metadata.deletionGracePeriodSeconds", "30"),
				wantAction(CodeStuckTerminating, English, "kubectl patch pod web-7d4b9c-x2x9z -n shop"),
				wantCommand(CodeStuckTerminating, "{.metadata.finalizers}"),
			},
		},
		{
			name: "a pod on an unreachable node waits for the node",
			in:   PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", true), deletedAgo(20*time.Minute)), Node: notReady},
			checks: []dcheck{
				wantSeverity(CodeStuckTerminating, Critical),
				wantExplanation(CodeStuckTerminating, English, "node worker-1 is Unknown"),
				wantAction(CodeStuckTerminating, English, "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"),
				wantCode(CodeNodeUnreachable),
			},
		},
		{
			name: "a pod whose node was deleted says so",
			in:   PodInput{Pod: mkPod(onNode("worker-9"), runningCtr("app", true), deletedAgo(3*time.Minute)), Nodes: []*corev1.Node{mkNode("worker-1")}},
			checks: []dcheck{
				wantOnlyCodes(CodeStuckTerminating),
				wantEvidence(CodeStuckTerminating, "spec.nodeName", "worker-9 (no such node)"),
				wantExplanation(CodeStuckTerminating, Chinese, "节点 worker-9 处于 deleted 状态"),
			},
		},
		{
			name: "otherwise the kubelet is asked about",
			in: PodInput{
				Pod:    mkPod(onNode("worker-1"), runningCtr("app", true), deletedAgo(2*time.Minute)),
				Node:   mkNode("worker-1"),
				Events: []*corev1.Event{mkEvent("Warning", "FailedKillPod", "error killing pod: failed to \"KillContainer\" for \"app\" with KillContainerError: \"rpc error: code = DeadlineExceeded desc = context deadline exceeded\"", 3, 30*time.Second)},
			},
			checks: []dcheck{
				wantExplanation(CodeStuckTerminating, English, "has not finished stopping the containers"),
				wantEvidence(CodeStuckTerminating, "event Warning/FailedKillPod", "KillContainerError"),
			},
		},
		{
			name:   "a pod inside its grace period is not stuck",
			in:     PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", true), deletedAgo(-20*time.Second)), Node: mkNode("worker-1")},
			checks: []dcheck{wantOnlyCodes()},
		},
	})
}

func TestPodReadiness(t *testing.T) {
	t.Parallel()
	notReadyCond := func(d time.Duration) podOpt {
		return podCond(corev1.PodReady, corev1.ConditionFalse, "ContainersNotReady", "containers with unready status: [app]", d)
	}
	gate := func(p *corev1.Pod) {
		p.Spec.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: "target-health.elbv2.k8s.aws/k8s-shop-web-3a1f"}}
	}
	runPodCases(t, []dcase{
		{
			name: "running but not ready for minutes without probe events",
			in:   PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", false), runningCtr("proxy", true), notReadyCond(5*time.Minute)), Node: mkNode("worker-1")},
			checks: []dcheck{
				wantOnlyCodes(CodeContainersNotReady),
				wantSeverity(CodeContainersNotReady, Warning),
				wantTitle(CodeContainersNotReady, English, "app not ready"),
				wantEvidence(CodeContainersNotReady, "status.conditions[Ready].message", "containers with unready status: [app]"),
				wantExplanation(CodeContainersNotReady, English, "for 5m"),
			},
		},
		{
			name:   "not ready for seconds is Info",
			in:     PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", false), notReadyCond(20*time.Second))},
			checks: []dcheck{wantSeverity(CodeContainersNotReady, Info)},
		},
		{
			name: "probe failure events leave the explanation to the probe rule",
			in: PodInput{
				Pod: mkPod(onNode("worker-1"), runningCtr("app", false), notReadyCond(5*time.Minute)),
				Events: []*corev1.Event{func() *corev1.Event {
					e := mkEvent("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 30, 10*time.Second)
					e.InvolvedObject.FieldPath = "spec.containers{app}"
					return e
				}()},
			},
			checks: []dcheck{wantNoCode(CodeContainersNotReady)},
		},
		{
			name: "a not-ready node explains it instead",
			in: PodInput{
				Pod:  mkPod(onNode("worker-1"), runningCtr("app", false), podCond(corev1.PodReady, corev1.ConditionFalse, "", "", 3*time.Minute)),
				Node: mkNode("worker-1", nodeCond(corev1.NodeReady, corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status.", 4*time.Minute, 3*time.Minute)),
			},
			checks: []dcheck{wantOnlyCodes(CodeNodeUnreachable)},
		},
		{
			name: "a missing readiness gate condition is named",
			in:   PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", true), gate, podCond(corev1.PodReady, corev1.ConditionFalse, "ReadinessGatesNotReady", "corresponding condition of pod readiness gate \"target-health.elbv2.k8s.aws/k8s-shop-web-3a1f\" does not exist.", 4*time.Minute))},
			checks: []dcheck{
				wantOnlyCodes(CodeReadinessGatesNotReady),
				wantSeverity(CodeReadinessGatesNotReady, Warning),
				wantTitle(CodeReadinessGatesNotReady, English, "readiness gate target-health.elbv2.k8s.aws/k8s-shop-web-3a1f is not True"),
				wantEvidence(CodeReadinessGatesNotReady, "status.conditions[target-health.elbv2.k8s.aws/k8s-shop-web-3a1f]", "(missing)"),
				wantEvidence(CodeReadinessGatesNotReady, "status.conditions[Ready].message", "does not exist"),
			},
		},
		{
			name: "a false readiness gate quotes its reason and message",
			in: PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", true), gate,
				podCond("target-health.elbv2.k8s.aws/k8s-shop-web-3a1f", corev1.ConditionFalse, "Target.Timeout", "Target registration is in progress", 30*time.Second),
				podCond(corev1.PodReady, corev1.ConditionFalse, "ReadinessGatesNotReady", "the status of pod readiness gate \"target-health.elbv2.k8s.aws/k8s-shop-web-3a1f\" is not \"True\", but False", 40*time.Second))},
			checks: []dcheck{
				wantSeverity(CodeReadinessGatesNotReady, Info),
				wantEvidence(CodeReadinessGatesNotReady, "].reason", "Target.Timeout"),
				wantEvidence(CodeReadinessGatesNotReady, "].message", "Target registration is in progress"),
				wantAction(CodeReadinessGatesNotReady, Chinese, "检查负责 target-health.elbv2.k8s.aws/k8s-shop-web-3a1f 的控制器"),
			},
		},
	})
}

// TestPodMessagesVerbs checks that every message of this half has both texts
// and that they take the same fmt verbs in the same order.
func TestPodMessagesVerbs(t *testing.T) {
	t.Parallel()
	verb := regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)
	if len(podMessages) < 50 {
		t.Fatalf("podMessages has %d messages; is the registry wired up?", len(podMessages))
	}
	for _, m := range podMessages {
		if m.EN == "" || m.ZH == "" {
			t.Errorf("message %q / %q has an empty text", m.EN, m.ZH)
			continue
		}
		en, zh := verb.FindAllString(m.EN, -1), verb.FindAllString(m.ZH, -1)
		if !slices.Equal(en, zh) {
			t.Errorf("verbs differ: EN %v in %q, ZH %v in %q", en, m.EN, zh, m.ZH)
		}
	}
}
