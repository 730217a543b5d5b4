package podindex

import (
	"net/url"
	"strings"
	"testing"

	"github.com/podlens/podlens/internal/diagnose"
	corev1 "k8s.io/api/core/v1"
)

// TestSearchFindsAcrossLongFields checks the matcher on texts longer than
// the needle's repeats, where a wrong failure table misses a match.
func TestSearchFindsAcrossLongFields(t *testing.T) {
	t.Parallel()
	image := "registry.example/" + strings.Repeat("ab", 3000) + "abAbAbAc:1"
	p := pod("shop", "img", func(p *corev1.Pod) { p.Spec.Containers[0].Image = image })
	e := NewEntry(podKey("shop", "img"), p, diagnose.Pod(diagnose.PodInput{Pod: p}, testNow), testNow)
	for text, want := range map[string]bool{
		"ABABABAC":                           true,
		"abababac":                           true,
		"abababad":                           false,
		"bAc:1":                              true,
		"aba" + strings.Repeat("b", 2) + "a": false,
		strings.Repeat("ab", 120) + "c":      false,
		strings.Repeat("ab", 120):            true,
	} {
		q, errs := ParseQuery(url.Values{"q": {text}}, true)
		if len(errs) > 0 {
			t.Fatalf("parse %q: %v", text, errs)
		}
		if got := q.matches(e); got != want {
			t.Errorf("matches(q=%.30q) = %v, want %v", text, got, want)
		}
	}
}

// BenchmarkSearchWorstCase searches the longest text the filter accepts in
// a 64 KiB image name built to make a window-by-window comparison match
// almost the whole text at every position.
func BenchmarkSearchWorstCase(b *testing.B) {
	image := strings.Repeat("a", 64<<10)
	p := pod("shop", "huge", func(p *corev1.Pod) { p.Spec.Containers[0].Image = image })
	e := NewEntry(podKey("shop", "huge"), p, diagnose.Pod(diagnose.PodInput{Pod: p}, testNow), testNow)
	q, errs := ParseQuery(url.Values{"q": {strings.Repeat("A", 255) + "b"}}, true)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	for b.Loop() {
		if q.matches(e) {
			b.Fatal("matched")
		}
	}
}
