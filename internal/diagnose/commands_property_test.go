package diagnose

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// commandValues are the values the property test and FuzzCommands put into
// every field of a pod, its node and its events that reaches a command.
type commandValues struct {
	namespace, pod, container string
	secret, serviceAccount    string // spec.imagePullSecrets[0].name, spec.serviceAccountName
	config, key               string // the ConfigMap / Secret and key a waiting message names
	node                      string // spec.nodeName, the Node's name, status.nominatedNodeName
	claim                     string // a volume's persistentVolumeClaim.claimName
	podIP                     string // in no command (cmdEndpoints matches the pod by name); varied to keep it so
	labelKey, labelValue      string // spec.nodeSelector
	reason                    string // an event reason
}

// fieldRules are the rules of Kubernetes for each field a command template
// names (Kubernetes docs, "Object Names and IDs"); the test's own table, so
// that the code under test is not its own oracle.
var fieldRules = map[string]func(string) []string{
	"ns":     validation.IsDNS1123Label,
	"ctr":    validation.IsDNS1123Label,
	"pod":    validation.IsDNS1123Subdomain,
	"secret": validation.IsDNS1123Subdomain,
	"sa":     validation.IsDNS1123Subdomain,
	"config": validation.IsDNS1123Subdomain,
	"node":   validation.IsDNS1123Subdomain,
	"claim":  validation.IsDNS1123Subdomain,
}

// commandScenario is one way values reach commands: a pod (or node) built
// from the values, and the commands its diagnosis must offer.
type commandScenario struct {
	name string
	// diagnose builds the input from v, diagnoses it and returns the
	// values of the fields the templates name (after the defaults and
	// parsing the code applies, e.g. "default" for an empty
	// serviceAccountName).
	diagnose func(v commandValues) (Diagnosis, map[string]string)
	// needs are fields whose value must be valid for the scenario's
	// findings to be raised at all (an event names its container, for
	// one); with one of them invalid, only the absence of commands with
	// an invalid value is checked.
	needs []string
	// want are kubectl's arguments, space-separated, with <field> for a
	// value. Each must be offered, exactly, when all its values are valid
	// for their field, and must not be offered with anything at all in
	// the place of an invalid value.
	want []string
}

var podTemplates = []string{
	"describe pod -n <ns> <pod>",
	"get events -n <ns> --field-selector involvedObject.name=<pod> --sort-by=.lastTimestamp",
}

// withValues renames podWith's pod, its container and node, and sets its IP.
func withValues(v commandValues) opt {
	return func(in *PodInput) {
		p := in.Pod
		p.Namespace, p.Name, p.Spec.NodeName = v.namespace, v.pod, v.node
		p.Status.PodIP, p.Status.PodIPs = v.podIP, []corev1.PodIP{{IP: v.podIP}}
		p.Spec.Containers[0].Name, p.Status.ContainerStatuses[0].Name = v.container, v.container
	}
}

func podFields(v commandValues) map[string]string {
	return map[string]string{"ns": v.namespace, "pod": v.pod, "ctr": v.container, "node": v.node}
}

// pendingWith is a Pending pod named by v with no node and no container
// status, so only the scheduling rules speak.
func pendingWith(v commandValues, opts ...opt) PodInput {
	in := podWith(withValues(v))
	p := in.Pod
	p.Spec.NodeName = ""
	p.Status = corev1.PodStatus{Phase: corev1.PodPending}
	for _, o := range opts {
		o(&in)
	}
	return in
}

