package demo

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Builders for objects shaped like the ones controllers, the scheduler and
// the kubelet write. Names, UIDs and IPs come from the cluster's seeded source.

const suffixChars = "bcdfghjklmnpqrstvwxz2456789" // k8s.io/apimachinery rand.String alphabet

func (c *Cluster) suffix(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(suffixChars[c.rng.IntN(len(suffixChars))])
	}
	return b.String()
}

func (c *Cluster) uid() types.UID {
	r := c.rng
	return types.UID(fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x",
		r.Uint32(), r.Uint32()&0xffff, r.Uint32()&0xfff, 0x8000|r.Uint32()&0x3fff, r.Uint64()&0xffffffffffff))
}

func (c *Cluster) containerID() string {
	return fmt.Sprintf("containerd://%016x%016x%016x%016x", c.rng.Uint64(), c.rng.Uint64(), c.rng.Uint64(), c.rng.Uint64())
}

func (c *Cluster) podIP(node string) string {
	return fmt.Sprintf("10.244.%d.%d", nodeIndex(node), 2+c.rng.IntN(250))
}

func nodeIndex(node string) int {
	for i, n := range nodeNames {
		if n == node {
			return i + 1
		}
	}
	return 0
}

func ts(t time.Time) metav1.Time { return metav1.NewTime(t) }

func quantities(cpu, mem string) corev1.ResourceList {
	l := corev1.ResourceList{}
	if cpu != "" {
		l[corev1.ResourceCPU] = resource.MustParse(cpu)
	}
	if mem != "" {
		l[corev1.ResourceMemory] = resource.MustParse(mem)
	}
	return l
}

// container is a main container spec with the API server's defaults filled in.
func container(name, image string, port int32, req, lim corev1.ResourceList) corev1.Container {
	ct := corev1.Container{
		Name:                     name,
		Image:                    image,
		ImagePullPolicy:          corev1.PullIfNotPresent,
		Resources:                corev1.ResourceRequirements{Requests: req, Limits: lim},
		TerminationMessagePath:   corev1.TerminationMessagePathDefault,
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
		VolumeMounts: []corev1.VolumeMount{{
			Name: "kube-api-access", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true,
		}},
	}
	if port > 0 {
		ct.Ports = []corev1.ContainerPort{{Name: "http", ContainerPort: port, Protocol: corev1.ProtocolTCP}}
		ct.ReadinessProbe = &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: "/readyz", Port: intstr.FromString("http"), Scheme: corev1.URISchemeHTTP}},
			TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3,
		}
		ct.LivenessProbe = &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: "/healthz", Port: intstr.FromString("http"), Scheme: corev1.URISchemeHTTP}},
			InitialDelaySeconds: 10, TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3,
		}
	}
	return ct
}

// owner says which controller owns a pod and how it names and labels it.
type owner struct {
	kind, name string // ReplicaSet, StatefulSet, DaemonSet or Job
	apiVersion string
	uid        types.UID
	labels     map[string]string
}

func (c *Cluster) replicaSet(deployment, hash string) owner {
	return owner{kind: "ReplicaSet", apiVersion: "apps/v1", name: deployment + "-" + hash, uid: c.uid(),
		labels: map[string]string{"app.kubernetes.io/name": deployment, "pod-template-hash": hash}}
}

func (c *Cluster) statefulSet(name, revision string) owner {
	return owner{kind: "StatefulSet", apiVersion: "apps/v1", name: name, uid: c.uid(),
		labels: map[string]string{"app.kubernetes.io/name": name, "controller-revision-hash": name + "-" + revision}}
}

func (c *Cluster) daemonSet(name, revision string) owner {
	return owner{kind: "DaemonSet", apiVersion: "apps/v1", name: name, uid: c.uid(),
		labels: map[string]string{"app.kubernetes.io/name": name, "controller-revision-hash": revision, "pod-template-generation": "1"}}
}

func (c *Cluster) job(cronJob string, scheduled time.Time) owner {
	name := fmt.Sprintf("%s-%d", cronJob, scheduled.Unix()/60) // CronJob names jobs by scheduled minute
	uid := c.uid()
	return owner{kind: "Job", apiVersion: "batch/v1", name: name, uid: uid,
		labels: map[string]string{
			"batch.kubernetes.io/controller-uid": string(uid), "batch.kubernetes.io/job-name": name,
			"controller-uid": string(uid), "job-name": name,
		}}
}

