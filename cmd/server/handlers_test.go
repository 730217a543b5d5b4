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
	"github.com/podlens/podlens/web/static"
	corev1 "k8s.io/api/core/v1"
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
		{"the list shows every pod on the all tab", "/?all=1", nil, checks(
			hasStatus(200), hasElement("#pod-shop-cart-1"), hasElement("#pod-shop-web-1"), hasElement("#pod-data-db-0"),
			hasAttr("body", "ws-connect", "./ws?all=1&view=pods"))},
		{"the list's links are relative", "/?all=1", nil, checks(
			hasAttr("#pod-shop-cart-1 th a", "href", "./pods/shop/cart-1"), hasAttr(`link[rel="stylesheet"]`, "href", "./static/app.css?v="+hashOf("app.css")))},
		{"an invalid selector renders the page with an inline error", "/?selector=a%3D%3D%3Db", nil, checks(
			hasStatus(400), hasElement(`[data-testid="selector-error"]`), hasElement(`[data-testid="pod-table"]`))},
		{"lang=zh-CN renders Chinese chrome", "/?lang=zh-CN", nil, checks(hasAttr("html", "lang", "zh-CN"), bodyContains("全部 Pod"))},
		{"Accept-Language picks Chinese", "/", []string{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"}, checks(hasAttr("html", "lang", "zh-CN"))},
		{"an unsupported language falls back to English", "/", []string{"Accept-Language", "fr-FR"}, checks(hasAttr("html", "lang", "en"))},
		{"kept parameters follow links", "/?all=1&theme=dark&embed=1", nil, checks(
			hasAttr("#pod-shop-cart-1 th a", "href", "./pods/shop/cart-1?embed=1&theme=dark"), hasAttr("html", "data-theme", "dark"),
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
		{"pages under the prefix keep relative links", "/tools/pods/?all=1", checks(hasStatus(200), hasAttr("#pod-shop-cart-1 th a", "href", "./pods/shop/cart-1"))},
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
	state.set(true, state.Status())
	if got, want := code(), http.StatusOK; got != want {
		t.Fatalf("after sync: status=%d, want %d", got, want)
	}
	ready.draining.Store(true)
	if got, want := code(), http.StatusServiceUnavailable; got != want {
		t.Fatalf("while draining: status=%d, want %d", got, want)
	}
}
