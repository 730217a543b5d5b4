package diagnose

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestSchedParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		msg  string
		want schedMessage
		ok   bool
	}{
		{
			name: "current format with counts and a preemption tail",
			msg:  "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/5 nodes are available: 2 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
			want: schedMessage{Total: 5, Reasons: []schedReason{
				{Count: 2, Text: "Insufficient cpu", Kind: kindResource},
				{Count: 3, Text: "node(s) had untolerated taint {dedicated: gpu}", Kind: kindTaint},
			}, Preemption: "preemption: 0/5 nodes are available: 2 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling."},
			ok: true,
		},
		{
			name: "oldest taint wording keeps its comma inside one reason",
			msg:  "0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 2 Insufficient memory.",
			want: schedMessage{Total: 3, Reasons: []schedReason{
				{Count: 1, Text: "node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate", Kind: kindTaint},
				{Count: 2, Text: "Insufficient memory", Kind: kindResource},
			}},
			ok: true,
		},
		{
			name: "dra tail and the renamed volume affinity text",
			msg:  "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match PersistentVolume's node affinity. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
			want: schedMessage{Total: 3, Reasons: []schedReason{
				{Count: 1, Text: "node(s) had untolerated taint(s)", Kind: kindTaint},
				{Count: 2, Text: "node(s) didn't match PersistentVolume's node affinity", Kind: kindVolume},
			}, Preemption: "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."},
			ok: true,
		},
		{
			name: "a prefilter message applies to every node",
			msg:  "0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
			want: schedMessage{Total: 4, Reasons: []schedReason{
				{Count: 4, Text: "pod has unbound immediate PersistentVolumeClaims", Kind: kindVolume},
			}, Preemption: "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."},
			ok: true,
		},
		{
			name: "older volume conflict, cordon, anti-affinity and spread",
			msg:  "0/6 nodes are available: 1 node(s) had volume node affinity conflict, 1 node(s) were unschedulable, 2 node(s) didn't match pod anti-affinity rules, 2 node(s) didn't match pod topology spread constraints.",
			want: schedMessage{Total: 6, Reasons: []schedReason{
				{Count: 1, Text: "node(s) had volume node affinity conflict", Kind: kindVolume},
				{Count: 1, Text: "node(s) were unschedulable", Kind: kindCordoned},
				{Count: 2, Text: "node(s) didn't match pod anti-affinity rules", Kind: kindPodAffinity},
				{Count: 2, Text: "node(s) didn't match pod topology spread constraints", Kind: kindTopology},
			}},
			ok: true,
		},
		{
			name: "too many pods and the node selector",
			msg:  "0/2 nodes are available: 1 Too many pods, 1 node(s) didn't match Pod's node affinity/selector.",
			want: schedMessage{Total: 2, Reasons: []schedReason{
				{Count: 1, Text: "Too many pods", Kind: kindTooManyPods},
				{Count: 1, Text: "node(s) didn't match Pod's node affinity/selector", Kind: kindNodeAffinity},
			}},
			ok: true,
		},
		{name: "text that is not a fit error", msg: "binding rejected: running Bind plugin \"DefaultBinder\": Operation cannot be fulfilled", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseSchedulerMessage(tt.msg)
			if ok != tt.ok {
				t.Fatalf("ok=%v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseSchedulerMessage (-want +got):\n%s", diff)
			}
		})
	}
}

const (
	taintMsg    = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
	oldTaintMsg = "0/3 nodes are available: 3 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate."
)

