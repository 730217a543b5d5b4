package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// profiler saves the dashboard's pprof profiles (-profile) for one size. A
// nil *profiler saves nothing. Failures are logged, never fatal: profiles
// explain the table, they are not part of it.
type profiler struct {
	dir  string
	size int
	d    *dashboard
	log  io.Writer
}

// profilePath is where a profile of kind (heap, cpu-churn, heap-idle, allocs)
// at size pods is saved.
func profilePath(dir, kind string, size int) string {
	return filepath.Join(dir, fmt.Sprintf("%s-%d.pb.gz", kind, size))
}

// profileSeconds is the CPU profile length that covers a churn of d: whole
// seconds, rounded up, at least 1.
func profileSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// profileTimeout bounds each profile's request beyond the time it profiles.
const profileTimeout = 2 * time.Minute

// save fetches the debug server's path (e.g. /debug/pprof/heap?gc=1) into the
// kind's file.
func (p *profiler) save(ctx context.Context, kind, path string) {
	p.saveWithin(ctx, kind, path, profileTimeout)
}

func (p *profiler) saveWithin(ctx context.Context, kind, path string, timeout time.Duration) {
	if p == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	file := profilePath(p.dir, kind, p.size)
	if err := p.d.saveProfile(ctx, path, file); err != nil {
		fmt.Fprintf(p.log, "bench: warning: profile %s not saved: %v\n", file, err)
	}
}

// startCPU starts a CPU profile of d in the background; the returned func
// waits for it to be saved.
func (p *profiler) startCPU(ctx context.Context, kind string, d time.Duration) (wait func()) {
	if p == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// At start-up the debug server may not listen yet: wait for it.
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
			if c, err := net.Dial("tcp", strings.TrimPrefix(p.d.debug, "http://")); err == nil {
				c.Close()
				break
			}
			time.Sleep(time.Millisecond)
		}
		s := profileSeconds(d)
		p.saveWithin(ctx, kind, "/debug/pprof/profile?seconds="+strconv.Itoa(s), time.Duration(s)*time.Second+profileTimeout)
	}()
	return func() { <-done }
}

// done tells where the profiles are.
func (p *profiler) done() {
	if p == nil {
		return
	}
	fmt.Fprintf(p.log, "bench: profiles in %s (go tool pprof -top %s)\n", p.dir, profilePath(p.dir, "heap", p.size))
}

// saveProfile fetches path from the dashboard's debug server into file.
func (d *dashboard) saveProfile(ctx context.Context, path, file string) error {
	if d.debug == "" {
		return fmt.Errorf("the dashboard was started without --debug-listen")
	}
	// A CPU profile answers after ?seconds=N: ctx, not the client, times out.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.debug+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, msg)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		os.Remove(file)
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return f.Close()
}
