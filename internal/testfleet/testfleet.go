// Package testfleet builds a deterministic fleet of realistic pods, with the
// nodes they run on and the events they have, as a ReplicaSet controller, the
// kubelet and the scheduler write them: the benchmark loads it into a real
// API server, and the informer tests measure and transform it.
//
// Only test code and hack/ programs import this package; the dashboard binary never does.
package testfleet

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// The fleet is deterministic: pod i always has the same namespace, name,
// owner, node and failure, so a run that grows from 10k to 50k pods loads only
// the difference, and two runs load the same cluster.
const (
	PodsPerNamespace = 250
	PodsPerNode      = 100
	ReplicasPerApp   = 5
	// FailureEvery makes one pod in ten fail (a realistic ~10%).
	FailureEvery = 10
)

// The field managers real clusters show in managedFields: the ReplicaSet
// controller creates pods, the kubelet writes their status, the scheduler
// writes the Unschedulable condition.
const (
	ManagerController = "kube-controller-manager"
	ManagerKubelet    = "kubelet"
	ManagerScheduler  = "kube-scheduler"
)

// Failure is one of the broken states a failing pod is put in: one pod in
// FailureEvery fails, each of these in turn.
type Failure int

const (
	Healthy Failure = iota
	CrashLoop
	ImagePullBackOff
	Unschedulable
	OOMKilled
	ConfigError
	NotReady
	Evicted
)

var failures = []Failure{CrashLoop, ImagePullBackOff, Unschedulable, OOMKilled, ConfigError, NotReady, Evicted}

// appNames gives the fleet's Deployments believable names.
var appNames = []string{
	"checkout", "cart", "payments", "catalog", "search", "recommendations", "shipping", "inventory",
	"accounts", "notifications", "gateway", "auth", "billing", "reports", "media", "orders",
}

// Member says where pod i of the fleet lives and how it fails.
type Member struct {
	Index      int
	Namespace  string
	App        string // its Deployment
	ReplicaSet string
	Name       string
	Node       string // where it runs, unless it is Unschedulable
	Failure    Failure
}

// At returns the fleet's pod i.
func At(i int) Member {
	appIndex := i / ReplicasPerApp
	app := fmt.Sprintf("%s-%d", appNames[appIndex%len(appNames)], appIndex/len(appNames))
	rs := app + "-" + Token(uint64(appIndex)*7919+13, 10)
	p := Member{
		Index:      i,
		Namespace:  NamespaceAt(i),
		App:        app,
		ReplicaSet: rs,
		Name:       rs + "-" + Token(uint64(i)*104729+7, 5),
		Node:       NodeAt(i),
	}
	if i%FailureEvery == FailureEvery-3 {
		p.Failure = failures[(i/FailureEvery)%len(failures)]
	}
	return p
}

// NamespaceAt is the namespace of pod i.
func NamespaceAt(i int) string { return fmt.Sprintf("team-%03d", i/PodsPerNamespace) }

// NodeAt is the node of pod i.
func NodeAt(i int) string {
	return fmt.Sprintf("ip-10-0-%d-%d.ec2.internal", i/PodsPerNode/250, i/PodsPerNode%250)
}

// Token spells n in the alphabet Kubernetes uses for generated names.
func Token(n uint64, length int) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	b := make([]byte, length)
	n = n*2654435761 + 0x9e3779b9
	for i := range b {
		b[i] = alphabet[n%uint64(len(alphabet))]
		n = n/uint64(len(alphabet)) + uint64(i)*31 + 17
		n = n*6364136223846793005 + 1442695040888963407
		n >>= 11
	}
	return string(b)
}

// ownerUID is a stable fake UID for owner references.
func ownerUID(name string) types.UID {
	return types.UID(fmt.Sprintf("%08x-0000-4000-8000-%012x", len(name), hash(name)))
}

func hash(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h & 0xffffffffffff
}

// started is when pod p started, as seen at now: between one hour and 25 days earlier.
func (p Member) started(now time.Time) metav1.Time {
	return metav1.NewTime(now.Add(-time.Duration(1+p.Index%600) * time.Hour).Truncate(time.Second))
}

