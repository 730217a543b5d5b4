package diagnose

import (
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Columns are the cells `kubectl get pods -o wide` prints for a pod, computed
// with kubectl's own rules (see docs and kubectl's printPod).
type Columns struct {
	Ready          string
	Status         string
	Restarts       string
	Age            string
	IP             string
	Node           string
	NominatedNode  string
	ReadinessGates string
}

// KubectlColumns computes the kubectl columns for pod at time now.
func KubectlColumns(pod *corev1.Pod, now time.Time) Columns { return Columns{} }
