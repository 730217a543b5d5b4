package diagnose

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// readListFixture loads a `kubectl get … -o yaml` List of one pod, its events
// and nodes. Node is the pod's node when the list has it; Nodes is every node
// (nil when the list has none, as with namespaced RBAC).
func readListFixture(tb testing.TB, path string) PodInput {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := yaml.Unmarshal(raw, &list); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	var in PodInput
	for _, item := range list.Items {
		var meta struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(item, &meta); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		switch meta.Kind {
		case "Pod":
			in.Pod = &corev1.Pod{}
			err = json.Unmarshal(item, in.Pod)
		case "Event":
			e := &corev1.Event{}
			err = json.Unmarshal(item, e)
			in.Events = append(in.Events, e)
		case "Node":
			n := &corev1.Node{}
			err = json.Unmarshal(item, n)
			in.Nodes = append(in.Nodes, n)
		default:
			tb.Fatalf("%s: unexpected kind %q", path, meta.Kind)
		}
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
	}
	if in.Pod == nil {
		tb.Fatalf("%s: no pod", path)
	}
	for _, n := range in.Nodes {
		if n.Name == in.Pod.Spec.NodeName {
			in.Node = n
		}
	}
	return in
}

func TestPodFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file   string
		name   string
		checks []dcheck
	}{
		{"testdata/sched-gpu-taint.yaml", "a GPU pod without the GPU toleration", []dcheck{
			wantOnlyCodes(CodeUnschedulable),
			wantSeverity(CodeUnschedulable, Critical),
			wantTitle(CodeUnschedulable, English, "2 of 4 nodes have taints the pod does not tolerate"),
			wantEvidence(CodeUnschedulable, "event Warning/FailedScheduling ×7 (last 3m30s ago)", "nvidia.com/gpu: present"),
			wantEvidence(CodeUnschedulable, "node/gpu-1 spec.taints[0]", "nvidia.com/gpu=present:NoSchedule"),
			wantEvidence(CodeUnschedulable, "node/cp-1 spec.taints[0]", "node-role.kubernetes.io/control-plane:NoSchedule"),
			wantAction(CodeUnschedulable, English, "- key: \"nvidia.com/gpu\"\n  operator: \"Equal\"\n  value: \"present\"\n  effect: \"NoSchedule\""),
			wantAction(CodeUnschedulable, English, "Taint node-role.kubernetes.io/control-plane:NoSchedule is set by Kubernetes on cp-1"),
			wantEvidence(CodeUnschedulable, "requests.memory (pod total)", "24Gi"),
			// worker-1 is the only node the pod may run on: its 24Gi request
			// does not fit there at all, whatever the GPU nodes have.
			wantEvidence(CodeUnschedulable, "node/worker-1 status.allocatable.memory (largest the pod may run on)", "15214676Ki"),
			wantAction(CodeUnschedulable, English, "largest node it may run on (taints tolerated, node selector matched, not cordoned) has only 15214676Ki allocatable"),
			wantNoAction(CodeUnschedulable, English, "other pods' requests already use it"),
			wantSince(CodeUnschedulable, time.Date(2026, 11, 28, 7, 41, 12, 0, time.UTC)),
		}},
		{"testdata/sched-pvc-old.yaml", "an old volume node affinity conflict from the event alone", []dcheck{
			wantOnlyCodes(CodeUnschedulable),
			wantSeverity(CodeUnschedulable, Critical),
			wantTitle(CodeUnschedulable, Chinese, "3/3 个节点无法使用 Pod 的存储卷"),
			wantEvidence(CodeUnschedulable, "persistentVolumeClaim.claimName", "pgdata-postgres-1"),
			wantCommand(CodeUnschedulable, "kubectl describe pvc pgdata-postgres-1 -n data"),
		}},
		{"testdata/pod-evicted-memory.yaml", "a memory eviction names the app container", []dcheck{
			wantOnlyCodes(CodeEvicted),
			wantTitle(CodeEvicted, English, "low on memory"),
			wantEvidence(CodeEvicted, "status.message threshold", "threshold 100Mi, available 51200Ki"),
			wantEvidence(CodeEvicted, "node/worker-2 status.conditions[MemoryPressure]", "True"),
			wantAction(CodeEvicted, English, "Container app used 1876Mi, more than its request of 512Mi"),
			wantSince(CodeEvicted, time.Date(2026, 11, 28, 7, 46, 21, 0, time.UTC)),
		}},
		{"testdata/pod-terminating-finalizer.yaml", "a finished job pod held by a finalizer", []dcheck{
			wantOnlyCodes(CodeStuckTerminating),
			wantSeverity(CodeStuckTerminating, Critical),
			wantEvidence(CodeStuckTerminating, "metadata.finalizers", "batch.example.com/artifact-upload"),
			wantTitle(CodeStuckTerminating, English, "24m"),
		}},
		{"testdata/node-cni-notready.yaml", "a pod stuck on a node without CNI", []dcheck{
			wantCode(CodeNodeNetworkNotReady),
			wantNoCode(CodePodNetworkNotReady), // one cause, one finding
			wantEvidence(CodeNodeNetworkNotReady, "status.containerStatuses[api].state.waiting.reason", "ContainerCreating"),
			wantSeverity(CodeNodeNetworkNotReady, Critical),
			wantEvidence(CodeNodeNetworkNotReady, "event Warning/NetworkNotReady ×61", "No CNI configuration file"),
			wantEvidence(CodeNodeNetworkNotReady, "node/worker-9 spec.taints[0]", "node.kubernetes.io/not-ready:NoSchedule"),
		}},
		{"testdata/pod-readiness-gate.yaml", "a load balancer gate that never turned true", []dcheck{
			wantOnlyCodes(CodeReadinessGatesNotReady),
			wantSeverity(CodeReadinessGatesNotReady, Warning),
			wantEvidence(CodeReadinessGatesNotReady, "status.conditions[target-health.elbv2.k8s.aws/k8s-shop-web-8f3a2c1d9e]", "(missing)"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Pod(readListFixture(t, tt.file), tnow)
			for _, c := range append(tt.checks, wantRendered()) {
				if err := c(d); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestNodeFixture(t *testing.T) {
	t.Parallel()
	in := readListFixture(t, "testdata/node-cni-notready.yaml")
	d := Node(in.Node, tnow)
	for _, c := range []dcheck{wantOnlyCodes(CodeNodeNetworkNotReady), wantSince(CodeNodeNetworkNotReady, time.Date(2026, 11, 28, 7, 45, 3, 0, time.UTC)), wantRendered()} {
		if err := c(d); err != nil {
			t.Error(err)
		}
	}
}
