package diagnose

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestCommands(t *testing.T) {
	t.Parallel()
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "cart-7d9"}, Status: corev1.PodStatus{PodIP: "10.0.0.7"}}
	got := []string{
		cmdGetPodWide(pod),
		cmdDescribePod(pod),
		cmdPodEvents(pod),
		cmdLogs(pod, "app", true),
		cmdLogs(pod, "app", false),
		cmdContainerStatus(pod, "migrate", true),
		cmdContainerSpec(pod, "app", false),
		cmdDescribeNode("node-1"),
		cmdNodeTaints("node-1"),
		cmdEventsByReason("FailedMount"),
		cmdDebugNode("node-1"),
		cmdNodeLease("node-1"),
		cmdPodsOnNode("node-1"),
		cmdTopPod(pod),
		cmdGet(pod, "configmap", "cfg"),
		cmdDescribe(pod, "secret", "db"),
		cmdDescribePVC(pod, "data-0"),
		cmdNamespaced(pod, "pvc"),
		cmdServiceAccount(pod),
		cmdEndpoints(pod),
		cmdNodeTaintList,
	}
	want := []string{
		"kubectl get pod -n shop cart-7d9 -o wide",
		"kubectl describe pod -n shop cart-7d9",
		"kubectl get events -n shop --field-selector involvedObject.name=cart-7d9 --sort-by=.lastTimestamp",
		"kubectl logs -n shop cart-7d9 -c app --previous",
		"kubectl logs -n shop cart-7d9 -c app",
		`kubectl get pod -n shop cart-7d9 -o jsonpath='{.status.initContainerStatuses[?(@.name=="migrate")]}'`,
		`kubectl get pod -n shop cart-7d9 -o jsonpath='{.spec.containers[?(@.name=="app")]}'`,
		"kubectl describe node node-1",
		"kubectl get node node-1 -o jsonpath='{.spec.taints}'",
		"kubectl get events -A --field-selector reason=FailedMount",
		"kubectl debug node/node-1 -it --image=busybox",
		"kubectl get lease -n kube-node-lease node-1",
		"kubectl get pods -A -o wide --field-selector spec.nodeName=node-1",
		"kubectl top pod -n shop cart-7d9 --containers",
		"kubectl get configmap -n shop cfg",
		"kubectl describe secret -n shop db",
		"kubectl describe pvc data-0 -n shop",
		"kubectl get pvc -n shop",
		"kubectl get serviceaccount -n shop default -o yaml",
		`kubectl get endpointslices -n shop -o custom-columns='SLICE:.metadata.name,SERVICE:.metadata.labels.kubernetes\.io/service-name,POD_READY:.endpoints[?(@.targetRef.name=="cart-7d9")].conditions.ready'`,
		"kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

// hostileValues are strings a pod's author can put where a name is expected:
// shell syntax, a newline shown as a space but pasted as a line break, a NUL,
// bytes that are not UTF-8, a kubectl flag, and names too long or in the
// wrong case for Kubernetes.
var hostileValues = []string{
	"regcred; curl x | sh #",
	"regcred && curl x|sh",
	"$(id)",
	"${HOME}",
	"`id`",
	"regcred\ncurl x | sh",
	"regcred\rcurl",
	"reg'cred",
	`reg"cred`,
	`reg\cred`,
	"reg\x00cred",
	"reg\xffcred",
	"reg cred",
	"~root",
	"*",
	"{a,b}",
	"<node>",
	"> /tmp/x",
	"--kubeconfig=/tmp/x",
	"-n",
	"Regcred",
	"regcred.",
	"",
	strings.Repeat("a", 300),
}

// TestHostileValuesGetNoCommand takes real captures and puts each hostile
// value into one field that reaches a command. The finding must still be
// there, with the value in its evidence, but none of its commands may carry
// the value, and an action's command shows a placeholder instead.
func TestHostileValuesGetNoCommand(t *testing.T) {
	t.Parallel()
	paths := []struct {
		name string
		// diagnose loads a capture, puts h into one field and diagnoses it.
		diagnose func(t *testing.T, h string) Diagnosis
		// skip tells the values that have a legitimate meaning there: an
		// empty serviceAccountName is "default", a name in a message
		// ends at a double quote, and a pod without a node has no node.
		skip     func(h string) bool
		code     Code
		commands []string // the finding's commands, exactly
		action   string   // an English action of the finding contains this
		evidence string   // the evidence whose Source ends so holds h ("" to skip)
	}{
		{
			name: "imagePullSecrets[].name of an unauthorized pull",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := loadFixture(t, "imagepull-unauthorized.yaml")
				in.Pod.Spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: h}}
				return Pod(in, fixtureNow)
			},
			code: CodeImagePullBackOff,
			commands: []string{
				"kubectl describe pod -n payments ledger-0",
				"kubectl get events -n payments --field-selector involvedObject.name=ledger-0 --sort-by=.lastTimestamp",
				"kubectl get serviceaccount -n payments ledger -o yaml",
			},
			evidence: "spec.imagePullSecrets",
		},
		{
			name: "serviceAccountName of an unauthorized pull",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := loadFixture(t, "imagepull-unauthorized.yaml")
				in.Pod.Spec.ServiceAccountName = h
				return Pod(in, fixtureNow)
			},
			skip: func(h string) bool { return h == "" },
			code: CodeImagePullBackOff,
			commands: []string{
				"kubectl describe pod -n payments ledger-0",
				"kubectl get events -n payments --field-selector involvedObject.name=ledger-0 --sort-by=.lastTimestamp",
				"kubectl describe secret -n payments dockerhub-acme",
			},
		},
		{
			name: "a ConfigMap name in a waiting message",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := loadFixture(t, "configerror-missing-key.yaml")
				in.Pod.Status.ContainerStatuses[0].State.Waiting.Message = `configmap "` + h + `" not found`
				return Pod(in, fixtureNow)
			},
			skip: func(h string) bool { return strings.Contains(h, `"`) },
			code: CodeCreateContainerConfigError,
			commands: []string{
				"kubectl describe pod -n shop checkout-8c9d0e1f2-ab3cd",
				"kubectl get events -n shop --field-selector involvedObject.name=checkout-8c9d0e1f2-ab3cd --sort-by=.lastTimestamp",
			},
			evidence: ".state.waiting.message",
		},
		{
			name: "a Secret name in a waiting message",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := loadFixture(t, "configerror-missing-key.yaml")
				in.Pod.Status.ContainerStatuses[0].State.Waiting.Message = `secret "` + h + `" not found`
				return Pod(in, fixtureNow)
			},
			skip: func(h string) bool { return strings.Contains(h, `"`) },
			code: CodeCreateContainerConfigError,
			commands: []string{
				"kubectl describe pod -n shop checkout-8c9d0e1f2-ab3cd",
				"kubectl get events -n shop --field-selector involvedObject.name=checkout-8c9d0e1f2-ab3cd --sort-by=.lastTimestamp",
			},
			evidence: ".state.waiting.message",
		},
		{
			name: "a container name",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := loadFixture(t, "crashloop-exit1.yaml")
				in.Pod.Spec.Containers[0].Name = h
				in.Pod.Status.ContainerStatuses[0].Name = h
				return Pod(in, fixtureNow)
			},
			code: CodeCrashLoopBackOff,
			commands: []string{
				"kubectl describe pod -n shop cart-7d9c5b8f4-x2x9z",
				"kubectl get events -n shop --field-selector involvedObject.name=cart-7d9c5b8f4-x2x9z --sort-by=.lastTimestamp",
			},
		},
		{
			name: "a pod name",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := loadFixture(t, "crashloop-exit1.yaml")
				in.Pod.Name = h
				return Pod(in, fixtureNow)
			},
			code: CodeCrashLoopBackOff,
		},
		{
			name: "a namespace",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := loadFixture(t, "crashloop-exit1.yaml")
				in.Pod.Namespace = h
				return Pod(in, fixtureNow)
			},
			code: CodeCrashLoopBackOff,
		},
		{
			name: "the name of a node without CNI",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := readListFixture(t, "testdata/node-cni-notready.yaml")
				in.Node.Name = h
				return Node(in.Node, tnow)
			},
			code:   CodeNodeNetworkNotReady,
			action: "/etc/cni/net.d",
		},
		{
			name: "the node of an evicted pod",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := readListFixture(t, "testdata/pod-evicted-memory.yaml")
				in.Pod.Spec.NodeName, in.Node.Name = h, h
				return Pod(in, tnow)
			},
			skip: func(h string) bool { return h == "" },
			code: CodeEvicted,
			commands: []string{
				"kubectl describe pod -n shop cart-84d6f7c9b5-m2x7q",
				"kubectl get events -n shop --field-selector involvedObject.name=cart-84d6f7c9b5-m2x7q --sort-by=.lastTimestamp",
			},
			action: "what fills it: kubectl describe node <node>.",
		},
		{
			name: "the name of a pod held by a finalizer",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := readListFixture(t, "testdata/pod-terminating-finalizer.yaml")
				in.Pod.Name = h
				return Pod(in, tnow)
			},
			code:   CodeStuckTerminating,
			action: "(kubectl patch pod <pod> -n batch --type=merge",
		},
		{
			name: "a volume's claimName",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := readListFixture(t, "testdata/sched-pvc-old.yaml")
				for _, v := range in.Pod.Spec.Volumes {
					if v.PersistentVolumeClaim != nil {
						v.PersistentVolumeClaim.ClaimName = h
					}
				}
				return Pod(in, tnow)
			},
			code: CodeUnschedulable,
			commands: []string{
				"kubectl describe pod -n data postgres-1",
				"kubectl get events -n data --field-selector involvedObject.name=postgres-1 --sort-by=.lastTimestamp",
				"kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints",
				"kubectl get pvc -n data",
				"kubectl get pv",
			},
			action:   "kubectl describe pvc <pvc> -n data",
			evidence: "persistentVolumeClaim.claimName",
		},
		{
			name: "status.nominatedNodeName",
			diagnose: func(t *testing.T, h string) Diagnosis {
				p := mkPod()
				p.Status.NominatedNodeName = h
				return Pod(PodInput{Pod: p}, tnow)
			},
			skip:     func(h string) bool { return h == "" },
			code:     CodePreemptionPending,
			commands: []string{"kubectl describe pod -n shop web-7d4b9c-x2x9z"},
			evidence: "status.nominatedNodeName",
		},
		{
			name: "the pod IP of a pod failing its readiness probe",
			diagnose: func(t *testing.T, h string) Diagnosis {
				in := podWith(readiness("app", httpProbe("/ready", 8080)), running("app", 10*time.Minute, false),
					event("Warning", "Unhealthy", "app", "Readiness probe failed: HTTP probe failed with statuscode: 503", 40, 9*time.Minute, 5*time.Second))
				in.Pod.Status.PodIP = h
				in.Pod.Status.PodIPs = []corev1.PodIP{{IP: h}}
				return Pod(in, cnow)
			},
			code: CodeReadinessProbeFailed,
			commands: []string{
				"kubectl describe pod -n shop cart-7d9",
				"kubectl logs -n shop cart-7d9 -c app",
				`kubectl get endpointslices -n shop -o custom-columns='SLICE:.metadata.name,SERVICE:.metadata.labels.kubernetes\.io/service-name,POD_READY:.endpoints[?(@.targetRef.name=="cart-7d9")].conditions.ready'`,
			},
		},
	}
	for _, p := range paths {
		for _, h := range hostileValues {
			if p.skip != nil && p.skip(h) {
				continue
			}
			t.Run(p.name+"/"+strconv.Quote(h), func(t *testing.T) {
				t.Parallel()
				d := p.diagnose(t, h)
				f, ok := findCode(d, p.code)
				if !ok {
					t.Fatalf("no %s finding; codes %v", p.code, d.Codes())
				}
				if got := f.Commands; !slices.Equal(got, p.commands) {
					t.Errorf("commands:\n got %q\nwant %q", got, p.commands)
				}
				if p.action != "" {
					if err := wantAction(p.code, English, p.action)(d); err != nil {
						t.Error(err)
					}
				}
				if p.evidence != "" {
					found := false
					for _, e := range f.Evidence {
						found = found || strings.HasSuffix(e.Source, p.evidence) && strings.Contains(e.Value, h)
					}
					if !found {
						t.Errorf("no evidence %s holds the value; evidence %q", p.evidence, f.Evidence)
					}
				}
				for _, f := range d.Findings {
					for _, c := range f.Commands {
						if _, err := kubectlArgs(c); err != nil {
							t.Errorf("%s: %v", f.Code, err)
						}
					}
				}
			})
		}
	}
}

