package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// hostPolicy decides which Host headers the dashboard answers, against DNS
// rebinding: a hostile page at http://evil.example:8080/ makes its own name
// resolve to 127.0.0.1 (or to a pod IP), and the browser then lets its
// script read this server as same-origin, pages, API and websocket alike.
// The browser still sends the attacker's name as Host, so refusing names the
// operator did not list stops it; the websocket's Origin check cannot, as
// Origin and Host agree after a rebind. See
// https://en.wikipedia.org/wiki/DNS_rebinding and the same defence in
// webpack-dev-server's allowedHosts and Jupyter Server's local_hostnames.
//
// Always served, whatever the flags:
//   - IP literals, v4 or v6, any address: a rebinding page's origin is a
//     name by definition, and the pod IP (kubelet probes, Prometheus), a
//     Service's cluster IP and 127.0.0.1 (kubectl port-forward) all arrive
//     as IP literals;
//   - localhost, which browsers resolve to loopback themselves, never
//     through DNS (RFC 6761 section 6.3);
//   - an empty Host (HTTP/1.0 without one): no browser sends that.
//
// Names are served only when listed with --allowed-hosts (exactly, or under
// a "*." wildcard) or given as the --listen host. The zero value serves the
// always-served hosts only.
type hostPolicy struct {
	names    map[string]bool // lower case, no trailing dot
	suffixes []string        // ".example.com" for "*.example.com"
}

// newHostPolicy allows the names of --allowed-hosts (normalized by
// parseAllowedHost) and the host of the --listen address when it is a name.
func newHostPolicy(allowed []string, listen string) hostPolicy {
	p := hostPolicy{names: map[string]bool{}}
	if host, _, err := net.SplitHostPort(listen); err == nil && host != "" {
		allowed = append(allowed[:len(allowed):len(allowed)], normalizeHost(host))
	}
	for _, a := range allowed {
		if suffix, ok := strings.CutPrefix(a, "*"); ok {
			p.suffixes = append(p.suffixes, suffix)
		} else {
			p.names[a] = true
		}
	}
	return p
}

// allows reports whether hostport, a request's Host, is served.
func (p hostPolicy) allows(hostport string) bool {
	host := hostport
	if h, port, err := net.SplitHostPort(hostport); err == nil {
		if strings.Trim(port, "0123456789") != "" {
			return false // "127.0.0.1:80@evil.example": no browser sends that
		}
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1] // "[::1]" without a port
	}
	host = normalizeHost(host)
	if host == "" || host == "localhost" || p.names[host] {
		return true
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	for _, s := range p.suffixes {
		if len(host) > len(s) && strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

// normalizeHost lowers a host name's case and drops the trailing dot of a
// fully qualified name: "Podlens.Example." is "podlens.example".
func normalizeHost(host string) string {
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// parseAllowedHost checks and normalizes one --allowed-hosts value: a host
// name without scheme, port or path, optionally "*." followed by a name for
// every subdomain of it (not the name itself, as for wildcard certificates).
func parseAllowedHost(s string) (string, error) {
	h := normalizeHost(strings.TrimSpace(s))
	if _, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		return h, nil // harmless: IP literals are always served
	}
	name := strings.TrimPrefix(h, "*.")
	if name == "" || strings.ContainsAny(name, "*:/?#@[] \t") {
		return "", fmt.Errorf("--allowed-hosts %q: want a host name such as podlens.example.com or *.example.com (no scheme, port or path)", s)
	}
	if name != h {
		return "*." + name, nil
	}
	return h, nil
}

// misdirectedBody is the whole answer to a refused Host. It does not repeat
// the Host: the answer stays short and reflects nothing.
const misdirectedBody = "421 Misdirected Request: this server does not answer for that host name; " +
	"its operator can allow it with --allowed-hosts\n"

// requireAllowedHost answers 421 Misdirected Request (RFC 9110 section
// 15.5.20: the server does not answer for that authority) to requests
// whose Host the policy does not serve, before any route runs; the
// websocket upgrade included.
func requireAllowedHost(log *slog.Logger, p hostPolicy) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p.allows(r.Host) {
				next.ServeHTTP(w, r)
				return
			}
			log.Debug("host not allowed", "host", truncate(r.Host, 100), "path", truncate(r.URL.Path, 100))
			h := w.Header()
			h.Set("Content-Type", "text/plain; charset=utf-8")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusMisdirectedRequest)
			_, _ = w.Write([]byte(misdirectedBody))
		})
	}
}

// truncate cuts s to at most n bytes for a log line.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
