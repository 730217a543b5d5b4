package resilience_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/podlens/podlens/internal/testcluster"
)

// secrets are strings that must never appear in an answer to a traversal
// attempt: the repository's go.mod and the host's passwd file.
var secrets = []string{"module github.com/podlens/podlens", "root:x:0:0"}

// rawGet sends path byte for byte (no client-side cleaning or escaping) and
// returns the status code and body.
func rawGet(base, path string) (int, string, error) {
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(15 * time.Second))
	host := strings.TrimPrefix(base, "http://")
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host); err != nil {
		return 0, "", err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b), err
}

// healthy checks the dashboard still answers /healthz and that the bystander
// viewer is still connected and pushed a new pod.
func healthy(t *testing.T, p *podlens, bystander *viewer, create func(name string)) {
	t.Helper()
	if code, body, err := get(p.URL, "/healthz"); err != nil || code != http.StatusOK {
		t.Fatalf("/healthz = %d %q, %v", code, body, err)
	}
	bystander.connected(t)
	name := fmt.Sprintf("probe-%d", time.Now().UnixNano())
	create(name)
	bystander.waitFor(t, 15*time.Second, name, func(f string) bool { return strings.Contains(f, name) })
	if !p.running() {
		t.Fatal("podlens exited")
	}
}

func TestHostileClients(t *testing.T) {
	cluster := testcluster.Start(t)
	c := cluster.Client
	const ns = "hostile"
	createNamespace(t, c, ns)
	createPods(t, c, ns, "web", 5)
	p := startPodlens(t, cluster.Config)
	eventually(t, 30*time.Second, "the dashboard shows the pods", func() error {
		l, err := listPods(p.URL, ns)
		if err == nil && len(l.Items) != 5 {
			err = fmt.Errorf("%d pods listed", len(l.Items))
		}
		return err
	})
	bystander := newViewer(t, p.URL, podsView(ns))
	bystander.waitFor(t, 10*time.Second, "the snapshot", func(f string) bool { return mentions(f, ns, "web-4") })
	create := func(name string) {
		if err := createPod(context.Background(), c, ns, name, 0); err != nil {
			t.Fatal(err)
		}
	}
	dial := func(t *testing.T) *websocket.Conn {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := dialWS(ctx, websocket.DefaultDialer, p.URL, podsView(ns))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	// closedWithin reads until the server ends the connection.
	closedWithin := func(t *testing.T, conn *websocket.Conn, d time.Duration) error {
		t.Helper()
		_ = conn.SetReadDeadline(time.Now().Add(d))
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				if isTimeout(err) {
					t.Fatalf("the server kept the connection open for %v", d)
				}
				return err
			}
		}
	}

	t.Run("an oversized websocket message closes that connection only", func(t *testing.T) {
		conn := dial(t)
		big := strings.Repeat("x", 1<<20)
		_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		_ = conn.WriteMessage(websocket.TextMessage, []byte(big)) // may fail once the server hangs up
		err := closedWithin(t, conn, 10*time.Second)
		if ce, ok := err.(*websocket.CloseError); ok && ce.Code != websocket.CloseMessageTooBig {
			t.Errorf("closed with %d %q, want 1009 (message too big)", ce.Code, ce.Text)
		}
		healthy(t, p, bystander, create)
	})

	t.Run("malformed websocket frames close that connection only", func(t *testing.T) {
		for _, frame := range [][]byte{
			{0xF1, 0x80, 0, 0, 0, 0},              // reserved bits set
			{0x83, 0x80, 0, 0, 0, 0},              // reserved opcode 3
			{0x81, 0x05, 'h', 'e', 'l', 'l', 'o'}, // unmasked client frame
			{0x89, 0xFE, 0x01, 0x00},              // control frame longer than 125 bytes
			{0x81, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}, // 2^63-1 byte length
		} {
			conn := dial(t)
			if _, err := conn.NetConn().Write(frame); err != nil {
				t.Fatal(err)
			}
			closedWithin(t, conn, 10*time.Second)
		}
		healthy(t, p, bystander, create)
	})

	t.Run("invalid UTF-8 text frames leave the server healthy", func(t *testing.T) {
		conn := dial(t)
		for _, b := range [][]byte{{0xff, 0xfe, 0xfd}, {0xc3, 0x28}, {0xed, 0xa0, 0x80}} {
			if err := conn.WriteMessage(websocket.TextMessage, b); err != nil {
				break // the server may close on the first
			}
		}
		// Then a close frame whose reason is invalid UTF-8: the server must
		// end the connection either way.
		_ = conn.WriteControl(websocket.CloseMessage, append([]byte{0x03, 0xe8}, 0xff, 0xfe), time.Now().Add(time.Second))
		closedWithin(t, conn, 10*time.Second)
		healthy(t, p, bystander, create)
	})

	t.Run("a flood of small messages leaves other viewers served", func(t *testing.T) {
		conn := dial(t)
		go func() { // drain what the server sends so only the flood is measured
			for {
				if _, _, err := conn.ReadMessage(); err != nil {
					return
				}
			}
		}()
		start := time.Now()
		sent := 0
		for ; sent < 50000 && time.Since(start) < 5*time.Second; sent++ {
			_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"HEADERS":{},"q":"flood"}`)); err != nil {
				break
			}
		}
		t.Logf("sent %d messages in %v", sent, time.Since(start).Round(time.Millisecond))
		healthy(t, p, bystander, create)
	})

	t.Run("megabyte query strings are refused and the server stays healthy", func(t *testing.T) {
		for _, size := range []int{9 << 10, 64 << 10, 900 << 10, 2 << 20} {
			for _, path := range []string{"/?q=", "/api/v1/pods?q=", "/ws?view=pods&q=", "/pods/" + ns + "/web-0?x="} {
				code, body, err := rawGet(p.URL, path+strings.Repeat("a", size))
				if err != nil {
					// Past the header limit the server may just hang up.
					t.Logf("GET %s<%d bytes>: %v", path, size, err)
					continue
				}
				switch code {
				case http.StatusRequestURITooLong, http.StatusBadRequest, http.StatusRequestHeaderFieldsTooLarge:
				default:
					t.Errorf("GET %s<%d bytes> = %d, want 414, 400 or 431: %.200s", path, size, code, body)
				}
			}
		}
		healthy(t, p, bystander, create)
	})

	t.Run("unknown routes are 404", func(t *testing.T) {
		for _, path := range []string{"/nope", "/api/v1/nope", "/api/v2/pods", "/pods/a/b/c", "/static/nope.js", "/ws/extra"} {
			code, body, err := rawGet(p.URL, path)
			if err != nil {
				t.Errorf("GET %s: %v", path, err)
				continue
			}
			if code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404: %.200s", path, code, body)
			}
		}
	})

	t.Run("path traversal against static assets never returns files", func(t *testing.T) {
		for _, path := range []string{
			"/static/../../go.mod",
			"/static/../go.mod",
			"/static/%2e%2e/%2e%2e/go.mod",
			"/static/%2E%2E%2F%2E%2E%2Fgo.mod",
			"/static/..%2f..%2fgo.mod",
			"/static/..%5c..%5cgo.mod",
			"/static/%252e%252e/go.mod",
			"/static/....//....//go.mod",
			"/static//etc/passwd",
			"/static/%2fetc%2fpasswd",
			"/static/../../../../../../etc/passwd",
			"/static/%00",
			"/static/app.css%00.js",
			"/static/.",
			"/static/",
			"/../go.mod",
			"/%2e%2e/go.mod",
		} {
			code, body, err := rawGet(p.URL, path)
			if err != nil {
				t.Errorf("GET %s: %v", path, err)
				continue
			}
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("GET %s = %d and returned a file from disk (%q)", path, code, s)
				}
			}
			switch code {
			case http.StatusNotFound, http.StatusBadRequest, http.StatusMovedPermanently, http.StatusPermanentRedirect, http.StatusForbidden:
			default:
				t.Errorf("GET %s = %d, want 404 or 400 (or a redirect to a cleaned path): %.200s", path, code, body)
			}
		}
		healthy(t, p, bystander, create)
	})

	t.Run("a cross-origin websocket is refused", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, resp, err := websocket.DefaultDialer.DialContext(ctx, wsURL(p.URL, podsView(ns)), http.Header{"Origin": {"http://evil.example"}})
		if err == nil {
			t.Fatal("a websocket from http://evil.example was accepted")
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin upgrade: %v (response %v), want 403", err, resp)
		}
	})
}