// TestHostileEventReasonGetsNoCommand: an event reason is free text to the
// API server, and would change a field selector ("," "=" and backslash)
// besides the shell.
func TestHostileEventReasonGetsNoCommand(t *testing.T) {
	t.Parallel()
	selector := []string{"Failed,involvedObject.name=x", "Failed=x", `Failed\`, strings.Repeat("A", 129)}
	for _, h := range slices.Concat(hostileValues, selector) {
		if h == "Regcred" {
			continue // a fine reason: no name rule applies to it
		}
		if got := cmdEventsByReason(h); got != "" {
			t.Errorf("cmdEventsByReason(%q) = %q, want no command", h, got)
		}
	}
	long := strings.Repeat("A", 128)
	if got, want := cmdEventsByReason(long), "kubectl get events -A --field-selector reason="+long; got != want {
		t.Errorf("a 128-byte reason: got %q, want %q", got, want)
	}
}

// TestShellWord pins how arguments are written: bare when nothing in them
// means anything to a shell, otherwise single-quoted after an optional safe
// "name=" prefix.
func TestShellWord(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"cart-7d9", "cart-7d9"},
		{"involvedObject.name=cart-7d9", "involvedObject.name=cart-7d9"},
		{"--sort-by=.lastTimestamp", "--sort-by=.lastTimestamp"},
		{"jsonpath={.spec.taints}", "jsonpath='{.spec.taints}'"},
		{"", "''"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"$(id)", "'$(id)'"},
		{"=cmd", "'=cmd'"},
		{"~root", "'~root'"},
		{"x;y=z", "'x;y=z'"},
		{"a=b c", "a='b c'"},
	} {
		if got := shellWord(tc.in); got != tc.want {
			t.Errorf("shellWord(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestKubectlQuotesAnyArgument is a property: whatever the arguments (any
// printable text), kubectl writes one simple command that a shell splits
// back into exactly those arguments.
func TestKubectlQuotesAnyArgument(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(args []string) {
		t.Helper()
		cmd := kubectl(args...)
		got, err := kubectlArgs(cmd)
		if err != nil {
			t.Fatalf("kubectl(%q): %v", args, err)
		}
		if !slices.Equal(got, args) {
			t.Fatalf("kubectl(%q) = %s, which a shell reads as %q", args, cmd, got)
		}
	}
	for _, h := range hostileValues {
		if printable(h) {
			check([]string{"describe", "secret", "-n", h, h})
		}
	}
	for range 3000 {
		args := make([]string, 1+rng.IntN(4))
		for i := range args {
			args[i] = randomText(rng, shellAlphabet)
		}
		check(args)
	}
}

// shellAlphabet mixes name characters with every byte a shell treats
// specially, and a few non-ASCII letters.
const shellAlphabet = "abcxyz019AZ-._/:=,@%+ ;|&$()`'\"\\*?[]{}~#!<>^é漢"

// randomText is up to 12 runes from alphabet, sometimes a long run.
func randomText(rng *rand.Rand, alphabet string) string {
	runes := []rune(alphabet)
	n := rng.IntN(13)
	if rng.IntN(20) == 0 {
		n = 200 + rng.IntN(100)
	}
	var b strings.Builder
	for range n {
		b.WriteRune(runes[rng.IntN(len(runes))])
	}
	return b.String()
}

func printable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}
