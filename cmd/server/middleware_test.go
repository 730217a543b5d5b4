package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes/fake"
)

// maxErrorBody is how large an answer to a hostile URL may be: a short
// error, whatever the URL's length or depth.
const maxErrorBody = 4 << 10

func TestHostilePathsGetSmallAnswers(t *testing.T) {
	t.Parallel()
	million := strings.Repeat("/", 1_000_000)
	deep := strings.Repeat("/a", 200) // 400 bytes: short, but far deeper than any route
	for _, tt := range []struct {
		name     string
		basePath string
		target   string
		want     int
	}{
		{"a million slashes are refused as too long", "", million, http.StatusRequestURITooLong},
		{"a million slashes under the API are refused as too long", "", "/api/v1" + million, http.StatusRequestURITooLong},
		{"a long pod name is refused as too long", "", "/pods/shop/" + strings.Repeat("a", 3000), http.StatusRequestURITooLong},
		{"a long percent-encoded path is refused as too long", "", "/" + strings.Repeat("%2F", 1000), http.StatusRequestURITooLong},
		{"a path deeper than any route is not found", "", deep, http.StatusNotFound},
		{"a deep API path is not found", "", "/api/v1" + deep, http.StatusNotFound},
		{"a million slashes under a base path are refused as too long", "/tools/pods", "/tools/pods" + million, http.StatusRequestURITooLong},
		{"a deep path under a base path is not found", "/tools/pods", "/tools/pods" + deep, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, newFakeStore(testPods()...), func(c *serverConfig) { c.basePath = tt.basePath })
			w := env.get(tt.target)
			if w.Code != tt.want {
				t.Errorf("status = %d, want %d", w.Code, tt.want)
			}
			if n := w.Body.Len(); n > maxErrorBody {
				t.Errorf("answer is %d bytes, want at most %d", n, maxErrorBody)
			}
		})
	}
}

// The bounds leave every real URL alone, and the 404 page of an unknown URL
// still links back to the application root, relatively.
func TestPathBoundsKeepRealURLs(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, newFakeStore(testPods()...))
	based := newTestEnv(t, newFakeStore(testPods()...), func(c *serverConfig) { c.basePath = "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p" })
	longName := strings.Repeat("n", 253) // the longest node name Kubernetes allows (a DNS subdomain)
	for _, tt := range []struct {
		name   string
		env    *testEnv
		target string
		checks []check
	}{
		{"a pod page", env, "/pods/shop/cart-1", checks(hasStatus(200))},
		{"an API pod", env, "/api/v1/pods/shop/cart-1", checks(hasStatus(200))},
		{"an unknown node with the longest name is a 404 page, not a refusal", env, "/nodes/" + longName, checks(
			hasStatus(404), hasElement(`[data-testid="error"]`), hasAttr(`link[rel="stylesheet"]`, "href", "../static/app.css?v="+hashOf("app.css")))},
		{"an unknown page a few levels down links back up exactly", env, "/x/y/z/w", checks(
			hasStatus(404), hasElement(`[data-testid="error"]`), hasAttr(`link[rel="stylesheet"]`, "href", "../../../static/app.css?v="+hashOf("app.css")))},
		{"a deep base path does not count against the depth", based, "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/api/v1/pods/shop/cart-1", checks(hasStatus(200))},
		{"an unknown page under a deep base path is a 404 page", based, "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/x/y", checks(
			hasStatus(404), hasAttr(`link[rel="stylesheet"]`, "href", "../static/app.css?v="+hashOf("app.css")))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := tt.env.get(tt.target)
			for _, c := range tt.checks {
				if err := c(w); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// rawRequest sends head (a request line and headers, without the final
// empty line) over a fresh connection and returns the status code.
func rawRequest(t *testing.T, addr, head string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(15 * time.Second))
	// Write while reading: the server may answer and stop reading before
	// the whole request is sent.
	go func() { _, _ = io.WriteString(conn, head+"\r\n\r\n") }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The server bounds what one request may make it buffer before any handler
// runs: a request line and headers beyond 64 KiB are refused by net/http.
func TestServerBoundsRequestHeaders(t *testing.T) {
	addr := freeAddr(t)
	o, err := parseFlags([]string{"podlens", "--listen", addr, "--drain", "0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), o, fake.NewClientset()) }()
	waitReady(t, "http://"+addr)

	small := fmt.Sprintf("GET /healthz HTTP/1.1\r\nHost: %s\r\nX-Padding: %s", addr, strings.Repeat("a", 16<<10))
	if got := rawRequest(t, addr, small); got != http.StatusOK {
		t.Errorf("16 KiB of headers: status %d, want 200", got)
	}
	big := fmt.Sprintf("GET /healthz HTTP/1.1\r\nHost: %s\r\nX-Padding: %s", addr, strings.Repeat("a", 200<<10))
	if got := rawRequest(t, addr, big); got != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("200 KiB of headers: status %d, want 431", got)
	}
	cancel()
	waitServeReturned(t, done)
}
