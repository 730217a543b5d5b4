package e2e_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"
	corev1 "k8s.io/api/core/v1"
)

// embedBasePath is where the portal's proxy serves the dashboard. The proxy
// keeps the prefix, so the dashboard must build every URL under it.
const embedBasePath = "/tools/pods"

// exampleDashboardURL is the placeholder in docs/embed-example.html that the
// test replaces with the proxy's URL.
const exampleDashboardURL = "https://dashboards.example.com/tools/pods/"

// TestEmbedInPortal embeds the dashboard the way docs/embed.md says: behind a
// reverse proxy that keeps a path prefix, framed by a portal page on another
// origin (docs/embed-example.html itself), in real Chromium.
func TestEmbedInPortal(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	const ns = "team-portal"
	createNamespace(t, c, ns)
	createNode(t, c, "node-a", nodeReady(corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"))
	newPod(ns, "api-0", "node-a", map[string]string{"app": "api"}).
		withStatus(crashLoop("10.244.7.10", 6, 1, "Error", "config file /etc/api.yaml not found")).create(t, c)
	newPod(ns, "web-0", "node-a", map[string]string{"app": "web"}).withStatus(running("10.244.7.11")).create(t, c)

	// The portal and a stranger are two more origins (same host, other
	// ports). Their servers start first: the portal's origin is a flag.
	var portalPage atomic.Pointer[[]byte]
	portal := startPagesServer(t, &portalPage)
	stranger := startPagesServer(t, &portalPage)

	p := startPodlens(t, cluster.Config, "--base-path", embedBasePath, "--frame-ancestors", portal.URL)
	proxy, proxied := startPrefixProxy(t, p.URL)
	dashboard := proxy.URL + embedBasePath + "/"
	portalPage.Store(examplePage(t, dashboard))
	eventually(t, 30*time.Second, "pods in the dashboard", func() error {
		if _, items := listPods(t, p.URL+embedBasePath, url.Values{"namespace": {ns}}); len(items) != 2 {
			return fmt.Errorf("%d pods listed, want 2", len(items))
		}
		return nil
	})

	b := newTab(t)
	frames := watchFrames(t, b)
	if got := b.open(t, portal.URL+"/"); got != http.StatusOK {
		t.Fatalf("portal page status = %d, want 200", got)
	}
	var frame cdp.FrameID

	t.Run("the portal's iframe shows the dashboard's rows", func(t *testing.T) {
		frame = frames.waitChild(t, b, dashboard)
		frames.waitFor(t, b, frame, "the problem pod's row inside the frame",
			fmt.Sprintf(`!!document.getElementById(%q)`, podRowID(ns+"/api-0")))
		if got := frames.eval(t, b, frame, `document.querySelectorAll('#pod-rows tr[data-testid="pod-row"]').length`); got != "1" {
			t.Errorf("rows in the frame = %s, want 1 (the problems view)", got)
		}
	})

	t.Run("embed mode shows no header or navigation", func(t *testing.T) {
		if frame == "" {
			t.Skip("the frame did not load")
		}
		got := frames.eval(t, b, frame, `JSON.stringify([
			document.body.getAttribute('data-embed'),
			!!document.querySelector('[data-testid="header"]'),
			!!document.querySelector('nav[aria-label="main"], nav.prefs, a.brand'),
			!!document.querySelector('#pod-rows')])`)
		if want := `["true",false,false,true]`; got != want {
			t.Errorf("[data-embed, has header, has navigation, has table] = %s, want %s", got, want)
		}
	})

	t.Run("the portal receives the frame's height and resizes it", func(t *testing.T) {
		b.waitFor(t, 30*time.Second, "a height message from the frame",
			`Number(document.getElementById('podlens').getAttribute('data-podlens-height')) > 0`)
		h := eval[string](t, b, `document.getElementById('podlens').style.height`)
		if n, err := strconv.Atoi(strings.TrimSuffix(h, "px")); err != nil || n < 200 {
			t.Errorf("iframe style height = %q, want the reported height in px (at least the 200px floor)", h)
		}
	})

	t.Run("the frame grows with its content and shrinks back when it gets shorter", func(t *testing.T) {
		if frame == "" {
			t.Skip("the frame did not load")
		}
		const reported = `Number(document.getElementById('podlens').getAttribute('data-podlens-height'))`
		frames.eval(t, b, frame, `(function () { var d = document.createElement('div'); d.id = 'tall'; d.style.height = '3000px';
			document.getElementById('main').appendChild(d); return 'ok'; })()`)
		b.waitFor(t, 30*time.Second, "a height message for the taller content", reported+` > 3000`)
		frames.eval(t, b, frame, `(function () { document.getElementById('tall').remove(); return 'ok'; })()`)
		b.waitFor(t, 30*time.Second, "a height message for the shorter content", reported+` < 1500`)
	})

	t.Run("the websocket under the base path delivers a status change into the frame", func(t *testing.T) {
		if frame == "" {
			t.Skip("the frame did not load")
		}
		frames.waitFor(t, b, frame, "the frame's websocket open with a snapshot",
			`window.__wsOpen > 0 && window.__wsMessages > 0 && document.getElementById('ws-state').getAttribute('data-state') === 'live'`)
		frames.eval(t, b, frame, `window.__sameDocument = 'yes'`)
		setStatus(t, c, ns, "web-0", crashLoop("10.244.7.11", 3, 137, "OOMKilled", ""))
		row := podRowID(ns + "/web-0")
		frames.waitFor(t, b, frame, "the pod that started crashing appears in the frame",
			fmt.Sprintf(`(function () { var r = document.getElementById(%q); return !!r && r.innerText.indexOf('CrashLoopBackOff') >= 0; })()`, row))
		if got := frames.eval(t, b, frame, `window.__sameDocument`); got != "yes" {
			t.Errorf("the frame reloaded (marker %q): the change must arrive over the websocket", got)
		}
	})

	t.Run("every asset loaded under the base path through the proxy", func(t *testing.T) {
		if frame == "" {
			t.Skip("the frame did not load")
		}
		raw := frames.eval(t, b, frame, `JSON.stringify(performance.getEntriesByType('resource').map(function (e) { return e.name; }))`)
		var loaded []string
		if err := json.Unmarshal([]byte(raw), &loaded); err != nil {
			t.Fatalf("decoding resource entries %s: %v", raw, err)
		}
		for _, want := range []string{"static/app.css", "static/app.js", "static/htmx-"} {
			if !slices.ContainsFunc(loaded, func(u string) bool { return strings.HasPrefix(u, dashboard+want) }) {
				t.Errorf("the frame loaded no %s%s…: %q", dashboard, want, loaded)
			}
		}
		if got := frames.eval(t, b, frame, `getComputedStyle(document.body).margin`); got == "8px" {
			t.Errorf("body margin is the browser default %q: app.css did not apply", got)
		}
		if got := frames.eval(t, b, frame, `JSON.stringify(window.__csp)`); got != "[]" {
			t.Errorf("Content-Security-Policy violations in the frame: %s", got)
		}
		reqs := proxied.all()
		if len(reqs) == 0 {
			t.Fatal("the proxy saw no requests")
		}
		for _, r := range reqs {
			if !strings.HasPrefix(r.path, embedBasePath+"/") {
				t.Errorf("request outside the base path: %s %s → %d", r.method, r.path, r.status)
			}
			if r.status >= 400 {
				t.Errorf("request failed: %s %s → %d", r.method, r.path, r.status)
			}
		}
		if !slices.ContainsFunc(reqs, func(r proxiedRequest) bool {
			return r.path == embedBasePath+"/ws" && r.status == http.StatusSwitchingProtocols
		}) {
			t.Errorf("no websocket upgrade on %s/ws through the proxy: %+v", embedBasePath, reqs)
		}
	})

	t.Run("the websocket refuses the portal's origin through the proxy", func(t *testing.T) {
		wsURL := "ws" + strings.TrimPrefix(dashboard, "http") + "ws?view=pods"
		code := dialStatus(t, wsURL, portal.URL)
		if code != http.StatusForbidden {
			t.Errorf("upgrade with Origin %s: status %d, want 403", portal.URL, code)
		}
		if code := dialStatus(t, wsURL, proxy.URL); code != http.StatusSwitchingProtocols {
			t.Errorf("upgrade with the page's own origin %s: status %d, want 101", proxy.URL, code)
		}
	})

	t.Run("--allowed-origins lets the portal's origin open the websocket", func(t *testing.T) {
		p2 := startPodlens(t, cluster.Config, "--base-path", embedBasePath, "--allowed-origins", portal.URL)
		wsURL := "ws" + strings.TrimPrefix(p2.URL, "http") + embedBasePath + "/ws?view=pods"
		if code := dialStatus(t, wsURL, portal.URL); code != http.StatusSwitchingProtocols {
			t.Errorf("upgrade with allowed Origin %s: status %d, want 101", portal.URL, code)
		}
		if code := dialStatus(t, wsURL, stranger.URL); code != http.StatusForbidden {
			t.Errorf("upgrade with Origin %s (not allowed): status %d, want 403", stranger.URL, code)
		}
	})

	t.Run("links and assets are relative, so a port-forward works", func(t *testing.T) {
		// kubectl port-forward gives the same server on another host:port:
		// here the server's own address, without the proxy.
		direct := p.URL + embedBasePath + "/"
		checkRelativeURLs(t, direct, p.URL)
		checkRelativeURLs(t, direct+"?embed=1&lang=zh-CN&theme=dark", p.URL)
		checkRelativeURLs(t, direct+"pods/"+ns+"/api-0?embed=1", p.URL)
		checkRelativeURLs(t, direct+"nodes", p.URL)
		resp, err := noRedirects.Get(p.URL + embedBasePath + "?embed=1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got, want := resp.Header.Get("Location"), embedBasePath+"/?embed=1"; resp.StatusCode != http.StatusMovedPermanently || got != want {
			t.Errorf("GET %s: %d Location %q, want 301 to %q", embedBasePath, resp.StatusCode, got, want)
		}
	})

	t.Run("the CSP names the portal as the only frame ancestor", func(t *testing.T) {
		resp, err := http.Get(dashboard + "?embed=1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := cspDirectives(resp.Header.Get("Content-Security-Policy"))["frame-ancestors"]
		if want := []string{portal.URL}; !slices.Equal(got, want) {
			t.Errorf("frame-ancestors = %q, want %q", got, want)
		}
		if xfo := resp.Header.Get("X-Frame-Options"); xfo != "" {
			t.Errorf("X-Frame-Options = %q: it would block the portal whatever the CSP says", xfo)
		}
	})

	t.Run("a portal on an origin not in --frame-ancestors cannot frame it", func(t *testing.T) {
		before := len(proxied.all())
		if got := b.open(t, stranger.URL+"/"); got != http.StatusOK {
			t.Fatalf("stranger page status = %d, want 200", got)
		}
		// Chromium fetched the dashboard (the proxy saw it) and then refused
		// to render it, because of the response's frame-ancestors.
		eventually(t, 30*time.Second, "the dashboard requested by the stranger's frame", func() error {
			if !slices.ContainsFunc(proxied.all()[before:], func(r proxiedRequest) bool { return r.path == embedBasePath+"/" }) {
				return errors.New("no request yet")
			}
			return nil
		})
		// The portal's load event waits for its iframe, blocked or not.
		var child *cdp.Frame
		eventually(t, 30*time.Second, "the stranger's child frame", func() error {
			f, ok := frames.child(t, b)
			if !ok || f.URL == "" || f.URL == "about:blank" {
				return errors.New("no loaded child frame")
			}
			child = f
			return nil
		})
		t.Logf("stranger's frame: url=%q unreachableUrl=%q origin=%q", child.URL, child.UnreachableURL, child.SecurityOrigin)
		if strings.HasPrefix(child.URL, dashboard) || child.SecurityOrigin == proxy.URL {
			t.Errorf("the stranger's frame shows the dashboard (%s, origin %s)", child.URL, child.SecurityOrigin)
		}
		if !strings.HasPrefix(child.UnreachableURL, dashboard) {
			t.Errorf("the stranger's frame's unreachable URL = %q, want the dashboard %s", child.UnreachableURL, dashboard)
		}
		// The proxy served the page: it was Chromium that refused it.
		if reqs := proxied.all(); !slices.ContainsFunc(reqs[before:], func(r proxiedRequest) bool {
			return r.path == embedBasePath+"/" && r.status == http.StatusOK
		}) {
			t.Errorf("the dashboard was not served to the stranger's frame: %+v", reqs[before:])
		}
		eventually(t, 10*time.Second, "Chromium's console message about frame-ancestors", func() error {
			for _, m := range frames.messages() {
				if strings.Contains(m, "frame-ancestors") && strings.Contains(m, portal.URL) {
					return nil
				}
			}
			return fmt.Errorf("console: %q", frames.messages())
		})
		if got := eval[string](t, b, `String(document.getElementById('podlens').getAttribute('data-podlens-height'))`); got != "null" {
			t.Errorf("the stranger's page received a height message (%s)", got)
		}
	})
}

// examplePage is docs/embed-example.html pointed at dashboard.
func examplePage(t testing.TB, dashboard string) *[]byte {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "docs", "embed-example.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), exampleDashboardURL) {
		t.Fatalf("docs/embed-example.html no longer embeds %s", exampleDashboardURL)
	}
	out := []byte(strings.ReplaceAll(string(raw), exampleDashboardURL, dashboard))
	return &out
}

// startPagesServer serves the page in *pg at / on its own 127.0.0.1 port.
func startPagesServer(t testing.TB, pg *atomic.Pointer[[]byte]) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := pg.Load()
		if r.URL.Path != "/" || body == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(*body)
	}))
	t.Cleanup(s.Close)
	return s
}

