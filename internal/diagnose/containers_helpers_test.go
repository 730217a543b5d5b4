package diagnose

import (
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Option builders and check builders for the container, image, crash and
// probe tests (containers_test.go, images_test.go, crashes_test.go,
// probes_test.go).

// cnow is the fixed clock of the container tests.
var cnow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func cago(d time.Duration) metav1.Time { return metav1.NewTime(cnow.Add(-d)) }

// opt changes a test input: the pod or its events.
type opt func(*PodInput)

// podWith is a Running pod shop/cart-7d9 on node-1 with one ready container
// "app" started an hour ago, plus opts.
func podWith(opts ...opt) PodInput {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "cart-7d9", UID: "uid-cart", CreationTimestamp: cago(time.Hour)},
		Spec: corev1.PodSpec{
			NodeName:      "node-1",
			RestartPolicy: corev1.RestartPolicyAlways,
			Containers:    []corev1.Container{{Name: "app", Image: "registry.example.com/shop/cart:1.4"}},
		},
		Status: corev1.PodStatus{
			Phase:     corev1.PodRunning,
			StartTime: ptr(cago(time.Hour)),
			PodIP:     "10.244.1.7",
			ContainerStatuses: []corev1.ContainerStatus{{
				Name: "app", Image: "registry.example.com/shop/cart:1.4", Ready: true, Started: ptr(true),
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: cago(time.Hour)}},
			}},
		},
	}
	in := PodInput{Pod: p}
	for _, o := range opts {
		o(&in)
	}
	return in
}

func ptr[T any](v T) *T { return &v }

// status returns the status of the named container (app or init), adding
// an app container when it does not exist yet.
func status(in *PodInput, name string) *corev1.ContainerStatus {
	p := in.Pod
	if st := statusFor(p.Status.ContainerStatuses, name); st != nil {
		return st
	}
	if st := statusFor(p.Status.InitContainerStatuses, name); st != nil {
		return st
	}
	p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: name, Image: "registry.example.com/shop/" + name + ":1.0"})
	p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{Name: name, Image: "registry.example.com/shop/" + name + ":1.0"})
	return &p.Status.ContainerStatuses[len(p.Status.ContainerStatuses)-1]
}

// spec returns the spec of the named container (app or init).
func spec(in *PodInput, name string) *corev1.Container {
	p := in.Pod
	status(in, name)
	for i := range p.Spec.InitContainers {
		if p.Spec.InitContainers[i].Name == name {
			return &p.Spec.InitContainers[i]
		}
	}
	for i := range p.Spec.Containers {
		if p.Spec.Containers[i].Name == name {
			return &p.Spec.Containers[i]
		}
	}
	panic("no container " + name)
}

func waiting(name, reason, msg string) opt {
	return func(in *PodInput) {
		st := status(in, name)
		st.Ready, st.Started = false, ptr(false)
		st.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: msg}}
	}
}

func running(name string, startedAgo time.Duration, ready bool) opt {
	return func(in *PodInput) {
		st := status(in, name)
		st.Ready, st.Started = ready, ptr(true)
		st.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: cago(startedAgo)}}
	}
}

func terminated(name, reason string, exit int32, ran, finishedAgo time.Duration) opt {
	return func(in *PodInput) {
		st := status(in, name)
		st.Ready, st.Started = false, ptr(false)
		st.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			Reason: reason, ExitCode: exit, StartedAt: cago(finishedAgo + ran), FinishedAt: cago(finishedAgo)}}
	}
}

func lastTerminated(name, reason string, exit int32, ran, finishedAgo time.Duration, msg string) opt {
	return func(in *PodInput) {
		st := status(in, name)
		st.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			Reason: reason, ExitCode: exit, Message: msg, StartedAt: cago(finishedAgo + ran), FinishedAt: cago(finishedAgo)}}
	}
}

func restarts(name string, n int32) opt {
	return func(in *PodInput) { status(in, name).RestartCount = n }
}

