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

// BenchmarkPushOneChange is the cost of one pod change for ten distinct
// views over 5000 pods: diagnose once, then diff and render per view.
func BenchmarkPushOneChange(b *testing.B) {
	env := benchEnv(b, 5000)
	for i := range 10 {
		sub, err := env.pub.Join(view{kind: kindPods, list: listQuery{all: i%2 == 0, namespaces: []string{fmt.Sprintf("ns-%d", i)}, pageSize: 100}, lang: "en"})
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			for range sub.C() {
			}
		}()
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		p := pod("ns-1", "pod-00001", func(p *corev1.Pod) { p.Status.PodIP = fmt.Sprintf("10.1.%d.%d", i/250%250, i%250) })
		env.store.put(p)
		env.pub.sync(podKey("ns-1", "pod-00001"))
		env.pub.flush(false)
	}
	b.StopTimer()
	env.hub.Close()
}
