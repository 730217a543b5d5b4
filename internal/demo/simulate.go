package demo

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Step makes one round of changes, as a live cluster would between two
// looks: crash loops restart and back off, image pulls retry, probes fail
// again, the frontend Deployment rolls one pod at a time, and now and then
// someone deletes the broken ledger pod and its ReplicaSet recreates it.
// Errors go to Options.OnError. Safe to call from several goroutines.
func (c *Cluster) Step(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.steps.Add(1)
	now := c.now().UTC().Truncate(time.Second)

	c.cycleCrash(ctx, c.state.cartCrash, "Error", 1, cartCrashMessage, now)
	switch n % 4 {
	case 1:
		c.probeFails(ctx, c.state.recommender, now)
		c.cyclePull(ctx, c.state.checkout, pullNotFound(imgCheckout), now)
	case 2:
		c.stepRollout(ctx, now)
	case 3:
		c.cycleCrash(ctx, c.state.apiOOM, "OOMKilled", 137, "", now)
		c.probeFails(ctx, c.state.recommender, now)
	case 0:
		c.cyclePull(ctx, c.state.fraud, pullUnauthorized(imgFraud), now)
		if n%12 == 0 {
			c.recreateLedger(ctx, now)
		}
	}
	// The fake clientset records every action; forget them so a long demo
	// does not grow without bound.
	c.client.ClearActions()
}

func (c *Cluster) getPod(ctx context.Context, k objectKey) (*corev1.Pod, bool) {
	p, err := c.client.CoreV1().Pods(k.namespace).Get(ctx, k.name, metav1.GetOptions{})
	if err != nil {
		c.report(fmt.Errorf("demo: getting pod %s/%s: %w", k.namespace, k.name, err))
		return nil, false
	}
	return p, true
}

func (c *Cluster) updateStatus(ctx context.Context, p *corev1.Pod) {
	_, err := c.client.CoreV1().Pods(p.Namespace).UpdateStatus(ctx, p, metav1.UpdateOptions{})
	if err != nil {
		c.report(fmt.Errorf("demo: updating pod %s/%s: %w", p.Namespace, p.Name, err))
	}
}

// cycleCrash moves a crash-looping container one state on, as the kubelet
// reports it: CrashLoopBackOff → Running (restart) → Terminated → CrashLoopBackOff
// with a longer back-off.
func (c *Cluster) cycleCrash(ctx context.Context, k objectKey, reason string, code int32, msg string, now time.Time) {
	p, ok := c.getPod(ctx, k)
	if !ok || len(p.Status.ContainerStatuses) == 0 {
		return
	}
	ct := p.Spec.Containers[0]
	cs := &p.Status.ContainerStatuses[0]
	switch {
	case cs.State.Waiting != nil: // back-off over: restart
		cs.RestartCount++
		cs.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: ts(now)}}
		cs.ContainerID = c.containerID()
		cs.Started = ptr(true)
		for _, e := range startEvents(p, ct, 1, now, now) {
			c.emit(ctx, e)
		}
	case cs.State.Running != nil: // it crashes again
		cs.State = corev1.ContainerState{Terminated: terminated(reason, code, msg, cs.State.Running.StartedAt.Time, now, cs.ContainerID)}
		cs.Started = ptr(false)
	case cs.State.Terminated != nil: // the kubelet backs off
		cs.LastTerminationState = corev1.ContainerState{Terminated: cs.State.Terminated}
		cs.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason: "CrashLoopBackOff", Message: crashLoopMessage(p, ct.Name, backOff(cs.RestartCount)),
		}}
		c.emit(ctx, kubeletEvent(p, ct.Name, corev1.EventTypeWarning, "BackOff",
			fmt.Sprintf("Back-off restarting failed container %s in pod %s_%s(%s)", ct.Name, p.Name, p.Namespace, p.UID), 1, now, now))
	}
	c.updateStatus(ctx, p)
}

// cyclePull alternates a failing image pull between ErrImagePull (a new
// attempt) and ImagePullBackOff, with the kubelet's events.
func (c *Cluster) cyclePull(ctx context.Context, k objectKey, pullErr string, now time.Time) {
	p, ok := c.getPod(ctx, k)
	if !ok || len(p.Status.ContainerStatuses) == 0 {
		return
	}
	ct := p.Spec.Containers[0]
	cs := &p.Status.ContainerStatuses[0]
	event := func(typ, reason, msg string) {
		c.emit(ctx, kubeletEvent(p, ct.Name, typ, reason, msg, 1, now, now))
	}
	if cs.State.Waiting != nil && cs.State.Waiting.Reason == "ImagePullBackOff" {
		cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: "ErrImagePull", Message: pullErr}
		event(corev1.EventTypeNormal, "Pulling", fmt.Sprintf("Pulling image %q", ct.Image))
		event(corev1.EventTypeWarning, "Failed", fmt.Sprintf("Failed to pull image %q: %s", ct.Image, pullErr))
		event(corev1.EventTypeWarning, "Failed", "Error: ErrImagePull")
	} else {
		cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: fmt.Sprintf("Back-off pulling image %q", ct.Image)}
		event(corev1.EventTypeNormal, "BackOff", fmt.Sprintf("Back-off pulling image %q", ct.Image))
		event(corev1.EventTypeWarning, "Failed", "Error: ImagePullBackOff")
	}
	c.updateStatus(ctx, p)
}

