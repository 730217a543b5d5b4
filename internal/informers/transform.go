package informers

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// LastAppliedAnnotation is written by `kubectl apply`: a full JSON copy of the
// applied object, often the biggest field of a pod. The cache drops it.
const LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// RedactedEnvValue replaces every literal environment variable value
// (env[].value) in cached pods, so that no page can ever show one. An empty
// value stays empty: the marker means "a literal value was set here".
const RedactedEnvValue = "[redacted]"

// Transform strips objects before they enter the cache. It is installed on
// every informer with SetTransform and is safe to call twice on one object.
//
// DEVELOPER WARNING: cached objects are NOT what the API server holds. Code
// reading from Store will find these fields missing or changed:
//
// All kinds:
//   - metadata.managedFields (dropped)
//   - the kubectl.kubernetes.io/last-applied-configuration annotation (dropped)
//
// Pods:
//   - env[].value of every container, init container and ephemeral container:
//     replaced by RedactedEnvValue (names and valueFrom references are kept;
//     never show env values)
//   - spec.volumes[]: only the name and the configMap, secret, projected
//     (configMap and secret sources only), persistentVolumeClaim, emptyDir and
//     ephemeral sources are kept; hostPath, downwardAPI, csi, nfs and every
//     other source are dropped, so such a volume looks like one with no source.
//
// Everything diagnose reads is kept: containers' image, command, args, ports,
// probes, resources, securityContext, env names/valueFrom, envFrom,
// volumeMounts; tolerations, affinity, nodeSelector, readinessGates,
// schedulingGates, priority, restartPolicy, imagePullSecrets, ownerReferences,
// labels, other annotations, finalizers, deletionTimestamp and the whole status.
//
// Events: rebuilt with only name, namespace, uid, resourceVersion,
// creationTimestamp, involvedObject, reason, message, type, count,
// firstTimestamp, lastTimestamp, eventTime, series, source, reportingController
// and reportingInstance. Labels, annotations, action and related are dropped.
//
// Nodes:
//   - status.images, status.volumesInUse, status.volumesAttached (dropped)
//   - metadata.annotations (all dropped: CNI and CSI annotations are large and unused)
//
// Kept for nodes: labels, spec (taints, unschedulable, podCIDRs), conditions,
// allocatable, capacity, nodeInfo, addresses, daemonEndpoints.
//
// Objects of any other type, including cache.DeletedFinalStateUnknown
// tombstones, are returned unchanged. Since client-go 1.27 the transform sees
// an object before anyone else, so it mutates pods and nodes in place.
func Transform(obj any) (any, error) {
	switch o := obj.(type) {
	case *corev1.Pod:
		stripPod(o)
		return o, nil
	case *corev1.Event:
		return stripEvent(o), nil
	case *corev1.Node:
		stripNode(o)
		return o, nil
	default:
		return obj, nil
	}
}

func stripMeta(m *metav1.ObjectMeta) {
	m.ManagedFields = nil
	if _, ok := m.Annotations[LastAppliedAnnotation]; ok {
		delete(m.Annotations, LastAppliedAnnotation)
		if len(m.Annotations) == 0 {
			m.Annotations = nil
		}
	}
}

func stripPod(p *corev1.Pod) {
	stripMeta(&p.ObjectMeta)
	for i := range p.Spec.InitContainers {
		redactEnv(p.Spec.InitContainers[i].Env)
	}
	for i := range p.Spec.Containers {
		redactEnv(p.Spec.Containers[i].Env)
	}
	for i := range p.Spec.EphemeralContainers {
		redactEnv(p.Spec.EphemeralContainers[i].Env)
	}
	for i := range p.Spec.Volumes {
		stripVolume(&p.Spec.Volumes[i])
	}
}

func redactEnv(env []corev1.EnvVar) {
	for i := range env {
		if env[i].Value != "" {
			env[i].Value = RedactedEnvValue
		}
	}
}

// stripVolume keeps the volume sources whose references diagnose may check
// (missing ConfigMap, Secret or claim; memory-backed emptyDir) and drops the rest.
func stripVolume(v *corev1.Volume) {
	src := v.VolumeSource
	kept := corev1.VolumeSource{
		ConfigMap:             src.ConfigMap,
		Secret:                src.Secret,
		PersistentVolumeClaim: src.PersistentVolumeClaim,
		EmptyDir:              src.EmptyDir,
		Ephemeral:             src.Ephemeral,
	}
	if src.Projected != nil {
		var sources []corev1.VolumeProjection
		for _, s := range src.Projected.Sources {
			if s.ConfigMap != nil || s.Secret != nil {
				sources = append(sources, corev1.VolumeProjection{ConfigMap: s.ConfigMap, Secret: s.Secret})
			}
		}
		kept.Projected = &corev1.ProjectedVolumeSource{Sources: sources, DefaultMode: src.Projected.DefaultMode}
	}
	v.VolumeSource = kept
}

func stripEvent(e *corev1.Event) *corev1.Event {
	return &corev1.Event{
		TypeMeta: e.TypeMeta,
		ObjectMeta: metav1.ObjectMeta{
			Name:              e.Name,
			Namespace:         e.Namespace,
			UID:               e.UID,
			ResourceVersion:   e.ResourceVersion,
			CreationTimestamp: e.CreationTimestamp,
			DeletionTimestamp: e.DeletionTimestamp,
		},
		InvolvedObject:      e.InvolvedObject,
		Reason:              e.Reason,
		Message:             e.Message,
		Source:              e.Source,
		FirstTimestamp:      e.FirstTimestamp,
		LastTimestamp:       e.LastTimestamp,
		Count:               e.Count,
		Type:                e.Type,
		EventTime:           e.EventTime,
		Series:              e.Series,
		ReportingController: e.ReportingController,
		ReportingInstance:   e.ReportingInstance,
	}
}

func stripNode(n *corev1.Node) {
	n.ManagedFields = nil
	n.Annotations = nil
	n.Status.Images = nil
	n.Status.VolumesInUse = nil
	n.Status.VolumesAttached = nil
}
