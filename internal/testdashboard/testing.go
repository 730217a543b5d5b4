package testdashboard

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

// For tests: the dashboard's output in the test log, readiness within a
// deadline, and the process stopped in the test's cleanup.

const (
	// readyTimeout is how long a test waits for a new dashboard's /readyz: its
	// informers list the whole test cluster first, on a shared 2-core machine.
	readyTimeout = 90 * time.Second
	// stopGrace is how long the cleanup waits after SIGTERM before SIGKILL;
	// the server drains for --drain (3s by default) first.
	stopGrace = 20 * time.Second
)

// ErrAddrInUse is Run's error when another process took the free port
// before the dashboard bound it.
var ErrAddrInUse = errors.New("address already in use")

// Run starts the dashboard for t (one attempt), with its output in the test
// log prefixed "podlens PORT: ", and waits until its /readyz (under
// --base-path, when in o.Args) answers 200. The process is stopped by PID in
// t's cleanup. o.Log is ignored: the returned LogWriter holds the output.
func Run(t testing.TB, o Options) (*Process, *LogWriter, error) {
	if o.Listen == "" {
		addr, err := FreeAddr()
		if err != nil {
			return nil, nil, err
		}
		o.Listen = addr
	}
	_, port, err := net.SplitHostPort(o.Listen)
	if err != nil {
		return nil, nil, err
	}
	logs := NewLogWriter(t, "podlens "+port+": ")
	o.Log = logs
	p, err := Start(o)
	if err != nil {
		return nil, nil, err
	}
	err = p.WaitReady(context.Background(), ReadyPath(o.Args), 100*time.Millisecond, readyTimeout)
	switch {
	case errors.Is(err, ErrExited):
		logs.Close()
		if strings.Contains(logs.String(), "address already in use") {
			return nil, nil, ErrAddrInUse
		}
		return nil, nil, err
	case err != nil:
		if stopErr := p.Stop(stopGrace); stopErr != nil {
			t.Log(stopErr)
		}
		logs.Close()
		return nil, nil, err
	}
	t.Cleanup(func() {
		if err := p.Stop(stopGrace); err != nil {
			t.Log(err)
		}
		logs.Close()
	})
	return p, logs, nil
}

// RunRetrying is Run, tried up to three times while the error is ErrAddrInUse.
func RunRetrying(t testing.TB, o Options) (*Process, *LogWriter, error) {
	var err error
	for range 3 {
		var p *Process
		var logs *LogWriter
		if p, logs, err = Run(t, o); !errors.Is(err, ErrAddrInUse) {
			return p, logs, err
		}
	}
	return nil, nil, err
}

// Eventually calls cond at once and then every 100 ms until it returns nil;
// if timeout passes first, it fails the test with cond's last error. cond
// runs on the test's goroutine, so it may call t.Fatal.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	last := errors.New("never checked")
	err := wait.PollUntilContextTimeout(context.Background(), 100*time.Millisecond, timeout, true, func(context.Context) (bool, error) {
		last = cond()
		return last == nil, nil
	})
	if err != nil {
		t.Fatalf("%s: not true after %v: %v", what, timeout, last)
	}
}

// LogWriter copies a child process's output line by line into the test log
// and keeps all of it for assertions and error messages. Close stops the
// copying, so no line is logged after the test has finished (which panics).
type LogWriter struct {
	mu     sync.Mutex
	t      testing.TB
	prefix string
	buf    bytes.Buffer // partial line
	all    bytes.Buffer
	closed bool
}

// NewLogWriter returns a LogWriter into t's log, closed in t's cleanup.
func NewLogWriter(t testing.TB, prefix string) *LogWriter {
	w := &LogWriter{t: t, prefix: prefix}
	t.Cleanup(w.Close)
	return w
}

func (w *LogWriter) Write(p []byte) (int, error) {
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

// Close logs a last partial line and stops logging to the test.
func (w *LogWriter) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed && w.buf.Len() > 0 {
		w.t.Log(w.prefix + w.buf.String())
	}
	w.closed = true
}

// String is everything written so far.
func (w *LogWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}
