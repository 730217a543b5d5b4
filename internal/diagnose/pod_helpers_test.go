package diagnose

import (
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Option builders and check builders for the pod-, scheduling- and
// node-level tests (pod_test.go, scheduling_test.go, node_test.go).

// tnow is the fixed clock of these tests.
var tnow = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)

func tago(d time.Duration) metav1.Time { return metav1.NewTime(tnow.Add(-d)) }

type podOpt func(*corev1.Pod)

// mkPod is a Pending pod "shop/web-7d4b9c-x2x9z" with one container "app",
// created 10 minutes ago, plus opts.
func mkPod(opts ...podOpt) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web-7d4b9c-x2x9z", UID: "uid-web", CreationTimestamp: tago(10 * time.Minute)},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "registry.example.com/web:1.4"}}},
		Status:     corev1.PodStatus{Phase: corev1.PodPending},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func createdAgo(d time.Duration) podOpt {
	return func(p *corev1.Pod) { p.CreationTimestamp = tago(d) }
}

func inPhase(ph corev1.PodPhase) podOpt { return func(p *corev1.Pod) { p.Status.Phase = ph } }

func onNode(n string) podOpt { return func(p *corev1.Pod) { p.Spec.NodeName = n } }

func failedWith(reason, msg string) podOpt {
	return func(p *corev1.Pod) {
		p.Status.Phase, p.Status.Reason, p.Status.Message = corev1.PodFailed, reason, msg
	}
}

func podCond(t corev1.PodConditionType, s corev1.ConditionStatus, reason, msg string, d time.Duration) podOpt {
	return func(p *corev1.Pod) {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: t, Status: s, Reason: reason, Message: msg, LastTransitionTime: tago(d)})
	}
}

func unschedulable(msg string, d time.Duration) podOpt {
	return podCond(corev1.PodScheduled, corev1.ConditionFalse, corev1.PodReasonUnschedulable, msg, d)
}

func withRequests(kv ...string) podOpt {
	return func(p *corev1.Pod) {
		rl := corev1.ResourceList{}
		for i := 0; i+1 < len(kv); i += 2 {
			rl[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
		}
		p.Spec.Containers[0].Resources.Requests = rl
	}
}

func tolerating(key, value string, effect corev1.TaintEffect) podOpt {
	return func(p *corev1.Pod) {
		op := corev1.TolerationOpEqual
		if value == "" {
			op = corev1.TolerationOpExists
		}
		p.Spec.Tolerations = append(p.Spec.Tolerations, corev1.Toleration{Key: key, Operator: op, Value: value, Effect: effect})
	}
}

func withSelector(kv ...string) podOpt {
	return func(p *corev1.Pod) {
		if p.Spec.NodeSelector == nil {
			p.Spec.NodeSelector = map[string]string{}
		}
		for i := 0; i+1 < len(kv); i += 2 {
			p.Spec.NodeSelector[kv[i]] = kv[i+1]
		}
	}
}

func deletedAgo(d time.Duration, finalizers ...string) podOpt {
	return func(p *corev1.Pod) {
		t := tago(d)
		p.DeletionTimestamp = &t
		grace := int64(30)
		p.DeletionGracePeriodSeconds = &grace
		p.Finalizers = finalizers
	}
}

func runningCtr(name string, ready bool) podOpt {
	return func(p *corev1.Pod) {
		p.Status.Phase = corev1.PodRunning
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
			Name: name, Ready: ready, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: tago(5 * time.Minute)}},
		})
	}
}

func controlledBy(kind, name string) podOpt {
	return func(p *corev1.Pod) {
		yes := true
		p.OwnerReferences = append(p.OwnerReferences, metav1.OwnerReference{Kind: kind, Name: name, Controller: &yes, APIVersion: "apps/v1"})
	}
}

func withLabel(k, v string) podOpt {
	return func(p *corev1.Pod) {
		if p.Labels == nil {
			p.Labels = map[string]string{}
		}
		p.Labels[k] = v
	}
}

type nodeOpt func(*corev1.Node)

// mkNode is a Ready node with 4 CPUs, 16Gi and 110 pods allocatable.
func mkNode(name string, opts ...nodeOpt) *corev1.Node {
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"kubernetes.io/hostname": name}},
		Status: corev1.NodeStatus{
			Allocatable: corev1.ResourceList{
				corev1.ResourceCPU:    resource.MustParse("3920m"),
				corev1.ResourceMemory: resource.MustParse("15Gi"),
				corev1.ResourcePods:   resource.MustParse("110"),
			},
			Conditions: []corev1.NodeCondition{{
				Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady", Message: "kubelet is posting ready status",
				LastHeartbeatTime: tago(10 * time.Second), LastTransitionTime: tago(48 * time.Hour),
			}},
		},
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

func withTaint(key, value string, effect corev1.TaintEffect) nodeOpt {
	return func(n *corev1.Node) {
		n.Spec.Taints = append(n.Spec.Taints, corev1.Taint{Key: key, Value: value, Effect: effect})
	}
}

func nodeLabel(k, v string) nodeOpt { return func(n *corev1.Node) { n.Labels[k] = v } }

func cordoned() nodeOpt {
	return func(n *corev1.Node) {
		n.Spec.Unschedulable = true
		n.Spec.Taints = append(n.Spec.Taints, corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule})
	}
}

// nodeCond sets (or replaces) a node condition; heartbeat is how long ago the
// kubelet last reported, transition how long the status has held.
func nodeCond(t corev1.NodeConditionType, s corev1.ConditionStatus, reason, msg string, heartbeat, transition time.Duration) nodeOpt {
	return func(n *corev1.Node) {
		c := corev1.NodeCondition{Type: t, Status: s, Reason: reason, Message: msg, LastHeartbeatTime: tago(heartbeat), LastTransitionTime: tago(transition)}
		for i := range n.Status.Conditions {
			if n.Status.Conditions[i].Type == t {
				n.Status.Conditions[i] = c
				return
			}
		}
		n.Status.Conditions = append(n.Status.Conditions, c)
	}
}

