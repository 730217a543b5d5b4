package live

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/podindex"
	"github.com/podlens/podlens/web/templates"

	corev1 "k8s.io/api/core/v1"
)

// benchEnv is a publisher over n pods, a tenth of them crash-looping.
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

// BenchmarkPushOneChange is the cost of one pod change for ten distinct
// views over 5000 pods: diagnose once, then diff and render per view.
func BenchmarkPushOneChange(b *testing.B) {
	env := benchEnv(b, 5000)
	for i := range 10 {
		sub, err := env.pub.Join(View{Kind: KindPods, List: podindex.Query{All: i%2 == 0, Namespaces: []string{fmt.Sprintf("ns-%d", i)}, PageSize: 100}, Lang: "en"})
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
		env.store.Put(p)
		env.pub.sync(podKey("ns-1", "pod-00001"))
		env.pub.flush(false)
	}
	b.StopTimer()
	env.hub.Close()
}

// BenchmarkRenderRow renders one crash-looping pod's row, as a push does
// for each changed pod a view shows.
func BenchmarkRenderRow(b *testing.B) {
	p := pod("shop", "cart-7d9f", terminated("Error", "exit 1"))
	e := podindex.NewEntry(podKey("shop", "cart-7d9f"), p, diagnose.Pod(diagnose.PodInput{Pod: p}, testNow), testNow)
	v := View{Kind: KindPods, Lang: diagnose.English}
	page := Site{}.Page(v, "", templates.Status{})
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := templates.PodRowView(page, rowView(page, e, testNow), true).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/row")
}

// BenchmarkPublishTo1000 is one pod's change reaching 1,000 subscribers of
// the default list view over 50,000 pods: diagnose, update the index, diff
// and render the view once, and queue the message for every subscriber.
func BenchmarkPublishTo1000(b *testing.B) {
	pods := make([]*corev1.Pod, 0, 50_000)
	for i := range 50_000 {
		p := pod(fmt.Sprintf("ns-%03d", i%200), fmt.Sprintf("pod-%05d", i))
		if i%10 == 0 {
			terminated("Error", "exit 1")(p)
		}
		pods = append(pods, p)
	}
	env := newTestEnv(b, newFakeStore(pods...))
	var received sync.WaitGroup
	for range 1000 {
		sub, err := env.pub.Join(View{Kind: KindPods, List: podindex.Query{PageSize: 100}, Lang: "en"})
		if err != nil {
			b.Fatal(err)
		}
		received.Go(func() {
			for range sub.C() {
			}
		})
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		// pod-00000 is the first row of the default view: crash-looping in ns-000.
		p := pod("ns-000", "pod-00000", terminated("Error", "exit 1"), func(p *corev1.Pod) {
			p.Status.ContainerStatuses[0].RestartCount = int32(i)
		})
		env.store.Put(p)
		env.pub.sync(podKey("ns-000", "pod-00000"))
		env.pub.flush(false)
	}
	b.StopTimer()
	topic := View{Kind: KindPods, List: podindex.Query{PageSize: 100}, Lang: "en"}.Topic()
	if n := env.hub.Count(topic); n != 1000 {
		b.Fatalf("%d of 1000 subscribers left: the others were dropped as too slow", n)
	}
	env.hub.Close()
	received.Wait()
}
