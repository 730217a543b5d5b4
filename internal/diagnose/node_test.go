package diagnose

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
)

func TestNode(t *testing.T) {
	t.Parallel()
	notReady := func(msg string, transition time.Duration) *corev1.Node {
		return mkNode("worker-1", nodeCond(corev1.NodeReady, corev1.ConditionFalse, "KubeletNotReady", msg, 5*time.Second, transition),
			withTaint(corev1.TaintNodeNotReady, "", corev1.TaintEffectNoSchedule))
	}
	tests := []struct {
		name   string
		node   *corev1.Node
		checks []dcheck
	}{
		{name: "a healthy node has no findings", node: mkNode("worker-1"), checks: []dcheck{wantOnlyCodes()}},
		{
			name: "CNI not initialised (containerd wording) is a network finding",
			node: notReady("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized", 10*time.Minute),
			checks: []dcheck{
				wantOnlyCodes(CodeNodeNetworkNotReady),
				wantSeverity(CodeNodeNetworkNotReady, Critical),
				wantTitle(CodeNodeNetworkNotReady, English, "Node worker-1 is NotReady: the network plugin (CNI) is not ready"),
				wantEvidence(CodeNodeNetworkNotReady, "node/worker-1 status.conditions[Ready]", "False KubeletNotReady"),
				wantEvidence(CodeNodeNetworkNotReady, "node/worker-1 status.conditions[Ready].message", "cni plugin not initialized"),
				wantEvidence(CodeNodeNetworkNotReady, "node/worker-1 spec.taints[0]", "node.kubernetes.io/not-ready:NoSchedule"),
				wantAction(CodeNodeNetworkNotReady, Chinese, "/etc/cni/net.d"),
			},
		},
		{
			name:   "the old 'runtime network not ready' prefix is recognised",
			node:   notReady("runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized", 10*time.Minute),
			checks: []dcheck{wantOnlyCodes(CodeNodeNetworkNotReady)},
		},
		{
			name: "DockerDaemonNotReady is a runtime finding labelled legacy",
			node: notReady("container runtime not ready: RuntimeReady=false reason:DockerDaemonNotReady message:docker: failed to get docker version: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", 10*time.Minute),
			checks: []dcheck{
				wantOnlyCodes(CodeNodeRuntimeNotReady),
				wantAction(CodeNodeRuntimeNotReady, English, "legacy dockershim"),
				wantCommand(CodeNodeRuntimeNotReady, "kubectl debug node/worker-1"),
			},
		},
		{
			name:   "PLEG and runtime down win over a network error in an aggregate",
			node:   notReady("[container runtime is down, PLEG is not healthy: pleg was last seen active 3m20s ago; threshold is 3m0s, container runtime network not ready: NetworkReady=false]", 10*time.Minute),
			checks: []dcheck{wantOnlyCodes(CodeNodeRuntimeNotReady)},
		},
		{
			name: "another NotReady message, fresh, is a Warning",
			node: notReady("node is shutting down", 20*time.Second),
			checks: []dcheck{
				wantSeverity(CodeNodeNotReady, Warning),
				wantExplanation(CodeNodeNotReady, English, "Ready=False (KubeletNotReady) since 2026-11-28T07:59:40Z"),
			},
		},
		{
			name: "an unreachable node says how long it has been silent",
			node: mkNode("worker-1", nodeCond(corev1.NodeReady, corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status.", 7*time.Minute, 6*time.Minute),
				withTaint(corev1.TaintNodeUnreachable, "", corev1.TaintEffectNoExecute)),
			checks: []dcheck{
				wantSeverity(CodeNodeUnreachable, Critical),
				wantTitle(CodeNodeUnreachable, English, "no status for 7m"),
				wantTitle(CodeNodeUnreachable, Chinese, "已有 7m 没有上报状态"),
				wantEvidence(CodeNodeUnreachable, "status.conditions[Ready].lastHeartbeatTime (last 7m ago)", "2026-11-28T07:53:00Z"),
				wantEvidence(CodeNodeUnreachable, "spec.taints[0]", "node.kubernetes.io/unreachable:NoExecute"),
				wantCommand(CodeNodeUnreachable, "kubectl get lease -n kube-node-lease worker-1"),
			},
		},
		{
			name: "pressure conditions are Warnings",
			node: mkNode("worker-1",
				nodeCond(corev1.NodeMemoryPressure, corev1.ConditionTrue, "KubeletHasInsufficientMemory", "kubelet has insufficient memory available", 5*time.Second, time.Minute),
				nodeCond(corev1.NodeDiskPressure, corev1.ConditionTrue, "KubeletHasDiskPressure", "kubelet has disk pressure", 5*time.Second, time.Minute),
				nodeCond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available", 5*time.Second, time.Hour),
				withTaint(corev1.TaintNodeDiskPressure, "", corev1.TaintEffectNoSchedule)),
			checks: []dcheck{
				wantOnlyCodes(CodeNodeMemoryPressure, CodeNodeDiskPressure),
				wantSeverity(CodeNodeMemoryPressure, Warning),
				wantTitle(CodeNodeDiskPressure, English, "Node worker-1 has DiskPressure"),
				wantEvidence(CodeNodeDiskPressure, "spec.taints[0]", "node.kubernetes.io/disk-pressure:NoSchedule"),
			},
		},
		{
			name:   "network routes missing",
			node:   mkNode("worker-1", nodeCond(corev1.NodeNetworkUnavailable, corev1.ConditionTrue, "NoRouteCreated", "Node created without a route", 0, 3*time.Minute)),
			checks: []dcheck{wantSeverity(CodeNodeNetworkUnavailable, Critical)},
		},
		{
			name:   "a cordoned node is Info",
			node:   mkNode("worker-1", cordoned()),
			checks: []dcheck{wantOnlyCodes(CodeNodeCordoned), wantSeverity(CodeNodeCordoned, Info), wantAction(CodeNodeCordoned, English, "kubectl uncordon worker-1")},
		},
		{
			name: "out-of-service and uninitialized taints need a human",
			node: mkNode("worker-1", withTaint(corev1.TaintNodeOutOfService, "nodeshutdown", corev1.TaintEffectNoExecute), withTaint("node.cloudprovider.kubernetes.io/uninitialized", "true", corev1.TaintEffectNoSchedule)),
			checks: []dcheck{
				wantSeverity(CodeNodeTainted, Critical),
				wantTitle(CodeNodeTainted, English, "Node worker-1 has taint node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Node(tt.node, tnow)
			for _, c := range append(tt.checks, wantRendered()) {
				if err := c(d); err != nil {
					t.Error(err)
				}
			}
		})
	}
	if d := Node(nil, tnow); d.Severity != OK || len(d.Findings) != 0 {
		t.Errorf("Node(nil) = %+v, want empty", d)
	}
}

func TestNodeRuleOnPods(t *testing.T) {
	t.Parallel()
	cni := mkNode("worker-1", nodeCond(corev1.NodeReady, corev1.ConditionFalse, "KubeletNotReady",
		"container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:No CNI configuration file in /etc/cni/net.d/. Has your network provider started?", 5*time.Second, 8*time.Minute))
	runPodCases(t, []dcase{
		{
			name: "a pod on a node without CNI quotes the node and its own events",
			in: PodInput{
				Pod:  mkPod(onNode("worker-1")),
				Node: cni,
				Events: []*corev1.Event{mkEvent("Warning", "NetworkNotReady",
					"network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:No CNI configuration file in /etc/cni/net.d/. Has your network provider started?", 14, 10*time.Second)},
			},
			checks: []dcheck{
				wantSeverity(CodeNodeNetworkNotReady, Critical),
				wantEvidence(CodeNodeNetworkNotReady, "event Warning/NetworkNotReady ×14", "network is not ready"),
				wantCommand(CodeNodeNetworkNotReady, "kubectl describe node worker-1"),
			},
		},
		{
			name: "a pod stuck creating on a node without CNI gets one finding with both sides' evidence",
			in: PodInput{
				Pod: mkPod(onNode("worker-1"), func(p *corev1.Pod) {
					p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", Image: "registry.example.com/web:1.4",
						State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}}}
				}),
				Node: cni,
				Events: []*corev1.Event{mkEvent("Warning", "NetworkNotReady",
					"network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:No CNI configuration file in /etc/cni/net.d/. Has your network provider started?", 14, 10*time.Second)},
			},
			checks: []dcheck{
				wantOnlyCodes(CodeNodeNetworkNotReady),
				wantNoCode(CodePodNetworkNotReady),
				wantSeverity(CodeNodeNetworkNotReady, Critical),
				wantTitle(CodeNodeNetworkNotReady, English, "Node worker-1 is NotReady: the network plugin (CNI) is not ready"),
				wantEvidence(CodeNodeNetworkNotReady, "node/worker-1 status.conditions[Ready].message", "cni"),
				wantEvidence(CodeNodeNetworkNotReady, "status.containerStatuses[app].state.waiting.reason", "ContainerCreating"),
				wantEvidence(CodeNodeNetworkNotReady, "spec.nodeName", "worker-1"),
				wantEvidenceOnce(CodeNodeNetworkNotReady, "event Warning/NetworkNotReady ×14"),
				wantCommand(CodeNodeNetworkNotReady, "kubectl describe node worker-1"),
			},
		},
		{
			name:   "a finished pod does not care about its node",
			in:     PodInput{Pod: mkPod(onNode("worker-1"), inPhase(corev1.PodSucceeded)), Node: cni},
			checks: []dcheck{wantOnlyCodes()},
		},
		{
			name: "a running pod on a node that is gone",
			in:   PodInput{Pod: mkPod(onNode("worker-7"), runningCtr("app", true)), Nodes: []*corev1.Node{mkNode("worker-1")}},
			checks: []dcheck{
				wantOnlyCodes(CodeNodeMissing),
				wantSeverity(CodeNodeMissing, Critical),
				wantEvidence(CodeNodeMissing, "spec.nodeName", "worker-7"),
			},
		},
		{
			name:   "without node visibility nothing is guessed",
			in:     PodInput{Pod: mkPod(onNode("worker-7"), runningCtr("app", true))},
			checks: []dcheck{wantOnlyCodes()},
		},
		{
			name:   "the node is found in the list when Node is not set",
			in:     PodInput{Pod: mkPod(onNode("worker-1")), Nodes: []*corev1.Node{cni}},
			checks: []dcheck{wantOnlyCodes(CodeNodeNetworkNotReady)},
		},
		{
			name:   "a cordoned node is context for its pods, not a problem",
			in:     PodInput{Pod: mkPod(onNode("worker-1"), runningCtr("app", true), podCond(corev1.PodReady, corev1.ConditionTrue, "", "", time.Hour)), Node: mkNode("worker-1", cordoned())},
			checks: []dcheck{wantSeverity(CodeNodeCordoned, Info)},
		},
	})
}

