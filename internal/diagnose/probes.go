package diagnose

import (
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// probeRule explains liveness, readiness and startup probe failures from the
// kubelet's Unhealthy and Killing events (probePrefixes,
// probeKillFragments), with the configured
// probe quoted next to the failure. Liveness / startup failures that restart
// the container are Critical; failing without a restart yet is Warning; a
// failing readiness probe takes the pod out of its Services' endpoints
// (Warning). Events expire, so this rule only adds to the status-based ones.
func probeRule(in PodInput, now *clock) []Finding {
	pod := in.Pod
	if pod.DeletionTimestamp != nil || len(in.Events) == 0 {
		return nil
	}
	var out []Finding
	for i := range pod.Status.InitContainerStatuses {
		c := newCtr(pod, &pod.Status.InitContainerStatuses[i], true)
		if c.sidecar {
			out = checkProbes(out, c, in.Events, now)
		}
	}
	for i := range pod.Status.ContainerStatuses {
		out = checkProbes(out, newCtr(pod, &pod.Status.ContainerStatuses[i], false), in.Events, now)
	}
	return out
}

// probeEvents gathers one container's Unhealthy events per probe kind.
type probeEvents struct {
	latest [4]*corev1.Event
	first  [4]time.Time
	count  [4]int32
}

func checkProbes(out []Finding, c ctr, events []*corev1.Event, now *clock) []Finding {
	var pe probeEvents
	for _, e := range events {
		if e == nil || e.Reason != "Unhealthy" || !eventFor(e, c.name(), false) {
			continue
		}
		k := unhealthyKind(e.Message)
		if k == probeNone {
			continue
		}
		if pe.latest[k] == nil || eventLastSeen(e).After(eventLastSeen(pe.latest[k])) {
			pe.latest[k] = e
		}
		if f := eventFirstSeen(e); pe.first[k].IsZero() || f.Before(pe.first[k]) {
			pe.first[k] = f
		}
		pe.count[k] += EventCount(e)
	}
	kill := probeKill(events, c.name(), now)
	for _, k := range [...]probeKind{probeStartup, probeLiveness} {
		killed := kill != nil && killingKind(kill.Message) == k
		failing := pe.latest[k] != nil && now.within(eventLastSeen(pe.latest[k]), probeWindow)
		if !killed && !failing {
			continue
		}
		out = append(out, restartingProbe(c, k, killed, kill, &pe, now))
	}
	r := pe.latest[probeReadiness]
	if r != nil && now.within(eventLastSeen(r), probeWindow) && c.st.State.Running != nil && !c.st.Ready {
		f := c.finding(CodeReadinessProbeFailed, Warning, T(msgReadyTitle, c.name()),
			T(msgReadyExpl, probeOutput(r.Message), Text{Msg: probeOutputExpl(r.Message)}))
		f.Evidence = make([]Evidence, 0, 4)
		f.Evidence = append(f.Evidence, eventEvidence(r), c.ev(".ready", "false"))
		if c.spec != nil && c.spec.ReadinessProbe != nil {
			f.Evidence = append(f.Evidence, Evidence{Source: c.specPath + ".readinessProbe", Value: probeString(c.spec.ReadinessProbe)})
		}
		f.Actions = []Text{{Msg: probeOutputAct(r.Message)}, {Msg: msgReadyAct}}
		f.Commands = []string{cmdDescribePod(c.pod), cmdLogs(c.pod, c.name(), false), cmdEndpoints(c.pod)}
		f.Since = pe.first[probeReadiness]
		out = append(out, f)
	}
	return out
}

// restartingProbe is the finding for a failing liveness or startup probe.
func restartingProbe(c ctr, k probeKind, killed bool, kill *corev1.Event, pe *probeEvents, now *clock) Finding {
	code, probe, field := CodeLivenessProbeFailed, (*corev1.Probe)(nil), ".livenessProbe"
	titleKilled, titleFailing := msgLivenessKilledTitle, msgLivenessFailingTitle
	if k == probeStartup {
		code, field = CodeStartupProbeFailed, ".startupProbe"
		titleKilled, titleFailing = msgStartupKilledTitle, msgStartupFailingTitle
		if c.spec != nil {
			probe = c.spec.StartupProbe
		}
	} else if c.spec != nil {
		probe = c.spec.LivenessProbe
	}
	var f Finding
	out := ""
	outExpl := msgProbeOutOther
	if e := pe.latest[k]; e != nil {
		out = probeOutput(e.Message)
		outExpl = probeOutputExpl(e.Message)
	}
	if killed {
		// A kill is Critical while the container is still being restarted
		// (crash loop, or a kill within probeWindow); an older kill of a
		// container that has run since is a Warning.
		sev := Warning
		if w := c.st.State.Waiting; (w != nil && w.Reason == "CrashLoopBackOff") || now.within(eventLastSeen(kill), probeWindow) {
			sev = Critical
		}
		f = c.finding(code, sev, T(titleKilled, c.name(), int(c.st.RestartCount)),
			T(msgProbeKilledExpl, orDash(out), Text{Msg: outExpl}))
	} else {
		f = c.finding(code, Warning, T(titleFailing, c.name()),
			T(msgProbeFailingExpl, orDash(out), Text{Msg: outExpl}))
	}
	f.Evidence = make([]Evidence, 0, 8)
	if e := pe.latest[k]; e != nil {
		f.Evidence = append(f.Evidence, eventEvidence(e))
		f.Since = pe.first[k]
	}
	if killed {
		f.Evidence = append(f.Evidence, eventEvidence(kill))
		if f.Since.IsZero() {
			f.Since = eventFirstSeen(kill)
		}
	}
	if probe != nil {
		f.Evidence = append(f.Evidence, Evidence{Source: c.specPath + field, Value: probeString(probe)})
	}
	if w := c.st.State.Waiting; w != nil && w.Reason == "CrashLoopBackOff" {
		f.Evidence = append(f.Evidence, c.ev(".state.waiting.reason", w.Reason))
		if w.Message != "" {
			f.Evidence = append(f.Evidence, c.ev(".state.waiting.message", w.Message))
		}
	}
	f.Evidence = append(f.Evidence, c.ev(".restartCount", itoa(c.st.RestartCount)))
	if t := c.st.LastTerminationState.Terminated; t != nil {
		f.Evidence = append(f.Evidence, c.ev(".lastState.terminated.exitCode", itoa(t.ExitCode)))
	}
	lastMsg := ""
	if e := pe.latest[k]; e != nil {
		lastMsg = e.Message
	}
	f.Actions = []Text{{Msg: probeOutputAct(lastMsg)}}
	if k == probeLiveness {
		f.Actions = append(f.Actions, Text{Msg: msgLivenessAct})
	} else {
		f.Actions = append(f.Actions, Text{Msg: msgStartupAct})
	}
	f.Commands = []string{cmdDescribePod(c.pod), cmdLogs(c.pod, c.name(), killed), cmdPodEvents(c.pod)}
	return f
}

// probeOutput strips the "<Type> probe failed: " prefix off an Unhealthy message.
func probeOutput(msg string) string {
	if _, after, ok := strings.Cut(msg, ": "); ok {
		return strings.TrimSpace(after)
	}
	return msg
}

// probeOutTable classifies probe output: what the kubelet's HTTP, TCP and
// gRPC probers report (pkg/probe/http/http.go "HTTP probe failed with
// statuscode: …", pkg/probe/tcp/tcp.go) and Go's net errors inside them.
var probeOutTable = []struct {
	frags []fragment
	expl  *Message
	act   *Message
}{
	{any1("connection refused"), msgProbeOutRefused, msgProbeActRefused},
	{any1("context deadline exceeded", "timeout", "timed out"), msgProbeOutTimeout, msgProbeActTimeout},
	{any1("statuscode: 5", "status code: 5"), msgProbeOutHTTP5xx, msgProbeActHTTP},
	{any1("statuscode: 4", "status code: 4"), msgProbeOutHTTP4xx, msgProbeActHTTP4xx},
	{any1("no such host", "connect: no route to host", "network is unreachable"), msgProbeOutNetwork, msgProbeActRefused},
}

func probeOutClass(msg string) int {
	lower := strings.ToLower(msg)
	for i, row := range probeOutTable {
		for _, f := range row.frags {
			if f.matches(lower) {
				return i
			}
		}
	}
	return -1
}

func probeOutputExpl(msg string) *Message {
	if i := probeOutClass(msg); i >= 0 {
		return probeOutTable[i].expl
	}
	return msgProbeOutOther
}

func probeOutputAct(msg string) *Message {
	if i := probeOutClass(msg); i >= 0 {
		return probeOutTable[i].act
	}
	return msgProbeActOther
}

// probeString prints a probe the way describe does, with defaults filled in:
// "httpGet :8080/healthz initialDelaySeconds=0 periodSeconds=10 timeoutSeconds=1 failureThreshold=3".
func probeString(p *corev1.Probe) string {
	var b strings.Builder
	b.WriteString(handlerString(&corev1.LifecycleHandler{Exec: p.Exec, HTTPGet: p.HTTPGet, TCPSocket: p.TCPSocket}))
	if p.GRPC != nil {
		b.WriteString("grpc :" + strconv.Itoa(int(p.GRPC.Port)))
		if p.GRPC.Service != nil && *p.GRPC.Service != "" {
			b.WriteString(" service=" + *p.GRPC.Service)
		}
	}
	def := func(v, d int32) int32 {
		if v == 0 {
			return d
		}
		return v
	}
	b.WriteString(" initialDelaySeconds=" + itoa(p.InitialDelaySeconds))
	b.WriteString(" periodSeconds=" + itoa(def(p.PeriodSeconds, 10)))
	b.WriteString(" timeoutSeconds=" + itoa(def(p.TimeoutSeconds, 1)))
	b.WriteString(" failureThreshold=" + itoa(def(p.FailureThreshold, 3)))
	return strings.TrimSpace(b.String())
}

// handlerString prints an exec / httpGet / tcpSocket / sleep handler.
func handlerString(h *corev1.LifecycleHandler) string {
	switch {
	case h.Exec != nil:
		return "exec " + quoteArgs(h.Exec.Command)
	case h.HTTPGet != nil:
		s := "httpGet "
		if h.HTTPGet.Scheme == corev1.URISchemeHTTPS {
			s += "https://"
		}
		return s + h.HTTPGet.Host + ":" + h.HTTPGet.Port.String() + h.HTTPGet.Path
	case h.TCPSocket != nil:
		return "tcpSocket " + h.TCPSocket.Host + ":" + h.TCPSocket.Port.String()
	case h.Sleep != nil:
		return "sleep " + strconv.FormatInt(h.Sleep.Seconds, 10) + "s"
	}
	return ""
}

// Messages of this file.
var (
	msgLivenessKilledTitle  = &Message{EN: "Container %q is restarted by its failing liveness probe (restart count %d)", ZH: "容器 %q 因存活探针失败被重启（已重启 %d 次）"}
	msgLivenessFailingTitle = &Message{EN: "Container %q: liveness probe is failing", ZH: "容器 %q：存活探针检查失败"}
	msgStartupKilledTitle   = &Message{EN: "Container %q is restarted by its failing startup probe (restart count %d)", ZH: "容器 %q 因启动探针失败被重启（已重启 %d 次）"}
	msgStartupFailingTitle  = &Message{EN: "Container %q: startup probe is failing", ZH: "容器 %q：启动探针检查失败"}
	msgProbeKilledExpl      = &Message{EN: "The probe failed failureThreshold times in a row (last output: %s), so the kubelet killed the container and restarted it; the exit code 137 that follows is that kill, not a crash. %s", ZH: "探针连续失败达到 failureThreshold 次（最近输出：%s），kubelet 因此终止并重启了容器；随后的退出码 137 正是这次强制终止，而非崩溃。%s"}
	msgProbeFailingExpl     = &Message{EN: "The probe is failing (last output: %s); once it fails failureThreshold times in a row, the kubelet restarts the container. %s", ZH: "探针检查失败（最近输出：%s）；连续失败达到 failureThreshold 次后，kubelet 将重启容器。%s"}
	msgReadyTitle           = &Message{EN: "Container %q is not ready: readiness probe failing, pod removed from Service endpoints", ZH: "容器 %q 未就绪：就绪探针失败，Pod 已从 Service 端点中移除"}
	msgReadyExpl            = &Message{EN: "The readiness probe fails (last output: %s), so the pod receives no traffic from its Services; the container is not restarted. %s", ZH: "就绪探针检查失败（最近输出：%s），Pod 不再接收来自 Service 的流量；容器不会因此被重启。%s"}

	msgProbeOutRefused = &Message{EN: "Nothing listens on the probed port: the app is not up yet, crashed, or listens on another port or only on 127.0.0.1.", ZH: "被探测的端口上没有进程监听：应用尚未启动、已崩溃，或监听在其他端口或仅监听 127.0.0.1。"}
	msgProbeOutTimeout = &Message{EN: "The app did not answer within timeoutSeconds: it is slow, overloaded or blocked (GC pauses, CPU throttling, a dependency called from the health check).", ZH: "应用未在 timeoutSeconds 内响应：它响应缓慢、负载过高或被阻塞（GC 停顿、CPU 限流、健康检查中调用了外部依赖）。"}
	msgProbeOutHTTP5xx = &Message{EN: "The app answered with a 5xx status: it reports itself unhealthy.", ZH: "应用返回了 5xx 状态码：它自身报告不健康。"}
	msgProbeOutHTTP4xx = &Message{EN: "The app answered with a 4xx status: the probe's path, port or required headers are probably wrong.", ZH: "应用返回了 4xx 状态码：探针的路径、端口或所需请求头可能配置错误。"}
	msgProbeOutNetwork = &Message{EN: "The kubelet cannot reach the pod's address.", ZH: "kubelet 无法访问 Pod 的地址。"}
	msgProbeOutOther   = &Message{EN: "The probe's output is quoted below.", ZH: "探针输出原文见下方。"}

	msgProbeActRefused = &Message{EN: "Check the probe's port against the port the app listens on (and that it binds 0.0.0.0); for slow starts add a startupProbe instead of a long initialDelaySeconds.", ZH: "核对探针端口与应用实际监听的端口（并确认监听 0.0.0.0）；启动较慢时请添加 startupProbe，而不是设置很长的 initialDelaySeconds。"}
	msgProbeActTimeout = &Message{EN: "Raise timeoutSeconds, make the health endpoint cheap (no database or downstream calls), and check CPU throttling.", ZH: "提高 timeoutSeconds，让健康检查端点足够轻量（不调用数据库或下游服务），并检查 CPU 限流情况。"}
	msgProbeActHTTP    = &Message{EN: "Read the app's logs around the failures to see why its health endpoint reports an error.", ZH: "查看失败前后的应用日志，了解健康检查端点为何报错。"}
	msgProbeActHTTP4xx = &Message{EN: "Fix the probe's path, port, scheme or httpHeaders to match the app's health endpoint.", ZH: "修正探针的 path、port、scheme 或 httpHeaders，使其与应用的健康检查端点一致。"}
	msgProbeActOther   = &Message{EN: "Run the probe's check by hand inside the container (kubectl exec) and compare with the configured probe.", ZH: "在容器内（kubectl exec）手动执行探针检查，并与配置的探针进行对比。"}
	msgLivenessAct     = &Message{EN: "A liveness probe should only fail when a restart helps: do not check dependencies in it, and give slow starts a startupProbe.", ZH: "存活探针只应在重启能解决问题时失败：不要在其中检查外部依赖，启动较慢时请配置 startupProbe。"}
	msgStartupAct      = &Message{EN: "Give the app enough time to start: raise failureThreshold × periodSeconds of the startup probe above its real start time.", ZH: "给应用足够的启动时间：让启动探针的 failureThreshold × periodSeconds 大于应用实际的启动耗时。"}
	msgReadyAct        = &Message{EN: "While not ready the pod gets no Service traffic; if all replicas are unready, the Service has no endpoints at all.", ZH: "未就绪期间 Pod 不会收到 Service 流量；如果所有副本都未就绪，Service 将完全没有可用端点。"}
)
