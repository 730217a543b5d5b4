package diagnose_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podlens/podlens/internal/diagnose"
)

// colNow is the clock for every columns test.
var colNow = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)

// colPod builds pods for the columns tests. Status methods find the container
// by name in the spec (init or regular) and add its status in call order, so a
// test controls the order the kubelet would have written.
type colPod struct{ pod *corev1.Pod }

// newColPod returns a pod created ten minutes before colNow with the given
// regular containers and no status.
func newColPod(containers ...string) *colPod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{
		Name: "p", Namespace: "ns",
		CreationTimestamp: metav1.NewTime(colNow.Add(-10 * time.Minute)),
	}}
	for _, c := range containers {
		p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: c})
	}
	return &colPod{pod: p}
}

func (b *colPod) phase(p corev1.PodPhase) *colPod { b.pod.Status.Phase = p; return b }
func (b *colPod) reason(r string) *colPod         { b.pod.Status.Reason = r; return b }
func (b *colPod) node(n string) *colPod           { b.pod.Spec.NodeName = n; return b }
func (b *colPod) nominated(n string) *colPod      { b.pod.Status.NominatedNodeName = n; return b }
func (b *colPod) podIP(ip string) *colPod         { b.pod.Status.PodIP = ip; return b }

func (b *colPod) podIPs(ips ...string) *colPod {
	for _, ip := range ips {
		b.pod.Status.PodIPs = append(b.pod.Status.PodIPs, corev1.PodIP{IP: ip})
	}
	return b
}

func (b *colPod) created(ago time.Duration) *colPod {
	b.pod.CreationTimestamp = metav1.NewTime(colNow.Add(-ago))
	return b
}

func (b *colPod) uncreated() *colPod { b.pod.CreationTimestamp = metav1.Time{}; return b }

func (b *colPod) deleting() *colPod {
	t := metav1.NewTime(colNow.Add(-time.Minute))
	b.pod.DeletionTimestamp = &t
	return b
}

func (b *colPod) cond(t corev1.PodConditionType, s corev1.ConditionStatus, reason string) *colPod {
	b.pod.Status.Conditions = append(b.pod.Status.Conditions, corev1.PodCondition{Type: t, Status: s, Reason: reason})
	return b
}

func (b *colPod) gates(types ...corev1.PodConditionType) *colPod {
	for _, t := range types {
		b.pod.Spec.ReadinessGates = append(b.pod.Spec.ReadinessGates, corev1.PodReadinessGate{ConditionType: t})
	}
	return b
}

// init adds a regular init container to the spec.
func (b *colPod) init(name string) *colPod {
	b.pod.Spec.InitContainers = append(b.pod.Spec.InitContainers, corev1.Container{Name: name})
	return b
}

// sidecar adds a restartable init container (restartPolicy Always) to the spec.
func (b *colPod) sidecar(name string) *colPod {
	always := corev1.ContainerRestartPolicyAlways
	b.pod.Spec.InitContainers = append(b.pod.Spec.InitContainers, corev1.Container{Name: name, RestartPolicy: &always})
	return b
}

// status returns the status of the named container, adding it when missing.
func (b *colPod) status(name string) *corev1.ContainerStatus {
	list := &b.pod.Status.ContainerStatuses
	for _, c := range b.pod.Spec.InitContainers {
		if c.Name == name {
			list = &b.pod.Status.InitContainerStatuses
		}
	}
	for i := range *list {
		if (*list)[i].Name == name {
			return &(*list)[i]
		}
	}
	*list = append(*list, corev1.ContainerStatus{Name: name})
	return &(*list)[len(*list)-1]
}

func (b *colPod) running(name string, ready bool) *colPod {
	s := b.status(name)
	s.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(colNow.Add(-time.Minute))}}
	s.Ready = ready
	return b
}

func (b *colPod) started(name string, started bool) *colPod {
	b.status(name).Started = &started
	return b
}

func (b *colPod) waiting(name, reason string) *colPod {
	b.status(name).State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}
	return b
}

func (b *colPod) terminated(name, reason string, exitCode, signal int32) *colPod {
	b.status(name).State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		Reason: reason, ExitCode: exitCode, Signal: signal, FinishedAt: metav1.NewTime(colNow.Add(-time.Minute)),
	}}
	return b
}

