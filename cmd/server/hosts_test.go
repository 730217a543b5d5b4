package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"
	"k8s.io/client-go/kubernetes/fake"
)

// A page served under a rebound name (evil.example resolving to this
// machine) is refused, and so is its same-origin websocket, before any
// route runs; IP literals and localhost are served.
func TestRequestsForUnknownHostsAreMisdirected(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, newFakeStore(testPods()...))
	for _, tt := range []struct {
		name   string
		target string
		checks []check
	}{
		{"a page under a rebound name is refused", "http://evil.example:8080/", checks(
			hasStatus(http.StatusMisdirectedRequest), hasHeader("Content-Type", "text/plain; charset=utf-8"),
			bodyContains("--allowed-hosts"), bodyLacks("evil.example"), bodyLacks("cart-1"))},
		{"the API under a rebound name is refused", "http://evil.example/api/v1/pods", checks(
			hasStatus(http.StatusMisdirectedRequest), bodyLacks("cart-1"))},
		{"the websocket under a rebound name is refused", "http://evil.example:8080/ws?view=pods", checks(hasStatus(http.StatusMisdirectedRequest))},
		{"metrics under a rebound name are refused", "http://evil.example/metrics", checks(hasStatus(http.StatusMisdirectedRequest))},
		{"a look-alike of localhost is refused", "http://localhost.evil.example/", checks(hasStatus(http.StatusMisdirectedRequest))},
		{"a look-alike of an IP is refused", "http://127.0.0.1.evil.example/", checks(hasStatus(http.StatusMisdirectedRequest))},
		{"the loopback address is served", "http://127.0.0.1:8080/", checks(hasStatus(http.StatusOK))},
		{"localhost is served", "http://localhost:8080/api/v1/pods", checks(hasStatus(http.StatusOK), bodyContains("cart-1"))},
		{"IPv6 loopback is served", "http://[::1]:8080/", checks(hasStatus(http.StatusOK))},
		{"a pod IP (kubelet probes) is served", "http://10.244.0.7:8080/readyz", checks(hasStatus(http.StatusOK))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := env.get(tt.target)
			for _, c := range tt.checks {
				if err := c(w); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestRebindingCannotOpenTheWebsocket(t *testing.T) {
	t.Parallel()
	base := setupWS(t, newTestEnv(t, newFakeStore(testPods()...)))
	// After a rebind the browser sends the attacker's name as both Host
	// and Origin: the origin check alone sees a same-origin request.
	h := http.Header{"Host": {"evil.example:8080"}, "Origin": {"http://evil.example:8080"}}
	c, resp, err := websocket.DefaultDialer.Dial(base+"/ws?view=pods", h)
	if err == nil {
		c.Close()
		t.Fatal("the websocket opened for Host evil.example")
	}
	if resp == nil || resp.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("dial: err=%v resp=%v, want 421", err, resp)
	}
	c, _, err = websocket.DefaultDialer.Dial(base+"/ws?view=pods", nil)
	if err != nil {
		t.Fatalf("the websocket on the loopback address: %v", err)
	}
	c.Close()
}

func TestHostPolicy(t *testing.T) {
	t.Parallel()
	var allowed []string
	for _, a := range []string{"podlens.podlens.svc", "*.Corp.Example", "Portal.Example."} {
		h, err := parseAllowedHost(a)
		if err != nil {
			t.Fatal(err)
		}
		allowed = append(allowed, h)
	}
	listed := newHostPolicy(allowed, "0.0.0.0:8080")
	named := newHostPolicy(nil, "podlens.lan:8080")
	var none hostPolicy
	for _, tt := range []struct {
		policy hostPolicy
		host   string
		want   bool
	}{
		{none, "127.0.0.1:8080", true},
		{none, "127.0.0.1", true},
		{none, "127.9.9.9:80", true},
		{none, "[::1]:8080", true},
		{none, "[::1]", true},
		{none, "localhost:8080", true},
		{none, "LocalHost", true},
		{none, "localhost.:8080", true},
		{none, "10.244.0.7:8080", true}, // the pod IP: kubelet probes, Prometheus
		{none, "10.96.0.12", true},      // a Service's cluster IP
		{none, "[fd00::7]:8080", true},
		{none, "", true}, // HTTP/1.0 without Host: not a browser
		{none, "evil.example:8080", false},
		{none, "evil.example", false},
		{none, "localhost.evil.example", false},
		{none, "127.0.0.1.evil.example:8080", false},
		{none, "app.localhost:8080", false},
		{none, "podlens.podlens.svc", false},
		{none, "[::1", false},
		{none, "127.0.0.1:80@evil.example", false},
		{listed, "podlens.podlens.svc", true},
		{listed, "podlens.podlens.svc:80", true},
		{listed, "PODLENS.podlens.svc.", true},
		{listed, "portal.example:443", true},
		{listed, "a.corp.example", true},
		{listed, "a.b.corp.example:8443", true},
		{listed, "corp.example", false}, // a wildcard covers subdomains only
		{listed, "evilcorp.example", false},
		{listed, "podlens.podlens.svc.evil.example", false},
		{listed, "podlens.podlens", false},
		{listed, "evil.example", false},
		{listed, "127.0.0.1:8080", true},
		{named, "podlens.lan:8080", true},
		{named, "other.lan:8080", false},
	} {
		if got := tt.policy.allows(tt.host); got != tt.want {
			t.Errorf("allows(%q) with %+v = %v, want %v", tt.host, tt.policy, got, tt.want)
		}
	}
}

func TestParseFlagsAllowedHosts(t *testing.T) {
	t.Parallel()
	o, err := parseFlags([]string{"podlens", "--allowed-hosts", "Podlens.Example.COM.,*.corp.example", "--allowed-hosts", "::1"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(listFlag{"podlens.example.com", "*.corp.example", "::1"}, o.allowedHosts); diff != "" {
		t.Errorf("--allowed-hosts (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"https://podlens.example", "podlens.example:8080", "podlens.example/x", "*", "*.", "a.*.example", "pod*.example", "user@podlens.example"} {
		if _, err := parseFlags([]string{"podlens", "--allowed-hosts", bad}, io.Discard); err == nil || !strings.Contains(err.Error(), "--allowed-hosts") {
			t.Errorf("--allowed-hosts %q: err = %v, want an error naming the flag", bad, err)
		}
	}
}

// The flag reaches the server: a listed name is served end to end.
func TestAllowedHostsFlagServesTheName(t *testing.T) {
	addr := freeAddr(t)
	o, err := parseFlags([]string{"podlens", "--listen", addr, "--drain", "0", "--allowed-hosts", "*.corp.example"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), o, fake.NewClientset()) }()
	waitReady(t, "http://"+addr)
	for host, want := range map[string]int{"podlens.corp.example": 200, "evil.example": 421, addr: 200} {
		if got := rawRequest(t, addr, "GET /healthz HTTP/1.1\r\nHost: "+host); got != want {
			t.Errorf("Host %s: status %d, want %d", host, got, want)
		}
	}
	cancel()
	waitServeReturned(t, done)
}