// podName names a new pod of o: ReplicaSets and Jobs add a random suffix,
// StatefulSets an ordinal, DaemonSets a random suffix to the set name.
func (c *Cluster) podName(o owner, ordinal int) string {
	switch o.kind {
	case "StatefulSet":
		return fmt.Sprintf("%s-%d", o.name, ordinal)
	default:
		return o.name + "-" + c.suffix(5)
	}
}

// newPod is a pod as its controller creates it, not yet scheduled.
func (c *Cluster) newPod(ns string, o owner, ordinal int, created time.Time, containers ...corev1.Container) *corev1.Pod {
	name := c.podName(o, ordinal)
	labels := map[string]string{}
	for k, v := range o.labels {
		labels[k] = v
	}
	if o.kind == "StatefulSet" {
		labels["statefulset.kubernetes.io/pod-name"] = name
		labels["apps.kubernetes.io/pod-index"] = fmt.Sprint(ordinal)
	}
	isController := true
	grace := int64(30)
	tolerationSeconds := int64(300)
	p := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: ns, UID: c.uid(), Labels: labels,
			CreationTimestamp: ts(created),
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: o.apiVersion, Kind: o.kind, Name: o.name, UID: o.uid,
				Controller: &isController, BlockOwnerDeletion: &isController,
			}},
		},
		Spec: corev1.PodSpec{
			Containers:                    containers,
			RestartPolicy:                 corev1.RestartPolicyAlways,
			TerminationGracePeriodSeconds: &grace,
			DNSPolicy:                     corev1.DNSClusterFirst,
			ServiceAccountName:            "default",
			SchedulerName:                 corev1.DefaultSchedulerName,
			EnableServiceLinks:            &isController,
			PreemptionPolicy:              ptr(corev1.PreemptLowerPriority),
			Priority:                      ptr(int32(0)),
			SecurityContext:               &corev1.PodSecurityContext{},
			Tolerations: []corev1.Toleration{
				{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &tolerationSeconds},
				{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &tolerationSeconds},
			},
			Volumes: []corev1.Volume{{Name: "kube-api-access", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
				DefaultMode: ptr(int32(420)),
				Sources: []corev1.VolumeProjection{
					{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{ExpirationSeconds: ptr(int64(3607)), Path: "token"}},
					{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"},
						Items: []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}},
				},
			}}}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodPending, QOSClass: qos(containers)},
	}
	switch o.kind {
	case "StatefulSet":
		p.Spec.Hostname = name
		p.Spec.Subdomain = o.name
	case "DaemonSet":
		// The DaemonSet controller adds these so its pods survive node trouble.
		for _, k := range []string{corev1.TaintNodeDiskPressure, corev1.TaintNodeMemoryPressure, corev1.TaintNodePIDPressure, corev1.TaintNodeUnschedulable} {
			p.Spec.Tolerations = append(p.Spec.Tolerations, corev1.Toleration{Key: k, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule})
		}
		p.Spec.Tolerations[0].TolerationSeconds, p.Spec.Tolerations[1].TolerationSeconds = nil, nil
	case "Job":
		p.Spec.RestartPolicy = corev1.RestartPolicyNever
	}
	return p
}

func ptr[T any](v T) *T { return &v }

// qos computes status.qosClass the way the API server does, for CPU and memory.
func qos(cs []corev1.Container) corev1.PodQOSClass {
	set, guaranteed := false, true
	for _, ct := range cs {
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, hasReq := ct.Resources.Requests[r]
			lim, hasLim := ct.Resources.Limits[r]
			if hasReq || hasLim {
				set = true
			}
			if !hasLim || (hasReq && !req.Equal(lim)) {
				guaranteed = false
			}
		}
	}
	switch {
	case !set:
		return corev1.PodQOSBestEffort
	case guaranteed:
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

// bind records the scheduler's decision and the kubelet's first status.
func (c *Cluster) bind(p *corev1.Pod, node string, at time.Time) {
	p.Spec.NodeName = node
	if p.OwnerReferences[0].Kind == "DaemonSet" {
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
				MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{node}}},
			}}},
		}}
	}
	ip := c.podIP(node)
	p.Status.HostIP = nodeIP(node)
	p.Status.HostIPs = []corev1.HostIP{{IP: p.Status.HostIP}}
	p.Status.PodIP = ip
	p.Status.PodIPs = []corev1.PodIP{{IP: ip}}
	p.Status.StartTime = ptr(ts(at))
}

