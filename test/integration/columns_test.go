package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/testcluster"
)

// colFixtureEnv names the environment variable that makes TestColumns write
// the server's Table, with each pod, to internal/diagnose/testdata, so the
// diagnose unit tests can replay the API server's answers without a server.
const colFixtureEnv = "PODLENS_CAPTURE_COLUMNS"

// colFixturePath is where the capture goes, relative to this package.
const colFixturePath = "../../internal/diagnose/testdata/status-table-v1.37.2.json"

// colHold is the finalizer that keeps deleted pods visible, with their
// deletionTimestamp set, until the test ends.
const colHold = "podlens.test/hold"

// colCase is one pod state the kubelet (or the node controller) could write,
// reproduced by hand: the pod is created, then its status written through the
// status subresource, then, for the deletion cases, deleted behind a finalizer.
type colCase struct {
	pod       *corev1.Pod
	hasStatus bool
	delete    bool
	now       time.Time // the clock lastState and condition times are relative to
}

// colNew starts a case whose status times are relative to now.
func colNew(now time.Time, name string, containers ...string) *colCase {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Finalizers: []string{colHold}}}
	for _, c := range containers {
		p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: c, Image: "registry.example/" + c + ":1"})
	}
	return &colCase{pod: p, now: now}
}

func (c *colCase) on(node string) *colCase { c.pod.Spec.NodeName = node; return c }
func (c *colCase) deleted() *colCase       { c.delete = true; return c }

func (c *colCase) phase(p corev1.PodPhase) *colCase {
	c.pod.Status.Phase, c.hasStatus = p, true
	return c
}

func (c *colCase) reason(r, msg string) *colCase {
	c.pod.Status.Reason, c.pod.Status.Message = r, msg
	return c
}

func (c *colCase) nominated(n string) *colCase { c.pod.Status.NominatedNodeName = n; return c }

func (c *colCase) ips(ips ...string) *colCase {
	c.pod.Status.PodIP = ips[0]
	for _, ip := range ips {
		c.pod.Status.PodIPs = append(c.pod.Status.PodIPs, corev1.PodIP{IP: ip})
	}
	return c
}

func (c *colCase) cond(t corev1.PodConditionType, s corev1.ConditionStatus, reason string) *colCase {
	c.pod.Status.Conditions = append(c.pod.Status.Conditions, corev1.PodCondition{
		Type: t, Status: s, Reason: reason, LastTransitionTime: metav1.NewTime(c.now.Add(-time.Minute)),
	})
	return c
}

func (c *colCase) gates(types ...corev1.PodConditionType) *colCase {
	for _, t := range types {
		c.pod.Spec.ReadinessGates = append(c.pod.Spec.ReadinessGates, corev1.PodReadinessGate{ConditionType: t})
	}
	return c
}

func (c *colCase) gated() *colCase {
	c.pod.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "example.com/quota"}}
	return c
}

func (c *colCase) init(name string) *colCase {
	c.pod.Spec.InitContainers = append(c.pod.Spec.InitContainers, corev1.Container{Name: name, Image: "registry.example/" + name + ":1"})
	return c
}

func (c *colCase) sidecar(name string) *colCase {
	always := corev1.ContainerRestartPolicyAlways
	c.pod.Spec.InitContainers = append(c.pod.Spec.InitContainers, corev1.Container{Name: name, Image: "registry.example/" + name + ":1", RestartPolicy: &always})
	return c
}

// status returns the named container's status, adding it (init or regular,
// as the spec says) when missing. Call order is the order written, so cases
// list regular containers alphabetically, as the kubelet does.
func (c *colCase) status(name string) *corev1.ContainerStatus {
	list := &c.pod.Status.ContainerStatuses
	image := "registry.example/" + name + ":1"
	for _, ic := range c.pod.Spec.InitContainers {
		if ic.Name == name {
			list = &c.pod.Status.InitContainerStatuses
		}
	}
	for i := range *list {
		if (*list)[i].Name == name {
			return &(*list)[i]
		}
	}
	*list = append(*list, corev1.ContainerStatus{Name: name, Image: image})
	return &(*list)[len(*list)-1]
}

func (c *colCase) running(name string, ready bool) *colCase {
	s := c.status(name)
	s.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(c.now.Add(-time.Minute))}}
	s.Ready = ready
	started := true
	s.Started = &started
	return c
}