func phase(ph corev1.PodPhase) opt { return func(in *PodInput) { in.Pod.Status.Phase = ph } }

func restartPolicy(rp corev1.RestartPolicy) opt {
	return func(in *PodInput) { in.Pod.Spec.RestartPolicy = rp }
}

func podStartedAgo(d time.Duration) opt {
	return func(in *PodInput) {
		in.Pod.CreationTimestamp = cago(d)
		in.Pod.Status.StartTime = ptr(cago(d))
	}
}

// creatingPod makes the pod Pending with every container waiting in reason
// (ContainerCreating or PodInitializing), started d ago.
func creatingPod(reason string, d time.Duration) opt {
	return func(in *PodInput) {
		in.Pod.Status.Phase = corev1.PodPending
		in.Pod.CreationTimestamp = cago(d)
		in.Pod.Status.StartTime = ptr(cago(d))
		in.Pod.Status.PodIP = ""
		for i := range in.Pod.Status.ContainerStatuses {
			st := &in.Pod.Status.ContainerStatuses[i]
			st.Ready, st.Started = false, ptr(false)
			st.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}
		}
	}
}

// initCtr adds a regular init container (or a sidecar) before the others.
func initCtr(name string, sidecar bool) opt {
	return func(in *PodInput) {
		c := corev1.Container{Name: name, Image: "registry.example.com/shop/" + name + ":1.0", Command: []string{"/bin/migrate", "up"}}
		if sidecar {
			c.RestartPolicy = ptr(corev1.ContainerRestartPolicyAlways)
		}
		in.Pod.Spec.InitContainers = append(in.Pod.Spec.InitContainers, c)
		in.Pod.Status.InitContainerStatuses = append(in.Pod.Status.InitContainerStatuses, corev1.ContainerStatus{
			Name: name, Image: c.Image,
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed", StartedAt: cago(time.Hour), FinishedAt: cago(time.Hour)}},
		})
	}
}

func image(name, img string) opt {
	return func(in *PodInput) { spec(in, name).Image = img; status(in, name).Image = img }
}

func pullPolicy(name string, p corev1.PullPolicy) opt {
	return func(in *PodInput) { spec(in, name).ImagePullPolicy = p }
}

func pullSecrets(names ...string) opt {
	return func(in *PodInput) {
		for _, n := range names {
			in.Pod.Spec.ImagePullSecrets = append(in.Pod.Spec.ImagePullSecrets, corev1.LocalObjectReference{Name: n})
		}
	}
}

func memLimit(name, q string) opt {
	return func(in *PodInput) {
		s := spec(in, name)
		s.Resources.Limits = corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(q)}
	}
}

func envSecretKey(name, env, secret, key string) opt {
	return func(in *PodInput) {
		s := spec(in, name)
		s.Env = append(s.Env, corev1.EnvVar{Name: env, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: secret}, Key: key}}})
	}
}

func envFromConfigMap(name, cm string) opt {
	return func(in *PodInput) {
		s := spec(in, name)
		s.EnvFrom = append(s.EnvFrom, corev1.EnvFromSource{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: cm}}})
	}
}

func volumeConfigMap(vol, cm string) opt {
	return func(in *PodInput) {
		in.Pod.Spec.Volumes = append(in.Pod.Spec.Volumes, corev1.Volume{Name: vol, VolumeSource: corev1.VolumeSource{
			ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: cm}}}})
	}
}

func memoryEmptyDir(vol string) opt {
	return func(in *PodInput) {
		in.Pod.Spec.Volumes = append(in.Pod.Spec.Volumes, corev1.Volume{Name: vol, VolumeSource: corev1.VolumeSource{
			EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}}})
	}
}

func runAsNonRoot() opt {
	return func(in *PodInput) { in.Pod.Spec.SecurityContext = &corev1.PodSecurityContext{RunAsNonRoot: ptr(true)} }
}

