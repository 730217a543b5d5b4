package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// metricSum adds up every sample of the named metric in Prometheus text
// exposition whose labels include all of want (e.g. `verb="WATCH"`).
func metricSum(text []byte, name string, want ...string) (float64, bool) {
	var sum float64
	found := false
	s := bufio.NewScanner(bytes.NewReader(text))
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		line := s.Text()
		if !strings.HasPrefix(line, name) {
			continue
		}
		rest := line[len(name):]
		labels := ""
		switch {
		case strings.HasPrefix(rest, "{"):
			end := strings.LastIndex(rest, "}")
			if end < 0 {
				continue
			}
			labels, rest = rest[1:end], rest[end+1:]
		case strings.HasPrefix(rest, " "):
		default:
			continue // a longer metric name with the same prefix
		}
		ok := true
		for _, w := range want {
			if !strings.Contains(labels, w) {
				ok = false
			}
		}
		f := strings.Fields(rest)
		if !ok || len(f) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil || math.IsNaN(v) {
			continue
		}
		sum += v
		found = true
	}
	return sum, found
}

// apiServerWatches is how many WATCH requests the API server is serving, from
// its own /metrics.
func apiServerWatches(ctx context.Context, client kubernetes.Interface) (float64, error) {
	text, err := client.CoreV1().RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the API server's /metrics: %w", err)
	}
	if v, ok := metricSum(text, "apiserver_longrunning_requests", `verb="WATCH"`); ok {
		return v, nil
	}
	if v, ok := metricSum(text, "apiserver_registered_watchers"); ok {
		return v, nil
	}
	return 0, fmt.Errorf("the API server's /metrics has neither apiserver_longrunning_requests nor apiserver_registered_watchers")
}

// stableWatches reads the API server's watch count until two reads a second
// apart agree, because watches open and close asynchronously.
func stableWatches(ctx context.Context, client kubernetes.Interface) (float64, error) {
	prev := -1.0
	for range 30 {
		v, err := apiServerWatches(ctx, client)
		if err != nil {
			return 0, err
		}
		if v == prev {
			return v, nil
		}
		prev = v
		if err := sleep(ctx, time.Second); err != nil {
			return 0, err
		}
	}
	return prev, nil
}

// listLikeKubectl does what `kubectl get pods -A` does: a paginated LIST
// (limit=500) asking for the server-side Table, and returns the rows it got.
func listLikeKubectl(ctx context.Context, client kubernetes.Interface) (int, error) {
	rows, cont := 0, ""
	for {
		req := client.CoreV1().RESTClient().Get().AbsPath("/api/v1/pods").Param("limit", "500").
			SetHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
		if cont != "" {
			req = req.Param("continue", cont)
		}
		raw, err := req.DoRaw(ctx)
		if err != nil {
			return rows, fmt.Errorf("listing pods as a table: %w", err)
		}
		var t struct {
			Metadata metav1.ListMeta   `json:"metadata"`
			Rows     []json.RawMessage `json:"rows"`
		}
		if err := json.Unmarshal(raw, &t); err != nil {
			return rows, fmt.Errorf("decoding the pod table: %w", err)
		}
		rows += len(t.Rows)
		if cont = t.Metadata.Continue; cont == "" {
			return rows, nil
		}
	}
}

// listAllPods is what a dashboard without a cache does on every request: a
// paginated LIST of every pod, decoded.
func listAllPods(ctx context.Context, client kubernetes.Interface) (int, error) {
	n, cont := 0, ""
	for {
		l, err := client.CoreV1().Pods("").List(ctx, metav1.ListOptions{Limit: 500, Continue: cont})
		if err != nil {
			return n, fmt.Errorf("listing pods: %w", err)
		}
		n += len(l.Items)
		if cont = l.Continue; cont == "" {
			return n, nil
		}
	}
}

// timeRepeated runs fn n times and returns each run's duration.
func timeRepeated(ctx context.Context, n int, fn func(context.Context) error) ([]time.Duration, error) {
	var out []time.Duration
	for range n {
		start := time.Now()
		if err := fn(ctx); err != nil {
			return out, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
