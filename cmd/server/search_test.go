package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/gorilla/websocket"
	"github.com/podlens/podlens/internal/diagnose"
	corev1 "k8s.io/api/core/v1"
)

// TestSearchTextLimit checks that the free-text filter refuses a text longer
// than maxSearchRunes characters, wherever a query is read: the API answers
// 400, the page shows the error, the websocket refuses the view.
func TestSearchTextLimit(t *testing.T) {
	t.Parallel()
	longest := strings.Repeat("界", maxSearchRunes) // counted in characters, not bytes
	tooLong := strings.Repeat("a", maxSearchRunes+1)
	const wantMsg = "invalid q: 257 characters, want at most 256"

	for _, tc := range []struct {
		name    string
		q       string
		wantErr bool
	}{
		{"the longest text is accepted", longest, false},
		{"one more character is refused", tooLong, true},
	} {
		t.Run("parse: "+tc.name, func(t *testing.T) {
			t.Parallel()
			for _, forAPI := range []bool{true, false} {
				q, errs := parseListQuery(url.Values{"q": {tc.q}}, forAPI)
				if !tc.wantErr {
					if len(errs) > 0 || q.q != tc.q {
						t.Errorf("forAPI=%v: q=%.20q errs=%v, want the text kept and no error", forAPI, q.q, errs)
					}
					continue
				}
				if len(errs) != 1 || errs[0].param != "q" || errs[0].msg != wantMsg {
					t.Fatalf("forAPI=%v: errs = %v, want one error on q: %s", forAPI, errs, wantMsg)
				}
				if q.q != "" {
					t.Errorf("forAPI=%v: the refused text is kept in the query (%d bytes)", forAPI, len(q.q))
				}
			}
		})
	}

	env := newTestEnv(t, newFakeStore(testPods()...))
	t.Run("the API answers 400 with the reason", func(t *testing.T) {
		t.Parallel()
		w := env.get("/api/v1/pods?q=" + tooLong)
		if want := `{"error":"` + wantMsg + `"}`; w.Code != http.StatusBadRequest || strings.TrimSpace(w.Body.String()) != want {
			t.Errorf("GET /api/v1/pods?q=<257 characters> = %d %s, want 400 %s", w.Code, w.Body.String(), want)
		}
		if w := env.get("/api/v1/pods?q=" + url.QueryEscape(longest)); w.Code != http.StatusOK {
			t.Errorf("GET /api/v1/pods?q=<256 characters> = %d %s, want 200", w.Code, w.Body.String())
		}
	})
	t.Run("the page shows the error next to the form", func(t *testing.T) {
		t.Parallel()
		w := env.get("/?all=1&q=" + tooLong)
		if w.Code != http.StatusBadRequest {
			t.Errorf("status = %d, want 400", w.Code)
		}
		doc, err := goquery.NewDocumentFromReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Find(`[data-testid="filter-error"]`).Text(); !strings.Contains(got, wantMsg) {
			t.Errorf("filter error = %q, want it to say %q", got, wantMsg)
		}
		if v, _ := doc.Find(`input[name="q"]`).Attr("value"); v != "" {
			t.Errorf("the search box holds the refused text (%d bytes)", len(v))
		}
	})
	t.Run("the websocket refuses the view before the upgrade", func(t *testing.T) {
		t.Parallel()
		base := setupWS(t, env)
		_, resp, err := websocket.DefaultDialer.Dial(base+"/ws?view=pods&q="+tooLong, nil)
		if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("dial: err=%v resp=%v, want 400", err, resp)
		}
	})
}

// TestSearchFindsAcrossLongFields checks the matcher on texts longer than
// the needle's repeats, where a wrong failure table misses a match.
func TestSearchFindsAcrossLongFields(t *testing.T) {
	t.Parallel()
	image := "registry.example/" + strings.Repeat("ab", 3000) + "abAbAbAc:1"
	p := pod("shop", "img", func(p *corev1.Pod) { p.Spec.Containers[0].Image = image })
	e := newEntry(podKey("shop", "img"), p, diagnose.Pod(diagnose.PodInput{Pod: p}, testNow), testNow)
	for text, want := range map[string]bool{
		"ABABABAC":                           true,
		"abababac":                           true,
		"abababad":                           false,
		"bAc:1":                              true,
		"aba" + strings.Repeat("b", 2) + "a": false,
		strings.Repeat("ab", 120) + "c":      false,
		strings.Repeat("ab", 120):            true,
	} {
		q, errs := parseListQuery(url.Values{"q": {text}}, true)
		if len(errs) > 0 {
			t.Fatalf("parse %q: %v", text, errs)
		}
		if got := q.matches(e); got != want {
			t.Errorf("matches(q=%.30q) = %v, want %v", text, got, want)
		}
	}
}

// BenchmarkSearchWorstCase searches the longest text the filter accepts in
// a 64 KiB image name built to make a window-by-window comparison match
// almost the whole text at every position.
func BenchmarkSearchWorstCase(b *testing.B) {
	image := strings.Repeat("a", 64<<10)
	p := pod("shop", "huge", func(p *corev1.Pod) { p.Spec.Containers[0].Image = image })
	e := newEntry(podKey("shop", "huge"), p, diagnose.Pod(diagnose.PodInput{Pod: p}, testNow), testNow)
	q, errs := parseListQuery(url.Values{"q": {strings.Repeat("A", 255) + "b"}}, true)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	for b.Loop() {
		if q.matches(e) {
			b.Fatal("matched")
		}
	}
}
