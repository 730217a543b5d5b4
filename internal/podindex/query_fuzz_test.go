package podindex

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// queryParams are the parameters ParseQuery may complain about.
var queryParams = []string{"q", "selector", "severity", "problems", "sort", "page", "pageSize"}

// FuzzParseQuery feeds arbitrary query strings to the list query parser
// shared by the pages, the websocket views and the JSON API. It must never
// panic; every error must name the parameter it is about; and a parsed query
// must survive its own encoding: links and websocket view keys are built
// from Values(), so parse → values → parse must be a fixed point, error-free.
// Seeds are in testdata/fuzz/FuzzParseQuery.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"",
		"namespace=shop,web&namespace=db&all=1",
		"selector=app%3Dweb,tier+in+(a,b),!canary&severity=critical&sort=restarts&desc=1&page=2&pageSize=50",
		"selector===&severity=bad&problems=maybe&sort=nope&page=0&pageSize=501",
		"q=%E4%B8%AD%E6%96%87&node=node-a&status=CrashLoopBackOff&code=CrashLoop&owner=Deployment/web",
		"page=99999999999999999999&pageSize=-1",
		"%zz&a=%&=&&&;",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, forAPI bool) {
		v, _ := url.ParseQuery(raw) // a bad escape drops that pair, like net/http does
		q, errs := ParseQuery(v, forAPI)
		for _, e := range errs {
			if !slices.Contains(queryParams, e.Param) {
				t.Errorf("error %q is about unknown parameter %q", e.Msg, e.Param)
			}
			if !strings.Contains(e.Msg, e.Param) {
				t.Errorf("error %q does not name its parameter %q", e.Msg, e.Param)
			}
		}
		if q.Page < 1 || q.PageSize < 1 || q.PageSize > MaxPageSize {
			t.Errorf("page %d, pageSize %d out of range", q.Page, q.PageSize)
		}
		if q.Selector == nil {
			t.Fatal("nil selector")
		}
		if forAPI {
			return // the API's health filter is spelled differently from values()
		}
		enc := q.Values()
		again, errs := ParseQuery(enc, false)
		if len(errs) > 0 {
			t.Fatalf("re-parsing %q: %v", enc.Encode(), errs[0].Msg)
		}
		if got, want := again.Values().Encode(), enc.Encode(); got != want {
			t.Errorf("values() is not a fixed point:\n first %q\nsecond %q", want, got)
		}
	})
}
