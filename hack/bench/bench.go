package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/testcluster"
)

// Targets the dashboard is held to (docs/performance.md).
const (
	targetHeap      = "≤ 6 KiB, ≥ 3× smaller"
	targetRSS       = "≤ 512 MiB"
	targetStartup   = "≤ 1.5× the LIST"
	targetQuery     = "p50 ≤ 10 ms, ≥ 50× faster"
	targetLatency   = "p50 ≤ 100 ms, p99 ≤ 300 ms"
	targetBytes     = "≤ 2 KiB"
	targetIdle      = "≤ 64 KiB"
	targetWatches   = "the same number in all three"
	heapTargetBytes = 6 * 1024
)

// results is what one run measured.
type results struct {
	rows    []row
	machine machine
}

// env is what every stage of a run shares.
type env struct {
	cfg        config
	log        io.Writer
	restConfig *rest.Config
	client     kubernetes.Interface
	loader     *loader
	bin        string
	kubeconfig string
	tmp        string
}

// bench starts the API server, loads each size in turn and measures it.
func bench(ctx context.Context, cfg config, log io.Writer) (results, error) {
	e, cleanup, err := setup(ctx, cfg, log)
	if err != nil {
		return results{}, err
	}
	defer cleanup()
	version := "unknown"
	if v, err := e.client.Discovery().ServerVersion(); err == nil {
		version = v.GitVersion
	}
	var rows []row
	for i, n := range cfg.pods {
		if err := e.loader.growTo(ctx, n); err != nil {
			return results{}, err
		}
		rows = append(rows, heapRow(ctx, e, n))
		largest := i == len(cfg.pods)-1
		r, err := serverStage(ctx, e, n, largest)
		if err != nil {
			return results{}, err
		}
		rows = append(rows, r...)
	}
	assets, _ := testcluster.Assets()
	return results{rows: sortRows(rows), machine: describeMachine(assets, version, cfg.args)}, nil
}

// setup builds the dashboard and starts the API server.
func setup(ctx context.Context, cfg config, log io.Writer) (*env, func(), error) {
	tmp, err := os.MkdirTemp("", "podlens-bench-")
	if err != nil {
		return nil, nil, err
	}
	e := &env{cfg: cfg, log: log, tmp: tmp, bin: cfg.serverBin}
	cleanups := []func(){func() { os.RemoveAll(tmp) }}
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	if e.bin == "" {
		if e.bin, err = buildServer(ctx, tmp, log); err != nil {
			cleanup()
			return nil, nil, err
		}
	}
	ctrllog.SetLogger(logr.Discard()) // envtest logs through controller-runtime; its output is not ours
	fmt.Fprintln(log, "bench: starting kube-apiserver and etcd")
	cluster, err := testcluster.NewWithEtcdData(cfg.dataDir)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	cleanups = append(cleanups, func() { _ = cluster.Stop() })
	e.restConfig = rest.CopyConfig(cluster.Config)
	e.restConfig.QPS, e.restConfig.Burst = 5000, 10000
	if e.client, err = kubernetes.NewForConfig(e.restConfig); err != nil {
		cleanup()
		return nil, nil, err
	}
	e.kubeconfig = filepath.Join(tmp, "kubeconfig")
	if err := testcluster.WriteKubeconfig(cluster.Config, e.kubeconfig); err != nil {
		cleanup()
		return nil, nil, err
	}
	e.loader = newLoader(e.client, cfg.workers, log)
	return e, cleanup, nil
}

// heapRow measures the Go heap per cached pod with and without the
// dashboard's transform, one after the other over the same pods.
func heapRow(ctx context.Context, e *env, n int) row {
	figure := fmt.Sprintf("Go heap per cached pod (after GC), %s pods", count(n))
	fmt.Fprintf(e.log, "bench: %s\n", figure)
	base, err := heapPerPod(ctx, e.restConfig, n, nil)
	if err != nil {
		return notMeasured(figure, targetHeap, err)
	}
	ours, err := heapPerPod(ctx, e.restConfig, n, informers.Transform)
	if err != nil {
		return notMeasured(figure, targetHeap, err)
	}
	ratio := base / ours
	return row{
		Figure: figure, Ours: kib(ours), Baseline: kib(base) + " (same informer, no transform)",
		Ratio: fmt.Sprintf("%.1f× smaller", ratio), Target: targetHeap,
		Met: yesNo(ours <= heapTargetBytes && ratio >= 3), Measured: true,
	}
}

