package resilience_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/podlens/podlens/internal/testcluster"
)

// grace is how long a terminating pod has by default
// (terminationGracePeriodSeconds: 30); the dashboard must exit well within it.
const grace = 15 * time.Second

// closeCode waits for the viewer's connection to end and returns the close
// code it was given, or an error if it ended without a close frame.
func (v *viewer) closeCode(timeout time.Duration) (int, error) {
	select {
	case err := <-v.closed:
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code, nil
		}
		return 0, fmt.Errorf("connection ended without a close frame: %w", err)
	case <-time.After(timeout):
		return 0, fmt.Errorf("still connected after %v", timeout)
	}
}

func TestGracefulShutdown(t *testing.T) {
	cluster := testcluster.Start(t)
	c := cluster.Client
	const ns = "shutdown"
	createNamespace(t, c, ns)
	createPods(t, c, ns, "web", 5)
	p := startPodlens(t, cluster.Config, "--drain", "2s")
	viewers := []*viewer{newViewer(t, p.URL, podsView(ns)), newViewer(t, p.URL, podsView(ns))}
	for _, v := range viewers {
		v.waitFor(t, 10*time.Second, "the snapshot", func(f string) bool { return mentions(f, ns, "web-4") })
	}

	p.sigterm(t)
	signalled := time.Now()

	t.Run("right after SIGTERM /readyz fails while pages and the API are still served", func(t *testing.T) {
		eventually(t, time.Second, "/readyz failing", func() error {
			code, _, err := get(p.URL, "/readyz")
			if err != nil {
				return err
			}
			if code == http.StatusOK {
				return errors.New("/readyz still 200")
			}
			return nil
		})
		t.Logf("/readyz failed %v after SIGTERM", time.Since(signalled).Round(time.Millisecond))
		for _, path := range []string{"/healthz", "/api/v1/pods?namespace=" + ns, "/"} {
			if code, _, err := get(p.URL, path); err != nil || code != http.StatusOK {
				t.Errorf("GET %s while draining = %d, %v; want 200", path, code, err)
			}
		}
		for _, v := range viewers {
			v.connected(t)
		}
	})

	t.Run("viewers are closed with 1001 going away", func(t *testing.T) {
		for i, v := range viewers {
			code, err := v.closeCode(grace)
			if err != nil {
				t.Errorf("viewer %d: %v", i, err)
				continue
			}
			if code != websocket.CloseGoingAway {
				t.Errorf("viewer %d closed with %d, want 1001 (going away)", i, code)
			}
		}
	})

	t.Run("the process exits cleanly within the grace period", func(t *testing.T) {
		select {
		case <-p.exited:
		case <-time.After(grace - time.Since(signalled)):
			t.Fatalf("podlens still running %v after SIGTERM", grace)
		}
		if p.err != nil {
			t.Errorf("podlens exited with %v, want status 0", p.err)
		}
		t.Logf("exited %v after SIGTERM", time.Since(signalled).Round(time.Millisecond))
		if !strings.Contains(p.logs.String(), "stopped") {
			t.Errorf("podlens did not log that it stopped")
		}
	})
}

func TestRollingRestart(t *testing.T) {
	cluster := testcluster.Start(t)
	c := cluster.Client
	const ns = "rolling"
	createNamespace(t, c, ns)
	createPods(t, c, ns, "web", 5)
	a := startPodlens(t, cluster.Config, "--drain", "1s")
	b := startPodlens(t, cluster.Config, "--drain", "1s")

	// The client follows the Service: it reconnects to the other replica
	// when its connection goes away, as the page's websocket extension does.
	v := newViewer(t, a.URL, podsView(ns))
	v.waitFor(t, 10*time.Second, "the snapshot from A", func(f string) bool { return mentions(f, ns, "web-4") })

	a.sigterm(t)
	// The cluster keeps changing during the switch-over.
	for i := range 3 {
		if err := createPod(context.Background(), c, ns, fmt.Sprintf("during-%d", i), 0); err != nil {
			t.Fatal(err)
		}
	}

	var onB *viewer
	outer := t // the reconnected viewer outlives its subtest
	t.Run("the viewer on the stopped replica is told to go away", func(t *testing.T) {
		code, err := v.closeCode(grace)
		if err != nil {
			t.Fatal(err)
		}
		if code != websocket.CloseGoingAway {
			t.Errorf("close code %d, want 1001", code)
		}
	})

	t.Run("after one reconnect to the other replica nothing is missing", func(t *testing.T) {
		onB = newViewer(outer, b.URL, podsView(ns))
		onB.waitFor(t, 15*time.Second, "every pod, including those created during the switch", func(f string) bool {
			for _, n := range []string{"web-0", "web-4", "during-0", "during-1", "during-2"} {
				if !mentions(f, ns, n) {
					return false
				}
			}
			return true
		})
		if err := createPod(context.Background(), c, ns, "after", 0); err != nil {
			t.Fatal(err)
		}
		onB.waitFor(t, 15*time.Second, "the pod created after the switch", func(f string) bool { return mentions(f, ns, "after") })
	})

	t.Run("the stopped replica exits cleanly and the other one is untouched", func(t *testing.T) {
		select {
		case <-a.exited:
		case <-time.After(grace):
			t.Fatalf("replica A still running %v after SIGTERM", grace)
		}
		if a.err != nil {
			t.Errorf("replica A exited with %v", a.err)
		}
		if code, _, err := get(b.URL, "/readyz"); err != nil || code != http.StatusOK {
			t.Errorf("replica B /readyz = %d, %v", code, err)
		}
		if onB != nil {
			onB.connected(t)
		}
	})
}
