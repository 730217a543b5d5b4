package diagnose

import (
	"time"

	corev1 "k8s.io/api/core/v1"
)

// podCodes documents the codes of the pod-, scheduling- and node-level rules.
var podCodes []CodeInfo

func schedulingRule(in PodInput, now time.Time) []Finding  { return nil }
func podReasonRule(in PodInput, now time.Time) []Finding   { return nil }
func terminatingRule(in PodInput, now time.Time) []Finding { return nil }
func nodeRule(in PodInput, now time.Time) []Finding        { return nil }
func readinessRule(in PodInput, now time.Time) []Finding   { return nil }

// Node diagnoses one node: Ready state, pressure, runtime and network.
func Node(node *corev1.Node, now time.Time) Diagnosis { return Diagnosis{} }
