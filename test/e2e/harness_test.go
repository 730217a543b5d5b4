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
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/rest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/podlens/podlens/internal/testcluster"
	"github.com/podlens/podlens/internal/testdashboard"
)

// podlensBin is the dashboard binary TestMain builds once for every test.
var podlensBin string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	// envtest logs through controller-runtime; nothing here reads those logs.
	ctrllog.SetLogger(logr.Discard())
	bin, remove, err := testdashboard.BuildTemp("podlens-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	defer remove()
	podlensBin = bin
	return m.Run()
}

// repoRoot is the folder holding go.mod.
func repoRoot() (string, error) { return testcluster.RepoRoot() }

// startCluster starts a real kube-apiserver and etcd, stopped in cleanup.
func startCluster(t testing.TB) *testcluster.Cluster {
	t.Helper()
	return testcluster.Start(t)
}

// podlens is one running dashboard process; URL is its origin, e.g.
// http://127.0.0.1:41234 (no trailing slash).
type podlens = testdashboard.Process

// startPodlens runs the dashboard binary against the cluster behind cfg,
// waits until /readyz answers 200 and stops the process (by PID) in cleanup.
// args are extra flags. The process's logs go to the test log.
func startPodlens(t testing.TB, cfg *rest.Config, args ...string) *podlens {
	t.Helper()
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := testcluster.WriteKubeconfig(cfg, kubeconfig); err != nil {
		t.Fatal(err)
	}
	p, _, err := testdashboard.RunRetrying(t, options(kubeconfig, args))
	if err != nil {
		t.Fatalf("starting podlens: %v", err)
	}
	return p
}

// errAddrInUse is tryStartPodlens's error when the free port was taken
// before the dashboard bound it: try again.
var errAddrInUse = testdashboard.ErrAddrInUse

// tryStartPodlens is one attempt of startPodlens, with a kubeconfig file.
func tryStartPodlens(t testing.TB, kubeconfig string, args []string) (*podlens, error) {
	p, _, err := testdashboard.Run(t, options(kubeconfig, args))
	return p, err
}

// options are the e2e tests' flags: debug logs, then args.
func options(kubeconfig string, args []string) testdashboard.Options {
	return testdashboard.Options{Binary: podlensBin, Kubeconfig: kubeconfig,
		Args: append([]string{"--log-level", "debug"}, args...)}
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (string, error) {
	addr, err := testdashboard.FreeAddr()
	if err != nil {
		return "", err
	}
	_, port, err := net.SplitHostPort(addr)
	return port, err
}

// testLogWriter copies a child process's output line by line into the test
// log, and keeps it for error messages.
type testLogWriter = testdashboard.LogWriter

func newTestLogWriter(t testing.TB, prefix string) *testLogWriter {
	return testdashboard.NewLogWriter(t, prefix)
}

// eventually calls cond every 100 ms until it returns nil or timeout
// passes; then it fails the test with cond's last error.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	testdashboard.Eventually(t, timeout, what, cond)
}
