package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/web/static"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// check is one property of a response; rows of tests combine them.
type check func(*httptest.ResponseRecorder) error

func checks(cs ...check) []check { return cs }

func hasStatus(want int) check {
	return func(w *httptest.ResponseRecorder) error {
		if w.Code != want {
			return fmt.Errorf("status = %d, want %d (body %.200q)", w.Code, want, w.Body.String())
		}
		return nil
	}
}

func hasHeader(key, want string) check {
	return func(w *httptest.ResponseRecorder) error {
		if got := w.Header().Get(key); got != want {
			return fmt.Errorf("header %s = %q, want %q", key, got, want)
		}
		return nil
	}
}

func headerContains(key, want string) check {
	return func(w *httptest.ResponseRecorder) error {
		if got := w.Header().Get(key); !strings.Contains(got, want) {
			return fmt.Errorf("header %s = %q, want it to contain %q", key, got, want)
		}
		return nil
	}
}

func hasNoHeader(key string) check {
	return func(w *httptest.ResponseRecorder) error {
		if got, ok := w.Header()[key]; ok {
			return fmt.Errorf("header %s = %q, want none", key, got)
		}
		return nil
	}
}

func bodyContains(want string) check {
	return func(w *httptest.ResponseRecorder) error {
		if !strings.Contains(w.Body.String(), want) {
			return fmt.Errorf("body does not contain %q", want)
		}
		return nil
	}
}

func bodyLacks(unwanted string) check {
	return func(w *httptest.ResponseRecorder) error {
		if strings.Contains(w.Body.String(), unwanted) {
			return fmt.Errorf("body contains %q", unwanted)
		}
		return nil
	}
}

// hasElement checks an HTML selector matches at least once.
func hasElement(selector string) check {
	return func(w *httptest.ResponseRecorder) error {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(w.Body.String()))
		if err != nil {
			return err
		}
		if doc.Find(selector).Length() == 0 {
			return fmt.Errorf("no element matches %q", selector)
		}
		return nil
	}
}

// hasAttr checks the first element matching selector has attr = want.
func hasAttr(selector, attr, want string) check {
	return func(w *httptest.ResponseRecorder) error {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(w.Body.String()))
		if err != nil {
			return err
		}
		got, ok := doc.Find(selector).First().Attr(attr)
		if !ok || got != want {
			return fmt.Errorf("%s[%s] = %q (present %v), want %q", selector, attr, got, ok, want)
		}
		return nil
	}
}

// hasJSONKeys checks the top-level JSON object (or its first item under
// path "items") has exactly these keys.
func hasJSONKeys(path string, want ...string) check {
	return func(w *httptest.ResponseRecorder) error {
		var v map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			return fmt.Errorf("body is not a JSON object: %v", err)
		}
		obj := v
		if path != "" {
			items, _ := v[path].([]any)
			if len(items) == 0 {
				return fmt.Errorf("%s is empty", path)
			}
			obj, _ = items[0].(map[string]any)
		}
		var got []string
		for k := range obj {
			got = append(got, k)
		}
		sort.Strings(got)
		sort.Strings(want)
		if diff := cmp.Diff(want, got); diff != "" {
			return fmt.Errorf("JSON keys (-want +got):\n%s", diff)
		}
		return nil
	}
}

func hasJSONValue(key string, want any) check {
	return func(w *httptest.ResponseRecorder) error {
		var v map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			return fmt.Errorf("body is not a JSON object: %v", err)
		}
		if diff := cmp.Diff(want, v[key]); diff != "" {
			return fmt.Errorf("JSON %s (-want +got):\n%s", key, diff)
		}
		return nil
	}
}

func testPods() []*corev1.Pod {
	return []*corev1.Pod{
		pod("shop", "cart-1", terminated("Error", "<script>alert('pwned')</script> panic: no config")),
		pod("shop", "web-1"),
		pod("data", "db-0"),
	}
}

