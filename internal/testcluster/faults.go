package testcluster

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Fault injection for resilience tests: stop and restart the API server on
// the same address with the same certificates, and compact etcd so old
// resource versions expire (410 Gone), as happens in real clusters.

// NewRestartable is New with the API server's certificates kept in certDir,
// so StopAPIServer and StartAPIServer bring it back on the same port with the
// same serving and client CAs: clients built from Config (and kubeconfigs
// written from it) keep working across the restart. envtest deletes and
// regenerates its certificates on restart when it picked the folder itself.
func NewRestartable(certDir string) (*Cluster, error) {
	dir, err := Assets()
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{BinaryAssetsDirectory: dir}
	env.ControlPlane.APIServer = &envtest.APIServer{CertDir: certDir}
	env.ControlPlaneStopTimeout = stopGrace
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

// StartRestartable is Start for a cluster whose API server the test stops
// and restarts (see NewRestartable).
func StartRestartable(tb testing.TB) *Cluster {
	tb.Helper()
	c, err := NewRestartable(tb.TempDir())
	if err != nil {
		tb.Fatalf("real API server: %v", err)
	}
	tb.Cleanup(func() {
		if err := c.Stop(); err != nil && !isStopTimeout(err) {
			tb.Logf("stopping API server: %v", err)
		}
	})
	return c
}

// isStopTimeout reports whether envtest had to kill a process that did not
// stop within the grace period (expected for kube-apiserver with open watches).
func isStopTimeout(err error) bool {
	return strings.Contains(err.Error(), "timeout waiting for process")
}

// stopGrace is how long StopAPIServer lets kube-apiserver shut down after
// SIGTERM before it kills it. kube-apiserver stops listening at once but
// keeps open watches until it exits, which takes longer than envtest's 20 s
// while a client is watching; a crash is the outage these tests want anyway.
const stopGrace = 2 * time.Second

// StopAPIServer stops the kube-apiserver process: SIGTERM, then SIGKILL
// after a short grace, then it waits until the port is free. etcd keeps
// running with all the data.
func (c *Cluster) StopAPIServer() error {
	as := c.env.ControlPlane.APIServer
	err := as.Stop()
	if err != nil && !isStopTimeout(err) {
		return fmt.Errorf("stopping kube-apiserver: %w", err)
	}
	// On timeout envtest has sent SIGKILL without waiting: wait until the
	// address can be bound again, so StartAPIServer can reuse it.
	addr := net.JoinHostPort(as.SecureServing.Address, as.SecureServing.Port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		l, lerr := net.Listen("tcp", addr)
		if lerr == nil {
			l.Close()
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("kube-apiserver stopped but %s is still in use: %w", addr, lerr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Established connections die with the process; give the kill a moment.
	if err != nil {
		time.Sleep(200 * time.Millisecond)
	}
	return nil
}

// StartAPIServer starts a stopped kube-apiserver again on the same address
// and waits until it reports healthy. The cluster must come from
// NewRestartable, or its clients will not trust the new certificates.
func (c *Cluster) StartAPIServer() error {
	if err := c.env.ControlPlane.APIServer.Start(); err != nil {
		return fmt.Errorf("starting kube-apiserver again: %w", err)
	}
	return nil
}

// EtcdURL is the client URL of the cluster's etcd (plain HTTP on loopback).
func (c *Cluster) EtcdURL() *url.URL { return c.env.ControlPlane.Etcd.URL }

// Revision returns etcd's current revision: every resource version the API
// server hands out is an etcd revision.
func (c *Cluster) Revision(ctx context.Context) (int64, error) {
	var out struct {
		Header struct {
			Revision string `json:"revision"`
		} `json:"header"`
	}
	// Any range answers with the store's current revision in its header.
	key := base64.StdEncoding.EncodeToString([]byte("/registry/namespaces/default"))
	if err := c.etcdCall(ctx, "/v3/kv/range", map[string]any{"key": key, "keys_only": true}, &out); err != nil {
		return 0, err
	}
	rev, err := strconv.ParseInt(out.Header.Revision, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("etcd range: revision %q: %w", out.Header.Revision, err)
	}
	return rev, nil
}

// Compact compacts etcd's history up to its current revision and returns that
// revision. Watches and lists from any older resource version then fail with
// 410 Gone ("too old resource version"), which clients must survive by
// relisting. It talks to etcd's JSON gateway, so tests need no etcd client module.
func (c *Cluster) Compact(ctx context.Context) (int64, error) {
	rev, err := c.Revision(ctx)
	if err != nil {
		return 0, err
	}
	body := map[string]any{"revision": strconv.FormatInt(rev, 10), "physical": true}
	if err := c.etcdCall(ctx, "/v3/kv/compaction", body, nil); err != nil {
		return 0, err
	}
	return rev, nil
}

// etcdCall posts a JSON request to etcd's gRPC gateway and decodes the answer into out.
func (c *Cluster) etcdCall(ctx context.Context, path string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	u := c.EtcdURL().JoinPath(path)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("etcd %s: %w", path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("etcd %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("etcd %s: %s: %s", path, resp.Status, bytes.TrimSpace(data))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("etcd %s: decoding %q: %w", path, data, err)
	}
	return nil
}