// wantEvidenceOnce checks that finding c quotes the source exactly once.
func wantEvidenceOnce(c Code, source string) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		n := 0
		for _, e := range f.Evidence {
			if strings.Contains(e.Source, source) {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: %d evidence lines from %q, want 1: %q", c, n, source, f.Evidence)
		}
		return nil
	}
}

func TestMergeFindings(t *testing.T) {
	t.Parallel()
	ev := func(src string) Evidence { return Evidence{Source: src, Value: "v"} }
	early, late := tnow.Add(-time.Hour), tnow.Add(-time.Minute)
	tests := []struct {
		name string
		in   []Finding
		want []Finding
	}{
		{
			name: "findings without a pair are left alone",
			in:   []Finding{{Code: CodePodNetworkNotReady, Severity: Warning}, {Code: CodeNodeNotReady, Severity: Critical}},
			want: []Finding{{Code: CodePodNetworkNotReady, Severity: Warning}, {Code: CodeNodeNotReady, Severity: Critical}},
		},
		{
			name: "the pod's network finding folds into the node's: worse severity, earlier start, evidence and commands once",
			in: []Finding{
				{Code: CodeNodeNetworkNotReady, Severity: Warning, Since: late, Evidence: []Evidence{ev("node"), ev("event")}, Commands: []string{"a"}},
				{Code: CodeOOMKilled, Severity: Critical},
				{Code: CodePodNetworkNotReady, Severity: Critical, Container: "app", Since: early, Evidence: []Evidence{ev("pod"), ev("event")}, Commands: []string{"a", "b"}},
			},
			want: []Finding{
				{Code: CodeNodeNetworkNotReady, Severity: Critical, Since: early, Evidence: []Evidence{ev("node"), ev("event"), ev("pod")}, Commands: []string{"a", "b"}},
				{Code: CodeOOMKilled, Severity: Critical},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, mergeFindings(tt.in)); diff != "" {
				t.Errorf("mergeFindings (-want +got):\n%s", diff)
			}
		})
	}
}
