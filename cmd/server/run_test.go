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
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server never became ready")
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

	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/api/v1/pods?namespace=shop")
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		resp.Body.Close()
		if strings.Contains(body.String(), `"name":"cart-1"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pods never listed: %s", body.String())
		}
		time.Sleep(50 * time.Millisecond)
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
	t.Run("bad flags are errors", func(t *testing.T) {
		for _, args := range [][]string{
			{"podlens", "--log-level", "loud"},
			{"podlens", "--base-path", "tools"},
			{"podlens", "--nope"},
			{"podlens", "--api-compression", "sometimes"},
			{"podlens", "--memory-limit", "lots"},
		} {
			if err := run(context.Background(), args, func(string) string { return "" }, io.Discard); err == nil {
				t.Errorf("run %v: no error", args)
			}
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
		if err := <-done; err != nil {
			t.Fatalf("run: %v", err)
		}
		if !strings.Contains(logs.String(), `"msg":"listening"`) {
			t.Errorf("logs lack the listening line: %s", logs.String())
		}
	})
}
