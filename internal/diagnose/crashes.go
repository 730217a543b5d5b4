package diagnose

import (
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// crashLoop explains CrashLoopBackOff through the previous run
// (lastState.terminated): the waiting reason only says the kubelet is
// delaying the next restart (pkg/kubelet/kuberuntime/kuberuntime_manager.go,
// doBackOff); why the container exits is in its last termination and the
// crashed run's logs. One finding per container: OOMKilled and StartError take their own codes; a crash loop
// caused by a liveness or startup probe is left to probeRule.
func crashLoop(out []Finding, c ctr, in PodInput, now *clock) []Finding {
	w := c.st.State.Waiting
	last := c.st.LastTerminationState.Terminated
	if last != nil {
		switch last.Reason {
		case "OOMKilled":
			return append(out, oomFinding(c, last, ".lastState.terminated", Critical, in))
		case "StartError", "ContainerCannotRun":
			return append(out, runError(c, last.Message, in))
		}
	}
	if probeKill(in.Events, c.name(), now) != nil {
		return out // probeRule explains the restarts with the probe
	}
	restarts := int(c.st.RestartCount)
	var backoff any = Text{Msg: msgBackoffUnknown}
	if b := parseBackoff(w.Message); b != "" {
		backoff = b
	}
	code := CodeCrashLoopBackOff
	if c.blocksStart() {
		code = CodeInitContainerFailed
	}
	var title, expl Text
	switch {
	case last == nil && c.blocksStart():
		title, expl = T(msgInitCrashTitleNoLast, c.name(), restarts), T(msgInitCrashExplNoLast, c.name(), backoff)
	case last == nil:
		title, expl = T(msgCrashTitleNoLast, c.name(), restarts), T(msgCrashExplNoLast, backoff)
	case c.blocksStart():
		title = T(msgInitCrashTitle, c.name(), int(last.ExitCode), restarts)
		expl = T(msgInitCrashExpl, c.name(), orDash(last.Reason), int(last.ExitCode), exitMeaning(last.ExitCode), ranFor(last), backoff)
	case last.ExitCode == 0:
		title, expl = T(msgCrashCompletedTitle, c.name(), restarts), T(msgCrashCompletedExpl, ranFor(last), backoff)
	default:
		title = T(msgCrashTitle, c.name(), int(last.ExitCode), restarts)
		expl = T(msgCrashExpl, orDash(last.Reason), int(last.ExitCode), exitMeaning(last.ExitCode), ranFor(last), backoff)
	}
	f := c.finding(code, Critical, title, expl)
	f.Evidence = make([]Evidence, 0, 8)
	f.Evidence = append(f.Evidence, c.ev(".state.waiting.reason", w.Reason))
	if w.Message != "" {
		f.Evidence = append(f.Evidence, c.ev(".state.waiting.message", w.Message))
	}
	f.Evidence = append(f.Evidence, c.ev(".restartCount", itoa(c.st.RestartCount)))
	if last != nil {
		f.Evidence = terminatedEvidence(f.Evidence, c, last, ".lastState.terminated")
	}
	if e, first := latestEvent(in.Events, "BackOff", func(e *corev1.Event) bool { return eventFor(e, c.name(), false) }); e != nil {
		f.Evidence = append(f.Evidence, eventEvidence(e))
		f.Since = first
	}
	f.Actions = make([]Text, 0, 2)
	f.Actions = append(f.Actions, Text{Msg: msgCrashLogsAct})
	if last != nil {
		f.Actions = append(f.Actions, exitAction(c, last))
	}
	f.Commands = []string{cmdLogs(c.pod, c.name(), true), cmdDescribePod(c.pod), cmdPodEvents(c.pod)}
	return append(out, f)
}

// checkTerminated explains a container whose current state is terminated
// (status.containerStatuses[].state.terminated): Failed pods are findings, Succeeded pods are fine (a
// sidecar's non-zero exit there is Info), and a container exiting in a
// restartPolicy Always pod is about to be restarted.
func checkTerminated(out []Finding, c ctr, in PodInput) []Finding {
	t := c.st.State.Terminated
	pod := c.pod
	if pod.Status.Reason != "" {
		return out // a pod-level reason (Evicted, DeadlineExceeded, …) explains the stop
	}
	succeeded := pod.Status.Phase == corev1.PodSucceeded
	policy := pod.Spec.RestartPolicy
	if policy == "" || c.sidecar {
		policy = corev1.RestartPolicyAlways
	}
	if t.ExitCode == 0 && t.Reason != "OOMKilled" {
		if policy == corev1.RestartPolicyAlways && !c.blocksStart() && !succeeded && pod.Status.Phase != corev1.PodFailed {
			f := c.finding(CodeContainerCompleted, Warning, T(msgCompletedTitle, c.name()), T(msgCompletedExpl, ranFor(t)))
			f.Evidence = terminatedEvidence(make([]Evidence, 0, 6), c, t, ".state.terminated")
			f.Evidence = append(f.Evidence, Evidence{Source: "spec.restartPolicy", Value: string(policy)})
			f.Actions = []Text{{Msg: msgCrashCompletedAct}}
			f.Commands = []string{cmdLogs(pod, c.name(), false), cmdDescribePod(pod)}
			f.Since = t.FinishedAt.Time
			return append(out, f)
		}
		return out
	}
	sev := Warning
	if succeeded {
		sev = Info
	}
	switch t.Reason {
	case "OOMKilled":
		if !succeeded {
			sev = Critical
		}
		return append(out, oomFinding(c, t, ".state.terminated", sev, in))
	case "StartError", "ContainerCannotRun":
		f := runError(c, t.Message, in)
		if succeeded {
			f.Severity = Info
		}
		return append(out, f)
	case "ContainerStatusUnknown":
		return append(out, statusUnknown(c, t, ".state.terminated"))
	}
	code := CodeContainerFailed
	title := T(msgFailedTitle, c.name(), int(t.ExitCode))
	if c.blocksStart() {
		code, sev = CodeInitContainerFailed, Critical
		title = T(msgInitFailedTitle, c.name(), int(t.ExitCode))
	}
	f := c.finding(code, sev, title, T(msgFailedExpl, orDash(t.Reason), int(t.ExitCode), exitMeaning(t.ExitCode), ranFor(t), string(policy)))
	f.Evidence = terminatedEvidence(make([]Evidence, 0, 7), c, t, ".state.terminated")
	f.Evidence = append(f.Evidence, Evidence{Source: "status.phase", Value: string(pod.Status.Phase)}, Evidence{Source: "spec.restartPolicy", Value: string(policy)})
	f.Actions = []Text{{Msg: msgCrashLogsAct}, exitAction(c, t)}
	if succeeded {
		f.Actions = []Text{{Msg: msgSidecarAct}}
	}
	f.Commands = []string{cmdLogs(pod, c.name(), false), cmdDescribePod(pod)}
	f.Since = t.FinishedAt.Time
	return append(out, f)
}

// checkRestarted explains a running container that restarted recently,
// through its previous run.
func checkRestarted(out []Finding, c ctr, in PodInput, now *clock) []Finding {
	last := c.st.LastTerminationState.Terminated
	if last == nil || c.st.RestartCount == 0 || last.FinishedAt.IsZero() || !now.within(last.FinishedAt.Time, recentRestart) {
		return out
	}
	if probeKill(in.Events, c.name(), now) != nil {
		return out // probeRule explains it
	}
	switch last.Reason {
	case "OOMKilled":
		return append(out, oomFinding(c, last, ".lastState.terminated", Warning, in))
	case "ContainerStatusUnknown":
		return append(out, statusUnknown(c, last, ".lastState.terminated"))
	}
	f := c.finding(CodeContainerRestarted, Info,
		T(msgRestartedTitle, c.name(), Since(last.FinishedAt.Time), int(c.st.RestartCount)),
		T(msgRestartedExpl, orDash(last.Reason), int(last.ExitCode), exitMeaning(last.ExitCode), ranFor(last)))
	f.Evidence = terminatedEvidence(make([]Evidence, 0, 7), c, last, ".lastState.terminated")
	f.Evidence = append(f.Evidence, c.ev(".restartCount", itoa(c.st.RestartCount)))
	f.Actions = []Text{{Msg: msgCrashLogsAct}, exitAction(c, last)}
	f.Commands = []string{cmdLogs(c.pod, c.name(), true), cmdDescribePod(c.pod)}
	f.Since = last.FinishedAt.Time
	return append(out, f)
}

// oomFinding explains an OOM kill (terminated reason OOMKilled, set by the
// runtime when the kernel's OOM killer ended the container's cgroup), naming
// the container's memory limit or saying there is none.
func oomFinding(c ctr, t *corev1.ContainerStateTerminated, suffix string, sev Severity, in PodInput) Finding {
	limit := ""
	request := ""
	if c.spec != nil {
		if q, ok := c.spec.Resources.Limits[corev1.ResourceMemory]; ok && !q.IsZero() {
			limit = q.String()
		}
		if q, ok := c.spec.Resources.Requests[corev1.ResourceMemory]; ok && !q.IsZero() {
			request = q.String()
		}
	}
	restarts := int(c.st.RestartCount)
	var f Finding
	if limit != "" {
		f = c.finding(CodeOOMKilled, sev, T(msgOOMTitle, c.name(), limit, restarts), T(msgOOMExpl, limit, ranFor(t)))
	} else {
		f = c.finding(CodeOOMKilled, sev, T(msgOOMNoLimitTitle, c.name(), restarts), T(msgOOMNoLimitExpl, ranFor(t)))
	}
	f.Evidence = make([]Evidence, 0, 9)
	if w := c.st.State.Waiting; w != nil {
		f.Evidence = append(f.Evidence, c.ev(".state.waiting.reason", w.Reason))
	}
	f.Evidence = terminatedEvidence(f.Evidence, c, t, suffix)
	f.Evidence = append(f.Evidence, c.ev(".restartCount", itoa(c.st.RestartCount)))
	if limit == "" {
		limit = "none"
	}
	f.Evidence = append(f.Evidence, Evidence{Source: c.specPath + ".resources.limits.memory", Value: limit})
	if request != "" {
		f.Evidence = append(f.Evidence, Evidence{Source: c.specPath + ".resources.requests.memory", Value: request})
	}
	f.Actions = []Text{{Msg: msgOOMRaiseAct}, {Msg: msgOOMRuntimeAct}}
	for _, v := range c.pod.Spec.Volumes {
		if v.EmptyDir != nil && v.EmptyDir.Medium == corev1.StorageMediumMemory {
			f.Actions = append(f.Actions, T(msgOOMEmptyDirAct, v.Name))
			break
		}
	}
	f.Commands = []string{cmdTopPod(c.pod), cmdLogs(c.pod, c.name(), suffix == ".lastState.terminated"), cmdDescribePod(c.pod)}
	if limit == "none" && c.pod.Spec.NodeName != "" {
		f.Commands = append(f.Commands, cmdDescribeNode(c.pod.Spec.NodeName))
	}
	f.Since = t.FinishedAt.Time
	return f
}

// statusUnknown explains ContainerStatusUnknown: the kubelet could not find
// the container and wrote the termination itself, exit code 137 included
// (pkg/kubelet/kubelet_pods.go, convertToAPIContainerStatuses).
func statusUnknown(c ctr, t *corev1.ContainerStateTerminated, suffix string) Finding {
	f := c.finding(CodeContainerStatusUnknown, Warning, T(msgUnknownTitle, c.name()), T(msgUnknownExpl, orDash(c.pod.Spec.NodeName)))
	f.Evidence = terminatedEvidence(make([]Evidence, 0, 6), c, t, suffix)
	f.Actions = []Text{{Msg: msgUnknownAct}}
	f.Commands = []string{cmdDescribePod(c.pod)}
	if c.pod.Spec.NodeName != "" {
		f.Commands = append(f.Commands, cmdDescribeNode(c.pod.Spec.NodeName))
	}
	f.Since = t.FinishedAt.Time
	return f
}

// configError explains CreateContainerConfigError (parseConfigError): the
// missing ConfigMap / Secret / key named in the message, cross-checked
// against the container's env / envFrom and the pod's volumes; or
// runAsNonRoot against an image that runs as root.
func configError(c ctr, in PodInput, now *clock) Finding {
	w := c.st.State.Waiting
	m := parseConfigError(w.Message)
	ns := c.pod.Namespace
	var f Finding
	switch {
	case m.key != "":
		f = c.finding(CodeCreateContainerConfigError, Critical, T(msgCfgKeyTitle, c.name(), m.key, m.kind, m.name), T(msgCfgKeyExpl, m.kind, m.name, m.key))
		f.Actions = []Text{T(msgCfgKeyAct, m.key, m.kind, m.name), {Msg: msgCfgOptionalAct}}
	case m.kind == "ConfigMap" || m.kind == "Secret":
		f = c.finding(CodeCreateContainerConfigError, Critical, T(msgCfgMissingTitle, c.name(), m.kind, m.name), T(msgCfgMissingExpl, m.kind, m.name, ns))
		f.Actions = []Text{T(msgCfgMissingAct, m.kind, m.name, ns), {Msg: msgCfgOptionalAct}}
	case m.kind == "runAsNonRoot" && m.user != "":
		f = c.finding(CodeCreateContainerConfigError, Critical, T(msgNonRootUserTitle, c.name(), m.user), T(msgNonRootUserExpl, m.user))
		f.Actions = []Text{{Msg: msgNonRootAct}}
	case m.kind == "runAsNonRoot":
		f = c.finding(CodeCreateContainerConfigError, Critical, T(msgNonRootTitle, c.name()), Text{Msg: msgNonRootExpl})
		f.Actions = []Text{{Msg: msgNonRootAct}}
	default:
		sev := Critical
		lower := strings.ToLower(w.Message)
		if strings.Contains(lower, "failed to sync") || strings.Contains(lower, "timed out waiting") {
			sev = lasting(podStart(c.pod), now, createRetryGrace, Warning)
		}
		f = c.finding(CodeCreateContainerConfigError, sev, T(msgCfgTitle, c.name()), Text{Msg: msgCfgExpl})
		f.Actions = []Text{{Msg: msgWaitingAct}}
	}
	f.Evidence = make([]Evidence, 0, 6)
	f.Evidence = append(f.Evidence, c.ev(".state.waiting.reason", w.Reason))
	if w.Message != "" {
		f.Evidence = append(f.Evidence, c.ev(".state.waiting.message", w.Message))
	}
	if m.kind == "ConfigMap" || m.kind == "Secret" {
		f.Evidence = configRefs(f.Evidence, c, m.kind, m.name)
	}
	if m.kind == "runAsNonRoot" {
		f.Evidence = append(f.Evidence, securityEvidence(c)...)
	}
	if e, first := failedEvent(c, in.Events, w.Message); e != nil {
		f.Evidence = append(f.Evidence, eventEvidence(e))
		f.Since = first
	}
	f.Commands = make([]string, 0, 3)
	switch m.kind {
	case "ConfigMap":
		f.Commands = append(f.Commands, cmdGet(c.pod, "configmap", m.name))
	case "Secret":
		f.Commands = append(f.Commands, cmdDescribe(c.pod, "secret", m.name))
	case "runAsNonRoot":
		f.Commands = append(f.Commands, cmdContainerSpec(c.pod, c.name(), c.init))
	}
	f.Commands = append(f.Commands, cmdDescribePod(c.pod), cmdPodEvents(c.pod))
	return f
}

// configRefs appends where the container and the pod reference the named
// ConfigMap or Secret.
func configRefs(ev []Evidence, c ctr, kind, name string) []Evidence {
	opt := func(o *bool) string {
		if o != nil && *o {
			return " optional=true"
		}
		return ""
	}
	if c.spec != nil {
		for _, e := range c.spec.Env {
			if e.ValueFrom == nil {
				continue
			}
			if r := e.ValueFrom.ConfigMapKeyRef; r != nil && kind == "ConfigMap" && r.Name == name {
				ev = append(ev, Evidence{Source: c.specPath + ".env[" + e.Name + "].valueFrom.configMapKeyRef", Value: "name=" + r.Name + " key=" + r.Key + opt(r.Optional)})
			}
			if r := e.ValueFrom.SecretKeyRef; r != nil && kind == "Secret" && r.Name == name {
				ev = append(ev, Evidence{Source: c.specPath + ".env[" + e.Name + "].valueFrom.secretKeyRef", Value: "name=" + r.Name + " key=" + r.Key + opt(r.Optional)})
			}
		}
		for i, e := range c.spec.EnvFrom {
			if r := e.ConfigMapRef; r != nil && kind == "ConfigMap" && r.Name == name {
				ev = append(ev, Evidence{Source: c.specPath + ".envFrom[" + itoa(int32(i)) + "].configMapRef", Value: "name=" + r.Name + opt(r.Optional)})
			}
			if r := e.SecretRef; r != nil && kind == "Secret" && r.Name == name {
				ev = append(ev, Evidence{Source: c.specPath + ".envFrom[" + itoa(int32(i)) + "].secretRef", Value: "name=" + r.Name + opt(r.Optional)})
			}
		}
	}
	for _, v := range c.pod.Spec.Volumes {
		if v.ConfigMap != nil && kind == "ConfigMap" && v.ConfigMap.Name == name {
			ev = append(ev, Evidence{Source: "spec.volumes[" + v.Name + "].configMap", Value: "name=" + name + opt(v.ConfigMap.Optional)})
		}
		if v.Secret != nil && kind == "Secret" && v.Secret.SecretName == name {
			ev = append(ev, Evidence{Source: "spec.volumes[" + v.Name + "].secret", Value: "secretName=" + name + opt(v.Secret.Optional)})
		}
		if v.Projected != nil {
			for _, s := range v.Projected.Sources {
				if s.ConfigMap != nil && kind == "ConfigMap" && s.ConfigMap.Name == name {
					ev = append(ev, Evidence{Source: "spec.volumes[" + v.Name + "].projected.configMap", Value: "name=" + name + opt(s.ConfigMap.Optional)})
				}
				if s.Secret != nil && kind == "Secret" && s.Secret.Name == name {
					ev = append(ev, Evidence{Source: "spec.volumes[" + v.Name + "].projected.secret", Value: "name=" + name + opt(s.Secret.Optional)})
				}
			}
		}
	}
	return ev
}

// securityEvidence quotes runAsNonRoot / runAsUser from the container and
// the pod security contexts.
func securityEvidence(c ctr) []Evidence {
	var ev []Evidence
	add := func(src string, nonRoot *bool, user *int64) {
		if nonRoot != nil {
			v := "false"
			if *nonRoot {
				v = "true"
			}
			ev = append(ev, Evidence{Source: src + ".runAsNonRoot", Value: v})
		}
		if user != nil {
			ev = append(ev, Evidence{Source: src + ".runAsUser", Value: itoa(int32(*user))})
		}
	}
	if c.spec != nil && c.spec.SecurityContext != nil {
		add(c.specPath+".securityContext", c.spec.SecurityContext.RunAsNonRoot, c.spec.SecurityContext.RunAsUser)
	}
	if sc := c.pod.Spec.SecurityContext; sc != nil {
		add("spec.securityContext", sc.RunAsNonRoot, sc.RunAsUser)
	}
	return ev
}

// failedEvent is the latest kubelet Failed event about c whose message
// contains msg ("Error: <msg>").
func failedEvent(c ctr, events []*corev1.Event, msg string) (*corev1.Event, time.Time) {
	return latestEvent(events, "Failed", func(e *corev1.Event) bool {
		return eventFor(e, c.name(), false) && (msg == "" || strings.Contains(e.Message, msg))
	})
}

// createError explains CreateContainerError (the runtime's CreateContainer
// call failed, pkg/kubelet/kuberuntime/kuberuntime_container.go,
// startContainer): a broken
// command or mount is Critical; a slow runtime (name reserved, deadline
// exceeded) is Info for createRetryGrace, then Warning.
func createError(c ctr, in PodInput, now *clock) Finding {
	w := c.st.State.Waiting
	cls := classifyStartError(w.Message)
	e, first := failedEvent(c, in.Events, "")
	since := first
	if since.IsZero() {
		since = podStart(c.pod)
	}
	sev := Critical
	switch cls {
	case startNameReserved, startTimeout:
		sev = lasting(since, now, createRetryGrace, Warning)
	case startUnknown:
		sev = Warning
	}
	f := c.finding(CodeCreateContainerError, sev, T(startTitles[cls], c.name()), T(msgCreateExpl, Text{Msg: startExpls[cls]}))
	return startEvidence(f, c, cls, e, since)
}

// runError explains RunContainerError / StartError / ContainerCannotRun:
// the runtime created the container but could not start its process (the
// waiting reason when StartContainer fails, or the terminated reason the
// runtime gives the run that never started).
func runError(c ctr, msg string, in PodInput) Finding {
	cls := classifyStartError(msg)
	e, first := failedEvent(c, in.Events, "")
	f := c.finding(CodeRunContainerError, Critical, T(startTitles[cls], c.name()), T(msgRunExpl, Text{Msg: startExpls[cls]}))
	return startEvidence(f, c, cls, e, first)
}

// startEvidence fills a create/start error finding: the waiting state, the
// StartError termination, the command and args, and the Failed event.
func startEvidence(f Finding, c ctr, cls startClass, e *corev1.Event, since time.Time) Finding {
	f.Evidence = make([]Evidence, 0, 8)
	if w := c.st.State.Waiting; w != nil {
		f.Evidence = append(f.Evidence, c.ev(".state.waiting.reason", w.Reason))
		if w.Message != "" {
			f.Evidence = append(f.Evidence, c.ev(".state.waiting.message", w.Message))
		}
	}
	if t := c.st.State.Terminated; t != nil {
		f.Evidence = terminatedEvidence(f.Evidence, c, t, ".state.terminated")
	} else if t := c.st.LastTerminationState.Terminated; t != nil && (t.Reason == "StartError" || t.Reason == "ContainerCannotRun") {
		f.Evidence = terminatedEvidence(f.Evidence, c, t, ".lastState.terminated")
	}
	if c.spec != nil {
		if len(c.spec.Command) > 0 {
			f.Evidence = append(f.Evidence, Evidence{Source: c.specPath + ".command", Value: quoteArgs(c.spec.Command)})
		}
		if len(c.spec.Args) > 0 {
			f.Evidence = append(f.Evidence, Evidence{Source: c.specPath + ".args", Value: quoteArgs(c.spec.Args)})
		}
	}
	if e != nil {
		f.Evidence = append(f.Evidence, eventEvidence(e))
	}
	f.Actions = []Text{{Msg: startActs[cls]}}
	f.Commands = []string{cmdContainerSpec(c.pod, c.name(), c.init), cmdDescribePod(c.pod), cmdPodEvents(c.pod)}
	f.Since = since
	return f
}

// hookError explains PreCreateHookError, PreStartHookError (and its alias
// m.internalLifecycle.PreStartContainer) and PostStartHookError: the errors
// of the kubelet's own hooks and of the user's postStart handler
// (pkg/kubelet/kuberuntime/kuberuntime_container.go, startContainer, which
// records FailedPostStartHook and kills the container).
func hookError(c ctr, in PodInput) Finding {
	w := c.st.State.Waiting
	var f Finding
	switch w.Reason {
	case "PostStartHookError":
		f = c.finding(CodePostStartHookError, Critical, T(msgPostStartTitle, c.name()), Text{Msg: msgPostStartExpl})
	case "PreCreateHookError":
		f = c.finding(CodePreCreateHookError, Critical, T(msgPreCreateTitle, c.name()), Text{Msg: msgPreCreateExpl})
	default: // PreStartHookError and its alias
		f = c.finding(CodePreStartHookError, Critical, T(msgPreStartTitle, c.name()), Text{Msg: msgPreStartExpl})
	}
	f.Evidence = []Evidence{c.ev(".state.waiting.reason", w.Reason)}
	if w.Message != "" {
		f.Evidence = append(f.Evidence, c.ev(".state.waiting.message", w.Message))
	}
	if w.Reason == "PostStartHookError" {
		if c.spec != nil && c.spec.Lifecycle != nil && c.spec.Lifecycle.PostStart != nil {
			f.Evidence = append(f.Evidence, Evidence{Source: c.specPath + ".lifecycle.postStart", Value: handlerString(c.spec.Lifecycle.PostStart)})
		}
		if e, first := latestEvent(in.Events, "FailedPostStartHook", func(e *corev1.Event) bool { return eventFor(e, c.name(), true) }); e != nil {
			f.Evidence = append(f.Evidence, eventEvidence(e))
			f.Since = first
		}
		if e, _ := latestEvent(in.Events, "Killing", func(e *corev1.Event) bool {
			return eventFor(e, c.name(), true) && strings.Contains(e.Message, "FailedPostStartHook")
		}); e != nil {
			f.Evidence = append(f.Evidence, eventEvidence(e))
		}
		f.Actions = []Text{{Msg: msgPostStartAct}}
		f.Commands = []string{cmdContainerSpec(c.pod, c.name(), c.init), cmdLogs(c.pod, c.name(), true), cmdPodEvents(c.pod)}
		return f
	}
	if e, first := latestEvent(in.Events, "Failed", func(e *corev1.Event) bool {
		return eventFor(e, c.name(), true) && strings.Contains(strings.ToLower(e.Message), "internal pre")
	}); e != nil {
		f.Evidence = append(f.Evidence, eventEvidence(e))
		f.Since = first
	}
	f.Actions = []Text{{Msg: msgInternalHookAct}}
	f.Commands = []string{cmdDescribePod(c.pod), cmdPodEvents(c.pod)}
	if c.pod.Spec.NodeName != "" {
		f.Commands = append(f.Commands, cmdDescribeNode(c.pod.Spec.NodeName))
	}
	return f
}

// terminatedEvidence appends a termination's reason, exit code, signal,
// message and timestamps.
func terminatedEvidence(ev []Evidence, c ctr, t *corev1.ContainerStateTerminated, suffix string) []Evidence {
	if t.Reason != "" {
		ev = append(ev, c.ev(suffix+".reason", t.Reason))
	}
	ev = append(ev, c.ev(suffix+".exitCode", itoa(t.ExitCode)))
	if t.Signal != 0 {
		ev = append(ev, c.ev(suffix+".signal", itoa(t.Signal)))
	}
	if t.Message != "" {
		ev = append(ev, c.ev(suffix+".message", t.Message))
	}
	if !t.StartedAt.IsZero() && !t.FinishedAt.IsZero() {
		ev = append(ev, c.ev(suffix+".finishedAt-startedAt", ranFor(t)))
	} else if !t.FinishedAt.IsZero() {
		ev = append(ev, c.ev(suffix+".finishedAt", t.FinishedAt.UTC().Format(time.RFC3339)))
	}
	return ev
}

// exitAction suggests what to look at for an exit code (exitMeaning). A 137
// with reason Error is a SIGKILL from outside the process (a probe, the stop
// grace period, an eviction), not an out-of-memory kill, whose reason would
// be OOMKilled.
func exitAction(c ctr, t *corev1.ContainerStateTerminated) Text {
	switch code := t.ExitCode; {
	case code == 0:
		return Text{Msg: msgCrashCompletedAct}
	case code == 2 || code == 126 || code == 127:
		return Text{Msg: msgCrashCmdAct}
	case code == 137:
		return Text{Msg: msgCrash137Act}
	case code == 134 || code == 135 || code == 139:
		return Text{Msg: msgCrashNativeAct}
	case code == 143 || code == 130:
		return Text{Msg: msgCrash143Act}
	default:
		return Text{Msg: msgCrashAppAct}
	}
}

// ranFor is how long a terminated run lasted (finishedAt − startedAt), or "?".
func ranFor(t *corev1.ContainerStateTerminated) string {
	if t.StartedAt.IsZero() || t.FinishedAt.IsZero() {
		return "?"
	}
	return duration.HumanDuration(max(t.FinishedAt.Sub(t.StartedAt.Time), 0))
}

// parseBackoff reads the delay from "back-off 40s restarting failed container=…".
func parseBackoff(msg string) string {
	i := indexFold(msg, "back-off ")
	if i < 0 {
		return ""
	}
	rest := msg[i+len("back-off "):]
	d, _, _ := strings.Cut(rest, " ")
	if _, err := time.ParseDuration(d); err != nil {
		return ""
	}
	return d
}

// probeKill is the latest Killing event within recentRestart saying the
// kubelet restarted container name because a liveness or startup probe
// failed (probeKillFragments).
func probeKill(events []*corev1.Event, name string, now *clock) *corev1.Event {
	e, _ := latestEvent(events, "Killing", func(e *corev1.Event) bool {
		return killingKind(e.Message) != probeNone && (eventFor(e, name, false) || (eventContainer(e) == "" && strings.Contains(e.Message, " "+name+" ")))
	})
	if e == nil || !now.within(eventLastSeen(e), recentRestart) {
		return nil
	}
	return e
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func quoteArgs(args []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('"')
		b.WriteString(a)
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String()
}

// Messages of this file.
var (
	msgBackoffUnknown = &Message{EN: "a growing back-off", ZH: "逐渐增加的退避时间"}

	msgCrashTitle          = &Message{EN: "Container %q keeps crashing: exit code %d, restart count %d", ZH: "容器 %q 反复崩溃：退出码 %d，已重启 %d 次"}
	msgCrashTitleNoLast    = &Message{EN: "Container %q keeps crashing (restart count %d)", ZH: "容器 %q 反复崩溃（已重启 %d 次）"}
	msgCrashCompletedTitle = &Message{EN: "Container %q exits with code 0 and is restarted again and again (restart count %d)", ZH: "容器 %q 以退出码 0 退出后被反复重启（已重启 %d 次）"}
	msgCrashExpl           = &Message{EN: "Its last run ended with reason %s and exit code %d (%s) after running for %s. The kubelet restarts it with a doubling back-off, now %s; CrashLoopBackOff is the consequence, the exit is the cause.", ZH: "上一次运行以原因 %s、退出码 %d（%s）结束，运行时长 %s。kubelet 以成倍增长的退避时间重启它，当前为 %s；CrashLoopBackOff 只是结果，退出才是原因。"}
	msgCrashExplNoLast     = &Message{EN: "The container exits soon after it starts and the kubelet restarts it with a doubling back-off, now %s. Its previous termination is not recorded in the status; the crashed run's logs say why it exits.", ZH: "容器启动后很快退出，kubelet 以成倍增长的退避时间重启它，当前为 %s。状态中没有记录上一次终止的信息；崩溃那次运行的日志会说明退出原因。"}
	msgCrashCompletedExpl  = &Message{EN: "The main process exits successfully (code 0) after %s, but the pod's restartPolicy is Always, so the kubelet restarts it with back-off (now %s).", ZH: "主进程在运行 %s 后成功退出（退出码 0），但 Pod 的 restartPolicy 为 Always，kubelet 会按退避策略重启它（当前为 %s）。"}

	msgInitCrashTitle       = &Message{EN: "Init container %q fails with exit code %d, so the pod cannot start (restart count %d)", ZH: "Init 容器 %q 以退出码 %d 失败，Pod 无法启动（已重启 %d 次）"}
	msgInitCrashTitleNoLast = &Message{EN: "Init container %q keeps failing, so the pod cannot start (restart count %d)", ZH: "Init 容器 %q 反复失败，Pod 无法启动（已重启 %d 次）"}
	msgInitCrashExpl        = &Message{EN: "Init container %q must exit 0 before any app container starts. Its last run ended with reason %s and exit code %d (%s) after %s; the kubelet retries it after %s.", ZH: "Init 容器 %q 必须以 0 退出，应用容器才会启动。它上一次运行以原因 %s、退出码 %d（%s）结束，运行时长 %s；kubelet 将在 %s 后重试。"}
	msgInitCrashExplNoLast  = &Message{EN: "Init container %q must exit 0 before any app container starts; it keeps failing and the kubelet retries it after %s.", ZH: "Init 容器 %q 必须以 0 退出，应用容器才会启动；它反复失败，kubelet 将在 %s 后重试。"}

	msgFailedTitle     = &Message{EN: "Container %q exited with code %d", ZH: "容器 %q 已退出，退出码 %d"}
	msgInitFailedTitle = &Message{EN: "Init container %q failed with exit code %d, so the pod cannot start", ZH: "Init 容器 %q 以退出码 %d 失败，Pod 无法启动"}
	msgFailedExpl      = &Message{EN: "It terminated with reason %s and exit code %d (%s) after running for %s (restartPolicy %s).", ZH: "容器以原因 %s、退出码 %d（%s）终止，运行时长 %s（restartPolicy 为 %s）。"}
	msgSidecarAct      = &Message{EN: "The pod succeeded; a helper container exiting non-zero at the end is usually harmless (for example a sidecar stopped with SIGTERM). Make it exit 0 on SIGTERM to silence this.", ZH: "Pod 已成功完成；辅助容器在结束时以非 0 退出通常无害（例如被 SIGTERM 停止的 Sidecar）。让它在收到 SIGTERM 时以 0 退出即可消除此提示。"}

	msgCompletedTitle = &Message{EN: "Container %q exited with code 0 but its pod restarts it", ZH: "容器 %q 以退出码 0 退出，但 Pod 会重启它"}
	msgCompletedExpl  = &Message{EN: "The main process finished successfully after %s, but the pod's restartPolicy is Always: the kubelet will start it again and, if it keeps exiting, back off into CrashLoopBackOff.", ZH: "主进程在运行 %s 后成功结束，但 Pod 的 restartPolicy 为 Always：kubelet 会再次启动它，若持续退出则会进入 CrashLoopBackOff。"}

	msgRestartedTitle = &Message{EN: "Container %q restarted %s ago (restart count %d); it is running again", ZH: "容器 %q 在 %s 前重启过（共 %d 次），目前已恢复运行"}
	msgRestartedExpl  = &Message{EN: "Its previous run ended with reason %s and exit code %d (%s) after %s.", ZH: "上一次运行以原因 %s、退出码 %d（%s）结束，运行时长 %s。"}

	msgCrashLogsAct      = &Message{EN: "Read the logs of the run that crashed (kubectl logs --previous): the error is usually in the last lines.", ZH: "查看崩溃那次运行的日志（kubectl logs --previous），错误通常在最后几行。"}
	msgCrashAppAct       = &Message{EN: "The application exited with an error: check its configuration, environment variables, and the services it connects to at startup.", ZH: "应用以错误状态退出：检查其配置、环境变量，以及它启动时连接的服务。"}
	msgCrashCmdAct       = &Message{EN: "Check command and args in the spec, and that the binary exists and is executable in the image.", ZH: "检查 spec 中的 command 和 args，并确认镜像中存在该可执行文件且有执行权限。"}
	msgCrash137Act       = &Message{EN: "Exit 137 with reason Error means the container was killed, not that it crashed: look for Killing events (failed liveness or startup probe), a stop grace period too short, or an eviction.", ZH: "原因为 Error 的退出码 137 表示容器是被强制终止的，而非自行崩溃：请查找 Killing 事件（存活或启动探针失败）、过短的优雅终止期或驱逐记录。"}
	msgCrashNativeAct    = &Message{EN: "A native crash: check native libraries and the libc the binary was built against, and look for a core dump or a JVM hs_err file.", ZH: "本地代码崩溃：检查本地库以及编译该程序时使用的 libc，查找 core dump 或 JVM 的 hs_err 文件。"}
	msgCrash143Act       = &Message{EN: "It was stopped by a signal: make the app exit 0 on SIGTERM, and check who stopped it (rollout, probe, deletion).", ZH: "进程被信号停止：让应用在收到 SIGTERM 时以 0 退出，并检查是谁停止了它（滚动更新、探针、删除）。"}
	msgCrashCompletedAct = &Message{EN: "If the work is meant to finish, run it as a Job or CronJob; if it is a server, keep its main process in the foreground.", ZH: "如果该任务本应运行结束，请改用 Job 或 CronJob；如果它是服务进程，请让主进程保持在前台运行。"}

	msgOOMTitle        = &Message{EN: "Container %q was killed for exceeding its memory limit of %s (restart count %d)", ZH: "容器 %q 因超出内存限制 %s 被终止（已重启 %d 次）"}
	msgOOMNoLimitTitle = &Message{EN: "Container %q was OOM-killed; it has no memory limit (restart count %d)", ZH: "容器 %q 因内存不足被终止，且未设置内存限制（已重启 %d 次）"}
	msgOOMExpl         = &Message{EN: "The kernel OOM killer stopped the container when its memory use reached the %s limit, after it had run for %s.", ZH: "容器内存使用达到 %s 的限制时被内核 OOM killer 终止，此前运行了 %s。"}
	msgOOMNoLimitExpl  = &Message{EN: "The kernel OOM killer stopped the container after %s. It has no memory limit, so the node itself ran low on memory and the kernel chose this process.", ZH: "容器运行 %s 后被内核 OOM killer 终止。它没有设置内存限制，说明是节点本身内存不足，内核选中了这个进程。"}
	msgOOMRaiseAct     = &Message{EN: "Compare real use (kubectl top) with resources.limits.memory; raise the limit (and the request) or reduce the app's memory use.", ZH: "对比实际用量（kubectl top）与 resources.limits.memory；提高内存限制（及请求），或降低应用的内存占用。"}
	msgOOMRuntimeAct   = &Message{EN: "Size the runtime's heap to the limit (JVM -XX:MaxRAMPercentage, Node.js --max-old-space-size, GOMEMLIMIT).", ZH: "按内存限制设置运行时堆大小（JVM -XX:MaxRAMPercentage、Node.js --max-old-space-size、GOMEMLIMIT）。"}
	msgOOMEmptyDirAct  = &Message{EN: "Volume %q is a memory-backed emptyDir: files written there count against the container's memory.", ZH: "卷 %q 是基于内存的 emptyDir：写入其中的文件会计入容器的内存用量。"}

	msgUnknownTitle = &Message{EN: "Container %q vanished from the runtime (ContainerStatusUnknown)", ZH: "容器 %q 从容器运行时中消失（ContainerStatusUnknown）"}
	msgUnknownExpl  = &Message{EN: "The kubelet could not find the container any more and marked it terminated with a synthetic exit code 137: it was not necessarily killed or out of memory. Usually node %s rebooted, its runtime state was wiped, or it was drained or replaced while the pod ran.", ZH: "kubelet 已找不到该容器，将其标记为终止，并填入合成的退出码 137：这并不代表它一定被强制终止或内存不足。通常是节点 %s 重启、运行时状态被清除，或在 Pod 运行期间被排空或替换。"}
	msgUnknownAct   = &Message{EN: "Check the node's history: reboots, NotReady periods, kubelet and runtime restarts.", ZH: "检查节点的历史：重启、NotReady 时段、kubelet 和运行时的重启记录。"}

	msgCfgMissingTitle = &Message{EN: "Container %q cannot start: %s %q not found", ZH: "容器 %q 无法启动：找不到 %s %q"}
	msgCfgMissingExpl  = &Message{EN: "The container references %s %q, which does not exist in namespace %s, so the kubelet cannot build its configuration.", ZH: "容器引用了 %s %q，但它不存在于命名空间 %s 中，因此 kubelet 无法生成容器配置。"}
	msgCfgMissingAct   = &Message{EN: "Create %s %q in namespace %s, or fix the name where the spec references it.", ZH: "在命名空间 %[3]s 中创建 %[1]s %[2]q，或修正 spec 中引用的名称。"}
	msgCfgKeyTitle     = &Message{EN: "Container %q cannot start: key %q missing from %s %q", ZH: "容器 %q 无法启动：%[3]s %[4]q 中缺少键 %[2]q"}
	msgCfgKeyExpl      = &Message{EN: "%s %q exists but has no key %q, which an environment variable of the container needs.", ZH: "%s %q 存在，但其中没有容器环境变量所需的键 %q。"}
	msgCfgKeyAct       = &Message{EN: "Add key %q to %s %q, or fix the key name in the reference.", ZH: "向 %[2]s %[3]q 中添加键 %[1]q，或修正引用中的键名。"}
	msgCfgOptionalAct  = &Message{EN: "If the app can run without it, mark the reference optional: true.", ZH: "如果应用没有它也能运行，可将该引用设置为 optional: true。"}
	msgCfgTitle        = &Message{EN: "Container %q cannot start: configuration error", ZH: "容器 %q 无法启动：配置错误"}
	msgCfgExpl         = &Message{EN: "The kubelet failed to build the container's configuration before calling the runtime; the message below says which part.", ZH: "kubelet 在调用容器运行时之前生成容器配置失败；下方消息指出了具体是哪一部分。"}

	msgNonRootTitle     = &Message{EN: "Container %q cannot start: runAsNonRoot is set but the image runs as root", ZH: "容器 %q 无法启动：设置了 runAsNonRoot，但镜像以 root 运行"}
	msgNonRootExpl      = &Message{EN: "The security context requires a non-root user, and the image's USER is root (or empty, which means root).", ZH: "安全上下文要求以非 root 用户运行，而镜像的 USER 是 root（为空也表示 root）。"}
	msgNonRootUserTitle = &Message{EN: "Container %q cannot start: image user %q is not numeric, so runAsNonRoot cannot be verified", ZH: "容器 %q 无法启动：镜像用户 %q 不是数字，无法验证 runAsNonRoot"}
	msgNonRootUserExpl  = &Message{EN: "runAsNonRoot is set and the image's USER is the name %q; the kubelet can only check numeric user IDs.", ZH: "设置了 runAsNonRoot，而镜像的 USER 是用户名 %q；kubelet 只能校验数字形式的用户 ID。"}
	msgNonRootAct       = &Message{EN: "Set a numeric securityContext.runAsUser (e.g. 65532), or build the image with a numeric non-root USER.", ZH: "设置数字形式的 securityContext.runAsUser（例如 65532），或在构建镜像时使用数字形式的非 root USER。"}

	msgCreateExpl = &Message{EN: "The container runtime failed to create the container. %s", ZH: "容器运行时创建容器失败。%s"}
	msgRunExpl    = &Message{EN: "The runtime created the container but could not start its process. %s", ZH: "容器运行时已创建容器，但无法启动其进程。%s"}

	msgStartUnknownTitle   = &Message{EN: "Container %q cannot be created or started", ZH: "容器 %q 无法创建或启动"}
	msgStartNotFoundTitle  = &Message{EN: "Container %q cannot start: executable not found", ZH: "容器 %q 无法启动：找不到可执行文件"}
	msgStartFormatTitle    = &Message{EN: "Container %q cannot start: binary built for another architecture (exec format error)", ZH: "容器 %q 无法启动：可执行文件的架构不匹配（exec format error）"}
	msgStartPermTitle      = &Message{EN: "Container %q cannot start: permission denied", ZH: "容器 %q 无法启动：权限不足"}
	msgStartNoFileTitle    = &Message{EN: "Container %q cannot start: no such file or directory", ZH: "容器 %q 无法启动：文件或目录不存在"}
	msgStartReservedTitle  = &Message{EN: "Container %q: runtime still holds the container name from an earlier attempt", ZH: "容器 %q：容器运行时仍占用着上一次尝试的容器名"}
	msgStartTimeoutTitle   = &Message{EN: "Container %q: runtime timed out creating the container", ZH: "容器 %q：容器运行时创建容器超时"}
	msgStartUnknownExpl    = &Message{EN: "The runtime's error is quoted below.", ZH: "容器运行时的错误原文见下方。"}
	msgStartNotFoundExpl   = &Message{EN: "The command (or the image's entrypoint) is not in the image or not on $PATH.", ZH: "command（或镜像的 entrypoint）不在镜像中，或不在 $PATH 中。"}
	msgStartFormatExpl     = &Message{EN: "The binary was built for a different CPU architecture than the node's, or a script lacks its #! line.", ZH: "可执行文件的 CPU 架构与节点不一致，或脚本缺少 #! 行。"}
	msgStartPermExpl       = &Message{EN: "The file is not executable for the container's user, or it sits on a noexec mount.", ZH: "该文件对容器用户不可执行，或位于 noexec 挂载点上。"}
	msgStartNoFileExpl     = &Message{EN: "A path the runtime needs is missing: the command, a script's interpreter, a shared library, or a mount / subPath source.", ZH: "容器运行时需要的某个路径不存在：命令本身、脚本的解释器、共享库，或挂载 / subPath 的来源。"}
	msgStartReservedExpl   = &Message{EN: "An earlier create call timed out but is still running in the runtime; the kubelet retries until it finishes. The runtime is slow or overloaded.", ZH: "之前的一次创建调用已超时，但仍在运行时中执行；kubelet 会一直重试直到其完成。容器运行时响应缓慢或负载过高。"}
	msgStartTimeoutExpl    = &Message{EN: "The runtime did not answer within the kubelet's runtimeRequestTimeout; it is slow or overloaded (disk, too many containers).", ZH: "容器运行时未在 kubelet 的 runtimeRequestTimeout 内响应；它响应缓慢或负载过高（磁盘、容器过多）。"}
	msgStartUnknownAct     = &Message{EN: "Read the runtime error below; check the runtime's logs on the node.", ZH: "阅读下方运行时错误原文；在节点上检查容器运行时的日志。"}
	msgStartNotFoundAct    = &Message{EN: "Fix command / args, or use an image that contains the binary; with a distroless image there is no shell for sh -c.", ZH: "修正 command / args，或使用包含该可执行文件的镜像；distroless 镜像中没有可用于 sh -c 的 Shell。"}
	msgStartFormatAct      = &Message{EN: "Build the image for the node's architecture (or multi-arch), or schedule onto matching nodes.", ZH: "为节点架构（或多架构）构建镜像，或将 Pod 调度到架构匹配的节点上。"}
	msgStartPermAct        = &Message{EN: "chmod +x the file in the image, check runAsUser against file ownership, and that the volume is not mounted noexec.", ZH: "在镜像中为该文件执行 chmod +x，核对 runAsUser 与文件属主，并确认卷没有以 noexec 方式挂载。"}
	msgStartNoFileAct      = &Message{EN: "Check the command path, the script's #! interpreter, the image's libraries, and volume mounts or subPaths over the binary's directory.", ZH: "检查命令路径、脚本 #! 解释器、镜像中的库，以及覆盖在可执行文件目录上的卷挂载或 subPath。"}
	msgStartRuntimeSlowAct = &Message{EN: "Check the runtime's load and disk on the node; it usually clears once the runtime catches up.", ZH: "检查节点上容器运行时的负载和磁盘；运行时恢复后通常会自行消失。"}
	msgPostStartTitle      = &Message{EN: "Container %q: postStart hook failed, container killed", ZH: "容器 %q：postStart 钩子执行失败，容器已被终止"}
	msgPostStartExpl       = &Message{EN: "The lifecycle.postStart hook returned an error, so the kubelet killed the container. The hook runs at the same time as the entrypoint, so it may run before the server listens.", ZH: "lifecycle.postStart 钩子返回错误，kubelet 因此终止了容器。该钩子与 entrypoint 同时运行，可能在服务开始监听之前就已执行。"}
	msgPostStartAct        = &Message{EN: "Fix the hook command or HTTP target, make it wait for the app or tolerate it not being ready, and keep it short.", ZH: "修正钩子命令或 HTTP 目标，让它等待应用就绪或容忍应用尚未就绪，并保持其执行时间简短。"}
	msgPreCreateTitle      = &Message{EN: "Container %q: kubelet's internal pre-create hook failed", ZH: "容器 %q：kubelet 内部的 pre-create 钩子执行失败"}
	msgPreCreateExpl       = &Message{EN: "The kubelet's container manager (CPU / memory manager pinning) failed while preparing the container. This is not your lifecycle hook.", ZH: "kubelet 的容器管理器（CPU / 内存管理器绑核）在准备容器时失败。这与你定义的 lifecycle 钩子无关。"}
	msgPreStartTitle       = &Message{EN: "Container %q: kubelet's internal pre-start hook failed", ZH: "容器 %q：kubelet 内部的 pre-start 钩子执行失败"}
	msgPreStartExpl        = &Message{EN: "The kubelet's internal resource-manager hook (CPU, memory or topology manager) failed before starting the container. This is not your postStart or preStop hook.", ZH: "kubelet 内部的资源管理器钩子（CPU、内存或拓扑管理器）在启动容器前失败。这与你的 postStart 或 preStop 钩子无关。"}
	msgInternalHookAct     = &Message{EN: "Check the kubelet's CPU / memory / topology manager policy and state on the node, and the kubelet log.", ZH: "检查节点上 kubelet 的 CPU / 内存 / 拓扑管理器策略与状态，以及 kubelet 日志。"}
)

var startTitles = [...]*Message{
	startUnknown: msgStartUnknownTitle, startNotFound: msgStartNotFoundTitle, startExecFormat: msgStartFormatTitle,
	startPermission: msgStartPermTitle, startNoSuchFile: msgStartNoFileTitle, startNameReserved: msgStartReservedTitle,
	startTimeout: msgStartTimeoutTitle,
}

var startExpls = [...]*Message{
	startUnknown: msgStartUnknownExpl, startNotFound: msgStartNotFoundExpl, startExecFormat: msgStartFormatExpl,
	startPermission: msgStartPermExpl, startNoSuchFile: msgStartNoFileExpl, startNameReserved: msgStartReservedExpl,
	startTimeout: msgStartTimeoutExpl,
}

var startActs = [...]*Message{
	startUnknown: msgStartUnknownAct, startNotFound: msgStartNotFoundAct, startExecFormat: msgStartFormatAct,
	startPermission: msgStartPermAct, startNoSuchFile: msgStartNoFileAct, startNameReserved: msgStartRuntimeSlowAct,
	startTimeout: msgStartRuntimeSlowAct,
}
