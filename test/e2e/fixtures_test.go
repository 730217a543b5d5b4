package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
)

// The API server has no scheduler, kubelet or controllers: the tests write
// each pod's status through the status subresource, as a kubelet would.

// longAgo is far enough back that kubectl's "(3d ago)" restart cell does not
// change while a test runs (it changes once an hour).
var longAgo = metav1.NewTime(time.Now().Add(-72*time.Hour - 10*time.Minute).Truncate(time.Second))

func ctxFor(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func createNamespace(t testing.TB, c kubernetes.Interface, name string) {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if _, err := c.CoreV1().Namespaces().Create(ctxFor(t), ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating namespace %s: %v", name, err)
	}
}

// podBuilder describes a pod to create and the status to write after.
type podBuilder struct {
	pod    *corev1.Pod
	status func(*corev1.Pod)
}

// newPod is a pod with one container "app" on node, with labels.
func newPod(ns, name, node string, labels map[string]string) podBuilder {
	no := false
	return podBuilder{pod: &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec: corev1.PodSpec{
			NodeName:                     node,
			AutomountServiceAccountToken: &no,
			Containers: []corev1.Container{{
				Name:  "app",
				Image: "registry.example/shop/" + name + ":1.4.2",
			}},
		},
	}}
}

// withStatus sets the status writer.
func (b podBuilder) withStatus(f func(*corev1.Pod)) podBuilder {
	b.status = f
	return b
}

// with edits the pod before it is created.
func (b podBuilder) with(f func(*corev1.Pod)) podBuilder {
	f(b.pod)
	return b
}

// create creates the pod and writes its status; it returns the stored pod.
func (b podBuilder) create(t testing.TB, c kubernetes.Interface) *corev1.Pod {
	t.Helper()
	ctx := ctxFor(t)
	pod, err := c.CoreV1().Pods(b.pod.Namespace).Create(ctx, b.pod, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating pod %s/%s: %v", b.pod.Namespace, b.pod.Name, err)
	}
	if b.status != nil {
		pod = setStatus(t, c, pod.Namespace, pod.Name, b.status)
	}
	return pod
}

// setStatus rewrites a pod's status through the status subresource, retrying
// on conflicts.
func setStatus(t testing.TB, c kubernetes.Interface, ns, name string, f func(*corev1.Pod)) *corev1.Pod {
	t.Helper()
	ctx := ctxFor(t)
	var out *corev1.Pod
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		pod, err := c.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		f(pod)
		out, err = c.CoreV1().Pods(ns).UpdateStatus(ctx, pod, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		t.Fatalf("updating status of pod %s/%s: %v", ns, name, err)
	}
	return out
}

func deletePod(t testing.TB, c kubernetes.Interface, ns, name string) {
	t.Helper()
	zero := int64(0)
	err := c.CoreV1().Pods(ns).Delete(ctxFor(t), name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
	if err != nil && !apierrors.IsNotFound(err) {
		t.Fatalf("deleting pod %s/%s: %v", ns, name, err)
	}
}

// scheduled fills what the scheduler and kubelet write for a pod on a node.
func scheduled(p *corev1.Pod, ip string, ready bool) {
	start := metav1.NewTime(p.CreationTimestamp.Time)
	p.Status.HostIP = "10.0.0.1"
	p.Status.HostIPs = []corev1.HostIP{{IP: "10.0.0.1"}}
	p.Status.PodIP = ip
	p.Status.PodIPs = []corev1.PodIP{{IP: ip}}
	p.Status.StartTime = &start
	readyStatus := corev1.ConditionFalse
	if ready {
		readyStatus = corev1.ConditionTrue
	}
	p.Status.Conditions = []corev1.PodCondition{
		{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: start},
		{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, LastTransitionTime: start},
		{Type: corev1.ContainersReady, Status: readyStatus, LastTransitionTime: start},
		{Type: corev1.PodReady, Status: readyStatus, LastTransitionTime: start},
	}
}

func containerStatus(p *corev1.Pod) corev1.ContainerStatus {
	c := p.Spec.Containers[0]
	return corev1.ContainerStatus{Name: c.Name, Image: c.Image, ImageID: "", ContainerID: "containerd://0123456789abcdef"}
}

// running: phase Running, the container started and ready.
func running(ip string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		scheduled(p, ip, true)
		p.Status.Phase = corev1.PodRunning
		cs := containerStatus(p)
		cs.Ready = true
		started := true
		cs.Started = &started
		cs.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(p.CreationTimestamp.Time)}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	}
}

