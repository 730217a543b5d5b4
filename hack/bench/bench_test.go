package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestShortBench runs the benchmark end to end at -short sizes against a real
// API server and the real dashboard, so the benchmark cannot rot. It asserts
// that every figure was measured, never the figures themselves: speed is
// judged by people reading the table, not by a test on a shared machine.
func TestShortBench(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real API server and the dashboard for about a minute")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cfg, err := parseFlags([]string{"-short"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	res, err := bench(ctx, cfg, &log)
	if err != nil {
		t.Fatalf("bench: %v\nlog:\n%s", err, log.String())
	}
	var table bytes.Buffer
	writeTable(&table, res.rows)
	t.Logf("\n%s\n%s", table.String(), res.machine)

	t.Run("every target figure has a row", func(t *testing.T) {
		want := []string{"Go heap", "whole-process RSS", "time to first", "`/api/v1/pods?problems=true`", "the list page",
			"status write", "bytes sent", "memory per idle", "watches"}
		var got []string
		for _, w := range want {
			for _, r := range res.rows {
				if strings.HasPrefix(r.Figure, w) {
					got = append(got, w)
					break
				}
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("figures (-want +got):\n%s", diff)
		}
	})
	t.Run("every row was measured", func(t *testing.T) {
		for _, r := range res.rows {
			if !r.Measured {
				t.Errorf("%s: %s", r.Figure, r.Ours)
			}
		}
	})
}

func TestChurnNames(t *testing.T) {
	t.Parallel()
	t.Run("finds each churn pod a frame mentions, even after the namespace", func(t *testing.T) {
		msg := `<tr id="pod-bench-churn-churn-0007" hx-swap-oob="true"><td>churn-0007</td></tr><tr id="x"><a href="/pods/bench-churn/churn-0012">`
		want := []string{"churn-0007", "churn-0007", "churn-0012"}
		if diff := cmp.Diff(want, churnNames([]byte(msg))); diff != "" {
			t.Errorf("names (-want +got):\n%s", diff)
		}
	})
	t.Run("finds nothing in a frame about other pods", func(t *testing.T) {
		if got := churnNames([]byte(`<tr id="pod-team-000-checkout-0-abc"><td>bench-churn</td>`)); got != nil {
			t.Errorf("names = %q, want none", got)
		}
	})
}

func TestMetricSum(t *testing.T) {
	t.Parallel()
	text := []byte(`# HELP apiserver_longrunning_requests [ALPHA] Gauge of all active long-running apiserver requests
# TYPE apiserver_longrunning_requests gauge
apiserver_longrunning_requests{component="apiserver",group="",resource="pods",scope="cluster",subresource="",verb="WATCH",version="v1"} 3
apiserver_longrunning_requests{component="apiserver",group="",resource="nodes",scope="cluster",subresource="",verb="WATCH",version="v1"} 1
apiserver_longrunning_requests{component="apiserver",group="",resource="pods",scope="namespace",subresource="log",verb="CONNECT",version="v1"} 5
apiserver_longrunning_requests_total 99
go_goroutines 42
`)
	t.Run("adds the samples whose labels match", func(t *testing.T) {
		got, ok := metricSum(text, "apiserver_longrunning_requests", `verb="WATCH"`)
		if !ok || got != 4 {
			t.Errorf("metricSum = %v, %v; want 4, true", got, ok)
		}
	})
	t.Run("reads a metric without labels and ignores longer names", func(t *testing.T) {
		got, ok := metricSum(text, "go_goroutines")
		if !ok || got != 42 {
			t.Errorf("metricSum = %v, %v; want 42, true", got, ok)
		}
	})
	t.Run("reports a missing metric", func(t *testing.T) {
		if _, ok := metricSum(text, "apiserver_registered_watchers"); ok {
			t.Error("metricSum found a metric that is not there")
		}
	})
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	var samples []time.Duration
	for i := 100; i >= 1; i-- {
		samples = append(samples, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		name string
		p    float64
		want time.Duration
	}{
		{"the median of 1..100 ms is 50 ms", 50, 50 * time.Millisecond},
		{"the 99th percentile of 1..100 ms is 99 ms", 99, 99 * time.Millisecond},
		{"the 100th percentile is the maximum", 100, 100 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(samples, tc.p); got != tc.want {
				t.Errorf("percentile(%v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}

func TestReplaceBlock(t *testing.T) {
	t.Parallel()
	t.Run("replaces only the text between the markers", func(t *testing.T) {
		doc := "# Perf\n\nprose\n\n<!-- b -->\nold\n<!-- e -->\n\nmore prose\n"
		want := "# Perf\n\nprose\n\n<!-- b -->\nnew\n<!-- e -->\n\nmore prose\n"
		if diff := cmp.Diff(want, replaceBlock(doc, "<!-- b -->", "<!-- e -->", "new\n")); diff != "" {
			t.Errorf("doc (-want +got):\n%s", diff)
		}
	})
	t.Run("appends the block when the markers are missing", func(t *testing.T) {
		want := "# Perf\n\n<!-- b -->\nnew\n<!-- e -->\n"
		if diff := cmp.Diff(want, replaceBlock("# Perf\n", "<!-- b -->", "<!-- e -->", "new\n")); diff != "" {
			t.Errorf("doc (-want +got):\n%s", diff)
		}
	})
}

func TestGoBenchTable(t *testing.T) {
	t.Parallel()
	out := []byte(`goos: linux
goarch: amd64
pkg: github.com/podlens/podlens/internal/diagnose
cpu: Intel(R) Xeon(R)
BenchmarkPod-2   	  123456	      9876 ns/op	    2048 B/op	      17 allocs/op
PASS
ok  	github.com/podlens/podlens/internal/diagnose	2.1s
`)
	want := "| package | benchmark | ns/op | B/op | allocs/op |\n|---|---|---|---|---|\n| internal/diagnose | BenchmarkPod-2 | 9876 | 2048 | 17 |\n"
	if diff := cmp.Diff(want, goBenchTable(out)); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

func TestViewerPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, pagePath, page, want string
	}{
		{"resolves the page's relative ws-connect", "/", `<body hx-ext="ws" ws-connect="./ws?view=pods&amp;lang=en">`, "/ws?view=pods&lang=en"},
		{"resolves it against a page under a folder", "/pods/ns/name", `<body ws-connect="../../ws?view=pod&amp;namespace=ns&amp;name=name">`, "/ws?view=pod&namespace=ns&name=name"},
		{"falls back to the list view without ws-connect", "/", `<body>`, "/ws?view=pods"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := viewerPath(tc.pagePath, []byte(tc.page)); got != tc.want {
				t.Errorf("viewerPath = %q, want %q", got, tc.want)
			}
		})
	}
}