// Pod is the pod a ReplicaSet controller would create, after the API
// server's admission plugins (service account volume, default tolerations).
func (p Member) Pod() *corev1.Pod {
	image := fmt.Sprintf("registry.example.com/shop/%s:1.%d.%d", p.App, p.Index%7, p.Index%13)
	if p.Failure == ImagePullBackOff {
		image = fmt.Sprintf("registry.example.com/shop/%s:does-not-exist", p.App)
	}
	configMap := "app-config"
	if p.Failure == ConfigError {
		configMap = "app-config-missing"
	}
	probe := func(path string, period int32) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: path, Port: intstr.FromString("http"), Scheme: corev1.URISchemeHTTP,
			}},
			InitialDelaySeconds: 5, TimeoutSeconds: 1, PeriodSeconds: period, SuccessThreshold: 1, FailureThreshold: 3,
		}
	}
	memRequest, memLimit := "256Mi", "512Mi"
	if p.Failure == OOMKilled {
		memRequest, memLimit = "64Mi", "64Mi"
	}
	app := corev1.Container{
		Name:  "app",
		Image: image,
		Args:  []string{"--config=/etc/app/config.yaml", "--log-level=info"},
		Ports: []corev1.ContainerPort{
			{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP},
			{Name: "metrics", ContainerPort: 9090, Protocol: corev1.ProtocolTCP},
		},
		Env: []corev1.EnvVar{
			{Name: "APP_NAME", Value: p.App},
			{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
			{Name: "POD_IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "status.podIP"}}},
			{Name: "DATABASE_URL", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: configMap}, Key: "database-url"}}},
			{Name: "DATABASE_PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: "app-secrets"}, Key: "database-password"}}},
			{Name: "API_TOKEN", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: "app-secrets"}, Key: "api-Token"}}},
			{Name: "GOMAXPROCS", ValueFrom: &corev1.EnvVarSource{ResourceFieldRef: &corev1.ResourceFieldSelector{
				ContainerName: "app", Resource: "limits.cpu", Divisor: resource.MustParse("1")}}},
		},
		EnvFrom: []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "feature-flags"}}}},
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse(memRequest)},
			Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse(memLimit)},
		},
		VolumeMounts: []corev1.VolumeMount{
			{Name: "config", MountPath: "/etc/app", ReadOnly: true},
			{Name: "tls", MountPath: "/etc/tls", ReadOnly: true},
			{Name: "cache", MountPath: "/var/cache/app"},
			{Name: "kube-api-access", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true},
		},
		LivenessProbe:            probe("/healthz", 10),
		ReadinessProbe:           probe("/readyz", 5),
		StartupProbe:             probe("/healthz", 2),
		TerminationMessagePath:   "/dev/termination-log",
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
		ImagePullPolicy:          corev1.PullIfNotPresent,
		SecurityContext: &corev1.SecurityContext{
			RunAsNonRoot: ptr.To(true), RunAsUser: ptr.To[int64](10001), ReadOnlyRootFilesystem: ptr.To(true),
			AllowPrivilegeEscalation: ptr.To(false), Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		},
	}
	proxy := corev1.Container{
		Name:  "envoy",
		Image: "docker.io/envoyproxy/envoy:v1.31.2",
		Args:  []string{"-c", "/etc/envoy/envoy.yaml", "--service-cluster", p.App, "--service-node", "$(POD_NAME)"},
		Ports: []corev1.ContainerPort{{Name: "envoy-admin", ContainerPort: 15000, Protocol: corev1.ProtocolTCP}},
		Env: []corev1.EnvVar{
			{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
			{Name: "POD_NAMESPACE", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"}}},
		},
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")},
		},
		VolumeMounts: []corev1.VolumeMount{
			{Name: "envoy-config", MountPath: "/etc/envoy", ReadOnly: true},
			{Name: "kube-api-access", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true},
		},
		ReadinessProbe:           probe("/ready", 10),
		TerminationMessagePath:   "/dev/termination-log",
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
		ImagePullPolicy:          corev1.PullIfNotPresent,
	}
	init := corev1.Container{
		Name:    "migrate",
		Image:   image,
		Command: []string{"/app/migrate", "--wait-for-db"},
		EnvFrom: []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "app-secrets"}}}},
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("50m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
		},
		TerminationMessagePath:   "/dev/termination-log",
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
		ImagePullPolicy:          corev1.PullIfNotPresent,
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:      p.Name,
			Namespace: p.Namespace,
			Labels: map[string]string{
				"app":                             p.App,
				"app.kubernetes.io/name":          p.App,
				"app.kubernetes.io/part-of":       "shop",
				"app.kubernetes.io/version":       fmt.Sprintf("1.%d.%d", p.Index%7, p.Index%13),
				"pod-template-hash":               p.ReplicaSet[len(p.ReplicaSet)-10:],
				"team":                            p.Namespace,
				"security.istio.io/tlsMode":       "istio",
				"service.istio.io/canonical-name": p.App,
			},
			Annotations: map[string]string{
				"kubectl.kubernetes.io/restartedAt": "2026-11-20T09:14:03Z",
				"prometheus.io/scrape":              "true",
				"prometheus.io/port":                "9090",
				"checksum/config":                   fmt.Sprintf("%064x", hash(p.App)),
			},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: p.ReplicaSet, UID: ownerUID(p.Namespace + "/" + p.ReplicaSet),
				Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true),
			}},
		},
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{init},
			Containers:     []corev1.Container{app, proxy},
			Volumes: []corev1.Volume{
				{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: configMap}, DefaultMode: ptr.To[int32](0o644)}}},
				{Name: "envoy-config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: "envoy"}, DefaultMode: ptr.To[int32](0o644)}}},
				{Name: "tls", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "app-tls", DefaultMode: ptr.To[int32](0o400)}}},
				{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr.To(resource.MustParse("1Gi"))}}},
				{Name: "kube-api-access", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
					DefaultMode: ptr.To[int32](0o644),
					Sources: []corev1.VolumeProjection{
						{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "Token", ExpirationSeconds: ptr.To[int64](3607)}},
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
						LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": p.App}},
						TopologyKey:   "kubernetes.io/hostname",
					},
				}},
			}},
			PriorityClassName: "",
		},
	}
	if p.Failure != Unschedulable {
		pod.Spec.NodeName = p.Node
	} else {
		pod.Spec.NodeSelector["node.kubernetes.io/instance-type"] = "p4d.24xlarge"
	}
	return pod
}