// crashLoop: the container exited with exitCode and reason (Error, OOMKilled)
// restarts times and the kubelet is backing off.
func crashLoop(ip string, restarts, exitCode int32, reason, terminationMessage string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		scheduled(p, ip, false)
		p.Status.Phase = corev1.PodRunning
		cs := containerStatus(p)
		cs.RestartCount = restarts
		cs.State.Waiting = &corev1.ContainerStateWaiting{
			Reason:  "CrashLoopBackOff",
			Message: fmt.Sprintf("back-off 5m0s restarting failed container=%s pod=%s_%s(uid)", cs.Name, p.Name, p.Namespace),
		}
		cs.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{
			ExitCode:    exitCode,
			Reason:      reason,
			Message:     terminationMessage,
			StartedAt:   metav1.NewTime(longAgo.Add(-30 * time.Second)),
			FinishedAt:  longAgo,
			ContainerID: cs.ContainerID,
		}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	}
}

// imagePullBackOff: the image cannot be pulled.
func imagePullBackOff(p *corev1.Pod) {
	scheduled(p, "", false)
	p.Status.PodIP, p.Status.PodIPs = "", nil
	p.Status.Phase = corev1.PodPending
	cs := containerStatus(p)
	cs.ContainerID = ""
	cs.State.Waiting = &corev1.ContainerStateWaiting{
		Reason:  "ImagePullBackOff",
		Message: fmt.Sprintf("Back-off pulling image %q", cs.Image),
	}
	p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
}

// unschedulable: no node fits; nodeName must be empty.
func unschedulable(p *corev1.Pod) {
	p.Status.Phase = corev1.PodPending
	p.Status.Conditions = []corev1.PodCondition{{
		Type:               corev1.PodScheduled,
		Status:             corev1.ConditionFalse,
		Reason:             "Unschedulable",
		Message:            "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
		LastTransitionTime: metav1.NewTime(p.CreationTimestamp.Time),
	}}
}

// completed: a job pod whose container exited 0.
func completed(ip string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		scheduled(p, ip, false)
		p.Status.Phase = corev1.PodSucceeded
		cs := containerStatus(p)
		cs.State.Terminated = &corev1.ContainerStateTerminated{
			ExitCode: 0, Reason: "Completed",
			StartedAt: metav1.NewTime(longAgo.Add(-time.Minute)), FinishedAt: longAgo,
			ContainerID: cs.ContainerID,
		}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	}
}

// evicted: the kubelet evicted the pod under memory pressure.
func evicted(p *corev1.Pod) {
	p.Status.Phase = corev1.PodFailed
	p.Status.Reason = "Evicted"
	p.Status.Message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container app was using 1500Mi, request is 256Mi, has larger consumption of memory."
	p.Status.HostIP = "10.0.0.1"
	p.Status.HostIPs = []corev1.HostIP{{IP: "10.0.0.1"}}
}

// pullFailed writes the kubelet's "Failed to pull image" event for a pod
// whose image does not exist, which tells a missing image from a flaky registry.
func pullFailed(t testing.TB, c kubernetes.Interface, pod *corev1.Pod) {
	t.Helper()
	img := pod.Spec.Containers[0].Image
	createEvent(t, c, pod, corev1.EventTypeWarning, "Failed", fmt.Sprintf(
		"Failed to pull image %[1]q: rpc error: code = NotFound desc = failed to pull and unpack image %[1]q: failed to resolve reference %[1]q: %[1]s: not found", img), 4)
}

func createEvent(t testing.TB, c kubernetes.Interface, pod *corev1.Pod, typ, reason, message string, count int32) {
	t.Helper()
	now := metav1.Now()
	ev := &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Namespace: pod.Namespace, GenerateName: pod.Name + "."},
		InvolvedObject: corev1.ObjectReference{
			Kind: "Pod", APIVersion: "v1", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID,
			FieldPath: "spec.containers{app}",
		},
		Type: typ, Reason: reason, Message: message, Count: count,
		FirstTimestamp: metav1.NewTime(now.Add(-10 * time.Minute)), LastTimestamp: now,
		Source: corev1.EventSource{Component: "kubelet", Host: pod.Spec.NodeName},
	}
	if _, err := c.CoreV1().Events(pod.Namespace).Create(ctxFor(t), ev, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating event for %s/%s: %v", pod.Namespace, pod.Name, err)
	}
}

