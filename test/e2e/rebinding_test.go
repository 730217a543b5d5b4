package e2e_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	corev1 "k8s.io/api/core/v1"
)

// rebindingHost is the attacker's name. Chromium resolves it to 127.0.0.1,
// as a DNS rebinding attack makes it do once the hostile page has loaded.
const rebindingHost = "evil.example"

// readAsAttacker is the hostile page's script: it reads the pod list as
// same-origin (status and body) and tries the live feed.
const readAsAttacker = `fetch('/api/v1/pods?namespace=rebinding&all=1').then(function (r) {
	return r.text().then(function (t) { return r.status + ' ' + t; });
}, function (e) { return 'fetch failed: ' + e; })`

const openWebsocket = `new Promise(function (resolve) {
	var ws = new WebSocket('ws://' + location.host + '/ws?view=pods&namespace=rebinding&all=1');
	ws.onmessage = function (e) { resolve('message: ' + e.data.slice(0, 300)); ws.close(); };
	ws.onerror = function () { resolve('error'); };
	ws.onclose = function (e) { resolve('closed ' + e.code); };
})`

// TestDNSRebindingIsRefused plays a DNS rebinding attack in real Chromium:
// a page at http://evil.example:PORT/ whose name now resolves to the
// dashboard's loopback address (kubectl port-forward, a local run) must not
// be able to read the dashboard, by page, API or websocket. The same
// dashboard on 127.0.0.1 works, and --allowed-hosts serves a listed name.
func TestDNSRebindingIsRefused(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	const ns = "rebinding"
	createNamespace(t, c, ns)
	createNode(t, c, "node-a", nodeReady(corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"))
	newPod(ns, "payroll-0", "node-a", map[string]string{"app": "payroll"}).withStatus(running("10.244.9.10")).create(t, c)

	p := startPodlens(t, cluster.Config)
	eventually(t, 30*time.Second, "the pod in the dashboard", func() error {
		if _, items := listPods(t, p.URL, url.Values{"namespace": {ns}, "all": {"1"}}); len(items) != 1 {
			return fmt.Errorf("%d pods listed, want 1", len(items))
		}
		return nil
	})
	b := newTab(t, chromedp.Flag("host-resolver-rules", "MAP "+rebindingHost+" 127.0.0.1"))
	rowID := podRowID(ns + "/payroll-0")

	t.Run("a page under the rebound name is refused and its script reads nothing", func(t *testing.T) {
		origin := "http://" + rebindingHost + ":" + portOf(t, p.URL)
		if got := b.open(t, origin+"/?all=1&namespace="+ns); got != http.StatusMisdirectedRequest {
			t.Errorf("GET %s/: status %d, want 421", origin, got)
		}
		if body := eval[string](t, b, `document.body ? document.body.innerText : ''`); strings.Contains(body, "payroll-0") || len(body) > 512 {
			t.Errorf("the refused page shows %d bytes: %.300q", len(body), body)
		}
		if got := evalAwait(t, b, readAsAttacker); !strings.HasPrefix(got, "421 ") || strings.Contains(got, "payroll-0") {
			t.Errorf("same-origin fetch of the pod list from %s: %.300q, want 421 and no pods", origin, got)
		}
		if got := evalAwait(t, b, openWebsocket); got != "error" {
			t.Errorf("websocket from %s: %.300q, want it to fail", origin, got)
		}
	})

	t.Run("the same dashboard on 127.0.0.1 works and goes live", func(t *testing.T) {
		if got := b.open(t, p.URL+"/?all=1&namespace="+ns); got != http.StatusOK {
			t.Fatalf("GET %s/: status %d, want 200", p.URL, got)
		}
		b.waitLive(t)
		b.waitFor(t, 30*time.Second, "the pod's row", fmt.Sprintf(`!!document.getElementById(%q)`, rowID))
		if got := evalAwait(t, b, openWebsocket); !strings.HasPrefix(got, "message: ") {
			t.Errorf("websocket from %s: %.300q, want its snapshot", p.URL, got)
		}
		b.checkUnharmed(t, p.URL) // no CSP violation: connect-src 'self' covers the page's websocket
	})

	t.Run("localhost works", func(t *testing.T) {
		u := "http://localhost:" + portOf(t, p.URL) + "/?all=1&namespace=" + ns
		if got := b.open(t, u); got != http.StatusOK {
			t.Fatalf("GET %s: status %d, want 200", u, got)
		}
		b.waitLive(t)
	})

	t.Run("--allowed-hosts serves the listed name", func(t *testing.T) {
		listed := startPodlens(t, cluster.Config, "--allowed-hosts", rebindingHost)
		origin := "http://" + rebindingHost + ":" + portOf(t, listed.URL)
		if got := b.open(t, origin+"/?all=1&namespace="+ns); got != http.StatusOK {
			t.Fatalf("GET %s/: status %d, want 200", origin, got)
		}
		b.waitLive(t)
		b.waitFor(t, 30*time.Second, "the pod's row", fmt.Sprintf(`!!document.getElementById(%q)`, rowID))
		if got := evalAwait(t, b, readAsAttacker); !strings.HasPrefix(got, "200 ") || !strings.Contains(got, "payroll-0") {
			t.Errorf("same-origin fetch of the pod list from %s: %.300q, want 200 with the pod", origin, got)
		}
		b.checkUnharmed(t, origin)
	})
}

// portOf is the port of a base URL such as http://127.0.0.1:41234.
func portOf(t testing.TB, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil || u.Port() == "" {
		t.Fatalf("no port in %q: %v", base, err)
	}
	return u.Port()
}

// evalAwait evaluates a JavaScript expression that yields a promise of a
// string in the page, and returns what it resolves to.
func evalAwait(t testing.TB, b *tab, expr string) string {
	t.Helper()
	ctx, cancel := contextWithTimeout(b)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %.80s…: %v", expr, err)
	}
	return v
}
