package podindex

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/podlens/podlens/internal/diagnose"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
)

// scanList is the index's specification: it filters, sorts and pages by
// reading every entry, as the publisher did before it kept an index.
func scanList(entries map[cache.ObjectName]*Entry, q Query, top int) Result {
	var res Result
	var matched []*Entry
	var members []diagnose.GroupMember
	seen := map[string]bool{}
	for _, e := range entries {
		if !seen[e.key.Namespace] {
			seen[e.key.Namespace] = true
			res.Namespaces = append(res.Namespaces, e.key.Namespace)
		}
		if !q.inScope(e) {
			continue
		}
		res.Scoped++
		members = append(members, e.member())
		if q.matches(e) {
			matched = append(matched, e)
		}
	}
	slices.Sort(res.Namespaces)
	slices.SortFunc(matched, q.compare)
	res.Matched = len(matched)
	size := cmp.Or(q.PageSize, DefaultPageSize)
	res.Pages = max(1, (len(matched)+size-1)/size)
	res.Page = min(max(q.Page, 1), res.Pages)
	start := (res.Page - 1) * size
	res.Rows = matched[start:min(start+size, len(matched))]
	res.Summary = diagnose.Summarize(members, top)
	return res
}

// randomPod is one of a few healthy and failing shapes, in one of seven
// namespaces, on one of four nodes (or none).
func randomPod(rng *rand.Rand, i int) *corev1.Pod {
	ns := fmt.Sprintf("ns-%d", rng.IntN(7))
	name := fmt.Sprintf("pod-%04d", i)
	age := time.Duration(rng.IntN(120)) * time.Minute
	return pod(ns, name, func(p *corev1.Pod) {
		p.CreationTimestamp = metav1.NewTime(testNow.Add(-age))
		p.Labels["tier"] = []string{"web", "db", "batch"}[rng.IntN(3)]
		p.Spec.NodeName = []string{"node-1", "node-2", "node-3", "node-4", ""}[rng.IntN(5)]
		p.Status.PodIP = fmt.Sprintf("10.0.%d.%d", rng.IntN(3), rng.IntN(250))
		switch rng.IntN(6) {
		case 0:
			terminated("Error", "exit 1")(p)
			p.Status.ContainerStatuses[0].RestartCount = int32(rng.IntN(50))
		case 1:
			terminated("OOMKilled", "")(p)
		case 2:
			p.Status.ContainerStatuses[0].Ready = false
			p.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: "Back-off pulling image"}}
		case 3:
			if p.Spec.NodeName == "" {
				p.Status = corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable", Message: "0/4 nodes are available: 4 Insufficient cpu."}}}
			}
		}
	})
}

// randomIndex builds n random entries into an index and a plain map.
func randomIndex(rng *rand.Rand, n int) (*Index, map[cache.ObjectName]*Entry) {
	ix, all := NewIndex(), map[cache.ObjectName]*Entry{}
	for i := range n {
		put(ix, all, randomPod(rng, i))
	}
	return ix, all
}

func put(ix *Index, all map[cache.ObjectName]*Entry, p *corev1.Pod) {
	key := cache.ObjectName{Namespace: p.Namespace, Name: p.Name}
	e := NewEntry(key, p, diagnose.Pod(diagnose.PodInput{Pod: p}, testNow), testNow)
	ix.Set(e)
	all[key] = e
}

// indexQueries are list queries over every filter, order and paging shape.
func indexQueries(t *testing.T) []Query {
	t.Helper()
	var out []Query
	for _, scope := range []string{"", "namespace=ns-1", "namespace=ns-3,ns-0,ns-3", "namespace=ns-missing"} {
		for _, filter := range []string{"", "all=1", "severity=critical", "severity=ok&all=1", "severity=info", "selector=tier%3Dweb", "q=crash&all=1", "node=node-2&all=1", "status=Running&all=1", "code=ImagePullBackOff"} {
			for _, order := range []string{"", "desc=1", "sort=severity", "sort=severity&desc=1", "sort=name", "sort=restarts&desc=1", "sort=age", "sort=namespace&desc=1", "sort=ip", "sort=node"} {
				for _, paging := range []string{"", "page=2&pageSize=7", "page=999&pageSize=5", "pageSize=1"} {
					raw := strings.Join(slices.DeleteFunc([]string{scope, filter, order, paging}, func(s string) bool { return s == "" }), "&")
					v, err := url.ParseQuery(raw)
					if err != nil {
						t.Fatal(err)
					}
					q, errs := ParseQuery(v, false)
					if len(errs) > 0 {
						t.Fatalf("%s: %v", raw, errs[0])
					}
					out = append(out, q)
				}
			}
		}
	}
	return out
}

// sameList compares two results by the rows' keys and every count.
func sameList(t *testing.T, q Query, want, got Result) {
	t.Helper()
	keys := func(r Result) []cache.ObjectName {
		out := make([]cache.ObjectName, len(r.Rows))
		for i, e := range r.Rows {
			out[i] = e.key
		}
		return out
	}
	if diff := gocmp.Diff(keys(want), keys(got)); diff != "" {
		t.Fatalf("%+v: rows (-scan +index):\n%s", q, diff)
	}
	if want.Matched != got.Matched || want.Scoped != got.Scoped || want.Page != got.Page || want.Pages != got.Pages {
		t.Fatalf("%+v: matched/scoped/page/pages = %d/%d/%d/%d, want %d/%d/%d/%d", q,
			got.Matched, got.Scoped, got.Page, got.Pages, want.Matched, want.Scoped, want.Page, want.Pages)
	}
	if diff := gocmp.Diff(want.Namespaces, got.Namespaces, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%+v: namespaces (-scan +index):\n%s", q, diff)
	}
	if diff := gocmp.Diff(want.Summary, got.Summary, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%+v: summary (-scan +index):\n%s", q, diff)
	}
}

