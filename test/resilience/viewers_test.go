package resilience_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"github.com/podlens/podlens/internal/testcluster"
)

// crowd is many websocket viewers whose readers count which marker strings
// (new pod names) each of them has seen.
type crowd struct {
	mu      sync.Mutex
	conns   []*websocket.Conn
	markers []string
	seen    map[string]int
	ended   atomic.Int64 // readers that ended before the test closed them
	closing atomic.Bool
	readers sync.WaitGroup
}

func newCrowd() *crowd { return &crowd{seen: map[string]int{}} }

// expect registers a marker before the change that should produce it.
func (c *crowd) expect(marker string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.markers = append(c.markers, marker)
}

func (c *crowd) count(marker string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[marker]
}

func (c *crowd) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.conns)
}

// join connects n viewers, 50 at a time, and waits for each one's snapshot.
func (c *crowd) join(ctx context.Context, base, query string, n int) error {
	d := &websocket.Dialer{HandshakeTimeout: 20 * time.Second, ReadBufferSize: 4096}
	sem := make(chan struct{}, 50)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			conn, err := dialWS(ctx, d, base, query)
			if err != nil {
				errs <- err
				return
			}
			_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
			if _, _, err := conn.ReadMessage(); err != nil {
				conn.Close()
				errs <- fmt.Errorf("reading the snapshot: %w", err)
				return
			}
			_ = conn.SetReadDeadline(time.Time{})
			c.mu.Lock()
			c.conns = append(c.conns, conn)
			c.mu.Unlock()
			c.readers.Go(func() { c.read(conn) })
		})
	}
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

func collect(errs <-chan error) []error {
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	if len(out) > 3 {
		out = append(out[:3], fmt.Errorf("… and %d more", len(out)-3))
	}
	return out
}

func (c *crowd) read(conn *websocket.Conn) {
	mine := map[string]bool{}
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			if !c.closing.Load() {
				c.ended.Add(1)
			}
			return
		}
		s := string(msg)
		c.mu.Lock()
		for _, m := range c.markers {
			if !mine[m] && strings.Contains(s, m) {
				mine[m] = true
				c.seen[m]++
			}
		}
		c.mu.Unlock()
	}
}

// leave disconnects n viewers: half with a close handshake, half by
// dropping the TCP connection, as browsers and networks do.
func (c *crowd) leave(n int) {
	c.mu.Lock()
	if n > len(c.conns) {
		n = len(c.conns)
	}
	gone := c.conns[len(c.conns)-n:]
	c.conns = c.conns[:len(c.conns)-n]
	c.mu.Unlock()
	c.closing.Store(true)
	for i, conn := range gone {
		if i%2 == 0 {
			_ = conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(time.Second))
		}
		_ = conn.Close()
	}
}

// churn rewrites restart counts of pods until ctx ends, about rate writes a second.
func churn(ctx context.Context, c kubernetes.Interface, ns string, pods []string, rate int) {
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		name := pods[rand.IntN(len(pods))]
		_ = setRestarts(ctx, c, ns, name, int32(1+i%50))
	}
}

// baseline is the server's resource use at rest.
type baseline struct{ goroutines, heap float64 }

func measure(t testing.TB, base string) baseline {
	t.Helper()
	return baseline{goroutines: metric(t, base, "go_goroutines"), heap: metric(t, base, "go_memstats_heap_inuse_bytes")}
}