func (c *colCase) notStarted(name string) *colCase {
	started := false
	c.status(name).Started = &started
	return c
}

func (c *colCase) waiting(name, reason string) *colCase {
	c.status(name).State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}
	return c
}

func (c *colCase) terminated(name, reason string, exitCode, signal int32) *colCase {
	c.status(name).State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		Reason: reason, ExitCode: exitCode, Signal: signal,
		StartedAt: metav1.NewTime(c.now.Add(-2 * time.Minute)), FinishedAt: metav1.NewTime(c.now.Add(-time.Minute)),
	}}
	return c
}

// restarts sets a restart count and a last termination that finished
// finishedAgo before c.now, or without a finish time when finishedAgo is 0.
func (c *colCase) restarts(name string, n int32, finishedAgo time.Duration) *colCase {
	s := c.status(name)
	s.RestartCount = n
	last := &corev1.ContainerStateTerminated{Reason: "Error", ExitCode: 1}
	if finishedAgo > 0 {
		last.FinishedAt = metav1.NewTime(c.now.Add(-finishedAgo))
	}
	s.LastTerminationState.Terminated = last
	return c
}

// colCases are the pod states TestColumns writes, one pod each, with times
// relative to now.
func colCases(now time.Time) []*colCase {
	const node = "node-a"
	pod := func(name string, containers ...string) *colCase { return colNew(now, name, containers...) }
	ready := func(c *colCase, s corev1.ConditionStatus) *colCase { return c.cond(corev1.PodReady, s, "") }
	return []*colCase{
		// Scheduling.
		pod("pending-unschedulable", "app").phase(corev1.PodPending).cond(corev1.PodScheduled, corev1.ConditionFalse, "Unschedulable"),
		pod("scheduling-gated", "app").gated(),
		pod("nominated-node", "app").phase(corev1.PodPending).nominated("node-b").cond(corev1.PodScheduled, corev1.ConditionFalse, "Unschedulable"),

		// Running.
		ready(pod("running-ready", "app").on(node).phase(corev1.PodRunning).ips("10.0.0.1").running("app", true), corev1.ConditionTrue),
		ready(pod("running-not-ready", "app").on(node).phase(corev1.PodRunning).ips("10.0.0.2").running("app", false), corev1.ConditionFalse),
		pod("dual-stack", "app").on(node).phase(corev1.PodRunning).ips("10.0.0.3", "fd00::3").running("app", true),

		// Several containers: the alphabetically first one with a reason decides.
		pod("mixed-crash-first", "web", "api", "db").on(node).phase(corev1.PodRunning).
			waiting("api", "CrashLoopBackOff").restarts("api", 5, 3*time.Minute).running("db", true).waiting("web", "ImagePullBackOff"),
		pod("mixed-pull-first", "zeta", "alpha", "mid").on(node).phase(corev1.PodPending).
			waiting("alpha", "ErrImagePull").running("mid", true).waiting("zeta", "ContainerCreating"),
		pod("mixed-running-first", "b-sidecarish", "a-main").on(node).phase(corev1.PodRunning).
			running("a-main", false).terminated("b-sidecarish", "OOMKilled", 137, 0).restarts("b-sidecarish", 2, 40*time.Second),

		// Waiting reasons.
		pod("wait-crashloop", "app").on(node).phase(corev1.PodRunning).waiting("app", "CrashLoopBackOff").restarts("app", 12, 90*time.Second),
		pod("wait-imagepullbackoff", "app").on(node).phase(corev1.PodPending).waiting("app", "ImagePullBackOff"),
		pod("wait-errimagepull", "app").on(node).phase(corev1.PodPending).waiting("app", "ErrImagePull"),
		pod("wait-configerror", "app").on(node).phase(corev1.PodPending).waiting("app", "CreateContainerConfigError"),
		pod("wait-creating", "app").on(node).phase(corev1.PodPending).waiting("app", "ContainerCreating"),
		pod("wait-podinitializing", "app").on(node).phase(corev1.PodPending).init("setup").
			terminated("setup", "Completed", 0, 0).waiting("app", "PodInitializing"),
		pod("wait-no-reason", "app").on(node).phase(corev1.PodPending).waiting("app", ""),

		// Terminated containers.
		pod("term-error", "app").on(node).phase(corev1.PodFailed).terminated("app", "Error", 1, 0),
		pod("term-exitcode", "app").on(node).phase(corev1.PodFailed).terminated("app", "", 2, 0),
		pod("term-signal", "app").on(node).phase(corev1.PodFailed).terminated("app", "", 137, 9),
		pod("completed", "app").on(node).phase(corev1.PodSucceeded).terminated("app", "Completed", 0, 0),
		ready(pod("completed-beside-ready", "a-job", "b-server").on(node).phase(corev1.PodRunning).
			terminated("a-job", "Completed", 0, 0).running("b-server", true), corev1.ConditionTrue),
		ready(pod("completed-beside-not-ready", "a-job", "b-server").on(node).phase(corev1.PodRunning).
			terminated("a-job", "Completed", 0, 0).running("b-server", true), corev1.ConditionFalse),
		pod("completed-beside-error", "a-job", "b-job").on(node).phase(corev1.PodFailed).
			terminated("a-job", "Completed", 0, 0).terminated("b-job", "Error", 3, 0),

		// Init containers.
		pod("init-0-of-2", "app").on(node).phase(corev1.PodPending).init("first").init("second").
			running("first", false).waiting("second", "PodInitializing").waiting("app", "PodInitializing"),
		pod("init-1-of-2", "app").on(node).phase(corev1.PodPending).init("first").init("second").
			terminated("first", "Completed", 0, 0).running("second", false).waiting("app", "PodInitializing"),
		pod("init-crashloop", "app").on(node).phase(corev1.PodPending).init("first").init("second").
			waiting("first", "CrashLoopBackOff").restarts("first", 4, 30*time.Second).waiting("second", "PodInitializing").waiting("app", "PodInitializing"),
		pod("init-exitcode", "app").on(node).phase(corev1.PodPending).init("first").terminated("first", "", 1, 0).restarts("first", 1, 0),
		pod("init-signal", "app").on(node).phase(corev1.PodPending).init("first").terminated("first", "", 137, 9),
		pod("init-error", "app").on(node).phase(corev1.PodFailed).init("first").terminated("first", "Error", 1, 0),
		pod("init-image-pull", "app").on(node).phase(corev1.PodPending).init("first").waiting("first", "ImagePullBackOff"),
		pod("init-initialized-override", "app").on(node).phase(corev1.PodRunning).init("first").
			waiting("first", "PodInitializing").restarts("first", 2, time.Minute).
			waiting("app", "CrashLoopBackOff").restarts("app", 6, 4*time.Minute).cond(corev1.PodInitialized, corev1.ConditionTrue, ""),

		// Sidecars.
		pod("sidecar-ready", "app").on(node).phase(corev1.PodRunning).sidecar("proxy").running("proxy", true).running("app", true),
		pod("sidecar-not-ready", "app").on(node).phase(corev1.PodRunning).sidecar("proxy").running("proxy", false).running("app", true),
		pod("sidecar-not-started", "app").on(node).phase(corev1.PodPending).init("setup").sidecar("proxy").
			terminated("setup", "Completed", 0, 0).running("proxy", false).notStarted("proxy").waiting("app", "PodInitializing"),
		pod("sidecar-restarts", "app").on(node).phase(corev1.PodRunning).init("setup").sidecar("proxy").
			terminated("setup", "Completed", 0, 0).restarts("setup", 5, 2*time.Minute).
			running("proxy", true).restarts("proxy", 2, 70*time.Second).
			running("app", true).restarts("app", 1, 5*time.Minute),

		// Restarts.
		pod("restarts-ago", "app").on(node).phase(corev1.PodRunning).running("app", true).restarts("app", 5, 3*time.Minute),
		pod("restarts-no-finish", "app").on(node).phase(corev1.PodRunning).running("app", true).restarts("app", 4, 0),
		pod("restarts-days-ago", "a", "b").on(node).phase(corev1.PodRunning).
			running("a", true).restarts("a", 800, 61*time.Hour).running("b", true).restarts("b", 12, 400*24*time.Hour),

		// Pod-level reasons and deletion.
		pod("evicted", "app").on(node).phase(corev1.PodFailed).reason("Evicted", "The node was low on resource: memory."),
		pod("evicted-with-container", "app").on(node).phase(corev1.PodFailed).reason("Evicted", "The node was low on resource: memory.").
			terminated("app", "ContainerStatusUnknown", 137, 0),
		pod("deadline-exceeded", "app").on(node).phase(corev1.PodFailed).reason("DeadlineExceeded", "Pod was active on the node longer than the specified deadline"),
		pod("node-lost", "app").on(node).phase(corev1.PodRunning).reason("NodeLost", "Node node-a which was running pod node-lost is unresponsive").
			running("app", true).deleted(),
		ready(pod("terminating", "app").on(node).phase(corev1.PodRunning).running("app", true), corev1.ConditionTrue).deleted(),
		pod("terminating-pending", "app").phase(corev1.PodPending).deleted(),
		pod("completed-deleted", "app").on(node).phase(corev1.PodSucceeded).terminated("app", "Completed", 0, 0).deleted(),
		pod("failed-deleted", "app").on(node).phase(corev1.PodFailed).terminated("app", "Error", 2, 0).deleted(),

		// Readiness gates.
		pod("gates-all-true", "app").on(node).phase(corev1.PodRunning).gates("example.com/lb", "example.com/dns").
			running("app", true).cond("example.com/lb", corev1.ConditionTrue, "").cond("example.com/dns", corev1.ConditionTrue, ""),
		pod("gates-partial", "app").on(node).phase(corev1.PodRunning).gates("example.com/lb", "example.com/dns", "example.com/fw").
			running("app", true).cond("example.com/lb", corev1.ConditionTrue, "").cond("example.com/dns", corev1.ConditionFalse, ""),
	}
}