func nodeIP(node string) string {
	return fmt.Sprintf("10.0.%d.%d", 1+nodeIndex(node)/3, 10+nodeIndex(node))
}

func cond(t corev1.PodConditionType, ok bool, at time.Time, reason, msg string) corev1.PodCondition {
	s := corev1.ConditionTrue
	if !ok {
		s = corev1.ConditionFalse
	}
	return corev1.PodCondition{Type: t, Status: s, LastTransitionTime: ts(at), Reason: reason, Message: msg}
}

// setConditions writes the kubelet's pod conditions for the given readiness.
func setConditions(p *corev1.Pod, at time.Time, initialized bool, notReady []string, notReadyReason string) {
	ready := len(notReady) == 0
	readyReason, readyMsg := "", ""
	if !ready {
		readyReason = notReadyReason
		if notReadyReason == "ContainersNotReady" {
			readyMsg = fmt.Sprintf("containers with unready status: [%s]", strings.Join(notReady, " "))
		}
	}
	initReason, initMsg := "", ""
	if !initialized {
		var names []string
		for _, ct := range p.Spec.InitContainers {
			names = append(names, ct.Name)
		}
		initReason = "ContainersNotInitialized"
		initMsg = fmt.Sprintf("containers with incomplete status: [%s]", strings.Join(names, " "))
	}
	p.Status.Conditions = []corev1.PodCondition{
		cond(corev1.PodReadyToStartContainers, true, at, "", ""),
		cond(corev1.PodInitialized, initialized, at, initReason, initMsg),
		cond(corev1.PodReady, ready, at, readyReason, readyMsg),
		cond(corev1.ContainersReady, ready, at, readyReason, readyMsg),
		cond(corev1.PodScheduled, true, p.CreationTimestamp.Time, "", ""),
	}
}

func (c *Cluster) imageID(image string) string {
	repo, _, _ := strings.Cut(image, ":")
	return fmt.Sprintf("%s@sha256:%016x%016x%016x%016x", repo, c.rng.Uint64(), c.rng.Uint64(), c.rng.Uint64(), c.rng.Uint64())
}

// running is a container status for a container running since at.
func (c *Cluster) running(ct corev1.Container, at time.Time, ready bool, restarts int32) corev1.ContainerStatus {
	return corev1.ContainerStatus{
		Name: ct.Name, Image: ct.Image, ImageID: c.imageID(ct.Image), ContainerID: c.containerID(),
		Ready: ready, Started: ptr(true), RestartCount: restarts,
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: ts(at)}},
	}
}

// waiting is a container status waiting with reason and message.
func waiting(ct corev1.Container, reason, msg string, restarts int32) corev1.ContainerStatus {
	return corev1.ContainerStatus{
		Name: ct.Name, Image: ct.Image, Started: ptr(false), RestartCount: restarts,
		State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: msg}},
	}
}

func terminated(reason string, code int32, msg string, started, finished time.Time, id string) *corev1.ContainerStateTerminated {
	return &corev1.ContainerStateTerminated{
		ExitCode: code, Reason: reason, Message: msg,
		StartedAt: ts(started), FinishedAt: ts(finished), ContainerID: id,
	}
}

// makeRunning turns a bound pod into a Running one whose containers all
// started at `at` and are ready.
func (c *Cluster) makeRunning(p *corev1.Pod, at time.Time) {
	p.Status.Phase = corev1.PodRunning
	p.Status.ContainerStatuses = nil
	for _, ct := range p.Spec.Containers {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, c.running(ct, at, true, 0))
	}
	setConditions(p, at, true, nil, "")
}

// crashLoopMessage is the kubelet's waiting message while it backs off.
func crashLoopMessage(p *corev1.Pod, container string, backoff time.Duration) string {
	return fmt.Sprintf("back-off %s restarting failed container=%s pod=%s_%s(%s)", backoff, container, p.Name, p.Namespace, p.UID)
}

// backOff is the kubelet's restart back-off after restarts crashes: 10s doubling, capped at 5m.
func backOff(restarts int32) time.Duration {
	d := 10 * time.Second
	for range max(restarts-1, 0) {
		d *= 2
		if d >= 5*time.Minute {
			return 5 * time.Minute
		}
	}
	return d
}
