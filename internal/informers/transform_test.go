package informers_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"

	"github.com/podlens/podlens/internal/informers"
)

var t0 = time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)

// fullPod is a pod carrying everything a real API server returns, including
// what the transform must strip.
func fullPod() *corev1.Pod {
	probe := &corev1.Probe{
		ProbeHandler:     corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080)}},
		TimeoutSeconds:   1,
		PeriodSeconds:    10,
		FailureThreshold: 3,
	}
	nonRoot := true
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: "web-7d9f8b6c5-x2x4z", GenerateName: "web-7d9f8b6c5-", Namespace: "shop", UID: "uid-web", ResourceVersion: "42",
			Labels:        map[string]string{"app": "web", "pod-template-hash": "7d9f8b6c5"},
			Annotations:   map[string]string{informers.LastAppliedAnnotation: `{"big":"json"}`, "prometheus.io/scrape": "true"},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubelet", Operation: metav1.ManagedFieldsOperationUpdate}},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d9f8b6c5", UID: "uid-rs",
			}},
			Finalizers: []string{"example.com/keep"},
		},
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{
				Name: "migrate", Image: "shop/migrate:1.4",
				Env: []corev1.EnvVar{{Name: "DB_PASSWORD", Value: "hunter2"}},
			}},
			Containers: []corev1.Container{{
				Name: "web", Image: "shop/web:2.1", Command: []string{"/web"}, Args: []string{"--port=8080"},
				Ports: []corev1.ContainerPort{{ContainerPort: 8080}},
				Env: []corev1.EnvVar{
					{Name: "API_TOKEN", Value: "s3cr3t"},
					{Name: "EMPTY", Value: ""},
					{Name: "DB_URL", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
						LocalObjectReference: corev1.LocalObjectReference{Name: "db"}, Key: "url"}}},
				},
				EnvFrom:        []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "web-config"}}}},
				ReadinessProbe: probe, LivenessProbe: probe,
				Resources: corev1.ResourceRequirements{
					Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")},
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")},
				},
				SecurityContext: &corev1.SecurityContext{
					RunAsNonRoot: &nonRoot, RunAsUser: ptr.To[int64](1000), ReadOnlyRootFilesystem: ptr.To(true),
					Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
				},
				VolumeMounts:             []corev1.VolumeMount{{Name: "config", MountPath: "/etc/web"}},
				WorkingDir:               "/srv",
				TerminationMessagePath:   "/dev/termination-log",
				TerminationMessagePolicy: corev1.TerminationMessageReadFile,
				ImagePullPolicy:          corev1.PullIfNotPresent,
			}},
			EphemeralContainers: []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
				Name: "debug", Image: "busybox", Env: []corev1.EnvVar{{Name: "X", Value: "y"}},
			}}},
			Volumes: []corev1.Volume{
				{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: "web-config"}}}},
				{Name: "tls", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "web-tls"}}},
				{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data-web"}}},
				{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}}},
				{Name: "host", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/var/log"}}},
				{Name: "kube-api-access-abcde", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
					Sources: []corev1.VolumeProjection{
						{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token"}},
						{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"}}},
						{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{{Path: "namespace"}}}},
					},
				}}},
			},
			NodeName:         "node-1",
			NodeSelector:     map[string]string{"disk": "ssd"},
			Tolerations:      []corev1.Toleration{{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}},
			ImagePullSecrets: []corev1.LocalObjectReference{{Name: "regcred"}},
			ReadinessGates:   []corev1.PodReadinessGate{{ConditionType: "example.com/ready"}},
			RestartPolicy:    corev1.RestartPolicyAlways,
			Priority:         ptr.To[int32](1000),
			SchedulerName:    corev1.DefaultSchedulerName,
			Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"a"}}}}},
			}}},
			TerminationGracePeriodSeconds: ptr.To[int64](30),
			EnableServiceLinks:            ptr.To(true),
			DNSConfig:                     &corev1.PodDNSConfig{Nameservers: []string{"1.1.1.1"}},
			SecurityContext:               &corev1.PodSecurityContext{FSGroup: ptr.To[int64](2000)},
		},
		Status: corev1.PodStatus{
			Phase:    corev1.PodRunning,
			HostIP:   "10.0.0.1",
			HostIPs:  []corev1.HostIP{{IP: "10.0.0.1"}},
			PodIP:    "10.64.0.7",
			PodIPs:   []corev1.PodIP{{IP: "10.64.0.7"}},
			QOSClass: corev1.PodQOSBurstable,
			Conditions: []corev1.PodCondition{{
				Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady",
				Message: "containers with unready status: [web]", LastTransitionTime: metav1.NewTime(t0),
			}},
			ContainerStatuses: []corev1.ContainerStatus{{
				Name: "web", RestartCount: 3, Image: "shop/web:2.1", ImageID: "shop/web@sha256:0123", ContainerID: "containerd://abc",
				Started: ptr.To(false),
				State:   corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}},
				LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
					ExitCode: 1, Reason: "Error", ContainerID: "containerd://abd", FinishedAt: metav1.NewTime(t0),
				}},
				AllocatedResources: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")},
				Resources:          &corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}},
				VolumeMounts:       []corev1.VolumeMountStatus{{Name: "config", MountPath: "/etc/web"}},
			}},
		},
	}
}