// colCreate writes one case: create, status, delete.
func colCreate(ctx context.Context, client kubernetes.Interface, ns string, c *colCase) error {
	spec := c.pod.DeepCopy()
	spec.Namespace, spec.Status = ns, corev1.PodStatus{}
	pods := client.CoreV1().Pods(ns)
	created, err := pods.Create(ctx, spec, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("creating pod %s: %w", c.pod.Name, err)
	}
	if c.hasStatus {
		st := c.pod.Status.DeepCopy()
		st.QOSClass = created.Status.QOSClass
		created.Status = *st
		if _, err := pods.UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
			return fmt.Errorf("writing status of pod %s: %w", c.pod.Name, err)
		}
	}
	if c.delete {
		if err := pods.Delete(ctx, c.pod.Name, metav1.DeleteOptions{}); err != nil {
			return fmt.Errorf("deleting pod %s: %w", c.pod.Name, err)
		}
	}
	return nil
}

// colServerTable returns the API server's own kubectl columns for the pods in
// ns, with each full pod attached to its row (the Table the API server's
// pkg/printers/internalversion/printers.go printPod builds, as kubectl get shows it).
func colServerTable(ctx context.Context, client kubernetes.Interface, ns string) (*metav1.Table, error) {
	raw, err := client.CoreV1().RESTClient().Get().
		Namespace(ns).Resource("pods").
		SetHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").
		Param("includeObject", "Object").
		DoRaw(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing pods as table: %w", err)
	}
	var t metav1.Table
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("decoding table: %w", err)
	}
	return &t, nil
}

