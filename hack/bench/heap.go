package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	kubeinformers "k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
)

// heapAfterGC is the live Go heap once garbage is collected.
func heapAfterGC() uint64 {
	runtime.GC()
	debug.FreeOSMemory() // a second, blocking collection that also returns memory
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// heapPerPod starts the shared informer factory's pod informer over every
// namespace (the one the dashboard's cache uses), waits until it holds
// want pods and returns the Go heap it retains per pod, after GC. transform
// is nil for the baseline (client-go's defaults: whole objects with
// managedFields) and the dashboard's transform otherwise; everything else is
// the same informer.
func heapPerPod(ctx context.Context, cfg *rest.Config, want int, transform cache.TransformFunc) (float64, error) {
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return 0, err
	}
	var opts []kubeinformers.SharedInformerOption
	if transform != nil {
		opts = append(opts, kubeinformers.WithTransform(transform))
	}
	inf := kubeinformers.NewSharedInformerFactoryWithOptions(client, 0, opts...).Core().V1().Pods().Informer()
	before := heapAfterGC()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	go inf.RunWithContext(ctx)
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		return 0, fmt.Errorf("pod informer did not sync: %w", ctx.Err())
	}
	got := len(inf.GetStore().ListKeys())
	if got < want {
		return 0, fmt.Errorf("pod informer holds %d pods, want %d", got, want)
	}
	after := heapAfterGC()
	runtime.KeepAlive(inf)
	cancel()
	return (float64(after) - float64(before)) / float64(got), nil
}