// proxiedRequest is one request the portal's proxy forwarded.
type proxiedRequest struct {
	method, path string
	status       int
}

// proxyLog records what the proxy forwarded and what came back.
type proxyLog struct {
	mu   sync.Mutex
	reqs []proxiedRequest
}

func (l *proxyLog) add(r proxiedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
}

func (l *proxyLog) all() []proxiedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.reqs)
}

// startPrefixProxy is a portal's reverse proxy: it forwards every path as
// is (keeping the prefix) and keeps the Host header, as most ingress
// controllers do. Go's ReverseProxy also forwards websocket upgrades.
func startPrefixProxy(t testing.TB, backend string) (*httptest.Server, *proxyLog) {
	t.Helper()
	target, err := url.Parse(backend)
	if err != nil {
		t.Fatal(err)
	}
	log := &proxyLog{}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(resp *http.Response) error {
		log.add(proxiedRequest{method: resp.Request.Method, path: resp.Request.URL.Path, status: resp.StatusCode})
		return nil
	}
	s := httptest.NewServer(rp)
	t.Cleanup(s.Close)
	return s, log
}

// dialStatus opens a websocket with the given Origin and returns the HTTP
// status of the handshake (101 when it succeeded).
func dialStatus(t testing.TB, wsURL, origin string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, resp, err := websocket.DefaultDialer.DialContext(ctx, wsURL, http.Header{"Origin": {origin}})
	if conn != nil {
		conn.Close()
	}
	if resp == nil {
		t.Fatalf("dialing %s: %v", wsURL, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

var noRedirects = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// urlAttrs are the attributes that hold URLs the browser or htmx follows.
var urlAttrs = []string{"href", "src", "action", "formaction", "ws-connect", "hx-get", "hx-post", "hx-push-url", "data-url"}

// checkRelativeURLs fetches page and checks that every URL in it either is
// relative or an absolute path under the base path, that none names the
// server's own origin, and that every one of them answers under the
// server's address (a missing prefix would 404).
func checkRelativeURLs(t *testing.T, pageURL, origin string) {
	t.Helper()
	resp, err := noRedirects.Get(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", pageURL, resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(pageURL)
	targets := map[string]bool{}
	for _, attr := range urlAttrs {
		doc.Find("[" + attr + "]").Each(func(_ int, s *goquery.Selection) {
			v, _ := s.Attr(attr)
			v = strings.TrimSpace(v)
			switch {
			case v == "" || strings.HasPrefix(v, "#"):
				return
			case strings.HasPrefix(v, "//"), strings.HasPrefix(v, origin):
				t.Errorf("%s: %s=%q is absolute: it breaks behind a proxy or a port-forward", pageURL, attr, v)
				return
			case strings.HasPrefix(v, "/") && !strings.HasPrefix(v, embedBasePath+"/"):
				t.Errorf("%s: %s=%q is an absolute path outside %s", pageURL, attr, v, embedBasePath)
				return
			case strings.Contains(v, "://"):
				return // another site (documentation links)
			}
			u, err := base.Parse(v)
			if err != nil {
				t.Errorf("%s: %s=%q: %v", pageURL, attr, v, err)
				return
			}
			if !strings.HasPrefix(u.Path, embedBasePath+"/") {
				t.Errorf("%s: %s=%q resolves to %s, outside %s", pageURL, attr, v, u.Path, embedBasePath)
				return
			}
			if attr != "ws-connect" {
				targets[u.String()] = true
			}
		})
	}
	if len(targets) == 0 {
		t.Fatalf("%s: no links or assets found", pageURL)
	}
	for u := range targets {
		resp, err := noRedirects.Get(u)
		if err != nil {
			t.Errorf("GET %s: %v", u, err)
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s links to %s: status %d", pageURL, u, resp.StatusCode)
		}
	}
}

// frameContexts tracks the main-world JavaScript context of every frame in a
// tab, so the test can evaluate inside an iframe as the iframe's own
// scripts see it.
type frameContexts struct {
	mu      sync.Mutex
	byFrame map[cdp.FrameID]string // frame → unique context id
	logs    []string               // browser log entries (CSP refusals land here)
}

func (fc *frameContexts) messages() []string {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return slices.Clone(fc.logs)
}

// watchFrames starts tracking; call it before the navigation.
func watchFrames(t testing.TB, b *tab) *frameContexts {
	t.Helper()
	fc := &frameContexts{byFrame: map[cdp.FrameID]string{}}
	err := chromedp.Listen(b.ctx, func(ev any) {
		fc.mu.Lock()
		defer fc.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExecutionContextCreated:
			var aux struct {
				FrameID   cdp.FrameID `json:"frameId"`
				IsDefault bool        `json:"isDefault"`
			}
			if json.Unmarshal([]byte(e.Context.AuxData), &aux) == nil && aux.IsDefault && aux.FrameID != "" {
				fc.byFrame[aux.FrameID] = e.Context.UniqueID
			}
		case *runtime.EventExecutionContextDestroyed:
			for f, id := range fc.byFrame {
				if id == e.ExecutionContextUniqueID {
					delete(fc.byFrame, f)
				}
			}
		case *runtime.EventExecutionContextsCleared:
			clear(fc.byFrame)
		case *cdplog.EventEntryAdded:
			fc.logs = append(fc.logs, e.Entry.Text)
		}
	})
	if err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	ctx, cancel := contextWithTimeout(b)
	defer cancel()
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enabling the browser log: %v", err)
	}
	return fc
}

func (fc *frameContexts) context(frame cdp.FrameID) (string, bool) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	id, ok := fc.byFrame[frame]
	return id, ok
}

// child is the top page's first child frame.
func (fc *frameContexts) child(t testing.TB, b *tab) (*cdp.Frame, bool) {
	t.Helper()
	ctx, cancel := contextWithTimeout(b)
	defer cancel()
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		t.Fatalf("getting the frame tree: %v", err)
	}
	if tree.FrameTree == nil || len(tree.FrameTree.ChildFrames) == 0 {
		return nil, false
	}
	return tree.FrameTree.ChildFrames[0].Frame, true
}