func command(name string, cmd ...string) opt {
	return func(in *PodInput) { spec(in, name).Command = cmd }
}

func httpProbe(path string, port int) *corev1.Probe {
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromInt32(int32(port))}},
		InitialDelaySeconds: 5, PeriodSeconds: 10, TimeoutSeconds: 1, FailureThreshold: 3}
}

func liveness(name string, p *corev1.Probe) opt {
	return func(in *PodInput) { spec(in, name).LivenessProbe = p }
}
func readiness(name string, p *corev1.Probe) opt {
	return func(in *PodInput) { spec(in, name).ReadinessProbe = p }
}
func startup(name string, p *corev1.Probe) opt {
	return func(in *PodInput) { spec(in, name).StartupProbe = p }
}

func postStartExec(name string, cmd ...string) opt {
	return func(in *PodInput) {
		spec(in, name).Lifecycle = &corev1.Lifecycle{PostStart: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: cmd}}}
	}
}

func deleting() opt {
	return func(in *PodInput) { in.Pod.DeletionTimestamp = ptr(cago(time.Minute)) }
}

// event adds a kubelet event about container c ("" for the pod) that
// happened count times, first firstAgo and last lastAgo.
func event(typ, reason, c, msg string, count int32, firstAgo, lastAgo time.Duration) opt {
	return func(in *PodInput) {
		e := &corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Namespace: in.Pod.Namespace, Name: in.Pod.Name + "." + reason, CreationTimestamp: cago(firstAgo)},
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: in.Pod.Namespace, Name: in.Pod.Name, UID: in.Pod.UID},
			Type:           typ, Reason: reason, Message: msg, Count: count,
			FirstTimestamp: cago(firstAgo), LastTimestamp: cago(lastAgo),
			Source: corev1.EventSource{Component: "kubelet", Host: in.Pod.Spec.NodeName},
		}
		if c != "" {
			field := "spec.containers{" + c + "}"
			for _, ic := range in.Pod.Spec.InitContainers {
				if ic.Name == c {
					field = "spec.initContainers{" + c + "}"
				}
			}
			e.InvolvedObject.FieldPath = field
		}
		in.Events = append(in.Events, e)
	}
}

// containerDiagnosis runs only the container rules, so these tests do not
// depend on the pod-level rules.
func containerDiagnosis(in PodInput, now time.Time) Diagnosis {
	c := newClock(now)
	var fs []Finding
	fs = append(fs, initContainerRule(in, c)...)
	fs = append(fs, containerRule(in, c)...)
	fs = append(fs, probeRule(in, c)...)
	d := newDiagnosis(fs)
	d.RecheckAt = c.next
	return d
}

// check is one property of a diagnosis; it names what broke.
type check func(Diagnosis) error

func codeFinding(d Diagnosis, c Code) (Finding, error) {
	for _, f := range d.Findings {
		if f.Code == c {
			return f, nil
		}
	}
	return Finding{}, fmt.Errorf("no finding %s; got %v", c, d.Codes())
}

func hasCode(c Code) check {
	return func(d Diagnosis) error { _, err := codeFinding(d, c); return err }
}

func noCode(c Code) check {
	return func(d Diagnosis) error {
		if _, err := codeFinding(d, c); err == nil {
			return fmt.Errorf("unexpected finding %s", c)
		}
		return nil
	}
}

func onlyCodes(codes ...Code) check {
	return func(d Diagnosis) error {
		got := d.Codes()
		if fmt.Sprint(got) != fmt.Sprint(codes) {
			return fmt.Errorf("codes = %v, want %v", got, codes)
		}
		return nil
	}
}

func noFindings() check {
	return func(d Diagnosis) error {
		if len(d.Findings) != 0 {
			return fmt.Errorf("want no findings, got %v: %q", d.Codes(), d.Summary(English, cnow))
		}
		return nil
	}
}

