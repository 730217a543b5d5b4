package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	corev1 "k8s.io/api/core/v1"
)

// setupWS serves env over HTTP and returns the ws URL base.
func setupWS(t *testing.T, env *testEnv) string {
	t.Helper()
	srv := httptest.NewServer(env.handler)
	t.Cleanup(func() { // the order of run's shutdown
		env.hub.Close()
		srv.Close() // waits for handlers not yet upgraded: each has counted itself in conns
		env.conns.Wait()
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// readMessage reads one message or fails after a deadline.
func readMessage(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, msg, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("reading message: %v", err)
	}
	return string(msg)
}

func TestWebsocket(t *testing.T) {
	t.Parallel()
	t.Run("a foreign origin is refused with 403", func(t *testing.T) {
		t.Parallel()
		base := setupWS(t, newTestEnv(t, newFakeStore(testPods()...)))
		_, resp, err := websocket.DefaultDialer.Dial(base+"/ws?view=pods", http.Header{"Origin": {"https://evil.example"}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("dial: err=%v resp=%v, want 403", err, resp)
		}
	})
	t.Run("an allowed extra origin is accepted", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...), func(c *serverConfig) { c.ws.allowedOrigins = []string{"https://portal.example"} })
		base := setupWS(t, env)
		c, _, err := websocket.DefaultDialer.Dial(base+"/ws?view=pods", http.Header{"Origin": {"https://portal.example"}})
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		c.Close()
	})
	t.Run("viewers beyond the maximum get 503", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...), func(c *serverConfig) { c.ws.maxViewers = 1 })
		base := setupWS(t, env)
		c, _, err := websocket.DefaultDialer.Dial(base+"/ws?view=pods", nil)
		if err != nil {
			t.Fatalf("first dial: %v", err)
		}
		defer c.Close()
		readMessage(t, c)
		readMessage(t, c)
		_, resp, err := websocket.DefaultDialer.Dial(base+"/ws?view=pods", nil)
		if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("second dial: err=%v resp=%v, want 503", err, resp)
		}
	})
	t.Run("a bad view is a 400", func(t *testing.T) {
		t.Parallel()
		base := setupWS(t, newTestEnv(t, newFakeStore()))
		_, resp, err := websocket.DefaultDialer.Dial(base+"/ws?view=pods&selector=a%3D%3D%3Db", nil)
		if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("dial: err=%v resp=%v, want 400", err, resp)
		}
	})
	t.Run("a viewer gets a snapshot of its view, then the rows that change", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		base := setupWS(t, env)
		c, _, err := websocket.DefaultDialer.Dial(base+"/ws?view=pods&all=1&namespace=shop", nil)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		defer c.Close()
		// The snapshot is two messages: the table body, then the rest.
		table := readMessage(t, c)
		if !strings.HasPrefix(table, `<tbody id="pod-rows"`) {
			t.Errorf("first snapshot message = %.100q, want the table body alone", table)
		}
		snap := table + readMessage(t, c)
		for _, want := range []string{`id="pod-rows"`, `id="pod-shop_cart-1"`, `id="summary"`, `id="cache-status"`} {
			if !strings.Contains(snap, want) {
				t.Errorf("snapshot lacks %s", want)
			}
		}
		if strings.Contains(snap, "pod-data_db-0") {
			t.Error("snapshot shows a pod outside the viewer's namespace")
		}

		// The web pod's IP changes: only its row is pushed, in place.
		env.store.Put(pod("shop", "web-1", func(p *corev1.Pod) { p.Status.PodIP = "10.9.9.9" }))
		env.changes.Add(podKey("shop", "web-1"))
		msg := readMessage(t, c)
		if !strings.Contains(msg, `id="pod-shop_web-1"`) || !strings.Contains(msg, "10.9.9.9") || !strings.Contains(msg, `hx-swap-oob="true"`) {
			t.Fatalf("update = %.300q, want the web-1 row swapped out of band", msg)
		}
		if strings.Contains(msg, "cart-1") {
			t.Errorf("update carries unchanged rows: %s", msg)
		}
		if len(msg) > 2048 {
			t.Errorf("row update is %d bytes, want under 2 KiB", len(msg))
		}

		// A pod in another namespace changes: this viewer hears nothing, so
		// the next message is the deletion below.
		env.store.Put(pod("data", "db-0", func(p *corev1.Pod) { p.Status.PodIP = "10.8.8.8" }))
		env.changes.Add(podKey("data", "db-0"))

		env.store.Remove("shop", "cart-1")
		env.changes.Add(podKey("shop", "cart-1"))
		msg = readMessage(t, c)
		if !strings.Contains(msg, `id="pod-rows"`) || strings.Contains(msg, "pod-shop_cart-1") || strings.Contains(msg, "10.8.8.8") {
			t.Fatalf("after delete = %.300q, want a table body without cart-1", msg)
		}
	})
	t.Run("an unknown view is a 400 naming every accepted view", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore())
		w := env.get("/ws?view=bogus")
		if want := `{"error":"invalid view \"bogus\": want pods, pod, nodes or node"}`; w.Code != http.StatusBadRequest || strings.TrimSpace(w.Body.String()) != want {
			t.Errorf("GET /ws?view=bogus = %d %s, want 400 %s", w.Code, w.Body.String(), want)
		}
	})
	t.Run("shutdown closes viewers with going away", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		base := setupWS(t, env)
		c, _, err := websocket.DefaultDialer.Dial(base+"/ws?view=pod&namespace=shop&name=cart-1", nil)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		defer c.Close()
		if snap := readMessage(t, c); !strings.Contains(snap, `id="pod-detail"`) {
			t.Fatalf("pod snapshot = %.200q, want the pod body", snap)
		}
		env.hub.Close()
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _, err = c.ReadMessage()
		if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Fatalf("read after Close: %v, want close 1001", err)
		}
	})
	t.Run("every text frame is valid UTF-8, whatever bytes the cluster sent", func(t *testing.T) {
		t.Parallel()
		// RFC 6455 section 8.1: a text frame holds UTF-8, and a browser fails
		// the connection on an invalid one. The informers' transform makes
		// strings valid, but nothing upstream of the writer may be trusted.
		invalid := "bad \xff\xfe bytes"
		env := newTestEnv(t, newFakeStore(
			pod("shop", "cart-1", terminated("Error", invalid)),
			pod("shop", "web-1", func(p *corev1.Pod) { p.Status.Reason = "Odd " + invalid }), // kubectl's STATUS
		))
		base := setupWS(t, env)
		for query, want := range map[string]string{
			"view=pod&namespace=shop&name=cart-1": "bad \uFFFD bytes",
			"view=pods&all=1&namespace=shop":      "Odd bad \uFFFD bytes",
		} {
			c, _, err := websocket.DefaultDialer.Dial(base+"/ws?"+query, nil)
			if err != nil {
				t.Fatalf("dial %s: %v", query, err)
			}
			defer c.Close()
			msg := readMessage(t, c)
			if strings.HasPrefix(query, "view=pods") {
				msg += readMessage(t, c) // the table body, then the rest
			}
			if !utf8.ValidString(msg) {
				t.Errorf("%s: a text frame holds invalid UTF-8: %.200q", query, msg)
			}
			if !strings.Contains(msg, want) {
				t.Errorf("%s: frame lacks the message with its bad bytes replaced: %.300q", query, msg)
			}
		}
	})
	t.Run("a pushed row replaces its own pod's row only, whatever the names", func(t *testing.T) {
		t.Parallel()
		// a/b-c and a-b/c are two pods whose ids must differ: a push for one
		// swaps the element with its id out of band, and would replace the
		// other's row if they shared one.
		env := newTestEnv(t, newFakeStore(pod("a", "b-c"), pod("a-b", "c")))
		base := setupWS(t, env)
		c, _, err := websocket.DefaultDialer.Dial(base+"/ws?view=pods&all=1", nil)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		defer c.Close()
		snap := readMessage(t, c) + readMessage(t, c)
		ids := rowIDs(snap)
		if len(ids) != 2 || ids[0] == ids[1] {
			t.Fatalf("snapshot row ids = %q, want two different ids", ids)
		}

		env.store.Put(pod("a", "b-c", func(p *corev1.Pod) { p.Status.PodIP = "10.9.9.9" }))
		env.changes.Add(podKey("a", "b-c"))
		msg := readMessage(t, c)
		pushed := rowIDs(msg)
		if len(pushed) != 1 || !strings.Contains(msg, "10.9.9.9") {
			t.Fatalf("update = %.300q, want one row, a/b-c's, with its new IP", msg)
		}
		other := ids[0]
		if other == pushed[0] {
			other = ids[1]
		}
		if strings.Contains(msg, `id="`+other+`"`) {
			t.Errorf("the push for a/b-c targets %s, the row of a-b/c", other)
		}
	})
}

// rowIDs returns the ids of the pod rows in an HTML fragment, in order.
func rowIDs(fragment string) []string {
	var ids []string
	for _, part := range strings.Split(fragment, `<tr id="`)[1:] {
		if id, _, ok := strings.Cut(part, `"`); ok && strings.HasPrefix(id, "pod-") {
			ids = append(ids, id)
		}
	}
	return ids
}