// colColumns are the Table's column names, in the order printPod writes them.
var colColumns = []string{"Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"}

// colOurs lists our cells in colColumns order.
func colOurs(pod *corev1.Pod, now time.Time) []string {
	c := diagnose.KubectlColumns(pod, now)
	return []string{pod.Name, c.Ready, c.Status, c.Restarts, c.Age, c.IP, c.Node, c.NominatedNode, c.ReadinessGates}
}

// colMismatches compares one server row with our cells. The server printed
// Restarts and Age at some instant between before and after, and both cells
// only grow with time, so the server's text must equal ours at one end; every
// other cell must match exactly.
func colMismatches(pod *corev1.Pod, cells []string, before, after time.Time) []string {
	early, late := colOurs(pod, before), colOurs(pod, after)
	var bad []string
	for i, name := range colColumns {
		if cells[i] == early[i] || cells[i] == late[i] {
			continue
		}
		if early[i] == late[i] {
			bad = append(bad, fmt.Sprintf("%s/%s: server %q, ours %q", pod.Name, name, cells[i], early[i]))
		} else {
			bad = append(bad, fmt.Sprintf("%s/%s: server %q, ours %q..%q", pod.Name, name, cells[i], early[i], late[i]))
		}
	}
	return bad
}

// colRow is a Table row as the fixture stores it.
type colRow struct {
	Cells []string    `json:"cells"`
	Pod   *corev1.Pod `json:"pod"`
}