// createNode creates a node and writes its conditions (heartbeat now unless
// set), a kubelet's node info and capacity, and the taints the node
// lifecycle controller would set for those conditions.
func createNode(t testing.TB, c kubernetes.Interface, name string, conditions ...corev1.NodeCondition) *corev1.Node {
	t.Helper()
	ctx := ctxFor(t)
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
		"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type": "m6i.large",
	}}}
	node, err := c.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating node %s: %v", name, err)
	}
	now := metav1.Now()
	var taints []corev1.Taint
	for i, cond := range conditions {
		if cond.LastHeartbeatTime.IsZero() {
			conditions[i].LastHeartbeatTime = now
		}
		conditions[i].LastTransitionTime = conditions[i].LastHeartbeatTime
		switch {
		case cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionUnknown:
			taints = append(taints,
				corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoSchedule},
				corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute, TimeAdded: &now})
		case cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionFalse:
			taints = append(taints,
				corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule},
				corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute, TimeAdded: &now})
		case cond.Type == corev1.NodeMemoryPressure && cond.Status == corev1.ConditionTrue:
			taints = append(taints, corev1.Taint{Key: corev1.TaintNodeMemoryPressure, Effect: corev1.TaintEffectNoSchedule})
		}
	}
	capacity := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourceMemory: resource.MustParse("8Gi"), corev1.ResourcePods: resource.MustParse("110"),
	}
	node.Status.Conditions = conditions
	node.Status.Capacity, node.Status.Allocatable = capacity, capacity
	node.Status.NodeInfo = corev1.NodeSystemInfo{KubeletVersion: "v1.37.2", ContainerRuntimeVersion: "containerd://2.1.4", OperatingSystem: "linux", Architecture: "amd64"}
	node.Status.Addresses = []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.0.1"}}
	node, err = c.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{})
	if err != nil {
		t.Fatalf("writing status of node %s: %v", name, err)
	}
	// The API server's admission adds node.kubernetes.io/not-ready on
	// create; replace it with what the conditions call for.
	node.Spec.Taints = taints
	node, err = c.CoreV1().Nodes().Update(ctx, node, metav1.UpdateOptions{})
	if err != nil {
		t.Fatalf("writing taints of node %s: %v", name, err)
	}
	return node
}

func nodeReady(status corev1.ConditionStatus, reason, message string) corev1.NodeCondition {
	return corev1.NodeCondition{Type: corev1.NodeReady, Status: status, Reason: reason, Message: message}
}

// tableRow is the kubectl columns the API server's own printer computes.
type tableRow struct {
	Status, Ready, Restarts, Node, IP string
}

// serverTable asks the API server for its Table of the pods in ns: the exact
// cells `kubectl get pods -o wide` prints.
func serverTable(t testing.TB, c kubernetes.Interface, ns string) map[string]tableRow {
	t.Helper()
	raw, err := c.CoreV1().RESTClient().Get().Namespace(ns).Resource("pods").
		SetHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").Do(ctxFor(t)).Raw()
	if err != nil {
		t.Fatalf("getting the API server's pod table: %v", err)
	}
	var table metav1.Table
	if err := json.Unmarshal(raw, &table); err != nil {
		t.Fatalf("decoding the API server's pod table: %v", err)
	}
	col := map[string]int{}
	for i, d := range table.ColumnDefinitions {
		col[d.Name] = i
	}
	for _, name := range []string{"Name", "Ready", "Status", "Restarts", "IP", "Node"} {
		if _, ok := col[name]; !ok {
			t.Fatalf("the API server's pod table has no %q column: %+v", name, table.ColumnDefinitions)
		}
	}
	rows := map[string]tableRow{}
	for _, r := range table.Rows {
		cell := func(name string) string { return fmt.Sprint(r.Cells[col[name]]) }
		rows[cell("Name")] = tableRow{
			Status: cell("Status"), Ready: cell("Ready"), Restarts: cell("Restarts"), Node: cell("Node"), IP: cell("IP"),
		}
	}
	return rows
}
