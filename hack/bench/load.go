package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/podlens/podlens/internal/testfleet"
)

// loader fills the API server with the fixture's pods, their namespaces,
// ConfigMaps, Secrets, nodes and events. It remembers how far it got, so
// growing the cluster to the next size loads only the difference.
type loader struct {
	client  kubernetes.Interface
	workers int
	log     io.Writer
	now     time.Time

	loaded     int // pods 0..loaded-1 exist
	namespaces map[string]bool
	nodes      map[string]bool
}

func newLoader(client kubernetes.Interface, workers int, log io.Writer) *loader {
	return &loader{client: client, workers: workers, log: log, now: time.Now(),
		namespaces: map[string]bool{}, nodes: map[string]bool{}}
}

// growTo loads pods until n exist.
func (l *loader) growTo(ctx context.Context, n int) error {
	if n <= l.loaded {
		return nil
	}
	start := time.Now()
	var nsNeeded, nodesNeeded []string
	for i := l.loaded; i < n; i++ {
		if ns := testfleet.NamespaceAt(i); !l.namespaces[ns] {
			l.namespaces[ns] = true
			nsNeeded = append(nsNeeded, ns)
		}
		if node := testfleet.NodeAt(i); !l.nodes[node] {
			l.nodes[node] = true
			nodesNeeded = append(nodesNeeded, node)
		}
	}
	if err := l.parallel(ctx, len(nsNeeded), func(ctx context.Context, i int) error {
		return l.ensureNamespace(ctx, nsNeeded[i])
	}); err != nil {
		return err
	}
	if err := l.parallel(ctx, len(nodesNeeded), func(ctx context.Context, i int) error {
		return l.ensureNode(ctx, nodesNeeded[i])
	}); err != nil {
		return err
	}
	var done atomic.Int64
	stopProgress := l.progress(&done, n-l.loaded)
	err := l.parallel(ctx, n-l.loaded, func(ctx context.Context, i int) error {
		defer done.Add(1)
		_, err := l.createPod(ctx, testfleet.At(l.loaded+i), 0)
		if apierrors.IsAlreadyExists(err) {
			return nil // kept by -data-dir from an earlier run
		}
		return err
	})
	stopProgress()
	if err != nil {
		return err
	}
	fmt.Fprintf(l.log, "bench: loaded pods %d..%d in %s (%.0f pods/s)\n", l.loaded, n-1,
		time.Since(start).Round(time.Millisecond), float64(n-l.loaded)/time.Since(start).Seconds())
	l.loaded = n
	return nil
}

// progress prints the load rate every five seconds until stopped.
func (l *loader) progress(done *atomic.Int64, total int) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fmt.Fprintf(l.log, "bench: loading pods: %d/%d\n", done.Load(), total)
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}

// parallel runs fn for 0..n-1 on the loader's workers and returns the first error.
func (l *loader) parallel(ctx context.Context, n int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(l.workers, max(n, 1)) {
		wg.Go(func() {
			for i := range next {
				if err := fn(ctx, i); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}

func (l *loader) ensureNamespace(ctx context.Context, ns string) error {
	objs := []func() error{
		func() error {
			_, err := l.client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns,
				Labels: map[string]string{"team": ns, "kubernetes.io/metadata.name": ns}}}, metav1.CreateOptions{FieldManager: "kubectl-create"})
			return err
		},
		func() error {
			_, err := l.client.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "app-config"},
				Data: map[string]string{"database-url": "postgres://db." + ns + ".svc:5432/app", "config.yaml": "log: info\n"}}, metav1.CreateOptions{})
			return err
		},
		func() error {
			_, err := l.client.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "feature-flags"},
				Data: map[string]string{"FEATURE_NEW_CHECKOUT": "true"}}, metav1.CreateOptions{})
			return err
		},
		func() error {
			_, err := l.client.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "envoy"},
				Data: map[string]string{"envoy.yaml": "static_resources: {}\n"}}, metav1.CreateOptions{})
			return err
		},
		func() error {
			_, err := l.client.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "app-secrets"},
				StringData: map[string]string{"database-password": "not-a-real-password", "api-token": "not-a-real-token"}}, metav1.CreateOptions{})
			return err
		},
		func() error {
			_, err := l.client.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "app-tls"},
				StringData: map[string]string{"tls.crt": "not a real certificate", "tls.key": "not a real key"}}, metav1.CreateOptions{})
			return err
		},
	}
	for _, create := range objs {
		if err := create(); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating namespace %s and its objects: %w", ns, err)
		}
	}
	return nil
}

func (l *loader) ensureNode(ctx context.Context, name string) error {
	node, err := l.client.CoreV1().Nodes().Create(ctx, testfleet.Node(name), metav1.CreateOptions{FieldManager: testfleet.ManagerKubelet})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("creating node %s: %w", name, err)
	}
	node.Status = testfleet.NodeStatus(name, l.now)
	if _, err := l.client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{FieldManager: testfleet.ManagerKubelet}); err != nil {
		return fmt.Errorf("writing node %s status: %w", name, err)
	}
	return nil
}

// createPod creates pod p as the ReplicaSet controller would, writes its
// status as the kubelet would and records its events.
func (l *loader) createPod(ctx context.Context, p testfleet.Member, restarts int32) (*corev1.Pod, error) {
	pods := l.client.CoreV1().Pods(p.Namespace)
	pod, err := pods.Create(ctx, p.Pod(), metav1.CreateOptions{FieldManager: testfleet.ManagerController})
	if err != nil {
		return nil, fmt.Errorf("creating pod %s/%s: %w", p.Namespace, p.Name, err)
	}
	pod.Status = p.Status(pod, l.now, restarts)
	manager := testfleet.ManagerKubelet
	if p.Failure == testfleet.Unschedulable {
		manager = testfleet.ManagerScheduler
	}
	pod, err = pods.UpdateStatus(ctx, pod, metav1.UpdateOptions{FieldManager: manager})
	if err != nil {
		return nil, fmt.Errorf("writing pod %s/%s status: %w", p.Namespace, p.Name, err)
	}
	for _, ev := range p.Events(pod, l.now) {
		if _, err := l.client.CoreV1().Events(p.Namespace).Create(ctx, ev, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return nil, fmt.Errorf("creating event for pod %s/%s: %w", p.Namespace, p.Name, err)
		}
	}
	return pod, nil
}
