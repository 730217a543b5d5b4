package main

import (
	"context"
	"time"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/informers"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"
)

// Some verdicts change with time alone: a pod stuck terminating, an
// unschedulable pod going from Info to Warning to Critical, a container
// creating for too long, an image pull that drags on. Nothing in the
// cluster changes then, so no informer event re-diagnoses the pod. The ager
// hands such pods to the publisher's aging queue on a timer; that queue is
// worked only while the change queue is empty, so a full pass over a large
// cluster never delays real changes, and the publisher pushes only rows that
// render differently.
const (
	// agingEvery re-diagnoses the pods whose verdict may age: not OK, or
	// in a transient state.
	agingEvery = 15 * time.Second
	// agingFullEvery re-diagnoses every pod, for the rules whose clock
	// starts on a healthy-looking pod (a container running too long in
	// init, a ready pod whose events turn old).
	agingFullEvery = 2 * time.Minute
)

// ager re-enqueues pods whose diagnosis may have aged.
type ager struct {
	store informers.Store
	pub   *Publisher
	// enqueue adds a key to the publisher's aging queue (Publisher.Age).
	enqueue func(cache.ObjectName)
	// fullEvery is how many ticks apart every pod is re-enqueued.
	fullEvery int
}

// newAger builds an ager ticking every agingEvery, re-enqueuing every pod
// every agingFullEvery.
func newAger(store informers.Store, pub *Publisher, enqueue func(cache.ObjectName)) *ager {
	return &ager{store: store, pub: pub, enqueue: enqueue, fullEvery: int(agingFullEvery / agingEvery)}
}

// run ticks until ctx ends. ticks is injected so tests drive the clock.
func (a *ager) run(ctx context.Context, ticks <-chan time.Time) {
	n := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			n++
			a.tick(a.fullEvery > 0 && n%a.fullEvery == 0)
		}
	}
}

// tick enqueues the pods that may have aged (every pod when all) and
// returns how many it enqueued.
func (a *ager) tick(all bool) int {
	notOK := a.pub.notOKKeys()
	n := 0
	for _, pod := range a.store.Pods("") {
		key := cache.ObjectName{Namespace: pod.Namespace, Name: pod.Name}
		if all || notOK[key] || transient(pod) {
			a.enqueue(key)
			n++
		}
	}
	return n
}

// transient reports whether the pod is in a state that a diagnosis judges
// by how long it lasts: being deleted, pending, or a container waiting.
func transient(pod *corev1.Pod) bool {
	if pod.DeletionTimestamp != nil || pod.Status.Phase == corev1.PodPending || pod.Status.Phase == "" {
		return true
	}
	for _, statuses := range [][]corev1.ContainerStatus{pod.Status.InitContainerStatuses, pod.Status.ContainerStatuses} {
		for _, s := range statuses {
			if s.State.Waiting != nil {
				return true
			}
		}
	}
	return false
}

// notOKKeys returns the pods whose last diagnosis was not OK.
func (p *Publisher) notOKKeys() map[cache.ObjectName]bool {
	p.entriesMu.RLock()
	defer p.entriesMu.RUnlock()
	out := map[cache.ObjectName]bool{}
	for _, s := range []diagnose.Severity{diagnose.Info, diagnose.Warning, diagnose.Critical} {
		p.entries.bySeverity[s].Ascend(func(e *podEntry) bool {
			out[e.key] = true
			return true
		})
	}
	return out
}
