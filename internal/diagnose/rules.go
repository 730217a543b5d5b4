package diagnose

import (
	"slices"
	"sort"
	"time"
)

// rule is one concern's check. It reads the input and returns zero or more
// findings; it never modifies the input and never fails. It compares the
// time only through now's methods, so that the diagnosis knows when it ages.
type rule func(in PodInput, now *clock) []Finding

// podRules run in this order; findings are then ordered by severity (stable,
// so among equals this order decides).
var podRules = []rule{
	schedulingRule,    // scheduling.go: Unschedulable, SchedulingGated, nominated/preempting
	podReasonRule,     // pod.go: Evicted, admission rejections, DeadlineExceeded, NodeShutdown, Preempting
	terminatingRule,   // pod.go: Terminating for too long (finalizers, node gone)
	nodeRule,          // node.go: pods on a NotReady/Unknown node, runtime/network not ready, pressure
	initContainerRule, // containers.go: init containers failing or stuck
	containerRule,     // containers.go + images.go + crashes.go: waiting/terminated reasons
	probeRule,         // probes.go: liveness/readiness/startup failures
	readinessRule,     // pod.go: running but not Ready, readiness gates not true
}

// Pod diagnoses one pod. A healthy pod gets severity OK and no findings.
func Pod(in PodInput, now time.Time) Diagnosis {
	if in.Pod == nil {
		return Diagnosis{}
	}
	c := newClock(now)
	var findings []Finding
	for _, r := range podRules {
		findings = append(findings, r(in, c)...)
	}
	d := newDiagnosis(mergeFindings(findings))
	d.RecheckAt = c.next
	return d
}

// findingMerges are pairs of codes that two rules raise for one cause. When
// both are present, the second is folded into the first, the root cause,
// instead of being shown as a second problem.
var findingMerges = []struct{ into, from Code }{
	// The node's Ready message (nodeRule) and the pod's NetworkNotReady
	// event (containerRule) both say the node's CNI plugin is not ready:
	// the kubelet writes the same runtime network error into both
	// (pkg/kubelet/kubelet.go, updateRuntimeUp and SyncPod).
	{CodeNodeNetworkNotReady, CodePodNetworkNotReady},
}

// mergeFindings applies findingMerges: the kept finding takes the worse
// severity, the earlier start and the other's evidence and commands it
// lacks; its title, explanation and actions stay. Findings without a pair
// are returned as they are, without allocating.
func mergeFindings(findings []Finding) []Finding {
	for _, m := range findingMerges {
		into, from := -1, -1
		for i := range findings {
			switch findings[i].Code {
			case m.into:
				into = i
			case m.from:
				from = i
			}
		}
		if into < 0 || from < 0 {
			continue
		}
		kept, other := &findings[into], findings[from]
		kept.Severity = max(kept.Severity, other.Severity)
		if !other.Since.IsZero() && (kept.Since.IsZero() || other.Since.Before(kept.Since)) {
			kept.Since = other.Since
		}
		// Clip: rules may share a backing array between findings.
		for _, e := range other.Evidence {
			if !slices.Contains(kept.Evidence, e) {
				kept.Evidence = append(slices.Clip(kept.Evidence), e)
			}
		}
		for _, c := range other.Commands {
			if !slices.Contains(kept.Commands, c) {
				kept.Commands = append(slices.Clip(kept.Commands), c)
			}
		}
		findings = slices.Delete(findings, from, from+1)
	}
	return findings
}

// newDiagnosis orders findings by severity and takes the worst as the whole's.
// It also drops the commands a builder refused to write (commands.go), so a
// finding never offers a command with a value not valid for its kind.
func newDiagnosis(findings []Finding) Diagnosis {
	dropEmptyCommands(findings)
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Severity > findings[j].Severity })
	d := Diagnosis{Findings: findings}
	if len(findings) > 0 {
		d.Severity = findings[0].Severity
	}
	return d
}