var commandScenarios = []commandScenario{
	{
		name: "unauthorized image pull",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := podWith(withValues(v), waiting(v.container, "ErrImagePull", authPull), pullSecrets(v.secret))
			in.Pod.Spec.ServiceAccountName = v.serviceAccount
			fields := podFields(v)
			fields["secret"], fields["sa"] = v.secret, v.serviceAccount
			if v.serviceAccount == "" {
				fields["sa"] = "default"
			}
			return Pod(in, cnow), fields
		},
		want: append(slices.Clone(podTemplates), "describe secret -n <ns> <secret>", "get serviceaccount -n <ns> <sa> -o yaml"),
	},
	{
		name: "crash loop",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := podWith(withValues(v), waiting(v.container, "CrashLoopBackOff", "back-off 40s restarting failed container"),
				lastTerminated(v.container, "Error", 1, time.Minute, time.Minute, ""), restarts(v.container, 5))
			return Pod(in, cnow), podFields(v)
		},
		want: append(slices.Clone(podTemplates), "logs -n <ns> <pod> -c <ctr> --previous"),
	},
	{
		name: "ConfigMap not found",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			msg := `configmap "` + v.config + `" not found`
			return configScenario(v, msg, "ConfigMap")
		},
		want: append(slices.Clone(podTemplates), "get configmap -n <ns> <config>"),
	},
	{
		name: "key missing from a Secret",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			msg := "couldn't find key " + v.key + " in Secret " + v.namespace + "/" + v.config
			return configScenario(v, msg, "Secret")
		},
		want: append(slices.Clone(podTemplates), "describe secret -n <ns> <config>"),
	},
	{
		name: "runAsNonRoot",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := podWith(withValues(v), waiting(v.container, "CreateContainerConfigError", "container has runAsNonRoot and image will run as root"))
			return Pod(in, cnow), podFields(v)
		},
		want: append(slices.Clone(podTemplates), `get pod -n <ns> <pod> -o jsonpath={.spec.containers[?(@.name=="<ctr>")]}`),
	},
	{
		name: "readiness probe failing",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := podWith(withValues(v), readiness(v.container, httpProbe("/ready", 8080)), running(v.container, 10*time.Minute, false),
				event("Warning", "Unhealthy", v.container, "Readiness probe failed: HTTP probe failed with statuscode: 503", 40, 9*time.Minute, 5*time.Second))
			return Pod(in, cnow), podFields(v)
		},
		needs: []string{"ctr"},
		want: []string{
			"describe pod -n <ns> <pod>",
			"logs -n <ns> <pod> -c <ctr>",
			`get endpointslices -n <ns> -o custom-columns=SLICE:.metadata.name,SERVICE:.metadata.labels.kubernetes\.io/service-name,POD_READY:.endpoints[?(@.targetRef.name=="<pod>")].conditions.ready`,
		},
	},
	{
		name: "evicted from a node",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := podWith(withValues(v))
			in.Pod.Status.Phase, in.Pod.Status.Reason, in.Pod.Status.Message = corev1.PodFailed, "Evicted", "The node was low on resource: memory. "
			return Pod(in, cnow), podFields(v)
		},
		want: append(slices.Clone(podTemplates), "describe node <node>"),
	},
	{
		name: "bound to a node that is gone",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := podWith(withValues(v))
			other := "zz-other-node"
			if v.node == other {
				other += "-2"
			}
			in.Nodes = []*corev1.Node{mkNode(other)}
			if v.node == "" {
				in.Pod.Spec.NodeName = "zz-gone"
			}
			return Pod(in, cnow), podFields(v)
		},
		want: []string{"get pod -n <ns> <pod> -o wide", "get nodes"},
	},
	{
		name: "preemption pending on a nominated node",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := pendingWith(v)
			in.Pod.Status.NominatedNodeName = v.node
			if v.node == "" {
				in.Pod.Status.NominatedNodeName = "zz-nominated"
			}
			fields := podFields(v)
			fields["node"] = in.Pod.Status.NominatedNodeName
			return Pod(in, cnow), fields
		},
		want: []string{"describe pod -n <ns> <pod>", "get pods -A -o wide --field-selector spec.nodeName=<node>"},
	},
	{
		name: "unschedulable for a volume",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := pendingWith(v)
			p := in.Pod
			p.Spec.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: v.claim}}}}
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
				Message: "0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind.", LastTransitionTime: cago(10 * time.Minute)}}
			in.Nodes = []*corev1.Node{mkNode("n1"), mkNode("n2"), mkNode("n3")}
			fields := podFields(v)
			fields["claim"] = v.claim
			return Pod(in, cnow), fields
		},
		want: append(slices.Clone(podTemplates), "describe pvc <claim> -n <ns>", "get pvc -n <ns>", "get pv"),
	},
	{
		name: "unschedulable for a node selector",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := pendingWith(v)
			p := in.Pod
			p.Spec.NodeSelector = map[string]string{v.labelKey: v.labelValue}
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
				Message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", LastTransitionTime: cago(10 * time.Minute)}}
			in.Nodes = []*corev1.Node{mkNode("n1"), mkNode("n2"), mkNode("n3")}
			return Pod(in, cnow), podFields(v)
		},
		want: podTemplates,
	},
	{
		name: "rejected by its node: OutOfcpu",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			return failedOnNode(v, "OutOfcpu", "Pod Node didn't have enough resource: cpu, requested: 2000, used: 3500, capacity: 4000")
		},
		want: append(slices.Clone(podTemplates), "describe node <node>"),
	},
	{
		name: "rejected by its node: UnexpectedAdmissionError",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			return failedOnNode(v, "UnexpectedAdmissionError", "Allocate failed due to device plugin GetPreferredAllocation rpc failed")
		},
		want: append(slices.Clone(podTemplates), "describe node <node>"),
	},
	{
		name: "lost with its node",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			return failedOnNode(v, "NodeLost", "Node worker-1 which was running pod cart-7d9 is unresponsive")
		},
		want: append(slices.Clone(podTemplates), "describe node <node>"),
	},
	{
		name: "failed for another reason",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			return failedOnNode(v, "SomethingElse", "it stopped")
		},
		want: podTemplates,
	},
	{
		name: "running but not ready",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := podWith(withValues(v), running(v.container, 10*time.Minute, false))
			in.Pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", LastTransitionTime: cago(10 * time.Minute)}}
			return Pod(in, cnow), podFields(v)
		},
		want: podTemplates,
	},
	{
		name: "stuck terminating on a finalizer",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			in := podWith(withValues(v))
			in.Pod.DeletionTimestamp = ptr(cago(30 * time.Minute))
			in.Pod.Finalizers = []string{"example.com/cleanup"}
			return Pod(in, cnow), podFields(v)
		},
		want: append(slices.Clone(podTemplates), "get pod -n <ns> <pod> -o jsonpath={.metadata.finalizers}"),
	},
	{
		name: "node without CNI, cordoned, out of service",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			n := mkNode(v.node, nodeCond(corev1.NodeReady, corev1.ConditionFalse, "KubeletNotReady",
				"container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:cni plugin not initialized", 5*time.Second, 10*time.Minute),
				cordoned(), withTaint(corev1.TaintNodeOutOfService, "nodeshutdown", corev1.TaintEffectNoExecute))
			return Node(n, tnow), map[string]string{"node": v.node}
		},
		want: []string{"describe node <node>", "get node <node> -o jsonpath={.spec.taints}", "get pods -A -o wide --field-selector spec.nodeName=<node>"},
	},
	{
		name: "node unreachable",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			n := mkNode(v.node, nodeCond(corev1.NodeReady, corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status.", 7*time.Minute, 6*time.Minute))
			return Node(n, tnow), map[string]string{"node": v.node}
		},
		want: []string{"describe node <node>", "get lease -n kube-node-lease <node>"},
	},
	{
		name: "node NotReady, pressure",
		diagnose: func(v commandValues) (Diagnosis, map[string]string) {
			n := mkNode(v.node, nodeCond(corev1.NodeReady, corev1.ConditionFalse, "KubeletNotReady", "node is shutting down", 5*time.Second, 10*time.Minute),
				nodeCond(corev1.NodeMemoryPressure, corev1.ConditionTrue, "KubeletHasInsufficientMemory", "kubelet has insufficient memory available", 5*time.Second, time.Minute))
			return Node(n, tnow), map[string]string{"node": v.node}
		},
		want: []string{"describe node <node>", "debug node/<node> -it --image=busybox"},
	},
}

