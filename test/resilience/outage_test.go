package resilience_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"

	"github.com/podlens/podlens/internal/testcluster"
)

// converge is how long the dashboard may take, after the API server is back,
// to show the cluster as it is again (the target the
// outage tests hold it to).
const converge = 15 * time.Second

// want is the expected pod set of a namespace, sorted "namespace/name".
func want(namespace string, names ...[]string) []string {
	var out []string
	for _, ns := range names {
		for _, n := range ns {
			out = append(out, namespace+"/"+n)
		}
	}
	sort.Strings(out)
	return out
}

// showsExactly checks the dashboard lists exactly the pods in want, each once, live.
func showsExactly(base, namespace string, want []string) error {
	l, err := listPods(base, namespace)
	if err != nil {
		return err
	}
	got := l.names()
	sorted := slices.Clone(got)
	sort.Strings(sorted)
	if dup := duplicates(got); len(dup) > 0 {
		return fmt.Errorf("duplicate rows %v", dup)
	}
	if l.Total != len(got) {
		return fmt.Errorf("total %d but %d items", l.Total, len(got))
	}
	if diff := cmp.Diff(want, sorted); diff != "" {
		return fmt.Errorf("pods (-want +got):\n%s", diff)
	}
	if l.Stale || l.StaleSince != nil || !l.Synced {
		return fmt.Errorf("stale=%v staleSince=%v synced=%v, want live and synced", l.Stale, l.StaleSince, l.Synced)
	}
	return nil
}

func duplicates(names []string) []string {
	seen := map[string]int{}
	var dup []string
	for _, n := range names {
		if seen[n]++; seen[n] == 2 {
			dup = append(dup, n)
		}
	}
	return dup
}

// viewer is a websocket viewer that records every frame in the background.
type viewer struct {
	conn   *websocket.Conn
	frames chan string
	closed chan error // the read error that ended the viewer
}

func newViewer(t testing.TB, base, query string) *viewer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := dialWS(ctx, websocket.DefaultDialer, base, query)
	if err != nil {
		t.Fatal(err)
	}
	v := &viewer{conn: conn, frames: make(chan string, 4096), closed: make(chan error, 1)}
	go func() {
		for {
			_, msg, err := conn.ReadMessage()
			if err != nil {
				v.closed <- err
				return
			}
			select {
			case v.frames <- string(msg):
			default: // the test stopped listening; keep reading so pings are answered
			}
		}
	}()
	t.Cleanup(func() { _ = conn.Close() })
	return v
}

// waitFor waits for a frame matching match; it fails if the connection ends.
func (v *viewer) waitFor(t testing.TB, timeout time.Duration, what string, match func(string) bool) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case f := <-v.frames:
			if match(f) {
				return
			}
		case err := <-v.closed:
			t.Fatalf("viewer disconnected while waiting for %s: %v", what, err)
		case <-deadline:
			t.Fatalf("viewer got no frame with %s within %v", what, timeout)
		}
	}
}

// connected fails the test if the viewer's connection has ended.
func (v *viewer) connected(t testing.TB) {
	t.Helper()
	select {
	case err := <-v.closed:
		t.Fatalf("viewer disconnected: %v", err)
	default:
	}
}

// drain forgets frames received so far.
func (v *viewer) drain() {
	for {
		select {
		case <-v.frames:
		default:
			return
		}
	}
}

