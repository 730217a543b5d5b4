package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"k8s.io/apimachinery/pkg/util/wait"
)

// dialResult is one websocket dial's outcome: a connection, or the HTTP
// status and JSON error that refused it.
type dialResult struct {
	conn   *websocket.Conn
	status int
	error  string
	err    error
}

func dialView(base, query string) dialResult {
	c, resp, err := websocket.DefaultDialer.Dial(base+"/ws?"+query, nil)
	if err == nil {
		return dialResult{conn: c, status: http.StatusSwitchingProtocols}
	}
	if resp == nil {
		return dialResult{err: err}
	}
	defer resp.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &body)
	return dialResult{status: resp.StatusCode, error: body.Error, err: err}
}

// closeAll closes the connections among results.
func closeAll(results ...dialResult) {
	for _, r := range results {
		if r.conn != nil {
			r.conn.Close()
		}
	}
}

// eventually dials query until it is accepted, or fails the test.
func eventually(t *testing.T, base, query, what string) dialResult {
	t.Helper()
	var got dialResult
	err := wait.PollUntilContextTimeout(context.Background(), 20*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
		got = dialView(base, query)
		return got.conn != nil, nil
	})
	if err != nil {
		t.Fatalf("%s: the view %s is still refused (%d %s)", what, query, got.status, got.error)
	}
	return got
}

func TestViewerLimits(t *testing.T) {
	t.Parallel()
	t.Run("concurrent upgrades never pass the maximum, and leaving frees the places", func(t *testing.T) {
		t.Parallel()
		const limit, dialers = 10, 50
		env := newTestEnv(t, newFakeStore(testPods()...), func(c *serverConfig) { c.ws.maxViewers = limit })
		base := setupWS(t, env)

		dialAll := func() []dialResult {
			start := make(chan struct{})
			results := make([]dialResult, dialers)
			var wg sync.WaitGroup
			for i := range results {
				wg.Go(func() {
					<-start
					results[i] = dialView(base, "view=pods")
				})
			}
			close(start)
			wg.Wait()
			return results
		}
		count := func(results []dialResult) (accepted, refused int) {
			for _, r := range results {
				switch {
				case r.status == http.StatusSwitchingProtocols:
					accepted++
				case r.status == http.StatusServiceUnavailable && r.error == "too many viewers":
					refused++
				default:
					t.Errorf("dial: status %d %q (%v), want 101 or 503 too many viewers", r.status, r.error, r.err)
				}
			}
			return accepted, refused
		}

		results := dialAll()
		accepted, refused := count(results)
		if accepted != limit || refused != dialers-limit {
			t.Errorf("%d concurrent dials against --max-viewers %d: %d accepted and %d refused, want %d and %d",
				dialers, limit, accepted, refused, limit, dialers-limit)
		}
		closeAll(results...)

		// Every place comes back once the viewers have gone.
		var again []dialResult
		err := wait.PollUntilContextTimeout(context.Background(), 20*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
			closeAll(again...)
			again = again[:0]
			for range limit {
				r := dialView(base, "view=pods")
				if r.conn == nil {
					return false, nil
				}
				again = append(again, r)
			}
			return true, nil
		})
		defer closeAll(again...)
		if err != nil {
			t.Fatalf("after every viewer left, %d places came back, want %d", len(again), limit)
		}
		if r := dialView(base, "view=pods"); r.status != http.StatusServiceUnavailable {
			closeAll(r)
			t.Errorf("dial past the maximum again: status %d, want 503", r.status)
		}
	})

	t.Run("one client opens at most its share of distinct views", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...), func(c *serverConfig) { c.ws.maxViewsPerClient = 2 })
		base := setupWS(t, env)
		a := dialView(base, "view=pods&namespace=shop")
		b := dialView(base, "view=pod&namespace=shop&name=cart-1")
		defer closeAll(a, b)
		if a.conn == nil || b.conn == nil {
			t.Fatalf("the first two views: %d %q, %d %q; want both accepted", a.status, a.error, b.status, b.error)
		}
		c := dialView(base, "view=pods&namespace=data")
		defer closeAll(c)
		if want := "too many distinct views from this client: at most 2 at once"; c.status != http.StatusTooManyRequests || c.error != want {
			t.Errorf("a third distinct view: %d %q, want 429 %q", c.status, c.error, want)
		}
		// Another viewer of a view the client already follows costs nothing.
		same := dialView(base, "view=pods&namespace=shop")
		defer closeAll(same)
		if same.conn == nil {
			t.Errorf("a second viewer of an open view: %d %q, want it accepted", same.status, same.error)
		}
		// Closing every viewer of a view frees its place.
		closeAll(a, same)
		closeAll(eventually(t, base, "view=pods&namespace=data", "after the client closed a view"))
	})

	t.Run("distinct views are bounded in all", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...), func(c *serverConfig) {
			c.ws.maxViews, c.ws.maxViewsPerClient = 2, -1 // -1: no share per client
		})
		base := setupWS(t, env)
		a := dialView(base, "view=pods&namespace=shop")
		b := dialView(base, "view=pods&namespace=data")
		defer closeAll(a, b)
		if a.conn == nil || b.conn == nil {
			t.Fatalf("the first two views: %d %q, %d %q; want both accepted", a.status, a.error, b.status, b.error)
		}
		c := dialView(base, "view=pods&namespace=other")
		defer closeAll(c)
		if want := "too many distinct views: at most 2 at once; views already open can still be joined"; c.status != http.StatusServiceUnavailable || c.error != want {
			t.Errorf("a third distinct view: %d %q, want 503 %q", c.status, c.error, want)
		}
		same := dialView(base, "view=pods&namespace=data")
		defer closeAll(same)
		if same.conn == nil {
			t.Errorf("a second viewer of an open view: %d %q, want it accepted", same.status, same.error)
		}
		closeAll(a)
		closeAll(eventually(t, base, "view=pods&namespace=other", "after a view closed"))
	})
}