// restarts sets the restart count and, when finishedAgo is positive, a last
// termination that finished that long before colNow. A zero finishedAgo leaves
// lastState.terminated without finishedAt; a negative one leaves no lastState.
func (b *colPod) restarts(name string, n int32, finishedAgo time.Duration) *colPod {
	s := b.status(name)
	s.RestartCount = n
	switch {
	case finishedAgo > 0:
		s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{ExitCode: 1, FinishedAt: metav1.NewTime(colNow.Add(-finishedAgo))}
	case finishedAgo == 0:
		s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{ExitCode: 1}
	}
	return b
}

func (b *colPod) many(n int) *colPod {
	for i := range n {
		name := "c" + string(rune('a'+i))
		b.pod.Spec.Containers = append(b.pod.Spec.Containers, corev1.Container{Name: name})
		b.running(name, true)
	}
	return b
}

// colRow prints the columns as one `kubectl get pods -o wide` row, without the name.
func colRow(c diagnose.Columns) string {
	return strings.Join([]string{c.Ready, c.Status, c.Restarts, c.Age, c.IP, c.Node, c.NominatedNode, c.ReadinessGates}, " | ")
}

// colCases covers every rule of printPod
// (pkg/printers/internalversion/printers.go). Each want is the
// `kubectl get pods -o wide` row: READY | STATUS | RESTARTS | AGE | IP | NODE |
// NOMINATED NODE | READINESS GATES.
var colCases = []struct {
	name string
	pod  *colPod
	want string
}{
	// Rules 1 and 2: phase, status.reason, scheduling gates.
	{"an unschedulable pod reads Pending", newColPod("app").phase(corev1.PodPending).cond(corev1.PodScheduled, corev1.ConditionFalse, "Unschedulable"),
		"0/1 | Pending | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a gated pod reads SchedulingGated", newColPod("app").phase(corev1.PodPending).cond(corev1.PodScheduled, corev1.ConditionFalse, corev1.PodReasonSchedulingGated),
		"0/1 | SchedulingGated | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"status.reason replaces the phase", newColPod("app").phase(corev1.PodFailed).reason("Evicted"),
		"0/1 | Evicted | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a container reason overwrites status.reason", newColPod("app").phase(corev1.PodFailed).reason("Evicted").terminated("app", "ContainerStatusUnknown", 137, 0),
		"0/1 | ContainerStatusUnknown | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a deadline reads DeadlineExceeded", newColPod("app").phase(corev1.PodFailed).reason("DeadlineExceeded"),
		"0/1 | DeadlineExceeded | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a pod without a phase reads empty", newColPod("app"),
		"0/1 |  | 0 | 10m | <none> | <none> | <none> | <none>"},

	// Rule 6: regular containers.
	{"a ready running container reads Running", newColPod("app").phase(corev1.PodRunning).running("app", true),
		"1/1 | Running | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a running container that is not ready still reads Running", newColPod("app").phase(corev1.PodRunning).running("app", false),
		"0/1 | Running | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a waiting reason wins over a ready sibling", newColPod("a", "b").phase(corev1.PodRunning).waiting("a", "CrashLoopBackOff").running("b", true),
		"1/2 | CrashLoopBackOff | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"the first container in status order decides", newColPod("a", "b", "c").phase(corev1.PodPending).running("a", true).waiting("b", "ImagePullBackOff").waiting("c", "ErrImagePull"),
		"1/3 | ImagePullBackOff | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"status order, not spec order, decides", newColPod("z", "a").phase(corev1.PodPending).waiting("a", "CreateContainerConfigError").waiting("z", "ContainerCreating"),
		"0/2 | CreateContainerConfigError | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a waiting container without a reason keeps the phase", newColPod("app").phase(corev1.PodPending).waiting("app", ""),
		"0/1 | Pending | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a terminated container shows its reason", newColPod("app").phase(corev1.PodFailed).terminated("app", "OOMKilled", 137, 0),
		"0/1 | OOMKilled | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a terminated container without a reason shows its exit code", newColPod("app").phase(corev1.PodFailed).terminated("app", "", 3, 0),
		"0/1 | ExitCode:3 | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a terminated container without a reason shows its signal", newColPod("app").phase(corev1.PodFailed).terminated("app", "", 137, 9),
		"0/1 | Signal:9 | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a finished pod reads Completed", newColPod("app").phase(corev1.PodSucceeded).terminated("app", "Completed", 0, 0),
		"0/1 | Completed | 0 | 10m | <none> | <none> | <none> | <none>"},

	// Rule 7: Completed next to running containers.
	{"Completed beside a ready container in a Ready pod reads Running",
		newColPod("a", "b").phase(corev1.PodRunning).terminated("a", "Completed", 0, 0).running("b", true).cond(corev1.PodReady, corev1.ConditionTrue, ""),
		"1/2 | Running | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"Completed beside a ready container in a pod that is not Ready reads NotReady",
		newColPod("a", "b").phase(corev1.PodRunning).terminated("a", "Completed", 0, 0).running("b", true).cond(corev1.PodReady, corev1.ConditionFalse, "ContainersNotReady"),
		"1/2 | NotReady | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"Completed beside a failed container reads the failure",
		newColPod("a", "b").phase(corev1.PodFailed).terminated("a", "Completed", 0, 0).terminated("b", "Error", 1, 0),
		"0/2 | Error | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"Completed beside a running container that is not ready stays Completed",
		newColPod("a", "b").phase(corev1.PodRunning).terminated("a", "Completed", 0, 0).running("b", false),
		"0/2 | Completed | 0 | 10m | <none> | <none> | <none> | <none>"},

	// Rule 5: init containers.
	{"the first running init container reads Init:0/2", newColPod("app").phase(corev1.PodPending).init("i1").init("i2").running("i1", false).waiting("i2", "PodInitializing").waiting("app", "PodInitializing"),
		"0/1 | Init:0/2 | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"the second init container reads Init:1/2", newColPod("app").phase(corev1.PodPending).init("i1").init("i2").terminated("i1", "Completed", 0, 0).running("i2", false),
		"0/1 | Init:1/2 | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"an init container waiting on PodInitializing reads its position", newColPod("app").phase(corev1.PodPending).init("i1").waiting("i1", "PodInitializing"),
		"0/1 | Init:0/1 | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a crashing init container reads Init:CrashLoopBackOff", newColPod("app").phase(corev1.PodPending).init("i1").init("i2").waiting("i1", "CrashLoopBackOff").restarts("i1", 4, 30*time.Second).waiting("app", "PodInitializing").restarts("app", 9, time.Second),
		"0/1 | Init:CrashLoopBackOff | 4 (30s ago) | 10m | <none> | <none> | <none> | <none>"},
	{"a failed init container reads Init:<reason>", newColPod("app").phase(corev1.PodFailed).init("i1").terminated("i1", "Error", 1, 0),
		"0/1 | Init:Error | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a failed init container without a reason reads Init:ExitCode", newColPod("app").phase(corev1.PodPending).init("i1").terminated("i1", "", 1, 0),
		"0/1 | Init:ExitCode:1 | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a killed init container without a reason reads Init:Signal", newColPod("app").phase(corev1.PodPending).init("i1").terminated("i1", "", 137, 9),
		"0/1 | Init:Signal:9 | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"init containers after the stopping point add no restarts", newColPod("app").phase(corev1.PodPending).init("i1").init("i2").running("i1", false).restarts("i1", 1, 0).waiting("i2", "PodInitializing").restarts("i2", 7, time.Minute),
		"0/1 | Init:0/2 | 1 | 10m | <none> | <none> | <none> | <none>"},
	{"an Initialized condition counts the regular containers but keeps the init status",
		newColPod("app").phase(corev1.PodRunning).init("i1").waiting("i1", "PodInitializing").restarts("i1", 2, time.Minute).running("app", true).cond(corev1.PodInitialized, corev1.ConditionTrue, ""),
		"1/1 | Init:0/1 | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"an Initialized condition lets a regular container's reason through",
		newColPod("app").phase(corev1.PodRunning).init("i1").waiting("i1", "PodInitializing").waiting("app", "CrashLoopBackOff").restarts("app", 6, 4*time.Minute).cond(corev1.PodInitialized, corev1.ConditionTrue, ""),
		"0/1 | CrashLoopBackOff | 6 (4m ago) | 10m | <none> | <none> | <none> | <none>"},

	// Rules 4, 5b and 10: sidecars.
	{"a started ready sidecar counts in READY", newColPod("app").phase(corev1.PodRunning).sidecar("proxy").running("proxy", true).started("proxy", true).running("app", true),
		"2/2 | Running | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a started sidecar that is not ready counts only in the total", newColPod("app").phase(corev1.PodRunning).sidecar("proxy").running("proxy", false).started("proxy", true).running("app", true),
		"1/2 | Running | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a sidecar that has not started holds initialization", newColPod("app").phase(corev1.PodPending).init("setup").sidecar("proxy").terminated("setup", "Completed", 0, 0).running("proxy", false).started("proxy", false),
		"0/2 | Init:1/2 | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"sidecar restarts survive initialization and finished init restarts do not",
		newColPod("app").phase(corev1.PodRunning).init("setup").sidecar("proxy").
			terminated("setup", "Completed", 0, 0).restarts("setup", 5, 2*time.Minute).
			running("proxy", true).started("proxy", true).restarts("proxy", 2, 70*time.Second).
			running("app", true).restarts("app", 1, 5*time.Minute),
		"2/2 | Running | 3 (70s ago) | 10m | <none> | <none> | <none> | <none>"},

	// Rule 9: restarts.
	{"restarts show the newest termination", newColPod("a", "b").phase(corev1.PodRunning).running("a", true).restarts("a", 3, 2*time.Hour).running("b", true).restarts("b", 2, 3*time.Minute+7*time.Second),
		"2/2 | Running | 5 (3m7s ago) | 10m | <none> | <none> | <none> | <none>"},
	{"restarts without a finish time are a bare count", newColPod("app").phase(corev1.PodRunning).running("app", true).restarts("app", 4, 0),
		"1/1 | Running | 4 | 10m | <none> | <none> | <none> | <none>"},
	{"restarts without a last state are a bare count", newColPod("app").phase(corev1.PodRunning).running("app", true).restarts("app", 4, -1),
		"1/1 | Running | 4 | 10m | <none> | <none> | <none> | <none>"},
	{"a last state without restarts reads 0", newColPod("app").phase(corev1.PodRunning).running("app", true).restarts("app", 0, time.Minute),
		"1/1 | Running | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"old restarts read in days", newColPod("app").phase(corev1.PodRunning).waiting("app", "CrashLoopBackOff").restarts("app", 812, 61*time.Hour),
		"0/1 | CrashLoopBackOff | 812 (2d13h ago) | 10m | <none> | <none> | <none> | <none>"},

	// Rule 8: deletion.
	{"a running pod being deleted reads Terminating", newColPod("app").phase(corev1.PodRunning).running("app", true).deleting(),
		"1/1 | Terminating | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a pod on a lost node being deleted reads Unknown", newColPod("app").phase(corev1.PodRunning).reason("NodeLost").running("app", true).deleting(),
		"1/1 | Unknown | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a completed pod being deleted keeps Completed", newColPod("app").phase(corev1.PodSucceeded).terminated("app", "Completed", 0, 0).deleting(),
		"0/1 | Completed | 0 | 10m | <none> | <none> | <none> | <none>"},
	{"a failed pod being deleted keeps its error", newColPod("app").phase(corev1.PodFailed).terminated("app", "Error", 2, 0).deleting(),
		"0/1 | Error | 0 | 10m | <none> | <none> | <none> | <none>"},

	// Rule 11: age.
	{"a pod without a creation time has an unknown age", newColPod("app").phase(corev1.PodPending).uncreated(),
		"0/1 | Pending | 0 | <unknown> | <none> | <none> | <none> | <none>"},
	{"a young pod's age reads in seconds", newColPod("app").phase(corev1.PodPending).created(119 * time.Second),
		"0/1 | Pending | 0 | 119s | <none> | <none> | <none> | <none>"},
	{"an old pod's age reads in years and days", newColPod("app").phase(corev1.PodPending).created((3*365 + 12) * 24 * time.Hour),
		"0/1 | Pending | 0 | 3y12d | <none> | <none> | <none> | <none>"},
	{"a pod created in the future has an invalid age", newColPod("app").phase(corev1.PodPending).created(-5 * time.Second),
		"0/1 | Pending | 0 | <invalid> | <none> | <none> | <none> | <none>"},

	// Rule 12: wide columns.
	{"wide columns show the node, nominated node and first IP",
		newColPod("app").phase(corev1.PodRunning).running("app", true).node("node-a").nominated("node-b").podIP("10.0.0.7").podIPs("10.0.0.7", "fd00::7"),
		"1/1 | Running | 0 | 10m | 10.0.0.7 | node-a | node-b | <none>"},
	{"podIPs alone give the IP", newColPod("app").phase(corev1.PodRunning).podIPs("fd00::9"),
		"0/1 | Running | 0 | 10m | fd00::9 | <none> | <none> | <none>"},
	{"podIP wins a mismatch, as the API server's defaulting does", newColPod("app").phase(corev1.PodRunning).podIP("10.0.0.1").podIPs("10.0.0.2"),
		"0/1 | Running | 0 | 10m | 10.0.0.1 | <none> | <none> | <none>"},
	{"readiness gates count the first condition of each type",
		newColPod("app").phase(corev1.PodRunning).gates("example.com/a", "example.com/b", "example.com/c").
			cond("example.com/a", corev1.ConditionTrue, "").cond("example.com/b", corev1.ConditionFalse, "").cond("example.com/b", corev1.ConditionTrue, ""),
		"0/1 | Running | 0 | 10m | <none> | <none> | <none> | 1/3"},
	{"many containers still count", newColPod().phase(corev1.PodRunning).many(20),
		"20/20 | Running | 0 | 10m | <none> | <none> | <none> | <none>"},
}