func TestAPIServerOutage(t *testing.T) {
	cluster := testcluster.StartRestartable(t)
	c := cluster.Client
	const ns = "outage"
	createNamespace(t, c, ns)
	keep := createPods(t, c, ns, "keep", 10)
	doomed := createPods(t, c, ns, "doomed", 5)
	p := startPodlens(t, cluster.Config)
	pid := p.pid()
	eventually(t, 30*time.Second, "the dashboard shows every pod", func() error {
		return showsExactly(p.URL, ns, want(ns, keep, doomed))
	})
	viewers := []*viewer{newViewer(t, p.URL, podsView(ns)), newViewer(t, p.URL, podsView(ns)), newViewer(t, p.URL, podsView(ns))}
	for _, v := range viewers {
		v.waitFor(t, 10*time.Second, "the snapshot", func(f string) bool { return mentions(f, ns, "keep-9") })
	}

	// Round 1: the API server goes away long enough for the dashboard to
	// notice; it keeps serving what it knew.
	if err := cluster.StopAPIServer(); err != nil {
		t.Fatal(err)
	}
	down := time.Now()

	t.Run("while the API server is down the dashboard serves the last known pods, marked stale", func(t *testing.T) {
		var l podList
		eventually(t, 30*time.Second, "stale:true in /api/v1/pods", func() error {
			var err error
			if l, err = listPods(p.URL, ns); err != nil {
				return err
			}
			if !l.Stale || l.StaleSince == nil {
				return fmt.Errorf("stale=%v staleSince=%v", l.Stale, l.StaleSince)
			}
			return nil
		})
		if l.StaleSince.After(down.Add(time.Second)) {
			t.Errorf("staleSince = %v, after the outage began (%v): it should be when the server was last heard", l.StaleSince, down)
		}
		got := l.names()
		sort.Strings(got)
		if diff := cmp.Diff(want(ns, keep, doomed), got); diff != "" {
			t.Errorf("last known pods (-want +got):\n%s", diff)
		}
	})

	t.Run("while the API server is down pages, health and metrics still answer", func(t *testing.T) {
		for _, path := range []string{"/", "/?all=1&namespace=" + ns, "/pods/" + ns + "/keep-0", "/nodes", "/healthz", "/metrics", "/api/v1/summary"} {
			code, body, err := get(p.URL, path)
			if err != nil {
				t.Errorf("GET %s: %v", path, err)
				continue
			}
			if code != http.StatusOK {
				t.Errorf("GET %s = %d, want 200: %.300s", path, code, body)
			}
		}
		if got := metric(t, p.URL, "podlens_cache_connected"); got != 0 {
			t.Errorf("podlens_cache_connected = %v during the outage, want 0", got)
		}
		for _, v := range viewers {
			v.connected(t)
		}
	})

	// Restart, and change the cluster at once: the dashboard's watches are
	// still backing off, so from its point of view the changes happen during
	// the outage.
	roundTrip(t, cluster, p, viewers, ns, keep, doomed, "fresh")

	// Round 2: a short outage; the changes land within the same second as the
	// restart.
	if err := cluster.StopAPIServer(); err != nil {
		t.Fatal(err)
	}
	stay := append(slices.Clone(keep), "fresh-3", "fresh-4")
	roundTrip(t, cluster, p, viewers, ns, stay, []string{"fresh-0", "fresh-1", "fresh-2"}, "later")

	t.Run("the dashboard never restarted", func(t *testing.T) {
		if !p.running() || p.pid() != pid {
			t.Errorf("podlens pid %d running=%v, want the original process %d still running", p.pid(), p.running(), pid)
		}
		if n := strings.Count(p.logs.String(), "listening"); n != 1 {
			t.Errorf("podlens logged %q %d times, want once", "listening", n)
		}
	})
}

// roundTrip starts the stopped API server, at once deletes gone, creates
// prefix-0..4 and makes keep-0 (one of stay) crash-loop, then checks the
// dashboard converges to stay plus the new pods, without ghosts or
// duplicates, and that viewers see it live.
func roundTrip(t *testing.T, cluster *testcluster.Cluster, p *podlens, viewers []*viewer, ns string, stay, gone []string, prefix string) {
	t.Helper()
	c := cluster.Client
	for _, v := range viewers {
		v.drain()
	}
	if err := cluster.StartAPIServer(); err != nil {
		t.Fatal(err)
	}
	up := time.Now()
	created := make([]string, 5)
	for i := range created {
		created[i] = fmt.Sprintf("%s-%d", prefix, i)
	}
	ctx := context.Background()
	forEach(t, gone, func(ctx context.Context, name string) error {
		return c.CoreV1().Pods(ns).Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: new(int64(0))})
	})
	forEach(t, created, func(ctx context.Context, name string) error { return createPod(ctx, c, ns, name, 0) })
	if err := setRestarts(ctx, c, ns, "keep-0", 7); err != nil {
		t.Fatal(err)
	}
	if l, err := listPods(p.URL, ns); err == nil {
		t.Logf("%v after the restart the changes are made; the dashboard shows %d pods (stale=%v): it had not relisted yet: %v",
			time.Since(up).Round(time.Millisecond), len(l.Items), l.Stale, slices.Contains(l.names(), ns+"/"+gone[0]))
	}

	t.Run(fmt.Sprintf("after the restart the dashboard shows deleted pods gone and %s pods present, once each, live", prefix), func(t *testing.T) {
		changed := time.Now()
		var liveGhost time.Duration // when a deleted pod was first listed as live data, 2 s after the delete
		defer func() {
			if liveGhost > 0 {
				t.Logf("%v after the deletes the dashboard still listed a deleted pod with stale:false", liveGhost.Round(time.Millisecond))
			}
		}()
		eventually(t, converge-time.Since(up), "the dashboard matches the cluster", func() error {
			if l, err := listPods(p.URL, ns); err == nil && !l.Stale && liveGhost == 0 && time.Since(changed) > 2*time.Second &&
				slices.ContainsFunc(gone, func(n string) bool { return slices.Contains(l.names(), ns+"/"+n) }) {
				liveGhost = time.Since(changed)
			}
			if err := showsExactly(p.URL, ns, want(ns, stay, created)); err != nil {
				return err
			}
			l, _ := listPods(p.URL, ns)
			for _, it := range l.Items {
				if it.Name == "keep-0" && it.Status != "CrashLoopBackOff" {
					return fmt.Errorf("keep-0 status %q, want CrashLoopBackOff", it.Status)
				}
			}
			return nil
		})
		t.Logf("converged %v after the API server was back", time.Since(up).Round(time.Millisecond))
	})

	t.Run(fmt.Sprintf("viewers connected through the outage are pushed the %s pods", prefix), func(t *testing.T) {
		for _, v := range viewers {
			v.waitFor(t, converge, prefix+"-4", func(f string) bool { return mentions(f, ns, prefix+"-4") })
		}
	})
	if err := setRestarts(ctx, c, ns, "keep-0", 0); err != nil {
		t.Fatal(err)
	}
}