func hasSeverity(c Code, s Severity) check {
	return func(d Diagnosis) error {
		f, err := codeFinding(d, c)
		if err != nil {
			return err
		}
		if f.Severity != s {
			return fmt.Errorf("%s severity = %v, want %v (%q)", c, f.Severity, s, f.Title.In(English, cnow))
		}
		return nil
	}
}

func forContainer(c Code, name string) check {
	return func(d Diagnosis) error {
		f, err := codeFinding(d, c)
		if err != nil {
			return err
		}
		if f.Container != name {
			return fmt.Errorf("%s container = %q, want %q", c, f.Container, name)
		}
		return nil
	}
}

func evidenceContains(c Code, source, value string) check {
	return func(d Diagnosis) error {
		f, err := codeFinding(d, c)
		if err != nil {
			return err
		}
		shown := f.EvidenceAt(cnow)
		for _, e := range shown {
			if strings.Contains(e.Source, source) && strings.Contains(e.Value, value) {
				return nil
			}
		}
		return fmt.Errorf("%s has no evidence %q = %q; got %v", c, source, value, shown)
	}
}

func commandContains(c Code, sub string) check {
	return func(d Diagnosis) error {
		f, err := codeFinding(d, c)
		if err != nil {
			return err
		}
		for _, cmd := range f.Commands {
			if strings.Contains(cmd, sub) {
				return nil
			}
		}
		return fmt.Errorf("%s has no command containing %q; got %q", c, sub, f.Commands)
	}
}

func textsContain(what string, c Code, lang Lang, sub string, get func(Finding) []Text) check {
	return func(d Diagnosis) error {
		f, err := codeFinding(d, c)
		if err != nil {
			return err
		}
		var all []string
		for _, t := range get(f) {
			s := t.In(lang, cnow)
			if strings.Contains(s, sub) {
				return nil
			}
			all = append(all, s)
		}
		return fmt.Errorf("%s %s (%s) does not contain %q: %q", c, what, lang, sub, all)
	}
}

func titleContains(c Code, lang Lang, sub string) check {
	return textsContain("title", c, lang, sub, func(f Finding) []Text { return []Text{f.Title} })
}

func explContains(c Code, lang Lang, sub string) check {
	return textsContain("explanation", c, lang, sub, func(f Finding) []Text { return []Text{f.Explanation} })
}

func actionContains(c Code, lang Lang, sub string) check {
	return textsContain("actions", c, lang, sub, func(f Finding) []Text { return f.Actions })
}

func sinceIs(c Code, t time.Time) check {
	return func(d Diagnosis) error {
		f, err := codeFinding(d, c)
		if err != nil {
			return err
		}
		if !f.Since.Equal(t) {
			return fmt.Errorf("%s since = %v, want %v", c, f.Since, t)
		}
		return nil
	}
}

// wellFormed checks that every finding of the container rules renders in
// both languages without fmt errors and carries evidence, actions and commands.
func wellFormed() check {
	mine := map[Code]bool{}
	for _, c := range containerCodes {
		mine[c.Code] = true
	}
	return func(d Diagnosis) error {
		for _, f := range d.Findings {
			if !mine[f.Code] {
				continue
			}
			for _, lang := range Langs {
				texts := append([]Text{f.Title, f.Explanation}, f.Actions...)
				for _, t := range texts {
					s := t.In(lang, cnow)
					if s == "" || strings.Contains(s, "%!") {
						return fmt.Errorf("%s renders badly in %s: %q", f.Code, lang, s)
					}
				}
			}
			if len(f.Evidence) == 0 || len(f.Commands) == 0 || len(f.Actions) == 0 {
				return fmt.Errorf("%s lacks evidence, actions or commands", f.Code)
			}
		}
		return nil
	}
}

// ccase is one row of a container test table.
type ccase struct {
	name   string
	in     PodInput
	checks []check
}

func runContainerCases(t *testing.T, cases []ccase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := containerDiagnosis(tc.in, cnow)
			for _, c := range append(tc.checks, wellFormed()) {
				if err := c(d); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
