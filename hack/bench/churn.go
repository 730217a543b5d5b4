package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podlens/podlens/internal/testfleet"
)

// churnNamespace holds the pods the latency run updates, named churn-NNNN so
// a viewer can tell which pod a frame is about.
const churnNamespace = "bench-churn"

// churnPod is the fixture spec of churn pod k: a crash-looping pod on a real
// node. Crash-looping pods are the ones whose status kubelets rewrite all the
// time, and they open the dashboard's default view (problems first, most
// urgent first, then by namespace: bench-churn sorts before team-*), so every
// viewer of the landing page sees their rows change.
func churnPod(k int) testfleet.Member {
	return testfleet.Member{
		Index:      k,
		Namespace:  churnNamespace,
		App:        "churn",
		ReplicaSet: "churn-" + testfleet.Token(uint64(k/testfleet.ReplicasPerApp), 10),
		Name:       fmt.Sprintf("%s%04d", churnPrefix, k),
		Node:       testfleet.NodeAt(k),
		Failure:    testfleet.CrashLoop,
	}
}

// churner writes pod status updates at a steady rate, as kubelets do, each
// with a new restart count, and stamps each write for the viewers.
type churner struct {
	ld     *loader
	specs  []testfleet.Member
	pods   []*corev1.Pod
	stamps *stamps
	seq    atomic.Int64

	sent, failed, skipped atomic.Int64
}

// newChurner creates n churn pods (they count as ordinary pods of the cluster).
func newChurner(ctx context.Context, ld *loader, n int, st *stamps) (*churner, error) {
	if err := ld.ensureNamespace(ctx, churnNamespace); err != nil {
		return nil, err
	}
	c := &churner{ld: ld, stamps: st, specs: make([]testfleet.Member, n), pods: make([]*corev1.Pod, n)}
	for k := range n {
		c.specs[k] = churnPod(k)
		if node := c.specs[k].Node; !ld.nodes[node] {
			ld.nodes[node] = true
			if err := ld.ensureNode(ctx, node); err != nil {
				return nil, err
			}
		}
	}
	err := ld.parallel(ctx, n, func(ctx context.Context, k int) error {
		pod, err := ld.createPod(ctx, c.specs[k], 0)
		if apierrors.IsAlreadyExists(err) {
			pod, err = ld.client.CoreV1().Pods(churnNamespace).Get(ctx, c.specs[k].Name, metav1.GetOptions{})
		}
		c.pods[k] = pod
		return err
	})
	return c, err
}

// update writes a new status for churn pod k, with restart count seq.
func (c *churner) update(ctx context.Context, k int) error {
	seq := c.seq.Add(1)
	status := c.specs[k].Status(c.pods[k], c.ld.now, int32(seq))
	patch, err := json.Marshal(map[string]any{"status": status})
	if err != nil {
		return err
	}
	c.stamps.set(c.specs[k].Name, stamp{seq: seq, sent: time.Now()})
	_, err = c.ld.client.CoreV1().Pods(churnNamespace).Patch(ctx, c.specs[k].Name, types.MergePatchType, patch,
		metav1.PatchOptions{FieldManager: testfleet.ManagerKubelet}, "status")
	return err
}

// run writes perSec updates a second, round robin over the churn pods, for
// d. Writes that would fall behind the schedule are skipped and counted.
func (c *churner) run(ctx context.Context, perSec int, d time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	jobs := make(chan int, perSec)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for k := range jobs {
				if err := c.update(context.WithoutCancel(ctx), k); err != nil {
					c.failed.Add(1)
					continue
				}
				c.sent.Add(1)
			}
		})
	}
	t := time.NewTicker(time.Second / time.Duration(perSec))
	defer t.Stop()
	next := 0
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-t.C:
			select {
			case jobs <- next % len(c.specs):
				next++
			default:
				c.skipped.Add(1)
			}
		}
	}
	close(jobs)
	wg.Wait()
}

// soakPopulation is how many short-lived pods soak mode keeps alive at once.
const soakPopulation = 10

// recycle creates short-lived pod k (soak-NNNNNN in the churn namespace) and
// deletes pod k-soakPopulation: the create and delete traffic of rollouts and
// Jobs, kept apart from the pods whose status the churner writes.
func (c *churner) recycle(ctx context.Context, k int) error {
	spec := churnPod(k)
	spec.Name = fmt.Sprintf("soak-%06d", k)
	if _, err := c.ld.createPod(ctx, spec, 0); err != nil {
		return err
	}
	if k < soakPopulation {
		return nil
	}
	old := fmt.Sprintf("soak-%06d", k-soakPopulation)
	err := c.ld.client.CoreV1().Pods(churnNamespace).Delete(ctx, old, metav1.DeleteOptions{GracePeriodSeconds: new(int64)})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