// failedOnNode is a pod that its node (v.node, known) stopped or refused
// with reason and message.
func failedOnNode(v commandValues, reason, message string) (Diagnosis, map[string]string) {
	in := podWith(withValues(v))
	in.Pod.Status.Phase, in.Pod.Status.Reason, in.Pod.Status.Message = corev1.PodFailed, reason, message
	in.Node = mkNode(v.node)
	in.Nodes = []*corev1.Node{in.Node}
	return Pod(in, cnow), podFields(v)
}

// configScenario is a container waiting in CreateContainerConfigError with
// msg; "config" is the object name the message parses to, when it names
// an object of kind (otherwise the template is not checked).
func configScenario(v commandValues, msg, kind string) (Diagnosis, map[string]string) {
	in := podWith(withValues(v), waiting(v.container, "CreateContainerConfigError", msg))
	fields := podFields(v)
	if m := parseConfigError(msg); m.kind == kind {
		fields["config"] = m.name
	}
	return Pod(in, cnow), fields
}

// placeholder matches a <field> in a template.
var placeholder = regexp.MustCompile(`<([a-z]+)>`)

// argPattern is one argument of a template: literal text, with nil for
// an invalid value, which matches anything.
type argPattern []*string

// templateArgs turns a template into one pattern per argument: a valid
// value is matched exactly, an invalid one by anything. complete is false
// when a value was invalid (or the scenario did not set it).
func templateArgs(tmpl string, fields map[string]string) (args []argPattern, complete bool) {
	complete = true
	for _, a := range strings.Split(tmpl, " ") {
		var p argPattern
		last := 0
		for _, m := range placeholder.FindAllStringSubmatchIndex(a, -1) {
			p = append(p, ptr(a[last:m[0]]))
			name := a[m[2]:m[3]]
			if value, ok := fields[name]; ok && len(fieldRules[name](value)) == 0 {
				p = append(p, ptr(value))
			} else {
				p = append(p, nil)
				complete = false
			}
			last = m[1]
		}
		args = append(args, append(p, ptr(a[last:])))
	}
	return args, complete
}

