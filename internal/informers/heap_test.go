package informers_test

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"

	"github.com/podlens/podlens/internal/informers"
)

// The realistic pod below has the shape of hack/bench's fixture (a
// ReplicaSet's pod with an init container, an app and an Envoy sidecar,
// probes, env from every source, five volumes, eight labels, the status a
// kubelet writes, and managedFields like the API server's); one pod in ten
// is crash-looping.

// realisticPod returns pod i of a deterministic fleet.
func realisticPod(i int) *corev1.Pod {
	appIndex := i / 5
	app := fmt.Sprintf("%s-%d", []string{"checkout", "cart", "payments", "catalog", "search", "orders"}[appIndex%6], appIndex/6)
	rs := fmt.Sprintf("%s-%010x", app, appIndex*7919+13)
	name := fmt.Sprintf("%s-%05x", rs, i*104729%0xfffff)
	ns := fmt.Sprintf("team-%03d", i/250)
	node := fmt.Sprintf("ip-10-0-%d-%d.ec2.internal", i/100/250, i/100%250)
	image := fmt.Sprintf("registry.example.com/shop/%s:1.%d.%d", app, i%7, i%13)
	probe := func(path string, period int32) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: path, Port: intstr.FromString("http"), Scheme: corev1.URISchemeHTTP,
			}},
			InitialDelaySeconds: 5, TimeoutSeconds: 1, PeriodSeconds: period, SuccessThreshold: 1, FailureThreshold: 3,
		}
	}
	fieldEnv := func(name, path string) corev1.EnvVar {
		return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: path}}}
	}
	secretEnv := func(name, key string) corev1.EnvVar {
		return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: "app-secrets"}, Key: key}}}
	}
	sa := corev1.VolumeMount{Name: "kube-api-access", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true}
	appC := corev1.Container{
		Name: "app", Image: image,
		Args: []string{"--config=/etc/app/config.yaml", "--log-level=info"},
		Ports: []corev1.ContainerPort{
			{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP},
			{Name: "metrics", ContainerPort: 9090, Protocol: corev1.ProtocolTCP},
		},
		Env: []corev1.EnvVar{
			{Name: "APP_NAME", Value: app},
			fieldEnv("POD_NAME", "metadata.name"),
			fieldEnv("POD_IP", "status.podIP"),
			{Name: "DATABASE_URL", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: "app-config"}, Key: "database-url"}}},
			secretEnv("DATABASE_PASSWORD", "database-password"),
			secretEnv("API_TOKEN", "api-token"),
			{Name: "GOMAXPROCS", ValueFrom: &corev1.EnvVarSource{ResourceFieldRef: &corev1.ResourceFieldSelector{
				ContainerName: "app", Resource: "limits.cpu", Divisor: resource.MustParse("1")}}},
		},
		EnvFrom: []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "feature-flags"}}}},
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("256Mi")},
			Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("512Mi")},
		},
		VolumeMounts: []corev1.VolumeMount{
			{Name: "config", MountPath: "/etc/app", ReadOnly: true},
			{Name: "tls", MountPath: "/etc/tls", ReadOnly: true},
			{Name: "cache", MountPath: "/var/cache/app"},
			sa,
		},
		LivenessProbe: probe("/healthz", 10), ReadinessProbe: probe("/readyz", 5), StartupProbe: probe("/healthz", 2),
		TerminationMessagePath:   "/dev/termination-log",
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
		ImagePullPolicy:          corev1.PullIfNotPresent,
		SecurityContext: &corev1.SecurityContext{
			RunAsNonRoot: ptr.To(true), RunAsUser: ptr.To[int64](10001), ReadOnlyRootFilesystem: ptr.To(true),
			AllowPrivilegeEscalation: ptr.To(false), Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		},
	}
	proxy := corev1.Container{
		Name: "envoy", Image: "docker.io/envoyproxy/envoy:v1.31.2",
		Args:  []string{"-c", "/etc/envoy/envoy.yaml", "--service-cluster", app, "--service-node", "$(POD_NAME)"},
		Ports: []corev1.ContainerPort{{Name: "envoy-admin", ContainerPort: 15000, Protocol: corev1.ProtocolTCP}},
		Env:   []corev1.EnvVar{fieldEnv("POD_NAME", "metadata.name"), fieldEnv("POD_NAMESPACE", "metadata.namespace")},
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")},
		},
		VolumeMounts:             []corev1.VolumeMount{{Name: "envoy-config", MountPath: "/etc/envoy", ReadOnly: true}, sa},
		ReadinessProbe:           probe("/ready", 10),
		TerminationMessagePath:   "/dev/termination-log",
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
		ImagePullPolicy:          corev1.PullIfNotPresent,
	}
	initC := corev1.Container{
		Name: "migrate", Image: image, Command: []string{"/app/migrate", "--wait-for-db"},
		EnvFrom: []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "app-secrets"}}}},
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("50m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
		},
		TerminationMessagePath:   "/dev/termination-log",
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
		ImagePullPolicy:          corev1.PullIfNotPresent,
	}
	start := metav1.NewTime(t0.Add(-time.Duration(1+i%600) * time.Hour))
	ip := fmt.Sprintf("10.%d.%d.%d", 64+i/65536%64, i/256%256, i%256)
	hostIP := fmt.Sprintf("10.0.%d.%d", i/100/250, i/100%250)
	cid := func(c string) string { return fmt.Sprintf("containerd://%064x", hashString(name+c)) }
	running := func(c corev1.Container) corev1.ContainerStatus {
		return corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: fmt.Sprintf("%s@sha256:%064x", c.Image, hashString(c.Image)), ContainerID: cid(c.Name),
			Ready: true, Started: ptr.To(true),
			State:              corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: start}},
			VolumeMounts:       []corev1.VolumeMountStatus{{Name: sa.Name, MountPath: sa.MountPath, ReadOnly: true, RecursiveReadOnly: ptr.To(corev1.RecursiveReadOnlyDisabled)}},
			AllocatedResources: c.Resources.Requests,
			Resources:          &c.Resources,
		}
	}
	cond := func(t corev1.PodConditionType, s corev1.ConditionStatus, reason, msg string) corev1.PodCondition {
		return corev1.PodCondition{Type: t, Status: s, Reason: reason, Message: msg, LastTransitionTime: start}
	}
	appStatus := running(appC)
	conds := []corev1.PodCondition{
		cond(corev1.PodReadyToStartContainers, corev1.ConditionTrue, "", ""),
		cond(corev1.PodInitialized, corev1.ConditionTrue, "", ""),
		cond(corev1.PodReady, corev1.ConditionTrue, "", ""),
		cond(corev1.ContainersReady, corev1.ConditionTrue, "", ""),
		cond(corev1.PodScheduled, corev1.ConditionTrue, "", ""),
	}
	if i%10 == 7 {
		appStatus.Ready, appStatus.Started, appStatus.RestartCount = false, ptr.To(false), 17
		appStatus.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason: "CrashLoopBackOff", Message: fmt.Sprintf("back-off 5m0s restarting failed container=app pod=%s_%s(uid-%d)", name, ns, i),
		}}
		appStatus.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: 1, Reason: "Error", StartedAt: start, FinishedAt: start, ContainerID: cid("app-previous"),
		}}
		msg := "containers with unready status: [app]"
		conds[2] = cond(corev1.PodReady, corev1.ConditionFalse, "ContainersNotReady", msg)
		conds[3] = cond(corev1.ContainersReady, corev1.ConditionFalse, "ContainersNotReady", msg)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, GenerateName: rs + "-", Namespace: ns, UID: types.UID(fmt.Sprintf("%08x-0000-4000-8000-%012x", i, hashString(name)&0xffffffffffff)),
			ResourceVersion: fmt.Sprint(100000 + i), CreationTimestamp: start,
			Labels: map[string]string{
				"app": app, "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "shop",
				"app.kubernetes.io/version": fmt.Sprintf("1.%d.%d", i%7, i%13), "pod-template-hash": rs[len(rs)-10:],
				"team": ns, "security.istio.io/tlsMode": "istio", "service.istio.io/canonical-name": app,
			},
			Annotations: map[string]string{
				"kubectl.kubernetes.io/restartedAt": "2026-11-20T09:14:03Z", "prometheus.io/scrape": "true",
				"prometheus.io/port": "9090", "checksum/config": fmt.Sprintf("%064x", hashString(app)),
			},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs, UID: types.UID(fmt.Sprintf("rs-%012x", hashString(ns+rs))),
				Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true),
			}},
		},
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{initC},
			Containers:     []corev1.Container{appC, proxy},
			Volumes: []corev1.Volume{
				{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: "app-config"}, DefaultMode: ptr.To[int32](0o644)}}},
				{Name: "envoy-config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: "envoy"}, DefaultMode: ptr.To[int32](0o644)}}},
				{Name: "tls", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "app-tls", DefaultMode: ptr.To[int32](0o400)}}},
				{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr.To(resource.MustParse("1Gi"))}}},
				{Name: "kube-api-access", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
					DefaultMode: ptr.To[int32](0o644),
					Sources: []corev1.VolumeProjection{
						{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: ptr.To[int64](3607)}},
						{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"},
							Items: []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}},
						{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{{
							Path: "namespace", FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"}}}}},
					},
				}}},
			},
			RestartPolicy:                 corev1.RestartPolicyAlways,
			TerminationGracePeriodSeconds: ptr.To[int64](30),
			DNSPolicy:                     corev1.DNSClusterFirst,
			ServiceAccountName:            "default",
			DeprecatedServiceAccount:      "default",
			NodeName:                      node,
			SecurityContext:               &corev1.PodSecurityContext{FSGroup: ptr.To[int64](10001), SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}},
			SchedulerName:                 corev1.DefaultSchedulerName,
			NodeSelector:                  map[string]string{"kubernetes.io/os": "linux"},
			Tolerations: []corev1.Toleration{
				{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](300)},
				{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](300)},
			},
			Affinity: &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
				PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{
					Weight: 100,
					PodAffinityTerm: corev1.PodAffinityTerm{
						LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": app}},
						TopologyKey:   "kubernetes.io/hostname",
					},
				}},
			}},
			Priority:           ptr.To[int32](0),
			EnableServiceLinks: ptr.To(true),
			PreemptionPolicy:   ptr.To(corev1.PreemptLowerPriority),
		},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning, HostIP: hostIP, HostIPs: []corev1.HostIP{{IP: hostIP}}, PodIP: ip, PodIPs: []corev1.PodIP{{IP: ip}},
			StartTime: &start, QOSClass: corev1.PodQOSBurstable, Conditions: conds,
			InitContainerStatuses: []corev1.ContainerStatus{{
				Name: "migrate", Image: image, ImageID: fmt.Sprintf("%s@sha256:%064x", image, hashString(image)), ContainerID: cid("migrate"),
				Ready: true, Started: ptr.To(false),
				State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
					Reason: "Completed", StartedAt: start, FinishedAt: start, ContainerID: cid("migrate"),
				}},
			}},
			ContainerStatuses: []corev1.ContainerStatus{appStatus, running(proxy)},
		},
	}
	pod.ManagedFields = []metav1.ManagedFieldsEntry{
		managedFieldsOf("kube-controller-manager", "", map[string]any{"metadata": pod.ObjectMeta, "spec": pod.Spec}),
		managedFieldsOf("kubelet", "status", map[string]any{"status": pod.Status}),
	}
	return pod
}

