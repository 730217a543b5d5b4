package main

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sync"
)

// Default bounds on distinct views, used when wsConfig leaves them at zero.
// A distinct view (other filters, another pod, another language) is rendered
// again on every change it shows and keeps its own copy of what its viewers
// see, about 280 KB for a list; viewers of one view share all of it.
const (
	defaultMaxViews          = 100
	defaultMaxViewsPerClient = 10
)

// admission decides, before the websocket upgrade, whether a viewer may join:
// it reserves the viewer's place and its view's in one step under a lock, so
// that concurrent upgrades cannot all pass a check made before any of them
// is counted. The reservation is returned on every exit path by release.
type admission struct {
	// maxViewers caps viewers, maxViews distinct views and maxViewsPerClient
	// the distinct views of one client; 0 means no cap.
	maxViewers, maxViews, maxViewsPerClient int

	mu      sync.Mutex
	viewers int
	// views counts the admitted viewers of each view (by topic); clients
	// counts, per client, its viewers of each view.
	views   map[string]int
	clients map[string]map[string]int
}

// newAdmission applies cfg's limits: a zero view limit takes its default, a
// negative one turns the limit off; maxViewers keeps its flag's meaning (0:
// no cap).
func newAdmission(cfg wsConfig) *admission {
	limit := func(n, def int) int {
		switch {
		case n == 0:
			return def
		case n < 0:
			return 0
		}
		return n
	}
	return &admission{
		maxViewers:        max(cfg.maxViewers, 0),
		maxViews:          limit(cfg.maxViews, defaultMaxViews),
		maxViewsPerClient: limit(cfg.maxViewsPerClient, defaultMaxViewsPerClient),
		views:             map[string]int{},
		clients:           map[string]map[string]int{},
	}
}

// admit reserves a place for one viewer of topic from client. It returns
// release, to call once the viewer is gone (more calls do nothing), or the
// HTTP status and message refusing the viewer: 503 when the server is full,
// 429 when this client follows too many views already.
func (a *admission) admit(client, topic string) (release func(), status int, msg string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.maxViewers > 0 && a.viewers >= a.maxViewers {
		return nil, http.StatusServiceUnavailable, "too many viewers"
	}
	mine := a.clients[client]
	if _, open := mine[topic]; !open && a.maxViewsPerClient > 0 && len(mine) >= a.maxViewsPerClient {
		return nil, http.StatusTooManyRequests, fmt.Sprintf("too many distinct views from this client: at most %d at once", a.maxViewsPerClient)
	}
	if _, open := a.views[topic]; !open && a.maxViews > 0 && len(a.views) >= a.maxViews {
		return nil, http.StatusServiceUnavailable,
			fmt.Sprintf("too many distinct views: at most %d at once; views already open can still be joined", a.maxViews)
	}
	a.viewers++
	a.views[topic]++
	if mine == nil {
		mine = map[string]int{}
		a.clients[client] = mine
	}
	mine[topic]++
	var once sync.Once
	return func() { once.Do(func() { a.release(client, topic) }) }, 0, ""
}

func (a *admission) release(client, topic string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.viewers--
	if a.views[topic]--; a.views[topic] == 0 {
		delete(a.views, topic)
	}
	mine := a.clients[client]
	if mine[topic]--; mine[topic] == 0 {
		delete(mine, topic)
	}
	if len(mine) == 0 {
		delete(a.clients, client)
	}
}

// clientOf names the client a request comes from, for its share of views:
// the peer's IP address (not a forwarded header, which anyone can write),
// IPv6 addresses by their /64, which one host is usually given whole. Behind
// a reverse proxy every viewer shares the proxy's address.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is6() {
		return netip.PrefixFrom(addr, 64).Masked().Addr().String()
	}
	return addr.String()
}
