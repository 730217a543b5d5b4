// Package e2e_test runs the real dashboard binary against a real kube-apiserver
// and etcd (envtest), and drives it with real headless Chromium. Nothing is
// faked: the binary reads the cluster through its kubeconfig exactly as it
// does in production, and the tests write state to the API server the way a
// kubelet would (status subresource, events).
//
// Run with:
//
//	KUBEBUILDER_ASSETS=$(bash hack/k8s-binaries.sh) go test -count=1 ./test/e2e/ -v
package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/rest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/podlens/podlens/internal/testcluster"
)

// podlensBin is the dashboard binary TestMain builds once for every test.
var podlensBin string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	// envtest logs through controller-runtime; nothing here reads those logs.
	ctrllog.SetLogger(logr.Discard())
	dir, err := os.MkdirTemp("", "podlens-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	root, err := repoRoot()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	podlensBin = filepath.Join(dir, "podlens")
	build := exec.Command("go", "build", "-o", podlensBin, "./cmd/server")
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: building ./cmd/server: %v\n", err)
		return 1
	}
	return m.Run()
}

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// startCluster starts a real kube-apiserver and etcd, stopped in cleanup.
func startCluster(t testing.TB) *testcluster.Cluster {
	t.Helper()
	return testcluster.Start(t)
}

// podlens is one running dashboard process.
type podlens struct {
	// URL is the server's origin, e.g. http://127.0.0.1:41234 (no trailing slash).
	URL string
	cmd *exec.Cmd
}

// startPodlens runs the dashboard binary against the cluster behind cfg,
// waits until /readyz answers 200 and stops the process (by PID) in cleanup.
// args are extra flags. The process's logs go to the test log.
func startPodlens(t testing.TB, cfg *rest.Config, args ...string) *podlens {
	t.Helper()
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := testcluster.WriteKubeconfig(cfg, kubeconfig); err != nil {
		t.Fatal(err)
	}
	// A freed port can be taken by someone else before the child binds it;
	// try a few ports before giving up.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		p, err := tryStartPodlens(t, kubeconfig, args)
		if err == nil {
			return p
		}
		lastErr = err
		if !errors.Is(err, errAddrInUse) {
			break
		}
	}
	t.Fatalf("starting podlens: %v", lastErr)
	return nil
}

var errAddrInUse = errors.New("address already in use")

func tryStartPodlens(t testing.TB, kubeconfig string, args []string) (*podlens, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", port)
	full := append([]string{"--kubeconfig", kubeconfig, "--listen", addr, "--log-level", "debug"}, args...)
	cmd := exec.Command(podlensBin, full...)
	cmd.Env = append(os.Environ(), "KUBECONFIG=") // only the flag counts
	logs := newTestLogWriter(t, "podlens "+port+": ")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", podlensBin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	p := &podlens{URL: "http://" + addr, cmd: cmd}

	stop := func() {
		if cmd.ProcessState != nil {
			return
		}
		// Graceful first: the server drains on SIGTERM. Then kill by PID.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Logf("podlens (pid %d) exited after SIGTERM: %v", cmd.Process.Pid, err)
			}
		case <-time.After(20 * time.Second):
			t.Logf("podlens (pid %d) did not stop 20s after SIGTERM; killing it", cmd.Process.Pid)
			_ = cmd.Process.Kill()
			<-exited
		}
		logs.Close()
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	client := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			logs.Close()
			if strings.Contains(logs.String(), "address already in use") {
				return nil, errAddrInUse
			}
			return nil, fmt.Errorf("podlens exited before it was ready: %v", err)
		case <-ctx.Done():
			stop()
			return nil, fmt.Errorf("podlens at %s not ready after 90s", p.URL)
		case <-tick.C:
		}
		resp, err := client.Get(p.URL + basePathArg(args) + "/readyz")
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Cleanup(stop)
			return p, nil
		}
	}
}

// basePathArg is the --base-path among args ("" when absent): the server
// serves /readyz under it.
func basePathArg(args []string) string {
	for i, a := range args {
		switch {
		case a == "--base-path" && i+1 < len(args):
			return strings.TrimRight(args[i+1], "/")
		case strings.HasPrefix(a, "--base-path="):
			return strings.TrimRight(strings.TrimPrefix(a, "--base-path="), "/")
		}
	}
	return ""
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

// testLogWriter copies a child process's output line by line into the test
// log, and keeps it for error messages. Close stops logging, so no line is
// logged after the test has finished.
type testLogWriter struct {
	mu     sync.Mutex
	t      testing.TB
	prefix string
	buf    bytes.Buffer // partial line
	all    bytes.Buffer
	closed bool
}

func newTestLogWriter(t testing.TB, prefix string) *testLogWriter {
	w := &testLogWriter{t: t, prefix: prefix}
	t.Cleanup(w.Close)
	return w
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all.Write(p)
	if w.closed {
		return len(p), nil
	}
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err == io.EOF {
			w.buf.WriteString(line) // keep the partial line
			return len(p), nil
		}
		w.t.Log(w.prefix + strings.TrimRight(line, "\n"))
	}
}

func (w *testLogWriter) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed && w.buf.Len() > 0 {
		w.t.Log(w.prefix + w.buf.String())
	}
	w.closed = true
}

func (w *testLogWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

// eventually calls cond every interval until it returns nil or timeout
// passes; then it fails the test with cond's last error.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true after %v: %v", what, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