// Status is what the kubelet (or, for an unschedulable pod, the scheduler)
// writes at now for pod, created from p; restarts is added to the app
// container's restart count.
func (p Member) Status(pod *corev1.Pod, now time.Time, restarts int32) corev1.PodStatus {
	start := p.started(now)
	cond := func(t corev1.PodConditionType, s corev1.ConditionStatus, reason string) corev1.PodCondition {
		return corev1.PodCondition{Type: t, Status: s, Reason: reason, LastTransitionTime: start}
	}
	if p.Failure == Unschedulable {
		return corev1.PodStatus{
			Phase: corev1.PodPending,
			Conditions: []corev1.PodCondition{{
				Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable, LastTransitionTime: start,
				Message: "0/412 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 409 node(s) didn't match Pod's node affinity/selector. preemption: 0/412 nodes are available: 412 Preemption is not helpful for scheduling.",
			}},
			QOSClass: corev1.PodQOSBurstable,
		}
	}
	ip := fmt.Sprintf("10.%d.%d.%d", 64+p.Index/65536%64, p.Index/256%256, p.Index%256)
	hostIP := fmt.Sprintf("10.0.%d.%d", p.Index/PodsPerNode/250, p.Index/PodsPerNode%250)
	containerID := func(c string) string {
		return fmt.Sprintf("containerd://%016x%016x%016x%016x", hash(p.Name+c), hash(c+p.Name), hash(p.Namespace+c), hash(c))
	}
	imageID := func(img string) string {
		return fmt.Sprintf("%s@sha256:%016x%016x%016x%016x", img, hash(img), hash(img+"a"), hash(img+"b"), hash(img+"c"))
	}
	running := func(c corev1.Container, ready bool) corev1.ContainerStatus {
		return corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: imageID(c.Image), ContainerID: containerID(c.Name),
			Ready: ready, Started: ptr.To(true), RestartCount: 0,
			State:              corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: start}},
			VolumeMounts:       []corev1.VolumeMountStatus{{Name: "kube-api-access", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true, RecursiveReadOnly: ptr.To(corev1.RecursiveReadOnlyDisabled)}},
			AllocatedResources: c.Resources.Requests,
			Resources:          &c.Resources,
		}
	}
	appStatus := running(pod.Spec.Containers[0], true)
	appStatus.RestartCount = restarts
	proxyStatus := running(pod.Spec.Containers[1], true)
	initStatus := corev1.ContainerStatus{
		Name: "migrate", Image: pod.Spec.InitContainers[0].Image, ImageID: imageID(pod.Spec.InitContainers[0].Image),
		ContainerID: containerID("migrate"), Ready: true, Started: ptr.To(false),
		State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: 0, Reason: "Completed", StartedAt: start, FinishedAt: metav1.NewTime(start.Add(4 * time.Second)), ContainerID: containerID("migrate"),
		}},
	}
	status := corev1.PodStatus{
		Phase:     corev1.PodRunning,
		HostIP:    hostIP,
		HostIPs:   []corev1.HostIP{{IP: hostIP}},
		PodIP:     ip,
		PodIPs:    []corev1.PodIP{{IP: ip}},
		StartTime: &start,
		QOSClass:  corev1.PodQOSBurstable,
		Conditions: []corev1.PodCondition{
			cond(corev1.PodReadyToStartContainers, corev1.ConditionTrue, ""),
			cond(corev1.PodInitialized, corev1.ConditionTrue, ""),
			cond(corev1.PodReady, corev1.ConditionTrue, ""),
			cond(corev1.ContainersReady, corev1.ConditionTrue, ""),
			cond(corev1.PodScheduled, corev1.ConditionTrue, ""),
		},
	}
	notReadyConds := func(containers string) {
		msg := "containers with unready status: [" + containers + "]"
		status.Conditions[2] = corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", Message: msg, LastTransitionTime: start}
		status.Conditions[3] = corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", Message: msg, LastTransitionTime: start}
	}
	lastTerminated := func(reason string, code int32) corev1.ContainerState {
		return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: code, Reason: reason, StartedAt: metav1.NewTime(now.Add(-3 * time.Minute).Truncate(time.Second)),
			FinishedAt: metav1.NewTime(now.Add(-2 * time.Minute).Truncate(time.Second)), ContainerID: containerID("app-previous"),
		}}
	}
	switch p.Failure {
	case CrashLoop:
		appStatus.Ready, appStatus.Started = false, ptr.To(false)
		appStatus.RestartCount = restarts + 17
		appStatus.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason:  "CrashLoopBackOff",
			Message: fmt.Sprintf("back-off 5m0s restarting failed container=app pod=%s_%s(%s)", p.Name, p.Namespace, pod.UID),
		}}
		appStatus.LastTerminationState = lastTerminated("Error", 1)
		notReadyConds("app")
	case OOMKilled:
		appStatus.RestartCount = restarts + 4
		appStatus.LastTerminationState = lastTerminated("OOMKilled", 137)
		appStatus.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(now.Add(-time.Minute).Truncate(time.Second))}}
	case ImagePullBackOff:
		appStatus.Ready, appStatus.Started, appStatus.ContainerID, appStatus.ImageID = false, ptr.To(false), "", ""
		appStatus.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason: "ImagePullBackOff", Message: fmt.Sprintf("Back-off pulling image %q", pod.Spec.Containers[0].Image),
		}}
		initStatus.State = corev1.ContainerState{Terminated: initStatus.State.Terminated}
		notReadyConds("app")
	case ConfigError:
		appStatus.Ready, appStatus.Started, appStatus.ContainerID = false, ptr.To(false), ""
		appStatus.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason: "CreateContainerConfigError", Message: `configmap "app-config-missing" not found`,
		}}
		notReadyConds("app")
	case NotReady:
		appStatus.Ready = false
		notReadyConds("app")
	case Evicted:
		return corev1.PodStatus{
			Phase:     corev1.PodFailed,
			Reason:    "Evicted",
			Message:   "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91848Ki. Container app was using 1824304Ki, request is 256Mi, has larger consumption of memory. Container envoy was using 52140Ki, request is 128Mi, has larger consumption of memory. ",
			HostIP:    hostIP,
			HostIPs:   []corev1.HostIP{{IP: hostIP}},
			StartTime: &start,
			QOSClass:  corev1.PodQOSBurstable,
			Conditions: []corev1.PodCondition{
				{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue, Reason: "TerminationByKubelet", Message: "The node was low on resource: memory.", LastTransitionTime: start},
				cond(corev1.PodReadyToStartContainers, corev1.ConditionFalse, ""),
				cond(corev1.PodInitialized, corev1.ConditionTrue, ""),
				{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "PodFailed", LastTransitionTime: start},
				{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: "PodFailed", LastTransitionTime: start},
				cond(corev1.PodScheduled, corev1.ConditionTrue, ""),
			},
			InitContainerStatuses: []corev1.ContainerStatus{initStatus},
			ContainerStatuses: []corev1.ContainerStatus{
				{Name: "app", Image: pod.Spec.Containers[0].Image, ImageID: imageID(pod.Spec.Containers[0].Image), ContainerID: containerID("app"),
					State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 137, Reason: "Error", StartedAt: start, FinishedAt: metav1.NewTime(now.Add(-time.Hour).Truncate(time.Second)), ContainerID: containerID("app")}}},
				{Name: "envoy", Image: pod.Spec.Containers[1].Image, ImageID: imageID(pod.Spec.Containers[1].Image), ContainerID: containerID("envoy"),
					State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed", StartedAt: start, FinishedAt: metav1.NewTime(now.Add(-time.Hour).Truncate(time.Second)), ContainerID: containerID("envoy")}}},
			},
		}
	}
	status.InitContainerStatuses = []corev1.ContainerStatus{initStatus}
	status.ContainerStatuses = []corev1.ContainerStatus{appStatus, proxyStatus}
	return status
}

