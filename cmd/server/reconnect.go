package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// reconnectGate holds the Kubernetes client's requests while the API server
// cannot be reached, and lets them through as soon as a TCP dial to it
// succeeds again.
//
// Why: client-go's reflectors back off on every failed list or watch (0.8 s
// doubling to 30 s, reset only after 2 minutes without failures), and the
// backoff cannot be configured through a SharedInformerFactory. Without the
// gate, a second API server outage within two minutes left the dashboard up
// to 30 s behind after the server was back (test/resilience
// TestAPIServerOutage). With it a reflector fails once, then waits here
// instead of failing again, and resumes within one dial interval of the
// server's return.
type reconnectGate struct {
	ctx      context.Context // redialing stops when it ends
	next     http.RoundTripper
	addr     string // host:port of the API server
	interval time.Duration
	dial     func(ctx context.Context, network, addr string) (net.Conn, error)

	mu sync.Mutex
	up chan struct{} // non-nil while the server is unreachable; closed when it is back
}

// newReconnectGate gates requests to the API server at host (a URL or
// host:port) until ctx ends.
func newReconnectGate(ctx context.Context, next http.RoundTripper, host string) *reconnectGate {
	return &reconnectGate{ctx: ctx, next: next, addr: hostPort(host), interval: 250 * time.Millisecond,
		dial: (&net.Dialer{Timeout: 2 * time.Second}).DialContext}
}

// hostPort turns rest.Config.Host into a dialable host:port.
func hostPort(host string) string {
	u, err := url.Parse(host)
	if err != nil || u.Host == "" {
		u = &url.URL{Scheme: "https", Host: host}
	}
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "http" {
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return net.JoinHostPort(u.Hostname(), "443")
}

// RoundTrip implements http.RoundTripper.
func (g *reconnectGate) RoundTrip(req *http.Request) (*http.Response, error) {
	g.mu.Lock()
	up := g.up
	g.mu.Unlock()
	if up != nil {
		select {
		case <-up:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
	resp, err := g.next.RoundTrip(req)
	if err != nil && isDialError(err) {
		g.down()
	}
	return resp, err
}

// down closes the gate and starts redialing until the server answers.
func (g *reconnectGate) down() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.up != nil {
		return
	}
	up := make(chan struct{})
	g.up = up
	go func() {
		defer func() {
			g.mu.Lock()
			g.up = nil
			g.mu.Unlock()
			close(up)
		}()
		tick := time.NewTicker(g.interval)
		defer tick.Stop()
		for {
			select {
			case <-g.ctx.Done():
				return // let waiters through to fail on their own
			case <-tick.C:
			}
			ctx, cancel := context.WithTimeout(g.ctx, 2*time.Second)
			conn, err := g.dial(ctx, "tcp", g.addr)
			cancel()
			if err == nil {
				conn.Close()
				return
			}
		}
	}()
}

// isDialError reports whether err means the API server could not be
// reached at all (refused, unreachable, dial timeout), as opposed to an
// answer or a broken stream.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// WrappedRoundTripper lets client-go's debugging wrappers see through the gate.
func (g *reconnectGate) WrappedRoundTripper() http.RoundTripper { return g.next }
