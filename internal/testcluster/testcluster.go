// Package testcluster starts a real kube-apiserver backed by a real etcd for
// integration tests, browser tests and benchmarks, through controller-runtime's
// envtest. The binaries are built from Go modules by hack/k8s-binaries.sh and
// cached; the first run takes about 13 minutes on a 2-core machine.
//
// Only test code and hack/ programs import this package; the dashboard binary never does.
package testcluster

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Cluster is a running API server.
type Cluster struct {
	// Config has admin rights. Its QPS and Burst are raised for bulk loads.
	Config *rest.Config
	// Client is an admin clientset over Config.
	Client kubernetes.Interface
	env    *envtest.Environment
}

var assetsOnce struct {
	sync.Once
	dir string
	err error
}

// Assets returns the folder holding kube-apiserver and etcd: KUBEBUILDER_ASSETS
// when set, else what hack/k8s-binaries.sh builds (or finds in its cache).
func Assets() (string, error) {
	assetsOnce.Do(func() {
		if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
			assetsOnce.dir = dir
			return
		}
		root, err := RepoRoot()
		if err != nil {
			assetsOnce.err = err
			return
		}
		cmd := exec.Command("bash", filepath.Join(root, "hack", "k8s-binaries.sh"))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			assetsOnce.err = fmt.Errorf("building kube-apiserver and etcd with hack/k8s-binaries.sh: %w", err)
			return
		}
		assetsOnce.dir = strings.TrimSpace(string(out))
	})
	return assetsOnce.dir, assetsOnce.err
}

// RepoRoot is the folder holding go.mod, found once by walking up from the
// working directory: go test runs each package's tests in the package's
// folder, and hack/ programs run from anywhere inside the repository.
func RepoRoot() (string, error) { return repoRoot() }

var repoRoot = sync.OnceValues(func() (string, error) {
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
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
})

// New starts an API server and etcd. Call Stop when done.
func New() (*Cluster, error) { return NewWithEtcdData("") }

// NewWithEtcdData is New with etcd keeping its data in dataDir, which
// outlives the cluster, so a later cluster on the same folder starts with
// the same objects. An empty dataDir is a temporary folder, removed on Stop.
func NewWithEtcdData(dataDir string) (*Cluster, error) {
	dir, err := Assets()
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{BinaryAssetsDirectory: dir}
	if dataDir != "" {
		env.ControlPlane.Etcd = &envtest.Etcd{DataDir: dataDir}
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting kube-apiserver and etcd from %s: %w", dir, err)
	}
	cfg.QPS, cfg.Burst = 500, 1000
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("building clientset: %w", err)
	}
	return &Cluster{Config: cfg, Client: client, env: env}, nil
}

// Start starts a cluster for a test and stops it in the test's cleanup. A
// cluster that cannot start fails the test: integration tests never pass
// without a real API server.
func Start(tb testing.TB) *Cluster {
	tb.Helper()
	c, err := New()
	if err != nil {
		tb.Fatalf("real API server: %v", err)
	}
	tb.Cleanup(func() {
		if err := c.Stop(); err != nil {
			tb.Logf("stopping API server: %v", err)
		}
	})
	return c
}

// Stop stops the API server and etcd.
func (c *Cluster) Stop() error { return c.env.Stop() }

// Environment exposes envtest for tests that add users or restart the control plane.
func (c *Cluster) Environment() *envtest.Environment { return c.env }
