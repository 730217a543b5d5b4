package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/gorilla/websocket"
	"github.com/podlens/podlens/internal/podindex"
)

// TestSearchTextLimit checks that the free-text filter refuses a text longer
// than podindex.MaxSearchRunes characters, wherever a query is read: the API answers
// 400, the page shows the error, the websocket refuses the view.
func TestSearchTextLimit(t *testing.T) {
	t.Parallel()
	longest := strings.Repeat("界", podindex.MaxSearchRunes) // counted in characters, not bytes
	tooLong := strings.Repeat("a", podindex.MaxSearchRunes+1)
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
				q, errs := podindex.ParseQuery(url.Values{"q": {tc.q}}, forAPI)
				if !tc.wantErr {
					if len(errs) > 0 || q.Text != tc.q {
						t.Errorf("forAPI=%v: q=%.20q errs=%v, want the text kept and no error", forAPI, q.Text, errs)
					}
					continue
				}
				if len(errs) != 1 || errs[0].Param != "q" || errs[0].Msg != wantMsg {
					t.Fatalf("forAPI=%v: errs = %v, want one error on q: %s", forAPI, errs, wantMsg)
				}
				if q.Text != "" {
					t.Errorf("forAPI=%v: the refused text is kept in the query (%d bytes)", forAPI, len(q.Text))
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
