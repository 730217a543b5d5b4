package informers_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"

	"github.com/podlens/podlens/internal/informers"
)

// FuzzTransformUTF8 puts arbitrary bytes in the strings of a pod, an event
// and a node that the dashboard shows: after the transform every string is
// valid UTF-8, valid text is unchanged, and invalid text is the same with
// each run of invalid bytes replaced by U+FFFD.
func FuzzTransformUTF8(f *testing.F) {
	for _, s := range []string{"web-7d9f8", "", "\xff\xfe bad", "日本語", "a\xc3(b", "\xed\xa0\x80", "ok\x00nul", "\xf4\x90\x80\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.ToValidUTF8(s, "\uFFFD")
		if utf8.ValidString(s) && want != s {
			t.Fatalf("valid %q would change to %q", s, want)
		}

		p := fullPod()
		p.OwnerReferences[0].Name = s
		p.Labels["fuzz"] = s
		p.Spec.Containers[0].Name, p.Spec.Containers[0].Image = s, s
		p.Spec.Containers[0].Args = []string{s, "--password=" + s}
		p.Status.Message = s
		cs := &p.Status.ContainerStatuses[0]
		cs.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: s, Message: s}}
		cs.LastTerminationState.Terminated.Message = s
		p.Status.Conditions[0].Message = s
		got := transformPod(t, p)
		checkValid(t, got)
		for field, v := range map[string]string{
			"owner name": got.OwnerReferences[0].Name, "label": got.Labels["fuzz"],
			"container name": got.Spec.Containers[0].Name, "image": got.Spec.Containers[0].Image,
			"status message": got.Status.Message, "waiting message": got.Status.ContainerStatuses[0].State.Waiting.Message,
			"termination message": got.Status.ContainerStatuses[0].LastTerminationState.Terminated.Message,
			"condition message":   got.Status.Conditions[0].Message,
		} {
			if v != want {
				t.Errorf("%s = %q, want %q", field, v, want)
			}
		}

		e, err := informers.Transform(&corev1.Event{
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: s},
			Reason:         s, Message: s, Source: corev1.EventSource{Component: s, Host: s},
		})
		if err != nil {
			t.Fatal(err)
		}
		checkValid(t, e)
		if ev := e.(*corev1.Event); ev.Message != want || ev.InvolvedObject.Name != want {
			t.Errorf("event message %q, involved object %q, want %q", ev.Message, ev.InvolvedObject.Name, want)
		}

		n, err := informers.Transform(&corev1.Node{
			Spec:   corev1.NodeSpec{Taints: []corev1.Taint{{Key: s, Value: s}}},
			Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Message: s}}, NodeInfo: corev1.NodeSystemInfo{OSImage: s}},
		})
		if err != nil {
			t.Fatal(err)
		}
		checkValid(t, n)
		if node := n.(*corev1.Node); node.Status.Conditions[0].Message != want {
			t.Errorf("node condition message %q, want %q", node.Status.Conditions[0].Message, want)
		}
	})
}

func checkValid(t *testing.T, obj any) {
	t.Helper()
	if bad := invalidStrings(reflect.ValueOf(obj), "obj"); len(bad) > 0 {
		t.Errorf("invalid UTF-8 after the transform: %v", bad)
	}
}

// FuzzRedactArgs feeds arbitrary arguments to the redaction of command
// lines: it never fails, redacting twice gives what redacting once did,
// and a value given as --password=<value> never survives.
func FuzzRedactArgs(f *testing.F) {
	for _, a := range [][2]string{
		{"--password=hunter2", "--port=80"}, {"--token", "x"}, {"sh -c 'app --password \"a b\"'", ""},
		{"postgres://u:p@h/db?password=q&x=1", "Server=a;Password=b;"}, {"$(X)", "--auth"}, {"\"", "'--token"},
	} {
		f.Add(a[0], a[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		args := []string{a, b}
		once := informers.RedactArgs(slices.Clone(args), false)
		if twice := informers.RedactArgs(slices.Clone(once), false); !slices.Equal(once, twice) {
			t.Errorf("redacting %q gives %q, and again %q", args, once, twice)
		}
		secret := strings.TrimSpace(b)
		if len(secret) < 4 || strings.ContainsAny(secret, " \t\n\r'\"$-") || strings.Contains(informers.RedactedArgValue, secret) {
			return
		}
		got := informers.RedactArgs([]string{"--password=" + secret}, false)
		// Only the value counts: the flag's own name may hold the secret's
		// bytes ("ord=" is in "--password=").
		if value, _ := strings.CutPrefix(got[0], "--password="); strings.Contains(value, secret) {
			t.Errorf("--password=%s is shown as %q", secret, got[0])
		}
	})
}