// match reports whether s is the pattern's text, with anything in place of
// each nil.
func (p argPattern) match(s string) bool {
	if len(p) == 0 {
		return s == ""
	}
	if p[0] != nil {
		rest, ok := strings.CutPrefix(s, *p[0])
		return ok && p[1:].match(rest)
	}
	for i := 0; i <= len(s); i++ {
		if p[1:].match(s[i:]) {
			return true
		}
	}
	return false
}

func argsMatch(args []string, pats []argPattern) bool {
	if len(args) != len(pats) {
		return false
	}
	for i, p := range pats {
		if !p.match(args[i]) {
			return false
		}
	}
	return true
}

// checkCommands diagnoses every scenario with v and checks the commands and
// the commands written inside actions.
func checkCommands(t *testing.T, v commandValues) {
	t.Helper()
	for _, sc := range commandScenarios {
		d, fields := sc.diagnose(v)
		var offered [][]string
		for _, f := range d.Findings {
			for _, c := range f.Commands {
				args, err := kubectlArgs(c)
				if err != nil {
					t.Fatalf("%s %+v: %s: %v", sc.name, v, f.Code, err)
				}
				offered = append(offered, args)
			}
			if err := checkActionWords(f, fields, v); err != nil {
				t.Fatalf("%s %+v: %s: %v", sc.name, v, f.Code, err)
			}
			if err := checkActionCommands(f); err != nil {
				t.Fatalf("%s %+v: %s: %v", sc.name, v, f.Code, err)
			}
		}
		raised := true
		for _, name := range sc.needs {
			raised = raised && len(fieldRules[name](fields[name])) == 0
		}
		for _, tmpl := range sc.want {
			res, complete := templateArgs(tmpl, fields)
			found := slices.ContainsFunc(offered, func(args []string) bool { return argsMatch(args, res) })
			switch {
			case complete && !found && raised:
				t.Fatalf("%s %+v: no command %q among %q", sc.name, v, tmpl, offered)
			case !complete && found:
				t.Fatalf("%s %+v: a command %q is offered with an invalid value: %q", sc.name, v, tmpl, offered)
			}
		}
	}
	got, want := cmdEventsByReason(v.reason), ""
	if eventReasonOK(v.reason) {
		want = "kubectl get events -A --field-selector reason=" + v.reason
	}
	if got != want {
		t.Fatalf("cmdEventsByReason(%q) = %q, want %q", v.reason, got, want)
	}
}

