package informers_test

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/cache"

	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/testfleet"
)

// realisticPod returns pod i of the benchmark's deterministic fleet as an
// informer receives it (a ReplicaSet's pod with an init container, an app and
// an Envoy sidecar, probes, env from every source, five volumes, eight
// labels, the status a kubelet writes, and managedFields like the API
// server's); one pod in ten is failing.
func realisticPod(i int) *corev1.Pod { return testfleet.At(i).Stored(t0) }

// decodedPods encodes n realistic pods as JSON and decodes them again the
// way client-go's informers do, so that every string is its own allocation
// as in a real cache; transform (nil for none) runs on each, and the results
// go into an informer store.
func decodedPods(tb testing.TB, n int, transform cache.TransformFunc) cache.Store {
	tb.Helper()
	codecs := serializer.NewCodecFactory(scheme.Scheme)
	decoder := codecs.UniversalDeserializer()
	store := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	for i := range n {
		raw, err := json.Marshal(realisticPod(i))
		if err != nil {
			tb.Fatal(err)
		}
		var obj any
		obj, _, err = decoder.Decode(raw, nil, &corev1.Pod{})
		if err != nil {
			tb.Fatal(err)
		}
		if transform != nil {
			if obj, err = transform(obj); err != nil {
				tb.Fatal(err)
			}
		}
		if err := store.Add(obj); err != nil {
			tb.Fatal(err)
		}
	}
	return store
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkCachedPodHeap reports the Go heap a store of 1,000 decoded
// realistic pods retains per pod (B/pod), with and without Transform: the
// figure docs/performance.md targets (≤ 6 KiB, ≥ 3× smaller). Run it with -benchtime=1x.
func BenchmarkCachedPodHeap(b *testing.B) {
	const n = 1000
	for _, tc := range []struct {
		name      string
		transform cache.TransformFunc
	}{
		{"with the transform", informers.Transform},
		{"without a transform", nil},
	} {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			// Decode and store a few pods first, so that one-time costs
			// (JSON type caches, scheme tables) are not counted per pod.
			runtime.KeepAlive(decodedPods(b, 10, tc.transform))
			var perPod float64
			for range b.N {
				before := liveHeap()
				store := decodedPods(b, n, tc.transform)
				after := liveHeap()
				runtime.KeepAlive(store)
				perPod += (float64(after) - float64(before)) / n
			}
			b.ReportMetric(perPod/float64(b.N), "B/pod")
		})
	}
}
