package main

import (
	"io"
	"log/slog"
	"runtime/debug"
	"testing"
)

func TestWantCompression(t *testing.T) {
	t.Parallel()
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		mode, host string
		getenv     func(string) string
		want       bool
	}{
		{"auto", "https://127.0.0.1:6443", env(), false},
		{"auto", "https://[::1]:6443", env(), false},
		{"auto", "https://localhost:6443", env(), false},
		{"auto", "https://10.96.0.1:443", env("KUBERNETES_SERVICE_HOST", "10.96.0.1"), false},
		{"auto", "https://10.96.0.1:443", env(), true}, // a private address seen from outside the cluster
		{"auto", "https://k8s.example.com", env("KUBERNETES_SERVICE_HOST", "10.96.0.1"), true},
		{"auto", "https://203.0.113.7:443", env(), true},
		{"on", "https://127.0.0.1:6443", env(), true},
		{"off", "https://k8s.example.com", env(), false},
	} {
		if got := wantCompression(c.mode, c.host, c.getenv); got != c.want {
			t.Errorf("wantCompression(%q, %q) = %v, want %v", c.mode, c.host, got, c.want)
		}
	}
}

func TestParseMemoryLimit(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]uint64{"512Mi": 512 << 20, "1Gi": 1 << 30, "600M": 600_000_000, "1048576": 1 << 20} {
		if got, err := parseMemoryLimit(in); err != nil || got != want {
			t.Errorf("parseMemoryLimit(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1Gi", "0"} {
		if _, err := parseMemoryLimit(in); err == nil {
			t.Errorf("parseMemoryLimit(%q) accepted", in)
		}
	}
}

// TestSetMemoryLimit sets the process's own soft limit, then restores it.
func TestSetMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	setMemoryLimit(log, "512Mi", func(string) string { return "" })
	limit := float64(512 << 20)
	if got, want := debug.SetMemoryLimit(-1), int64(limit*memoryLimitRatio); got != want {
		t.Errorf("--memory-limit 512Mi: GOMEMLIMIT = %d, want %d (90%%)", got, want)
	}
	debug.SetMemoryLimit(before)
	setMemoryLimit(log, "512Mi", func(k string) string {
		if k == "GOMEMLIMIT" {
			return "300MiB"
		}
		return ""
	})
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("with GOMEMLIMIT set, the limit changed to %d (want the runtime's own, %d)", got, before)
	}
}