// Stored is pod p as the API server stores it and an informer receives it
// at now: the controller's pod with the API server's defaults, identity and
// managedFields, and the status the kubelet (or scheduler) wrote.
func (p Member) Stored(now time.Time) *corev1.Pod {
	pod := p.Pod()
	pod.GenerateName = p.ReplicaSet + "-"
	pod.UID = types.UID(fmt.Sprintf("%08x-0000-4000-8000-%012x", p.Index, hash(p.Namespace+"/"+p.Name)))
	pod.ResourceVersion = strconv.Itoa(100000 + p.Index)
	pod.CreationTimestamp = p.started(now)
	// Defaults the API server fills in on create.
	pod.Spec.DeprecatedServiceAccount = pod.Spec.ServiceAccountName
	pod.Spec.Priority = ptr.To[int32](0)
	pod.Spec.EnableServiceLinks = ptr.To(true)
	pod.Spec.PreemptionPolicy = ptr.To(corev1.PreemptLowerPriority)
	pod.Status = p.Status(pod, now, 0)
	statusManager := ManagerKubelet
	if p.Failure == Unschedulable {
		statusManager = ManagerScheduler
	}
	pod.ManagedFields = []metav1.ManagedFieldsEntry{
		managedFields(ManagerController, "", now, map[string]any{"metadata": pod.ObjectMeta, "spec": pod.Spec}),
		managedFields(statusManager, "status", now, map[string]any{"status": pod.Status}),
	}
	return pod
}

