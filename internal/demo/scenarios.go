package demo

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
)

// Each scenario builds one broken pod with the status and events the kubelet
// or scheduler would have written by now. Strings are the ones the kubelet
// and kube-scheduler write (their sources are cited in internal/diagnose/match.go).

func quantityOne() resource.Quantity { return resource.MustParse("1") }

// kubeletEvent is an event the kubelet on node wrote about container of p.
func kubeletEvent(p *corev1.Pod, container, typ, reason, msg string, count int32, first, last time.Time) ev {
	return ev{obj: podRef(p, container), typ: typ, reason: reason, message: msg, component: "kubelet",
		host: p.Spec.NodeName, count: count, first: first, last: last}
}

// startEvents are the events of one (re)start of container: image present, created, started.
func startEvents(p *corev1.Pod, ct corev1.Container, count int32, first, last time.Time) []ev {
	return []ev{
		kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Pulled", fmt.Sprintf("Container image %q already present on machine", ct.Image), count, first, last),
		kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Created", "Created container: "+ct.Name, count, first, last),
		kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Started", "Started container "+ct.Name, count, first, last),
	}
}

// crashLooping is a pod whose container exits and is in CrashLoopBackOff:
// lastState terminated with reason/exit code/message, restarts restarts so far.
func (c *Cluster) crashLooping(objs *[]runtime.Object, ns string, o owner, node string, created, now time.Time,
	ct corev1.Container, restarts int32, reason string, exitCode int32, msg string) *corev1.Pod {
	p := c.newPod(ns, o, 0, created, ct)
	c.bind(p, node, created)
	p.Status.Phase = corev1.PodRunning
	finished := now.Add(-20 * time.Second)
	cs := waiting(ct, "CrashLoopBackOff", crashLoopMessage(p, ct.Name, backOff(restarts)), restarts)
	cs.ImageID = c.imageID(ct.Image)
	cs.LastTerminationState.Terminated = terminated(reason, exitCode, msg, finished.Add(-14*time.Second), finished, c.containerID())
	p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	setConditions(p, finished, true, []string{ct.Name}, "ContainersNotReady")
	for _, e := range startEvents(p, ct, restarts+1, created.Add(5*time.Second), finished.Add(-14*time.Second)) {
		c.record(objs, e)
	}
	c.record(objs, kubeletEvent(p, ct.Name, corev1.EventTypeWarning, "BackOff",
		fmt.Sprintf("Back-off restarting failed container %s in pod %s_%s(%s)", ct.Name, p.Name, p.Namespace, p.UID),
		restarts*4+3, created.Add(time.Minute), now.Add(-5*time.Second)))
	return p
}

// imagePullFailing is p stuck in ImagePullBackOff on node after attempts
// failed pulls whose runtime error is pullErr.
func (c *Cluster) imagePullFailing(objs *[]runtime.Object, p *corev1.Pod, node string, now time.Time, pullErr string, attempts int32) *corev1.Pod {
	created := p.CreationTimestamp.Time
	c.bind(p, node, created)
	ct := p.Spec.Containers[0]
	p.Status.ContainerStatuses = []corev1.ContainerStatus{waiting(ct, "ImagePullBackOff", fmt.Sprintf("Back-off pulling image %q", ct.Image), 0)}
	setConditions(p, created, true, []string{ct.Name}, "ContainersNotReady")
	c.scheduledEvent(objs, p, created)
	first, last := created.Add(time.Second), now.Add(-30*time.Second)
	for _, e := range []ev{
		kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Pulling", fmt.Sprintf("Pulling image %q", ct.Image), attempts, first, last),
		kubeletEvent(p, ct.Name, corev1.EventTypeWarning, "Failed", fmt.Sprintf("Failed to pull image %q: %s", ct.Image, pullErr), attempts, first, last),
		kubeletEvent(p, ct.Name, corev1.EventTypeWarning, "Failed", "Error: ErrImagePull", attempts, first, last),
		kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "BackOff", fmt.Sprintf("Back-off pulling image %q", ct.Image), attempts*4, first.Add(time.Second), now.Add(-10*time.Second)),
		kubeletEvent(p, ct.Name, corev1.EventTypeWarning, "Failed", "Error: ImagePullBackOff", attempts*4, first.Add(time.Second), now.Add(-10*time.Second)),
	} {
		c.record(objs, e)
	}
	return p
}

