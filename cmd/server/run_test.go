package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes/fake"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// client-go's fake watchers and klog's flush daemon outlive tests by design.
		goleak.IgnoreTopFunction("k8s.io/klog/v2.(*flushDaemon).run.func1"),
		goleak.IgnoreAnyFunction("k8s.io/apimachinery/pkg/watch.(*Broadcaster).loop"),
	)
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr finds a free local port.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitReady polls /readyz until 200.
func waitReady(t *testing.T, base string) {
	t.Helper()
	last := "no answer yet"
	err := wait.PollUntilContextTimeout(context.Background(), 50*time.Millisecond, 30*time.Second, true, func(context.Context) (bool, error) {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			last = err.Error()
			return false, nil
		}
		resp.Body.Close()
		last = resp.Status
		return resp.StatusCode == http.StatusOK, nil
	})
	if err != nil {
		t.Fatalf("server never became ready (last: %s)", last)
	}
}

func TestServeWithFakeClientset(t *testing.T) {
	addr := freeAddr(t)
	client := fake.NewClientset(testPods()[0], testPods()[1])
	ctx, cancel := context.WithCancel(context.Background())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	o, err := parseFlags([]string{"podlens", "--listen", addr, "--drain", "0", "-n", "shop"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, log, o, client) }()
	base := "http://" + addr
	waitReady(t, base)

	var body bytes.Buffer
	err = wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
		resp, err := http.Get(base + "/api/v1/pods?namespace=shop")
		if err != nil {
			return false, err
		}
		body.Reset()
		_, _ = body.ReadFrom(resp.Body)
		resp.Body.Close()
		return strings.Contains(body.String(), `"name":"cart-1"`), nil
	})
	if err != nil {
		t.Fatalf("pods never listed (%v): %s", err, body.String())
	}
	cancel()
	waitServeReturned(t, done)
}

func TestRun(t *testing.T) {
	t.Run("no cluster is one line pointing at the options", func(t *testing.T) {
		env := map[string]string{"HOME": t.TempDir()}
		err := run(context.Background(), []string{"podlens"}, func(k string) string { return env[k] }, io.Discard)
		if err == nil || err.Error() != errNoCluster.Error() {
			t.Fatalf("err = %v, want %v", err, errNoCluster)
		}
	})
	t.Run("bad flags stop run with the flag's own error", func(t *testing.T) {
		// Without a cluster run fails anyway (errNoCluster), so compare the
		// error itself: a flag check that went missing changes it.
		args := []string{"podlens", "--memory-limit", "lots"}
		err := run(context.Background(), args, func(string) string { return "" }, io.Discard)
		want := `--memory-limit "lots": want a positive quantity such as 512Mi`
		if err == nil || err.Error() != want {
			t.Fatalf("run %v: err = %v, want %q", args, err, want)
		}
	})
	t.Run("version prints and exits", func(t *testing.T) {
		var out syncBuffer
		if err := run(context.Background(), []string{"podlens", "--version"}, func(string) string { return "" }, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "podlens") {
			t.Fatalf("output %q", out.String())
		}
	})
	t.Run("demo mode serves and shuts down on cancel", func(t *testing.T) {
		addr := freeAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		var logs syncBuffer
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"podlens", "--demo", "--listen", addr, "--drain", "0", "--log-format", "json"}, func(string) string { return "" }, &logs)
		}()
		waitReady(t, "http://"+addr)
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		resp.Body.Close()
		if !strings.Contains(body.String(), `data-testid="demo-banner"`) {
			t.Error("demo page lacks the demo banner")
		}
		cancel()
		waitServeReturned(t, done)
		if !strings.Contains(logs.String(), `"msg":"listening"`) {
			t.Errorf("logs lack the listening line: %s", logs.String())
		}
	})
}

// TestParseFlagsRefusesBadValues calls the flag parser (and the logger the
// log flags configure) directly, so each case is held to its own message
// rather than to "some error".
func TestParseFlagsRefusesBadValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"podlens", "--base-path", "tools"}, `--base-path "tools" must start with /`},
		{[]string{"podlens", "--nope"}, "flag provided but not defined: -nope"},
		{[]string{"podlens", "--api-compression", "sometimes"}, `--api-compression "sometimes": want auto, on or off`},
		{[]string{"podlens", "--memory-limit", "lots"}, `--memory-limit "lots": want a positive quantity such as 512Mi`},
		{[]string{"podlens", "--memory-limit", "-1Gi"}, `--memory-limit "-1Gi": want a positive quantity such as 512Mi`},
		{[]string{"podlens", "--frame-ancestors", "https://a.example; script-src *"}, `--frame-ancestors "https://a.example; script-src *": not a CSP source`},
		{[]string{"podlens", "stray"}, "unexpected arguments: stray"},
		{[]string{"podlens", "--max-viewers", "many"}, `invalid value "many" for flag -max-viewers: parse error`},
	} {
		_, err := parseFlags(tc.args, io.Discard)
		if err == nil || err.Error() != tc.want {
			t.Errorf("parseFlags %q: err = %v, want %q", tc.args[1:], err, tc.want)
		}
	}
	for _, tc := range []struct{ level, format, want string }{
		{"loud", "text", `--log-level "loud": want debug, info, warn or error`},
		{"info", "xml", `--log-format "xml": want text or json`},
	} {
		if _, err := newLogger(io.Discard, tc.level, tc.format); err == nil || err.Error() != tc.want {
			t.Errorf("newLogger(%q, %q): err = %v, want %q", tc.level, tc.format, err, tc.want)
		}
	}
	if _, err := parseFlags([]string{"podlens", "-n", "shop,payments", "--namespace", "ops"}, io.Discard); err != nil {
		t.Errorf("good flags refused: %v", err)
	}
}