// managedFields is a managedFields entry whose field set covers v, in the
// API server's "f:name" notation (close enough in size to the real one).
func managedFields(manager, subresource string, now time.Time, v any) metav1.ManagedFieldsEntry {
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
		Time: &metav1.Time{Time: now}, FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: fields}, Subresource: subresource,
	}
}

// Events are the events a failing pod, created from p, has at now, as the
// kubelet and the scheduler record them; none for a healthy pod.
func (p Member) Events(pod *corev1.Pod, now time.Time) []*corev1.Event {
	type ev struct {
		kind, reason, message, component string
		count                            int32
	}
	image := pod.Spec.Containers[0].Image
	var evs []ev
	switch p.Failure {
	case CrashLoop:
		evs = []ev{
			{corev1.EventTypeWarning, "BackOff", fmt.Sprintf("Back-off restarting failed container app in pod %s_%s(%s)", p.Name, p.Namespace, pod.UID), "kubelet", 412},
			{corev1.EventTypeNormal, "Pulled", fmt.Sprintf("Container image %q already present on machine", image), "kubelet", 18},
		}
	case ImagePullBackOff:
		evs = []ev{
			{corev1.EventTypeWarning, "Failed", fmt.Sprintf("Failed to pull image %q: rpc error: code = NotFound desc = failed to pull and unpack image %q: failed to resolve reference %q: %q: not found", image, image, image, image), "kubelet", 23},
			{corev1.EventTypeWarning, "Failed", "Error: ErrImagePull", "kubelet", 23},
			{corev1.EventTypeNormal, "BackOff", fmt.Sprintf("Back-off pulling image %q", image), "kubelet", 511},
		}
	case Unschedulable:
		evs = []ev{{corev1.EventTypeWarning, "FailedScheduling", "0/412 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 409 node(s) didn't match Pod's node affinity/selector. preemption: 0/412 nodes are available: 412 Preemption is not helpful for scheduling.", "default-scheduler", 1}}
	case OOMKilled:
		evs = []ev{{corev1.EventTypeWarning, "BackOff", fmt.Sprintf("Back-off restarting failed container app in pod %s_%s(%s)", p.Name, p.Namespace, pod.UID), "kubelet", 6}}
	case ConfigError:
		evs = []ev{{corev1.EventTypeWarning, "Failed", `Error: configmap "app-config-missing" not found`, "kubelet", 97}}
	case NotReady:
		evs = []ev{{corev1.EventTypeWarning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "kubelet", 1430}}
	case Evicted:
		evs = []ev{
			{corev1.EventTypeWarning, "Evicted", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91848Ki. Container app was using 1824304Ki, request is 256Mi, has larger consumption of memory. ", "kubelet", 1},
			{corev1.EventTypeNormal, "Killing", "Stopping container app", "kubelet", 1},
		}
	}
	out := make([]*corev1.Event, 0, len(evs))
	for j, e := range evs {
		first := metav1.NewTime(now.Add(-2 * time.Hour).Truncate(time.Second))
		last := metav1.NewTime(now.Add(-time.Duration(j+1) * time.Minute).Truncate(time.Second))
		fieldPath := "spec.containers{app}"
		host := p.Node
		if e.component == "default-scheduler" {
			fieldPath, host = "", ""
		}
		out = append(out, &corev1.Event{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s.%016x", p.Name, hash(p.Name+e.reason+e.message)), Namespace: p.Namespace},
			InvolvedObject: corev1.ObjectReference{
				Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: pod.UID, APIVersion: "v1",
				ResourceVersion: pod.ResourceVersion, FieldPath: fieldPath,
			},
			Reason: e.reason, Message: e.message, Type: e.kind, Count: e.count,
			Source:              corev1.EventSource{Component: e.component, Host: host},
			FirstTimestamp:      first,
			LastTimestamp:       last,
			ReportingController: e.component,
			ReportingInstance:   host,
		})
	}
	return out
}

// Node builds a worker node as the kubelet registers it.
func Node(name string) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Labels: map[string]string{
				"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
				"node.kubernetes.io/instance-type": "m6i.2xlarge", "topology.kubernetes.io/zone": "eu-west-1a",
				"topology.kubernetes.io/region": "eu-west-1",
			},
		},
		Spec: corev1.NodeSpec{ProviderID: "aws:///eu-west-1a/i-" + Token(hash(name), 17)},
	}
}

