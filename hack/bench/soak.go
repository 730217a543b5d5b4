package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"
)

// soak runs the dashboard under steady churn (status writes, plus one pod
// created and one deleted every second) with viewers connected for cfg.soak, and prints its RSS
// and goroutines at the start, every 30 seconds and at the end, so a leak
// shows as a trend. Not run in CI.
func soak(ctx context.Context, cfg config, stdout, log io.Writer) error {
	e, cleanup, err := setup(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer cleanup()
	n := cfg.pods[0]
	if err := e.loader.growTo(ctx, n); err != nil {
		return err
	}
	st := newStamps()
	churn, err := newChurner(ctx, e.loader, cfg.churnPods, st)
	if err != nil {
		return err
	}
	d, err := startDashboard(e.bin, e.kubeconfig, filepath.Join(e.tmp, "dashboard-soak.log"), cfg.viewers+10, false, cfg.dashboardEnv(), cfg.dashboardArgs()...)
	if err != nil {
		return err
	}
	defer d.stop()
	if err := d.waitReady(ctx, 10*time.Minute); err != nil {
		return err
	}
	if err := d.waitFull(ctx, n+cfg.churnPods, 10*time.Minute); err != nil {
		return err
	}
	page, err := d.get(ctx, cfg.pagePath)
	if err != nil {
		return err
	}
	vs := newViewers(d.URL, cmp.Or(cfg.wsPath, viewerPath(cfg.pagePath, page)), st)
	defer vs.close()
	if err := vs.connect(ctx, cfg.viewers); err != nil {
		return err
	}
	vs.waitFirstFrames(ctx, 5*time.Minute)

	report := func(label string) {
		rss, err := d.rss()
		if err != nil {
			fmt.Fprintf(stdout, "%-6s RSS: %v\n", label, err)
			return
		}
		prss, _ := d.metric(ctx, "process_resident_memory_bytes")
		gor, _ := d.metric(ctx, "go_goroutines")
		dropped, _ := vs.dropped()
		lat := vs.takeLatencies()
		latency := "—"
		if len(lat) > 0 {
			latency = ms(percentile(lat, 50)) + " / " + ms(percentile(lat, 99))
		}
		fmt.Fprintf(stdout, "%-6s VmRSS %s  process_resident_memory_bytes %s  go_goroutines %.0f  viewers %d (dropped %d)  writes %d  frame latency p50/p99 %s\n",
			label, mib(rss), mib(prss), gor, len(vs.list)-dropped, dropped, churn.sent.Load(), latency)
	}
	fmt.Fprintf(stdout, "soak: %s pods (+%d churning), %d viewers, %d status writes/s and one pod created and one deleted per second, for %s\n",
		count(n), cfg.churnPods, cfg.viewers, cfg.updatesPerSec, cfg.soak)
	report("start")

	soakCtx, cancel := context.WithTimeout(ctx, cfg.soak)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() { churn.run(soakCtx, cfg.updatesPerSec, cfg.soak) })
	wg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for k := 0; ; k++ {
			select {
			case <-soakCtx.Done():
				return
			case <-t.C:
				if err := churn.recycle(context.WithoutCancel(soakCtx), k); err != nil {
					fmt.Fprintf(log, "bench: soak: creating or deleting a pod: %v\n", err)
				}
			}
		}
	})
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for done := false; !done; {
		select {
		case <-soakCtx.Done():
			done = true
		case <-t.C:
			report(fmt.Sprintf("+%s", time.Since(d.Started).Round(time.Second)))
		}
	}
	wg.Wait()
	_ = sleep(ctx, 5*time.Second)
	report("end")
	return nil
}