func TestKubectlColumns(t *testing.T) {
	t.Parallel()
	for _, tc := range colCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, colRow(diagnose.KubectlColumns(tc.pod.pod, colNow))); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}
}

func TestKubectlColumnsRestartFields(t *testing.T) {
	t.Parallel()
	pod := newColPod("a", "b").phase(corev1.PodRunning).
		running("a", true).restarts("a", 3, 2*time.Hour).
		running("b", true).restarts("b", 2, 3*time.Minute).pod
	got := diagnose.KubectlColumns(pod, colNow)
	want := diagnose.Columns{
		Ready: "2/2", Status: "Running", Restarts: "5 (3m ago)", Age: "10m",
		IP: "<none>", Node: "<none>", NominatedNode: "<none>", ReadinessGates: "<none>",
		RestartCount: 5, LastRestart: colNow.Add(-3 * time.Minute),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("KubectlColumns (-want +got):\n%s", diff)
	}
}

func TestKubectlColumnsLeavesThePodAlone(t *testing.T) {
	t.Parallel()
	pod := newColPod("app").phase(corev1.PodPending).init("i1").sidecar("s").running("i1", false).restarts("i1", 2, time.Minute).deleting().pod
	before := pod.DeepCopy()
	diagnose.KubectlColumns(pod, colNow)
	if diff := cmp.Diff(before, pod); diff != "" {
		t.Errorf("pod changed (-before +after):\n%s", diff)
	}
}