func TestHandlers(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, newFakeStore(testPods()...))
	podKeys := []string{"namespace", "name", "status", "ready", "restarts", "age", "node", "ip", "severity", "reasons", "summary"}
	tests := []struct {
		name   string
		target string
		header []string
		checks []check
	}{
		{"the pod list API returns every pod with the documented fields", "/api/v1/pods", nil, checks(
			hasStatus(200), hasHeader("Content-Type", "application/json; charset=utf-8"),
			hasJSONKeys("", "items", "total", "page", "pageSize", "pages", "stale", "staleSince", "synced"),
			hasJSONKeys("items", podKeys...), hasJSONValue("total", 3.0), hasJSONValue("stale", false), hasJSONValue("synced", true))},
		{"the pod list API filters by namespace lists", "/api/v1/pods?namespace=data,nowhere", nil, checks(hasStatus(200), hasJSONValue("total", 1.0))},
		{"the pod list API filters by label selector", "/api/v1/pods?selector=app+in+(web-1,db-0)", nil, checks(hasStatus(200), hasJSONValue("total", 2.0))},
		{"the pod list API searches images", "/api/v1/pods?q=registry.example/cart", nil, checks(hasStatus(200), hasJSONValue("total", 1.0))},
		{"the pod list API pages", "/api/v1/pods?pageSize=2&page=2", nil, checks(hasStatus(200), hasJSONValue("pages", 2.0), hasJSONValue("page", 2.0))},
		{"an invalid selector is a 400 naming it", "/api/v1/pods?selector=app%3D%3D%3Dx", nil, checks(
			hasStatus(400), bodyContains(`"error":"invalid label selector \"app===x\"`))},
		{"an invalid severity is a 400", "/api/v1/pods?severity=bad", nil, checks(hasStatus(400), bodyContains("invalid severity"))},
		{"an invalid page size is a 400", "/api/v1/pods?pageSize=100000", nil, checks(hasStatus(400), bodyContains("invalid pageSize"))},
		{"one pod has its diagnosis and events", "/api/v1/pods/shop/cart-1", nil, checks(
			hasStatus(200), hasJSONKeys("", append(slices.Clone(podKeys), "diagnosis", "events", "stale", "staleSince", "synced")...))},
		{"an unknown pod is a JSON 404", "/api/v1/pods/shop/nope", nil, checks(hasStatus(404), bodyContains(`"error":"pod shop/nope not found"`))},
		{"the summary has counts and groups", "/api/v1/summary", nil, checks(
			hasStatus(200), hasJSONKeys("", "total", "bySeverity", "byCode", "byNamespace", "groups", "stale", "staleSince", "synced"))},
		{"nodes answer even when RBAC hides them", "/api/v1/nodes", nil, checks(hasStatus(200), hasJSONValue("available", false))},
		{"an unknown API route is a JSON 404", "/api/v1/nope", nil, checks(hasStatus(404), bodyContains(`"error"`))},
		{"an unknown page is a 404", "/nope", nil, checks(hasStatus(404), hasElement(`[data-testid="error"]`))},
		{"an oversized query is refused", "/?q=" + strings.Repeat("a", 9000), nil, checks(hasStatus(http.StatusRequestURITooLong))},
		{"pages carry a strict CSP and no X-Frame-Options", "/", nil, checks(
			hasStatus(200), headerContains("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'"),
			headerContains("Content-Security-Policy", "frame-ancestors 'self'"), hasHeader("X-Content-Type-Options", "nosniff"),
			hasHeader("Referrer-Policy", "no-referrer"), hasNoHeader("X-Frame-Options"))},
		{"the CSP lets the page connect only to its own origin", "/", nil, checks(
			headerContains("Content-Security-Policy", "; connect-src 'self'; "))},
		{"the list shows every pod on the all tab", "/?all=1", nil, checks(
			hasStatus(200), hasElement("#pod-shop_cart-1"), hasElement("#pod-shop_web-1"), hasElement("#pod-data_db-0"),
			hasAttr("body", "ws-connect", "./ws?all=1&view=pods"))},
		{"the list's links are relative", "/?all=1", nil, checks(
			hasAttr("#pod-shop_cart-1 th a", "href", "./pods/shop/cart-1"), hasAttr(`link[rel="stylesheet"]`, "href", "./static/app.css?v="+hashOf("app.css")))},
		{"an invalid selector renders the page with an inline error", "/?selector=a%3D%3D%3Db", nil, checks(
			hasStatus(400), hasElement(`[data-testid="selector-error"]`), hasElement(`[data-testid="pod-table"]`))},
		{"lang=zh-CN renders Chinese chrome", "/?lang=zh-CN", nil, checks(hasAttr("html", "lang", "zh-CN"), bodyContains("全部 Pod"))},
		{"Accept-Language picks Chinese", "/", []string{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"}, checks(hasAttr("html", "lang", "zh-CN"))},
		{"an unsupported language falls back to English", "/", []string{"Accept-Language", "fr-FR"}, checks(hasAttr("html", "lang", "en"))},
		{"kept parameters follow links", "/?all=1&theme=dark&embed=1", nil, checks(
			hasAttr("#pod-shop_cart-1 th a", "href", "./pods/shop/cart-1?embed=1&theme=dark"), hasAttr("html", "data-theme", "dark"),
			hasElement("body.embed"))},
		{"the pod page escapes a hostile termination message", "/pods/shop/cart-1", nil, checks(
			hasStatus(200), bodyLacks("<script>alert"), bodyContains("&lt;script&gt;alert"),
			hasElement(`[data-testid="pod-detail"]`), hasAttr(`link[rel="stylesheet"]`, "href", "../../static/app.css?v="+hashOf("app.css")),
			hasAttr("body", "ws-connect", "../../ws?name=cart-1&namespace=shop&view=pod"))},
		{"an unknown pod page is a 404", "/pods/shop/nope", nil, checks(hasStatus(404), hasElement(`[data-testid="error"]`))},
		{"the nodes page says when nodes are hidden", "/nodes", nil, checks(hasStatus(200), hasElement(`[data-testid="nodes-unavailable"]`))},
		{"static assets are cached for a year", "/static/app.js", nil, checks(hasStatus(200), hasHeader("Cache-Control", "public, max-age=31536000, immutable"))},
		{"unknown assets are 404", "/static/nope.js", nil, checks(hasStatus(404))},
		{"healthz is ok", "/healthz", nil, checks(hasStatus(200))},
		{"readyz is ok when synced", "/readyz", nil, checks(hasStatus(200))},
		{"metrics are exposed", "/metrics", nil, checks(hasStatus(200), bodyContains("podlens_viewers"), bodyContains("go_goroutines"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := env.get(tt.target, tt.header...)
			for _, c := range tt.checks {
				if err := c(w); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func hashOf(name string) string {
	_, h, _ := strings.Cut(static.Path(name), "?v=")
	return h
}

func TestWatchedNamespaces(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, newFakeStore(testPods()...), func(c *serverConfig) { c.watched = []string{"shop"} })
	for _, tt := range []struct {
		name   string
		target string
		checks []check
	}{
		{"an unwatched namespace is a 400 naming it", "/api/v1/pods?namespace=data", checks(hasStatus(400), bodyContains(`namespace \"data\" is not watched (watching: shop)`))},
		{"a watched namespace is fine", "/api/v1/pods?namespace=shop", checks(hasStatus(200))},
		{"a pod in an unwatched namespace is a 400", "/api/v1/pods/data/db-0", checks(hasStatus(400))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := env.get(tt.target)
			for _, c := range tt.checks {
				if err := c(w); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestBasePath(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, newFakeStore(testPods()...), func(c *serverConfig) { c.basePath = "/tools/pods" })
	for _, tt := range []struct {
		name   string
		target string
		checks []check
	}{
		{"the prefix without a slash redirects to the slash", "/tools/pods?all=1", checks(hasStatus(301), hasHeader("Location", "/tools/pods/?all=1"))},
		{"pages under the prefix keep relative links", "/tools/pods/?all=1", checks(hasStatus(200), hasAttr("#pod-shop_cart-1 th a", "href", "./pods/shop/cart-1"))},
		{"the API is under the prefix", "/tools/pods/api/v1/pods", checks(hasStatus(200), hasJSONValue("total", 3.0))},
		{"paths outside the prefix are 404", "/api/v1/pods", checks(hasStatus(404))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := env.get(tt.target)
			for _, c := range tt.checks {
				if err := c(w); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	state := &fakeState{}
	ready := &readiness{synced: state.Synced}
	h := handleReadyz(ready)
	code := func() int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return w.Code
	}
	if got, want := code(), http.StatusServiceUnavailable; got != want {
		t.Fatalf("before sync: status=%d, want %d", got, want)
	}
	state.Set(true, state.Status())
	if got, want := code(), http.StatusOK; got != want {
		t.Fatalf("after sync: status=%d, want %d", got, want)
	}
	ready.draining.Store(true)
	if got, want := code(), http.StatusServiceUnavailable; got != want {
		t.Fatalf("while draining: status=%d, want %d", got, want)
	}
}

func TestHead(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, newFakeStore(testPods()...))
	for _, tt := range []struct {
		name   string
		target string
		want   int
	}{
		{"HEAD on the list page is served like GET", "/", http.StatusOK},
		{"HEAD on a pod page is served like GET", "/pods/shop/cart-1", http.StatusOK},
		{"HEAD on the nodes page is served like GET", "/nodes", http.StatusOK},
		{"HEAD on healthz is served like GET", "/healthz", http.StatusOK},
		{"HEAD on readyz is served like GET", "/readyz", http.StatusOK},
		{"HEAD on the API is served like GET", "/api/v1/pods", http.StatusOK},
		{"HEAD on an unknown API pod is a 404 like GET", "/api/v1/pods/shop/nope", http.StatusNotFound},
		{"HEAD on a static asset is served like GET", "/static/app.js", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			get := env.get(tt.target)
			w := httptest.NewRecorder()
			env.handler.ServeHTTP(w, httptest.NewRequest(http.MethodHead, tt.target, nil))
			if w.Code != tt.want || get.Code != tt.want {
				t.Errorf("HEAD status = %d, GET status = %d, want %d", w.Code, get.Code, tt.want)
			}
			if got, want := w.Header().Get("Content-Type"), get.Header().Get("Content-Type"); got != want {
				t.Errorf("HEAD Content-Type = %q, GET's %q", got, want)
			}
		})
	}
	t.Run("other methods are still refused", func(t *testing.T) {
		t.Parallel()
		w := httptest.NewRecorder()
		env.handler.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/api/v1/pods", nil))
		if w.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST status = %d, want 405", w.Code)
		}
	})
}

// rowOrder returns the pod row ids of a list page, in order.
func rowOrder(t *testing.T, w *httptest.ResponseRecorder) []string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(w.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	doc.Find(`#pod-rows tr[data-testid="pod-row"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		ids = append(ids, id)
	})
	return ids
}

func TestListPageFeatures(t *testing.T) {
	t.Parallel()
	owned := pod("shop", "cart-7d9f8b6c5-2xkqp", func(p *corev1.Pod) {
		p.Labels["pod-template-hash"] = "7d9f8b6c5"
		ctrl := true
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "cart-7d9f8b6c5", Controller: &ctrl}}
	})
	env := newTestEnv(t, newFakeStore(append(testPods(), owned)...))
	for _, tt := range []struct {
		name   string
		target string
		want   []string
	}{
		{"sort=name lists pods by name", "/?all=1&sort=name", []string{"pod-shop_cart-1", "pod-shop_cart-7d9f8b6c5-2xkqp", "pod-data_db-0", "pod-shop_web-1"}},
		{"desc=1 reverses the sort", "/?all=1&sort=name&desc=1", []string{"pod-shop_web-1", "pod-data_db-0", "pod-shop_cart-7d9f8b6c5-2xkqp", "pod-shop_cart-1"}},
		{"sort=namespace lists by namespace, then name", "/?all=1&sort=namespace", []string{"pod-data_db-0", "pod-shop_cart-1", "pod-shop_cart-7d9f8b6c5-2xkqp", "pod-shop_web-1"}},
		{"sort=restarts descending puts the crashing pod first", "/?all=1&sort=restarts&desc=1", []string{"pod-shop_cart-1", "pod-data_db-0", "pod-shop_cart-7d9f8b6c5-2xkqp", "pod-shop_web-1"}},
		{"the default order is problems first", "/?all=1", []string{"pod-shop_cart-1", "pod-data_db-0", "pod-shop_cart-7d9f8b6c5-2xkqp", "pod-shop_web-1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, rowOrder(t, env.get(tt.target))); diff != "" {
				t.Errorf("rows of %s (-want +got):\n%s", tt.target, diff)
			}
		})
	}
	for _, tt := range []struct {
		name   string
		target string
		checks []check
	}{
		{"every column header sorts by it and keeps the language and theme", "/?lang=zh-CN&theme=dark&sort=age", checks(
			hasAttr(`th[aria-sort="ascending"] a`, "href", "./?desc=1&lang=zh-CN&sort=age&theme=dark"),
			hasElement(`thead a[href="./?lang=zh-CN&sort=ip&theme=dark"]`), hasElement(`thead a[href="./?lang=zh-CN&sort=namespace&theme=dark"]`))},
		{"the pod page links to its owner's pods and to its node, keeping the theme", "/pods/shop/cart-7d9f8b6c5-2xkqp?theme=dark", checks(
			hasAttr(`[data-testid="owner-link"]`, "href", "../../?all=1&namespace=shop&owner=Deployment%2Fcart&theme=dark"),
			hasAttr(`[data-testid="node-link"]`, "href", "../../nodes/node-1?theme=dark"))},
		{"the owner link lists exactly the owner's pods", "/?all=1&namespace=shop&owner=Deployment%2Fcart", checks(
			hasElement("#pod-shop_cart-7d9f8b6c5-2xkqp"), bodyLacks(`id="pod-shop_cart-1"`))},
		{"the page has a polite live region for announcements", "/", checks(hasAttr("#announce", "aria-live", "polite"))},
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

func TestCacheStateOnPages(t *testing.T) {
	t.Parallel()
	t.Run("while the caches sync the page shows what is loaded so far", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		env.state.Set(false, informers.SyncStatus{Connected: true, Resources: []informers.ResourceState{
			{Resource: informers.ResourcePods, Loaded: 1200}, {Resource: informers.ResourceEvents, Loaded: 87}, {Resource: informers.ResourceNodes, Loaded: 3, Synced: true}}})
		w := env.get("/")
		for _, c := range checks(hasStatus(200), hasAttr("#cache-status", "data-synced", "false"), hasElement(`[data-testid="pod-table"]`)) {
			if err := c(w); err != nil {
				t.Error(err)
			}
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(w.Body.String()))
		got := strings.Join(strings.Fields(doc.Find("#cache-status").Text()), " ")
		if want := "Loading cluster state: pods 1200 loaded, events 87 loaded, nodes 3 synced"; got != want {
			t.Errorf("cache status = %q, want %q", got, want)
		}
	})
	t.Run("when the cluster is unreachable the page says since when", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		env.state.Set(true, informers.SyncStatus{Connected: false, StaleSince: testNow})
		w := env.get("/nodes")
		want := "data is stale since " + testNow.Local().Format("15:04:05") + " — cluster unreachable"
		if err := bodyContains(want)(w); err != nil {
			t.Error(err)
		}
	})
}
