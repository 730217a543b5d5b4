package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// pageTimeout bounds one browser step (a navigation, a query) on a loaded
// 2-core machine.
const pageTimeout = 45 * time.Second

// chromiumPath finds Debian's Chromium (or a Chrome) on this machine.
func chromiumPath() string {
	if p := os.Getenv("PODLENS_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// initScript runs in every document before the page's own scripts. It
// records Content-Security-Policy violations and the htmx websocket's
// lifecycle. It never defines window.__pwned: only an injected payload can.
const initScript = `
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
	window.__csp.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' ' + (e.sample || ''));
});
window.__wsOpen = 0;
window.__wsMessages = 0;
document.addEventListener('htmx:wsOpen', function () { window.__wsOpen++; });
document.addEventListener('htmx:wsAfterMessage', function () { window.__wsMessages++; });
`

// tab is one headless Chromium tab.
type tab struct {
	t       testing.TB
	ctx     context.Context
	dialogs atomic.Int32

	mu         sync.Mutex
	exceptions []string
	done       bool
}

// newTab starts headless Chromium with a fresh profile and opens a 1280×800
// tab; extra adds Chromium options. A machine without Chromium fails the
// test: browser tests never pass without a browser.
func newTab(t testing.TB, extra ...chromedp.ExecAllocatorOption) *tab {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Fatal("Chromium not found: run `bash hack/install-chromium.sh` (Debian package chromium)")
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}, extra...)...)
	ctx, cancel := chromedp.NewContext(actx)
	tb := &tab{t: t, ctx: ctx}
	t.Cleanup(func() {
		tb.mu.Lock()
		tb.done = true
		tb.mu.Unlock()
		cancel()
		cancelAlloc()
	})

	// The first action starts the browser; it must not run under a timeout
	// (the timeout would end the browser), so bound it from outside.
	started := make(chan error, 1)
	go func() {
		started <- chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800))
	}()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("starting Chromium (%s): %v", path, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("Chromium (%s) did not start within 60s", path)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: initScript}); err != nil {
		t.Fatalf("installing the init script: %v", err)
	}

	// Any alert, confirm or prompt counts against the page; dismiss it so
	// the page does not hang.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			tb.dialogs.Add(1)
			tb.logf("JavaScript dialog opened (%s): %q", ev.Type, ev.Message)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			text := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil && ev.ExceptionDetails.Exception.Description != "" {
				text = ev.ExceptionDetails.Exception.Description
			}
			tb.mu.Lock()
			tb.exceptions = append(tb.exceptions, text)
			tb.mu.Unlock()
			tb.logf("page exception: %s", text)
		}
	}()
	return tb
}

// logf logs to the test unless it has finished.
func (b *tab) logf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		b.t.Logf(format, args...)
	}
}

// open navigates to u and waits for the load event. It returns the HTTP status.
func (b *tab) open(t testing.TB, u string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("opening %s: %v", u, err)
	}
	if resp == nil {
		t.Fatalf("opening %s: no response", u)
	}
	return resp.Status
}

// reload reloads the page and waits for the load event.
func (b *tab) reload(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reloading: %v", err)
	}
}

// do runs steps under the page timeout.
func (b *tab) do(t testing.TB, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t testing.TB, b *tab, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript predicate in the page until it is truthy.
func (b *tab) waitFor(t testing.TB, timeout time.Duration, what, predicate string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		if errors.Is(err, chromedp.ErrPollingTimeout) {
			t.Fatalf("%s: not true after %v (%s)", what, timeout, predicate)
		}
		t.Fatalf("%s: %v", what, err)
	}
}

// waitLive waits until the page's htmx websocket is open and has delivered
// its first message (the view's snapshot).
func (b *tab) waitLive(t testing.TB) {
	t.Helper()
	b.waitFor(t, 30*time.Second, "websocket open with a snapshot", `window.__wsOpen > 0 && window.__wsMessages > 0`)
}

// text is the page's visible text with runs of white space collapsed.
func (b *tab) text(t testing.TB, selector string) string {
	t.Helper()
	s := eval[string](t, b, fmt.Sprintf(`(function () { var e = document.querySelector(%q); return e ? e.innerText : ''; })()`, selector))
	return collapse(s)
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// rowIDs lists the ids of the pod table's rows, in order.
func (b *tab) rowIDs(t testing.TB) []string {
	t.Helper()
	return eval[[]string](t, b, `Array.from(document.querySelectorAll('#pod-rows tr[data-testid="pod-row"]')).map(function (r) { return r.id; })`)
}

// checkUnharmed fails the test when the page ran injected script: a
// window.__pwned marker, a JavaScript dialog, or a CSP violation (which means
// markup from cluster data reached the parser as markup, or the app itself
// uses inline code). Uncaught exceptions since the last check fail it too.
func (b *tab) checkUnharmed(t testing.TB, where string) {
	t.Helper()
	if got := eval[string](t, b, `typeof window.__pwned`); got != "undefined" {
		t.Errorf("%s: window.__pwned is %s: cluster data ran as script", where, got)
	}
	if n := b.dialogs.Load(); n > 0 {
		t.Errorf("%s: %d JavaScript dialogs opened", where, n)
	}
	if got := eval[string](t, b, `JSON.stringify([document.cookie, Object.keys(localStorage), Object.keys(sessionStorage)])`); got != `["",[],[]]` {
		t.Errorf("%s: the page stored something in the browser ([cookies, localStorage keys, sessionStorage keys]): %s", where, got)
	}
	if v := eval[[]string](t, b, `window.__csp || []`); len(v) > 0 {
		t.Errorf("%s: Content-Security-Policy violations: %q", where, v)
	}
	b.mu.Lock()
	exceptions := b.exceptions
	b.exceptions = nil
	b.mu.Unlock()
	if len(exceptions) > 0 {
		t.Errorf("%s: uncaught page exceptions: %q", where, exceptions)
	}
}

// screenshot saves the viewport as test/artifacts/name.
func (b *tab) screenshot(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "test", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(buf))
}

// contextWithTimeout bounds a group of browser steps.
func contextWithTimeout(b *tab) (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, pageTimeout)
}
