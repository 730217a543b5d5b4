package demo

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// The demo's nodes: two healthy workers, one NotReady (CNI down), one under
// disk pressure, and a GPU node tainted for GPU work only.
const (
	worker1 = "worker-1"
	worker2 = "worker-2"
	worker3 = "worker-3" // NotReady: CNI plugin not initialised
	worker4 = "worker-4" // DiskPressure
	gpu1    = "gpu-1"    // tainted dedicated=gpu:NoSchedule
)

var nodeNames = []string{worker1, worker2, worker3, worker4, gpu1}

// cniNotReady is the Ready=False message a kubelet writes when containerd's CNI is down
// (containerd's CRI plugin, internal/cri/server/status.go).
const cniNotReady = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"

func nodeCondition(t corev1.NodeConditionType, s corev1.ConditionStatus, reason, msg string, heartbeat, since time.Time) corev1.NodeCondition {
	return corev1.NodeCondition{Type: t, Status: s, Reason: reason, Message: msg,
		LastHeartbeatTime: ts(heartbeat), LastTransitionTime: ts(since)}
}

func (c *Cluster) node(name string, now time.Time) *corev1.Node {
	gpu := name == gpu1
	zone := "eu-west-1a"
	if nodeIndex(name)%2 == 0 {
		zone = "eu-west-1b"
	}
	instance := "m6i.xlarge"
	capacity := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse("4"), corev1.ResourceMemory: resource.MustParse("16071412Ki"),
		corev1.ResourcePods: resource.MustParse("110"), corev1.ResourceEphemeralStorage: resource.MustParse("83873772Ki"),
	}
	allocatable := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse("3920m"), corev1.ResourceMemory: resource.MustParse("15064052Ki"),
		corev1.ResourcePods: resource.MustParse("110"), corev1.ResourceEphemeralStorage: resource.MustParse("76224326324"),
	}
	if gpu {
		instance = "g5.2xlarge"
		capacity[corev1.ResourceCPU], allocatable[corev1.ResourceCPU] = resource.MustParse("8"), resource.MustParse("7910m")
		capacity["nvidia.com/gpu"], allocatable["nvidia.com/gpu"] = resource.MustParse("1"), resource.MustParse("1")
	}
	created := now.Add(-41 * 24 * time.Hour)
	heartbeat := now.Add(-time.Duration(10+c.rng.IntN(40)) * time.Second)
	n := &corev1.Node{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, UID: c.uid(), CreationTimestamp: ts(created),
			Labels: map[string]string{
				"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
				"beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64",
				"node.kubernetes.io/instance-type": instance, "topology.kubernetes.io/region": "eu-west-1",
				"topology.kubernetes.io/zone": zone,
			},
			Annotations: map[string]string{
				"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true",
			},
		},
		Spec: corev1.NodeSpec{
			PodCIDR: fmt.Sprintf("10.244.%d.0/24", nodeIndex(name)), PodCIDRs: []string{fmt.Sprintf("10.244.%d.0/24", nodeIndex(name))},
			ProviderID: fmt.Sprintf("aws:///%s/i-0%016x", zone, c.rng.Uint64()),
		},
		Status: corev1.NodeStatus{
			Capacity: capacity, Allocatable: allocatable,
			Conditions: []corev1.NodeCondition{
				nodeCondition(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available", heartbeat, created),
				nodeCondition(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure", heartbeat, created),
				nodeCondition(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available", heartbeat, created),
				nodeCondition(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status", heartbeat, created.Add(40*time.Second)),
			},
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: nodeIP(name)},
				{Type: corev1.NodeHostName, Address: name},
				{Type: corev1.NodeInternalDNS, Address: "ip-" + nodeIP(name) + ".eu-west-1.compute.internal"},
			},
			DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: 10250}},
			NodeInfo: corev1.NodeSystemInfo{
				MachineID: fmt.Sprintf("%016x%016x", c.rng.Uint64(), c.rng.Uint64()), SystemUUID: string(c.uid()),
				BootID: string(c.uid()), KernelVersion: "6.8.0-1021-aws", OSImage: "Ubuntu 24.04.2 LTS",
				ContainerRuntimeVersion: "containerd://2.1.4", KubeletVersion: "v1.35.2", KubeProxyVersion: "",
				OperatingSystem: "linux", Architecture: "amd64",
			},
			Images: []corev1.ContainerImage{
				{Names: []string{"registry.k8s.io/kube-proxy@sha256:8f1c2d", "registry.k8s.io/kube-proxy:v1.35.2"}, SizeBytes: 30_876_543},
				{Names: []string{"registry.k8s.io/pause@sha256:ee6521", "registry.k8s.io/pause:3.10"}, SizeBytes: 320_368},
			},
		},
	}
	switch name {
	case worker3:
		since := now.Add(-25 * time.Minute)
		n.Status.Conditions[3] = nodeCondition(corev1.NodeReady, corev1.ConditionFalse, "KubeletNotReady", cniNotReady, heartbeat, since)
		n.Spec.Taints = []corev1.Taint{
			{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule},
			{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute, TimeAdded: ptr(ts(since))},
		}
	case worker4:
		since := now.Add(-40 * time.Minute)
		n.Status.Conditions[1] = nodeCondition(corev1.NodeDiskPressure, corev1.ConditionTrue, "KubeletHasDiskPressure", "kubelet has disk pressure", heartbeat, since)
		n.Spec.Taints = []corev1.Taint{{Key: corev1.TaintNodeDiskPressure, Effect: corev1.TaintEffectNoSchedule, TimeAdded: ptr(ts(since))}}
	case gpu1:
		n.Spec.Taints = []corev1.Taint{{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}}
		n.Labels["nvidia.com/gpu.present"] = "true"
	}
	return n
}