// serverStage starts the dashboard over n pods and times its first full
// page; for the largest size it also takes every other server figure.
func serverStage(ctx context.Context, e *env, n int, largest bool) ([]row, error) {
	var rows []row
	var churn *churner
	st := newStamps()
	size := n // the -pods size, which names the profiles; n adds the churn pods
	if largest {
		var err error
		fmt.Fprintf(e.log, "bench: creating %d churn pods\n", e.cfg.churnPods)
		if churn, err = newChurner(ctx, e.loader, e.cfg.churnPods, st); err != nil {
			return nil, err
		}
		n += e.cfg.churnPods
	}
	// Baselines first, while the dashboard is not running.
	fmt.Fprintf(e.log, "bench: %d pods: baseline LISTs\n", n)
	kubectlList, err := timeRepeated(ctx, e.cfg.listSamples, func(ctx context.Context) error {
		got, err := listLikeKubectl(ctx, e.client)
		if err == nil && got < n {
			err = fmt.Errorf("kubectl-style LIST returned %d pods, want %d", got, n)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	var watchBase float64
	var watchErr error
	if largest {
		watchBase, watchErr = stableWatches(ctx, e.client)
	}

	fmt.Fprintf(e.log, "bench: %d pods: starting the dashboard\n", n)
	profiling := largest && e.cfg.profile != ""
	d, err := startDashboard(e.bin, e.kubeconfig, filepath.Join(e.tmp, fmt.Sprintf("dashboard-%d.log", n)), e.cfg.viewers+e.cfg.idleViewers+10, profiling,
		e.cfg.dashboardEnv(), e.cfg.dashboardArgs()...)
	if err != nil {
		return nil, err
	}
	defer d.stop()
	var prof *profiler
	if profiling {
		prof = &profiler{dir: e.cfg.profile, size: size, d: d, log: e.log}
	}
	// A CPU profile of start-up: twice the LIST, plus a second.
	waitStartCPU := prof.startCPU(ctx, "cpu-start", 2*percentile(kubectlList, 50)+time.Second)
	// The first full page: /readyz is 200 and the dashboard lists every pod.
	startupFigure := fmt.Sprintf("time to first full page after start, %s pods", count(n))
	if err := d.waitReady(ctx, 10*time.Minute); err != nil {
		return append(rows, notMeasured(startupFigure, targetStartup, err)), nil
	}
	if err := d.waitFull(ctx, n, 10*time.Minute); err != nil {
		return append(rows, notMeasured(startupFigure, targetStartup, err)), nil
	}
	page, err := d.get(ctx, e.cfg.pagePath)
	if err != nil {
		return append(rows, notMeasured(startupFigure, targetStartup, err)), nil
	}
	firstPage := time.Since(d.Started)
	waitStartCPU()
	list := percentile(kubectlList, 50)
	rows = append(rows, row{
		Figure: startupFigure, Ours: ms(firstPage), Baseline: ms(list) + " (`kubectl get pods -A`: Table LIST, limit=500, median)",
		Ratio: fmt.Sprintf("%.2f× the LIST", float64(firstPage)/float64(list)), Target: targetStartup,
		Met: yesNo(float64(firstPage) <= 1.5*float64(list)), Measured: true,
	})
	if !largest {
		return rows, nil
	}
	rows = append(rows, queryRows(ctx, e, d, n)...)

	// Watches with 0 viewers, then 1, then all.
	watches := map[int]float64{}
	countWatches := func(v int) {
		if watchErr != nil {
			return
		}
		var w float64
		if w, watchErr = stableWatches(ctx, e.client); watchErr == nil {
			watches[v] = w - watchBase
		}
	}
	countWatches(0)
	wsPath := cmp.Or(e.cfg.wsPath, viewerPath(e.cfg.pagePath, page))
	fmt.Fprintf(e.log, "bench: viewers open %s\n", wsPath)
	if shown := len(slices.Compact(slices.Sorted(slices.Values(churnNames(page))))); shown < len(churn.specs) {
		fmt.Fprintf(e.log, "bench: warning: the list page shows %d of the %d churn pods; updates to the others reach no viewer\n", shown, len(churn.specs))
	}
	vs := newViewers(d.URL, wsPath, st)
	defer func() { vs.close() }()
	if err := vs.connect(ctx, 1); err != nil {
		return nil, err
	}
	vs.waitFirstFrames(ctx, time.Minute)
	countWatches(1)

	rssFigure := fmt.Sprintf("whole-process RSS, %s pods and %d viewers", count(n), e.cfg.rssViewers)
	if e.cfg.podMemory != "" {
		rssFigure += fmt.Sprintf(", as in a pod with a %s memory limit (`--memory-limit %s`)", e.cfg.podMemory, e.cfg.podMemory)
	}
	if e.cfg.podCPU > 0 {
		rssFigure += fmt.Sprintf(" and %d CPU (`GOMAXPROCS=%d`)", e.cfg.podCPU, e.cfg.podCPU)
	}
	if err := vs.connect(ctx, e.cfg.rssViewers); err != nil {
		rows = append(rows, notMeasured(rssFigure, targetRSS, err))
	} else {
		vs.waitFirstFrames(ctx, 5*time.Minute)
		_ = sleep(ctx, 3*time.Second)
		if rss, err := d.rss(); err != nil {
			rows = append(rows, notMeasured(rssFigure, targetRSS, err))
		} else {
			rows = append(rows, row{Figure: rssFigure, Ours: mib(rss), Baseline: "—", Ratio: "—", Target: targetRSS,
				Met: yesNo(rss <= 512<<20), Measured: true})
		}
		prof.save(ctx, "heap", "/debug/pprof/heap?gc=1") // the heap behind that RSS, after a GC
	}
	if err := vs.connect(ctx, e.cfg.viewers); err != nil {
		return nil, err
	}
	vs.waitFirstFrames(ctx, 5*time.Minute)
	countWatches(e.cfg.viewers)
	watchFigure := fmt.Sprintf("watches the dashboard holds on the API server with 0, 1 and %d viewers", e.cfg.viewers)
	if watchErr != nil {
		rows = append(rows, notMeasured(watchFigure, targetWatches, watchErr))
	} else {
		same := watches[0] == watches[1] && watches[1] == watches[e.cfg.viewers]
		rows = append(rows, row{Figure: watchFigure,
			Ours:     fmt.Sprintf("%.0f, %.0f, %.0f", watches[0], watches[1], watches[e.cfg.viewers]),
			Baseline: "—", Ratio: "—", Target: targetWatches, Met: yesNo(same), Measured: true})
	}

	waitCPU := prof.startCPU(ctx, "cpu-churn", e.cfg.churn) // CPU for the whole churn
	rows = append(rows, latencyRows(ctx, e, d, vs, churn, len(page))...)
	waitCPU()
	vs.close()
	rows = append(rows, idleRow(ctx, e, d, cmp.Or(e.cfg.idleWSPath, wsPath), prof))
	if dropped, err := vs.dropped(); dropped > 0 {
		fmt.Fprintf(e.log, "bench: %d viewers were disconnected: %v\n", dropped, err)
	}
	prof.save(ctx, "allocs", "/debug/pprof/allocs") // every allocation since the start
	prof.done()
	if e.cfg.podMemory != "" {
		d.stop()
		rows = append(rows, unlimitedRows(ctx, e, n, wsPath, churn, st, len(page))...)
	}
	return rows, nil
}

// unlimitedRows starts the dashboard again without a memory limit, so the
// garbage collector follows GOGC alone, and reads its RSS with the same
// viewers, then its update latency under the same churn: what the memory
// limit saves, and what it costs.
func unlimitedRows(ctx context.Context, e *env, n int, wsPath string, churn *churner, st *stamps, pageBytes int) []row {
	const suffix = ", no memory limit (GOGC=100 alone)"
	figure := fmt.Sprintf("whole-process RSS, %s pods and %d viewers%s", count(n), e.cfg.rssViewers, suffix)
	fmt.Fprintf(e.log, "bench: %s\n", figure)
	d, err := startDashboard(e.bin, e.kubeconfig, filepath.Join(e.tmp, fmt.Sprintf("dashboard-%d-unlimited.log", n)), e.cfg.viewers+10, false, e.cfg.dashboardEnv(), e.cfg.serverArgs...)
	if err != nil {
		return []row{notMeasured(figure, "—", err)}
	}
	defer d.stop()
	if err := d.waitReady(ctx, 10*time.Minute); err != nil {
		return []row{notMeasured(figure, "—", err)}
	}
	if err := d.waitFull(ctx, n, 10*time.Minute); err != nil {
		return []row{notMeasured(figure, "—", err)}
	}
	vs := newViewers(d.URL, wsPath, st)
	defer vs.close()
	if err := vs.connect(ctx, e.cfg.rssViewers); err != nil {
		return []row{notMeasured(figure, "—", err)}
	}
	vs.waitFirstFrames(ctx, 5*time.Minute)
	_ = sleep(ctx, 3*time.Second)
	rss, err := d.rss()
	if err != nil {
		return []row{notMeasured(figure, "—", err)}
	}
	rows := []row{{Figure: figure, Ours: mib(rss), Baseline: "—", Ratio: "—", Target: "— (for comparison)", Measured: true}}
	if err := vs.connect(ctx, e.cfg.viewers); err != nil {
		return rows
	}
	vs.waitFirstFrames(ctx, 5*time.Minute)
	for _, r := range latencyRows(ctx, e, d, vs, churn, pageBytes) {
		if strings.HasPrefix(r.Figure, "status write") {
			r.Figure += suffix
			r.Target, r.Met = "— (for comparison)", ""
			rows = append(rows, r)
		}
	}
	return rows
}

// queryRows times the dashboard's JSON query and list page against a LIST of
// every pod from the API server.
func queryRows(ctx context.Context, e *env, d *dashboard, n int) []row {
	fmt.Fprintf(e.log, "bench: %d pods: query latencies\n", n)
	var rows []row
	list, listErr := timeRepeated(ctx, e.cfg.listSamples, func(ctx context.Context) error {
		_, err := listAllPods(ctx, e.client)
		return err
	})
	for _, q := range []struct{ name, path string }{
		{"`" + e.cfg.apiPath + "`", e.cfg.apiPath},
		{"the list page's first screen (`" + e.cfg.pagePath + "`)", e.cfg.pagePath},
	} {
		figure := fmt.Sprintf("%s, %s pods, p50/p99", q.name, count(n))
		ours, err := timeRepeated(ctx, e.cfg.samples, func(ctx context.Context) error {
			_, err := d.get(ctx, q.path)
			return err
		})
		if err == nil {
			err = listErr
		}
		if err != nil {
			rows = append(rows, notMeasured(figure, targetQuery, err))
			continue
		}
		p50, p99 := percentile(ours, 50), percentile(ours, 99)
		b50, b99 := percentile(list, 50), percentile(list, 99)
		ratio := float64(b50) / float64(p50)
		rows = append(rows, row{
			Figure: figure, Ours: ms(p50) + " / " + ms(p99),
			Baseline: fmt.Sprintf("%s / %s (LIST of every pod, limit=500 pages, %d runs)", ms(b50), ms(b99), len(list)),
			Ratio:    fmt.Sprintf("%.0f× faster (p50)", ratio), Target: targetQuery,
			Met: yesNo(p50 <= 10*time.Millisecond && ratio >= 50), Measured: true,
		})
	}
	return rows
}

// latencyRows runs the churn and reads, at every viewer, how long each
// status write took to reach it and how many bytes each change cost.
func latencyRows(ctx context.Context, e *env, d *dashboard, vs *viewers, churn *churner, pageBytes int) []row {
	latFigure := fmt.Sprintf("status write in the API server → websocket frame at a viewer, p50/p99, %d viewers, %d pod updates/s", len(vs.list), e.cfg.updatesPerSec)
	bytesFigure := "bytes sent per viewer for one pod's change"
	fmt.Fprintf(e.log, "bench: %s for %s\n", latFigure, e.cfg.churn)
	vs.takeLatencies()
	before := vs.totalBytes()
	// The churner's counters run over every latency run of the stage.
	sentBefore, failedBefore, skippedBefore := churn.sent.Load(), churn.failed.Load(), churn.skipped.Load()
	churn.run(ctx, e.cfg.updatesPerSec, e.cfg.churn)
	_ = sleep(ctx, 2*time.Second) // let the last frames arrive
	received := vs.totalBytes() - before
	lat := vs.takeLatencies()
	sent, failed, skipped := churn.sent.Load()-sentBefore, churn.failed.Load()-failedBefore, churn.skipped.Load()-skippedBefore
	var rows []row
	if sent == 0 || len(lat) == 0 {
		err := fmt.Errorf("%d writes sent (%d failed), %d frames matched a churn pod by name", sent, failed, len(lat))
		return []row{notMeasured(latFigure, targetLatency, err), notMeasured(bytesFigure, targetBytes, err)}
	}
	p50, p99 := percentile(lat, 50), percentile(lat, 99)
	delivered := float64(len(lat)) / float64(sent*int64(len(vs.list))) * 100
	rows = append(rows, row{
		Figure: latFigure, Ours: ms(p50) + " / " + ms(p99),
		Baseline: fmt.Sprintf("— (%d writes, %.1f%% of writes×viewers seen, %d skipped)", sent, delivered, skipped),
		Ratio:    "—", Target: targetLatency,
		Met: yesNo(p50 <= 100*time.Millisecond && p99 <= 300*time.Millisecond), Measured: true,
	})
	perChange := float64(received) / float64(len(vs.list)) / float64(sent)
	rows = append(rows, row{
		Figure: bytesFigure, Ours: size(perChange), Baseline: size(float64(pageBytes)) + " (the full list page)",
		Ratio: fmt.Sprintf("%.0f× smaller", float64(pageBytes)/perChange), Target: targetBytes,
		Met: yesNo(perChange <= 2048), Measured: true,
	})
	return rows
}

// idleRow connects idle viewers and divides the RSS they add by their number.
// With prof it saves the heap while they are still connected.
func idleRow(ctx context.Context, e *env, d *dashboard, wsPath string, prof *profiler) row {
	figure := fmt.Sprintf("memory per idle connected viewer, %s viewers", count(e.cfg.idleViewers))
	_ = sleep(ctx, 3*time.Second)
	before, err := d.rss()
	if err != nil {
		return notMeasured(figure, targetIdle, err)
	}
	goroutinesBefore, goroutinesErr := d.metric(ctx, "go_goroutines")
	idle := newViewers(d.URL, wsPath, nil)
	defer idle.close()
	fmt.Fprintf(e.log, "bench: %s\n", figure)
	if err := idle.connect(ctx, e.cfg.idleViewers); err != nil {
		return notMeasured(figure, targetIdle, err)
	}
	idle.waitFirstFrames(ctx, 5*time.Minute)
	_ = sleep(ctx, 5*time.Second)
	after, err := d.rss()
	prof.save(ctx, "heap-idle", "/debug/pprof/heap?gc=1")
	if err != nil {
		return notMeasured(figure, targetIdle, err)
	}
	per := (after - before) / float64(e.cfg.idleViewers)
	detail := ""
	if goroutinesAfter, err := d.metric(ctx, "go_goroutines"); err == nil && goroutinesErr == nil {
		detail = fmt.Sprintf(" (%.1f goroutines each)", (goroutinesAfter-goroutinesBefore)/float64(e.cfg.idleViewers))
	}
	return row{Figure: figure, Ours: kib(per) + " RSS" + detail, Baseline: "—", Ratio: "—", Target: targetIdle,
		Met: yesNo(per <= 64*1024), Measured: true}
}

// sortRows keeps the table in the targets' order whatever order stages ran in.
func sortRows(rows []row) []row {
	order := []string{"Go heap", "whole-process RSS", "time to first", "`", "the list page", "status write", "bytes sent", "memory per idle", "watches"}
	rank := func(r row) int {
		for i, p := range order {
			if len(r.Figure) >= len(p) && r.Figure[:len(p)] == p {
				return i
			}
		}
		return len(order)
	}
	out := make([]row, 0, len(rows))
	for i := range len(order) + 1 {
		for _, r := range rows {
			if rank(r) == i {
				out = append(out, r)
			}
		}
	}
	return out
}