func mkEvent(typ, reason, msg string, count int32, last time.Duration) *corev1.Event {
	return &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Namespace: "shop", Name: "web-7d4b9c-x2x9z." + strings.ToLower(reason)},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "shop", Name: "web-7d4b9c-x2x9z", UID: "uid-web"},
		Type:           typ, Reason: reason, Message: msg, Count: count,
		FirstTimestamp: tago(last + time.Duration(count)*time.Minute), LastTimestamp: tago(last),
	}
}

// dcheck inspects a diagnosis and says what is wrong with it.
type dcheck func(Diagnosis) error

func findCode(d Diagnosis, c Code) (Finding, bool) {
	for _, f := range d.Findings {
		if f.Code == c {
			return f, true
		}
	}
	return Finding{}, false
}

func wantCode(c Code) dcheck {
	return func(d Diagnosis) error {
		if _, ok := findCode(d, c); !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		return nil
	}
}

func wantNoCode(c Code) dcheck {
	return func(d Diagnosis) error {
		if _, ok := findCode(d, c); ok {
			return fmt.Errorf("unexpected %s finding", c)
		}
		return nil
	}
}

// wantOnlyCodes checks the codes of this half of the package, ignoring the
// container rules' codes.
func wantOnlyCodes(codes ...Code) dcheck {
	return func(d Diagnosis) error {
		mine := map[Code]bool{}
		for _, ci := range podCodes {
			mine[ci.Code] = true
		}
		var got []Code
		for _, c := range d.Codes() {
			if mine[c] {
				got = append(got, c)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(codes) {
			return fmt.Errorf("pod-level codes %v, want %v", got, codes)
		}
		return nil
	}
}

func wantSeverity(c Code, s Severity) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		if f.Severity != s {
			return fmt.Errorf("%s severity %v, want %v", c, f.Severity, s)
		}
		return nil
	}
}

// wantEvidence checks that finding c has an evidence line whose Source
// contains source and whose Value contains value.
func wantEvidence(c Code, source, value string) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		shown := f.EvidenceAt(tnow)
		for _, e := range shown {
			if strings.Contains(e.Source, source) && strings.Contains(e.Value, value) {
				return nil
			}
		}
		return fmt.Errorf("%s: no evidence %q = %q in %q", c, source, value, shown)
	}
}

func wantTitle(c Code, lang Lang, sub string) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		if got := f.Title.In(lang, tnow); !strings.Contains(got, sub) {
			return fmt.Errorf("%s title (%s) %q does not contain %q", c, lang, got, sub)
		}
		return nil
	}
}

func wantExplanation(c Code, lang Lang, sub string) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		if got := f.Explanation.In(lang, tnow); !strings.Contains(got, sub) {
			return fmt.Errorf("%s explanation (%s) %q does not contain %q", c, lang, got, sub)
		}
		return nil
	}
}

func wantAction(c Code, lang Lang, sub string) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		var all []string
		for _, a := range f.Actions {
			s := a.In(lang, tnow)
			if strings.Contains(s, sub) {
				return nil
			}
			all = append(all, s)
		}
		return fmt.Errorf("%s: no action (%s) contains %q in %q", c, lang, sub, all)
	}
}

func wantNoAction(c Code, lang Lang, sub string) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		for _, a := range f.Actions {
			if s := a.In(lang, tnow); strings.Contains(s, sub) {
				return fmt.Errorf("%s: unexpected action (%s) %q", c, lang, s)
			}
		}
		return nil
	}
}

func wantCommand(c Code, sub string) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		for _, cmd := range f.Commands {
			if strings.Contains(cmd, sub) {
				return nil
			}
		}
		return fmt.Errorf("%s: no command contains %q in %q", c, sub, f.Commands)
	}
}

func wantSince(c Code, t time.Time) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		if !f.Since.Equal(t) {
			return fmt.Errorf("%s since %v, want %v", c, f.Since, t)
		}
		return nil
	}
}

// wantRendered renders every text of every finding in both languages and
// fails on fmt errors ("%!") or empty titles.
func wantRendered() dcheck {
	return func(d Diagnosis) error {
		for _, f := range d.Findings {
			for _, lang := range Langs {
				texts := append([]Text{f.Title, f.Explanation}, f.Actions...)
				for _, t := range texts {
					s := t.In(lang, tnow)
					if strings.Contains(s, "%!") {
						return fmt.Errorf("%s renders badly in %s: %q", f.Code, lang, s)
					}
				}
				if f.Title.In(lang, tnow) == "" {
					return fmt.Errorf("%s has no %s title", f.Code, lang)
				}
			}
		}
		return nil
	}
}

type dcase struct {
	name   string
	in     PodInput
	checks []dcheck
}

// runPodCases diagnoses each case at tnow and runs its checks (plus
// wantRendered for every case).
func runPodCases(t *testing.T, cases []dcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := Pod(tc.in, tnow)
			for _, c := range append(tc.checks, wantRendered()) {
				if err := c(d); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// wantNoEvidence checks that finding c has no evidence line whose Source
// contains source.
func wantNoEvidence(c Code, source string) dcheck {
	return func(d Diagnosis) error {
		f, ok := findCode(d, c)
		if !ok {
			return fmt.Errorf("no %s finding; codes %v", c, d.Codes())
		}
		for _, e := range f.Evidence {
			if strings.Contains(e.Source, source) {
				return fmt.Errorf("%s: unexpected evidence %q = %q", c, e.Source, e.Value)
			}
		}
		return nil
	}
}
