package resilience_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// startLimitedDemo runs the dashboard on its demo cluster (no API server
// needed) with args added, retrying on a port taken before it was bound.
func startLimitedDemo(t *testing.T, args ...string) *podlens {
	t.Helper()
	var lastErr error
	for range 3 {
		p, err := tryStartPodlens(t, "", append([]string{"--demo"}, args...))
		if err == nil {
			return p
		}
		if lastErr = err; !errors.Is(err, errAddrInUse) {
			break
		}
	}
	t.Fatalf("starting podlens --demo: %v", lastErr)
	return nil
}

// upgrade dials the websocket once: a connection, or the refusal's status.
func upgrade(base, query string) (*websocket.Conn, int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d := &websocket.Dialer{HandshakeTimeout: 20 * time.Second}
	conn, resp, err := d.DialContext(ctx, wsURL(base, query), http.Header{"Origin": {base}})
	if err == nil {
		return conn, http.StatusSwitchingProtocols, nil
	}
	if resp != nil {
		resp.Body.Close()
		return nil, resp.StatusCode, nil
	}
	return nil, 0, err
}

// TestViewerLimitsHold checks the viewer and view limits of the real
// binary: a burst of concurrent upgrades gets exactly --max-viewers
// connections, places come back when viewers leave, and one client's
// distinct views are bounded by default.
func TestViewerLimitsHold(t *testing.T) {
	t.Run("a burst of upgrades gets exactly --max-viewers connections", func(t *testing.T) {
		const limit, burst = 10, 50
		p := startLimitedDemo(t, "--max-viewers", fmt.Sprint(limit))
		query := url.Values{"view": {"pods"}}.Encode()

		var mu sync.Mutex
		var conns []*websocket.Conn
		codes := map[int]int{}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range burst {
			wg.Go(func() {
				<-start
				conn, code, err := upgrade(p.URL, query)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("dial: %v", err)
					return
				}
				codes[code]++
				if conn != nil {
					conns = append(conns, conn)
				}
			})
		}
		close(start)
		wg.Wait()
		if codes[http.StatusSwitchingProtocols] != limit || codes[http.StatusServiceUnavailable] != burst-limit {
			t.Errorf("%d concurrent upgrades against --max-viewers %d: statuses %v, want %d × 101 and %d × 503",
				burst, limit, codes, limit, burst-limit)
		}
		for _, c := range conns {
			c.Close()
		}

		// Once every viewer has left, every place is free again.
		var again []*websocket.Conn
		defer func() {
			for _, c := range again {
				c.Close()
			}
		}()
		eventually(t, 15*time.Second, "the places of the viewers that left", func() error {
			for len(again) < limit {
				conn, code, err := upgrade(p.URL, query)
				if conn == nil {
					return fmt.Errorf("%d places back, then status %d (%v)", len(again), code, err)
				}
				again = append(again, conn)
			}
			return nil
		})
		if conn, code, _ := upgrade(p.URL, query); code != http.StatusServiceUnavailable {
			if conn != nil {
				conn.Close()
			}
			t.Errorf("one past the maximum again: status %d, want 503", code)
		}
	})

	t.Run("one client's distinct views are bounded without any flag", func(t *testing.T) {
		p := startLimitedDemo(t)
		view := func(i int) string {
			return url.Values{"view": {"pods"}, "all": {"1"}, "namespace": {fmt.Sprintf("view-%d", i)}}.Encode()
		}
		var conns []*websocket.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for i := range 10 {
			conn, code, err := upgrade(p.URL, view(i))
			if conn == nil {
				t.Fatalf("distinct view %d: status %d (%v), want 101", i+1, code, err)
			}
			conns = append(conns, conn)
		}
		if conn, code, _ := upgrade(p.URL, view(10)); code != http.StatusTooManyRequests {
			if conn != nil {
				conn.Close()
			}
			t.Errorf("an 11th distinct view from one client: status %d, want 429", code)
		}
		conn, code, err := upgrade(p.URL, view(0)) // a view the client already follows
		if conn == nil {
			t.Fatalf("another viewer of an open view: status %d (%v), want 101", code, err)
		}
		conns = append(conns, conn)
	})
}