func TestViewerChurn(t *testing.T) {
	cluster := testcluster.Start(t)
	c := cluster.Client
	const ns = "viewers"
	createNamespace(t, c, ns)
	pods := createPods(t, c, ns, "web", 40)
	p := startPodlens(t, cluster.Config, "--max-viewers", "2000")
	eventually(t, 30*time.Second, "the dashboard shows every pod", func() error {
		l, err := listPods(p.URL, ns)
		if err != nil {
			return err
		}
		if len(l.Items) != len(pods) {
			return fmt.Errorf("%d pods listed, want %d", len(l.Items), len(pods))
		}
		return nil
	})
	// Take the baseline once the first renders and the informers' start-up
	// have settled: the goroutine count has held still for a second.
	var before baseline
	var steadySince time.Time
	eventually(t, 30*time.Second, "the goroutine count settles after start-up", func() error {
		m := measure(t, p.URL)
		if steadySince.IsZero() || m.goroutines != before.goroutines {
			steadySince = time.Now()
		}
		before = m
		if held := time.Since(steadySince); held < time.Second {
			return fmt.Errorf("%v goroutines, unchanged for %v", m.goroutines, held.Round(time.Millisecond))
		}
		return nil
	})
	t.Logf("baseline: %v goroutines, %.1f MiB heap in use", before.goroutines, before.heap/(1<<20))

	ctx, stopChurn := context.WithCancel(context.Background())
	var bg sync.WaitGroup
	bg.Go(func() { churn(ctx, c, ns, pods, 10) })
	defer func() { stopChurn(); bg.Wait() }()

	crowd := newCrowd()
	query := podsView(ns)
	marker := 0
	// newMarker creates a pod every viewer must be told about within the deadline.
	newMarker := func(t *testing.T, deadline time.Duration) {
		t.Helper()
		marker++
		name := fmt.Sprintf("marker-%d", marker)
		crowd.expect(name)
		start := time.Now()
		if err := createPod(context.Background(), c, ns, name, 3); err != nil {
			t.Fatal(err)
		}
		want := crowd.size()
		eventually(t, deadline, fmt.Sprintf("all %d viewers told about %s", want, name), func() error {
			if got := crowd.count(name); got < want {
				return fmt.Errorf("%d of %d viewers told", got, want)
			}
			return nil
		})
		t.Logf("%d viewers told about %s in %v", want, name, time.Since(start).Round(time.Millisecond))
	}

	t.Run("a thousand viewers join in waves while pods change, and every one is pushed each change", func(t *testing.T) {
		for wave := 1; wave <= 4; wave++ {
			jctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			err := crowd.join(jctx, p.URL, query, 250)
			cancel()
			if err != nil {
				t.Fatalf("wave %d: %v", wave, err)
			}
			newMarker(t, 15*time.Second)
		}
		if got := metric(t, p.URL, "podlens_viewers"); got != 1000 {
			t.Errorf("podlens_viewers = %v, want 1000", got)
		}
		if n := crowd.ended.Load(); n != 0 {
			t.Errorf("%d viewers were disconnected by the server", n)
		}
	})

	t.Run("viewers leave in waves and the rest keep being pushed changes", func(t *testing.T) {
		for crowd.size() > 0 {
			crowd.leave(250)
			if crowd.size() > 0 {
				newMarker(t, 15*time.Second)
			}
		}
		eventually(t, 15*time.Second, "podlens_viewers back to 0", func() error {
			if got := metric(t, p.URL, "podlens_viewers"); got != 0 {
				return fmt.Errorf("podlens_viewers = %v", got)
			}
			return nil
		})
	})

	t.Run("a viewer that never reads is dropped while the others on its view keep up", func(t *testing.T) {
		slowViewer(t, p, c, ns, pods)
	})

	stopChurn()
	bg.Wait()
	crowd.readers.Wait()

	t.Run("afterwards goroutines and heap return near the baseline", func(t *testing.T) {
		var now baseline
		eventually(t, 60*time.Second, "goroutines and heap back near the baseline", func() error {
			now = measure(t, p.URL)
			if now.goroutines > before.goroutines+20 {
				return fmt.Errorf("%v goroutines, baseline %v", now.goroutines, before.goroutines)
			}
			if now.heap > before.heap+32<<20 {
				return fmt.Errorf("%.1f MiB heap in use, baseline %.1f MiB", now.heap/(1<<20), before.heap/(1<<20))
			}
			return nil
		})
		t.Logf("after: %v goroutines, %.1f MiB heap in use", now.goroutines, now.heap/(1<<20))
		if code, _, err := get(p.URL, "/healthz"); err != nil || code != 200 {
			t.Errorf("/healthz = %d, %v", code, err)
		}
	})
}

