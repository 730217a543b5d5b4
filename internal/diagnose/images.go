package diagnose

import (
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// pullEvent is the most recent kubelet event "Failed to pull image …" for c
// (pkg/kubelet/images/image_manager.go, EnsureImageExists): ImagePullBackOff's
// own message is only "Back-off pulling
// image", so the cause is in the earlier Failed event.
func pullEvent(c ctr, events []*corev1.Event) (*corev1.Event, time.Time) {
	return latestEvent(events, "Failed", func(e *corev1.Event) bool {
		return eventFor(e, c.name(), false) && strings.HasPrefix(strings.ToLower(e.Message), "failed to pull image")
	})
}

// pullFinding explains ErrImagePull, ImagePullBackOff, RegistryUnavailable
// and SignatureValidationFailed as one finding, classified by the runtime's
// error text (pullTable). Classes no retry fixes are Critical; the
// others stay Info for pullGrace, then Warning.
func pullFinding(c ctr, in PodInput, now *clock) Finding {
	w := c.st.State.Waiting
	ev, first := pullEvent(c, in.Events)
	cls := pullUnknown
	if w.Reason != "ImagePullBackOff" {
		cls = classifyPullError(w.Message)
	}
	if cls == pullUnknown && ev != nil {
		cls = classifyPullError(ev.Message)
	}
	switch {
	case cls == pullUnknown && w.Reason == "SignatureValidationFailed":
		cls = pullSignature
	case cls == pullUnknown && w.Reason == "RegistryUnavailable":
		cls = pullNetwork
	}
	since := first
	if since.IsZero() {
		since = podStart(c.pod)
	}
	sev := Critical
	switch cls {
	case pullNotFound, pullAuth, pullPlatform, pullSignature, pullInvalid:
	default:
		sev = lasting(since, now, pullGrace, Warning)
	}
	img := c.image()
	f := c.finding(CodeImagePullBackOff, sev,
		T(pullTitles[cls], c.name(), img),
		T(msgPullExpl, w.Reason, Since(since), Text{Msg: pullExpls[cls]}))
	f.Since = since
	f.Evidence = make([]Evidence, 0, 6)
	f.Evidence = append(f.Evidence,
		Evidence{Source: c.specPath + ".image", Value: img},
		c.ev(".state.waiting.reason", w.Reason))
	if w.Message != "" {
		f.Evidence = append(f.Evidence, c.ev(".state.waiting.message", w.Message))
	}
	if ev != nil {
		f.Evidence = append(f.Evidence, eventEvidence(ev))
	}
	f.Actions = []Text{{Msg: pullActs[cls]}}
	f.Commands = []string{cmdDescribePod(c.pod), cmdPodEvents(c.pod)}
	if cls == pullAuth {
		secrets := c.pod.Spec.ImagePullSecrets
		if len(secrets) == 0 {
			f.Evidence = append(f.Evidence, Evidence{Source: "spec.imagePullSecrets", Value: "[]"})
			f.Actions = append(f.Actions, T(msgPullNoSecretsAct, c.pod.Namespace))
		} else {
			names := make([]string, len(secrets))
			for i, s := range secrets {
				names[i] = s.Name
				f.Commands = append(f.Commands, cmdDescribe(c.pod, "secret", s.Name))
			}
			list := strings.Join(names, ", ")
			f.Evidence = append(f.Evidence, Evidence{Source: "spec.imagePullSecrets", Value: list})
			f.Actions = append(f.Actions, T(msgPullSecretsAct, list, c.pod.Namespace))
		}
		if e, _ := latestEvent(in.Events, "FailedToRetrieveImagePullSecret", nil); e != nil {
			f.Evidence = append(f.Evidence, eventEvidence(e))
		} else if e, _ := latestEvent(in.Events, "Failed", func(e *corev1.Event) bool {
			return strings.Contains(strings.ToLower(e.Message), "unable to retrieve some image pull secrets")
		}); e != nil {
			f.Evidence = append(f.Evidence, eventEvidence(e))
		}
		f.Commands = append(f.Commands, cmdServiceAccount(c.pod))
	}
	switch cls {
	case pullDNS, pullNetwork, pullTLS, pullDisk, pullSignature, pullUnknown, pullRateLimit:
		if c.pod.Spec.NodeName != "" {
			f.Actions = append(f.Actions, T(msgPullOnNodeAct, img))
			f.Commands = append(f.Commands, cmdDebugNode(c.pod.Spec.NodeName))
		}
	}
	return f
}

// imageFinding explains InvalidImageName, ImageInspectError and
// ErrImageNeverPull (pkg/kubelet/images/types.go).
func imageFinding(c ctr, in PodInput) Finding {
	w := c.st.State.Waiting
	img := c.image()
	var f Finding
	var ev *corev1.Event
	switch w.Reason {
	case "InvalidImageName":
		f = c.finding(CodeInvalidImageName, Critical, T(msgInvalidTitle, c.name(), img), Text{Msg: msgInvalidExpl})
		f.Actions = []Text{{Msg: msgInvalidAct}}
		ev, _ = latestEvent(in.Events, "InspectFailed", func(e *corev1.Event) bool { return eventFor(e, c.name(), true) })
	case "ImageInspectError":
		f = c.finding(CodeImageInspectError, Warning, T(msgInspectTitle, c.name(), img), Text{Msg: msgInspectExpl})
		f.Actions = []Text{{Msg: msgInspectAct}}
		ev, _ = latestEvent(in.Events, "InspectFailed", func(e *corev1.Event) bool { return eventFor(e, c.name(), true) })
	default: // ErrImageNeverPull
		f = c.finding(CodeErrImageNeverPull, Critical, T(msgNeverTitle, c.name(), img), T(msgNeverExpl, c.pod.Spec.NodeName))
		f.Actions = []Text{{Msg: msgNeverAct}}
		ev, _ = latestEvent(in.Events, "ErrImageNeverPull", func(e *corev1.Event) bool { return eventFor(e, c.name(), true) })
	}
	f.Evidence = []Evidence{
		{Source: c.specPath + ".image", Value: img},
		c.ev(".state.waiting.reason", w.Reason),
	}
	if w.Message != "" {
		f.Evidence = append(f.Evidence, c.ev(".state.waiting.message", w.Message))
	}
	if c.spec != nil && c.spec.ImagePullPolicy != "" {
		f.Evidence = append(f.Evidence, Evidence{Source: c.specPath + ".imagePullPolicy", Value: string(c.spec.ImagePullPolicy)})
	}
	if ev != nil {
		f.Evidence = append(f.Evidence, eventEvidence(ev))
		f.Since = eventFirstSeen(ev)
	}
	f.Commands = []string{cmdContainerSpec(c.pod, c.name(), c.init), cmdPodEvents(c.pod)}
	if w.Reason != "InvalidImageName" && c.pod.Spec.NodeName != "" {
		f.Commands = append(f.Commands, cmdDebugNode(c.pod.Spec.NodeName))
	}
	return f
}

// slowPull finds a container of a creating pod whose latest Pulling event has
// no Pulled event after it (the kubelet records Pulling before a pull and
// Pulled after it, pkg/kubelet/images/image_manager.go, EnsureImageExists).
func slowPull(pod *corev1.Pod, events []*corev1.Event, now *clock) (Finding, bool) {
	var pulling *corev1.Event
	for _, e := range events {
		if e == nil || e.Reason != "Pulling" {
			continue
		}
		name := eventContainer(e)
		done := false
		for _, p := range events {
			if p != nil && p.Reason == "Pulled" && eventContainer(p) == name && !eventLastSeen(p).Before(eventLastSeen(e)) {
				done = true
				break
			}
		}
		if !done && (pulling == nil || eventLastSeen(e).Before(eventLastSeen(pulling))) {
			pulling = e
		}
	}
	if pulling == nil {
		return Finding{}, false
	}
	since := eventLastSeen(pulling)
	name := eventContainer(pulling)
	img := strings.TrimPrefix(pulling.Message, "Pulling image ")
	img = strings.Trim(img, `"`)
	d := Since(since)
	f := Finding{Code: CodeImagePullSlow, Severity: lasting(since, now, pullSlowAfter, Warning), Container: name,
		Title:       T(msgSlowTitle, img, d),
		Explanation: T(msgSlowExpl, d),
		Evidence:    []Evidence{eventEvidence(pulling)},
		Actions:     []Text{{Msg: msgSlowAct}},
		Commands:    []string{cmdPodEvents(pod), cmdDescribeNode(pod.Spec.NodeName)},
		Since:       since,
	}
	return f, true
}

// Messages of this file.
var (
	msgPullExpl = &Message{EN: "The kubelet cannot pull the image (waiting reason %s, for %s). %s", ZH: "kubelet 无法拉取镜像（等待原因 %s，已持续 %s）。%s"}

	msgPullUnknownTitle   = &Message{EN: "Container %q: image %q cannot be pulled", ZH: "容器 %q：无法拉取镜像 %q"}
	msgPullNotFoundTitle  = &Message{EN: "Container %q: image %q not found", ZH: "容器 %q：镜像 %q 不存在"}
	msgPullAuthTitle      = &Message{EN: "Container %q: not authorized to pull image %q", ZH: "容器 %q：无权拉取镜像 %q"}
	msgPullRateTitle      = &Message{EN: "Container %q: registry rate-limits pulls of %q", ZH: "容器 %q：镜像仓库对 %q 的拉取进行了限流"}
	msgPullDNSTitle       = &Message{EN: "Container %q: registry host of %q cannot be resolved (DNS)", ZH: "容器 %q：无法解析镜像 %q 的仓库地址（DNS）"}
	msgPullNetworkTitle   = &Message{EN: "Container %q: registry of %q is unreachable", ZH: "容器 %q：无法连接镜像 %q 的仓库"}
	msgPullTLSTitle       = &Message{EN: "Container %q: TLS certificate error pulling %q", ZH: "容器 %q：拉取 %q 时 TLS 证书校验失败"}
	msgPullPlatformTitle  = &Message{EN: "Container %q: image %q has no build for the node's platform", ZH: "容器 %q：镜像 %q 没有适用于该节点平台的版本"}
	msgPullDiskTitle      = &Message{EN: "Container %q: no disk space on the node to pull %q", ZH: "容器 %q：节点磁盘空间不足，无法拉取 %q"}
	msgPullSignatureTitle = &Message{EN: "Container %q: signature of image %q was rejected", ZH: "容器 %q：镜像 %q 的签名校验未通过"}
	msgPullInvalidTitle   = &Message{EN: "Container %q: invalid image reference %q", ZH: "容器 %q：镜像引用 %q 无效"}

	msgPullUnknownExpl   = &Message{EN: "The runtime's error text fits no known category; read it below.", ZH: "容器运行时的错误信息不属于已知类别，请阅读下方原文。"}
	msgPullNotFoundExpl  = &Message{EN: "The registry answered that this repository, tag or digest does not exist. Retrying will not help.", ZH: "镜像仓库返回该仓库、标签或摘要不存在，重试无济于事。"}
	msgPullAuthExpl      = &Message{EN: "The registry refused the credentials (or their absence). Note that Docker Hub also answers \"pull access denied\" for repositories that do not exist.", ZH: "镜像仓库拒绝了提供的凭据（或未提供凭据）。注意：对于不存在的仓库，Docker Hub 同样返回 \"pull access denied\"。"}
	msgPullRateExpl      = &Message{EN: "The registry is throttling pulls from this node or account (HTTP 429); the kubelet retries with back-off.", ZH: "镜像仓库正在对该节点或账号的拉取进行限流（HTTP 429）；kubelet 会按退避策略重试。"}
	msgPullDNSExpl       = &Message{EN: "The node cannot resolve the registry's host name. Image pulls use the node's DNS (/etc/resolv.conf on the node), not the cluster DNS.", ZH: "节点无法解析镜像仓库的主机名。拉取镜像使用的是节点自身的 DNS（节点上的 /etc/resolv.conf），而不是集群 DNS。"}
	msgPullNetworkExpl   = &Message{EN: "The node cannot connect to the registry: timeout, refused or reset connection, or no route. It may be an outage or an egress firewall / proxy.", ZH: "节点无法连接镜像仓库：超时、连接被拒绝或重置，或无路由。可能是仓库故障，也可能是出口防火墙或代理的问题。"}
	msgPullTLSExpl       = &Message{EN: "The runtime does not trust the registry's certificate, or the registry speaks plain HTTP.", ZH: "容器运行时不信任镜像仓库的证书，或该仓库只支持 HTTP。"}
	msgPullPlatformExpl  = &Message{EN: "The image manifest has no variant for this node's OS / CPU architecture.", ZH: "镜像清单中没有与该节点操作系统 / CPU 架构匹配的版本。"}
	msgPullDiskExpl      = &Message{EN: "The node's image filesystem is full or broken, so layers cannot be extracted.", ZH: "节点的镜像文件系统已满或损坏，无法解压镜像层。"}
	msgPullSignatureExpl = &Message{EN: "The runtime's signature policy rejected the image.", ZH: "容器运行时的签名策略拒绝了该镜像。"}
	msgPullInvalidExpl   = &Message{EN: "The image string is not a valid reference.", ZH: "镜像字符串不是合法的引用。"}

	msgPullUnknownAct   = &Message{EN: "Read the runtime error below; try the same pull on the node with crictl pull.", ZH: "阅读下方运行时错误原文；在节点上用 crictl pull 尝试拉取同一镜像。"}
	msgPullNotFoundAct  = &Message{EN: "Check that the tag or digest exists in the registry (typo, CI did not push, wrong registry host) and fix the image field.", ZH: "确认镜像仓库中存在该标签或摘要（拼写错误、CI 未推送、仓库地址错误），并修正 image 字段。"}
	msgPullAuthAct      = &Message{EN: "Give the pod credentials for this registry: an imagePullSecret of type kubernetes.io/dockerconfigjson in the pod's namespace (directly or through its ServiceAccount), or the node's cloud credential provider; check that the token has not expired.", ZH: "为 Pod 提供该镜像仓库的凭据：在 Pod 所在命名空间中使用 kubernetes.io/dockerconfigjson 类型的 imagePullSecret（直接配置或通过 ServiceAccount），或使用节点的云凭据提供程序；确认令牌未过期。"}
	msgPullRateAct      = &Message{EN: "Pull through a registry mirror or with authenticated pulls, or copy the image to your own registry.", ZH: "通过镜像仓库加速器或带认证的方式拉取，或将镜像复制到自己的仓库。"}
	msgPullDNSAct       = &Message{EN: "Check the node's resolver configuration and private DNS zones for the registry host.", ZH: "检查节点的 DNS 解析配置，以及镜像仓库主机所在的私有 DNS 区域。"}
	msgPullNetworkAct   = &Message{EN: "Check egress from the node to the registry: firewall, NAT, HTTPS_PROXY for the runtime, and the registry's status.", ZH: "检查节点到镜像仓库的出口网络：防火墙、NAT、运行时的 HTTPS_PROXY 配置，以及仓库本身的状态。"}
	msgPullTLSAct       = &Message{EN: "Add the registry's CA to the runtime's trust (containerd certs.d/<host>/ca.crt, CRI-O /etc/containers/certs.d) or configure it as an insecure registry.", ZH: "将镜像仓库的 CA 加入运行时的信任列表（containerd 的 certs.d/<host>/ca.crt，CRI-O 的 /etc/containers/certs.d），或将其配置为 insecure registry。"}
	msgPullPlatformAct  = &Message{EN: "Build and push a multi-arch image, or schedule the pod onto nodes of the image's architecture (nodeSelector kubernetes.io/arch).", ZH: "构建并推送多架构镜像，或通过 nodeSelector kubernetes.io/arch 将 Pod 调度到与镜像架构一致的节点。"}
	msgPullDiskAct      = &Message{EN: "Free disk on the node (image garbage collection, DiskPressure) or move the pod to another node.", ZH: "清理节点磁盘（镜像垃圾回收、DiskPressure），或将 Pod 调度到其他节点。"}
	msgPullSignatureAct = &Message{EN: "Sign the image as the runtime's policy requires, or fix the policy (issuer, subject, keys).", ZH: "按运行时签名策略的要求为镜像签名，或修正策略（issuer、subject、密钥）。"}
	msgPullInvalidAct   = &Message{EN: "Fix the image field: lowercase repository, no empty tag, no unexpanded template variables.", ZH: "修正 image 字段：仓库名须为小写，标签不能为空，不能有未展开的模板变量。"}

	msgPullSecretsAct   = &Message{EN: "The pod uses imagePullSecrets %s: check that they exist in namespace %s and hold credentials for this registry.", ZH: "Pod 使用的 imagePullSecrets 为 %s：确认它们存在于命名空间 %s 中，且包含该镜像仓库的凭据。"}
	msgPullNoSecretsAct = &Message{EN: "The pod has no imagePullSecrets: create one in namespace %s and add it to the pod or its ServiceAccount, unless the node has registry credentials.", ZH: "Pod 没有配置 imagePullSecrets：除非节点本身有镜像仓库凭据，否则请在命名空间 %s 中创建一个，并加到 Pod 或其 ServiceAccount 中。"}
	msgPullOnNodeAct    = &Message{EN: "Reproduce on the node: open a debug shell, chroot /host, then crictl pull %s.", ZH: "在节点上复现：打开调试 Shell，执行 chroot /host，然后运行 crictl pull %s。"}

	msgInvalidTitle = &Message{EN: "Container %q: image name %q is invalid", ZH: "容器 %q：镜像名称 %q 无效"}
	msgInvalidExpl  = &Message{EN: "The kubelet cannot parse the image reference, so it never tries to pull it.", ZH: "kubelet 无法解析镜像引用，因此根本不会尝试拉取。"}
	msgInvalidAct   = &Message{EN: "Fix the image field in the pod template: lowercase repository, valid tag or digest, no unexpanded variables such as ${TAG}.", ZH: "修正 Pod 模板中的 image 字段：仓库名须为小写，标签或摘要须合法，不能有 ${TAG} 这类未展开的变量。"}

	msgInspectTitle = &Message{EN: "Container %q: runtime cannot inspect image %q", ZH: "容器 %q：容器运行时无法检查镜像 %q"}
	msgInspectExpl  = &Message{EN: "The kubelet could not ask the container runtime whether the image is present: the runtime or its image store is unhealthy.", ZH: "kubelet 无法向容器运行时查询镜像是否存在：运行时或其镜像存储不正常。"}
	msgInspectAct   = &Message{EN: "Check the runtime on the node (systemctl status containerd / crio, crictl images) and its disk; a corrupt image store may need cleaning.", ZH: "检查节点上的容器运行时（systemctl status containerd / crio，crictl images）及其磁盘；镜像存储损坏时可能需要清理。"}

	msgNeverTitle = &Message{EN: "Container %q: image %q is not on the node and pull policy is Never", ZH: "容器 %q：节点上没有镜像 %q，且拉取策略为 Never"}
	msgNeverExpl  = &Message{EN: "With imagePullPolicy Never the kubelet only uses images already present on the node (%s); this one is not.", ZH: "imagePullPolicy 为 Never 时，kubelet 只使用节点（%s）上已有的镜像，而该镜像不在节点上。"}
	msgNeverAct   = &Message{EN: "Preload the exact image and tag on every node (kind load, minikube image load, ctr -n k8s.io images import) or change imagePullPolicy to IfNotPresent.", ZH: "在每个节点上预先加载完全相同的镜像和标签（kind load、minikube image load、ctr -n k8s.io images import），或将 imagePullPolicy 改为 IfNotPresent。"}

	msgSlowTitle = &Message{EN: "Image %q has been pulling for %s", ZH: "镜像 %q 已拉取了 %s"}
	msgSlowExpl  = &Message{EN: "The kubelet started pulling the image %s ago and has not finished: the image is large, the registry or the node's network is slow, or pulls are serialized behind others.", ZH: "kubelet 在 %s 前开始拉取镜像，至今尚未完成：镜像较大、仓库或节点网络较慢，或拉取被其他镜像排队阻塞。"}
	msgSlowAct   = &Message{EN: "Shrink the image, use a registry mirror close to the nodes, or pre-pull it; check the kubelet's serializeImagePulls setting.", ZH: "减小镜像体积、使用离节点更近的镜像加速器或预先拉取；检查 kubelet 的 serializeImagePulls 配置。"}
)

var pullTitles = [...]*Message{
	pullUnknown: msgPullUnknownTitle, pullNotFound: msgPullNotFoundTitle, pullAuth: msgPullAuthTitle,
	pullRateLimit: msgPullRateTitle, pullDNS: msgPullDNSTitle, pullNetwork: msgPullNetworkTitle,
	pullTLS: msgPullTLSTitle, pullPlatform: msgPullPlatformTitle, pullDisk: msgPullDiskTitle,
	pullSignature: msgPullSignatureTitle, pullInvalid: msgPullInvalidTitle,
}

var pullExpls = [...]*Message{
	pullUnknown: msgPullUnknownExpl, pullNotFound: msgPullNotFoundExpl, pullAuth: msgPullAuthExpl,
	pullRateLimit: msgPullRateExpl, pullDNS: msgPullDNSExpl, pullNetwork: msgPullNetworkExpl,
	pullTLS: msgPullTLSExpl, pullPlatform: msgPullPlatformExpl, pullDisk: msgPullDiskExpl,
	pullSignature: msgPullSignatureExpl, pullInvalid: msgPullInvalidExpl,
}

var pullActs = [...]*Message{
	pullUnknown: msgPullUnknownAct, pullNotFound: msgPullNotFoundAct, pullAuth: msgPullAuthAct,
	pullRateLimit: msgPullRateAct, pullDNS: msgPullDNSAct, pullNetwork: msgPullNetworkAct,
	pullTLS: msgPullTLSAct, pullPlatform: msgPullPlatformAct, pullDisk: msgPullDiskAct,
	pullSignature: msgPullSignatureAct, pullInvalid: msgPullInvalidAct,
}
