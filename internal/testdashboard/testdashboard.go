// Package testdashboard runs the real dashboard binary as a child process for
// the end-to-end tests, the resilience tests and the benchmark: built once,
// listening on a free loopback port, its output captured, polled until ready,
// and stopped by its PID (SIGTERM, then SIGKILL after a deadline).
//
// Only test code and hack/ programs import this package; the dashboard binary never does.
package testdashboard

import (
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
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/podlens/podlens/internal/testcluster"
)

// Build builds ./cmd/server into dir and returns the binary's path; the go
// command's output goes to log.
func Build(ctx context.Context, dir string, log io.Writer) (string, error) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "podlens")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/server")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building ./cmd/server: %w", err)
	}
	return bin, nil
}

// BuildTemp builds the dashboard into a new temporary folder, once for a
// whole test binary (from TestMain): remove deletes the folder, after m.Run.
// The go command's output goes to stderr.
func BuildTemp(prefix string) (bin string, remove func(), err error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, err
	}
	remove = func() { _ = os.RemoveAll(dir) }
	if bin, err = Build(context.Background(), dir, os.Stderr); err != nil {
		remove()
		return "", nil, err
	}
	return bin, remove, nil
}

// FreeAddr returns a 127.0.0.1 address whose port was free a moment ago. The
// port can be taken by someone else before the child binds it: Run retries
// when that happens.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Options says how to start the dashboard.
type Options struct {
	// Binary is the dashboard's path, from Build.
	Binary string
	// Kubeconfig is passed as --kubeconfig; empty leaves the flag out (with --demo).
	Kubeconfig string
	// Listen is the address to serve on; empty picks a free loopback port.
	Listen string
	// Args are more flags, after --kubeconfig and --listen.
	Args []string
	// Env is added to the environment. KUBECONFIG is emptied first, so that
	// only --kubeconfig counts; Env may set it again.
	Env []string
	// Log receives the process's stdout and stderr; nil discards them.
	Log io.Writer
}

// Process is one running dashboard.
type Process struct {
	// URL is the server's origin, e.g. http://127.0.0.1:41234 (no trailing slash).
	URL string
	// Addr is the address it listens on, e.g. 127.0.0.1:41234.
	Addr string
	// Started is the time just before the process was started.
	Started time.Time

	cmd  *exec.Cmd
	done chan struct{}
	err  error // how the process exited; valid once done is closed
}

// Start starts the dashboard and returns without waiting for it to be ready
// (see WaitReady).
func Start(o Options) (*Process, error) {
	addr := o.Listen
	if addr == "" {
		var err error
		if addr, err = FreeAddr(); err != nil {
			return nil, err
		}
	}
	var args []string
	if o.Kubeconfig != "" {
		args = append(args, "--kubeconfig", o.Kubeconfig)
	}
	args = append(append(args, "--listen", addr), o.Args...)
	cmd := exec.Command(o.Binary, args...)
	cmd.Env = append(append(os.Environ(), "KUBECONFIG="), o.Env...)
	cmd.Stdout, cmd.Stderr = o.Log, o.Log
	// Wait returns at most this long after the process exits even if
	// something still holds its output pipe open.
	cmd.WaitDelay = 10 * time.Second
	p := &Process{URL: "http://" + addr, Addr: addr, cmd: cmd, done: make(chan struct{})}
	p.Started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", o.Binary, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// PID is the process id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Done is closed once the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is how the process exited (nil for status 0); valid once Done is closed.
func (p *Process) Err() error {
	select {
	case <-p.done:
		return p.err
	default:
		return errors.New("still running")
	}
}

// Running reports whether the process has not exited.
func (p *Process) Running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Signal sends sig to the process, by its PID.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Stop ends the process gracefully with SIGTERM (the server drains, as when
// the kubelet deletes its pod) and with SIGKILL if it has not exited grace
// later. It reports what happened during Stop: nil for a clean exit or a
// process that had already exited, else the exit status or the kill.
func (p *Process) Stop(grace time.Duration) error {
	if !p.Running() {
		return nil
	}
	_ = p.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.err != nil {
			return fmt.Errorf("podlens (pid %d) exited after SIGTERM: %w", p.PID(), p.err)
		}
		return nil
	case <-time.After(grace):
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
		return fmt.Errorf("podlens (pid %d) did not stop %v after SIGTERM; killed it", p.PID(), grace)
	case <-time.After(p.cmd.WaitDelay + 5*time.Second):
		return fmt.Errorf("podlens (pid %d) did not stop %v after SIGTERM, nor after SIGKILL", p.PID(), grace)
	}
}

// ErrExited is wrapped by WaitReady's error when the process exited first.
var ErrExited = errors.New("podlens exited before it was ready")

// readyClient is for readiness probes: one slow answer is retried, not waited for.
var readyClient = &http.Client{Timeout: 5 * time.Second}

// WaitReady polls GET URL+path every interval until it answers 200. It
// fails when timeout passes (saying what the last probe got), when ctx ends,
// or at once when the process exits (wrapping ErrExited).
func (p *Process) WaitReady(ctx context.Context, path string, interval, timeout time.Duration) error {
	last := errors.New("not probed yet")
	err := wait.PollUntilContextTimeout(ctx, interval, timeout, true, func(ctx context.Context) (bool, error) {
		if !p.Running() {
			return false, fmt.Errorf("%w: %v", ErrExited, p.err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+path, nil)
		if err != nil {
			return false, err
		}
		resp, err := readyClient.Do(req)
		if err != nil {
			last = err
			return false, nil
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			last = fmt.Errorf("GET %s: %s", path, resp.Status)
			return false, nil
		}
		return true, nil
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrExited):
		return err
	case wait.Interrupted(err):
		return fmt.Errorf("podlens at %s not ready after %v: %v", p.URL, timeout, last)
	default:
		return err
	}
}

// ReadyPath is the readiness path for a dashboard started with args: /readyz
// under its --base-path, if any.
func ReadyPath(args []string) string {
	for i, a := range args {
		switch {
		case a == "--base-path" && i+1 < len(args):
			return strings.TrimRight(args[i+1], "/") + "/readyz"
		case strings.HasPrefix(a, "--base-path="):
			return strings.TrimRight(strings.TrimPrefix(a, "--base-path="), "/") + "/readyz"
		}
	}
	return "/readyz"
}
