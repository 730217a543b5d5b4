package diagnose

import corev1 "k8s.io/api/core/v1"

// Owner is the workload a pod belongs to, walked up to the top-level
// controller where the pod's own metadata allows (ReplicaSet → Deployment
// through the pod-template-hash label; Job → CronJob by name).
type Owner struct {
	Kind string // Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ... or "Pod" for a bare pod
	Name string
}

// OwnerOf returns the top-level owner of pod.
func OwnerOf(pod *corev1.Pod) Owner { return Owner{Kind: "Pod", Name: pod.Name} }

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

// Groups groups unhealthy members by owner and their most urgent finding's
// code, most urgent and largest groups first.
func Groups(members []GroupMember) []Group { return nil }

// Summary is the cluster overview shown above the pod list.
type Summary struct {
	Total       int
	BySeverity  map[Severity]int
	ByCode      map[Code]int
	ByNamespace map[string]int // unhealthy pods (severity warning or worse) per namespace
	Top         []Group
}

// Summarize counts members by severity, code and namespace and keeps the top groups.
func Summarize(members []GroupMember, top int) Summary { return Summary{} }
