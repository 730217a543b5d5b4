package demo_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"github.com/podlens/podlens/internal/demo"
	"github.com/podlens/podlens/internal/informers"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var t0 = time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return t0 }

// stopped starts a demo cluster whose goroutine does not run; tests call Step.
func stopped(t *testing.T) *demo.Cluster {
	t.Helper()
	return demo.Start(t.Context(), demo.Options{Now: fixedClock, Tick: -1, OnError: func(err error) { t.Errorf("simulation: %v", err) }})
}

func listPods(t *testing.T, c kubernetes.Interface) []corev1.Pod {
	t.Helper()
	l, err := c.CoreV1().Pods("").List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(l.Items, func(a, b corev1.Pod) int {
		return strings.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	return l.Items
}

func listEvents(t *testing.T, c kubernetes.Interface) []corev1.Event {
	t.Helper()
	l, err := c.CoreV1().Events("").List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return l.Items
}

// waitingReasons lists "container=reason" for every waiting container (init containers too).
func waitingReasons(p corev1.Pod) []string {
	var out []string
	for _, cs := range append(slices.Clone(p.Status.InitContainerStatuses), p.Status.ContainerStatuses...) {
		if cs.State.Waiting != nil {
			out = append(out, cs.State.Waiting.Reason)
		}
	}
	return out
}

func healthy(p corev1.Pod) bool {
	if p.Status.Phase == corev1.PodSucceeded {
		return true
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func TestCluster(t *testing.T) {
	t.Parallel()
	c := stopped(t).Client()
	pods := listPods(t, c)
	events := listEvents(t, c)
	nodes, err := c.CoreV1().Nodes().List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("it has a few dozen pods in four namespaces, mostly healthy", func(t *testing.T) {
		namespaces := map[string]bool{}
		ok := 0
		for _, p := range pods {
			namespaces[p.Namespace] = true
			if healthy(p) {
				ok++
			}
		}
		if diff := cmp.Diff(map[string]bool{"data": true, "kube-system": true, "payments": true, "shop": true}, namespaces); diff != "" {
			t.Errorf("namespaces (-want +got):\n%s", diff)
		}
		if len(pods) < 24 || len(pods) > 60 {
			t.Errorf("%d pods, want a few dozen", len(pods))
		}
		if ok*2 <= len(pods) {
			t.Errorf("%d of %d pods healthy, want a majority", ok, len(pods))
		}
	})

	t.Run("every pod has a controller owner, and Deployment pods carry the ReplicaSet's hash", func(t *testing.T) {
		for _, p := range pods {
			o := metav1.GetControllerOf(&p)
			if o == nil {
				t.Errorf("%s has no controller", p.Name)
				continue
			}
			if o.Kind == "ReplicaSet" && !strings.HasSuffix(o.Name, "-"+p.Labels["pod-template-hash"]) {
				t.Errorf("%s: ReplicaSet %s does not end in pod-template-hash %q", p.Name, o.Name, p.Labels["pod-template-hash"])
			}
			if o.Kind == "ReplicaSet" && !strings.HasPrefix(p.Name, o.Name+"-") {
				t.Errorf("%s is not named after its ReplicaSet %s", p.Name, o.Name)
			}
		}
	})

	t.Run("it shows every common problem the way the kubelet and scheduler write it", func(t *testing.T) {
		found := map[string]bool{}
		for _, p := range pods {
			for _, r := range waitingReasons(p) {
				found["waiting "+r] = true
			}
			for _, cs := range p.Status.InitContainerStatuses {
				if cs.State.Waiting != nil && cs.LastTerminationState.Terminated != nil {
					found["init "+cs.State.Waiting.Reason] = true
				}
			}
			for _, cs := range p.Status.ContainerStatuses {
				if lt := cs.LastTerminationState.Terminated; lt != nil {
					found["last "+lt.Reason] = true
					if lt.Reason == "OOMKilled" && cs.State.Waiting != nil {
						if _, ok := p.Spec.Containers[0].Resources.Limits[corev1.ResourceMemory]; ok {
							found["OOMKilled with a memory limit"] = true
						}
					}
				}
			}
			if p.Status.Reason != "" {
				found["pod "+p.Status.Reason] = true
			}
			for _, cd := range p.Status.Conditions {
				if cd.Type == corev1.PodScheduled && cd.Reason == corev1.PodReasonUnschedulable &&
					strings.Contains(cd.Message, "Insufficient cpu") && strings.Contains(cd.Message, "untolerated taint") {
					found["unschedulable: cpu and taint"] = true
				}
			}
		}
		for _, e := range events {
			found["event "+e.Reason] = true
			if e.Reason == "Failed" && strings.Contains(e.Message, ": not found") {
				found["pull not found"] = true
			}
			if e.Reason == "Failed" && strings.Contains(e.Message, "401 Unauthorized") {
				found["pull unauthorized"] = true
			}
			if e.Reason == "Unhealthy" && strings.HasPrefix(e.Message, "Readiness probe failed") {
				found["readiness failing"] = true
			}
		}
		for _, want := range []string{
			"waiting CrashLoopBackOff", "last Error", "waiting ImagePullBackOff", "pull not found", "pull unauthorized",
			"unschedulable: cpu and taint", "event FailedScheduling", "OOMKilled with a memory limit", "init CrashLoopBackOff",
			"waiting CreateContainerConfigError", "readiness failing", "pod Evicted", "event Evicted", "event BackOff",
		} {
			if !found[want] {
				t.Errorf("no %q in the demo", want)
			}
		}
	})

	t.Run("it has a NotReady node, a node under disk pressure and a tainted GPU node", func(t *testing.T) {
		var got []string
		for _, n := range nodes.Items {
			for _, cd := range n.Status.Conditions {
				if cd.Type == corev1.NodeReady && cd.Status != corev1.ConditionTrue && strings.Contains(cd.Message, "network not ready") {
					got = append(got, n.Name+" NotReady")
				}
				if cd.Type == corev1.NodeDiskPressure && cd.Status == corev1.ConditionTrue {
					got = append(got, n.Name+" DiskPressure")
				}
			}
			for _, tn := range n.Spec.Taints {
				if tn.Key == "dedicated" && tn.Value == "gpu" && tn.Effect == corev1.TaintEffectNoSchedule {
					got = append(got, n.Name+" dedicated=gpu:NoSchedule")
				}
			}
		}
		want := []string{"worker-3 NotReady", "worker-4 DiskPressure", "gpu-1 dedicated=gpu:NoSchedule"}
		slices.Sort(got)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("node problems (-want +got):\n%s", diff)
		}
	})

	t.Run("every bound pod is on a known node", func(t *testing.T) {
		known := map[string]bool{}
		for _, n := range nodes.Items {
			known[n.Name] = true
		}
		for _, p := range pods {
			if p.Spec.NodeName != "" && !known[p.Spec.NodeName] {
				t.Errorf("%s is on unknown node %q", p.Name, p.Spec.NodeName)
			}
		}
	})
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	t.Run("two clusters built at the same time are identical", func(t *testing.T) {
		a, b := listPods(t, stopped(t).Client()), listPods(t, stopped(t).Client())
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("pods differ (-first +second):\n%s", diff)
		}
	})
	t.Run("a cluster built later the same day has the same pods (job names follow the date)", func(t *testing.T) {
		later := demo.Start(t.Context(), demo.Options{Now: func() time.Time { return t0.Add(3 * time.Hour) }, Tick: -1})
		names := func(pods []corev1.Pod) []string {
			var out []string
			for _, p := range pods {
				out = append(out, p.Namespace+"/"+p.Name)
			}
			return out
		}
		if diff := cmp.Diff(names(listPods(t, stopped(t).Client())), names(listPods(t, later.Client()))); diff != "" {
			t.Errorf("pod names differ (-now +later):\n%s", diff)
		}
	})
}

// podsByName indexes pods by namespace/name.
func podsByName(pods []corev1.Pod) map[string]corev1.Pod {
	m := map[string]corev1.Pod{}
	for _, p := range pods {
		m[p.Namespace+"/"+p.Name] = p
	}
	return m
}

func TestStep(t *testing.T) {
	t.Parallel()
	c := stopped(t)
	before := podsByName(listPods(t, c.Client()))
	eventsBefore := len(listEvents(t, c.Client()))
	for range 12 {
		c.Step(t.Context())
	}
	after := podsByName(listPods(t, c.Client()))

	t.Run("the crash loop restarted", func(t *testing.T) {
		for name, p := range before {
			if !strings.HasPrefix(name, "shop/cart-") || len(p.Status.ContainerStatuses) == 0 || p.Status.ContainerStatuses[0].RestartCount == 0 {
				continue
			}
			if got, was := after[name].Status.ContainerStatuses[0].RestartCount, p.Status.ContainerStatuses[0].RestartCount; got <= was {
				t.Errorf("%s restart count %d after 12 steps, was %d", name, got, was)
			}
			return
		}
		t.Error("no crash-looping cart pod")
	})
	t.Run("pods were deleted and created", func(t *testing.T) {
		var gone, added []string
		for name := range before {
			if _, ok := after[name]; !ok {
				gone = append(gone, name)
			}
		}
		for name := range after {
			if _, ok := before[name]; !ok {
				added = append(added, name)
			}
		}
		if len(gone) == 0 || len(added) == 0 {
			t.Errorf("deleted %v, created %v; want both", gone, added)
		}
	})
	t.Run("new events arrived", func(t *testing.T) {
		if got := len(listEvents(t, c.Client())); got <= eventsBefore {
			t.Errorf("%d events after 12 steps, %d before", got, eventsBefore)
		}
	})
}

func TestTicking(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	var mu sync.Mutex
	var errs []error
	c := demo.Start(ctx, demo.Options{Tick: time.Millisecond, OnError: func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}})

	t.Run("the simulator changes the cluster by itself", func(t *testing.T) {
		before := podsByName(listPods(t, c.Client()))
		err := wait.PollUntilContextTimeout(ctx, 5*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
			for name, p := range podsByName(listPods(t, c.Client())) {
				if b, ok := before[name]; !ok || b.ResourceVersion != p.ResourceVersion {
					return true, nil
				}
			}
			return false, nil
		})
		if err != nil {
			t.Fatalf("no pod changed: %v", err)
		}
	})
	t.Run("it stops when the context ends", func(t *testing.T) {
		cancel()
		select {
		case <-c.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("simulation still running 10s after cancel")
		}
		mu.Lock()
		defer mu.Unlock()
		for _, err := range errs {
			if ctx.Err() == nil || !strings.Contains(err.Error(), "context canceled") {
				t.Errorf("simulation error: %v", err)
			}
		}
	})
}

func TestThroughInformers(t *testing.T) {
	t.Parallel()
	d := stopped(t)
	ctx, cancel := context.WithCancel(t.Context())
	cache := informers.New(d.Client(), informers.Options{ProbeInterval: -1})
	if err := cache.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); <-cache.Stopped() }()
	err := wait.PollUntilContextTimeout(ctx, 5*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
		for _, r := range cache.Status().Resources {
			if !r.Synced {
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		t.Fatalf("cache did not sync: %v", err)
	}

	t.Run("the dashboard's cache sees every pod and node, and the events of a broken pod", func(t *testing.T) {
		if got, want := len(cache.Pods("")), len(listPods(t, d.Client())); got != want {
			t.Errorf("cached %d pods, the cluster has %d", got, want)
		}
		if got := len(cache.Nodes()); got != 5 {
			t.Errorf("cached %d nodes, want 5", got)
		}
		for _, p := range cache.Pods("shop") {
			if slices.Contains(waitingReasons(*p), "ImagePullBackOff") && len(cache.EventsFor(p)) == 0 {
				t.Errorf("no events for %s", p.Name)
			}
		}
	})
}
