// Package demo is an in-process simulated cluster for `--demo`: a fake
// clientset (k8s.io/client-go/kubernetes/fake) preloaded with a few dozen pods
// across four namespaces and five nodes, showing the common ways pods break,
// with the statuses and events a real kubelet and scheduler write
// (the messages cited in internal/diagnose/match.go). A goroutine keeps changing it, so live updates show.
//
// The dashboard reads it through the same informers as a real cluster: the
// only difference is the clientset. The content is fixed (a seeded random
// source picks names); only timestamps depend on the clock.
package demo

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
)

// DefaultTick is how often the simulated cluster changes.
const DefaultTick = 3 * time.Second

// Options tunes the simulation.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Tick is the time between changes; 0 means DefaultTick, negative stops
	// the goroutine (call Step by hand).
	Tick time.Duration
	// OnError receives errors from the simulation (they are otherwise
	// dropped: the demo must not stop the dashboard); nil ignores them.
	OnError func(error)
}

// Cluster is a running simulated cluster.
type Cluster struct {
	client  *fake.Clientset
	now     func() time.Time
	onError func(error)

	mu     sync.Mutex // serialises Step
	rng    *rand.Rand
	state  simState
	steps  atomic.Int64
	events map[eventKey]string // event name by what it is about

	done chan struct{}
}

// NewClientset returns the demo cluster's clientset; the simulation runs
// until ctx ends. It is what `--demo` passes to informers.New instead of a
// real clientset.
func NewClientset(ctx context.Context, now func() time.Time) kubernetes.Interface {
	return Start(ctx, Options{Now: now}).Client()
}

// Start builds the demo cluster and starts changing it every opts.Tick until
// ctx ends. Done is closed when the goroutine has exited.
func Start(ctx context.Context, opts Options) *Cluster {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	c := &Cluster{
		now:     now,
		onError: opts.OnError,
		rng:     rand.New(rand.NewPCG(2026, 5)),
		events:  map[eventKey]string{},
		done:    make(chan struct{}),
	}
	c.client = fake.NewClientset(c.build(now().UTC().Truncate(time.Second))...)
	tick := opts.Tick
	if tick == 0 {
		tick = DefaultTick
	}
	if tick < 0 {
		close(c.done)
		return c
	}
	go func() {
		defer close(c.done)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				c.Step(ctx)
			}
		}
	}()
	return c
}

// Client is the clientset serving the simulated objects. Treat it as read-only.
func (c *Cluster) Client() kubernetes.Interface { return c.client }

// Done is closed when the simulation goroutine has exited.
func (c *Cluster) Done() <-chan struct{} { return c.done }

// Steps counts the changes made so far.
func (c *Cluster) Steps() int64 { return c.steps.Load() }

func (c *Cluster) report(err error) {
	if err != nil && c.onError != nil {
		c.onError(err)
	}
}
