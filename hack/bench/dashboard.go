package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/podlens/podlens/internal/testdashboard"
)

// buildServer builds ./cmd/server into dir and returns the binary's path.
func buildServer(ctx context.Context, dir string, log io.Writer) (string, error) {
	fmt.Fprintln(log, "bench: building ./cmd/server")
	return testdashboard.Build(ctx, dir, log)
}

// dashboard is the dashboard running as a child process: its URL, PID and
// start time come from testdashboard.Process.
type dashboard struct {
	*testdashboard.Process
	debug   string // http://127.0.0.1:port of its pprof server; empty without one
	logPath string
	http    *http.Client
}

// startDashboard starts bin against kubeconfig with its log in logPath,
// accepting up to maxViewers websocket viewers, with env added to its
// environment and the extra flags, and
// with pprof on a second loopback port (--debug-listen) when profile is set.
func startDashboard(bin, kubeconfig, logPath string, maxViewers int, profile bool, env []string, extra ...string) (*dashboard, error) {
	args := append([]string{"--max-viewers", strconv.Itoa(maxViewers)}, extra...)
	var debug string
	if profile {
		debugAddr, err := testdashboard.FreeAddr()
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
	p, err := testdashboard.Start(testdashboard.Options{
		Binary: bin, Kubeconfig: kubeconfig, Args: args, Log: logFile,
		Env: append([]string{"KUBECONFIG=" + kubeconfig}, env...),
	})
	if err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting the dashboard: %w", err)
	}
	go func() {
		<-p.Done() // stop, deferred by every caller, ends the process
		logFile.Close()
	}()
	return &dashboard{Process: p, debug: debug, logPath: logPath,
		http: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}, nil
}

// stop ends the dashboard with SIGTERM, then SIGKILL after a grace period.
func (d *dashboard) stop() { _ = d.Stop(20 * time.Second) }

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
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL+path, nil)
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
	if err := d.WaitReady(ctx, "/readyz", 5*time.Millisecond, timeout); err != nil {
		return fmt.Errorf("%w:\n%s", err, d.logTail())
	}
	return nil
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
	v := firstField(fmt.Sprintf("/proc/%d/status", d.PID()), "VmRSS")
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
