package diagnose

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Owner is the workload a pod belongs to, walked up to the top-level
// controller where the pod's own metadata allows (ReplicaSet → Deployment
// through the pod-template-hash label; Job → CronJob by name).
type Owner struct {
	Kind string // Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ... or "Pod" for a bare pod
	Name string
}

// cronJobSuffixDigits: a CronJob names its Jobs "<cronjob>-<scheduled time in
// minutes since the epoch>", 8 digits since 1989.
const cronJobSuffixDigits = 8

// OwnerOf returns the top-level owner of pod. The dashboard watches only pods
// (not ReplicaSets or Jobs), so the step above the pod's controller is
// inferred from names, as the controllers build them:
//   - ReplicaSet "<deployment>-<hash>" whose hash equals the pod's
//     pod-template-hash label belongs to Deployment "<deployment>";
//   - Job "<cronjob>-<8+ digits>" (the scheduled time in minutes) belongs to
//     CronJob "<cronjob>".
//
// A ReplicaSet or Job created by hand with such a name is reported as its
// would-be parent; that is the price of not watching the intermediate objects.
func OwnerOf(pod *corev1.Pod) Owner {
	ref := metav1.GetControllerOf(pod)
	if ref == nil {
		return Owner{Kind: "Pod", Name: pod.Name}
	}
	switch ref.Kind {
	case "ReplicaSet":
		if h := pod.Labels["pod-template-hash"]; h != "" && strings.HasSuffix(ref.Name, "-"+h) {
			return Owner{Kind: "Deployment", Name: strings.TrimSuffix(ref.Name, "-"+h)}
		}
	case "Job":
		if i := strings.LastIndexByte(ref.Name, '-'); i > 0 && len(ref.Name)-i-1 >= cronJobSuffixDigits && allDigits(ref.Name[i+1:]) {
			return Owner{Kind: "CronJob", Name: ref.Name[:i]}
		}
	}
	return Owner{Kind: ref.Kind, Name: ref.Name}
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// GroupMember is one diagnosed pod, as input to Groups and Summarize.
type GroupMember struct {
	Namespace string
	Pod       string
	Owner     Owner
	Diagnosis Diagnosis
}

// Group is a root cause shared by pods of one owner: "8 of 10 pods of
// deployment shop/cart: ImagePullBackOff — image … not found".
type Group struct {
	Namespace string
	Owner     Owner
	Code      Code
	Severity  Severity
	// Pods are the affected pods' names, sorted.
	Pods []string
	// Total is how many pods of the owner were diagnosed (affected or not).
	Total int
	// Finding is a representative finding (from the first affected pod).
	Finding Finding
}

// unhealthy reports whether a diagnosis is a problem worth listing: Info
// findings are context, not problems.
func unhealthy(d Diagnosis) bool {
	return d.Severity >= Warning && len(d.Findings) > 0
}

type ownerKey struct {
	namespace string
	owner     Owner
}

type groupKey struct {
	ownerKey
	code Code
}

// Groups groups unhealthy members (severity Warning or worse) by namespace,
// owner and their most urgent finding's code, most urgent and largest groups
// first. Ties are broken by namespace, owner and code, so the order is stable.
func Groups(members []GroupMember) []Group {
	totals := map[ownerKey]int{}
	for _, m := range members {
		totals[ownerKey{m.Namespace, m.Owner}]++
	}
	index := map[groupKey]int{}
	var groups []Group
	for _, m := range members {
		if !unhealthy(m.Diagnosis) {
			continue
		}
		top := m.Diagnosis.Findings[0]
		ok := ownerKey{m.Namespace, m.Owner}
		k := groupKey{ok, top.Code}
		i, seen := index[k]
		if !seen {
			i = len(groups)
			index[k] = i
			groups = append(groups, Group{Namespace: m.Namespace, Owner: m.Owner, Code: top.Code, Total: totals[ok], Finding: top, Severity: top.Severity})
		}
		g := &groups[i]
		// The representative is the first pod by name, so it does not
		// depend on the input order.
		if len(g.Pods) > 0 && m.Pod < minPod(g.Pods) {
			g.Finding = top
		}
		g.Pods = append(g.Pods, m.Pod)
		if top.Severity > g.Severity {
			g.Severity = top.Severity
		}
	}
	for i := range groups {
		slices.Sort(groups[i].Pods)
	}
	slices.SortFunc(groups, func(a, b Group) int { return compareGroups(&a, &b) })
	return groups
}

// compareGroups orders groups most urgent and largest first. Groups are
// unique by namespace, owner and code, so the order is total.
func compareGroups(a, b *Group) int {
	return cmp.Or(
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(len(b.Pods), len(a.Pods)),
		strings.Compare(a.Namespace, b.Namespace),
		strings.Compare(a.Owner.Kind, b.Owner.Kind),
		strings.Compare(a.Owner.Name, b.Owner.Name),
		strings.Compare(string(a.Code), string(b.Code)),
	)
}

func minPod(pods []string) string {
	first := pods[0]
	for _, p := range pods[1:] {
		if p < first {
			first = p
		}
	}
	return first
}

// Summary is the cluster overview shown above the pod list.
type Summary struct {
	Total       int
	BySeverity  map[Severity]int
	ByCode      map[Code]int   // unhealthy pods by their most urgent finding's code
	ByNamespace map[string]int // unhealthy pods (severity warning or worse) per namespace
	Top         []Group
}

// Summarize counts members by severity (every member, OK included), and
// unhealthy members (Warning or worse) by their most urgent finding's code and
// by namespace, and keeps the first top groups of Groups (all when top <= 0).
func Summarize(members []GroupMember, top int) Summary {
	s := Summary{
		Total:       len(members),
		BySeverity:  map[Severity]int{},
		ByCode:      map[Code]int{},
		ByNamespace: map[string]int{},
	}
	for _, m := range members {
		s.BySeverity[m.Diagnosis.Severity]++
		if !unhealthy(m.Diagnosis) {
			continue
		}
		s.ByCode[m.Diagnosis.Findings[0].Code]++
		s.ByNamespace[m.Namespace]++
	}
	s.Top = Groups(members)
	if top > 0 && len(s.Top) > top {
		s.Top = s.Top[:top]
	}
	return s
}

// Merge adds up summaries of disjoint sets of pods in different namespaces
// (a group never spans namespaces, so each part's groups are whole) and
// keeps the first top groups (all when top <= 0). Each part must hold at
// least its own first top groups, as Summarize(members, top) does. The
// dashboard keeps one summary per namespace and merges them, so a change
// costs its namespace's pods rather than the cluster's.
func Merge(top int, parts ...Summary) Summary {
	s := Summary{BySeverity: map[Severity]int{}, ByCode: map[Code]int{}, ByNamespace: map[string]int{}}
	for _, p := range parts {
		s.Total += p.Total
		for k, n := range p.BySeverity {
			s.BySeverity[k] += n
		}
		for k, n := range p.ByCode {
			s.ByCode[k] += n
		}
		maps.Copy(s.ByNamespace, p.ByNamespace)
	}
	if top <= 0 {
		for _, p := range parts {
			s.Top = append(s.Top, p.Top...)
		}
		slices.SortFunc(s.Top, func(a, b Group) int { return compareGroups(&a, &b) })
		return s
	}
	// Each part's groups are sorted: take the first of the parts' heads,
	// top times. Sorting every part's groups would cost far more with
	// hundreds of namespaces.
	next := make([]int, len(parts))
	for range top {
		best := -1
		for i, p := range parts {
			if next[i] < len(p.Top) && (best < 0 || compareGroups(&p.Top[next[i]], &parts[best].Top[next[best]]) < 0) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		if s.Top == nil {
			s.Top = make([]Group, 0, top)
		}
		s.Top = append(s.Top, parts[best].Top[next[best]])
		next[best]++
	}
	return s
}