// slowViewer joins a viewer with a tiny receive buffer that never reads,
// next to fast viewers of the same view, and floods the view with changes.
func slowViewer(t *testing.T, p *podlens, c kubernetes.Interface, ns string, pods []string) {
	// Sorting by restarts makes every restart change reorder the table, so
	// each push re-sends the whole table body: a lot of bytes to back up.
	query := url.Values{"view": {"pods"}, "namespace": {ns}, "all": {"1"}, "pageSize": {"500"},
		"sort": {"restarts"}, "desc": {"1"}}.Encode()
	droppedBefore := metric(t, p.URL, "podlens_viewers_dropped_slow_total")

	d := &websocket.Dialer{
		HandshakeTimeout: 20 * time.Second,
		NetDialContext: (&net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048)
			})
			return errors.Join(err, serr)
		}}).DialContext,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	slow, err := dialWS(ctx, d, p.URL, query)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()

	fast := newCrowd()
	if err := fast.join(ctx, p.URL, query, 5); err != nil {
		t.Fatal(err)
	}
	defer func() {
		fast.leave(fast.size())
		fast.readers.Wait()
	}()

	// Flood: 60 restart changes a second across the namespace.
	flood, stopFlood := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { churn(flood, c, ns, pods, 20) })
	}
	defer func() { stopFlood(); wg.Wait() }()

	marker := 0
	tell := func() {
		t.Helper()
		marker++
		name := fmt.Sprintf("tick-%d", marker)
		fast.expect(name)
		start := time.Now()
		if err := createPod(context.Background(), c, ns, name, 0); err != nil {
			t.Fatal(err)
		}
		eventually(t, 10*time.Second, "the fast viewers told about "+name, func() error {
			if got := fast.count(name); got < 5 {
				return fmt.Errorf("%d of 5 fast viewers told", got)
			}
			return nil
		})
		t.Logf("fast viewers told about %s in %v", name, time.Since(start).Round(time.Millisecond))
	}

	err = wait.PollUntilContextTimeout(context.Background(), 500*time.Millisecond, 90*time.Second, true, func(context.Context) (bool, error) {
		if metric(t, p.URL, "podlens_viewers_dropped_slow_total") > droppedBefore {
			return true, nil
		}
		tell() // the others keep up while the slow one backs up
		return false, nil
	})
	if err != nil {
		t.Fatalf("the slow viewer was not dropped within 90 s of flooding (podlens_viewers = %v)", metric(t, p.URL, "podlens_viewers"))
	}
	t.Logf("slow viewer dropped after %d markers; %v messages dropped in all", marker,
		metric(t, p.URL, "podlens_updates_dropped_total"))
	tell()
	if n := fast.ended.Load(); n != 0 {
		t.Errorf("%d fast viewers were disconnected", n)
	}

	// The slow viewer finally reads: what it has buffered, then the end.
	_ = slow.SetReadDeadline(time.Now().Add(30 * time.Second))
	var readErr error
	for readErr == nil {
		_, _, readErr = slow.ReadMessage()
	}
	var ce *websocket.CloseError
	switch {
	case errors.As(readErr, &ce):
		if ce.Code != websocket.ClosePolicyViolation {
			t.Errorf("slow viewer closed with %d %q, want 1008 (policy violation)", ce.Code, ce.Text)
		}
	case isTimeout(readErr):
		t.Errorf("the slow viewer's connection is still open 30 s after it was dropped")
	default:
		t.Logf("slow viewer's connection ended without a close frame (its buffers were full): %v", readErr)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