// eventReasonOK is the test's reading of an event reason a field selector
// can take as it is: a word of letters and digits, starting with a letter,
// at most 128 bytes (the API server's limit).
func eventReasonOK(s string) bool {
	if s == "" || len(s) > 128 || !('A' <= s[0] && s[0] <= 'Z' || 'a' <= s[0] && s[0] <= 'z') {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
}

// placeholders are what an action's command shows instead of an invalid value.
var placeholders = []cmdWord{"<node>", "<pod>", "<namespace>", "<pvc>", "<key>", "<key>=<value>"}

// checkActionWords checks the arguments of the commands written inside f's
// sentences: each is a placeholder, or one shell word that reads back as a
// value valid for its field.
func checkActionWords(f Finding, fields map[string]string, v commandValues) error {
	allowed := map[string]bool{}
	for name, value := range fields {
		if len(fieldRules[name](value)) == 0 {
			allowed[value] = true
		}
	}
	if len(validation.IsQualifiedName(v.labelKey)) == 0 && len(validation.IsValidLabelValue(v.labelValue)) == 0 {
		allowed[v.labelKey+"="+v.labelValue] = true
	}
	for _, key := range []string{corev1.TaintNodeOutOfService, "node.cloudprovider.kubernetes.io/uninitialized"} {
		allowed[key] = true
	}
	for _, w := range actionWords(f) {
		if slices.Contains(placeholders, w) {
			continue
		}
		args, err := kubectlArgs("kubectl " + string(w))
		if err != nil {
			return fmt.Errorf("action word %q: %v", w, err)
		}
		if len(args) != 1 || !allowed[args[0]] {
			return fmt.Errorf("action word %q reads as %q, not a valid value of the input", w, args)
		}
	}
	return nil
}

// rawMark stands for a plain string argument in checkActionCommands; it is
// printable, so %q leaves it as it is.
const rawMark = "☢"

// checkActionCommands renders f's actions, in both languages, with every
// plain string argument replaced by rawMark, and fails if one lands inside
// a kubectl command written in the sentence (from "kubectl " to the
// closing parenthesis, semicolon or full stop, or the end): only cmdWord
// arguments may be part of such a command.
func checkActionCommands(f Finding) error {
	for _, a := range f.Actions {
		marked := markArgs(a)
		for _, lang := range Langs {
			s := marked.In(lang, cnow)
			for rest := s; ; {
				i := strings.Index(rest, "kubectl ")
				if i < 0 {
					break
				}
				rest = rest[i:]
				end := len(rest)
				for _, stop := range []string{")", "）", ";", "；", "。", ". "} {
					if j := strings.Index(rest, stop); j >= 0 && j < end {
						end = j
					}
				}
				if cmd := rest[:end]; strings.Contains(cmd, rawMark) {
					return fmt.Errorf("a plain value inside the command %q of action %q", cmd, s)
				}
				rest = rest[len("kubectl "):]
			}
		}
	}
	return nil
}

// markArgs is t with rawMark for each plain string argument, recursively.
func markArgs(t Text) Text {
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch a := a.(type) {
		case string:
			args[i] = rawMark
		case Text:
			args[i] = markArgs(a)
		default:
			args[i] = a
		}
	}
	return Text{Msg: t.Msg, Args: args}
}

