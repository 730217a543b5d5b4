package e2e_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// dialWS opens the dashboard's websocket with the given Origin header.
func dialWS(t testing.TB, base, query, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Scheme = "ws"
	u.Path = "/ws"
	u.RawQuery = query
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return websocket.DefaultDialer.DialContext(ctx, u.String(), h)
}

// readUntil reads frames until one satisfies match or timeout passes. It
// returns the matching frame and every frame read.
func readUntil(t testing.TB, conn *websocket.Conn, timeout time.Duration, match func(string) bool) (string, []string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	if err := conn.SetReadDeadline(deadline); err != nil {
		t.Fatal(err)
	}
	var frames []string
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			var ne interface{ Timeout() bool }
			if errors.As(err, &ne) && ne.Timeout() {
				return "", frames
			}
			t.Fatalf("reading websocket after %d frames: %v", len(frames), err)
		}
		frames = append(frames, string(msg))
		if match(string(msg)) {
			return string(msg), frames
		}
	}
}

func TestWebsocketPushesChanges(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	const ns = "e2e-ws"
	createNamespace(t, c, ns)
	newPod(ns, "web-1", "node-a", map[string]string{"app": "web"}).withStatus(running("10.244.1.11")).create(t, c)
	newPod(ns, "web-2", "node-a", map[string]string{"app": "web"}).
		withStatus(crashLoop("10.244.1.12", 4, 1, "Error", "boom")).create(t, c)
	p := startPodlens(t, cluster.Config)
	// The dashboard may already be ready before it saw the pods; wait until
	// its cache has them so the snapshot below is meaningful.
	eventually(t, 30*time.Second, "pods in the dashboard", func() error {
		if _, items := listPods(t, p.URL, url.Values{"namespace": {ns}}); len(items) != 2 {
			return errors.New("pods not listed yet")
		}
		return nil
	})

	query := url.Values{"view": {"pods"}, "namespace": {ns}, "all": {"1"}}.Encode()

	t.Run("a same-origin viewer gets a snapshot and then the pod's new status", func(t *testing.T) {
		conn, resp, err := dialWS(t, p.URL, query, p.URL)
		if err != nil {
			t.Fatalf("dialing /ws: %v (response %v)", err, resp)
		}
		defer conn.Close()
		snapshot, frames := readUntil(t, conn, 15*time.Second, func(m string) bool {
			return strings.Contains(rowHTML(m, ns, "web-2"), "CrashLoopBackOff") && strings.Contains(rowHTML(m, ns, "web-1"), "Running")
		})
		if snapshot == "" {
			t.Fatalf("no snapshot frame with both rows within 15s; got %d frames: %.1000q", len(frames), frames)
		}

		start := time.Now()
		setStatus(t, c, ns, "web-1", crashLoop("10.244.1.11", 1, 137, "OOMKilled", ""))
		frame, frames := readUntil(t, conn, 20*time.Second, func(m string) bool {
			return strings.Contains(rowHTML(m, ns, "web-1"), "CrashLoopBackOff")
		})
		if frame == "" {
			t.Fatalf("no frame with web-1's row in CrashLoopBackOff within 20s of the status update; got %d frames: %.1000q", len(frames), frames)
		}
		t.Logf("status change reached the websocket in %v (frame %d bytes)", time.Since(start), len(frame))
		if !strings.Contains(frame, `hx-swap-oob="true"`) {
			t.Errorf("row update is not an out-of-band swap: %.500s", frame)
		}
	})

	t.Run("a deleted pod's row is removed over the websocket", func(t *testing.T) {
		conn, resp, err := dialWS(t, p.URL, query, p.URL)
		if err != nil {
			t.Fatalf("dialing /ws: %v (response %v)", err, resp)
		}
		defer conn.Close()
		if snap, frames := readUntil(t, conn, 15*time.Second, func(m string) bool { return rowHTML(m, ns, "web-2") != "" }); snap == "" {
			t.Fatalf("no snapshot with web-2 within 15s; got %d frames: %.1000q", len(frames), frames)
		}
		deletePod(t, c, ns, "web-2")
		frame, frames := readUntil(t, conn, 20*time.Second, func(m string) bool {
			return strings.Contains(m, `id="pod-rows"`) && rowHTML(m, ns, "web-1") != "" && rowHTML(m, ns, "web-2") == ""
		})
		if frame == "" {
			t.Fatalf("no table body without web-2 within 20s of its deletion; got %d frames: %.1000q", len(frames), frames)
		}
	})

	t.Run("a cross-origin viewer is refused with 403", func(t *testing.T) {
		conn, resp, err := dialWS(t, p.URL, query, "http://evil.example")
		if err == nil {
			conn.Close()
			t.Fatal("cross-origin websocket accepted")
		}
		if resp == nil {
			t.Fatalf("cross-origin dial failed without an HTTP response: %v", err)
		}
		if got, want := resp.StatusCode, http.StatusForbidden; got != want {
			t.Errorf("cross-origin dial: status %d, want %d", got, want)
		}
	})
}

// rowHTML returns the markup of the pod's table row in an HTML fragment, ""
// when the fragment has no such row.
func rowHTML(fragment, ns, name string) string {
	i := strings.Index(fragment, `id="`+podRowID(ns+"/"+name)+`"`)
	if i < 0 {
		return ""
	}
	rest := fragment[i:]
	if j := strings.Index(rest, "</tr>"); j >= 0 {
		return rest[:j]
	}
	return rest
}