// colFixture is the capture TestColumns writes for the diagnose unit tests.
type colFixture struct {
	ServerVersion string    `json:"serverVersion"`
	Before        time.Time `json:"before"`
	After         time.Time `json:"after"`
	Rows          []colRow  `json:"rows"`
}

// TestColumns proves that diagnose.KubectlColumns prints what the real API
// server prints for `kubectl get pods -o wide`, for every pod state above.
func TestColumns(t *testing.T) {
	cluster := testcluster.Start(t)
	ctx := t.Context()
	client := cluster.Client

	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "columns"}}
	if _, err := client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating namespace: %v", err)
	}
	cases := colCases(time.Now())
	var failed bool
	for _, c := range cases {
		if err := colCreate(ctx, client, ns.Name, c); err != nil {
			t.Error(err)
			failed = true
		}
	}
	if failed {
		t.FailNow()
	}

	before := time.Now()
	table, err := colServerTable(ctx, client, ns.Name)
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}

	var names []string
	for _, d := range table.ColumnDefinitions {
		names = append(names, d.Name)
	}
	if !slices.Equal(names, colColumns) {
		t.Fatalf("server columns = %q, want %q", names, colColumns)
	}

	rows := make([]colRow, 0, len(table.Rows))
	var bad []string
	seen := map[string]bool{}
	for i, row := range table.Rows {
		var pod corev1.Pod
		if err := json.Unmarshal(row.Object.Raw, &pod); err != nil {
			t.Fatalf("row %d: decoding pod: %v", i, err)
		}
		cells := make([]string, len(row.Cells))
		for j, cell := range row.Cells {
			s, ok := cell.(string)
			if !ok {
				t.Fatalf("row %d (%s): cell %d is %T, want string", i, pod.Name, j, cell)
			}
			cells[j] = s
		}
		if len(cells) != len(colColumns) {
			t.Fatalf("row %d (%s): %d cells, want %d", i, pod.Name, len(cells), len(colColumns))
		}
		seen[pod.Name] = true
		bad = append(bad, colMismatches(&pod, cells, before, after)...)
		pod.ManagedFields = nil
		rows = append(rows, colRow{Cells: cells, Pod: &pod})
		t.Logf("%-28s %s", pod.Name, strings.Join(cells[1:], " | "))
	}
	for _, c := range cases {
		if !seen[c.pod.Name] {
			bad = append(bad, fmt.Sprintf("%s: missing from the server's table", c.pod.Name))
		}
	}
	if len(bad) > 0 {
		t.Errorf("%d of %d cells differ from the API server:\n%s", len(bad), len(rows)*len(colColumns), strings.Join(bad, "\n"))
	}

	if os.Getenv(colFixtureEnv) != "" {
		colWriteFixture(t, client, before, after, rows)
	}
}

// colWriteFixture stores the capture for internal/diagnose's replay test.
func colWriteFixture(t *testing.T, client kubernetes.Interface, before, after time.Time, rows []colRow) {
	t.Helper()
	v, err := client.Discovery().ServerVersion()
	if err != nil {
		t.Fatalf("server version: %v", err)
	}
	// A kube-apiserver built from Go modules reports v0.0.0-master; the
	// assets folder (k8s-<version>-etcd-<version>) names the real release.
	assets, err := testcluster.Assets()
	if err != nil {
		t.Fatalf("assets: %v", err)
	}
	version := filepath.Base(filepath.Clean(assets)) + " (/version: " + v.GitVersion + ")"
	b, err := json.MarshalIndent(colFixture{ServerVersion: version, Before: before, After: after, Rows: rows}, "", "  ")
	if err != nil {
		t.Fatalf("encoding fixture: %v", err)
	}
	path, _ := filepath.Abs(colFixturePath)
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatalf("writing fixture: %v", err)
	}
	t.Logf("wrote %s (%d rows, server %s)", path, len(rows), version)
}