func TestWatchExpiry(t *testing.T) {
	cluster := testcluster.StartRestartable(t)
	c := cluster.Client
	const ns = "expiry"
	createNamespace(t, c, ns)
	keep := createPods(t, c, ns, "keep", 10)
	doomed := createPods(t, c, ns, "doomed", 10)
	p := startPodlens(t, cluster.Config)
	pid := p.pid()
	eventually(t, 30*time.Second, "the dashboard shows every pod", func() error {
		return showsExactly(p.URL, ns, want(ns, keep, doomed))
	})
	ctx := context.Background()
	// The dashboard's watch is at (or past) this resource version now.
	seen, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	oldRV := seen.ResourceVersion

	if err := cluster.StopAPIServer(); err != nil {
		t.Fatal(err)
	}
	if err := cluster.StartAPIServer(); err != nil {
		t.Fatal(err)
	}
	up := time.Now()
	// While the dashboard's watches back off: change pods, write a lot of
	// unrelated objects, and compact etcd past everything the dashboard saw.
	forEach(t, doomed, func(ctx context.Context, name string) error {
		return c.CoreV1().Pods(ns).Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: new(int64(0))})
	})
	fresh := createPods(t, c, ns, "fresh", 10)
	churnConfigMaps(t, c, ns, 200)
	rev, err := cluster.Compact(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("etcd compacted at revision %d; the dashboard last saw %s; %v after the restart", rev, oldRV, time.Since(up).Round(time.Millisecond))

	t.Run("a watch from the dashboard's old resource version is refused with 410 Gone", func(t *testing.T) {
		err := watchError(ctx, c, ns, oldRV)
		if !apierrors.IsResourceExpired(err) && !apierrors.IsGone(err) {
			t.Fatalf("watch from resource version %s: %v, want 410 Gone (Expired)", oldRV, err)
		}
	})

	t.Run("the dashboard relists and converges without a restart", func(t *testing.T) {
		eventually(t, 30*time.Second, "the dashboard matches the cluster", func() error {
			return showsExactly(p.URL, ns, want(ns, keep, fresh))
		})
		t.Logf("converged %v after the API server was back", time.Since(up).Round(time.Millisecond))
		if !p.running() || p.pid() != pid {
			t.Errorf("podlens pid %d running=%v, want the original process %d", p.pid(), p.running(), pid)
		}
	})

	t.Run("later changes still reach the dashboard", func(t *testing.T) {
		if err := setRestarts(ctx, c, ns, "keep-3", 4); err != nil {
			t.Fatal(err)
		}
		eventually(t, converge, "keep-3 crash-looping in the dashboard", func() error {
			l, err := listPods(p.URL, ns)
			if err != nil {
				return err
			}
			for _, it := range l.Items {
				if it.Name == "keep-3" && it.Status == "CrashLoopBackOff" {
					return nil
				}
			}
			return errors.New("keep-3 not CrashLoopBackOff yet")
		})
	})
}

// watchError opens a pod watch at rv and returns the error the server
// answers with: as the request's error, or as the first event's Status.
func watchError(ctx context.Context, c kubernetes.Interface, namespace, rv string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	w, err := c.CoreV1().Pods(namespace).Watch(ctx, metav1.ListOptions{ResourceVersion: rv})
	if err != nil {
		return err
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		if ev.Type == watch.Error {
			return apierrors.FromObject(ev.Object)
		}
		// Events from before compaction would mean the history is still there.
		return fmt.Errorf("got a %s event for %T; the old resource version is still watchable", ev.Type, ev.Object)
	}
	return errors.New("watch ended without an event")
}

// churnConfigMaps writes n config maps: history the dashboard never watches.
func churnConfigMaps(t testing.TB, c kubernetes.Interface, namespace string, n int) {
	t.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("churn-%d", i)
	}
	forEach(t, names, func(ctx context.Context, name string) error {
		_, err := c.CoreV1().ConfigMaps(namespace).Create(ctx, &corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Name: name}, Data: map[string]string{"k": name}}, metav1.CreateOptions{})
		return err
	})
}
