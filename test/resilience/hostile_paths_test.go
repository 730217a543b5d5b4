package resilience_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startDemoPodlens runs the dashboard binary on its embedded demo cluster
// (no API server needed), with args added; it retries on a port taken
// between choosing and binding it.
func startDemoPodlens(t *testing.T, args ...string) *podlens {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		p, err := tryStartPodlens(t, "", append([]string{"--demo"}, args...))
		if err == nil {
			return p
		}
		lastErr = err
		if !errors.Is(err, errAddrInUse) {
			break
		}
	}
	t.Fatalf("starting podlens --demo: %v", lastErr)
	return nil
}

// procStatusBytes reads a "kB" field of /proc/PID/status (VmRSS, VmHWM) in bytes.
func procStatusBytes(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("reading the process status of pid %d: %v", pid, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("%s in /proc/%d/status: %q", field, pid, line)
			}
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// hostileAnswer is what the server sent back for one hostile path.
type hostileAnswer struct {
	status int   // 0: the server hung up without an answer
	bytes  int64 // everything read from the connection, headers included
}

// sendHostilePath sends GET path byte for byte while reading the answer
// (the server may answer, and stop reading, before the request is all
// sent) and reads at most 64 MiB of it.
func sendHostilePath(base, path string) (hostileAnswer, error) {
	var a hostileAnswer
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	if err != nil {
		return a, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	host := strings.TrimPrefix(base, "http://")
	go func() {
		_, _ = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
	}()
	cr := &countingReader{r: io.LimitReader(conn, 64<<20)}
	resp, err := http.ReadResponse(bufio.NewReader(cr), nil)
	if err != nil {
		if cr.n == 0 && isConnReset(err) {
			return a, nil // refused by hanging up: nothing was buffered for it
		}
		return a, fmt.Errorf("reading the answer after %d bytes: %w", cr.n, err)
	}
	a.status = resp.StatusCode
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	a.bytes = cr.n
	return a, err
}

// isConnReset reports whether err is the peer resetting or closing the
// connection before answering.
func isConnReset(err error) bool {
	var op *net.OpError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &op) && strings.Contains(op.Err.Error(), "reset"))
}

// TestHostilePathsUnderMemoryLimit fires rounds of concurrent requests for
// huge or absurdly deep paths at the real binary, run as in its Deployment
// (--memory-limit 512Mi, no GOMEMLIMIT). Each answer must be a short error
// and the process's peak resident memory must stay far below the limit:
// before the path bounds, a million slashes made a 36 MB error page each.
func TestHostilePathsUnderMemoryLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "") // the flag alone sets the limit, as in the Deployment
	p := startDemoPodlens(t, "--memory-limit", "512Mi")
	pid := p.pid()
	before := procStatusBytes(t, pid, "VmHWM")
	t.Logf("peak RSS after start: %d MiB", before>>20)

	const (
		concurrent = 24
		rounds     = 3
		maxAnswer  = 8 << 10   // a status line, headers and a short error
		maxPeakRSS = 200 << 20 // the limit is 512 MiB; an idle demo uses a few tens
	)
	paths := []string{
		strings.Repeat("/", 1_000_000),             // past net/http's header limit
		"/api/v1" + strings.Repeat("/", 1_000_000), // the same under the API
		strings.Repeat("/", 60_000),                // within the header limit, past the path limit
		"/nodes/" + strings.Repeat("a/", 30_000),   // deep and long under a route
		"/" + strings.Repeat("%2F", 20_000),        // encoded slashes
		strings.Repeat("/a", 1_000),                // 2 KB: short, but deep
	}
	for round := range rounds {
		var wg sync.WaitGroup
		answers := make([]hostileAnswer, concurrent)
		errs := make([]error, concurrent)
		for i := range concurrent {
			wg.Go(func() { answers[i], errs[i] = sendHostilePath(p.URL, paths[i%len(paths)]) })
		}
		wg.Wait()
		for i, a := range answers {
			path := paths[i%len(paths)]
			what := fmt.Sprintf("round %d: GET %.20s…(%d bytes)", round, path, len(path))
			if errs[i] != nil {
				t.Errorf("%s: %v", what, errs[i])
				continue
			}
			if a.status != 0 && (a.status < 400 || a.status >= 500) {
				t.Errorf("%s = %d, want a 4xx refusal", what, a.status)
			}
			if a.bytes > maxAnswer {
				t.Errorf("%s: %d bytes of answer, want at most %d", what, a.bytes, maxAnswer)
			}
		}
		if !p.running() {
			t.Fatalf("podlens exited in round %d: %v", round, p.err)
		}
	}
	peak := procStatusBytes(t, pid, "VmHWM")
	t.Logf("peak RSS after %d rounds of %d hostile requests: %d MiB", rounds, concurrent, peak>>20)
	if peak > maxPeakRSS {
		t.Errorf("peak RSS %d MiB, want under %d MiB (--memory-limit 512Mi)", peak>>20, maxPeakRSS>>20)
	}
	if code, body, err := get(p.URL, "/healthz"); err != nil || code != http.StatusOK {
		t.Fatalf("/healthz after the attack = %d %q, %v", code, body, err)
	}
}