func TestSchedUnschedulable(t *testing.T) {
	t.Parallel()
	gpuNodes := []*corev1.Node{
		mkNode("gpu-1", withTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule), withTaint("example.com/soft", "", corev1.TaintEffectPreferNoSchedule)),
		mkNode("gpu-2", withTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule)),
		mkNode("worker-1"),
	}
	zoned := []*corev1.Node{
		mkNode("worker-a", nodeLabel("topology.kubernetes.io/zone", "eu-1a"), nodeLabel("disktype", "hdd")),
		mkNode("worker-b", nodeLabel("topology.kubernetes.io/zone", "eu-1b")),
		mkNode("worker-c", nodeLabel("topology.kubernetes.io/zone", "eu-1b")),
	}
	runPodCases(t, []dcase{
		{
			name: "untolerated taints name the nodes and the toleration that matches",
			in: PodInput{
				Pod:    mkPod(unschedulable(taintMsg, 9*time.Minute), withRequests("cpu", "500m")),
				Events: []*corev1.Event{mkEvent("Warning", "FailedScheduling", taintMsg, 4, time.Minute)},
				Nodes:  gpuNodes,
			},
			checks: []dcheck{
				wantOnlyCodes(CodeUnschedulable),
				wantSeverity(CodeUnschedulable, Critical),
				wantTitle(CodeUnschedulable, English, "2 of 3 nodes have taints"),
				wantTitle(CodeUnschedulable, Chinese, "2/3 个节点带有 Pod 不容忍的污点"),
				wantEvidence(CodeUnschedulable, "status.conditions[PodScheduled].message", "untolerated taint {dedicated: gpu}"),
				wantEvidence(CodeUnschedulable, "event Warning/FailedScheduling ×4 (last 60s ago)", "0/3 nodes"),
				wantEvidence(CodeUnschedulable, "node/gpu-1 spec.taints[0]", "dedicated=gpu:NoSchedule"),
				wantEvidence(CodeUnschedulable, "node/gpu-2 spec.taints[0]", "dedicated=gpu:NoSchedule"),
				wantAction(CodeUnschedulable, English, "key: \"dedicated\"\n  operator: \"Equal\"\n  value: \"gpu\"\n  effect: \"NoSchedule\""),
				wantAction(CodeUnschedulable, Chinese, "请在 Pod 模板中添加以下容忍"),
				wantAction(CodeUnschedulable, English, "Preemption cannot help"),
				wantAction(CodeUnschedulable, English, "other pods' requests already use it"),
				wantCommand(CodeUnschedulable, "kubectl describe pod -n shop web-7d4b9c-x2x9z"),
				wantSince(CodeUnschedulable, tnow.Add(-9*time.Minute)),
			},
		},
		{
			name: "a taint the pod now tolerates is not blamed on a stale message",
			in: PodInput{
				Pod:   mkPod(unschedulable(taintMsg, time.Minute), tolerating("dedicated", "gpu", corev1.TaintEffectNoSchedule)),
				Nodes: gpuNodes,
			},
			checks: []dcheck{
				wantCode(CodeUnschedulable),
				wantNoAction(CodeUnschedulable, English, "key: \"dedicated\""),
				wantAction(CodeUnschedulable, English, "Read the scheduler's reasons"),
			},
		},
		{
			name: "the oldest taint wording from an event alone still yields a toleration",
			in: PodInput{
				Pod:    mkPod(createdAgo(3 * time.Minute)),
				Events: []*corev1.Event{mkEvent("Warning", "FailedScheduling", oldTaintMsg, 2, 30*time.Second)},
			},
			checks: []dcheck{
				wantSeverity(CodeUnschedulable, Warning),
				wantTitle(CodeUnschedulable, English, "3 of 3 nodes have taints"),
				wantAction(CodeUnschedulable, English, "key: \"dedicated\"\n  operator: \"Equal\"\n  value: \"gpu\""),
			},
		},
		{
			name: "a system taint asks to fix the node, not to tolerate it",
			in: PodInput{
				Pod:   mkPod(unschedulable("0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", 2*time.Minute)),
				Nodes: []*corev1.Node{mkNode("worker-1", withTaint(corev1.TaintNodeNotReady, "", corev1.TaintEffectNoSchedule))},
			},
			checks: []dcheck{
				wantAction(CodeUnschedulable, English, "Taint node.kubernetes.io/not-ready:NoSchedule is set by Kubernetes on worker-1"),
				wantAction(CodeUnschedulable, Chinese, "应修复其背后的节点状况"),
			},
		},
		{
			name: "a request larger than any node says so",
			in: PodInput{
				Pod:   mkPod(unschedulable("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", 2*time.Minute), withRequests("cpu", "8", "memory", "1Gi")),
				Nodes: zoned,
			},
			checks: []dcheck{
				wantTitle(CodeUnschedulable, English, "3 of 3 nodes lack cpu"),
				wantTitle(CodeUnschedulable, Chinese, "3/3 个节点的 cpu 不足"),
				wantEvidence(CodeUnschedulable, "requests.cpu (pod total)", "8"),
				wantEvidence(CodeUnschedulable, "status.allocatable.cpu (largest)", "3920m"),
				wantAction(CodeUnschedulable, English, "The pod's cpu request is 8 but the largest node has only 3920m allocatable"),
				wantAction(CodeUnschedulable, Chinese, "Pod 的 cpu 请求为 8，但最大的节点只有 3920m 可分配"),
			},
		},
		{
			name: "a request is compared with the nodes the pod may run on, not a bigger tainted one",
			in: PodInput{
				Pod: mkPod(unschedulable("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 2 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.", 2*time.Minute), withRequests("cpu", "8")),
				Nodes: []*corev1.Node{
					mkNode("worker-a"), mkNode("worker-b"),
					mkNode("gpu-1", withTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule), func(n *corev1.Node) {
						n.Status.Allocatable[corev1.ResourceCPU] = resource.MustParse("16")
					}),
				},
			},
			checks: []dcheck{
				wantEvidence(CodeUnschedulable, "status.allocatable.cpu (largest the pod may run on)", "3920m"),
				wantNoEvidence(CodeUnschedulable, "node/gpu-1 status.allocatable.cpu"),
				wantAction(CodeUnschedulable, English, "The pod's cpu request is 8 but the largest node it may run on (taints tolerated, node selector matched, not cordoned) has only 3920m allocatable"),
				wantAction(CodeUnschedulable, Chinese, "它可以运行的节点"),
				wantAction(CodeUnschedulable, English, `key: "dedicated"`),
				wantNoAction(CodeUnschedulable, English, "other pods' requests already use it"),
			},
		},
		{
			name: "init containers and overhead count in the pod's request",
			in: PodInput{
				Pod: mkPod(unschedulable("0/3 nodes are available: 3 Insufficient memory.", 2*time.Minute), withRequests("memory", "1Gi"), func(p *corev1.Pod) {
					p.Spec.InitContainers = []corev1.Container{{Name: "migrate", Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("20Gi")}}}}
				}),
				Nodes: zoned,
			},
			checks: []dcheck{
				wantEvidence(CodeUnschedulable, "requests.memory (pod total)", "20Gi"),
				wantAction(CodeUnschedulable, English, "largest node has only 15Gi"),
			},
		},
		{
			name: "without nodes the request is still quoted",
			in:   PodInput{Pod: mkPod(unschedulable("0/3 nodes are available: 3 Insufficient memory.", 2*time.Minute), withRequests("memory", "2Gi"))},
			checks: []dcheck{
				wantAction(CodeUnschedulable, English, "The pod's memory request is 2Gi"),
			},
		},
		{
			name: "a node selector value no node has is named",
			in: PodInput{
				Pod:   mkPod(unschedulable("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", 2*time.Minute), withSelector("disktype", "ssd")),
				Nodes: zoned,
			},
			checks: []dcheck{
				wantTitle(CodeUnschedulable, English, "3 of 3 nodes do not match the node selector"),
				wantEvidence(CodeUnschedulable, "spec.nodeSelector.disktype", "ssd (matches 0 of 3 nodes)"),
				wantAction(CodeUnschedulable, English, "kubectl label node <node> disktype=ssd"),
			},
		},
		{
			name: "a required affinity term that matches no node is named",
			in: PodInput{
				Pod: mkPod(unschedulable("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", 2*time.Minute), func(p *corev1.Pod) {
					p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
						NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{
							{Key: "topology.kubernetes.io/zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"eu-1c"}},
						}}},
					}}}
				}),
				Nodes: zoned,
			},
			checks: []dcheck{
				wantEvidence(CodeUnschedulable, "nodeSelectorTerms[0]", "topology.kubernetes.io/zone in [eu-1c] (matches 0 of 3 nodes)"),
				wantAction(CodeUnschedulable, English, "kubectl label node <node> topology.kubernetes.io/zone=eu-1c"),
			},
		},
		{
			name: "selector and affinity that each match some node but never together",
			in: PodInput{
				Pod: mkPod(unschedulable("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", 2*time.Minute), withSelector("disktype", "hdd"), func(p *corev1.Pod) {
					p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
						NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{
							{Key: "topology.kubernetes.io/zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"eu-1b"}},
						}}},
					}}}
				}),
				Nodes: zoned,
			},
			checks: []dcheck{wantAction(CodeUnschedulable, English, "0 of 3 nodes match the pod's nodeSelector and required node affinity together")},
		},
		{
			name: "cordoned nodes are listed",
			in: PodInput{
				Pod:   mkPod(unschedulable("0/2 nodes are available: 2 node(s) were unschedulable.", 2*time.Minute)),
				Nodes: []*corev1.Node{mkNode("worker-1", cordoned()), mkNode("worker-2", cordoned())},
			},
			checks: []dcheck{
				wantTitle(CodeUnschedulable, English, "2 of 2 nodes are cordoned"),
				wantEvidence(CodeUnschedulable, "node/worker-2 spec.unschedulable", "true"),
				wantAction(CodeUnschedulable, English, "Nodes worker-1, worker-2 are cordoned"),
			},
		},
		{
			name: "an unbound claim names the claim and the commands to see it",
			in: PodInput{
				Pod: mkPod(unschedulable("0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.", 2*time.Minute), func(p *corev1.Pod) {
					p.Spec.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data-web-0"}}}}
				}),
			},
			checks: []dcheck{
				wantTitle(CodeUnschedulable, English, "4 of 4 nodes cannot use the pod's volumes"),
				wantEvidence(CodeUnschedulable, "spec.volumes[data].persistentVolumeClaim.claimName", "data-web-0"),
				wantCommand(CodeUnschedulable, "kubectl describe pvc data-web-0 -n shop"),
			},
		},
		{
			name: "anti-affinity counts the topology domains",
			in: PodInput{
				Pod: mkPod(unschedulable("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", 2*time.Minute), func(p *corev1.Pod) {
					p.Spec.Affinity = &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{{
						LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, TopologyKey: "kubernetes.io/hostname",
					}}}}
				}),
				Nodes: zoned,
			},
			checks: []dcheck{
				wantEvidence(CodeUnschedulable, "podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]", "topologyKey=kubernetes.io/hostname labelSelector=app=web"),
				wantAction(CodeUnschedulable, English, "Required podAntiAffinity with topologyKey kubernetes.io/hostname: 3 nodes carry that label"),
			},
		},
		{
			name: "a spread constraint counts its domains",
			in: PodInput{
				Pod: mkPod(unschedulable("0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints.", 2*time.Minute), func(p *corev1.Pod) {
					p.Spec.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: "topology.kubernetes.io/zone", WhenUnsatisfiable: corev1.DoNotSchedule}}
				}),
				Nodes: zoned,
			},
			checks: []dcheck{
				wantEvidence(CodeUnschedulable, "spec.topologySpreadConstraints[0]", "maxSkew=1"),
				wantAction(CodeUnschedulable, English, "the nodes form 2 domains"),
			},
		},
		{
			name: "host ports are named",
			in: PodInput{
				Pod: mkPod(unschedulable("0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.", 2*time.Minute), func(p *corev1.Pod) {
					p.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 8080, HostPort: 8080}}
				}),
			},
			checks: []dcheck{wantAction(CodeUnschedulable, English, "hostPort 8080/TCP")},
		},
		{
			name: "too many pods quotes each node's pod capacity",
			in: PodInput{
				Pod:   mkPod(unschedulable("0/1 nodes are available: 1 Too many pods.", 2*time.Minute)),
				Nodes: []*corev1.Node{mkNode("worker-1")},
			},
			checks: []dcheck{wantEvidence(CodeUnschedulable, "status.allocatable.pods", "worker-1=110")},
		},
		{
			name: "a pod unschedulable for seconds is only Info",
			in:   PodInput{Pod: mkPod(createdAgo(20*time.Second), unschedulable(taintMsg, 15*time.Second))},
			checks: []dcheck{
				wantSeverity(CodeUnschedulable, Info),
			},
		},
		{
			name:   "an unknown scheduler message still explains",
			in:     PodInput{Pod: mkPod(unschedulable("running PreFilter plugin \"VolumeBinding\": something new", 2*time.Minute))},
			checks: []dcheck{wantCode(CodeUnschedulable), wantAction(CodeUnschedulable, English, "Read the scheduler's reasons")},
		},
		{
			name: "a bound pod is not a scheduling problem even with old FailedScheduling events",
			in: PodInput{
				Pod:    mkPod(onNode("worker-1"), runningCtr("app", true), podCond(corev1.PodReady, corev1.ConditionTrue, "", "", time.Minute)),
				Events: []*corev1.Event{mkEvent("Warning", "FailedScheduling", taintMsg, 3, 5*time.Minute)},
				Node:   mkNode("worker-1"),
			},
			checks: []dcheck{wantOnlyCodes()},
		},
	})
}

