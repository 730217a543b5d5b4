package e2e_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
)

// TestDiagnosesThroughTheAPI writes, through a real API server, the states a
// kubelet, a scheduler and the node controllers would write for the usual
// failures, and checks what GET /api/v1/pods/{ns}/{name} says about each one
// in English and Chinese: the finding code, the severity, the value the
// finding rests on, and commands naming the real pod. The unit tests in
// internal/diagnose use the same scenarios as Go objects; here they go
// through the API server's defaulting and validation, the informers'
// transform and the server's JSON.

// diagNS is the namespace the diagnosis scenarios live in.
const diagNS = "e2e-diag"

// Nodes of the diagnosis cluster.
const (
	nodeOK    = "worker-1"
	nodeCNI   = "worker-2"
	nodeDisk  = "worker-3"
	nodeGPU   = "gpu-1"
	nodeSmall = "edge-1"
)

// cniMessage is the Ready message of a kubelet whose CNI plugin is not
// initialised (containerd 2.x, internal/cri/server/status.go).
const cniMessage = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"

// nodeSpec is a node to create: its conditions (heartbeat now), taints and
// allocatable resources.
type nodeSpec struct {
	name        string
	labels      map[string]string
	conditions  []corev1.NodeCondition
	taints      []corev1.Taint
	cpu, memory string
}

// condition is a node condition that changed to status since ago.
func condition(typ corev1.NodeConditionType, status corev1.ConditionStatus, reason, message string, ago time.Duration) corev1.NodeCondition {
	return corev1.NodeCondition{Type: typ, Status: status, Reason: reason, Message: message,
		LastHeartbeatTime: metav1.Now(), LastTransitionTime: metav1.NewTime(time.Now().Add(-ago).Truncate(time.Second))}
}

// readyFor is the Ready condition of a healthy kubelet.
func readyFor(ago time.Duration) corev1.NodeCondition {
	return condition(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status", ago)
}

// create writes the node, its status (as the kubelet does) and its taints
// (as the node lifecycle controller or an admin does).
func (n nodeSpec) create(t testing.TB, c kubernetes.Interface) {
	t.Helper()
	ctx := ctxFor(t)
	labels := map[string]string{"kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux"}
	for k, v := range n.labels {
		labels[k] = v
	}
	node, err := c.CoreV1().Nodes().Create(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n.name, Labels: labels}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating node %s: %v", n.name, err)
	}
	alloc := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse(n.cpu), corev1.ResourceMemory: resource.MustParse(n.memory),
		corev1.ResourcePods: resource.MustParse("110"),
	}
	node.Status.Conditions = n.conditions
	node.Status.Capacity, node.Status.Allocatable = alloc, alloc
	node.Status.NodeInfo = corev1.NodeSystemInfo{KubeletVersion: "v1.37.2", ContainerRuntimeVersion: "containerd://2.1.4", OperatingSystem: "linux", Architecture: "amd64"}
	node.Status.Addresses = []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.0.9"}}
	if node, err = c.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("writing status of node %s: %v", n.name, err)
	}
	// Admission adds node.kubernetes.io/not-ready on create; replace it.
	node.Spec.Taints = n.taints
	if _, err = c.CoreV1().Nodes().Update(ctx, node, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("writing taints of node %s: %v", n.name, err)
	}
}

// podEvent is an event about a pod as the kubelet or the scheduler writes it.
type podEvent struct {
	typ, reason, message string
	count                int32
	fieldPath            string // "" for pod-level events
	component            string // "" means kubelet
	first                time.Duration
}

func (e podEvent) create(t testing.TB, c kubernetes.Interface, pod *corev1.Pod) {
	t.Helper()
	now := time.Now().Truncate(time.Second)
	src := corev1.EventSource{Component: "kubelet", Host: pod.Spec.NodeName}
	if e.component != "" {
		src = corev1.EventSource{Component: e.component}
	}
	first := e.first
	if first == 0 {
		first = 10 * time.Minute
	}
	ev := &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Namespace: pod.Namespace, GenerateName: pod.Name + "."},
		InvolvedObject: corev1.ObjectReference{
			Kind: "Pod", APIVersion: "v1", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID,
			ResourceVersion: pod.ResourceVersion, FieldPath: e.fieldPath,
		},
		Type: e.typ, Reason: e.reason, Message: e.message, Count: e.count,
		FirstTimestamp: metav1.NewTime(now.Add(-first)), LastTimestamp: metav1.NewTime(now.Add(-5 * time.Second)),
		Source: src, ReportingController: src.Component, ReportingInstance: src.Host,
	}
	if _, err := c.CoreV1().Events(pod.Namespace).Create(ctxFor(t), ev, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating %s event for %s/%s: %v", e.reason, pod.Namespace, pod.Name, err)
	}
}

