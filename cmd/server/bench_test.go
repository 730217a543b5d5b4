package main

import (
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// benchEnv is a server over n pods, a tenth of them crash-looping.
func benchEnv(b *testing.B, n int) *testEnv {
	b.Helper()
	pods := make([]*corev1.Pod, 0, n)
	for i := range n {
		p := pod(fmt.Sprintf("ns-%d", i%20), fmt.Sprintf("pod-%05d", i))
		if i%10 == 0 {
			terminated("Error", "exit 1")(p)
		}
		pods = append(pods, p)
	}
	return newTestEnv(b, newFakeStore(pods...))
}

// BenchmarkPodsPage renders the first page of problems over 5000 pods.
func BenchmarkPodsPage(b *testing.B) {
	env := benchEnv(b, 5000)
	b.ReportAllocs()
	for b.Loop() {
		if w := env.get("/"); w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}