// probeFails records one more failed readiness probe.
func (c *Cluster) probeFails(ctx context.Context, k objectKey, now time.Time) {
	p, ok := c.getPod(ctx, k)
	if !ok {
		return
	}
	c.emit(ctx, kubeletEvent(p, p.Spec.Containers[0].Name, corev1.EventTypeWarning, "Unhealthy",
		"Readiness probe failed: HTTP probe failed with statuscode: 503", 1, now, now))
}

// stepRollout moves the frontend rollout one stage: a new pod is scheduled
// (ContainerCreating), then runs (not ready yet), then is ready and the
// oldest old pod is deleted.
func (c *Cluster) stepRollout(ctx context.Context, now time.Time) {
	pods := c.client.CoreV1().Pods("shop")
	switch c.state.rolloutStage {
	case 0:
		ct := container("frontend", imgFrontend, 8080, quantities("200m", "256Mi"), quantities("", "512Mi"))
		ct.Env = []corev1.EnvVar{{Name: "CART_URL", Value: "http://cart.shop.svc:8080"}, {Name: "LOG_LEVEL", Value: "info"}}
		p := c.newPod("shop", c.state.frontendOwner, 0, now, ct)
		c.bind(p, []string{worker1, worker2}[c.rng.IntN(2)], now)
		p.Status.ContainerStatuses = []corev1.ContainerStatus{waiting(ct, "ContainerCreating", "", 0)}
		setConditions(p, now, true, []string{ct.Name}, "ContainersNotReady")
		p.Status.Conditions[0].Status = corev1.ConditionFalse // sandbox not ready yet
		if _, err := pods.Create(ctx, p, metav1.CreateOptions{}); err != nil {
			c.report(fmt.Errorf("demo: creating pod: %w", err))
			return
		}
		c.emit(ctx, ev{obj: podRef(p, ""), typ: corev1.EventTypeNormal, reason: "Scheduled",
			message:   fmt.Sprintf("Successfully assigned %s/%s to %s", p.Namespace, p.Name, p.Spec.NodeName),
			component: "default-scheduler", first: now, last: now})
		c.emit(ctx, kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Pulling", fmt.Sprintf("Pulling image %q", ct.Image), 1, now, now))
		c.state.rollout = objectKey{p.Namespace, p.Name}
	case 1:
		p, ok := c.getPod(ctx, c.state.rollout)
		if !ok {
			break
		}
		ct := p.Spec.Containers[0]
		c.makeRunning(p, now)
		p.Status.ContainerStatuses[0].Ready = false
		setConditions(p, now, true, []string{ct.Name}, "ContainersNotReady")
		c.updateStatus(ctx, p)
		c.emit(ctx, kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Pulled",
			fmt.Sprintf("Successfully pulled image %q in 2.481s (2.481s including waiting). Image size: 48213876 bytes.", ct.Image), 1, now, now))
		c.emit(ctx, kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Created", "Created container: "+ct.Name, 1, now, now))
		c.emit(ctx, kubeletEvent(p, ct.Name, corev1.EventTypeNormal, "Started", "Started container "+ct.Name, 1, now, now))
	case 2:
		if p, ok := c.getPod(ctx, c.state.rollout); ok {
			p.Status.ContainerStatuses[0].Ready = true
			setConditions(p, now, true, nil, "")
			c.updateStatus(ctx, p)
		}
		old := c.state.frontend[0]
		if p, ok := c.getPod(ctx, old); ok {
			c.emit(ctx, kubeletEvent(p, p.Spec.Containers[0].Name, corev1.EventTypeNormal, "Killing",
				"Stopping container "+p.Spec.Containers[0].Name, 1, now, now))
			if err := pods.Delete(ctx, old.name, metav1.DeleteOptions{}); err != nil {
				c.report(fmt.Errorf("demo: deleting pod: %w", err))
			}
		}
		c.state.frontend = append(c.state.frontend[1:], c.state.rollout)
		c.state.rollout = objectKey{}
		if c.rolledOut() {
			c.state.frontendOwner = c.replicaSet("frontend", c.suffix(10))
		}
	}
	c.state.rolloutStage = (c.state.rolloutStage + 1) % 3
}

// rolledOut reports whether every frontend pod comes from the current ReplicaSet.
func (c *Cluster) rolledOut() bool {
	for _, k := range c.state.frontend {
		if len(k.name) < len(c.state.frontendOwner.name) || k.name[:len(c.state.frontendOwner.name)] != c.state.frontendOwner.name {
			return false
		}
	}
	return true
}

// recreateLedger deletes the broken ledger pod, as someone hoping a restart
// helps would; its ReplicaSet creates a new one that fails the same way.
func (c *Cluster) recreateLedger(ctx context.Context, now time.Time) {
	old := c.state.ledger
	if err := c.client.CoreV1().Pods(old.namespace).Delete(ctx, old.name, metav1.DeleteOptions{}); err != nil {
		c.report(fmt.Errorf("demo: deleting pod: %w", err))
	}
	var objs []runtime.Object
	p := c.configError(&objs, c.state.ledgerOwner, now, now, 1)
	c.state.ledger = objectKey{p.Namespace, p.Name}
	if _, err := c.client.CoreV1().Pods(p.Namespace).Create(ctx, p, metav1.CreateOptions{}); err != nil {
		c.report(fmt.Errorf("demo: creating pod: %w", err))
	}
	for _, o := range objs {
		if e, ok := o.(*corev1.Event); ok {
			if _, err := c.client.CoreV1().Events(e.Namespace).Create(ctx, e, metav1.CreateOptions{}); err != nil {
				c.report(fmt.Errorf("demo: creating event: %w", err))
			}
		}
	}
}