func TestTransform(t *testing.T) {
	t.Parallel()

	t.Run("a pod loses managed fields, last-applied, env values and unused volume sources, and keeps what diagnose reads", func(t *testing.T) {
		t.Parallel()
		want := fullPod()
		want.ManagedFields, want.Annotations, want.GenerateName = nil, nil, ""
		want.Spec.Containers[0].VolumeMounts = nil
		want.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{RunAsNonRoot: ptr.To(true), RunAsUser: ptr.To[int64](1000)}
		want.Spec.Containers[0].TerminationMessagePath, want.Spec.Containers[0].TerminationMessagePolicy = "", ""
		want.Spec.Containers[0].WorkingDir = ""
		want.Spec.TerminationGracePeriodSeconds, want.Spec.EnableServiceLinks, want.Spec.DNSConfig = nil, nil, nil
		want.Spec.SecurityContext = nil
		want.Status.HostIPs, want.Status.PodIPs = nil, nil
		cs := &want.Status.ContainerStatuses[0]
		cs.ImageID, cs.ContainerID, cs.AllocatedResources, cs.Resources, cs.VolumeMounts = "", "", nil, nil, nil
		cs.LastTerminationState.Terminated.ContainerID = ""
		want.Spec.InitContainers[0].Env[0].Value = informers.RedactedEnvValue
		want.Spec.Containers[0].Env[0].Value = informers.RedactedEnvValue
		want.Spec.EphemeralContainers[0].Env[0].Value = informers.RedactedEnvValue
		want.Spec.Volumes[4].VolumeSource = corev1.VolumeSource{}
		want.Spec.Volumes[5].Projected.Sources = []corev1.VolumeProjection{
			{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"}}},
		}

		want.ManagedFields = []metav1.ManagedFieldsEntry{} // empty: the transform's mark

		got, err := informers.Transform(fullPod())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Transform(pod) mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("a stripped pod is recognised and not stripped again; a deep copy of one is", func(t *testing.T) {
		once, err := informers.Transform(fullPod())
		if err != nil {
			t.Fatal(err)
		}
		p := once.(*corev1.Pod)
		// A value the transform would redact, in a slice of p's own (its
		// containers are shared with other pods: never write through them).
		p.Spec.Containers = []corev1.Container{{Name: "app", Env: []corev1.EnvVar{{Name: "PLANTED", Value: "s3cr3t"}}}}
		if again, _ := informers.Transform(p); again.(*corev1.Pod).Spec.Containers[0].Env[0].Value != "s3cr3t" {
			t.Error("a pod carrying the mark was stripped again")
		}
		copied, _ := informers.Transform(p.DeepCopy())
		if v := copied.(*corev1.Pod).Spec.Containers[0].Env[0].Value; v != informers.RedactedEnvValue {
			t.Errorf("a deep copy kept env value %q: the mark must not survive a copy", v)
		}
	})

	t.Run("transforming a pod twice gives the same pod", func(t *testing.T) {
		t.Parallel()
		once, _ := informers.Transform(fullPod())
		twice, _ := informers.Transform(fullPod())
		twice, _ = informers.Transform(twice)
		if diff := cmp.Diff(once, twice); diff != "" {
			t.Errorf("second Transform changed the pod (-once +twice):\n%s", diff)
		}
	})

	t.Run("an event keeps only what the dashboard shows", func(t *testing.T) {
		t.Parallel()
		in := &corev1.Event{
			ObjectMeta: metav1.ObjectMeta{
				Name: "web.17a", Namespace: "shop", UID: "uid-ev", ResourceVersion: "7",
				CreationTimestamp: metav1.NewTime(t0),
				Labels:            map[string]string{"x": "y"},
				Annotations:       map[string]string{"a": "b"},
				ManagedFields:     []metav1.ManagedFieldsEntry{{Manager: "kubelet"}},
			},
			InvolvedObject:      corev1.ObjectReference{Kind: "Pod", Namespace: "shop", Name: "web", UID: "uid-web", FieldPath: "spec.containers{web}"},
			Reason:              "BackOff",
			Message:             "Back-off restarting failed container web in pod web_shop(uid-web)",
			Source:              corev1.EventSource{Component: "kubelet", Host: "node-1"},
			FirstTimestamp:      metav1.NewTime(t0),
			LastTimestamp:       metav1.NewTime(t0.Add(time.Minute)),
			Count:               12,
			Type:                corev1.EventTypeWarning,
			Series:              &corev1.EventSeries{Count: 3, LastObservedTime: metav1.NewMicroTime(t0.Add(2 * time.Minute))},
			Action:              "Restarting",
			Related:             &corev1.ObjectReference{Kind: "Node", Name: "node-1"},
			ReportingController: "kubelet",
			ReportingInstance:   "node-1",
		}
		want := in.DeepCopy()
		want.Labels, want.Annotations, want.ManagedFields = nil, nil, nil
		want.Action, want.Related = "", nil

		got, err := informers.Transform(in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Transform(event) mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("a node loses images, volume lists and annotations, and keeps conditions, taints and capacity", func(t *testing.T) {
		t.Parallel()
		in := &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{
				Name: "node-1", Labels: map[string]string{"kubernetes.io/hostname": "node-1"},
				Annotations:   map[string]string{"csi.volume.kubernetes.io/nodeid": `{"x":"y"}`},
				ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubelet"}},
			},
			Spec: corev1.NodeSpec{Unschedulable: true, Taints: []corev1.Taint{{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}}},
			Status: corev1.NodeStatus{
				Capacity:        corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4")},
				Allocatable:     corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("3800m")},
				Conditions:      []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady"}},
				Addresses:       []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.0.1"}},
				NodeInfo:        corev1.NodeSystemInfo{KubeletVersion: "v1.35.0"},
				Images:          []corev1.ContainerImage{{Names: []string{"registry.k8s.io/pause:3.10"}, SizeBytes: 1}},
				VolumesInUse:    []corev1.UniqueVolumeName{"kubernetes.io/csi/x"},
				VolumesAttached: []corev1.AttachedVolume{{Name: "kubernetes.io/csi/x"}},
			},
		}
		want := in.DeepCopy()
		want.Annotations, want.ManagedFields = nil, nil
		want.Status.Images, want.Status.VolumesInUse, want.Status.VolumesAttached = nil, nil, nil

		got, err := informers.Transform(in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Transform(node) mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("a delete tombstone passes through unchanged", func(t *testing.T) {
		t.Parallel()
		in := cache.DeletedFinalStateUnknown{Key: "shop/web", Obj: fullPod()}
		got, err := informers.Transform(in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(any(in), got); diff != "" {
			t.Errorf("Transform(tombstone) mismatch (-want +got):\n%s", diff)
		}
	})
}

// BenchmarkTransform measures the transform on realistic pods (the fleet of
// heap_test.go), each freshly copied as the informer decodes it.
func BenchmarkTransform(b *testing.B) {
	const batch = 500
	fleet := make([]*corev1.Pod, batch)
	for i := range fleet {
		fleet[i] = realisticPod(i)
	}
	pods := make([]*corev1.Pod, batch)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if i%batch == 0 {
			b.StopTimer()
			for j := range pods {
				pods[j] = fleet[j].DeepCopy()
			}
			b.StartTimer()
		}
		if _, err := informers.Transform(pods[i%batch]); err != nil {
			b.Fatal(err)
		}
	}
}