// waitChild waits for a child frame showing a URL under prefix, with a
// JavaScript context, and returns its id.
func (fc *frameContexts) waitChild(t testing.TB, b *tab, prefix string) cdp.FrameID {
	t.Helper()
	var id cdp.FrameID
	eventually(t, pageTimeout, "a frame showing "+prefix, func() error {
		f, ok := fc.child(t, b)
		if !ok {
			return errors.New("no child frame")
		}
		if !strings.HasPrefix(f.URL, prefix) {
			return fmt.Errorf("child frame shows %q (unreachable %q)", f.URL, f.UnreachableURL)
		}
		if _, ok := fc.context(f.ID); !ok {
			return errors.New("child frame has no JavaScript context yet")
		}
		id = f.ID
		return nil
	})
	return id
}

// eval evaluates expr in the frame's main world and returns the result as
// a string (JSON for non-strings).
func (fc *frameContexts) eval(t testing.TB, b *tab, frame cdp.FrameID, expr string) string {
	t.Helper()
	id, ok := fc.context(frame)
	if !ok {
		t.Fatalf("frame %s has no JavaScript context", frame)
	}
	return fc.evalCtx(t, b, id, expr)
}

func (fc *frameContexts) evalCtx(t testing.TB, b *tab, contextID, expr string) string {
	t.Helper()
	s, err := evalInContext(b, contextID, expr)
	if err != nil {
		t.Fatalf("evaluating %s in the frame: %v", expr, err)
	}
	return s
}

func evalInContext(b *tab, contextID, expr string) (string, error) {
	ctx, cancel := contextWithTimeout(b)
	defer cancel()
	yes := true
	r, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, UniqueContextID: contextID, ReturnByValue: &yes})
	if err != nil {
		return "", err
	}
	if r.ExceptionDetails != nil {
		return "", &chromedp.ExceptionError{ExceptionDetails: r.ExceptionDetails}
	}
	if r.Result == nil || len(r.Result.Value) == 0 {
		return "undefined", nil
	}
	var s string
	if json.Unmarshal([]byte(r.Result.Value), &s) == nil {
		return s, nil
	}
	return string(r.Result.Value), nil
}

// waitFor polls a JavaScript predicate in the frame until it is truthy.
func (fc *frameContexts) waitFor(t testing.TB, b *tab, frame cdp.FrameID, what, predicate string) {
	t.Helper()
	eventually(t, 30*time.Second, what, func() error {
		id, ok := fc.context(frame)
		if !ok {
			return errors.New("the frame has no JavaScript context")
		}
		got, err := evalInContext(b, id, "!!("+predicate+")")
		if err != nil {
			return err
		}
		if got != "true" {
			return fmt.Errorf("%s is %s", predicate, got)
		}
		return nil
	})
}
