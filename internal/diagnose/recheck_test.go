package diagnose

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// TestDiagnosisDoesNotAgeBetweenThresholds diagnoses every capture in
// testdata at two instants a second apart: with no threshold crossed
// between them (the second before RecheckAt), the two diagnoses are the same
// value, texts and evidence included.
func TestDiagnosisDoesNotAgeBetweenThresholds(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			in := readListFixture(t, "testdata/"+e.Name())
			for _, at := range []time.Time{tnow, fixtureNow} {
				a, b := Pod(in, at), Pod(in, at.Add(time.Second))
				if !a.RecheckAt.IsZero() && !at.Add(time.Second).Before(a.RecheckAt) {
					t.Logf("at %v a threshold is crossed within the second (RecheckAt %v)", at, a.RecheckAt)
					continue
				}
				if !reflect.DeepEqual(a, b) {
					t.Errorf("at %v and a second later the diagnoses differ:\n%#v\n%#v", at, a, b)
				}
			}
		})
	}
}

// verdict is a diagnosis's codes and severities in order, e.g.
// "Unschedulable=warning", "" when healthy.
func verdict(d Diagnosis) string {
	parts := make([]string, len(d.Findings))
	for i, f := range d.Findings {
		parts[i] = string(f.Code) + "=" + f.Severity.String()
	}
	return strings.Join(parts, ", ")
}

// agingStep is one verdict of a pod whose input does not change, and the
// RecheckAt it comes with (zero: no later change by time alone).
type agingStep struct {
	verdict string
	recheck time.Time
}

// checkAging diagnoses in at start, then at each RecheckAt in turn, and
// checks the verdicts and RecheckAt instants against steps. Just before each
// RecheckAt the diagnosis is still the previous one, value for value: the
// verdict changes at RecheckAt exactly, neither later nor earlier.
func checkAging(t *testing.T, in PodInput, start time.Time, steps []agingStep) {
	t.Helper()
	now := start
	var prev Diagnosis
	for i, st := range steps {
		if now.IsZero() {
			t.Fatalf("step %d: the previous diagnosis has no RecheckAt, want %q next", i, st.verdict)
		}
		d := Pod(in, now)
		if got := verdict(d); got != st.verdict {
			t.Errorf("step %d at start+%v: verdict %q, want %q", i, now.Sub(start), got, st.verdict)
		}
		if !d.RecheckAt.Equal(st.recheck) {
			t.Errorf("step %d at start+%v: RecheckAt start+%v, want start+%v", i, now.Sub(start), d.RecheckAt.Sub(start), st.recheck.Sub(start))
		}
		if i > 0 {
			if before := Pod(in, now.Add(-time.Nanosecond)); !reflect.DeepEqual(before, prev) {
				t.Errorf("step %d: 1ns before RecheckAt the diagnosis already differs from the previous one: %q, was %q", i, verdict(before), verdict(prev))
			}
		}
		prev, now = d, d.RecheckAt
	}
	if !now.IsZero() {
		t.Errorf("the last step has RecheckAt start+%v, want none", now.Sub(start))
	}
}

// TestUnschedulableAgesWithTheClockAlone follows one unschedulable pod, its
// input never changing, through the thresholds the catalog documents: Info
// for the first minute, Warning until 5 minutes, then Critical. Each step is
// diagnosed at exactly the RecheckAt the step before returned.
func TestUnschedulableAgesWithTheClockAlone(t *testing.T) {
	t.Parallel()
	created := tnow.Add(-20 * time.Second)
	pod := mkPod(createdAgo(20*time.Second), unschedulable("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", 20*time.Second))
	in := PodInput{Pod: pod, Nodes: []*corev1.Node{mkNode("n1"), mkNode("n2"), mkNode("n3")}}

	d := Pod(in, tnow)
	for i, want := range []struct {
		sev     Severity
		recheck time.Time
	}{
		{Info, created.Add(time.Minute)},
		{Warning, created.Add(5 * time.Minute)},
		{Critical, time.Time{}},
	} {
		if f, ok := findCode(d, CodeUnschedulable); !ok || f.Severity != want.sev || len(d.Findings) != 1 {
			t.Fatalf("step %d: %q, want only Unschedulable=%v", i, verdict(d), want.sev)
		}
		if !d.RecheckAt.Equal(want.recheck) {
			t.Fatalf("step %d (%v): RecheckAt %v, want %v", i, want.sev, d.RecheckAt, want.recheck)
		}
		if !d.RecheckAt.IsZero() {
			d = Pod(in, d.RecheckAt)
		}
	}
}