// ago is a metav1.Time d before now, whole seconds as the API stores it.
func ago(d time.Duration) metav1.Time {
	return metav1.NewTime(time.Now().Add(-d).Truncate(time.Second))
}

func intOrString(port int) intstr.IntOrString { return intstr.FromInt32(int32(port)) }

func ptrTime(t metav1.Time) *metav1.Time { return &t }

// waitingOn: phase Pending or Running with the first container waiting.
func waitingOn(phase corev1.PodPhase, ip, reason, message string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		scheduled(p, ip, false)
		if ip == "" {
			p.Status.PodIP, p.Status.PodIPs = "", nil
		}
		p.Status.Phase = phase
		cs := containerStatus(p)
		cs.ContainerID = ""
		cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: reason, Message: message}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	}
}

// then runs status writers in order.
func then(fs ...func(*corev1.Pod)) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		for _, f := range fs {
			f(p)
		}
	}
}

// diagCase is one scenario and what the dashboard must say about it.
type diagCase struct {
	name string // a sentence
	pod  string
	// codes are every finding code, most urgent first.
	codes    []string
	severity string // the pod's severity
	// finding is the code whose details are checked below ("" = codes[0]).
	finding   string
	container string
	// evidence are fragments that must each appear in one evidence line
	// "source = value" of the finding.
	evidence []string
	// actions are fragments the finding's English actions must contain.
	actions []string
	// commands are fragments that must each appear in one command.
	commands []string
}

// detailFinding is one finding of GET /api/v1/pods/{ns}/{name}.
type detailFinding = struct {
	Code        string `json:"code"`
	Severity    string `json:"severity"`
	Container   string `json:"container"`
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
	Evidence    []struct {
		Source string `json:"source"`
		Value  string `json:"value"`
	} `json:"evidence"`
	Actions  []string `json:"actions"`
	Commands []string `json:"commands"`
}

func getPodDetail(t testing.TB, base, ns, name, lang string) podDetail {
	t.Helper()
	u := base + "/api/v1/pods/" + ns + "/" + name
	if lang != "" {
		u += "?lang=" + url.QueryEscape(lang)
	}
	var d podDetail
	if code := getJSON(t, u, &d); code != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, code)
	}
	return d
}

func codesOf(d podDetail) []string {
	codes := []string{}
	for _, f := range d.Diagnosis.Findings {
		codes = append(codes, f.Code)
	}
	return codes
}

func findingOf(d podDetail, code string) (detailFinding, bool) {
	for _, f := range d.Diagnosis.Findings {
		if f.Code == code {
			return f, true
		}
	}
	return detailFinding{}, false
}

// describe prints a diagnosis for failure messages.
func describe(d podDetail) string {
	var b strings.Builder
	fmt.Fprintf(&b, "severity %s\n", d.Diagnosis.Severity)
	for _, f := range d.Diagnosis.Findings {
		fmt.Fprintf(&b, "- %s %s [%s] %s\n  %s\n", f.Code, f.Severity, f.Container, f.Title, f.Explanation)
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "    evidence %s = %s\n", e.Source, e.Value)
		}
		for _, a := range f.Actions {
			fmt.Fprintf(&b, "    action %s\n", a)
		}
		for _, c := range f.Commands {
			fmt.Fprintf(&b, "    command %s\n", c)
		}
	}
	return b.String()
}

