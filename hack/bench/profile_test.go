package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProfilePath(t *testing.T) {
	for _, c := range []struct {
		kind string
		size int
		want string
	}{
		{"heap", 50000, "heap-50000.pb.gz"},
		{"cpu-churn", 50000, "cpu-churn-50000.pb.gz"},
		{"heap-idle", 300, "heap-idle-300.pb.gz"},
		{"allocs", 10000, "allocs-10000.pb.gz"},
	} {
		if got := profilePath("/tmp/prof", c.kind, c.size); got != filepath.Join("/tmp/prof", c.want) {
			t.Errorf("profilePath(%s, %d) = %s, want /tmp/prof/%s", c.kind, c.size, got, c.want)
		}
	}
}

func TestProfileSeconds(t *testing.T) {
	for d, want := range map[time.Duration]int{
		0:                       1,
		300 * time.Millisecond:  1,
		time.Second:             1,
		2500 * time.Millisecond: 3, // covers the whole churn
		3 * time.Second:         3,
		20 * time.Second:        20,
	} {
		if got := profileSeconds(d); got != want {
			t.Errorf("profileSeconds(%s) = %d, want %d", d, got, want)
		}
	}
}

func TestParseFlagsProfile(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	if err != nil || c.profile != "" {
		t.Fatalf("default -profile = %q (%v), want off", c.profile, err)
	}
	c, err = parseFlags([]string{"-short", "-profile", "/tmp/prof"}, io.Discard)
	if err != nil || c.profile != "/tmp/prof" {
		t.Fatalf("-profile /tmp/prof: %q (%v)", c.profile, err)
	}
	if _, err := parseFlags([]string{"-soak", "1m", "-profile", "/tmp/prof"}, io.Discard); err == nil {
		t.Error("-profile with -soak: no error")
	}
}

func TestProfileSave(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/debug/pprof/heap" || r.URL.Query().Get("gc") != "1" {
			http.Error(w, "Unknown profile", http.StatusNotFound)
			return
		}
		_, _ = w.Write([]byte("profile bytes"))
	}))
	defer srv.Close()
	dir := t.TempDir()
	var log strings.Builder
	p := &profiler{dir: dir, size: 300, d: &dashboard{debug: srv.URL}, log: &log}

	p.save(t.Context(), "heap", "/debug/pprof/heap?gc=1")
	if b, err := os.ReadFile(filepath.Join(dir, "heap-300.pb.gz")); err != nil || string(b) != "profile bytes" {
		t.Errorf("heap-300.pb.gz = %q, %v", b, err)
	}
	p.save(t.Context(), "allocs", "/debug/pprof/nope")
	if _, err := os.Stat(filepath.Join(dir, "allocs-300.pb.gz")); err == nil {
		t.Error("a failed fetch left a file")
	}
	if !strings.Contains(log.String(), "allocs-300.pb.gz not saved") || !strings.Contains(log.String(), "404") {
		t.Errorf("the failure is not logged: %q", log.String())
	}
	p.done()
	if !strings.Contains(log.String(), "bench: profiles in "+dir+" (go tool pprof -top "+filepath.Join(dir, "heap-300.pb.gz")+")") {
		t.Errorf("log lacks where the profiles are: %q", log.String())
	}

	// A dashboard started without --debug-listen, and no profiler at all.
	p.d = &dashboard{}
	p.save(t.Context(), "heap-idle", "/debug/pprof/heap?gc=1")
	if !strings.Contains(log.String(), "without --debug-listen") {
		t.Errorf("log: %q", log.String())
	}
	var none *profiler
	none.save(t.Context(), "heap", "/debug/pprof/heap")
	none.startCPU(t.Context(), "cpu-churn", time.Second)()
	none.done()
}