func TestAdmission(t *testing.T) {
	t.Parallel()
	t.Run("defaults bound views without configuration", func(t *testing.T) {
		t.Parallel()
		a := newAdmission(wsConfig{})
		if a.maxViews != defaultMaxViews || a.maxViewsPerClient != defaultMaxViewsPerClient || a.maxViewers != 0 {
			t.Errorf("limits = %d viewers, %d views, %d per client; want none, %d, %d",
				a.maxViewers, a.maxViews, a.maxViewsPerClient, defaultMaxViews, defaultMaxViewsPerClient)
		}
	})
	t.Run("views are counted per client across many clients", func(t *testing.T) {
		t.Parallel()
		a := newAdmission(wsConfig{maxViews: 3, maxViewsPerClient: 2})
		var releases []func()
		admit := func(client, topic string, want int) {
			t.Helper()
			release, status, msg := a.admit(client, topic)
			if status != want {
				t.Fatalf("admit(%s, %s) = %d %q, want %d", client, topic, status, msg, want)
			}
			if release != nil {
				releases = append(releases, release)
			}
		}
		admit("10.0.0.1", "a", 0)
		admit("10.0.0.1", "b", 0)
		admit("10.0.0.1", "c", http.StatusTooManyRequests)
		admit("10.0.0.2", "a", 0) // shared: no new view
		admit("10.0.0.2", "c", 0)
		admit("10.0.0.3", "d", http.StatusServiceUnavailable)
		for _, r := range releases {
			r()
			r() // releasing twice is harmless
		}
		if a.viewers != 0 || len(a.views) != 0 || len(a.clients) != 0 {
			t.Errorf("after every release: %d viewers, views %v, clients %v; want none", a.viewers, a.views, a.clients)
		}
	})
	t.Run("clients are told apart by address, IPv6 by /64", func(t *testing.T) {
		t.Parallel()
		for addr, want := range map[string]string{
			"10.1.2.3:4567":                       "10.1.2.3",
			"[2001:db8:1:2:aaaa::1]:443":          "2001:db8:1:2::",
			"[2001:db8:1:2:bbbb::9]:80":           "2001:db8:1:2::",
			"[::ffff:10.1.2.3]:80":                "10.1.2.3",
			"pipe":                                "pipe",
			"[fe80::1%eth0]:80":                   "fe80::",
			"[2001:db8:1:3:aaaa:bbbb:cccc:1]:443": "2001:db8:1:3::",
		} {
			if got := clientOf(&http.Request{RemoteAddr: addr}); got != want {
				t.Errorf("clientOf(%s) = %s, want %s", addr, got, want)
			}
		}
	})
}