// managedFieldsOf builds a managedFields entry whose field set covers v, in
// the API server's "f:name" notation (close enough in size to the real one).
func managedFieldsOf(manager, subresource string, v any) metav1.ManagedFieldsEntry {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		panic(err)
	}
	var fieldSet func(v any) any
	fieldSet = func(v any) any {
		out := map[string]any{}
		switch v := v.(type) {
		case map[string]any:
			out["."] = map[string]any{}
			for k, c := range v {
				out["f:"+k] = fieldSet(c)
			}
		case []any:
			for j, c := range v {
				out[fmt.Sprintf(`k:{"name":"%d"}`, j)] = fieldSet(c)
			}
		default:
			return map[string]any{}
		}
		return out
	}
	fields, err := json.Marshal(fieldSet(tree))
	if err != nil {
		panic(err)
	}
	return metav1.ManagedFieldsEntry{
		Manager: manager, Operation: metav1.ManagedFieldsOperationUpdate, APIVersion: "v1",
		Time: &metav1.Time{Time: t0}, FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: fields}, Subresource: subresource,
	}
}

func hashString(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// decodedPods encodes n realistic pods as JSON and decodes them again the
// way client-go's informers do, so that every string is its own allocation
// as in a real cache; transform (nil for none) runs on each, and the results
// go into an informer store.
func decodedPods(tb testing.TB, n int, transform cache.TransformFunc) cache.Store {
	tb.Helper()
	codecs := serializer.NewCodecFactory(scheme.Scheme)
	decoder := codecs.UniversalDeserializer()
	store := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	for i := range n {
		raw, err := json.Marshal(realisticPod(i))
		if err != nil {
			tb.Fatal(err)
		}
		var obj any
		obj, _, err = decoder.Decode(raw, nil, &corev1.Pod{})
		if err != nil {
			tb.Fatal(err)
		}
		if transform != nil {
			if obj, err = transform(obj); err != nil {
				tb.Fatal(err)
			}
		}
		if err := store.Add(obj); err != nil {
			tb.Fatal(err)
		}
	}
	return store
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkCachedPodHeap reports the Go heap a store of 1,000 decoded
// realistic pods retains per pod (B/pod), with and without Transform: the
// figure issue 6 targets (≤ 6 KiB, ≥ 3× smaller). Run it with -benchtime=1x.
func BenchmarkCachedPodHeap(b *testing.B) {
	const n = 1000
	for _, tc := range []struct {
		name      string
		transform cache.TransformFunc
	}{
		{"with the transform", informers.Transform},
		{"without a transform", nil},
	} {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			// Decode and store a few pods first, so that one-time costs
			// (JSON type caches, scheme tables) are not counted per pod.
			runtime.KeepAlive(decodedPods(b, 10, tc.transform))
			var perPod float64
			for range b.N {
				before := liveHeap()
				store := decodedPods(b, n, tc.transform)
				after := liveHeap()
				runtime.KeepAlive(store)
				perPod += (float64(after) - float64(before)) / n
			}
			b.ReportMetric(perPod/float64(b.N), "B/pod")
		})
	}
}