func (c *Cluster) scheduledEvent(objs *[]runtime.Object, p *corev1.Pod, at time.Time) {
	c.record(objs, ev{obj: podRef(p, ""), typ: corev1.EventTypeNormal, reason: "Scheduled",
		message:   fmt.Sprintf("Successfully assigned %s/%s to %s", p.Namespace, p.Name, p.Spec.NodeName),
		component: "default-scheduler", first: at})
}

// ledgerSecretError is the kubelet's message for a missing Secret key
// (pkg/kubelet/kubelet_pods.go, makeEnvironmentVariables).
const ledgerSecretError = "couldn't find key DB_PASSWORD in Secret payments/ledger-db"

// configError is a ledger pod in CreateContainerConfigError: its env
// references a Secret key that does not exist.
func (c *Cluster) configError(objs *[]runtime.Object, o owner, created, now time.Time, attempts int32) *corev1.Pod {
	ct := container("ledger", imgLedger, 8080, quantities("200m", "256Mi"), quantities("", "512Mi"))
	ct.Env = []corev1.EnvVar{
		{Name: "DB_HOST", Value: "postgres.data.svc"},
		{Name: "DB_PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: "ledger-db"}, Key: "DB_PASSWORD"}}},
	}
	p := c.newPod("payments", o, 0, created, ct)
	c.bind(p, worker2, created)
	cs := waiting(ct, "CreateContainerConfigError", ledgerSecretError, 0)
	p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	setConditions(p, created, true, []string{ct.Name}, "ContainersNotReady")
	c.scheduledEvent(objs, p, created)
	first, last := created.Add(2*time.Second), now.Add(-12*time.Second)
	if attempts <= 1 {
		last = first
	}
	c.record(objs, kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Pulled", fmt.Sprintf("Container image %q already present on machine", ct.Image), attempts, first, last))
	c.record(objs, kubeletEvent(p, ct.Name, corev1.EventTypeWarning, "Failed", "Error: "+ledgerSecretError, attempts, first, last))
	return p
}

// initFailing is a payments-worker pod whose init container (a database
// migration) exits 1 over and over: Init:CrashLoopBackOff.
func (c *Cluster) initFailing(objs *[]runtime.Object, now time.Time) *corev1.Pod {
	created := now.Add(-18 * time.Minute)
	initCt := container("migrate", imgMigrate, 0, quantities("100m", "128Mi"), quantities("", "256Mi"))
	initCt.Args = []string{"migrate", "up", "--database-url=$(DATABASE_URL)"}
	initCt.Env = []corev1.EnvVar{{Name: "DATABASE_URL", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: "payments-db"}, Key: "url"}}}}
	main := container("worker", imgWorker, 8080, quantities("250m", "256Mi"), quantities("", "512Mi"))
	p := c.newPod("payments", c.replicaSet("payments-worker", "6d9f7c8b5"), 0, created, main)
	p.Spec.InitContainers = []corev1.Container{initCt}
	c.bind(p, worker1, created)
	const restarts = 7
	finished := now.Add(-70 * time.Second)
	ics := waiting(initCt, "CrashLoopBackOff", crashLoopMessage(p, initCt.Name, backOff(restarts)), restarts)
	ics.ImageID = c.imageID(initCt.Image)
	ics.LastTerminationState.Terminated = terminated("Error", 1,
		`migration 0042_add_settlement_index failed: pq: relation "settlements" does not exist`,
		finished.Add(-3*time.Second), finished, c.containerID())
	p.Status.InitContainerStatuses = []corev1.ContainerStatus{ics}
	p.Status.ContainerStatuses = []corev1.ContainerStatus{waiting(main, "PodInitializing", "", 0)}
	setConditions(p, created, false, []string{main.Name}, "ContainersNotReady")
	c.scheduledEvent(objs, p, created)
	for _, e := range startEvents(p, initCt, restarts+1, created.Add(3*time.Second), finished.Add(-3*time.Second)) {
		c.record(objs, e)
	}
	c.record(objs, kubeletEvent(p, initCt.Name, corev1.EventTypeWarning, "BackOff",
		fmt.Sprintf("Back-off restarting failed container %s in pod %s_%s(%s)", initCt.Name, p.Name, p.Namespace, p.UID),
		31, created.Add(40*time.Second), now.Add(-15*time.Second)))
	return p
}

