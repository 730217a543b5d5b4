package testdashboard_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podlens/podlens/internal/testdashboard"
)

func TestReadyPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no base path", []string{"--log-level", "debug"}, "/readyz"},
		{"a base path as two arguments", []string{"--base-path", "/tools/pods/"}, "/tools/pods/readyz"},
		{"a base path with =", []string{"--demo", "--base-path=/tools/pods"}, "/tools/pods/readyz"},
		{"a --base-path without a value", []string{"--base-path"}, "/readyz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := testdashboard.ReadyPath(tc.args); got != tc.want {
				t.Errorf("ReadyPath(%q) = %q, want %q", tc.args, got, tc.want)
			}
		})
	}
}

// startTrapping starts a script that sets a SIGTERM trap and runs until
// signalled, and waits until the trap is set.
func startTrapping(t *testing.T, body string) *testdashboard.Process {
	t.Helper()
	logs := testdashboard.NewLogWriter(t, "fake: ")
	p, err := testdashboard.Start(testdashboard.Options{Binary: script(t, body), Log: logs})
	if err != nil {
		t.Fatal(err)
	}
	testdashboard.Eventually(t, time.Minute, "the trap is set", func() error {
		if !strings.Contains(logs.String(), "trapping") {
			return errors.New("not yet")
		}
		return nil
	})
	return p
}

// script writes an executable shell script standing in for the dashboard.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fake-podlens")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestProcess(t *testing.T) {
	t.Parallel()
	t.Run("a process that exits before it is ready fails WaitReady with ErrExited", func(t *testing.T) {
		t.Parallel()
		logs := testdashboard.NewLogWriter(t, "fake: ")
		p, err := testdashboard.Start(testdashboard.Options{Binary: script(t, `echo "listen tcp $2: bind: address already in use"; exit 1`), Log: logs})
		if err != nil {
			t.Fatal(err)
		}
		err = p.WaitReady(context.Background(), "/readyz", 10*time.Millisecond, time.Minute)
		if !errors.Is(err, testdashboard.ErrExited) {
			t.Fatalf("WaitReady = %v, want ErrExited", err)
		}
		if p.Running() || p.Err() == nil {
			t.Errorf("Running = %v, Err = %v; want exited with status 1", p.Running(), p.Err())
		}
		if !strings.Contains(logs.String(), "address already in use") {
			t.Errorf("logs %q lack the process's output", logs.String())
		}
	})
	t.Run("Stop kills a process that ignores SIGTERM", func(t *testing.T) {
		t.Parallel()
		p := startTrapping(t, `trap '' TERM; echo trapping; exec sleep 600`)
		err := p.Stop(100 * time.Millisecond)
		if err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("Stop = %v, want it to say the process was killed", err)
		}
		if p.Running() {
			t.Error("still running after Stop")
		}
	})
	t.Run("Stop ends a process that exits on SIGTERM, and a second Stop does nothing", func(t *testing.T) {
		t.Parallel()
		p := startTrapping(t, `trap 'exit 0' TERM; echo trapping; while :; do sleep 0.1; done`)
		if err := p.Stop(time.Minute); err != nil {
			t.Fatalf("Stop = %v, want nil", err)
		}
		if err := p.Stop(time.Minute); err != nil {
			t.Fatalf("second Stop = %v, want nil", err)
		}
	})
}

func TestEventually(t *testing.T) {
	t.Parallel()
	calls := 0
	testdashboard.Eventually(t, time.Minute, "the third call", func() error {
		if calls++; calls < 3 {
			return errors.New("not yet")
		}
		return nil
	})
	if calls != 3 {
		t.Errorf("cond called %d times, want 3", calls)
	}
}