// NodeStatus is what a Healthy kubelet reports.
func NodeStatus(name string, now time.Time) corev1.NodeStatus {
	t := metav1.NewTime(now.Add(-30 * 24 * time.Hour).Truncate(time.Second))
	hb := metav1.NewTime(now.Truncate(time.Second))
	cond := func(c corev1.NodeConditionType, s corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: c, Status: s, Reason: reason, Message: msg, LastHeartbeatTime: hb, LastTransitionTime: t}
	}
	capacity := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse("8"), corev1.ResourceMemory: resource.MustParse("32329028Ki"),
		corev1.ResourcePods: resource.MustParse("110"), corev1.ResourceEphemeralStorage: resource.MustParse("104845292Ki"),
	}
	return corev1.NodeStatus{
		Capacity:    capacity,
		Allocatable: capacity,
		Conditions: []corev1.NodeCondition{
			cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
			cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
			cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
			cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"),
		},
		Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.0.1"}, {Type: corev1.NodeHostName, Address: name}},
		NodeInfo: corev1.NodeSystemInfo{
			KubeletVersion: "v1.37.2", ContainerRuntimeVersion: "containerd://2.1.4", KernelVersion: "6.12.40",
			OSImage: "Amazon Linux 2023", OperatingSystem: "linux", Architecture: "amd64",
		},
	}
}
