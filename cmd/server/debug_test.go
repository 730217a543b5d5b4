package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes/fake"
)

func TestParseFlagsDebugListen(t *testing.T) {
	o, err := parseFlags([]string{"podlens"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.debugListen != "" {
		t.Errorf("--debug-listen defaults to %q, want off (empty)", o.debugListen)
	}
	o, err = parseFlags([]string{"podlens", "--debug-listen", "127.0.0.1:6060"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.debugListen != "127.0.0.1:6060" {
		t.Errorf("--debug-listen = %q", o.debugListen)
	}
}

// getBody fetches url and returns the status and body.
func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestDebugHandlerServesPprof(t *testing.T) {
	srv := httptest.NewServer(newDebugHandler())
	defer srv.Close()
	code, body := getBody(t, srv.URL+"/debug/pprof/heap?debug=1")
	if code != http.StatusOK {
		t.Fatalf("heap profile: %d %s", code, body)
	}
	if !strings.HasPrefix(body, "heap profile:") || !strings.Contains(body, "# runtime.MemStats") {
		t.Errorf("heap profile text missing, got:\n%.300s", body)
	}
	if code, body := getBody(t, srv.URL+"/debug/pprof/"); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("index: %d %.300s", code, body)
	}
}

func TestDebugRoutesNotOnTheDashboard(t *testing.T) {
	e := newTestEnv(t, newFakeStore())
	for _, target := range []string{"/debug/pprof/", "/debug/pprof/heap?debug=1", "/debug/pprof/profile?seconds=1", "/debug/pprof/cmdline"} {
		if w := e.get(target); w.Code != http.StatusNotFound {
			t.Errorf("GET %s on the dashboard router: %d, want 404", target, w.Code)
		}
	}
	e = newTestEnv(t, newFakeStore(), func(c *serverConfig) { c.basePath = "/tools/pods" })
	if w := e.get("/tools/pods/debug/pprof/"); w.Code != http.StatusNotFound {
		t.Errorf("GET /tools/pods/debug/pprof/ on the dashboard router: %d, want 404", w.Code)
	}
}

func TestDebugListenServesAndStopsWithTheServer(t *testing.T) {
	addr, debugAddr := freeAddr(t), freeAddr(t)
	o, err := parseFlags([]string{"podlens", "--listen", addr, "--debug-listen", debugAddr, "--drain", "0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	done := make(chan error, 1)
	go func() { done <- serve(ctx, log, o, fake.NewClientset()) }()
	waitReady(t, "http://"+addr)

	if code, body := getBody(t, "http://"+debugAddr+"/debug/pprof/heap?debug=1"); code != http.StatusOK || !strings.HasPrefix(body, "heap profile:") {
		t.Errorf("debug server heap profile: %d %.200s", code, body)
	}
	if code, _ := getBody(t, "http://"+addr+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("dashboard /debug/pprof/: %d, want 404", code)
	}
	if !strings.Contains(logs.String(), "debug listening") {
		t.Errorf("logs lack the debug listening line: %s", logs.String())
	}
	if strings.Contains(logs.String(), "not a loopback") {
		t.Errorf("loopback address warned about: %s", logs.String())
	}

	cancel()
	waitServeReturned(t, done)
	if c, err := net.DialTimeout("tcp", debugAddr, time.Second); err == nil {
		c.Close()
		t.Error("the debug server still accepts connections after shutdown")
	}
}

func TestDebugListenErrorIsReturned(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := freeAddr(t)
	o, err := parseFlags([]string{"podlens", "--listen", addr, "--debug-listen", busy.Addr().String()}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	err = serve(context.Background(), log, o, fake.NewClientset())
	if err == nil || !strings.Contains(err.Error(), "--debug-listen") || !strings.Contains(err.Error(), busy.Addr().String()) {
		t.Fatalf("serve with a busy --debug-listen: %v, want a listening error naming the flag and address", err)
	}
	// The main listener was released.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the main listener was not closed: %v", err)
	}
	ln.Close()
}

func TestDebugIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:6060": true,
		"[::1]:6060":     true,
		"localhost:6060": true,
		":6060":          false,
		"0.0.0.0:6060":   false,
		"10.0.0.5:6060":  false,
		"nonsense":       false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// pprof on an address others can reach is refused unless asked for by name:
// a mistyped --debug-listen must not publish the process's memory.
func TestDebugListenRefusesNonLoopbackUnlessUnsafe(t *testing.T) {
	// Cancelled: a run that accepted the address stops at once and returns nil.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "10.0.0.5:6060", "podlens.example:6060"} {
		err := run(ctx, []string{"podlens", "--demo", "--listen", freeAddr(t), "--drain", "0", "--debug-listen", addr},
			func(string) string { return "" }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--debug-listen-unsafe") || !strings.Contains(err.Error(), addr) {
			t.Errorf("run with --debug-listen %s: %v, want an error naming the address and --debug-listen-unsafe", addr, err)
		}
	}
	for _, args := range [][]string{
		{"podlens", "--debug-listen", "127.0.0.1:6060"},
		{"podlens", "--debug-listen", "[::1]:6060"},
		{"podlens", "--debug-listen", "localhost:6060"},
		{"podlens", "--debug-listen", "0.0.0.0:6060", "--debug-listen-unsafe"},
	} {
		if _, err := parseFlags(args, io.Discard); err != nil {
			t.Errorf("parseFlags %v: %v", args[1:], err)
		}
	}
}
