package informers

import (
	"slices"
	"sync"

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

// Transform strips objects before they enter the cache, so that a cached pod
// costs a few KiB instead of tens (docs/performance.md). It is installed on every
// informer with SetTransform and is safe to call twice on one object.
//
// DEVELOPER WARNING: cached objects are NOT what the API server holds. Code
// reading from Store will find these fields missing or changed, and parts
// SHARED between objects (see intern.go), so never modify a cached object:
//
// All kinds:
//   - metadata.managedFields (dropped)
//   - the kubectl.kubernetes.io/last-applied-configuration annotation (dropped)
//
// Pods, dropped (nothing reads them; add them back here before reading one):
//   - metadata: generateName and every annotation
//   - spec: terminationGracePeriodSeconds, deprecatedServiceAccount,
//     automountServiceAccountToken, hostname, subdomain, hostAliases,
//     dnsConfig, enableServiceLinks, preemptionPolicy, setHostnameAsFQDN, os,
//     hostnameOverride; securityContext keeps only runAsNonRoot, runAsUser
//     and sysctls (nil when none is set)
//   - every container, init container and ephemeral container: workingDir,
//     resizePolicy, volumeMounts, volumeDevices, terminationMessagePath,
//     terminationMessagePolicy; securityContext keeps only runAsNonRoot and
//     runAsUser (nil when neither is set); env[].value is replaced by
//     RedactedEnvValue (names and valueFrom references are kept; never show
//     env values); in command, args and the exec commands of probes and
//     lifecycle hooks, secret-looking values (--password=x, TOKEN=x,
//     user:x@ in URLs, ?token=x in probe paths) are replaced by
//     RedactedArgValue (see there)
//   - spec.volumes[]: only the name and the configMap, secret, projected
//     (configMap and secret sources only), persistentVolumeClaim, emptyDir and
//     ephemeral sources are kept; hostPath, downwardAPI, csi, nfs and every
//     other source are dropped, so such a volume looks like one with no source.
//   - status: hostIPs; podIPs when podIP is set (podIP equals podIPs[0]);
//     allocatedResources, resources; in every container status: imageID,
//     containerID, allocatedResources, resources, volumeMounts, user,
//     allocatedResourcesStatus, stopSignal, and state.terminated.containerID
//     (current and last state)
//
// Everything diagnose and the pages read is kept: name, namespace, uid,
// resourceVersion, timestamps, labels, ownerReferences, finalizers; in the
// spec the containers' name, image, command, args, ports, env names and
// valueFrom, envFrom, resources, restartPolicy, probes, lifecycle and
// imagePullPolicy, volumes (as above), nodeName, nodeSelector, affinity,
// tolerations, topologySpreadConstraints, readinessGates, schedulingGates,
// resourceClaims, priority, priorityClassName, schedulerName,
// serviceAccountName, imagePullSecrets, restartPolicy, activeDeadlineSeconds,
// overhead and pod-level resources; the rest of the status (phase, reason,
// message, conditions, hostIP, podIP, startTime, qosClass, nominatedNodeName,
// container statuses' name, image, state, last state, ready, restartCount and
// started).
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
// Every string kept, in all three kinds, is valid UTF-8: invalid bytes are
// replaced by U+FFFD (see utf8.go for why and how).
//
// Objects of any other type, including cache.DeletedFinalStateUnknown
// tombstones, are returned unchanged. Since client-go 1.27 the transform sees
// an object before anyone else, so it mutates pods and nodes in place.
func Transform(obj any) (any, error) {
	switch o := obj.(type) {
	case *corev1.Pod:
		if stripped(&o.ObjectMeta) {
			return o, nil
		}
		s := strippers.Get().(*stripper)
		s.pod(o)
		strippers.Put(s)
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

// stripper holds the scratch space for computing shared-value keys: each
// key is the protobuf encoding of a wrapper object holding only that part.
type stripper struct {
	buf  []byte
	c    corev1.Container
	spec corev1.PodSpec
	meta metav1.ObjectMeta
}

var strippers = sync.Pool{New: func() any { return new(stripper) }}

// strippedMark is the managedFields of every pod the transform has
// stripped: empty, with a backing array nothing else holds. client-go's
// streaming list transforms each object twice, on its way into a temporary
// store and again into the informer's queue; the mark makes the second time
// free (target in docs/performance.md: the first list is on the way to the first full page). A
// deep copy does not keep the array, and is stripped again.
var strippedMark = make([]metav1.ManagedFieldsEntry, 0, 1)

// stripped reports whether m carries the transform's mark.
func stripped(m *metav1.ObjectMeta) bool {
	return cap(m.ManagedFields) > 0 && len(m.ManagedFields) == 0 && &m.ManagedFields[:1][0] == &strippedMark[:1][0]
}

// containerKey keys a part of a container, set into the scratch container.
func (s *stripper) containerKey(k kind, set func(c *corev1.Container)) (valueKey, bool) {
	set(&s.c)
	key, ok := keyOf(&s.buf, k, &s.c)
	s.c = corev1.Container{}
	return key, ok
}

// specKey keys a part of a pod spec, set into the scratch spec.
func (s *stripper) specKey(k kind, set func(spec *corev1.PodSpec)) (valueKey, bool) {
	set(&s.spec)
	key, ok := keyOf(&s.buf, k, &s.spec)
	s.spec = corev1.PodSpec{}
	return key, ok
}

// metaKey keys a part of object metadata, set into the scratch metadata.
func (s *stripper) metaKey(k kind, set func(m *metav1.ObjectMeta)) (valueKey, bool) {
	set(&s.meta)
	key, ok := keyOf(&s.buf, k, &s.meta)
	s.meta = metav1.ObjectMeta{}
	return key, ok
}

func (s *stripper) pod(p *corev1.Pod) {
	p.Kind, p.APIVersion = str(p.Kind), str(p.APIVersion)
	s.podMeta(&p.ObjectMeta)
	s.podSpec(&p.Spec)
	stripPodStatus(&p.Status)
}

func (s *stripper) podMeta(m *metav1.ObjectMeta) {
	m.ManagedFields = strippedMark
	m.Annotations = nil
	m.GenerateName = ""
	m.Name, m.UID, m.ResourceVersion, m.SelfLink = validString(m.Name), validType(m.UID), validString(m.ResourceVersion), validString(m.SelfLink)
	m.Namespace = str(m.Namespace)
	if len(m.Labels) > 0 {
		labels := m.Labels
		key, ok := s.metaKey(kindLabels, func(m *metav1.ObjectMeta) { m.Labels = labels })
		m.Labels = shareValue(key, ok, func() map[string]string { return internMap(labels) })
	} else {
		m.Labels = nil
	}
	if len(m.OwnerReferences) > 0 {
		refs := m.OwnerReferences
		key, ok := s.metaKey(kindOwnerReferences, func(m *metav1.ObjectMeta) { m.OwnerReferences = refs })
		m.OwnerReferences = shareValue(key, ok, func() []metav1.OwnerReference {
			refs = slices.Clone(refs)
			for i := range refs {
				r := &refs[i]
				r.APIVersion, r.Kind, r.Name, r.UID = str(r.APIVersion), str(r.Kind), str(r.Name), validType(r.UID)
				r.Controller, r.BlockOwnerDeletion = sharedBool(r.Controller), sharedBool(r.BlockOwnerDeletion)
			}
			return refs
		})
	} else {
		m.OwnerReferences = nil
	}
	if len(m.Finalizers) > 0 {
		fins := m.Finalizers
		key, ok := s.metaKey(kindFinalizers, func(m *metav1.ObjectMeta) { m.Finalizers = fins })
		m.Finalizers = shareValue(key, ok, func() []string { return internStrings(fins) })
	} else {
		m.Finalizers = nil
	}
}

func internMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[str(k)] = str(v)
	}
	return out
}

// internStrings returns a copy of ss with every string interned.
func internStrings(ss []string) []string {
	ss = slices.Clone(ss)
	for i := range ss {
		ss[i] = str(ss[i])
	}
	return ss
}

func (s *stripper) podSpec(spec *corev1.PodSpec) {
	if len(spec.Volumes) > 0 {
		vols := slices.Clone(spec.Volumes)
		for i := range vols {
			stripVolume(&vols[i])
		}
		key, ok := s.specKey(kindVolumes, func(spec *corev1.PodSpec) { spec.Volumes = vols })
		spec.Volumes = shareValue(key, ok, func() []corev1.Volume {
			for i := range vols {
				vols[i].Name = str(vols[i].Name)
			}
			makeValidUTF8(vols)
			return vols
		})
	} else {
		spec.Volumes = nil
	}
	spec.InitContainers = s.containers(spec.InitContainers)
	spec.Containers = s.containers(spec.Containers)
	if len(spec.EphemeralContainers) > 0 {
		spec.EphemeralContainers = exact(spec.EphemeralContainers)
		for i := range spec.EphemeralContainers {
			e := &spec.EphemeralContainers[i]
			c := corev1.Container(e.EphemeralContainerCommon)
			s.container(&c)
			e.EphemeralContainerCommon = corev1.EphemeralContainerCommon(c)
			e.TargetContainerName = str(e.TargetContainerName)
		}
	} else {
		spec.EphemeralContainers = nil
	}

	spec.RestartPolicy = strType(spec.RestartPolicy)
	spec.TerminationGracePeriodSeconds = nil
	spec.ActiveDeadlineSeconds = sharedInt(&s.buf, kindInt64, spec.ActiveDeadlineSeconds)
	spec.DNSPolicy = strType(spec.DNSPolicy)
	if len(spec.NodeSelector) > 0 {
		sel := spec.NodeSelector
		key, ok := s.specKey(kindNodeSelector, func(spec *corev1.PodSpec) { spec.NodeSelector = sel })
		spec.NodeSelector = shareValue(key, ok, func() map[string]string { return internMap(sel) })
	} else {
		spec.NodeSelector = nil
	}
	spec.ServiceAccountName = str(spec.ServiceAccountName)
	spec.DeprecatedServiceAccount = ""
	spec.AutomountServiceAccountToken = nil
	spec.NodeName = str(spec.NodeName)
	spec.ShareProcessNamespace = sharedBool(spec.ShareProcessNamespace)
	spec.SecurityContext = s.podSecurityContext(spec.SecurityContext)
	if len(spec.ImagePullSecrets) > 0 {
		secrets := spec.ImagePullSecrets
		key, ok := s.specKey(kindImagePullSecrets, func(spec *corev1.PodSpec) { spec.ImagePullSecrets = secrets })
		spec.ImagePullSecrets = shareValue(key, ok, func() []corev1.LocalObjectReference {
			secrets = slices.Clone(secrets)
			for i := range secrets {
				secrets[i].Name = str(secrets[i].Name)
			}
			return secrets
		})
	} else {
		spec.ImagePullSecrets = nil
	}
	spec.Hostname, spec.Subdomain = "", ""
	if spec.Affinity != nil {
		aff := spec.Affinity
		key, ok := s.specKey(kindAffinity, func(spec *corev1.PodSpec) { spec.Affinity = aff })
		spec.Affinity = shareValue(key, ok, func() *corev1.Affinity { makeValidUTF8(aff); return aff })
	}
	spec.SchedulerName = str(spec.SchedulerName)
	if len(spec.Tolerations) > 0 {
		tols := spec.Tolerations
		key, ok := s.specKey(kindTolerations, func(spec *corev1.PodSpec) { spec.Tolerations = tols })
		spec.Tolerations = shareValue(key, ok, func() []corev1.Toleration {
			tols = slices.Clone(tols)
			for i := range tols {
				t := &tols[i]
				t.Key, t.Operator, t.Value, t.Effect = str(t.Key), strType(t.Operator), str(t.Value), strType(t.Effect)
				t.TolerationSeconds = sharedInt(&s.buf, kindInt64, t.TolerationSeconds)
			}
			return tols
		})
	} else {
		spec.Tolerations = nil
	}
	spec.HostAliases = nil
	spec.PriorityClassName = str(spec.PriorityClassName)
	spec.Priority = sharedInt(&s.buf, kindInt32, spec.Priority)
	spec.DNSConfig = nil
	if len(spec.ReadinessGates) > 0 {
		gates := spec.ReadinessGates
		key, ok := s.specKey(kindReadinessGates, func(spec *corev1.PodSpec) { spec.ReadinessGates = gates })
		spec.ReadinessGates = shareValue(key, ok, func() []corev1.PodReadinessGate { return validSlice(exact(gates)) })
	} else {
		spec.ReadinessGates = nil
	}
	if spec.RuntimeClassName != nil {
		name := str(*spec.RuntimeClassName)
		spec.RuntimeClassName = &name
	}
	spec.EnableServiceLinks = nil
	spec.PreemptionPolicy = nil
	if len(spec.Overhead) > 0 {
		overhead := spec.Overhead
		key, ok := s.specKey(kindOverhead, func(spec *corev1.PodSpec) { spec.Overhead = overhead })
		spec.Overhead = shareValue(key, ok, func() corev1.ResourceList { makeValidUTF8(overhead); return overhead })
	} else {
		spec.Overhead = nil
	}
	if len(spec.TopologySpreadConstraints) > 0 {
		tsc := spec.TopologySpreadConstraints
		key, ok := s.specKey(kindTopologySpread, func(spec *corev1.PodSpec) { spec.TopologySpreadConstraints = tsc })
		spec.TopologySpreadConstraints = shareValue(key, ok, func() []corev1.TopologySpreadConstraint { return validSlice(exact(tsc)) })
	} else {
		spec.TopologySpreadConstraints = nil
	}
	spec.SetHostnameAsFQDN = nil
	spec.OS = nil
	spec.HostUsers = sharedBool(spec.HostUsers)
	if len(spec.SchedulingGates) > 0 {
		gates := spec.SchedulingGates
		key, ok := s.specKey(kindSchedulingGates, func(spec *corev1.PodSpec) { spec.SchedulingGates = gates })
		spec.SchedulingGates = shareValue(key, ok, func() []corev1.PodSchedulingGate { return validSlice(exact(gates)) })
	} else {
		spec.SchedulingGates = nil
	}
	if len(spec.ResourceClaims) > 0 {
		claims := spec.ResourceClaims
		key, ok := s.specKey(kindResourceClaims, func(spec *corev1.PodSpec) { spec.ResourceClaims = claims })
		spec.ResourceClaims = shareValue(key, ok, func() []corev1.PodResourceClaim { return validSlice(exact(claims)) })
	} else {
		spec.ResourceClaims = nil
	}
	if spec.Resources != nil {
		res := spec.Resources
		key, ok := s.specKey(kindPodResources, func(spec *corev1.PodSpec) { spec.Resources = res })
		spec.Resources = shareValue(key, ok, func() *corev1.ResourceRequirements { makeValidUTF8(res); return res })
	}
	spec.HostnameOverride = nil
	// Kept as decoded; rare, so not shared.
	if spec.SchedulingGroup != nil {
		makeValidUTF8(spec.SchedulingGroup)
	}
	if len(spec.EvictionResponders) > 0 {
		makeValidUTF8(spec.EvictionResponders)
	}
}

func (s *stripper) podSecurityContext(sc *corev1.PodSecurityContext) *corev1.PodSecurityContext {
	if sc == nil || (sc.RunAsNonRoot == nil && sc.RunAsUser == nil && len(sc.Sysctls) == 0) {
		return nil
	}
	kept := &corev1.PodSecurityContext{RunAsNonRoot: sc.RunAsNonRoot, RunAsUser: sc.RunAsUser, Sysctls: sc.Sysctls}
	key, ok := s.specKey(kindPodSecurityContext, func(spec *corev1.PodSpec) { spec.SecurityContext = kept })
	return shareValue(key, ok, func() *corev1.PodSecurityContext {
		kept.Sysctls = validSlice(exact(kept.Sysctls))
		kept.RunAsNonRoot = sharedBool(kept.RunAsNonRoot)
		return kept
	})
}

// containers strips a copy of each container, then shares the whole list:
// pods of one workload usually have identical containers.
func (s *stripper) containers(cs []corev1.Container) []corev1.Container {
	if len(cs) == 0 {
		return nil
	}
	// The pods of a workload decode to identical containers, and stripping
	// is a function of them alone: key them as decoded and strip only the
	// first pod's, so the others cost one hash (target in docs/performance.md: the first list's
	// transform is on the informer's only goroutine, on the way to the
	// first full page).
	raw, rawOK := s.specKey(kindDecodedContainers, func(spec *corev1.PodSpec) { spec.Containers = cs })
	return shareValue(raw, rawOK, func() []corev1.Container {
		cs := slices.Clone(cs)
		for i := range cs {
			s.container(&cs[i])
		}
		key, ok := s.specKey(kindContainers, func(spec *corev1.PodSpec) { spec.Containers = cs })
		return shareValue(key, ok, func() []corev1.Container { return cs })
	})
}

// container strips c. It only assigns c's own fields, never writes
// through them: on a second Transform they point to shared values. (Making
// strings valid UTF-8 writes only invalid ones, which no shared value holds.)
func (s *stripper) container(c *corev1.Container) {
	c.Name = str(c.Name)
	c.Image = str(c.Image)
	if len(c.Command) > 0 {
		cmd := c.Command
		key, ok := s.containerKey(kindStrings, func(c *corev1.Container) { c.Command = cmd })
		c.Command = shareValue(key, ok, func() []string { return internStrings(redactArgs(cmd, false)) })
	} else {
		c.Command = nil
	}
	if len(c.Args) > 0 {
		// The kubelet runs command and args as one argv, so a command
		// ending in --password takes its value from args[0].
		args, afterFlag, k := c.Args, endsWithSecretFlag(c.Command), kindStrings
		if afterFlag {
			k = kindArgsAfterSecretFlag
		}
		key, ok := s.containerKey(k, func(c *corev1.Container) { c.Command = args })
		c.Args = shareValue(key, ok, func() []string { return internStrings(redactArgs(args, afterFlag)) })
	} else {
		c.Args = nil
	}
	c.WorkingDir = ""
	if len(c.Ports) > 0 {
		ports := c.Ports
		key, ok := s.containerKey(kindPorts, func(c *corev1.Container) { c.Ports = ports })
		c.Ports = shareValue(key, ok, func() []corev1.ContainerPort {
			ports = slices.Clone(ports)
			for i := range ports {
				p := &ports[i]
				p.Name, p.Protocol, p.HostIP = str(p.Name), strType(p.Protocol), str(p.HostIP)
			}
			return ports
		})
	} else {
		c.Ports = nil
	}
	if len(c.EnvFrom) > 0 {
		from := c.EnvFrom
		key, ok := s.containerKey(kindEnvFrom, func(c *corev1.Container) { c.EnvFrom = from })
		c.EnvFrom = shareValue(key, ok, func() []corev1.EnvFromSource { return validSlice(exact(from)) })
	} else {
		c.EnvFrom = nil
	}
	if len(c.Env) > 0 {
		env := redactEnv(c.Env)
		key, ok := s.containerKey(kindEnv, func(c *corev1.Container) { c.Env = env })
		c.Env = shareValue(key, ok, func() []corev1.EnvVar {
			env = slices.Clone(env)
			for i := range env {
				env[i].Name, env[i].Value = str(env[i].Name), str(env[i].Value)
			}
			return validSlice(env) // the valueFrom references
		})
	} else {
		c.Env = nil
	}
	if len(c.Resources.Limits) > 0 || len(c.Resources.Requests) > 0 || len(c.Resources.Claims) > 0 {
		res := c.Resources
		key, ok := s.containerKey(kindResources, func(c *corev1.Container) { c.Resources = res })
		c.Resources = shareValue(key, ok, func() corev1.ResourceRequirements {
			res.Claims = exact(res.Claims)
			makeValidUTF8(&res)
			return res
		})
	} else {
		c.Resources = corev1.ResourceRequirements{}
	}
	c.ResizePolicy = nil
	if c.RestartPolicy != nil {
		rp := c.RestartPolicy
		key, ok := s.containerKey(kindContainerRestartPolicy, func(c *corev1.Container) { c.RestartPolicy = rp })
		c.RestartPolicy = shareValue(key, ok, func() *corev1.ContainerRestartPolicy { makeValidUTF8(rp); return rp })
	}
	if len(c.RestartPolicyRules) > 0 {
		makeValidUTF8(c.RestartPolicyRules) // kept as decoded: shared only as part of the container
	}
	c.VolumeMounts, c.VolumeDevices = nil, nil
	c.LivenessProbe = s.probe(c.LivenessProbe)
	c.ReadinessProbe = s.probe(c.ReadinessProbe)
	c.StartupProbe = s.probe(c.StartupProbe)
	if c.Lifecycle != nil {
		lc := c.Lifecycle
		key, ok := s.containerKey(kindLifecycle, func(c *corev1.Container) { c.Lifecycle = lc })
		c.Lifecycle = shareValue(key, ok, func() *corev1.Lifecycle {
			if lc.PostStart != nil {
				redactHandler(lc.PostStart.Exec, lc.PostStart.HTTPGet)
			}
			if lc.PreStop != nil {
				redactHandler(lc.PreStop.Exec, lc.PreStop.HTTPGet)
			}
			makeValidUTF8(lc)
			return lc
		})
	}
	c.TerminationMessagePath, c.TerminationMessagePolicy = "", ""
	c.ImagePullPolicy = strType(c.ImagePullPolicy)
	c.SecurityContext = s.securityContext(c.SecurityContext)
}

func (s *stripper) probe(p *corev1.Probe) *corev1.Probe {
	if p == nil {
		return nil
	}
	key, ok := s.containerKey(kindProbe, func(c *corev1.Container) { c.LivenessProbe = p })
	return shareValue(key, ok, func() *corev1.Probe {
		redactHandler(p.Exec, p.HTTPGet)
		makeValidUTF8(p)
		return p
	})
}

func (s *stripper) securityContext(sc *corev1.SecurityContext) *corev1.SecurityContext {
	if sc == nil || (sc.RunAsNonRoot == nil && sc.RunAsUser == nil) {
		return nil
	}
	kept := &corev1.SecurityContext{RunAsNonRoot: sc.RunAsNonRoot, RunAsUser: sc.RunAsUser}
	key, ok := s.containerKey(kindSecurityContext, func(c *corev1.Container) { c.SecurityContext = kept })
	return shareValue(key, ok, func() *corev1.SecurityContext {
		kept.RunAsNonRoot = sharedBool(kept.RunAsNonRoot)
		return kept
	})
}

// redactEnv returns env with every literal value redacted, copied if any
// value had to change.
func redactEnv(env []corev1.EnvVar) []corev1.EnvVar {
	copied := false
	for i := range env {
		if env[i].Value != "" && env[i].Value != RedactedEnvValue {
			if !copied {
				env, copied = slices.Clone(env), true
			}
			env[i].Value = RedactedEnvValue
		}
	}
	return env
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

func stripPodStatus(st *corev1.PodStatus) {
	st.Phase = strType(st.Phase)
	st.Conditions = exact(st.Conditions)
	for i := range st.Conditions {
		c := &st.Conditions[i]
		c.Type, c.Status, c.Reason, c.Message = strType(c.Type), strType(c.Status), str(c.Reason), str(c.Message)
	}
	st.Message, st.Reason = str(st.Message), str(st.Reason)
	st.NominatedNodeName = str(st.NominatedNodeName)
	st.HostIP = str(st.HostIP)
	st.HostIPs = nil
	st.PodIP = validString(st.PodIP)
	if st.PodIP != "" {
		st.PodIPs = nil
	} else {
		st.PodIPs = exact(st.PodIPs)
		for i := range st.PodIPs {
			st.PodIPs[i].IP = validString(st.PodIPs[i].IP)
		}
	}
	st.InitContainerStatuses = stripContainerStatuses(st.InitContainerStatuses)
	st.ContainerStatuses = stripContainerStatuses(st.ContainerStatuses)
	st.EphemeralContainerStatuses = stripContainerStatuses(st.EphemeralContainerStatuses)
	st.QOSClass = strType(st.QOSClass)
	st.Resize = strType(st.Resize)
	st.AllocatedResources, st.Resources = nil, nil
	// Kept as decoded; rare, so checked only when present.
	if len(st.ResourceClaimStatuses) > 0 {
		makeValidUTF8(st.ResourceClaimStatuses)
	}
	if st.ExtendedResourceClaimStatus != nil {
		makeValidUTF8(st.ExtendedResourceClaimStatus)
	}
	if len(st.NodeAllocatableResourceClaimStatuses) > 0 {
		makeValidUTF8(st.NodeAllocatableResourceClaimStatuses)
	}
	if len(st.VolumeHealth) > 0 {
		makeValidUTF8(st.VolumeHealth)
	}
}

func stripContainerStatuses(css []corev1.ContainerStatus) []corev1.ContainerStatus {
	css = exact(css)
	for i := range css {
		cs := &css[i]
		cs.Name = str(cs.Name)
		stripState(&cs.State)
		stripState(&cs.LastTerminationState)
		cs.Image = str(cs.Image)
		cs.ImageID, cs.ContainerID = "", ""
		cs.Started = sharedBool(cs.Started)
		cs.AllocatedResources, cs.Resources, cs.VolumeMounts, cs.User = nil, nil, nil, nil
		cs.AllocatedResourcesStatus, cs.StopSignal = nil, nil
	}
	return css
}

func stripState(s *corev1.ContainerState) {
	if w := s.Waiting; w != nil {
		w.Reason, w.Message = str(w.Reason), str(w.Message)
	}
	if t := s.Terminated; t != nil {
		t.Reason, t.Message, t.ContainerID = str(t.Reason), str(t.Message), ""
	}
}

func stripEvent(e *corev1.Event) *corev1.Event {
	return &corev1.Event{
		TypeMeta: metav1.TypeMeta{Kind: str(e.Kind), APIVersion: str(e.APIVersion)},
		ObjectMeta: metav1.ObjectMeta{
			Name:              validString(e.Name),
			Namespace:         str(e.Namespace),
			UID:               validType(e.UID),
			ResourceVersion:   validString(e.ResourceVersion),
			CreationTimestamp: e.CreationTimestamp,
			DeletionTimestamp: e.DeletionTimestamp,
		},
		InvolvedObject: corev1.ObjectReference{
			Kind: str(e.InvolvedObject.Kind), Namespace: str(e.InvolvedObject.Namespace), Name: validString(e.InvolvedObject.Name),
			UID: validType(e.InvolvedObject.UID), APIVersion: str(e.InvolvedObject.APIVersion),
			ResourceVersion: validString(e.InvolvedObject.ResourceVersion), FieldPath: str(e.InvolvedObject.FieldPath),
		},
		Reason:              str(e.Reason),
		Message:             str(e.Message),
		Source:              corev1.EventSource{Component: str(e.Source.Component), Host: str(e.Source.Host)},
		FirstTimestamp:      e.FirstTimestamp,
		LastTimestamp:       e.LastTimestamp,
		Count:               e.Count,
		Type:                str(e.Type),
		EventTime:           e.EventTime,
		Series:              e.Series,
		ReportingController: str(e.ReportingController),
		ReportingInstance:   str(e.ReportingInstance),
	}
}

func stripNode(n *corev1.Node) {
	n.ManagedFields = nil
	n.Annotations = nil
	n.Status.Images = nil
	n.Status.VolumesInUse = nil
	n.Status.VolumesAttached = nil
	// Nodes are few and change seldom: every string they keep is checked
	// by reflection, so a field a later API version adds is covered too.
	makeValidUTF8(n)
}
