package diagnose

import (
	"sort"
	"time"
)

// rule is one concern's check. It reads the input and returns zero or more
// findings; it never modifies the input and never fails.
type rule func(in PodInput, now time.Time) []Finding

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
	var findings []Finding
	for _, r := range podRules {
		findings = append(findings, r(in, now)...)
	}
	return newDiagnosis(findings)
}

// newDiagnosis orders findings by severity and takes the worst as the whole's.
func newDiagnosis(findings []Finding) Diagnosis {
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Severity > findings[j].Severity })
	d := Diagnosis{Findings: findings}
	if len(findings) > 0 {
		d.Severity = findings[0].Severity
	}
	return d
}