// TestActionCommandsTakeOnlyWords runs checkActionCommands over every
// capture in testdata, so that the sentences the property test does not
// reach are checked too.
func TestActionCommandsTakeOnlyWords(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	for _, file := range files {
		in := readListFixture(t, file)
		ds := []Diagnosis{Pod(in, tnow), Pod(in, fixtureNow)}
		if in.Node != nil {
			ds = append(ds, Node(in.Node, tnow))
		}
		for _, d := range ds {
			for _, f := range d.Findings {
				if err := checkActionCommands(f); err != nil {
					t.Errorf("%s: %s: %v", file, f.Code, err)
				}
			}
		}
	}
}

// actionWords collects the cmdWord arguments of f's texts.
func actionWords(f Finding) []cmdWord {
	var out []cmdWord
	var walk func(Text)
	walk = func(t Text) {
		for _, a := range t.Args {
			switch a := a.(type) {
			case cmdWord:
				out = append(out, a)
			case Text:
				walk(a)
			}
		}
	}
	for _, t := range append([]Text{f.Title, f.Explanation}, f.Actions...) {
		walk(t)
	}
	return out
}

// validCommandValues are ordinary names for every field.
var validCommandValues = commandValues{
	namespace: "shop", pod: "cart-7d9", container: "app", secret: "regcred", serviceAccount: "cart",
	config: "cart-config", key: "api-key", node: "worker-1.example.com", claim: "data-cart-0", podIP: "10.244.1.7",
	labelKey: "disktype", labelValue: "ssd", reason: "FailedMount",
}

// fields points at every field of v, so a test can set one at a time.
func (v *commandValues) fields() []*string {
	return []*string{&v.namespace, &v.pod, &v.container, &v.secret, &v.serviceAccount, &v.config, &v.key,
		&v.node, &v.claim, &v.podIP, &v.labelKey, &v.labelValue, &v.reason}
}

// TestCommandsAreOneKubectlCall is the property behind every command: for
// any value in any field that reaches a command, each command a finding
// offers is one kubectl call, with no shell syntax, whose arguments are the
// intended ones; a value that is not valid for its kind is in no command
// at all, and an action's command shows a placeholder for it.
func TestCommandsAreOneKubectlCall(t *testing.T) {
	t.Parallel()
	checkCommands(t, validCommandValues)
	// Each hostile value in each field, the others ordinary.
	for i := range len(validCommandValues.fields()) {
		for _, h := range hostileValues {
			v := validCommandValues
			*v.fields()[i] = h
			checkCommands(t, v)
		}
	}
	// Random values in every field at once: half of them name-like (and
	// often valid), half from an alphabet of shell syntax.
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		var v commandValues
		for _, p := range v.fields() {
			if rng.IntN(2) == 0 {
				*p = randomText(rng, "abz09-.")
			} else {
				*p = randomText(rng, shellAlphabet+"\n\x00\xff")
			}
		}
		checkCommands(t, v)
	}
}

// FuzzCommands is TestCommandsAreOneKubectlCall with the fuzzer choosing
// the values.
func FuzzCommands(f *testing.F) {
	v := validCommandValues
	f.Add(v.namespace, v.pod, v.container, v.secret, v.serviceAccount, v.config, v.key, v.node, v.claim, v.podIP, v.labelKey, v.labelValue, v.reason)
	for _, h := range hostileValues {
		f.Add(h, h, h, h, h, h, h, h, h, h, h, h, h)
		f.Add(v.namespace, v.pod, v.container, h, h, h, h, h, h, h, h, h, h)
	}
	f.Fuzz(func(t *testing.T, namespace, pod, container, secret, serviceAccount, config, key, node, claim, podIP, labelKey, labelValue, reason string) {
		checkCommands(t, commandValues{namespace, pod, container, secret, serviceAccount, config, key, node, claim, podIP, labelKey, labelValue, reason})
	})
}