// check compares an English diagnosis with the case.
func (tc diagCase) check(d podDetail) error {
	var errs []error
	if diff := cmp.Diff(tc.codes, codesOf(d)); diff != "" {
		errs = append(errs, fmt.Errorf("codes (-want +got):\n%s", diff))
	}
	if got := d.Diagnosis.Severity; got != tc.severity {
		errs = append(errs, fmt.Errorf("severity=%s, want %s", got, tc.severity))
	}
	if len(tc.codes) == 0 {
		return errors.Join(errs...)
	}
	code := tc.finding
	if code == "" {
		code = tc.codes[0]
	}
	f, ok := findingOf(d, code)
	if !ok {
		return errors.Join(errs...)
	}
	if f.Container != tc.container {
		errs = append(errs, fmt.Errorf("%s: container=%q, want %q", code, f.Container, tc.container))
	}
	for _, want := range tc.evidence {
		if !slices.ContainsFunc(f.Evidence, func(e struct {
			Source string `json:"source"`
			Value  string `json:"value"`
		}) bool {
			return strings.Contains(e.Source+" = "+e.Value, want)
		}) {
			errs = append(errs, fmt.Errorf("%s: no evidence mentions %q", code, want))
		}
	}
	for _, want := range tc.actions {
		if !slices.ContainsFunc(f.Actions, func(a string) bool { return strings.Contains(a, want) }) {
			errs = append(errs, fmt.Errorf("%s: no action mentions %q", code, want))
		}
	}
	for _, want := range tc.commands {
		if !slices.ContainsFunc(f.Commands, func(c string) bool { return strings.Contains(c, want) }) {
			errs = append(errs, fmt.Errorf("%s: no command contains %q", code, want))
		}
	}
	// Every command about the pod names it, in its namespace, and logs
	// name the finding's container.
	for _, cmd := range f.Commands {
		switch {
		case strings.Contains(cmd, " pod ") || strings.HasPrefix(cmd, "kubectl logs "):
			if !strings.Contains(cmd, " -n "+diagNS+" "+tc.pod+" ") && !strings.HasSuffix(cmd, " -n "+diagNS+" "+tc.pod) {
				errs = append(errs, fmt.Errorf("%s: command %q does not name pod %s/%s", code, cmd, diagNS, tc.pod))
			}
			if strings.HasPrefix(cmd, "kubectl logs ") && !strings.Contains(cmd, " -c "+tc.container) {
				errs = append(errs, fmt.Errorf("%s: command %q does not name container %q", code, cmd, tc.container))
			}
		case strings.HasPrefix(cmd, "kubectl get events -n "):
			if !strings.HasPrefix(cmd, "kubectl get events -n "+diagNS+" ") || !strings.Contains(cmd, "involvedObject.name="+tc.pod+" ") {
				errs = append(errs, fmt.Errorf("%s: command %q does not select the events of pod %s/%s", code, cmd, diagNS, tc.pod))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w\ngot:\n%s", err, describe(d))
	}
	return nil
}

// summaryGroup is one group of GET /api/v1/summary.
type summaryGroup struct {
	Namespace string `json:"namespace"`
	Owner     struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"owner"`
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Count    int      `json:"count"`
	Total    int      `json:"total"`
	Pods     []string `json:"pods"`
	Title    string   `json:"title"`
}

// String is the group without its title, e.g. "ns Deployment/cart CrashLoopBackOff critical 2 of 3 [a b]".
func (g summaryGroup) String() string {
	return fmt.Sprintf("%s %s/%s %s %s %d of %d %v", g.Namespace, g.Owner.Kind, g.Owner.Name, g.Code, g.Severity, g.Count, g.Total, g.Pods)
}

// cartGroup is the summary group of Deployment cart in the diagnosis namespace.
func cartGroup(t testing.TB, base, lang string) (summaryGroup, error) {
	t.Helper()
	var s struct {
		Groups []summaryGroup `json:"groups"`
	}
	u := base + "/api/v1/summary?namespace=" + diagNS
	if lang != "" {
		u += "&lang=" + url.QueryEscape(lang)
	}
	if code := getJSON(t, u, &s); code != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, code)
	}
	for _, g := range s.Groups {
		if g.Owner.Kind == "Deployment" && g.Owner.Name == "cart" {
			return g, nil
		}
	}
	return summaryGroup{}, fmt.Errorf("no Deployment/cart group in %+v", s.Groups)
}

// evidenceAge is how long ago an event quoted as evidence last happened,
// "(last 2m ago)": written when the response is rendered, so two requests a
// second apart may differ there.
var evidenceAge = regexp.MustCompile(`\(last [^()]* ago\)`)

// sameFacts checks that only the words change between languages: codes,
// severities, containers, evidence (but for its ages) and commands are
// identical, while every title and explanation is translated.
func sameFacts(en, zh podDetail) error {
	var errs []error
	type facts struct {
		Code, Severity, Container string
		Evidence                  []string
		Commands                  []string
		Actions                   int
	}
	factsOf := func(d podDetail) []facts {
		var out []facts
		for _, f := range d.Diagnosis.Findings {
			var ev []string
			for _, e := range f.Evidence {
				ev = append(ev, evidenceAge.ReplaceAllString(e.Source, "(last … ago)")+" = "+e.Value)
			}
			out = append(out, facts{f.Code, f.Severity, f.Container, ev, f.Commands, len(f.Actions)})
		}
		return out
	}
	if diff := cmp.Diff(factsOf(en), factsOf(zh)); diff != "" {
		errs = append(errs, fmt.Errorf("facts differ between en and zh-CN (-en +zh):\n%s", diff))
	}
	if en.Diagnosis.Severity != zh.Diagnosis.Severity {
		errs = append(errs, fmt.Errorf("severity en=%s zh-CN=%s", en.Diagnosis.Severity, zh.Diagnosis.Severity))
	}
	for i := range min(len(en.Diagnosis.Findings), len(zh.Diagnosis.Findings)) {
		e, z := en.Diagnosis.Findings[i], zh.Diagnosis.Findings[i]
		for _, pair := range [][3]string{{"title", e.Title, z.Title}, {"explanation", e.Explanation, z.Explanation}} {
			what, en, zh := pair[0], pair[1], pair[2]
			switch {
			case en == "" || zh == "":
				errs = append(errs, fmt.Errorf("%s: empty %s (en %q, zh-CN %q)", e.Code, what, en, zh))
			case en == zh:
				errs = append(errs, fmt.Errorf("%s: %s not translated: %q", e.Code, what, en))
			case !hasHan(zh):
				errs = append(errs, fmt.Errorf("%s: zh-CN %s has no Chinese: %q", e.Code, what, zh))
			case hasHan(en):
				errs = append(errs, fmt.Errorf("%s: English %s has Chinese: %q", e.Code, what, en))
			}
		}
	}
	if en.Summary == zh.Summary && en.Summary != "" {
		errs = append(errs, fmt.Errorf("summary not translated: %q", en.Summary))
	}
	return errors.Join(errs...)
}

func TestDiagnosesThroughTheAPI(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	createNamespace(t, c, diagNS)

	nodes := []nodeSpec{
		{name: nodeOK, cpu: "2", memory: "8Gi", conditions: []corev1.NodeCondition{readyFor(72 * time.Hour)}},
		{name: nodeCNI, cpu: "2", memory: "8Gi",
			conditions: []corev1.NodeCondition{condition(corev1.NodeReady, corev1.ConditionFalse, "KubeletNotReady", cniMessage, 12*time.Minute)},
			taints: []corev1.Taint{
				{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule},
				{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute, TimeAdded: &metav1.Time{Time: time.Now().Add(-12 * time.Minute).Truncate(time.Second)}},
			}},
		{name: nodeDisk, cpu: "2", memory: "8Gi",
			conditions: []corev1.NodeCondition{
				readyFor(72 * time.Hour),
				condition(corev1.NodeDiskPressure, corev1.ConditionTrue, "KubeletHasDiskPressure", "kubelet has disk pressure", 20*time.Minute),
			},
			taints: []corev1.Taint{{Key: corev1.TaintNodeDiskPressure, Effect: corev1.TaintEffectNoSchedule}}},
		{name: nodeGPU, cpu: "16", memory: "64Gi", labels: map[string]string{"nvidia.com/gpu.present": "true"},
			conditions: []corev1.NodeCondition{readyFor(72 * time.Hour)},
			taints:     []corev1.Taint{{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}}},
		{name: nodeSmall, cpu: "500m", memory: "512Mi", conditions: []corev1.NodeCondition{readyFor(72 * time.Hour)}},
	}
	for _, n := range nodes {
		n.create(t, c)
	}

	// The stuck pod is deleted first: it is only "stuck" a minute after its
	// deletion deadline, checked at the end.
	stuck := newPod(diagNS, "report-writer-0", nodeOK, map[string]string{"app": "report-writer"}).
		with(func(p *corev1.Pod) { p.Finalizers = []string{"example.com/upload-report"} }).
		withStatus(running("10.244.1.30")).create(t, c)
	deletePod(t, c, diagNS, stuck.Name)
	deletedAt := time.Now()

	p := startPodlens(t, cluster.Config)
	// Pods on a node must be diagnosed with the node in the cache.
	eventually(t, 30*time.Second, "the dashboard sees every node", func() error {
		var list struct {
			Items []struct {
				Name string `json:"name"`
			} `json:"items"`
		}
		getJSON(t, p.URL+"/api/v1/nodes", &list)
		if got, want := len(list.Items), len(nodes); got != want {
			return fmt.Errorf("%d nodes, want %d", got, want)
		}
		return nil
	})

	cases := createDiagnosisScenarios(t, c)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var en podDetail
			eventually(t, 30*time.Second, "the English diagnosis of "+tc.pod, func() error {
				en = getPodDetail(t, p.URL, diagNS, tc.pod, "")
				return tc.check(en)
			})
			zh := getPodDetail(t, p.URL, diagNS, tc.pod, "zh-CN")
			if err := sameFacts(en, zh); err != nil {
				t.Errorf("%v\nen:\n%s\nzh-CN:\n%s", err, describe(en), describe(zh))
			}
		})
	}

	t.Run("the summary groups the failing pods of one deployment as 2 of 3", func(t *testing.T) {
		want := fmt.Sprintf("%s Deployment/cart CrashLoopBackOff critical 2 of 3 [cart-7d9f8b6c5-2xkqp cart-7d9f8b6c5-9hrlm]", diagNS)
		var en summaryGroup
		eventually(t, 30*time.Second, "the cart group", func() error {
			g, err := cartGroup(t, p.URL, "")
			if err != nil {
				return err
			}
			if got := g.String(); got != want {
				return fmt.Errorf("group %q, want %q", got, want)
			}
			en = g
			return nil
		})
		if !strings.Contains(en.Title, `"app"`) || !strings.Contains(en.Title, "exit code 2") {
			t.Errorf("group title %q does not name the container and its exit code", en.Title)
		}
		zh, err := cartGroup(t, p.URL, "zh-CN")
		if err != nil {
			t.Fatal(err)
		}
		if got := zh.String(); got != want {
			t.Errorf("zh-CN group %q, want %q", got, want)
		}
		if zh.Title == en.Title || !hasHan(zh.Title) {
			t.Errorf("group title not translated: en %q, zh-CN %q", en.Title, zh.Title)
		}
	})

	t.Run("a pod held by a finalizer past its deletion deadline is stuck terminating", func(t *testing.T) {
		// The dashboard diagnosed the pod when it was deleted, and nothing in
		// the cluster changes when it becomes stuck, a minute past its
		// deletion deadline: the diagnosis said when it would change
		// (RecheckAt) and the pod comes back through the change queue then.
		// A second dashboard started after the deadline diagnoses the pod
		// afresh. A deliberate gap in time, not synchronisation: there is
		// nothing in the cluster to poll for.
		if wait := time.Until(deletedAt.Add(70 * time.Second)); wait > 0 {
			time.Sleep(wait)
		}
		tc := diagCase{
			pod: stuck.Name, codes: []string{"StuckTerminating"}, severity: "warning",
			evidence: []string{"example.com/upload-report", "metadata.deletionTimestamp"},
			actions:  []string{"example.com/upload-report"},
			commands: []string{"kubectl get pod -n " + diagNS + " " + stuck.Name + " -o jsonpath='{.metadata.finalizers}'"},
		}
		var en podDetail
		eventually(t, 30*time.Second, "the stuck pod's diagnosis, by the clock alone", func() error {
			en = getPodDetail(t, p.URL, diagNS, tc.pod, "")
			return tc.check(en)
		})
		late := startPodlens(t, cluster.Config)
		eventually(t, 30*time.Second, "the stuck pod's diagnosis by a dashboard started late", func() error {
			en = getPodDetail(t, late.URL, diagNS, tc.pod, "")
			return tc.check(en)
		})
		if err := sameFacts(en, getPodDetail(t, late.URL, diagNS, tc.pod, "zh-CN")); err != nil {
			t.Error(err)
		}
	})
}

// createDiagnosisScenarios writes every scenario's pod, status and events and
// returns what the dashboard must say about each.
func createDiagnosisScenarios(t testing.TB, c kubernetes.Interface) []diagCase {
	t.Helper()
	var cases []diagCase
	add := func(tc diagCase) { cases = append(cases, tc) }
	labels := func(app string) map[string]string { return map[string]string{"app": app} }
	pod := func(name, node string) podBuilder {
		return newPod(diagNS, name, node, labels(strings.SplitN(name, "-", 2)[0]))
	}

	// A healthy pod.
	pod("web-0", nodeOK).withStatus(running("10.244.1.10")).create(t, c)
	add(diagCase{name: "a running ready pod has nothing to say", pod: "web-0", codes: []string{}, severity: "ok"})

	// ImagePullBackOff: the tag does not exist.
	missing := pod("catalog-0", nodeOK).withStatus(imagePullBackOff).create(t, c)
	pullFailed(t, c, missing)
	add(diagCase{
		name: "an image that does not exist is ImagePullBackOff naming the image",
		pod:  "catalog-0", codes: []string{"ImagePullBackOff"}, severity: "critical", container: "app",
		evidence: []string{"registry.example/shop/catalog-0:1.4.2", "not found"},
		commands: []string{"kubectl describe pod -n " + diagNS + " catalog-0"},
	})

	// ErrImagePull: a private registry refuses the pull secret's credentials.
	const privateImage = "registry.example/private/ledger:3.2.0"
	const deniedMsg = `failed to pull and unpack image "` + privateImage + `": failed to resolve reference "` + privateImage + `": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`
	private := pod("ledger-0", nodeOK).with(func(p *corev1.Pod) {
		p.Spec.Containers[0].Image = privateImage
		p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "regcred-ledger"}}
	}).withStatus(waitingOn(corev1.PodPending, "", "ErrImagePull", deniedMsg)).create(t, c)
	podEvent{typ: corev1.EventTypeWarning, reason: "Failed", message: `Failed to pull image "` + privateImage + `": ` + deniedMsg,
		count: 3, fieldPath: "spec.containers{app}"}.create(t, c, private)
	add(diagCase{
		name: "a pull refused for credentials names the image and the pull secret",
		pod:  "ledger-0", codes: []string{"ImagePullBackOff"}, severity: "critical", container: "app",
		evidence: []string{privateImage, "insufficient_scope", "regcred-ledger"},
		actions:  []string{"regcred-ledger"},
	})

	// CrashLoopBackOff: exit 1 with a termination message.
	const panicMsg = `panic: config key "db.url" missing`
	crash := pod("orders-0", nodeOK).withStatus(crashLoop("10.244.1.12", 7, 1, "Error", panicMsg)).create(t, c)
	podEvent{typ: corev1.EventTypeWarning, reason: "BackOff", message: "Back-off restarting failed container app in pod orders-0_" + diagNS + "(" + string(crash.UID) + ")",
		count: 31, fieldPath: "spec.containers{app}"}.create(t, c, crash)
	add(diagCase{
		name: "a crash loop quotes the exit code and the termination message",
		pod:  "orders-0", codes: []string{"CrashLoopBackOff"}, severity: "critical", container: "app",
		evidence: []string{"lastState.terminated.exitCode = 1", "lastState.terminated.message = " + panicMsg},
		commands: []string{"kubectl logs -n " + diagNS + " orders-0 -c app --previous"},
	})

	// OOMKilled with a memory limit.
	pod("cache-0", nodeOK).with(func(p *corev1.Pod) {
		p.Spec.Containers[0].Resources = corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("128Mi")},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")},
		}
	}).withStatus(crashLoop("10.244.1.13", 4, 137, "OOMKilled", "")).create(t, c)
	add(diagCase{
		name: "an out-of-memory kill names the memory limit",
		pod:  "cache-0", codes: []string{"OOMKilled"}, severity: "critical", container: "app",
		evidence: []string{"lastState.terminated.reason = OOMKilled", "lastState.terminated.exitCode = 137", "resources.limits.memory = 256Mi", "state.waiting.reason = CrashLoopBackOff"},
		commands: []string{"kubectl top pod -n " + diagNS + " cache-0 --containers"},
	})

	// CreateContainerConfigError: the Secret lacks the key.
	const keyMsg = "couldn't find key api-key in Secret " + diagNS + "/stripe"
	cfg := pod("checkout-0", nodeOK).with(func(p *corev1.Pod) {
		p.Spec.Containers[0].Env = []corev1.EnvVar{{Name: "STRIPE_KEY", ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "stripe"}, Key: "api-key"}}}}
	}).withStatus(waitingOn(corev1.PodPending, "10.244.1.14", "CreateContainerConfigError", keyMsg)).create(t, c)
	podEvent{typ: corev1.EventTypeWarning, reason: "Failed", message: "Error: " + keyMsg, count: 47, fieldPath: "spec.containers{app}"}.create(t, c, cfg)
	add(diagCase{
		name: "a missing secret key names the secret and the key",
		pod:  "checkout-0", codes: []string{"CreateContainerConfigError"}, severity: "critical", container: "app",
		evidence: []string{"stripe", "api-key"},
		commands: []string{"kubectl describe secret -n " + diagNS + " stripe"},
	})

	// Unschedulable: only the GPU node has room, and the pod lacks the toleration.
	const taintSched = "0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 2 Insufficient cpu. preemption: 0/5 nodes are available: 2 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling."
	trainer := pod("trainer-0", "").with(func(p *corev1.Pod) {
		p.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4"), corev1.ResourceMemory: resource.MustParse("6Gi")}
	}).withStatus(func(p *corev1.Pod) {
		unschedulable(p)
		p.Status.Conditions[0].Message = taintSched
	}).create(t, c)
	podEvent{typ: corev1.EventTypeWarning, reason: "FailedScheduling", message: taintSched, count: 5, component: "default-scheduler", first: 20 * time.Second}.create(t, c, trainer)
	add(diagCase{
		// A pod created seconds ago is Info: the scheduler may still find room.
		name: "a pod kept off the GPU node names the taint and the toleration that would match",
		pod:  "trainer-0", codes: []string{"Unschedulable"}, severity: "info",
		evidence: []string{"node/" + nodeGPU + " spec.taints[0]", "dedicated=gpu:NoSchedule", "FailedScheduling"},
		actions: []string{`key: "dedicated"`, `value: "gpu"`, `effect: "NoSchedule"`,
			// Only worker-1 and edge-1 would take the pod: 4 CPUs fit on neither.
			"The pod's cpu request is 4 but the largest node it may run on (taints tolerated, node selector matched, not cordoned) has only 2 allocatable"},
		commands: []string{"kubectl describe pod -n " + diagNS + " trainer-0"},
	})

	// Unschedulable: the nodeSelector matches no node.
	const selectorSched = "0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling."
	ssd := pod("search-0", "").with(func(p *corev1.Pod) {
		p.Spec.NodeSelector = map[string]string{"disktype": "ssd"}
	}).withStatus(func(p *corev1.Pod) {
		unschedulable(p)
		p.Status.Conditions[0].Message = selectorSched
	}).create(t, c)
	podEvent{typ: corev1.EventTypeWarning, reason: "FailedScheduling", message: selectorSched, count: 2, component: "default-scheduler", first: 20 * time.Second}.create(t, c, ssd)
	add(diagCase{
		name: "a node selector no node matches is named",
		pod:  "search-0", codes: []string{"Unschedulable"}, severity: "info",
		evidence: []string{"spec.nodeSelector.disktype = ssd (matches 0 of 5 nodes)"},
		actions:  []string{"kubectl label node <node> disktype=ssd"},
	})

	// A failing liveness probe restarts the container.
	const probeFail = `Liveness probe failed: Get "http://10.244.1.16:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`
	live := pod("gateway-0", nodeOK).with(func(p *corev1.Pod) {
		p.Spec.Containers[0].LivenessProbe = &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intOrString(8080)}},
			PeriodSeconds:    10,
			TimeoutSeconds:   1,
			FailureThreshold: 3,
		}
	}).withStatus(then(running("10.244.1.16"), func(p *corev1.Pod) {
		cs := &p.Status.ContainerStatuses[0]
		cs.RestartCount = 3
		cs.State.Running.StartedAt = ago(40 * time.Second)
		cs.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{
			ExitCode: 137, Reason: "Error", StartedAt: ago(2 * time.Minute), FinishedAt: ago(45 * time.Second), ContainerID: cs.ContainerID,
		}
	})).create(t, c)
	podEvent{typ: corev1.EventTypeWarning, reason: "Unhealthy", message: probeFail, count: 12, fieldPath: "spec.containers{app}"}.create(t, c, live)
	podEvent{typ: corev1.EventTypeNormal, reason: "Killing", message: "Container app failed liveness probe, will be restarted", count: 3, fieldPath: "spec.containers{app}"}.create(t, c, live)
	add(diagCase{
		name: "a liveness probe that keeps failing quotes the probe's failure and spec",
		pod:  "gateway-0", codes: []string{"LivenessProbeFailed"}, severity: "critical", container: "app",
		evidence: []string{"context deadline exceeded", "/healthz", "failed liveness probe"},
	})

	// A readiness gate a load-balancer controller never set.
	const gate = "target-health.elbv2.k8s.aws/k8s-e2ediag-web"
	pod("storefront-0", nodeOK).with(func(p *corev1.Pod) {
		p.Spec.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: gate}}
	}).withStatus(then(running("10.244.1.17"), func(p *corev1.Pod) {
		for i := range p.Status.Conditions {
			if p.Status.Conditions[i].Type == corev1.PodReady {
				p.Status.Conditions[i] = corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse,
					Reason: "ReadinessGatesNotReady", Message: `corresponding condition of pod readiness gate "` + gate + `" does not exist.`,
					LastTransitionTime: ago(10 * time.Minute)}
			}
		}
	})).create(t, c)
	add(diagCase{
		name: "a readiness gate nobody sets names the gate",
		pod:  "storefront-0", codes: []string{"ReadinessGatesNotReady"}, severity: "warning",
		evidence: []string{gate},
	})

	// Evicted for local storage on the disk-pressure node.
	const evictMsg = "The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, available: 9452Mi. Container app was using 6Gi, request is 0, has larger consumption of ephemeral-storage."
	pod("thumbnailer-0", nodeDisk).withStatus(func(p *corev1.Pod) {
		evicted(p)
		p.Status.Message = evictMsg
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
			Reason: "TerminationByKubelet", Message: evictMsg, LastTransitionTime: ago(6 * time.Minute)}}
	}).create(t, c)
	add(diagCase{
		name: "an eviction names the resource and the node's pressure",
		pod:  "thumbnailer-0", codes: []string{"Evicted"}, severity: "warning",
		evidence: []string{"ephemeral-storage", "node/" + nodeDisk + " status.conditions[DiskPressure]"},
	})

	// A pod on the node whose CNI plugin is not ready: one cause, one finding.
	netMsg := "network is not ready: " + cniMessage
	onCNI := pod("api-0", nodeCNI).withStatus(then(waitingOn(corev1.PodPending, "", "ContainerCreating", ""), func(p *corev1.Pod) {
		p.Status.StartTime = ptrTime(ago(8 * time.Minute))
		p.Status.Conditions[0].LastTransitionTime = ago(8 * time.Minute)
	})).create(t, c)
	podEvent{typ: corev1.EventTypeWarning, reason: "NetworkNotReady", message: netMsg, count: 48, first: 8 * time.Minute}.create(t, c, onCNI)
	add(diagCase{
		name: "a pod on a node without CNI gets one finding with the node's and the pod's evidence",
		pod:  "api-0", codes: []string{"NodeNetworkNotReady"}, severity: "critical",
		evidence: []string{"node/" + nodeCNI + " status.conditions[Ready]", "cni plugin not initialized", "event Warning/NetworkNotReady", "node.kubernetes.io/not-ready:NoSchedule"},
		commands: []string{"kubectl describe node " + nodeCNI},
	})

	// An init container failing.
	initFail := pod("billing-0", nodeOK).with(func(p *corev1.Pod) {
		p.Spec.InitContainers = []corev1.Container{{Name: "migrate", Image: "registry.example/shop/billing-migrate:1.4.2"}}
	}).withStatus(func(p *corev1.Pod) {
		scheduled(p, "10.244.1.19", false)
		p.Status.Phase = corev1.PodPending
		for i := range p.Status.Conditions {
			if p.Status.Conditions[i].Type == corev1.PodInitialized {
				p.Status.Conditions[i].Status = corev1.ConditionFalse
				p.Status.Conditions[i].Reason = "ContainersNotInitialized"
				p.Status.Conditions[i].Message = "containers with incomplete status: [migrate]"
			}
		}
		p.Status.InitContainerStatuses = []corev1.ContainerStatus{{
			Name: "migrate", Image: "registry.example/shop/billing-migrate:1.4.2", ContainerID: "containerd://fedcba9876543210", RestartCount: 5,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff",
				Message: "back-off 2m40s restarting failed container=migrate pod=billing-0_" + diagNS + "(uid)"}},
			LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error",
				Message: "ERROR: relation \"invoices\" already exists", StartedAt: ago(3 * time.Minute), FinishedAt: ago(170 * time.Second)}},
		}}
		cs := containerStatus(p)
		cs.ContainerID = ""
		cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: "PodInitializing"}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	}).create(t, c)
	podEvent{typ: corev1.EventTypeWarning, reason: "BackOff", message: "Back-off restarting failed container migrate in pod billing-0_" + diagNS + "(" + string(initFail.UID) + ")",
		count: 20, fieldPath: "spec.initContainers{migrate}"}.create(t, c, initFail)
	add(diagCase{
		name: "a failing init container is named and its logs are one command away",
		pod:  "billing-0", codes: []string{"InitContainerFailed"}, severity: "critical", container: "migrate",
		evidence: []string{"initContainerStatuses[migrate].lastState.terminated.exitCode = 1", `relation "invoices" already exists`},
		commands: []string{"kubectl logs -n " + diagNS + " billing-0 -c migrate --previous"},
	})

	// One Deployment, three replicas, two crash the same way.
	for i, name := range []string{"cart-7d9f8b6c5-2xkqp", "cart-7d9f8b6c5-9hrlm", "cart-7d9f8b6c5-tq4vn"} {
		b := newPod(diagNS, name, nodeOK, labels("cart")).with(owned("ReplicaSet", "cart-7d9f8b6c5"))
		ip := fmt.Sprintf("10.244.1.%d", 40+i)
		if i < 2 {
			b = b.withStatus(crashLoop(ip, 9, 2, "Error", "fatal: cannot reach redis:6379"))
		} else {
			b = b.withStatus(running(ip))
		}
		b.create(t, c)
	}
	add(diagCase{
		name: "a replica of a crashing deployment is diagnosed on its own",
		pod:  "cart-7d9f8b6c5-2xkqp", codes: []string{"CrashLoopBackOff"}, severity: "critical", container: "app",
		evidence: []string{"lastState.terminated.exitCode = 2", "cannot reach redis:6379"},
	})
	return cases
}