// unschedulableMessage is the scheduler's FitError for a 3-CPU kafka broker
// on the demo's nodes (pkg/scheduler/framework/types.go, FitError.Error): two workers are full, the other three
// carry taints the pod does not tolerate (not-ready, disk-pressure, dedicated=gpu).
const unschedulableMessage = "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint(s). " +
	"preemption: 0/5 nodes are available: 2 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling."

// unschedulable is kafka-2, Pending: no node fits it.
func (c *Cluster) unschedulable(objs *[]runtime.Object, o owner, ct corev1.Container, now time.Time) *corev1.Pod {
	created := now.Add(-3 * time.Hour)
	p := c.newPod("data", o, 2, created, ct)
	p.Status.Conditions = []corev1.PodCondition{{
		Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
		Message: unschedulableMessage, LastTransitionTime: ts(created),
	}}
	c.record(objs, ev{obj: podRef(p, ""), typ: corev1.EventTypeWarning, reason: "FailedScheduling", message: unschedulableMessage,
		component: "default-scheduler", count: 37, first: created, last: now.Add(-4 * time.Minute)})
	return p
}

// evictionMessage is the kubelet eviction manager's message (pkg/kubelet/eviction/helpers.go,
// evictionMessage).
const evictionMessage = "The node was low on resource: ephemeral-storage. Threshold quantity: 8387754655, available: 7643204Ki. " +
	"Container etl was using 21474836Ki, request is 0, has larger consumption of ephemeral-storage. "

// evicted is an etl-worker pod the kubelet evicted from worker-4 under disk pressure.
func (c *Cluster) evicted(objs *[]runtime.Object, o owner, ct corev1.Container, now time.Time) *corev1.Pod {
	created := now.Add(-5 * time.Hour)
	at := now.Add(-31 * time.Minute)
	p := c.newPod("data", o, 0, created, ct)
	c.bind(p, worker4, created)
	p.Status.Phase = corev1.PodFailed
	p.Status.Reason = "Evicted"
	p.Status.Message = evictionMessage
	p.Status.PodIP, p.Status.PodIPs = "", nil
	cs := corev1.ContainerStatus{
		Name: ct.Name, Image: ct.Image, ImageID: c.imageID(ct.Image), ContainerID: c.containerID(), Started: ptr(false),
		State: corev1.ContainerState{Terminated: terminated("Error", 137, "", created.Add(10*time.Second), at.Add(30*time.Second), "")},
	}
	p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	setConditions(p, at, true, []string{ct.Name}, "PodFailed")
	p.Status.Conditions = append([]corev1.PodCondition{{
		Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue, Reason: "TerminationByKubelet",
		Message: evictionMessage, LastTransitionTime: ts(at),
	}}, p.Status.Conditions...)
	c.record(objs, kubeletEvent(p, "", corev1.EventTypeWarning, "Evicted", evictionMessage, 1, at, at))
	c.record(objs, kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Killing", "Stopping container "+ct.Name, 1, at, at))
	return p
}

// completedJob is last night's report Job pod, Succeeded.
func (c *Cluster) completedJob(objs *[]runtime.Object, now time.Time) *corev1.Pod {
	y, m, d := now.Date()
	scheduled := time.Date(y, m, d, 2, 0, 0, 0, time.UTC)
	if scheduled.After(now) {
		scheduled = scheduled.AddDate(0, 0, -1)
	}
	ct := container("report", imgReport, 0, quantities("200m", "256Mi"), quantities("", "512Mi"))
	p := c.newPod("data", c.job("nightly-report", scheduled), 0, scheduled, ct)
	c.bind(p, worker2, scheduled)
	done := scheduled.Add(4*time.Minute + 12*time.Second)
	p.Status.Phase = corev1.PodSucceeded
	p.Status.ContainerStatuses = []corev1.ContainerStatus{{
		Name: ct.Name, Image: ct.Image, ImageID: c.imageID(ct.Image), ContainerID: c.containerID(), Started: ptr(false),
		State: corev1.ContainerState{Terminated: terminated("Completed", 0, "", scheduled.Add(3*time.Second), done, "")},
	}}
	setConditions(p, done, true, []string{ct.Name}, "PodCompleted")
	p.Status.Conditions[0].Status = corev1.ConditionFalse // sandbox torn down
	c.scheduledEvent(objs, p, scheduled)
	for _, e := range startEvents(p, ct, 1, scheduled.Add(2*time.Second), scheduled.Add(2*time.Second)) {
		c.record(objs, e)
	}
	return p
}
