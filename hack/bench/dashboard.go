package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

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

// buildServer builds ./cmd/server into dir and returns the binary's path.
func buildServer(ctx context.Context, dir string, log io.Writer) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "podlens")
	fmt.Fprintln(log, "bench: building ./cmd/server")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/server")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building ./cmd/server: %w", err)
	}
	return bin, nil
}

// writeKubeconfig writes cfg (the test cluster's admin config) as a
// kubeconfig file the dashboard can read with --kubeconfig.
func writeKubeconfig(cfg *rest.Config, path string) error {
	kc := clientcmdapi.NewConfig()
	kc.Clusters["bench"] = &clientcmdapi.Cluster{
		Server:                   cfg.Host,
		CertificateAuthorityData: cfg.CAData,
		InsecureSkipTLSVerify:    cfg.Insecure,
	}
	kc.AuthInfos["admin"] = &clientcmdapi.AuthInfo{
		ClientCertificateData: cfg.CertData,
		ClientKeyData:         cfg.KeyData,
		Token:                 cfg.BearerToken,
		Username:              cfg.Username,
		Password:              cfg.Password,
	}
	kc.Contexts["bench"] = &clientcmdapi.Context{Cluster: "bench", AuthInfo: "admin"}
	kc.CurrentContext = "bench"
	return clientcmd.WriteToFile(*kc, path)
}

// freeAddr returns a free 127.0.0.1 port.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// dashboard is the dashboard running as a child process.
type dashboard struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:port
	debug   string // http://127.0.0.1:port of its pprof server; empty without one
	started time.Time
	exited  chan struct{}
	logPath string
	http    *http.Client
}

// startDashboard starts bin against kubeconfig with its log in logPath,
// accepting up to maxViewers websocket viewers, with env added to its
// environment and the extra flags, and
// with pprof on a second loopback port (--debug-listen) when profile is set.
func startDashboard(bin, kubeconfig, logPath string, maxViewers int, profile bool, env []string, extra ...string) (*dashboard, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	args := []string{"--kubeconfig", kubeconfig, "--listen", addr, "--max-viewers", strconv.Itoa(maxViewers)}
	args = append(args, extra...)
	var debug string
	if profile {
		debugAddr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		args = append(args, "--debug-listen", debugAddr)
		debug = "http://" + debugAddr
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(append(os.Environ(), "KUBECONFIG="+kubeconfig), env...)
	d := &dashboard{cmd: cmd, base: "http://" + addr, debug: debug, exited: make(chan struct{}), logPath: logPath,
		http: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}
	d.started = time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting the dashboard: %w", err)
	}
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(d.exited)
	}()
	return d, nil
}

// stop ends the dashboard with SIGTERM, then SIGKILL after a grace period.
func (d *dashboard) stop() {
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(20 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.exited
	}
}

// logTail is the end of the dashboard's log, for error messages.
func (d *dashboard) logTail() string {
	b, _ := os.ReadFile(d.logPath)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// get fetches path and returns the body.
func (d *dashboard) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := d.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return body, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return body, nil
}

// waitReady polls /readyz every 5 ms until it answers 200.
func (d *dashboard) waitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		select {
		case <-d.exited:
			return fmt.Errorf("the dashboard exited before it was ready:\n%s", d.logTail())
		default:
		}
		if _, err := d.get(ctx, "/readyz"); err == nil {
			return nil
		}
		if err := sleep(ctx, 5*time.Millisecond); err != nil {
			return fmt.Errorf("the dashboard was not ready after %s:\n%s", timeout, d.logTail())
		}
	}
}

// waitFull polls the dashboard's JSON API until it counts at least n pods:
// /readyz says the informers synced, but the pages list pods only once the
// publisher has diagnosed them.
func (d *dashboard) waitFull(ctx context.Context, n int, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	last := -1
	for {
		start := time.Now()
		body, err := d.get(ctx, "/api/v1/pods?pageSize=1")
		took := time.Since(start)
		if err == nil {
			var res struct {
				Total *int `json:"total"`
			}
			if err := json.Unmarshal(body, &res); err != nil || res.Total == nil {
				return fmt.Errorf("/api/v1/pods has no total: %v", err)
			}
			if last = *res.Total; last >= n {
				return nil
			}
		}
		// Poll at most half the time, so polling does not slow the start it times.
		if err := sleep(ctx, 10*time.Millisecond+took); err != nil {
			return fmt.Errorf("the dashboard listed %d of %d pods after %s", last, n, timeout)
		}
	}
}

// rss is the dashboard's resident set size in bytes, from /proc.
func (d *dashboard) rss() (float64, error) {
	v := firstField(fmt.Sprintf("/proc/%d/status", d.cmd.Process.Pid), "VmRSS")
	kb, err := strconv.ParseFloat(strings.TrimSuffix(v, " kB"), 64)
	if err != nil {
		return 0, fmt.Errorf("reading the dashboard's VmRSS (%q): %w", v, err)
	}
	return kb * 1024, nil
}

// metric reads one metric from the dashboard's /metrics.
func (d *dashboard) metric(ctx context.Context, name string) (float64, error) {
	text, err := d.get(ctx, "/metrics")
	if err != nil {
		return 0, err
	}
	v, ok := metricSum(text, name)
	if !ok {
		return 0, fmt.Errorf("the dashboard's /metrics has no %s", name)
	}
	return v, nil
}

// wsConnect matches the htmx websocket attribute on the list page's body.
var wsConnect = regexp.MustCompile(`ws-connect="([^"]*)"`)

// viewerPath is the websocket path and query a browser opens for the page at
// pagePath with body page: its ws-connect resolved against the page's URL.
// It falls back to the list view's websocket when the page has none.
func viewerPath(pagePath string, page []byte) string {
	const fallback = "/ws?view=pods"
	m := wsConnect.FindSubmatch(page)
	if m == nil {
		return fallback
	}
	base, err := url.Parse("http://dashboard" + pagePath)
	if err != nil {
		return fallback
	}
	ref, err := url.Parse(html.UnescapeString(string(m[1])))
	if err != nil {
		return fallback
	}
	u := base.ResolveReference(ref)
	return u.RequestURI()
}