// eventKey identifies an event series: the kubelet and scheduler bump the
// count of an existing event instead of writing a new one.
type eventKey struct {
	namespace, object, reason, message string
}

// ev describes one event.
type ev struct {
	obj       corev1.ObjectReference
	typ       string
	reason    string
	message   string
	component string // kubelet, default-scheduler, node-controller
	host      string
	count     int32
	first     time.Time
	last      time.Time
}

// podRef is the involvedObject of a kubelet event about container (or the pod when "").
func podRef(p *corev1.Pod, container string) corev1.ObjectReference {
	ref := corev1.ObjectReference{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID, APIVersion: "v1"}
	if container != "" {
		ref.FieldPath = "spec.containers{" + container + "}"
		for _, ct := range p.Spec.InitContainers {
			if ct.Name == container {
				ref.FieldPath = "spec.initContainers{" + container + "}"
			}
		}
	}
	return ref
}

func nodeRef(name string) corev1.ObjectReference {
	return corev1.ObjectReference{Kind: "Node", Name: name, UID: types.UID(name), APIVersion: "v1"}
}

// eventObject builds the event as the API server stores it. The scheduler
// writes through events.k8s.io/v1, so its events carry eventTime and series
// instead of lastTimestamp and count.
func (c *Cluster) eventObject(e ev) *corev1.Event {
	ns := e.obj.Namespace
	if ns == "" {
		ns = metav1.NamespaceDefault
	}
	out := &corev1.Event{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Event"},
		ObjectMeta: metav1.ObjectMeta{
			Name: fmt.Sprintf("%s.%x", e.obj.Name, e.first.UnixNano()+c.rng.Int64N(1_000_000)), Namespace: ns,
			UID: c.uid(), CreationTimestamp: ts(e.first),
		},
		InvolvedObject: e.obj, Type: e.typ, Reason: e.reason, Message: e.message,
		Source:              corev1.EventSource{Component: e.component, Host: e.host},
		ReportingController: e.component, ReportingInstance: e.host,
	}
	if e.component == "default-scheduler" {
		out.Source = corev1.EventSource{}
		out.ReportingInstance = "default-scheduler-control-plane-1"
		out.Action = "Scheduling"
		out.EventTime = metav1.NewMicroTime(e.first)
		if e.count > 1 {
			out.Series = &corev1.EventSeries{Count: e.count - 1, LastObservedTime: metav1.NewMicroTime(e.last)}
		}
		return out
	}
	out.FirstTimestamp, out.LastTimestamp, out.Count = ts(e.first), ts(e.last), e.count
	return out
}

func keyOf(e ev) eventKey {
	return eventKey{namespace: e.obj.Namespace, object: e.obj.Name, reason: e.reason, message: e.message}
}

// record adds an event to the initial objects.
func (c *Cluster) record(objs *[]runtime.Object, e ev) {
	if e.count == 0 {
		e.count = 1
	}
	if e.last.IsZero() {
		e.last = e.first
	}
	o := c.eventObject(e)
	c.events[keyOf(e)] = o.Name
	*objs = append(*objs, o)
}

// emit writes an event now: a new one, or the existing series with its count bumped.
func (c *Cluster) emit(ctx context.Context, e ev) {
	events := c.client.CoreV1().Events(eventNamespace(e))
	if name, ok := c.events[keyOf(e)]; ok {
		if old, err := events.Get(ctx, name, metav1.GetOptions{}); err == nil {
			if old.Series != nil {
				old.Series.Count++
				old.Series.LastObservedTime = metav1.NewMicroTime(e.last)
			} else if old.EventTime.IsZero() || old.Count > 0 {
				old.Count++
				old.LastTimestamp = ts(e.last)
			} else {
				old.Series = &corev1.EventSeries{Count: 1, LastObservedTime: metav1.NewMicroTime(e.last)}
			}
			_, err := events.Update(ctx, old, metav1.UpdateOptions{})
			c.report(err)
			return
		}
	}
	e.count = 1
	o := c.eventObject(e)
	c.events[keyOf(e)] = o.Name
	_, err := events.Create(ctx, o, metav1.CreateOptions{})
	c.report(err)
}

func eventNamespace(e ev) string {
	if e.obj.Namespace == "" {
		return metav1.NamespaceDefault
	}
	return e.obj.Namespace
}