func TestSchedOtherStates(t *testing.T) {
	t.Parallel()
	gated := func(d time.Duration) PodInput {
		return PodInput{Pod: mkPod(createdAgo(d), func(p *corev1.Pod) {
			p.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "kueue.x-k8s.io/admission"}, {Name: "example.com/quota"}}
		}, podCond(corev1.PodScheduled, corev1.ConditionFalse, corev1.PodReasonSchedulingGated, "Scheduling is blocked due to non-empty scheduling gates", d))}
	}
	runPodCases(t, []dcase{
		{
			name: "a freshly gated pod is Info and names its gates",
			in:   gated(2 * time.Minute),
			checks: []dcheck{
				wantOnlyCodes(CodeSchedulingGated),
				wantSeverity(CodeSchedulingGated, Info),
				wantTitle(CodeSchedulingGated, English, "kueue.x-k8s.io/admission, example.com/quota"),
				wantEvidence(CodeSchedulingGated, "spec.schedulingGates[1].name", "example.com/quota"),
				wantEvidence(CodeSchedulingGated, "status.conditions[PodScheduled].reason", "SchedulingGated"),
				wantAction(CodeSchedulingGated, Chinese, "找到负责门控 kueue.x-k8s.io/admission 的控制器"),
				wantCommand(CodeSchedulingGated, "{.spec.schedulingGates}"),
			},
		},
		{
			name:   "a pod gated for 20 minutes is a Warning",
			in:     gated(20 * time.Minute),
			checks: []dcheck{wantSeverity(CodeSchedulingGated, Warning), wantExplanation(CodeSchedulingGated, English, "gated for 20m")},
		},
		{
			name: "a nominated pod waits for preemption",
			in: PodInput{Pod: mkPod(createdAgo(time.Minute), unschedulable(taintMsg, 40*time.Second), func(p *corev1.Pod) {
				p.Status.NominatedNodeName = "worker-2"
			})},
			checks: []dcheck{
				wantOnlyCodes(CodeUnschedulable, CodePreemptionPending),
				wantSeverity(CodePreemptionPending, Info),
				wantTitle(CodePreemptionPending, English, "Waiting for preemption on node worker-2"),
				wantCommand(CodePreemptionPending, "spec.nodeName=worker-2"),
			},
		},
		{
			name: "a pod no scheduler looked at names its scheduler",
			in:   PodInput{Pod: mkPod(createdAgo(4*time.Minute), func(p *corev1.Pod) { p.Spec.SchedulerName = "volcano" })},
			checks: []dcheck{
				wantOnlyCodes(CodeNotScheduled),
				wantSeverity(CodeNotScheduled, Warning),
				wantEvidence(CodeNotScheduled, "spec.schedulerName", "volcano"),
				wantTitle(CodeNotScheduled, English, "for 4m"),
			},
		},
		{
			name:   "a pod created seconds ago is not flagged",
			in:     PodInput{Pod: mkPod(createdAgo(5 * time.Second))},
			checks: []dcheck{wantOnlyCodes()},
		},
		{
			name: "a scheduler error quotes the error",
			in: PodInput{Pod: mkPod(podCond(corev1.PodScheduled, corev1.ConditionFalse, corev1.PodReasonSchedulerError,
				"running PreFilter plugin \"InterPodAffinity\": parsing pod: invalid label selector", time.Minute))},
			checks: []dcheck{
				wantSeverity(CodeSchedulerError, Warning),
				wantExplanation(CodeSchedulerError, English, "invalid label selector"),
			},
		},
	})
}

// BenchmarkSchedUnschedulable measures the heaviest pod-level path: parsing a
// FitError and checking it against 50 nodes.
func BenchmarkSchedUnschedulable(b *testing.B) {
	var nodes []*corev1.Node
	for i := range 50 {
		opts := []nodeOpt{nodeLabel("topology.kubernetes.io/zone", []string{"eu-1a", "eu-1b", "eu-1c"}[i%3])}
		if i%2 == 0 {
			opts = append(opts, withTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule))
		}
		nodes = append(nodes, mkNode("worker-"+string(rune('a'+i%26))+string(rune('a'+i/26)), opts...))
	}
	in := PodInput{
		Pod:    mkPod(unschedulable(taintMsg, 9*time.Minute), withRequests("cpu", "500m"), withSelector("topology.kubernetes.io/zone", "eu-1a")),
		Events: []*corev1.Event{mkEvent("Warning", "FailedScheduling", taintMsg, 4, time.Minute)},
		Nodes:  nodes,
	}
	b.ReportAllocs()
	for b.Loop() {
		Pod(in, tnow)
	}
}
