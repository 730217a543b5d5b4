package main

import (
	"fmt"
	"log/slog"
	"math"
	"net/url"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"k8s.io/apimachinery/pkg/api/resource"
)

// memoryLimitRatio is the share of the memory limit the garbage collector
// aims at (GOMEMLIMIT), leaving the rest for what the Go heap does not
// count and for bursts. At 50,000 pods the live heap is a few hundred MiB,
// and without a limit the collector lets the heap grow to twice that
// (GOGC=100) before collecting (target in docs/performance.md: ≤ 512 MiB RSS).
const memoryLimitRatio = 0.9

// parseMemoryLimit reads a Kubernetes quantity such as 512Mi.
func parseMemoryLimit(s string) (uint64, error) {
	q, err := resource.ParseQuantity(s)
	if err != nil || q.Sign() <= 0 {
		return 0, fmt.Errorf("--memory-limit %q: want a positive quantity such as 512Mi", s)
	}
	return uint64(q.Value()), nil
}

// setMemoryLimit sets the Go runtime's soft memory limit to 90% of limit
// (a quantity; validated by parseFlags) or, when it is empty, of the
// container's cgroup limit. GOMEMLIMIT, when set, wins: the runtime has
// read it already.
func setMemoryLimit(log *slog.Logger, limit string, getenv func(string) string) {
	provider := memlimit.FromCgroup
	if limit != "" {
		n, _ := parseMemoryLimit(limit)
		provider = memlimit.Limit(n)
	}
	if v := getenv("GOMEMLIMIT"); v != "" {
		log.Info("memory limit from GOMEMLIMIT", "GOMEMLIMIT", v)
		return
	}
	set, err := memlimit.Set(memlimit.WithRatio(memoryLimitRatio), memlimit.WithProvider(provider),
		memlimit.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil || set == math.MaxInt64 {
		log.Debug("no memory limit found; the garbage collector follows GOGC alone", "error", err)
		return
	}
	log.Info("memory limit", "GOMEMLIMIT", set, "ratio", memoryLimitRatio)
}

// wantCompression decides whether to ask the API server for gzip. On
// loopback and inside the cluster the network is fast and compressing every
// pod of the first list and every watch event costs the API server and the
// dashboard more CPU than the bytes it saves (target in docs/performance.md: the first full page
// within 1.5× a LIST). Across slower links (a laptop's kubeconfig) it pays.
func wantCompression(mode, apiHost string, getenv func(string) string) bool {
	switch mode {
	case "on":
		return true
	case "off":
		return false
	}
	u, err := url.Parse(apiHost)
	if err != nil {
		return true
	}
	host := u.Hostname()
	if isLoopbackHost(host) {
		return false
	}
	// rest.InClusterConfig points at the kubernetes service by these.
	if svc := getenv("KUBERNETES_SERVICE_HOST"); svc != "" && host == svc {
		return false
	}
	return true
}
