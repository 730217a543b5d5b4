package diagnose

import (
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Thresholds after which a transient container state becomes a problem. A
// finding below its threshold is Info and says how long the state has lasted.
const (
	// pullGrace is how long a retryable image-pull failure (network, DNS,
	// rate limit, TLS, disk, unclassified) stays Info.
	pullGrace = 2 * time.Minute
	// pullSlowAfter is how long an image pull may run before it is Warning.
	pullSlowAfter = 5 * time.Minute
	// creatingGrace is how long ContainerCreating / PodInitializing (sandbox,
	// volumes, network) may last before it is a problem.
	creatingGrace = 3 * time.Minute
	// createRetryGrace is how long a runtime-side create error (name
	// reserved, deadline exceeded) stays Info.
	createRetryGrace = 3 * time.Minute
	// initRunningInfo and initRunningWarn bound how long a regular init
	// container may run (waiting for a dependency, migrating) before it is
	// worth an Info, then a Warning.
	initRunningInfo = 5 * time.Minute
	initRunningWarn = 15 * time.Minute
	// recentRestart is how far back a previous termination (and a probe
	// Killing event) still counts as current for a running container.
	recentRestart = 30 * time.Minute
	// probeWindow is how recent an Unhealthy event must be to count as a
	// current probe failure.
	probeWindow = 10 * time.Minute
)

// Codes of the container rules. They are stable: the UI, the JSON API and
// tests key on them.
const (
	// CodeImagePullBackOff: an image cannot be pulled (ErrImagePull,
	// ImagePullBackOff, RegistryUnavailable, SignatureValidationFailed); the
	// title names the class of the pull error (pullTable).
	CodeImagePullBackOff Code = "ImagePullBackOff"
	// CodeInvalidImageName: the image reference cannot be parsed.
	CodeInvalidImageName Code = "InvalidImageName"
	// CodeImageInspectError: the runtime cannot say whether the image is present.
	CodeImageInspectError Code = "ImageInspectError"
	// CodeErrImageNeverPull: imagePullPolicy Never and the image is not on the node.
	CodeErrImageNeverPull Code = "ErrImageNeverPull"
	// CodeImagePullSlow: an image pull has been running for a long time.
	CodeImagePullSlow Code = "ImagePullSlow"
	// CodeCrashLoopBackOff: a container keeps exiting and is being restarted
	// with back-off; the finding carries the last termination.
	CodeCrashLoopBackOff Code = "CrashLoopBackOff"
	// CodeOOMKilled: the kernel killed the container for exceeding memory;
	// used instead of CrashLoopBackOff / ContainerFailed when OOM is the cause.
	CodeOOMKilled Code = "OOMKilled"
	// CodeContainerFailed: a container has terminated with a non-zero exit code.
	CodeContainerFailed Code = "ContainerFailed"
	// CodeContainerCompleted: a container exited 0 in a restartPolicy Always pod.
	CodeContainerCompleted Code = "ContainerCompleted"
	// CodeContainerRestarted: a running container restarted recently.
	CodeContainerRestarted Code = "ContainerRestarted"
	// CodeCreateContainerConfigError: the container config cannot be built
	// (missing ConfigMap / Secret / key, runAsNonRoot).
	CodeCreateContainerConfigError Code = "CreateContainerConfigError"
	// CodeCreateContainerError: the runtime's CreateContainer call failed.
	CodeCreateContainerError Code = "CreateContainerError"
	// CodeRunContainerError: the runtime could not start the process
	// (RunContainerError, StartError, ContainerCannotRun).
	CodeRunContainerError Code = "RunContainerError"
	// CodePreCreateHookError: the kubelet's internal pre-create hook failed.
	CodePreCreateHookError Code = "PreCreateHookError"
	// CodePreStartHookError: the kubelet's internal pre-start hook failed
	// (alias m.internalLifecycle.PreStartContainer).
	CodePreStartHookError Code = "PreStartHookError"
	// CodePostStartHookError: the user's postStart hook failed.
	CodePostStartHookError Code = "PostStartHookError"
	// CodeContainerStatusUnknown: the container vanished from the runtime.
	CodeContainerStatusUnknown Code = "ContainerStatusUnknown"
	// CodeContainerWaiting: a waiting reason no table knows.
	CodeContainerWaiting Code = "ContainerWaiting"
	// CodeInitContainerFailed: a regular init container fails, so the app
	// containers never start.
	CodeInitContainerFailed Code = "InitContainerFailed"
	// CodeInitContainerRunning: a regular init container has been running long.
	CodeInitContainerRunning Code = "InitContainerRunning"
	// CodeSandboxCreateFailed: the pod sandbox (network namespace, pause
	// container) cannot be created.
	CodeSandboxCreateFailed Code = "SandboxCreateFailed"
	// CodeVolumeMountFailed: a volume cannot be mounted.
	CodeVolumeMountFailed Code = "VolumeMountFailed"
	// CodeVolumeAttachFailed: a volume cannot be attached to the node.
	CodeVolumeAttachFailed Code = "VolumeAttachFailed"
	// CodePodNetworkNotReady: the node's CNI network is not ready for the pod.
	CodePodNetworkNotReady Code = "PodNetworkNotReady"
	// CodeDynamicResourcesFailed: DRA resources cannot be prepared.
	CodeDynamicResourcesFailed Code = "DynamicResourcesFailed"
	// CodeContainerCreatingStuck: ContainerCreating for long with no event
	// explaining why.
	CodeContainerCreatingStuck Code = "ContainerCreatingStuck"
	// CodeLivenessProbeFailed: the liveness probe fails (and restarts the container).
	CodeLivenessProbeFailed Code = "LivenessProbeFailed"
	// CodeReadinessProbeFailed: the readiness probe fails; the pod is out of
	// its Services' endpoints.
	CodeReadinessProbeFailed Code = "ReadinessProbeFailed"
	// CodeStartupProbeFailed: the startup probe fails (and restarts the container).
	CodeStartupProbeFailed Code = "StartupProbeFailed"
)

// ctr is one container of a pod: its spec, its status and where both live.
type ctr struct {
	pod     *corev1.Pod
	spec    *corev1.Container // nil when the status names no spec container
	st      *corev1.ContainerStatus
	init    bool // listed under initContainers
	sidecar bool // an init container with restartPolicy Always
	// status is the status path prefix, e.g. "status.containerStatuses[app]".
	status string
	// specPath is the spec path prefix, e.g. "spec.containers[app]".
	specPath string
}

func newCtr(pod *corev1.Pod, st *corev1.ContainerStatus, init bool) ctr {
	c := ctr{pod: pod, st: st, init: init}
	specs := pod.Spec.Containers
	if init {
		specs = pod.Spec.InitContainers
		c.status = "status.initContainerStatuses[" + st.Name + "]"
		c.specPath = "spec.initContainers[" + st.Name + "]"
	} else {
		c.status = "status.containerStatuses[" + st.Name + "]"
		c.specPath = "spec.containers[" + st.Name + "]"
	}
	for i := range specs {
		if specs[i].Name == st.Name {
			c.spec = &specs[i]
			break
		}
	}
	if init && c.spec != nil && c.spec.RestartPolicy != nil && *c.spec.RestartPolicy == corev1.ContainerRestartPolicyAlways {
		c.sidecar = true
	}
	return c
}

// name is the container's name.
func (c ctr) name() string { return c.st.Name }

// image is the image from the spec, else from the status.
func (c ctr) image() string {
	if c.spec != nil && c.spec.Image != "" {
		return c.spec.Image
	}
	return c.st.Image
}

// blocksStart reports whether the container must finish before the app
// containers start (a regular init container).
func (c ctr) blocksStart() bool { return c.init && !c.sidecar }

// finding starts a finding about this container with the standard commands.
func (c ctr) finding(code Code, sev Severity, title, expl Text) Finding {
	return Finding{Code: code, Severity: sev, Container: c.name(), Title: title, Explanation: expl}
}

// ev adds one evidence value read from the status.
func (c ctr) ev(suffix, value string) Evidence {
	return Evidence{Source: c.status + suffix, Value: value}
}

// startedAt is when the pod's trouble could have started at the earliest:
// the kubelet's start time, else creation.
func podStart(pod *corev1.Pod) time.Time {
	if pod.Status.StartTime != nil && !pod.Status.StartTime.IsZero() {
		return pod.Status.StartTime.Time
	}
	return pod.CreationTimestamp.Time
}

// lasting returns the Info/escalated severity for a state that began at
// since: Info until grace has passed, then after. An unknown start is Info.
func lasting(since time.Time, now *clock, grace time.Duration, after Severity) Severity {
	if since.IsZero() || !now.reached(since, grace) {
		return Info
	}
	return after
}

// statusFor finds the status of the named container.
func statusFor(statuses []corev1.ContainerStatus, name string) *corev1.ContainerStatus {
	for i := range statuses {
		if statuses[i].Name == name {
			return &statuses[i]
		}
	}
	return nil
}

// initContainerRule explains failing or slow init containers. Init
// containers run one at a time, each to completion, before the app
// containers start (Kubernetes documentation, "Init Containers"), so only the
// first unfinished regular init container matters: the ones after it have
// not run. Sidecars (restartPolicy Always) are checked
// like app containers.
func initContainerRule(in PodInput, now *clock) []Finding {
	pod := in.Pod
	if len(pod.Status.InitContainerStatuses) == 0 || pod.DeletionTimestamp != nil {
		return nil
	}
	var out []Finding
	blocked := false
	for i := range pod.Spec.InitContainers {
		st := statusFor(pod.Status.InitContainerStatuses, pod.Spec.InitContainers[i].Name)
		if st == nil {
			break
		}
		c := newCtr(pod, st, true)
		if c.sidecar {
			out = checkContainer(out, c, in, now)
			continue
		}
		if blocked {
			continue
		}
		switch {
		case st.State.Terminated != nil && st.State.Terminated.ExitCode == 0:
			continue
		case st.State.Running != nil:
			out = initRunning(out, c, now)
		default:
			out = checkContainer(out, c, in, now)
		}
		blocked = true
	}
	return out
}

// containerRule explains app containers: waiting reasons (images, config,
// create/start errors, crash loops, hooks), terminated states and recent
// restarts; and pods stuck in ContainerCreating / PodInitializing.
func containerRule(in PodInput, now *clock) []Finding {
	pod := in.Pod
	if pod.DeletionTimestamp != nil {
		return nil
	}
	var out []Finding
	for i := range pod.Spec.Containers {
		st := statusFor(pod.Status.ContainerStatuses, pod.Spec.Containers[i].Name)
		if st == nil {
			continue
		}
		out = checkContainer(out, newCtr(pod, st, false), in, now)
	}
	return creating(out, in, now)
}

// checkContainer appends the findings for one container's current state.
func checkContainer(out []Finding, c ctr, in PodInput, now *clock) []Finding {
	st := c.st
	switch {
	case st.State.Waiting != nil:
		return checkWaiting(out, c, in, now)
	case st.State.Terminated != nil:
		return checkTerminated(out, c, in)
	case st.State.Running != nil:
		return checkRestarted(out, c, in, now)
	}
	return out
}

// checkWaiting dispatches on the waiting reason. The kubelet's reasons are
// the errors of pkg/kubelet/images/types.go (image pulls),
// pkg/kubelet/kuberuntime/kuberuntime_container.go (create, config, hooks)
// and pkg/kubelet/container/sync_result.go (CrashLoopBackOff,
// RunContainerError); StartError and ContainerCannotRun come from the
// runtime.
func checkWaiting(out []Finding, c ctr, in PodInput, now *clock) []Finding {
	w := c.st.State.Waiting
	switch w.Reason {
	case "", "ContainerCreating", "PodInitializing":
		return out // the pod-level creating check explains these
	case "CrashLoopBackOff":
		return crashLoop(out, c, in, now)
	case "ErrImagePull", "ImagePullBackOff", "RegistryUnavailable", "SignatureValidationFailed":
		return append(out, pullFinding(c, in, now))
	case "InvalidImageName", "ImageInspectError", "ErrImageNeverPull":
		return append(out, imageFinding(c, in))
	case "CreateContainerConfigError":
		return append(out, configError(c, in, now))
	case "CreateContainerError":
		return append(out, createError(c, in, now))
	case "RunContainerError", "StartError", "ContainerCannotRun":
		return append(out, runError(c, w.Message, in))
	case "PreCreateHookError", "PreStartHookError", "m.internalLifecycle.PreStartContainer", "PostStartHookError":
		return append(out, hookError(c, in))
	}
	f := c.finding(CodeContainerWaiting, Warning,
		T(msgWaitingTitle, c.name(), w.Reason),
		T(msgWaitingExpl, w.Reason))
	f.Evidence = []Evidence{c.ev(".state.waiting.reason", w.Reason)}
	if w.Message != "" {
		f.Evidence = append(f.Evidence, c.ev(".state.waiting.message", w.Message))
	}
	f.Actions = []Text{{Msg: msgWaitingAct}}
	f.Commands = []string{cmdDescribePod(c.pod), cmdPodEvents(c.pod)}
	return append(out, f)
}

// initRunning reports a regular init container that has run for long.
func initRunning(out []Finding, c ctr, now *clock) []Finding {
	started := c.st.State.Running.StartedAt.Time
	if started.IsZero() || !now.reached(started, initRunningInfo) {
		return out
	}
	sev := Info
	if now.reached(started, initRunningWarn) {
		sev = Warning
	}
	d := Since(started)
	f := c.finding(CodeInitContainerRunning, sev,
		T(msgInitRunningTitle, c.name(), d),
		T(msgInitRunningExpl, c.name(), d))
	f.Evidence = []Evidence{c.ev(".state.running.startedAt", started.UTC().Format(time.RFC3339))}
	if c.spec != nil && len(c.spec.Command)+len(c.spec.Args) > 0 {
		f.Evidence = append(f.Evidence, Evidence{Source: c.specPath + ".command", Value: strings.Join(append(append([]string(nil), c.spec.Command...), c.spec.Args...), " ")})
	}
	f.Actions = []Text{{Msg: msgInitRunningAct}}
	f.Commands = []string{cmdLogs(c.pod, c.name(), false), cmdDescribePod(c.pod)}
	f.Since = started
	return append(out, f)
}

// creating explains a scheduled pod whose containers are all still waiting in
// the default ContainerCreating / PodInitializing state (pkg/kubelet/
// kubelet_pods.go, convertToAPIContainerStatuses), through its events: volumes, sandbox, network, DRA, slow image pulls.
func creating(out []Finding, in PodInput, now *clock) []Finding {
	pod := in.Pod
	if pod.Spec.NodeName == "" || pod.Status.Phase != corev1.PodPending {
		return out
	}
	var waiting *corev1.ContainerStatus
	var waitingInit bool
	for li, list := range [2][]corev1.ContainerStatus{pod.Status.InitContainerStatuses, pod.Status.ContainerStatuses} {
		for i := range list {
			st := &list[i]
			switch {
			case st.State.Running != nil:
				return out
			case st.State.Terminated != nil:
				if st.State.Terminated.ExitCode != 0 {
					return out
				}
			case st.State.Waiting != nil:
				r := st.State.Waiting.Reason
				if r != "" && r != "ContainerCreating" && r != "PodInitializing" {
					return out
				}
				if waiting == nil {
					waiting, waitingInit = st, li == 0
				}
			}
		}
	}
	since := podStart(pod)
	for _, cnd := range pod.Status.Conditions {
		if cnd.Type == corev1.PodScheduled && cnd.Status == corev1.ConditionTrue && !cnd.LastTransitionTime.IsZero() {
			since = cnd.LastTransitionTime.Time
		}
	}
	d := Since(since)

	// The most recent event that explains the wait.
	var cause *corev1.Event
	var causeKind creatingCause
	var causeFirst time.Time
	for _, e := range in.Events {
		if e == nil {
			continue
		}
		k, ok := creatingEvents[e.Reason]
		if !ok || (!since.IsZero() && eventLastSeen(e).Before(since)) {
			continue
		}
		if cause == nil || eventLastSeen(e).After(eventLastSeen(cause)) {
			cause, causeKind = e, k
		}
		if f := eventFirstSeen(e); causeFirst.IsZero() || f.Before(causeFirst) {
			causeFirst = f
		}
	}
	if cause == nil {
		if f, ok := slowPull(pod, in.Events, now); ok {
			return append(out, f)
		}
		if since.IsZero() || !now.reached(since, creatingGrace) {
			return out
		}
	}
	var f Finding
	sev := lasting(since, now, creatingGrace, Warning)
	switch causeKind {
	case creatingMount:
		if mountMissing(cause.Message) && sev == Warning {
			sev = Critical
		}
		f = Finding{Code: CodeVolumeMountFailed, Severity: sev,
			Title:       T(msgMountTitle, volumeName(cause.Message), d),
			Explanation: Text{Msg: msgMountExpl}}
		f.Actions = []Text{{Msg: msgMountAct}}
		if mountMissing(cause.Message) {
			f.Actions = []Text{{Msg: msgMountMissingAct}, {Msg: msgMountAct}}
		}
	case creatingAttach:
		f = Finding{Code: CodeVolumeAttachFailed, Severity: sev,
			Title:       T(msgAttachTitle, volumeName(cause.Message), d),
			Explanation: Text{Msg: msgAttachExpl}}
		f.Actions = []Text{{Msg: msgAttachAct}}
	case creatingSandbox:
		cls := classifySandbox(cause.Message)
		f = Finding{Code: CodeSandboxCreateFailed, Severity: sev,
			Title:       T(msgSandboxTitle, d),
			Explanation: T(msgSandboxExpl, Text{Msg: sandboxExpl[cls]})}
		f.Actions = []Text{{Msg: sandboxAct[cls]}}
	case creatingNetwork:
		f = Finding{Code: CodePodNetworkNotReady, Severity: sev,
			Title:       T(msgNetTitle, pod.Spec.NodeName, d),
			Explanation: Text{Msg: msgNetExpl}}
		f.Actions = []Text{{Msg: msgNetAct}}
	case creatingDRA:
		f = Finding{Code: CodeDynamicResourcesFailed, Severity: sev,
			Title:       T(msgDRATitle, d),
			Explanation: Text{Msg: msgDRAExpl}}
		f.Actions = []Text{{Msg: msgDRAAct}}
	default:
		f = Finding{Code: CodeContainerCreatingStuck, Severity: Warning,
			Title:       T(msgStuckTitle, d),
			Explanation: T(msgStuckExpl, pod.Spec.NodeName)}
		f.Actions = []Text{{Msg: msgStuckAct}}
	}
	if waiting != nil {
		path := "status.containerStatuses["
		if waitingInit {
			path = "status.initContainerStatuses["
		}
		reason := waiting.State.Waiting.Reason
		if reason == "" {
			reason = `""`
		}
		f.Evidence = append(f.Evidence, Evidence{Source: path + waiting.Name + "].state.waiting.reason", Value: reason})
	}
	f.Evidence = append(f.Evidence, Evidence{Source: "spec.nodeName", Value: pod.Spec.NodeName})
	if cause != nil {
		f.Evidence = append(f.Evidence, eventEvidence(cause))
		f.Since = causeFirst
	} else {
		f.Since = since
	}
	f.Commands = []string{cmdDescribePod(pod), cmdPodEvents(pod)}
	switch causeKind {
	case creatingSandbox, creatingNetwork, creatingUnknown:
		f.Commands = append(f.Commands, cmdDescribeNode(pod.Spec.NodeName))
	case creatingMount, creatingAttach:
		f.Commands = append(f.Commands, cmdNamespaced(pod, "pvc,volumeattachments"))
	}
	return append(out, f)
}

// volumeName reads the quoted volume name from a FailedMount /
// FailedAttachVolume message ("… for volume \"config\" : …").
func volumeName(msg string) string {
	i := strings.Index(msg, `volume "`)
	if i < 0 {
		if j := strings.Index(msg, "unmounted volumes=["); j >= 0 {
			rest := msg[j+len("unmounted volumes=["):]
			if v, _, ok := strings.Cut(rest, "]"); ok {
				return v
			}
		}
		return "?"
	}
	rest := msg[i+len(`volume "`):]
	v, _, _ := strings.Cut(rest, `"`)
	return v
}

// itoa formats an int32 for evidence.
func itoa(n int32) string { return strconv.Itoa(int(n)) }

// Messages of this file.
var (
	msgWaitingTitle = &Message{EN: "Container %q is waiting: %s", ZH: "容器 %q 处于等待状态：%s"}
	msgWaitingExpl  = &Message{EN: "The container has not started; the kubelet reports waiting reason %s, which Podlens has no specific explanation for. The waiting message and the pod's events say more.", ZH: "容器尚未启动；kubelet 报告的等待原因是 %s，Podlens 对此没有专门的解释。请查看等待消息和 Pod 事件了解详情。"}
	msgWaitingAct   = &Message{EN: "Read the waiting message and the pod's Warning events; they name the failing step.", ZH: "查看等待消息和 Pod 的 Warning 事件，它们会指出失败的步骤。"}

	msgInitRunningTitle = &Message{EN: "Init container %q has been running for %s; the app containers wait for it", ZH: "Init 容器 %q 已运行 %s，应用容器仍在等待它完成"}
	msgInitRunningExpl  = &Message{EN: "Init containers run one after another and must exit 0 before any app container starts. %q has been running for %s: it is usually waiting for a dependency (database, Service, DNS) or doing slow work such as a migration.", ZH: "Init 容器按顺序运行，必须全部以 0 退出后应用容器才会启动。%q 已运行 %s：通常是在等待某个依赖（数据库、Service、DNS），或在执行迁移等耗时任务。"}
	msgInitRunningAct   = &Message{EN: "Read its logs to see what it waits for; check that the dependency it polls exists and is reachable from the pod.", ZH: "查看它的日志，确认它在等待什么；检查它轮询的依赖是否存在，且能从 Pod 内访问。"}

	msgMountTitle      = &Message{EN: "Volume %q cannot be mounted (pod stuck creating for %s)", ZH: "卷 %q 无法挂载（Pod 已卡在创建阶段 %s）"}
	msgMountExpl       = &Message{EN: "The kubelet mounts every volume before it creates the pod's containers, so they all wait while this mount fails.", ZH: "kubelet 会在创建容器之前挂载所有卷，因此这个卷挂载失败时所有容器都在等待。"}
	msgMountMissingAct = &Message{EN: "Create the missing Secret / ConfigMap (or key) in the pod's namespace, fix the name in the volume, or mark the volume source optional: true.", ZH: "在 Pod 所在命名空间中创建缺失的 Secret / ConfigMap（或键），修正卷中引用的名称，或将该卷来源设置为 optional: true。"}
	msgMountAct        = &Message{EN: "For PVCs check that the claim is Bound and the CSI node plugin on this node is healthy; a huge volume with fsGroup can also take long to chown.", ZH: "对于 PVC，确认其状态为 Bound，且本节点上的 CSI 节点插件运行正常；设置了 fsGroup 的大卷在修改属主时也可能耗时很长。"}

	msgAttachTitle = &Message{EN: "Volume %q cannot be attached to the node (pod stuck creating for %s)", ZH: "卷 %q 无法挂接到节点（Pod 已卡在创建阶段 %s）"}
	msgAttachExpl  = &Message{EN: "The attach/detach controller could not attach the volume to this pod's node. A ReadWriteOnce volume still attached to another node (Multi-Attach error) is the most common cause.", ZH: "attach/detach 控制器无法将卷挂接到 Pod 所在节点。最常见的原因是 ReadWriteOnce 卷仍挂接在另一个节点上（Multi-Attach 错误）。"}
	msgAttachAct   = &Message{EN: "Find the VolumeAttachment still holding the volume and the pod using it on the old node; check the cloud's attach limits and the CSI controller.", ZH: "找到仍占用该卷的 VolumeAttachment 以及旧节点上使用它的 Pod；检查云平台的挂接数量上限和 CSI 控制器。"}

	msgSandboxTitle = &Message{EN: "Pod sandbox cannot be created (pod stuck creating for %s)", ZH: "无法创建 Pod 沙箱（Pod 已卡在创建阶段 %s）"}
	msgSandboxExpl  = &Message{EN: "Before any container runs, the runtime creates the pod sandbox: the pause container and its network namespace, set up by the CNI plugin. %s", ZH: "在任何容器运行之前，容器运行时会先创建 Pod 沙箱：pause 容器及其网络命名空间（由 CNI 插件配置）。%s"}

	msgSandboxOtherExpl  = &Message{EN: "The event below has the runtime's error.", ZH: "下方事件中有容器运行时给出的错误。"}
	msgSandboxIPAMExpl   = &Message{EN: "The CNI plugin has no free IP address for the pod: the node's or subnet's IP pool is exhausted.", ZH: "CNI 插件无法为 Pod 分配 IP：节点或子网的 IP 地址池已耗尽。"}
	msgSandboxCNIExpl    = &Message{EN: "The CNI plugin failed to set up the pod's network.", ZH: "CNI 插件未能为 Pod 配置网络。"}
	msgSandboxPauseExpl  = &Message{EN: "The node cannot pull the sandbox (pause) image.", ZH: "节点无法拉取沙箱（pause）镜像。"}
	msgSandboxCgroupExpl = &Message{EN: "The runtime failed to set up the pod's cgroup.", ZH: "容器运行时未能为 Pod 创建 cgroup。"}
	msgSandboxOtherAct   = &Message{EN: "Check the container runtime and CNI logs on the node (journalctl -u containerd / crio, crictl pods).", ZH: "在节点上检查容器运行时和 CNI 的日志（journalctl -u containerd / crio，crictl pods）。"}
	msgSandboxIPAMAct    = &Message{EN: "Free or add IP addresses: enlarge the pod CIDR / subnet, lower max pods per node, or clean up leaked IPAM allocations.", ZH: "释放或增加 IP 地址：扩大 Pod CIDR / 子网、降低每节点最大 Pod 数，或清理泄漏的 IPAM 分配。"}
	msgSandboxCNIAct     = &Message{EN: "Check the CNI pods on this node (calico, cilium, flannel, aws-node …) and their logs.", ZH: "检查本节点上的 CNI Pod（calico、cilium、flannel、aws-node 等）及其日志。"}
	msgSandboxPauseAct   = &Message{EN: "Make the pause image reachable from the node (registry, mirror, proxy) or preload it; check the runtime's sandbox_image setting.", ZH: "确保节点能拉取 pause 镜像（镜像仓库、镜像加速、代理），或预先加载；检查运行时的 sandbox_image 配置。"}
	msgSandboxCgroupAct  = &Message{EN: "Check the node's cgroup driver (kubelet and runtime must agree) and the runtime's logs.", ZH: "检查节点的 cgroup 驱动（kubelet 与运行时必须一致）以及运行时日志。"}

	msgNetTitle = &Message{EN: "Network of node %s is not ready (pod stuck creating for %s)", ZH: "节点 %s 的网络未就绪（Pod 已卡在创建阶段 %s）"}
	msgNetExpl  = &Message{EN: "The container runtime reports NetworkReady=false (NetworkPluginNotReady): the CNI plugin is not installed, not configured (/etc/cni/net.d is empty) or has crashed, so no pod network can be set up on this node.", ZH: "容器运行时报告 NetworkReady=false（NetworkPluginNotReady）：CNI 插件未安装、未配置（/etc/cni/net.d 为空）或已崩溃，因此无法在此节点上为 Pod 配置网络。"}
	msgNetAct   = &Message{EN: "Check the CNI DaemonSet pod on this node and its logs; the node's Ready condition carries the same message.", ZH: "检查本节点上的 CNI DaemonSet Pod 及其日志；节点的 Ready 条件中也有相同的信息。"}

	msgDRATitle = &Message{EN: "Dynamic resources cannot be prepared (pod stuck creating for %s)", ZH: "无法准备动态资源（Pod 已卡在创建阶段 %s）"}
	msgDRAExpl  = &Message{EN: "The kubelet asks the DRA driver to prepare the pod's ResourceClaims before creating containers, and the driver returned an error.", ZH: "kubelet 在创建容器前会请求 DRA 驱动准备 Pod 的 ResourceClaim，而驱动返回了错误。"}
	msgDRAAct   = &Message{EN: "Check the DRA driver's kubelet plugin on this node and the ResourceClaim's status.", ZH: "检查本节点上 DRA 驱动的 kubelet 插件以及 ResourceClaim 的状态。"}

	msgStuckTitle = &Message{EN: "Containers have been creating for %s with no explaining event", ZH: "容器已处于创建阶段 %s，且没有可说明原因的事件"}
	msgStuckExpl  = &Message{EN: "All containers still show the default ContainerCreating / PodInitializing state, and no FailedMount, FailedCreatePodSandBox or NetworkNotReady event explains it (events expire after about an hour). The kubelet or the runtime on node %s may be slow or hung.", ZH: "所有容器仍处于默认的 ContainerCreating / PodInitializing 状态，也没有 FailedMount、FailedCreatePodSandBox 或 NetworkNotReady 事件说明原因（事件约一小时后过期）。节点 %s 上的 kubelet 或容器运行时可能响应缓慢或已挂起。"}
	msgStuckAct   = &Message{EN: "Describe the pod and the node; check the kubelet and runtime logs on the node (journalctl -u kubelet, crictl pods).", ZH: "查看 Pod 和节点的详细信息；在节点上检查 kubelet 和容器运行时的日志（journalctl -u kubelet，crictl pods）。"}
)

var sandboxExpl = [...]*Message{sandboxOther: msgSandboxOtherExpl, sandboxIPAM: msgSandboxIPAMExpl, sandboxCNI: msgSandboxCNIExpl, sandboxPause: msgSandboxPauseExpl, sandboxCgroup: msgSandboxCgroupExpl}
var sandboxAct = [...]*Message{sandboxOther: msgSandboxOtherAct, sandboxIPAM: msgSandboxIPAMAct, sandboxCNI: msgSandboxCNIAct, sandboxPause: msgSandboxPauseAct, sandboxCgroup: msgSandboxCgroupAct}

// containerCodes documents the codes of the container rules (init
// containers, containers, probes). One finding per problem: a crash loop
// whose last run was OOMKilled is reported as OOMKilled, one whose last run
// was a StartError as RunContainerError, and one caused by a liveness or
// startup probe as LivenessProbeFailed / StartupProbeFailed; a failing
// regular init container is InitContainerFailed; every other crash loop is
// CrashLoopBackOff carrying its last termination.
var containerCodes = []CodeInfo{
	{CodeImagePullBackOff, Critical, Message{EN: "An image cannot be pulled; the title names why (not found, unauthorized, rate limit, DNS, network, TLS, platform, disk, signature). Not-found, auth, platform and signature errors are Critical; retryable ones are Info for 2m, then Warning.", ZH: "镜像无法拉取；标题说明原因（不存在、未授权、限流、DNS、网络、TLS、平台、磁盘、签名）。不存在、未授权、平台和签名错误为 Critical；可重试的错误前 2 分钟为 Info，之后为 Warning。"},
		Message{EN: "waiting reason ErrImagePull, ImagePullBackOff, RegistryUnavailable or SignatureValidationFailed; Failed events \"Failed to pull image …\"", ZH: "等待原因为 ErrImagePull、ImagePullBackOff、RegistryUnavailable 或 SignatureValidationFailed；Failed 事件 \"Failed to pull image …\""},
		`Failed to pull image "docker.io/library/nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found`},
	{CodeInvalidImageName, Critical, Message{EN: "The image reference cannot be parsed.", ZH: "镜像引用无法解析。"},
		Message{EN: "waiting reason InvalidImageName; event InspectFailed", ZH: "等待原因为 InvalidImageName；InspectFailed 事件"},
		`Failed to apply default image tag "Shop/Cart:": couldn't parse image name "Shop/Cart:": invalid reference format`},
	{CodeImageInspectError, Warning, Message{EN: "The runtime cannot say whether the image is present.", ZH: "容器运行时无法确认镜像是否存在。"},
		Message{EN: "waiting reason ImageInspectError; event InspectFailed", ZH: "等待原因为 ImageInspectError；InspectFailed 事件"},
		`Failed to inspect image "registry.local/app:1.0": rpc error: code = Unknown desc = …`},
	{CodeErrImageNeverPull, Critical, Message{EN: "imagePullPolicy is Never and the image is not on the node.", ZH: "imagePullPolicy 为 Never，且节点上没有该镜像。"},
		Message{EN: "waiting reason ErrImageNeverPull", ZH: "等待原因为 ErrImageNeverPull"},
		`Container image "app:dev" is not present with pull policy of Never`},
	{CodeImagePullSlow, Info, Message{EN: "An image pull has been running for long: Info, Warning after 5m.", ZH: "镜像拉取耗时过长：先为 Info，超过 5 分钟后为 Warning。"},
		Message{EN: "a Pulling event with no Pulled event after it while the pod is ContainerCreating", ZH: "Pod 处于 ContainerCreating 时存在 Pulling 事件，但之后没有 Pulled 事件"},
		`Pulling image "ghcr.io/acme/ml-model:2.3"`},
	{CodeCrashLoopBackOff, Critical, Message{EN: "A container keeps exiting and is restarted with back-off; the finding carries the last termination (reason, exit code and its meaning, run time, message).", ZH: "容器反复退出并按退避策略重启；该发现附带上一次终止的信息（原因、退出码及其含义、运行时长、消息）。"},
		Message{EN: "waiting reason CrashLoopBackOff with lastState.terminated", ZH: "等待原因为 CrashLoopBackOff，并带有 lastState.terminated"},
		`back-off 40s restarting failed container=app pod=cart-7d9_shop(…)`},
	{CodeOOMKilled, Critical, Message{EN: "The kernel killed the container for exceeding memory; names the memory limit or says there is none. Warning once the container runs again.", ZH: "容器因内存超限被内核终止；会给出内存限制，或说明未设置限制。容器恢复运行后为 Warning。"},
		Message{EN: "state or lastState terminated with reason OOMKilled", ZH: "state 或 lastState 的终止原因为 OOMKilled"},
		`lastState.terminated: reason=OOMKilled exitCode=137`},
	{CodeContainerFailed, Warning, Message{EN: "A container terminated with a non-zero exit code (Info for a helper container in a Succeeded pod).", ZH: "容器以非 0 退出码终止（在已成功的 Pod 中，辅助容器的此类情况为 Info）。"},
		Message{EN: "state.terminated with exitCode ≠ 0", ZH: "state.terminated 的 exitCode 不为 0"},
		`state.terminated: reason=Error exitCode=1`},
	{CodeContainerCompleted, Warning, Message{EN: "A container exited 0 in a restartPolicy Always pod, so it will be restarted.", ZH: "restartPolicy 为 Always 的 Pod 中，容器以 0 退出，因此会被重启。"},
		Message{EN: "state.terminated reason Completed, exitCode 0, restartPolicy Always", ZH: "state.terminated 原因为 Completed、exitCode 为 0，且 restartPolicy 为 Always"},
		`state.terminated: reason=Completed exitCode=0`},
	{CodeContainerRestarted, Info, Message{EN: "A running container restarted within the last 30 minutes; its previous run is explained.", ZH: "运行中的容器在最近 30 分钟内重启过；给出上一次运行的情况。"},
		Message{EN: "state.running with lastState.terminated finished recently", ZH: "state.running，且 lastState.terminated 在最近结束"},
		`lastState.terminated: reason=Error exitCode=2`},
	{CodeCreateContainerConfigError, Critical, Message{EN: "The container's config cannot be built: a missing ConfigMap / Secret / key (named and cross-checked against the spec), or runAsNonRoot with a root image.", ZH: "无法生成容器配置：缺少 ConfigMap / Secret / 键（给出名称并与 spec 交叉核对），或设置了 runAsNonRoot 而镜像以 root 运行。"},
		Message{EN: "waiting reason CreateContainerConfigError", ZH: "等待原因为 CreateContainerConfigError"},
		`couldn't find key DB_PASSWORD in Secret shop/db-credentials`},
	{CodeCreateContainerError, Critical, Message{EN: "The runtime's CreateContainer call failed; a slow runtime (name reserved, deadline exceeded) is Info for 3m, then Warning.", ZH: "容器运行时的 CreateContainer 调用失败；运行时缓慢（名称被占用、超时）前 3 分钟为 Info，之后为 Warning。"},
		Message{EN: "waiting reason CreateContainerError", ZH: "等待原因为 CreateContainerError"},
		`failed to reserve container name "app_cart-7d9_shop_…_0": name "…" is reserved for "4f2…"`},
	{CodeRunContainerError, Critical, Message{EN: "The runtime could not start the process: command not found, permission denied, no such file, exec format error.", ZH: "容器运行时无法启动进程：找不到命令、权限不足、文件不存在或 exec format error。"},
		Message{EN: "waiting reason RunContainerError, or terminated reason StartError / ContainerCannotRun", ZH: "等待原因为 RunContainerError，或终止原因为 StartError / ContainerCannotRun"},
		`exec: "/app/server": stat /app/server: no such file or directory: unknown`},
	{CodePreCreateHookError, Critical, Message{EN: "The kubelet's internal pre-create hook (CPU / memory manager) failed.", ZH: "kubelet 内部的 pre-create 钩子（CPU / 内存管理器）执行失败。"},
		Message{EN: "waiting reason PreCreateHookError", ZH: "等待原因为 PreCreateHookError"},
		`Internal PreCreateContainer hook failed: …`},
	{CodePreStartHookError, Critical, Message{EN: "The kubelet's internal pre-start hook (CPU / memory / topology manager) failed; not the user's hooks.", ZH: "kubelet 内部的 pre-start 钩子（CPU / 内存 / 拓扑管理器）执行失败；与用户定义的钩子无关。"},
		Message{EN: "waiting reason PreStartHookError (alias m.internalLifecycle.PreStartContainer)", ZH: "等待原因为 PreStartHookError（别名 m.internalLifecycle.PreStartContainer）"},
		`Internal PreStartContainer hook failed: …`},
	{CodePostStartHookError, Critical, Message{EN: "The user's postStart hook failed and the kubelet killed the container.", ZH: "用户定义的 postStart 钩子执行失败，kubelet 终止了容器。"},
		Message{EN: "waiting reason PostStartHookError; events FailedPostStartHook, Killing \"FailedPostStartHook\"", ZH: "等待原因为 PostStartHookError；事件 FailedPostStartHook、Killing \"FailedPostStartHook\""},
		`PostStartHook failed`},
	{CodeContainerStatusUnknown, Warning, Message{EN: "The container vanished from the runtime; its exit code 137 is synthetic.", ZH: "容器从容器运行时中消失；其退出码 137 是合成的。"},
		Message{EN: "terminated reason ContainerStatusUnknown", ZH: "终止原因为 ContainerStatusUnknown"},
		`The container could not be located when the pod was terminated`},
	{CodeContainerWaiting, Warning, Message{EN: "A waiting reason Podlens has no specific explanation for; quoted verbatim.", ZH: "Podlens 没有专门解释的等待原因；原样引用。"},
		Message{EN: "any other non-empty waiting reason", ZH: "其他任何非空的等待原因"},
		`waiting.reason: SomeNewReason`},
	{CodeInitContainerFailed, Critical, Message{EN: "A regular init container fails (non-zero exit or crash loop), so the app containers never start.", ZH: "普通 Init 容器失败（非 0 退出或反复崩溃），应用容器因此永远不会启动。"},
		Message{EN: "initContainerStatuses: terminated exitCode ≠ 0 or waiting CrashLoopBackOff", ZH: "initContainerStatuses 中 terminated 的 exitCode 不为 0，或处于 CrashLoopBackOff 等待状态"},
		`Init:CrashLoopBackOff, lastState.terminated exitCode=1`},
	{CodeInitContainerRunning, Info, Message{EN: "A regular init container has been running for more than 5m (Warning after 15m).", ZH: "普通 Init 容器已运行超过 5 分钟（超过 15 分钟后为 Warning）。"},
		Message{EN: "initContainerStatuses: state.running since long", ZH: "initContainerStatuses 中 state.running 已持续很久"},
		`Init:0/1 for 20m`},
	{CodeSandboxCreateFailed, Warning, Message{EN: "The pod sandbox (pause container, CNI network, IP) cannot be created. Info for 3m.", ZH: "无法创建 Pod 沙箱（pause 容器、CNI 网络、IP）。前 3 分钟为 Info。"},
		Message{EN: "event FailedCreatePodSandBox while ContainerCreating", ZH: "ContainerCreating 期间出现 FailedCreatePodSandBox 事件"},
		`Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "…": plugin type="calico" failed (add): …`},
	{CodeVolumeMountFailed, Warning, Message{EN: "A volume cannot be mounted; Critical when a Secret / ConfigMap / key is missing. Info for 3m.", ZH: "卷无法挂载；缺少 Secret / ConfigMap / 键时为 Critical。前 3 分钟为 Info。"},
		Message{EN: "event FailedMount while ContainerCreating", ZH: "ContainerCreating 期间出现 FailedMount 事件"},
		`MountVolume.SetUp failed for volume "config" : configmap "app-config" not found`},
	{CodeVolumeAttachFailed, Warning, Message{EN: "A volume cannot be attached to the node (Multi-Attach). Info for 3m.", ZH: "卷无法挂接到节点（Multi-Attach）。前 3 分钟为 Info。"},
		Message{EN: "event FailedAttachVolume while ContainerCreating", ZH: "ContainerCreating 期间出现 FailedAttachVolume 事件"},
		`Multi-Attach error for volume "pvc-1f…" Volume is already exclusively attached to one node and can't be attached to another`},
	{CodePodNetworkNotReady, Warning, Message{EN: "The node's CNI network is not ready, so no pod network can be set up. Info for 3m. When the node's Ready condition says the same, this is folded into NodeNetworkNotReady.", ZH: "节点的 CNI 网络未就绪，无法为 Pod 配置网络。前 3 分钟为 Info。当节点的 Ready 状况也指出同一原因时，并入 NodeNetworkNotReady。"},
		Message{EN: "event NetworkNotReady (alias NetworkPluginNotReady) while ContainerCreating", ZH: "ContainerCreating 期间出现 NetworkNotReady 事件（别名 NetworkPluginNotReady）"},
		`network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized`},
	{CodeDynamicResourcesFailed, Warning, Message{EN: "DRA resource claims cannot be prepared. Info for 3m.", ZH: "无法准备 DRA 资源申领。前 3 分钟为 Info。"},
		Message{EN: "event FailedPrepareDynamicResources while ContainerCreating", ZH: "ContainerCreating 期间出现 FailedPrepareDynamicResources 事件"},
		`Failed to prepare dynamic resources: …`},
	{CodeContainerCreatingStuck, Warning, Message{EN: "Containers have been creating for more than 3m and no event explains why.", ZH: "容器处于创建阶段已超过 3 分钟，且没有事件说明原因。"},
		Message{EN: "ContainerCreating / PodInitializing for more than 3m without explaining events", ZH: "ContainerCreating / PodInitializing 超过 3 分钟，且无可说明原因的事件"},
		`waiting.reason: ContainerCreating`},
	{CodeLivenessProbeFailed, Critical, Message{EN: "The liveness probe fails and the kubelet restarts the container (Warning while failing without a restart).", ZH: "存活探针失败，kubelet 重启了容器（仅失败而尚未重启时为 Warning）。"},
		Message{EN: "events Unhealthy \"Liveness probe failed: …\" and Killing \"… failed liveness probe, will be restarted\"", ZH: "Unhealthy 事件 \"Liveness probe failed: …\" 和 Killing 事件 \"… failed liveness probe, will be restarted\""},
		`Liveness probe failed: Get "http://10.0.0.7:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`},
	{CodeReadinessProbeFailed, Warning, Message{EN: "The readiness probe fails; the pod is out of its Services' endpoints.", ZH: "就绪探针失败；Pod 已从 Service 端点中移除。"},
		Message{EN: "event Unhealthy \"Readiness probe failed: …\" while the container is running and not ready", ZH: "容器运行但未就绪时出现 Unhealthy 事件 \"Readiness probe failed: …\""},
		`Readiness probe failed: HTTP probe failed with statuscode: 503`},
	{CodeStartupProbeFailed, Critical, Message{EN: "The startup probe fails and the kubelet restarts the container (Warning while failing without a restart).", ZH: "启动探针失败，kubelet 重启了容器（仅失败而尚未重启时为 Warning）。"},
		Message{EN: "events Unhealthy \"Startup probe failed: …\" and Killing \"… failed startup probe, will be restarted\"", ZH: "Unhealthy 事件 \"Startup probe failed: …\" 和 Killing 事件 \"… failed startup probe, will be restarted\""},
		`Startup probe failed: dial tcp 10.0.0.7:8080: connect: connection refused`},
}

// containerMessages lists every Message of the container rules, so tests can
// check that each has both languages with the same fmt verbs.
var containerMessages = []*Message{
	msgWaitingTitle, msgWaitingExpl, msgWaitingAct, msgInitRunningTitle,
	msgInitRunningExpl, msgInitRunningAct, msgMountTitle, msgMountExpl,
	msgMountMissingAct, msgMountAct, msgAttachTitle, msgAttachExpl,
	msgAttachAct, msgSandboxTitle, msgSandboxExpl, msgSandboxOtherExpl,
	msgSandboxIPAMExpl, msgSandboxCNIExpl, msgSandboxPauseExpl, msgSandboxCgroupExpl,
	msgSandboxOtherAct, msgSandboxIPAMAct, msgSandboxCNIAct, msgSandboxPauseAct,
	msgSandboxCgroupAct, msgNetTitle, msgNetExpl, msgNetAct,
	msgDRATitle, msgDRAExpl, msgDRAAct, msgStuckTitle,
	msgStuckExpl, msgStuckAct, msgPullExpl, msgPullUnknownTitle,
	msgPullNotFoundTitle, msgPullAuthTitle, msgPullRateTitle, msgPullDNSTitle,
	msgPullNetworkTitle, msgPullTLSTitle, msgPullPlatformTitle, msgPullDiskTitle,
	msgPullSignatureTitle, msgPullInvalidTitle, msgPullUnknownExpl, msgPullNotFoundExpl,
	msgPullAuthExpl, msgPullRateExpl, msgPullDNSExpl, msgPullNetworkExpl,
	msgPullTLSExpl, msgPullPlatformExpl, msgPullDiskExpl, msgPullSignatureExpl,
	msgPullInvalidExpl, msgPullUnknownAct, msgPullNotFoundAct, msgPullAuthAct,
	msgPullRateAct, msgPullDNSAct, msgPullNetworkAct, msgPullTLSAct,
	msgPullPlatformAct, msgPullDiskAct, msgPullSignatureAct, msgPullInvalidAct,
	msgPullSecretsAct, msgPullNoSecretsAct, msgPullOnNodeAct, msgInvalidTitle,
	msgInvalidExpl, msgInvalidAct, msgInspectTitle, msgInspectExpl,
	msgInspectAct, msgNeverTitle, msgNeverExpl, msgNeverAct,
	msgSlowTitle, msgSlowExpl, msgSlowAct, msgBackoffUnknown,
	msgCrashTitle, msgCrashTitleNoLast, msgCrashCompletedTitle, msgCrashExpl,
	msgCrashExplNoLast, msgCrashCompletedExpl, msgInitCrashTitle, msgInitCrashTitleNoLast,
	msgInitCrashExpl, msgInitCrashExplNoLast, msgFailedTitle, msgInitFailedTitle,
	msgFailedExpl, msgSidecarAct, msgCompletedTitle, msgCompletedExpl,
	msgRestartedTitle, msgRestartedExpl, msgCrashLogsAct, msgCrashAppAct,
	msgCrashCmdAct, msgCrash137Act, msgCrashNativeAct, msgCrash143Act,
	msgCrashCompletedAct, msgOOMTitle, msgOOMNoLimitTitle, msgOOMExpl,
	msgOOMNoLimitExpl, msgOOMRaiseAct, msgOOMRuntimeAct, msgOOMEmptyDirAct,
	msgUnknownTitle, msgUnknownExpl, msgUnknownAct, msgCfgMissingTitle,
	msgCfgMissingExpl, msgCfgMissingAct, msgCfgKeyTitle, msgCfgKeyExpl,
	msgCfgKeyAct, msgCfgOptionalAct, msgCfgTitle, msgCfgExpl,
	msgNonRootTitle, msgNonRootExpl, msgNonRootUserTitle, msgNonRootUserExpl,
	msgNonRootAct, msgCreateExpl, msgRunExpl, msgStartUnknownTitle,
	msgStartNotFoundTitle, msgStartFormatTitle, msgStartPermTitle, msgStartNoFileTitle,
	msgStartReservedTitle, msgStartTimeoutTitle, msgStartUnknownExpl, msgStartNotFoundExpl,
	msgStartFormatExpl, msgStartPermExpl, msgStartNoFileExpl, msgStartReservedExpl,
	msgStartTimeoutExpl, msgStartUnknownAct, msgStartNotFoundAct, msgStartFormatAct,
	msgStartPermAct, msgStartNoFileAct, msgStartRuntimeSlowAct, msgPostStartTitle,
	msgPostStartExpl, msgPostStartAct, msgPreCreateTitle, msgPreCreateExpl,
	msgPreStartTitle, msgPreStartExpl, msgInternalHookAct, msgLivenessKilledTitle,
	msgLivenessFailingTitle, msgStartupKilledTitle, msgStartupFailingTitle, msgProbeKilledExpl,
	msgProbeFailingExpl, msgReadyTitle, msgReadyExpl, msgProbeOutRefused,
	msgProbeOutTimeout, msgProbeOutHTTP5xx, msgProbeOutHTTP4xx, msgProbeOutNetwork,
	msgProbeOutOther, msgProbeActRefused, msgProbeActTimeout, msgProbeActHTTP,
	msgProbeActHTTP4xx, msgProbeActOther, msgLivenessAct, msgStartupAct,
	msgReadyAct, msgExit0, msgExit1, msgExit2,
	msgExit126, msgExit127, msgExit128, msgExit130,
	msgExit134, msgExit135, msgExit137, msgExit139,
	msgExit143, msgExit255, msgExitSig, msgExitApp,
}