// TestIndexListsWhatAScanLists checks the index against a scan of every
// entry, for every query shape, after random inserts, replacements (which
// move pods between severities, namespaces and nodes) and deletions.
func TestIndexListsWhatAScanLists(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	ix, all := randomIndex(rng, 400)
	queries := indexQueries(t)
	// The first check runs every query, later ones a random eighth (the
	// race detector makes the scans slow).
	check := func(round string) {
		t.Helper()
		for i, q := range queries {
			if round == "after inserts" || rng.IntN(8) == 0 || i == 0 {
				sameList(t, q, scanList(all, q, 5), ix.List(q, 5))
			}
		}
		for node := range map[string]bool{"node-1": true, "node-4": true, "": true, "node-9": true} {
			var want []*Entry
			for _, e := range all {
				if node != "" && e.pod.Spec.NodeName == node {
					want = append(want, e)
				}
			}
			slices.SortFunc(want, Query{}.compare)
			if got := ix.OnNode(node); !slices.Equal(want, got) {
				t.Fatalf("%s: onNode(%q) = %d entries, want %d", round, node, len(got), len(want))
			}
		}
		if ix.Len() != len(all) {
			t.Fatalf("%s: len = %d, want %d", round, ix.Len(), len(all))
		}
	}
	check("after inserts")
	for round := range 3 {
		keys := slices.SortedFunc(func(yield func(cache.ObjectName) bool) {
			for k := range all {
				if !yield(k) {
					return
				}
			}
		}, func(a, b cache.ObjectName) int {
			return cmp.Or(strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Name, b.Name))
		})
		for _, k := range keys {
			switch rng.IntN(4) {
			case 0: // a new state, maybe on another node
				p := randomPod(rng, 0)
				p.Namespace, p.Name = k.Namespace, k.Name
				put(ix, all, p)
			case 1:
				ix.Remove(k)
				delete(all, k)
			}
		}
		for i := range 50 { // new pods, some in new namespaces
			p := randomPod(rng, 10000+100*round+i)
			if i%10 == 0 {
				p.Namespace = fmt.Sprintf("new-%d", round)
			}
			put(ix, all, p)
		}
		check(fmt.Sprintf("after round %d of changes", round))
	}
	for k := range all {
		ix.Remove(k)
		delete(all, k)
	}
	check("after removing every pod")
	if len(ix.byNode) != 0 || len(ix.namespaces) != 0 {
		t.Errorf("empty index keeps %d nodes and %d namespaces", len(ix.byNode), len(ix.namespaces))
	}
}

// BenchmarkFilter50k is one list query over 50,000 pods, a tenth failing:
// the index against the scan of every entry it replaced (the baseline).
func BenchmarkFilter50k(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	ix, all := NewIndex(), map[cache.ObjectName]*Entry{}
	for i := range 50_000 {
		p := pod(fmt.Sprintf("ns-%03d", i%200), fmt.Sprintf("pod-%05d", i))
		if rng.IntN(10) == 0 {
			terminated("Error", "exit 1")(p)
		}
		put(ix, all, p)
	}
	for _, c := range []struct{ name, query string }{
		{"problems", ""},
		{"problems in one namespace", "namespace=ns-007"},
		{"all pods, search", "all=1&q=pod-4999"},
		{"all pods by restarts", "all=1&sort=restarts&desc=1"},
	} {
		v, _ := url.ParseQuery(c.query)
		q, _ := ParseQuery(v, false)
		b.Run(c.name+"/index", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix.List(q, topGroups)
			}
		})
		b.Run(c.name+"/scan", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				scanList(all, q, topGroups)
			}
		})
	}
}

// TestSearchText checks what the free-text filter finds: name, images,
// STATUS and finding codes, ignoring case.
func TestSearchText(t *testing.T) {
	t.Parallel()
	p := pod("shop", "cart-7d9f", terminated("Error", "exit 1"), func(p *corev1.Pod) {
		p.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "registry.example/Migrate:2"}}
	})
	e := NewEntry(podKey("shop", "cart-7d9f"), p, diagnose.Pod(diagnose.PodInput{Pod: p}, testNow), testNow)
	for text, want := range map[string]bool{
		"cart-7d":          true,  // name
		"CART":             true,  // name, any case
		"migrate:2":        true,  // an init container's image, any case
		"example/cart":     true,  // the app image
		"crashloop":        true,  // STATUS CrashLoopBackOff
		"backoff":          true,  // STATUS, inside
		"shop":             false, // the namespace is a filter of its own
		"exit 1":           false, // messages are not searched
		"cart-7d9f-extra":  false,
		"registry.example": true,
	} {
		if got := e.mentions(newTextSearch(text)); got != want {
			t.Errorf("mentions(%q) = %v, want %v", text, got, want)
		}
	}
	if code := e.diag.Findings[0].Code; !e.mentions(newTextSearch(strings.ToUpper(string(code)))) {
		t.Errorf("the finding code %s is not found in upper case", code)
	}
}