// TestRecheckAtIsTheThreshold checks, for each rule whose verdict changes
// with time, that RecheckAt is the instant its threshold is crossed and that
// the verdict changes there.
func TestRecheckAtIsTheThreshold(t *testing.T) {
	t.Parallel()
	gated := func(p *corev1.Pod) {
		p.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "kueue.x-k8s.io/admission"}}
	}
	nominated := func(p *corev1.Pod) { p.Status.NominatedNodeName = "n2" }
	notReadyNode := mkNode("n1", nodeCond(corev1.NodeReady, corev1.ConditionFalse, "KubeletNotReady", "node is shutting down", 5*time.Second, 30*time.Second))
	readinessGate := func(p *corev1.Pod) {
		p.Spec.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: "example.com/load-balancer"}}
	}
	const notReady = corev1.ConditionFalse
	t0, c0 := tnow, cnow
	cases := []struct {
		name  string
		in    PodInput
		start time.Time
		steps []agingStep
	}{
		{"an unbound pod no scheduler has looked at", PodInput{Pod: mkPod(createdAgo(30 * time.Second))}, t0, []agingStep{
			{"", t0.Add(30 * time.Second)},
			{"NotScheduled=warning", time.Time{}},
		}},
		{"a pod waiting for its scheduling gates", PodInput{Pod: mkPod(createdAgo(time.Minute), gated)}, t0, []agingStep{
			{"SchedulingGated=info", t0.Add(9 * time.Minute)},
			{"SchedulingGated=warning", time.Time{}},
		}},
		{"a pod preempting for its nominated node", PodInput{Pod: mkPod(createdAgo(2*time.Minute), unschedulable("0/2 nodes are available: 2 Insufficient cpu.", time.Minute), nominated)}, t0, []agingStep{
			{"Unschedulable=warning, PreemptionPending=info", t0.Add(3 * time.Minute)},
			{"Unschedulable=critical, PreemptionPending=info", t0.Add(4 * time.Minute)},
			{"Unschedulable=critical, PreemptionPending=warning", time.Time{}},
		}},
		{"a pod past its deletion deadline", PodInput{Pod: mkPod(inPhase(corev1.PodRunning), deletedAgo(30*time.Second, "example.com/cleanup"))}, t0, []agingStep{
			{"", t0.Add(30 * time.Second)},
			{"StuckTerminating=warning", t0.Add(14*time.Minute + 30*time.Second)},
			{"StuckTerminating=critical", time.Time{}},
		}},
		{"a pod on a node NotReady for 30s", PodInput{Pod: mkPod(onNode("n1"), runningCtr("app", true)), Node: notReadyNode}, t0, []agingStep{
			{"NodeNotReady=warning", t0.Add(30 * time.Second)},
			{"NodeNotReady=critical", time.Time{}},
		}},
		{"a running pod whose container is not ready", PodInput{Pod: mkPod(onNode("n1"), runningCtr("app", false), podCond(corev1.PodReady, notReady, "ContainersNotReady", "containers with unready status: [app]", 30*time.Second)), Node: mkNode("n1")}, t0, []agingStep{
			{"ContainersNotReady=info", t0.Add(90 * time.Second)},
			{"ContainersNotReady=warning", time.Time{}},
		}},
		{"a readiness gate not yet true", PodInput{Pod: mkPod(onNode("n1"), runningCtr("app", true), readinessGate, podCond(corev1.PodReady, notReady, "ReadinessGatesNotReady", "", 30*time.Second)), Node: mkNode("n1")}, t0, []agingStep{
			{"ReadinessGatesNotReady=info", t0.Add(90 * time.Second)},
			{"ReadinessGatesNotReady=warning", time.Time{}},
		}},
		{"an init container running for 4 minutes", podWith(phaseP(), initCtr("wait-db", false), running("wait-db", 4*time.Minute, false), waiting("app", "PodInitializing", "")), c0, []agingStep{
			{"", c0.Add(time.Minute)},
			{"InitContainerRunning=info", c0.Add(11 * time.Minute)},
			{"InitContainerRunning=warning", time.Time{}},
		}},
		{"containers creating for 2 minutes with no event", podWith(creatingPod("ContainerCreating", 2*time.Minute)), c0, []agingStep{
			{"", c0.Add(time.Minute)},
			{"ContainerCreatingStuck=warning", time.Time{}},
		}},
		{"a volume of a missing Secret", podWith(creatingPod("ContainerCreating", time.Minute),
			event("Warning", "FailedMount", "", `MountVolume.SetUp failed for volume "tls" : secret "cart-tls" not found`, 2, 50*time.Second, 30*time.Second)), c0, []agingStep{
			{"VolumeMountFailed=info", c0.Add(2 * time.Minute)},
			{"VolumeMountFailed=critical", time.Time{}},
		}},
		{"a retryable image pull failure", podWith(waiting("app", "ImagePullBackOff", `Back-off pulling image "registry.example.com/shop/cart:1.4"`),
			event("Warning", "Failed", "app", `Failed to pull image "registry.example.com/shop/cart:1.4": dial tcp 10.0.0.9:443: i/o timeout`, 3, time.Minute, 10*time.Second)), c0, []agingStep{
			{"ImagePullBackOff=info", c0.Add(time.Minute)},
			{"ImagePullBackOff=warning", time.Time{}},
		}},
		{"an image pull running for a minute", podWith(creatingPod("ContainerCreating", 2*time.Minute),
			event("Normal", "Pulling", "app", `Pulling image "registry.example.com/shop/cart:1.4"`, 1, time.Minute, time.Minute)), c0, []agingStep{
			{"ImagePullSlow=info", c0.Add(4 * time.Minute)},
			{"ImagePullSlow=warning", time.Time{}},
		}},
		{"a container name still reserved by the runtime", podWith(waiting("app", "CreateContainerError", `failed to reserve container name "app_cart-7d9_shop_uid-cart_0": name "app_cart-7d9_shop_uid-cart_0" is reserved for "4f2a"`),
			event("Warning", "Failed", "app", `Error: failed to reserve container name "app_cart-7d9_shop_uid-cart_0"`, 2, time.Minute, 20*time.Second)), c0, []agingStep{
			{"CreateContainerError=info", c0.Add(2 * time.Minute)},
			{"CreateContainerError=warning", time.Time{}},
		}},
		{"a config the kubelet has not synced yet", podWith(podStartedAgo(time.Minute), waiting("app", "CreateContainerConfigError", "failed to sync configmap cache: timed out waiting for the condition")), c0, []agingStep{
			{"CreateContainerConfigError=info", c0.Add(2 * time.Minute)},
			{"CreateContainerConfigError=warning", time.Time{}},
		}},
		{"a restart 29 minutes ago", podWith(restarts("app", 1), lastTerminated("app", "Error", 1, 10*time.Second, 29*time.Minute, "")), c0, []agingStep{
			{"ContainerRestarted=info", c0.Add(time.Minute + time.Nanosecond)},
			{"", time.Time{}},
		}},
		{"a readiness probe that failed 9 minutes ago", podWith(running("app", time.Hour, false), readiness("app", httpProbe("/ready", 8080)),
			event("Warning", "Unhealthy", "app", "Readiness probe failed: HTTP probe failed with statuscode: 503", 3, 12*time.Minute, 9*time.Minute)), c0, []agingStep{
			{"ReadinessProbeFailed=warning", c0.Add(time.Minute + time.Nanosecond)},
			{"", time.Time{}},
		}},
		{"a liveness probe that failed 9 minutes ago without a restart", podWith(running("app", time.Hour, true), liveness("app", httpProbe("/healthz", 8080)),
			event("Warning", "Unhealthy", "app", "Liveness probe failed: HTTP probe failed with statuscode: 500", 2, 10*time.Minute, 9*time.Minute)), c0, []agingStep{
			{"LivenessProbeFailed=warning", c0.Add(time.Minute + time.Nanosecond)},
			{"", time.Time{}},
		}},
		{"a liveness kill 5 minutes ago", podWith(running("app", 5*time.Minute, true), restarts("app", 1), lastTerminated("app", "Error", 137, 10*time.Minute, 5*time.Minute, ""),
			liveness("app", httpProbe("/healthz", 8080)),
			event("Warning", "Unhealthy", "app", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 6*time.Minute, 5*time.Minute),
			event("Normal", "Killing", "app", "Container app failed liveness probe, will be restarted", 1, 5*time.Minute, 5*time.Minute)), c0, []agingStep{
			{"LivenessProbeFailed=critical", c0.Add(5*time.Minute + time.Nanosecond)},
			{"LivenessProbeFailed=warning", c0.Add(25*time.Minute + time.Nanosecond)},
			{"", time.Time{}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkAging(t, tc.in, tc.start, tc.steps)
		})
	}
}

// TestNodeRecheckAt: a node NotReady for less than nodeNotReadyGrace is a
// Warning until the grace has passed, then Critical.
func TestNodeRecheckAt(t *testing.T) {
	t.Parallel()
	n := mkNode("n1", nodeCond(corev1.NodeReady, corev1.ConditionFalse, "KubeletNotReady", "node is shutting down", 5*time.Second, 30*time.Second))
	d := Node(n, tnow)
	if want := tnow.Add(-30 * time.Second).Add(nodeNotReadyGrace); verdict(d) != "NodeNotReady=warning" || !d.RecheckAt.Equal(want) {
		t.Fatalf("got %q rechecked at %v, want NodeNotReady=warning rechecked at %v", verdict(d), d.RecheckAt, want)
	}
	if d = Node(n, d.RecheckAt); verdict(d) != "NodeNotReady=critical" || !d.RecheckAt.IsZero() {
		t.Fatalf("at RecheckAt: %q rechecked at %v, want NodeNotReady=critical and no RecheckAt", verdict(d), d.RecheckAt)
	}
	if healthy := Node(mkNode("n2"), tnow); !healthy.RecheckAt.IsZero() {
		t.Errorf("a Ready node has RecheckAt %v, want none", healthy.RecheckAt)
	}
}
