package diagnose

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
)

// fuzzInput is what FuzzPod decodes its bytes into: a pod, its events, and
// the clock as an offset from the fixtures' capture time.
type fuzzInput struct {
	Pod        *corev1.Pod     `json:"pod"`
	Events     []*corev1.Event `json:"events"`
	NowSeconds int64           `json:"nowSeconds"`
}

// FuzzPod feeds arbitrary pods and events to Pod. data is a JSON pod with
// events (see fuzzInput); when it does not decode, a template pod is used.
// reason/message become the first container's waiting reason and message
// (and its last termination's reason, message and exit code), and
// eventReason/eventMessage an event about it, so the fuzzer reaches every
// message table quickly. Pod must never panic, never modify its input, and
// every finding must render in both languages. The seed corpus is in
// testdata/fuzz/FuzzPod.
func FuzzPod(f *testing.F) {
	for _, name := range []string{"crashloop-exit1.yaml", "imagepull-unauthorized.yaml", "liveness-killing.yaml", "init-crashloop.yaml", "sandbox-cni.yaml", "configerror-missing-key.yaml"} {
		in := loadFixture(f, name)
		b, err := json.Marshal(fuzzInput{Pod: in.Pod, Events: in.Events})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "", "", "", "", int32(0))
	}
	f.Add([]byte(nil), "CrashLoopBackOff", "back-off 40s restarting failed container=app pod=p_ns(uid)", "Killing", "Container app failed liveness probe, will be restarted", int32(137))
	f.Add([]byte(nil), "ErrImagePull", notFoundPull, "Failed", "Failed to pull image \"x\": "+authPull, int32(0))
	f.Add([]byte(nil), "CreateContainerConfigError", "couldn't find key k in ConfigMap shop/c", "Failed", "Error: couldn't find key k in ConfigMap shop/c", int32(0))
	f.Add([]byte(nil), "ContainerCreating", "", "FailedCreatePodSandBox", "Failed to create pod sandbox: plugin type=\"calico\" failed (add): ipam", int32(0))
	f.Fuzz(func(t *testing.T, data []byte, reason, message, eventReason, eventMessage string, exit int32) {
		var fi fuzzInput
		if err := json.Unmarshal(data, &fi); err != nil || fi.Pod == nil {
			in := podWith()
			fi = fuzzInput{Pod: in.Pod}
		}
		pod := fi.Pod
		if reason != "" && len(pod.Status.ContainerStatuses) > 0 {
			st := &pod.Status.ContainerStatuses[0]
			st.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: message}}
			st.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				Reason: reason, Message: message, ExitCode: exit, FinishedAt: cago(time.Minute)}}
			st.RestartCount = exit
		}
		if eventReason != "" {
			e := &corev1.Event{Reason: eventReason, Message: eventMessage, Type: "Warning", Count: exit, LastTimestamp: cago(time.Minute)}
			if len(pod.Spec.Containers) > 0 {
				e.InvolvedObject.FieldPath = "spec.containers{" + pod.Spec.Containers[0].Name + "}"
			}
			fi.Events = append(fi.Events, e)
		}
		before := pod.DeepCopy()
		var eventsBefore []*corev1.Event
		for _, e := range fi.Events {
			if e != nil {
				eventsBefore = append(eventsBefore, e.DeepCopy())
			} else {
				eventsBefore = append(eventsBefore, nil)
			}
		}
		now := fixtureNow.Add(time.Duration(fi.NowSeconds%(1<<31)) * time.Second)
		d := Pod(PodInput{Pod: pod, Events: fi.Events}, now)
		if !d.RecheckAt.IsZero() && !d.RecheckAt.After(now) {
			t.Fatalf("RecheckAt %v is not after now %v", d.RecheckAt, now)
		}
		// Nothing but the clock moves: until RecheckAt the diagnosis is the
		// same value.
		if later := now.Add(time.Second); d.RecheckAt.IsZero() || later.Before(d.RecheckAt) {
			if d2 := Pod(PodInput{Pod: pod, Events: fi.Events}, later); !reflect.DeepEqual(d, d2) {
				t.Fatalf("a second later, before RecheckAt %v, the diagnosis changed: %v -> %v", d.RecheckAt, d.Codes(), d2.Codes())
			}
		}
		for i, f := range d.Findings {
			if f.Code == "" {
				t.Fatalf("finding %d has no code", i)
			}
			if i > 0 && d.Findings[i-1].Severity < f.Severity {
				t.Fatalf("findings out of order: %v", d.Codes())
			}
			for _, lang := range Langs {
				for _, tx := range append([]Text{f.Title, f.Explanation}, f.Actions...) {
					if s := tx.In(lang, now); strings.Contains(s, "%!") {
						t.Fatalf("%s renders badly in %s: %q", f.Code, lang, s)
					}
				}
			}
		}
		if !reflect.DeepEqual(before, pod) {
			t.Fatal("Pod modified its input pod")
		}
		for i, e := range fi.Events {
			if !reflect.DeepEqual(eventsBefore[i], e) {
				t.Fatal("Pod modified an input event")
			}
		}
	})
}

// FuzzClassifyPullError checks the message classifiers never panic and that
// the pullTable classification ignores ASCII case.
func FuzzClassifyPullError(f *testing.F) {
	for _, s := range []string{notFoundPull, authPull, dnsPull, "x509: certificate signed by unknown authority",
		"no match for platform in manifest: not found", "toomanyrequests", "couldn't find key k in ConfigMap ns/n",
		`secret "s" not found`, "container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root",
		"back-off 40s restarting failed container=app pod=p_ns(uid)", `volume "v" : secret "x" not found`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := classifyPullError(s)
		if c < pullUnknown || c > pullInvalid {
			t.Fatalf("class %d out of range", c)
		}
		if isASCII(s) {
			if u := classifyPullError(strings.ToUpper(s)); u != c {
				t.Fatalf("classifyPullError(%q) = %v but upper case gives %v", s, c, u)
			}
		}
		_ = classifyStartError(s)
		_ = classifySandbox(s)
		_ = parseConfigError(s)
		_ = mountMissing(s)
		_ = volumeName(s)
		_ = unhealthyKind(s)
		_ = killingKind(s)
		_ = probeOutput(s)
		if b := parseBackoff(s); b != "" && !strings.Contains(s, b) {
			t.Fatalf("parseBackoff(%q) = %q, not in the message", s, b)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