// TestKubectlColumnsReplaysTheAPIServer checks every pod of a Table captured
// from a real kube-apiserver (test/integration TestColumns with
// PODLENS_CAPTURE_COLUMNS=1) against the cells the server printed for it.
func TestKubectlColumnsReplaysTheAPIServer(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/status-table-v1.37.2.json")
	if err != nil {
		t.Fatalf("reading capture: %v", err)
	}
	var capture struct {
		ServerVersion string    `json:"serverVersion"`
		Before        time.Time `json:"before"`
		After         time.Time `json:"after"`
		Rows          []struct {
			Cells []string    `json:"cells"`
			Pod   *corev1.Pod `json:"pod"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(raw, &capture); err != nil {
		t.Fatalf("decoding capture: %v", err)
	}
	t.Logf("capture from %s", capture.ServerVersion)
	if got := len(capture.Rows); got < 30 {
		t.Fatalf("capture has %d rows, want at least 30", got)
	}
	for _, row := range capture.Rows {
		if len(row.Cells) != len(colNames) {
			t.Fatalf("%s: %d cells, want %d", row.Pod.Name, len(row.Cells), len(colNames))
		}
	}
	for _, row := range capture.Rows {
		t.Run(row.Pod.Name+" reads as the API server printed it", func(t *testing.T) {
			t.Parallel()
			// The server printed RESTARTS and AGE at an instant between Before
			// and After; both only grow with time, so each must match ours at
			// one end. The other cells do not depend on time.
			early := colWide(row.Pod, capture.Before)
			late := colWide(row.Pod, capture.After)
			for i, name := range colNames {
				if got := row.Cells[i]; got != early[i] && got != late[i] {
					t.Errorf("%s: server %q, ours %q (at capture start) or %q (at capture end)", name, got, early[i], late[i])
				}
			}
		})
	}
}

// colNames are the API server's Table columns for pods, in cell order.
var colNames = []string{"Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"}

// colWide lists the cells in the order the API server's Table does.
func colWide(pod *corev1.Pod, now time.Time) []string {
	c := diagnose.KubectlColumns(pod, now)
	return []string{pod.Name, c.Ready, c.Status, c.Restarts, c.Age, c.IP, c.Node, c.NominatedNode, c.ReadinessGates}
}

// BenchmarkKubectlColumns runs every test pod once per iteration.
func BenchmarkKubectlColumns(b *testing.B) {
	pods := make([]*corev1.Pod, len(colCases))
	for i, tc := range colCases {
		pods[i] = tc.pod.pod
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pods {
			diagnose.KubectlColumns(p, colNow)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pods)), "ns/pod")
}
