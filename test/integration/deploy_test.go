package integration_test

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/testcluster"
)

// The two kustomizations under deploy/, relative to this package's folder.
const (
	clusterWideDir = "../../deploy"
	namespacedDir  = "../../deploy/namespaced"
)

// Identities the manifests create. The namespaced variant is installed into
// teamNamespace, the namespace it watches; otherNamespace is one it must not see.
const (
	clusterWideSA  = "system:serviceaccount:podlens:podlens"
	teamNamespace  = "team-a"
	otherNamespace = "team-b"
	namespacedSA   = "system:serviceaccount:" + teamNamespace + ":podlens"
)

// kustomize renders dir exactly as `kubectl apply -k dir` does: krusty with the
// root-only load restrictor, no plugins, and kubectl's legacy resource order
// (namespaces and RBAC before workloads).
func kustomize(t *testing.T, dir string) []*unstructured.Unstructured {
	t.Helper()
	opts := krusty.MakeDefaultOptions()
	opts.Reorder = krusty.ReorderOptionLegacy
	resMap, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	var objs []*unstructured.Unstructured
	for _, r := range resMap.Resources() {
		// Through JSON, so numbers become int64 as in any decoded object.
		data, err := r.MarshalJSON()
		if err != nil {
			t.Fatalf("kustomize build %s: %s: %v", dir, r.CurId(), err)
		}
		o := &unstructured.Unstructured{}
		if err := o.UnmarshalJSON(data); err != nil {
			t.Fatalf("kustomize build %s: %s: %v", dir, r.CurId(), err)
		}
		objs = append(objs, o)
	}
	return objs
}

// ids lists objects as "Kind namespace/name", in render order.
func ids(objs []*unstructured.Unstructured) []string {
	var out []string
	for _, o := range objs {
		out = append(out, fmt.Sprintf("%s %s/%s", o.GetKind(), o.GetNamespace(), o.GetName()))
	}
	return out
}

// find returns the rendered object of kind named name.
func find(t *testing.T, objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	t.Helper()
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			return o
		}
	}
	t.Fatalf("no %s %q in the rendered manifests: %v", kind, name, ids(objs))
	return nil
}

// deployment converts the rendered Deployment into its typed form.
func deployment(t *testing.T, objs []*unstructured.Unstructured) *appsv1.Deployment {
	t.Helper()
	var d appsv1.Deployment
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(find(t, objs, "Deployment", "podlens").Object, &d); err != nil {
		t.Fatalf("decoding the Deployment: %v", err)
	}
	return &d
}

// typed converts the rendered object of kind named podlens into into.
func typed(t *testing.T, objs []*unstructured.Unstructured, kind string, into any) {
	t.Helper()
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(find(t, objs, kind, "podlens").Object, into); err != nil {
		t.Fatalf("decoding the %s: %v", kind, err)
	}
}

// accessLabel admits a client to the dashboard's port (networkpolicy.yaml):
// on the client pod, and also on its namespace when that is not the
// dashboard's own. README's "Deploy" section tells operators to set it.
const accessLabel = "podlens.io/access"

// peerClient is a would-be client of the dashboard's port, as a NetworkPolicy
// sees it: its pod's labels and its namespace's labels.
type peerClient struct {
	name          string
	pod, ns       labels.Set
	sameNamespace bool // runs in the dashboard's own namespace
	admitted      bool
}

// peerClients are the sources the policy must tell apart, for a dashboard in
// namespace home. A pod label alone is not enough from another namespace:
// whoever may create pods there can set it, and it would hand them the
// dashboard's read rights. The dashboard's own namespace carries no access label.
func peerClients(home string) []peerClient {
	yes := labels.Set{accessLabel: "true"}
	ns := func(name string, extra labels.Set) labels.Set {
		return labels.Merge(labels.Set{corev1.LabelMetadataName: name}, extra)
	}
	return []peerClient{
		{name: "a labelled pod in the dashboard's namespace", pod: yes, ns: ns(home, nil), sameNamespace: true, admitted: true},
		{name: "a labelled pod in a labelled namespace (the portal's proxy)", pod: yes, ns: ns("portal", yes), admitted: true},
		{name: "a labelled pod in an unlabelled namespace", pod: yes, ns: ns("shop", nil)},
		{name: "an unlabelled pod in a labelled namespace", pod: labels.Set{"app": "other"}, ns: ns("portal", yes)},
		{name: "an unlabelled pod in the dashboard's namespace", pod: labels.Set{"app": "other"}, ns: ns(home, nil), sameNamespace: true},
		{name: "an unlabelled pod elsewhere", pod: labels.Set{"app": "web"}, ns: ns("shop", nil)},
		{name: "a pod labelled false in a labelled namespace", pod: labels.Set{accessLabel: "false"}, ns: ns("portal", yes)},
	}
}

// selects reports whether sel selects set; a malformed selector fails the test.
func selects(t *testing.T, sel *metav1.LabelSelector, set labels.Set) bool {
	t.Helper()
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		t.Fatalf("selector %v: %v", sel, err)
	}
	return s.Matches(set)
}

// peerAdmits applies one NetworkPolicyPeer to c with the API's semantics
// (k8s.io/api/networking/v1 NetworkPolicyPeer): podSelector alone selects pods
// in the policy's namespace, namespaceSelector alone every pod of the selected
// namespaces, both together the selected pods of the selected namespaces. An
// ipBlock admits by address, which no label narrows, so it counts as admitting.
func peerAdmits(t *testing.T, peer networkingv1.NetworkPolicyPeer, c peerClient) bool {
	t.Helper()
	switch {
	case peer.IPBlock != nil:
		return true
	case peer.NamespaceSelector == nil:
		return c.sameNamespace && (peer.PodSelector == nil || selects(t, peer.PodSelector, c.pod))
	default:
		return selects(t, peer.NamespaceSelector, c.ns) && (peer.PodSelector == nil || selects(t, peer.PodSelector, c.pod))
	}
}

// containerPortFor resolves a port (a number or a container port's name) to
// the container's port number, as the kubelet and network plugins do.
func containerPortFor(ports []corev1.ContainerPort, p intstr.IntOrString) (int32, bool) {
	for _, cp := range ports {
		if (p.Type == intstr.String && cp.Name == p.StrVal) || (p.Type == intstr.Int && cp.ContainerPort == p.IntVal) {
			return cp.ContainerPort, true
		}
	}
	return 0, false
}

// checkNetworkPolicy asserts that np isolates the Deployment's pods and admits,
// on the one port the Service forwards to, only the labelled clients.
func checkNetworkPolicy(t *testing.T, np *networkingv1.NetworkPolicy, d *appsv1.Deployment, svc *corev1.Service) {
	t.Helper()
	if np.Namespace != d.Namespace {
		t.Errorf("NetworkPolicy namespace %q, Deployment namespace %q", np.Namespace, d.Namespace)
	}
	podSel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
	if err != nil {
		t.Fatalf("podSelector: %v", err)
	}
	if !podSel.Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("podSelector %q does not select the Deployment's pods %v: they stay open to every pod", podSel, d.Spec.Template.Labels)
	}
	if podSel.Empty() {
		t.Errorf("podSelector is empty: it isolates every pod in %s, not just the dashboard", np.Namespace)
	}
	if !slices.Equal(np.Spec.PolicyTypes, []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}) {
		t.Errorf("policyTypes = %v, want [Ingress] (egress is left open on purpose, see networkpolicy.yaml)", np.Spec.PolicyTypes)
	}
	if len(np.Spec.Ingress) != 1 {
		t.Fatalf("%d ingress rules, want exactly one", len(np.Spec.Ingress))
	}
	rule := np.Spec.Ingress[0]

	c := d.Spec.Template.Spec.Containers[0]
	if len(svc.Spec.Ports) != 1 {
		t.Fatalf("Service has %d ports, want 1", len(svc.Spec.Ports))
	}
	target, ok := containerPortFor(c.Ports, svc.Spec.Ports[0].TargetPort)
	if !ok {
		t.Fatalf("Service targetPort %s names no container port in %+v", svc.Spec.Ports[0].TargetPort.String(), c.Ports)
	}
	if len(rule.Ports) != 1 || rule.Ports[0].Port == nil || rule.Ports[0].EndPort != nil {
		t.Fatalf("ingress ports = %+v, want exactly the Service's target port", rule.Ports)
	}
	if p := rule.Ports[0].Protocol; p != nil && *p != corev1.ProtocolTCP {
		t.Errorf("ingress protocol = %s, want TCP", *p)
	}
	if got, ok := containerPortFor(c.Ports, *rule.Ports[0].Port); !ok || got != target {
		t.Errorf("ingress port %s resolves to container port %d (found %v), want %d, the Service's target", rule.Ports[0].Port.String(), got, ok, target)
	}

	if len(rule.From) == 0 {
		t.Fatal("the ingress rule has no `from`: it admits every source")
	}
	for _, client := range peerClients(np.Namespace) {
		admitted := slices.ContainsFunc(rule.From, func(p networkingv1.NetworkPolicyPeer) bool { return peerAdmits(t, p, client) })
		if admitted != client.admitted {
			t.Errorf("%s: admitted = %v, want %v (from = %+v)", client.name, admitted, client.admitted, rule.From)
		}
	}
}

// imageRef splits an image reference into repository, tag and digest
// ("ghcr.io/podlens/podlens:v1@sha256:…"). A registry port is not a tag.
func imageRef(ref string) (repo, tag, digest string) {
	repo, digest, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo, tag = repo[:i], repo[i+1:]
	}
	return repo, tag, digest
}

// releaseTag is a version tag as `git describe --tags` prints it on a release.
var releaseTag = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)

// expandArgs returns the container's args with their $(VAR) references
// expanded from its env, as the kubelet expands them (fieldRef
// metadata.namespace and limits.memory in bytes are the sources used here).
func expandArgs(t *testing.T, d *appsv1.Deployment) []string {
	t.Helper()
	c := d.Spec.Template.Spec.Containers[0]
	vars := map[string]string{}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			vars[e.Name] = e.Value
		case e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.namespace":
			vars[e.Name] = d.Namespace
		case e.ValueFrom.ResourceFieldRef != nil && e.ValueFrom.ResourceFieldRef.Resource == "limits.memory":
			vars[e.Name] = strconv.FormatInt(c.Resources.Limits.Memory().Value(), 10) // bytes, divisor 1
		default:
			t.Fatalf("env %s: a source this test does not expand", e.Name)
		}
	}
	var out []string
	for _, a := range c.Args {
		out = append(out, kubeletVar.ReplaceAllStringFunc(a, func(ref string) string {
			v, ok := vars[ref[2:len(ref)-1]]
			if !ok {
				t.Errorf("arg %q names %s, which the env does not define", a, ref)
			}
			return v
		}))
	}
	return out
}

// warnings collects the API server's Warning headers (Pod Security "warn" mode,
// deprecations) so a test can insist there are none.
type warnings struct {
	mu  sync.Mutex
	got []string
}

// HandleWarningHeader implements rest.WarningHandler.
func (w *warnings) HandleWarningHeader(code int, agent, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.got = append(w.got, text)
}

func (w *warnings) list() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.got)
}

// apply really creates every object on the API server with server-side apply,
// as `kubectl apply --server-side -k` does, and fails on any warning.
func apply(t *testing.T, admin *rest.Config, objs []*unstructured.Unstructured) {
	t.Helper()
	cfg := rest.CopyConfig(admin)
	w := &warnings{}
	cfg.WarningHandler = w
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	ctx := t.Context()
	for _, o := range objs {
		gvk := o.GroupVersionKind()
		m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			t.Fatalf("%s %s: no such kind on the API server: %v", gvk, o.GetName(), err)
		}
		var ri dynamic.ResourceInterface = dyn.Resource(m.Resource)
		if m.Scope.Name() == meta.RESTScopeNameNamespace {
			if o.GetNamespace() == "" {
				t.Fatalf("%s %s is namespaced but has no namespace", gvk.Kind, o.GetName())
			}
			ri = dyn.Resource(m.Resource).Namespace(o.GetNamespace())
		} else if o.GetNamespace() != "" {
			t.Fatalf("%s %s is cluster-scoped but has namespace %q", gvk.Kind, o.GetName(), o.GetNamespace())
		}
		if _, err := ri.Apply(ctx, o.GetName(), o, metav1.ApplyOptions{FieldManager: "podlens-deploy-test", Force: true}); err != nil {
			t.Fatalf("applying %s %s/%s: %v", gvk.Kind, o.GetNamespace(), o.GetName(), err)
		}
	}
	if got := w.list(); len(got) > 0 {
		t.Errorf("the API server warned while applying the manifests:\n%s", strings.Join(got, "\n"))
	}
}

// impersonate returns a clientset acting as user with only that user's RBAC.
// The envtest admin is in system:masters, which may impersonate anyone.
func impersonate(t *testing.T, admin *rest.Config, user string) kubernetes.Interface {
	t.Helper()
	cfg := rest.CopyConfig(admin)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// access is one question for SelfSubjectAccessReview.
type access struct {
	verb, group, resource, subresource, namespace string
	allowed                                       bool
}

func (a access) String() string {
	r := a.resource
	if a.group != "" {
		r += "." + a.group
	}
	if a.subresource != "" {
		r += "/" + a.subresource
	}
	ns := a.namespace
	if ns == "" {
		ns = "all namespaces"
	}
	return fmt.Sprintf("%s %s in %s", a.verb, r, ns)
}

// checkAccess asks the API server, as the impersonated identity itself, whether
// each action is allowed, and compares with the expectation.
func checkAccess(t *testing.T, client kubernetes.Interface, cases []access) {
	t.Helper()
	for _, c := range cases {
		word := "is forbidden"
		if c.allowed {
			word = "is allowed"
		}
		t.Run(c.String()+" "+word, func(t *testing.T) {
			t.Parallel()
			review, err := client.AuthorizationV1().SelfSubjectAccessReviews().Create(t.Context(), &authorizationv1.SelfSubjectAccessReview{
				Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authorizationv1.ResourceAttributes{
					Verb: c.verb, Group: c.group, Resource: c.resource, Subresource: c.subresource, Namespace: c.namespace,
				}},
			}, metav1.CreateOptions{})
			if err != nil {
				t.Fatalf("SelfSubjectAccessReview: %v", err)
			}
			if review.Status.Allowed != c.allowed {
				t.Errorf("allowed = %v, want %v (reason %q)", review.Status.Allowed, c.allowed, review.Status.Reason)
			}
		})
	}
}

// writes lists every write verb on the kinds the dashboard could be tempted to
// touch, plus exec, port-forward, logs and eviction, all of which must be denied.
func writes(namespace string) []access {
	var out []access
	for _, r := range []struct {
		group, resource string
		cluster         bool
	}{
		{"", "pods", false}, {"", "nodes", true}, {"", "events", false}, {"events.k8s.io", "events", false},
		{"", "configmaps", false}, {"", "secrets", false}, {"", "serviceaccounts", false}, {"apps", "deployments", false},
		{"rbac.authorization.k8s.io", "clusterrolebindings", true},
	} {
		ns := namespace
		if r.cluster {
			ns = ""
		}
		for _, verb := range []string{"create", "update", "patch", "delete", "deletecollection"} {
			out = append(out, access{verb: verb, group: r.group, resource: r.resource, namespace: ns})
		}
	}
	return append(out,
		access{verb: "create", resource: "pods", subresource: "exec", namespace: namespace},
		access{verb: "get", resource: "pods", subresource: "exec", namespace: namespace},
		access{verb: "create", resource: "pods", subresource: "attach", namespace: namespace},
		access{verb: "create", resource: "pods", subresource: "portforward", namespace: namespace},
		access{verb: "create", resource: "pods", subresource: "eviction", namespace: namespace},
		access{verb: "update", resource: "pods", subresource: "status", namespace: namespace},
		access{verb: "get", resource: "pods", subresource: "log", namespace: namespace},
		access{verb: "update", resource: "nodes", subresource: "status"},
		access{verb: "create", resource: "serviceaccounts", subresource: "token", namespace: namespace},
		access{verb: "impersonate", resource: "users"},
		access{verb: "impersonate", resource: "serviceaccounts", namespace: namespace},
	)
}

// secretReads must all be denied: the dashboard never reads Secrets.
func secretReads(namespace string) []access {
	return []access{
		{verb: "get", resource: "secrets", namespace: namespace},
		{verb: "list", resource: "secrets", namespace: namespace},
		{verb: "watch", resource: "secrets", namespace: namespace},
		{verb: "list", resource: "configmaps", namespace: namespace},
	}
}

// reads lists get/list/watch on resource in namespace with one answer.
func reads(group, resource, namespace string, allowed bool) []access {
	var out []access
	for _, verb := range []string{"get", "list", "watch"} {
		out = append(out, access{verb: verb, group: group, resource: resource, namespace: namespace, allowed: allowed})
	}
	return out
}

// resourceRules returns the resource rules user holds in namespace beyond what
// every authenticated identity gets (system:basic-user's self-reviews,
// ClusterTrustBundle discovery, …), as sorted "verbs groups resources" lines.
// The baseline is measured on the same API server with an identity that has no
// bindings, so the test states only what deploy/ grants.
func resourceRules(t *testing.T, admin *rest.Config, user, namespace string) []string {
	t.Helper()
	baseline := rulesOf(t, impersonate(t, admin, "system:serviceaccount:nowhere:nobody"), namespace)
	var out []string
	for _, r := range rulesOf(t, impersonate(t, admin, user), namespace) {
		if !slices.Contains(baseline, r) {
			out = append(out, r)
		}
	}
	return out
}

// rulesOf asks SelfSubjectRulesReview for the caller's resource rules in namespace.
func rulesOf(t *testing.T, client kubernetes.Interface, namespace string) []string {
	t.Helper()
	review, err := client.AuthorizationV1().SelfSubjectRulesReviews().Create(t.Context(), &authorizationv1.SelfSubjectRulesReview{
		Spec: authorizationv1.SelfSubjectRulesReviewSpec{Namespace: namespace},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("SelfSubjectRulesReview: %v", err)
	}
	if review.Status.Incomplete {
		t.Fatalf("SelfSubjectRulesReview incomplete: %s", review.Status.EvaluationError)
	}
	var out []string
	for _, r := range review.Status.ResourceRules {
		verbs := slices.Sorted(slices.Values(r.Verbs))
		res := slices.Sorted(slices.Values(r.Resources))
		out = append(out, fmt.Sprintf("%s %q %s %q", strings.Join(verbs, ","), r.APIGroups, strings.Join(res, ","), r.ResourceNames))
	}
	slices.Sort(out)
	return out
}

// mustBeForbidden fails unless err is a 403 from the API server.
func mustBeForbidden(t *testing.T, what string, err error) {
	t.Helper()
	if !apierrors.IsForbidden(err) {
		t.Errorf("%s: err = %v, want 403 Forbidden", what, err)
	}
}

// podFromTemplate is the pod the Deployment controller would create (envtest
// runs no controllers, so the test creates it itself).
func podFromTemplate(d *appsv1.Deployment, name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: d.Namespace, Labels: d.Spec.Template.Labels},
		Spec:       *d.Spec.Template.Spec.DeepCopy(),
	}
}

// plainPod is a minimal workload pod.
func plainPod(namespace, name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "registry.example/app:1"}}},
	}
}

// startCache runs the dashboard's real informers with client and waits until
// the pod cache has synced.
func startCache(t *testing.T, client kubernetes.Interface, opts informers.Options) *informers.Cache {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	c := informers.New(client, opts)
	if err := c.Start(ctx); err != nil {
		t.Fatalf("starting informers: %v", err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for !c.Synced() {
		if time.Now().After(deadline) {
			t.Fatalf("pod cache did not sync within 60s; status %+v", c.Status())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return c
}

// waitFor polls cond until it holds or a minute passes. Informers deliver
// asynchronously, so a state check needs a bounded wait (not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// state returns the sync state of one resource kind.
func state(s informers.SyncStatus, r informers.Resource) (informers.ResourceState, bool) {
	for _, rs := range s.Resources {
		if rs.Resource == r {
			return rs, true
		}
	}
	return informers.ResourceState{}, false
}

// podNames lists namespace/name of pods.
func podNames(pods []*corev1.Pod) []string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Namespace+"/"+p.Name)
	}
	return out
}

// TestDeployManifests checks what kustomize renders, without a cluster: the
// object set, and the properties the deployment relies on.
func TestDeployManifests(t *testing.T) {
	t.Parallel()

	t.Run("the cluster-wide variant renders exactly the expected objects", func(t *testing.T) {
		t.Parallel()
		want := []string{
			"Namespace /podlens",
			"ServiceAccount podlens/podlens",
			"ClusterRole /podlens",
			"ClusterRoleBinding /podlens",
			"Service podlens/podlens",
			"Deployment podlens/podlens",
			"PodDisruptionBudget podlens/podlens",
			"NetworkPolicy podlens/podlens",
		}
		if diff := cmp.Diff(want, ids(kustomize(t, clusterWideDir))); diff != "" {
			t.Errorf("rendered objects (-want +got):\n%s", diff)
		}
	})

	t.Run("the namespaced variant renders no cluster-scoped object", func(t *testing.T) {
		t.Parallel()
		want := []string{
			"ServiceAccount team-a/podlens",
			"Role team-a/podlens",
			"RoleBinding team-a/podlens",
			"Service team-a/podlens",
			"Deployment team-a/podlens",
			"PodDisruptionBudget team-a/podlens",
			"NetworkPolicy team-a/podlens",
		}
		if diff := cmp.Diff(want, ids(kustomize(t, namespacedDir))); diff != "" {
			t.Errorf("rendered objects (-want +got):\n%s", diff)
		}
	})

	t.Run("the namespaced variant watches the namespace its pod runs in", func(t *testing.T) {
		t.Parallel()
		c := deployment(t, kustomize(t, namespacedDir)).Spec.Template.Spec.Containers[0]
		if !slices.Contains(c.Args, "--namespace=$(POD_NAMESPACE)") {
			t.Errorf("args = %q, want --namespace=$(POD_NAMESPACE)", c.Args)
		}
		i := slices.IndexFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == "POD_NAMESPACE" })
		if i < 0 || c.Env[i].ValueFrom == nil || c.Env[i].ValueFrom.FieldRef == nil || c.Env[i].ValueFrom.FieldRef.FieldPath != "metadata.namespace" {
			t.Errorf("env = %+v, want POD_NAMESPACE from fieldRef metadata.namespace", c.Env)
		}
	})

	t.Run("the namespaced copies match deploy/ apart from namespace and --namespace", func(t *testing.T) {
		t.Parallel()
		wide, scoped := kustomize(t, clusterWideDir), kustomize(t, namespacedDir)
		d := deployment(t, scoped)
		c := &d.Spec.Template.Spec.Containers[0]
		c.Args = slices.DeleteFunc(c.Args, func(a string) bool { return a == "--namespace=$(POD_NAMESPACE)" })
		d.Namespace = "podlens"
		if diff := cmp.Diff(deployment(t, wide), d); diff != "" {
			t.Errorf("Deployment (-deploy/ +deploy/namespaced/):\n%s", diff)
		}
		for _, kind := range []string{"Service", "PodDisruptionBudget", "ServiceAccount", "NetworkPolicy"} {
			w, s := find(t, wide, kind, "podlens").DeepCopy(), find(t, scoped, kind, "podlens").DeepCopy()
			s.SetNamespace("podlens")
			if diff := cmp.Diff(w.Object, s.Object); diff != "" {
				t.Errorf("%s (-deploy/ +deploy/namespaced/):\n%s", kind, diff)
			}
		}
	})

	for _, dir := range []string{clusterWideDir, namespacedDir} {
		name := strings.TrimPrefix(dir, "../../") + "/"
		t.Run(name+": the NetworkPolicy admits only labelled clients, on the Service's port only", func(t *testing.T) {
			t.Parallel()
			objs := kustomize(t, dir)
			var np networkingv1.NetworkPolicy
			var svc corev1.Service
			typed(t, objs, "NetworkPolicy", &np)
			typed(t, objs, "Service", &svc)
			checkNetworkPolicy(t, &np, deployment(t, objs), &svc)
		})

		t.Run(name+": every image has a release tag, not :latest", func(t *testing.T) {
			t.Parallel()
			spec := deployment(t, kustomize(t, dir)).Spec.Template.Spec
			for _, c := range slices.Concat(spec.InitContainers, spec.Containers) {
				repo, tag, digest := imageRef(c.Image)
				if tag == "latest" || (tag == "" && digest == "") || (tag != "" && !releaseTag.MatchString(tag)) {
					t.Errorf("container %s: image %q (repository %s, tag %q), want a release tag such as v1.2.3 set by kustomization.yaml's images:", c.Name, c.Image, repo, tag)
				}
			}
		})

		t.Run(name+": --allowed-hosts names the Service in every form cluster DNS resolves", func(t *testing.T) {
			t.Parallel()
			objs := kustomize(t, dir)
			d := deployment(t, objs)
			var svc corev1.Service
			typed(t, objs, "Service", &svc)
			var hosts []string
			for _, a := range expandArgs(t, d) {
				if v, ok := strings.CutPrefix(a, "--allowed-hosts="); ok {
					hosts = append(hosts, strings.Split(v, ",")...)
				}
			}
			// The search path of a pod's resolv.conf (Kubernetes docs, "DNS for
			// Services and Pods"): a client may use any of these in Host.
			for _, want := range []string{
				svc.Name,
				svc.Name + "." + svc.Namespace,
				svc.Name + "." + svc.Namespace + ".svc",
				svc.Name + "." + svc.Namespace + ".svc.cluster.local",
			} {
				if !slices.Contains(hosts, want) {
					t.Errorf("--allowed-hosts %q lacks %s: requests through the Service by that name would get 421", hosts, want)
				}
			}
		})
	}

	t.Run("the deployment runs one non-root, read-only, capability-free replica with HTTP probes", func(t *testing.T) {
		t.Parallel()
		d := deployment(t, kustomize(t, clusterWideDir))
		if d.Spec.Replicas == nil || *d.Spec.Replicas != 1 {
			t.Errorf("replicas = %v, want 1", d.Spec.Replicas)
		}
		if ru := d.Spec.Strategy.RollingUpdate; ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 0 {
			t.Errorf("rollingUpdate = %+v, want maxUnavailable 0", ru)
		}
		spec := d.Spec.Template.Spec
		if spec.AutomountServiceAccountToken == nil || !*spec.AutomountServiceAccountToken || spec.ServiceAccountName != "podlens" {
			t.Errorf("serviceAccountName %q, automount %v; want podlens with a mounted token", spec.ServiceAccountName, spec.AutomountServiceAccountToken)
		}
		if len(spec.Containers) != 1 {
			t.Fatalf("%d containers, want 1", len(spec.Containers))
		}
		c := spec.Containers[0]
		sc := c.SecurityContext
		switch {
		case sc == nil:
			t.Fatal("container has no securityContext")
		case sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot, sc.RunAsUser == nil || *sc.RunAsUser != 65532:
			t.Errorf("runAsNonRoot %v runAsUser %v, want true and 65532", sc.RunAsNonRoot, sc.RunAsUser)
		case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
			t.Error("root filesystem is writable")
		case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
			t.Error("privilege escalation is allowed")
		case sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0:
			t.Errorf("capabilities = %+v, want drop ALL and add nothing", sc.Capabilities)
		case sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault:
			t.Errorf("seccompProfile = %+v, want RuntimeDefault", sc.SeccompProfile)
		}
		if !slices.Contains(c.Args, "--listen=0.0.0.0:8080") {
			t.Errorf("args = %q, want --listen=0.0.0.0:8080", c.Args)
		}
		if len(c.Ports) != 1 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != 8080 {
			t.Errorf("ports = %+v, want http 8080", c.Ports)
		}
		for name, p := range map[string]*corev1.Probe{"/healthz": c.LivenessProbe, "/readyz": c.ReadinessProbe} {
			if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != name || p.HTTPGet.Port.String() != "http" {
				t.Errorf("probe for %s = %+v, want httpGet %s on port http", name, p, name)
			}
		}
		if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
			t.Errorf("resources = %+v, want CPU and memory requests and limits", c.Resources)
		}
		if g := spec.TerminationGracePeriodSeconds; g == nil || *g < 15 {
			t.Errorf("terminationGracePeriodSeconds = %v, want at least 15 (drain wait + shutdown)", g)
		}
	})
}

// kubeletVar is a $(VAR) reference in a container's args.
var kubeletVar = regexp.MustCompile(`\$\([A-Za-z_][A-Za-z0-9_]*\)`)

// TestDeployArgs runs the dashboard binary with each variant's args, their
// $(VAR) references expanded from the env as the kubelet expands them, so a
// flag the server does not know, or a value it refuses, fails here rather
// than in a CrashLoopBackOff.
func TestDeployArgs(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "podlens")
	build := exec.Command("go", "build", "-o", bin, "./cmd/server")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, dir := range []string{clusterWideDir, namespacedDir} {
		t.Run(strings.TrimPrefix(dir, "../../")+"/", func(t *testing.T) {
			d := deployment(t, kustomize(t, dir))
			args := append([]string{"--version"}, expandArgs(t, d)...)
			out, err := exec.Command(bin, args...).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "podlens") {
				t.Errorf("podlens %q: %v\n%s", args, err, out)
			}
		})
	}
}

// TestDeploy installs deploy/ and deploy/namespaced/ on a real API server and
// proves, as the dashboard's own ServiceAccounts, that the RBAC is enough to run
// the real informers and not one verb more.
func TestDeploy(t *testing.T) {
	cluster := testcluster.Start(t)
	admin := cluster.Client
	ctx := t.Context()

	// Objects for the dashboard to see: a pod and an event in each team
	// namespace, a node, and a secret it must not read.
	for _, ns := range []string{teamNamespace, otherNamespace} {
		if _, err := admin.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		pod, err := admin.CoreV1().Pods(ns).Create(ctx, plainPod(ns, "app"), metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.CoreV1().Events(ns).Create(ctx, &corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Name: "app.1", Namespace: ns},
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: ns, Name: pod.Name, UID: pod.UID},
			Type:           corev1.EventTypeWarning, Reason: "BackOff", Message: "Back-off restarting failed container app",
		}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: ns}, StringData: map[string]string{"password": "hunter2"},
		}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.CoreV1().Nodes().Create(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "worker-1"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	t.Run("cluster-wide", func(t *testing.T) {
		objs := kustomize(t, clusterWideDir)

		t.Run("every rendered object is accepted and stored by the API server", func(t *testing.T) {
			apply(t, cluster.Config, objs)
			dyn := dynamic.NewForConfigOrDie(cluster.Config)
			for _, o := range objs {
				gvk := o.GroupVersionKind()
				plural, _ := meta.UnsafeGuessKindToResource(gvk)
				got, err := dyn.Resource(plural).Namespace(o.GetNamespace()).Get(ctx, o.GetName(), metav1.GetOptions{})
				if err != nil {
					t.Errorf("%s %s/%s was not stored: %v", gvk.Kind, o.GetNamespace(), o.GetName(), err)
					continue
				}
				if got.GetLabels()["app.kubernetes.io/name"] != "podlens" {
					t.Errorf("%s %s lost its labels: %v", gvk.Kind, got.GetName(), got.GetLabels())
				}
			}
		})

		d := deployment(t, objs)
		t.Run("the pod template is admitted by the restricted Pod Security Standard", func(t *testing.T) {
			if _, err := admin.CoreV1().Pods("podlens").Create(ctx, podFromTemplate(d, "podlens-from-template"), metav1.CreateOptions{}); err != nil {
				t.Fatalf("creating the Deployment's pod in the restricted namespace: %v", err)
			}
			// Prove the namespace really enforces "restricted": the same pod as root is refused.
			root := podFromTemplate(d, "podlens-as-root")
			root.Spec.SecurityContext.RunAsNonRoot, root.Spec.Containers[0].SecurityContext.RunAsNonRoot = nil, nil
			root.Spec.SecurityContext.RunAsUser, root.Spec.Containers[0].SecurityContext.RunAsUser = nil, nil
			_, err := admin.CoreV1().Pods("podlens").Create(ctx, root, metav1.CreateOptions{})
			if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), "restricted") {
				t.Errorf("a root pod in namespace podlens: err = %v, want a PodSecurity restricted rejection", err)
			}
		})

		t.Run("the stored NetworkPolicy isolates the dashboard's pod and no other", func(t *testing.T) {
			checkStoredNetworkPolicy(t, admin, d, []string{"podlens/podlens-from-template"})
		})

		sa := impersonate(t, cluster.Config, clusterWideSA)

		t.Run("the ServiceAccount's rules are exactly read-only pods, events and nodes", func(t *testing.T) {
			want := []string{
				`get,list,watch [""] events,pods []`,
				`get,list,watch [""] nodes []`,
			}
			for _, ns := range []string{"podlens", teamNamespace} {
				if diff := cmp.Diff(want, resourceRules(t, cluster.Config, clusterWideSA, ns)); diff != "" {
					t.Errorf("rules in %s (-want +got):\n%s", ns, diff)
				}
			}
		})

		t.Run("SelfSubjectAccessReview as the ServiceAccount", func(t *testing.T) {
			var cases []access
			for _, ns := range []string{"", teamNamespace} {
				cases = append(cases, reads("", "pods", ns, true)...)
				cases = append(cases, reads("", "events", ns, true)...)
				cases = append(cases, reads("events.k8s.io", "events", ns, false)...)
				cases = append(cases, secretReads(ns)...)
			}
			cases = append(cases, reads("", "nodes", "", true)...)
			cases = append(cases, writes(teamNamespace)...)
			checkAccess(t, sa, cases)
		})

		t.Run("real requests as the ServiceAccount", func(t *testing.T) {
			assertReads(t, sa, "")
			if nodes, err := sa.CoreV1().Nodes().List(ctx, metav1.ListOptions{}); err != nil || len(nodes.Items) != 1 {
				t.Errorf("list nodes: %d nodes, err %v; want worker-1", len(nodes.Items), err)
			}
			assertWritesForbidden(t, sa, teamNamespace)
			_, err := sa.CoreV1().Nodes().Patch(ctx, "worker-1", types.MergePatchType, []byte(`{"spec":{"unschedulable":true}}`), metav1.PatchOptions{})
			mustBeForbidden(t, "cordon a node", err)
			mustBeForbidden(t, "delete a node", sa.CoreV1().Nodes().Delete(ctx, "worker-1", metav1.DeleteOptions{}))
		})

		t.Run("the real informers sync with the ServiceAccount's rights", func(t *testing.T) {
			c := startCache(t, sa, informers.Options{})
			waitFor(t, "the pods of every namespace in the cache", func() bool {
				return len(c.Pods("")) >= 3 // team-a/app, team-b/app, podlens/podlens-from-template
			})
			for _, want := range []string{teamNamespace + "/app", otherNamespace + "/app", "podlens/podlens-from-template"} {
				if !slices.Contains(podNames(c.Pods("")), want) {
					t.Errorf("cache pods = %v, missing %s", podNames(c.Pods("")), want)
				}
			}
			waitFor(t, "node worker-1 in the cache", func() bool { return c.Node("worker-1") != nil })
			pod, ok := c.Pod(teamNamespace, "app")
			if !ok {
				t.Fatal("pod team-a/app missing from the cache")
			}
			waitFor(t, "the pod's event in the cache", func() bool { return len(c.EventsFor(pod)) == 1 })
			for _, r := range []informers.Resource{informers.ResourcePods, informers.ResourceEvents, informers.ResourceNodes} {
				if rs, ok := state(c.Status(), r); !ok || rs.Forbidden {
					t.Errorf("status of %s = %+v (reported %v), want readable", r, rs, ok)
				}
			}
		})
	})

	t.Run("namespaced", func(t *testing.T) {
		objs := kustomize(t, namespacedDir)

		t.Run("every rendered object is accepted by the API server", func(t *testing.T) {
			apply(t, cluster.Config, objs)
		})

		t.Run("the stored NetworkPolicy isolates the dashboard's pod, not the team's workloads", func(t *testing.T) {
			checkStoredNetworkPolicy(t, admin, deployment(t, objs), nil)
		})

		sa := impersonate(t, cluster.Config, namespacedSA)

		t.Run("the ServiceAccount's rules are read-only pods and events in its namespace only", func(t *testing.T) {
			if diff := cmp.Diff([]string{`get,list,watch [""] events,pods []`}, resourceRules(t, cluster.Config, namespacedSA, teamNamespace)); diff != "" {
				t.Errorf("rules in %s (-want +got):\n%s", teamNamespace, diff)
			}
			if diff := cmp.Diff([]string(nil), resourceRules(t, cluster.Config, namespacedSA, otherNamespace)); diff != "" {
				t.Errorf("rules in %s (-want +got):\n%s", otherNamespace, diff)
			}
		})

		t.Run("SelfSubjectAccessReview as the ServiceAccount", func(t *testing.T) {
			var cases []access
			cases = append(cases, reads("", "pods", teamNamespace, true)...)
			cases = append(cases, reads("", "events", teamNamespace, true)...)
			cases = append(cases, reads("", "pods", otherNamespace, false)...)
			cases = append(cases, reads("", "events", otherNamespace, false)...)
			cases = append(cases, reads("", "pods", "", false)...)
			cases = append(cases, reads("", "nodes", "", false)...)
			cases = append(cases, secretReads(teamNamespace)...)
			cases = append(cases, secretReads("")...)
			cases = append(cases, writes(teamNamespace)...)
			checkAccess(t, sa, cases)
		})

		t.Run("real requests as the ServiceAccount", func(t *testing.T) {
			assertReads(t, sa, teamNamespace)
			_, err := sa.CoreV1().Pods(otherNamespace).List(ctx, metav1.ListOptions{})
			mustBeForbidden(t, "list pods in another namespace", err)
			_, err = sa.CoreV1().Events(otherNamespace).List(ctx, metav1.ListOptions{})
			mustBeForbidden(t, "list events in another namespace", err)
			_, err = sa.CoreV1().Pods("").List(ctx, metav1.ListOptions{})
			mustBeForbidden(t, "list pods in all namespaces", err)
			_, err = sa.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
			mustBeForbidden(t, "list nodes", err)
			assertWritesForbidden(t, sa, teamNamespace)
		})

		t.Run("the real informers sync pods and report nodes as forbidden", func(t *testing.T) {
			c := startCache(t, sa, informers.Options{Namespaces: []string{teamNamespace}})
			waitFor(t, "team-a/app in the cache", func() bool { _, ok := c.Pod(teamNamespace, "app"); return ok })
			if diff := cmp.Diff([]string{teamNamespace + "/app"}, podNames(c.Pods(""))); diff != "" {
				t.Errorf("cached pods (-want +got):\n%s", diff)
			}
			waitFor(t, "nodes reported forbidden", func() bool {
				rs, ok := state(c.Status(), informers.ResourceNodes)
				return ok && rs.Forbidden
			})
			if rs, ok := state(c.Status(), informers.ResourcePods); !ok || rs.Forbidden || !rs.Synced {
				t.Errorf("pods status = %+v (reported %v), want synced and readable", rs, ok)
			}
			if n := c.Node("worker-1"); n != nil {
				t.Errorf("Node(worker-1) = %v, want nil: the namespaced identity cannot read nodes", n.Name)
			}
		})
	})
}

// checkStoredNetworkPolicy reads the NetworkPolicy and Service back from the
// API server, as defaulted and validated there, checks them against the
// Deployment, and lists the pods of the namespace the policy selects: want
// ("namespace/name") and nothing else.
func checkStoredNetworkPolicy(t *testing.T, admin kubernetes.Interface, d *appsv1.Deployment, want []string) {
	t.Helper()
	ctx := t.Context()
	np, err := admin.NetworkingV1().NetworkPolicies(d.Namespace).Get(ctx, "podlens", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("NetworkPolicy %s/podlens: %v", d.Namespace, err)
	}
	svc, err := admin.CoreV1().Services(d.Namespace).Get(ctx, "podlens", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("Service %s/podlens: %v", d.Namespace, err)
	}
	checkNetworkPolicy(t, np, d, svc)
	sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
	if err != nil {
		t.Fatal(err)
	}
	pods, err := admin.CoreV1().Pods(np.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		t.Fatalf("listing pods by the policy's selector %q: %v", sel, err)
	}
	var got []*corev1.Pod
	for i := range pods.Items {
		got = append(got, &pods.Items[i])
	}
	if diff := cmp.Diff(want, podNames(got)); diff != "" {
		t.Errorf("pods the policy isolates (-want +got):\n%s", diff)
	}
}

// assertReads lists and watches pods and events in namespace ("" = all) and
// fails unless the API server allows both; secrets must be refused.
func assertReads(t *testing.T, client kubernetes.Interface, namespace string) {
	t.Helper()
	ctx := t.Context()
	pods, err := client.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{})
	if err != nil || len(pods.Items) == 0 {
		t.Errorf("list pods in %q: %v (%d pods)", namespace, err, len(pods.Items))
	}
	events, err := client.CoreV1().Events(namespace).List(ctx, metav1.ListOptions{})
	if err != nil || len(events.Items) == 0 {
		t.Errorf("list events in %q: %v (%d events)", namespace, err, len(events.Items))
	}
	for what, open := range map[string]func() (watch.Interface, error){
		"pods": func() (watch.Interface, error) {
			return client.CoreV1().Pods(namespace).Watch(ctx, metav1.ListOptions{})
		},
		"events": func() (watch.Interface, error) {
			return client.CoreV1().Events(namespace).Watch(ctx, metav1.ListOptions{})
		},
	} {
		w, err := open()
		if err != nil {
			t.Errorf("watch %s in %q: %v", what, namespace, err)
			continue
		}
		w.Stop()
	}
	ns := namespace
	if ns == "" {
		ns = teamNamespace
	}
	_, err = client.CoreV1().Secrets(ns).Get(ctx, "db", metav1.GetOptions{})
	mustBeForbidden(t, "get secret "+ns+"/db", err)
	_, err = client.CoreV1().Secrets(namespace).List(ctx, metav1.ListOptions{})
	mustBeForbidden(t, "list secrets", err)
}

// assertWritesForbidden tries real writes in namespace, including exec and
// eviction, and fails unless every one is refused with 403.
func assertWritesForbidden(t *testing.T, client kubernetes.Interface, namespace string) {
	t.Helper()
	ctx := t.Context()
	_, err := client.CoreV1().Pods(namespace).Create(ctx, plainPod(namespace, "intruder"), metav1.CreateOptions{})
	mustBeForbidden(t, "create a pod", err)
	_, err = client.CoreV1().Pods(namespace).Patch(ctx, "app", types.MergePatchType, []byte(`{"metadata":{"labels":{"x":"y"}}}`), metav1.PatchOptions{})
	mustBeForbidden(t, "patch a pod", err)
	mustBeForbidden(t, "delete a pod", client.CoreV1().Pods(namespace).Delete(ctx, "app", metav1.DeleteOptions{}))
	_, err = client.CoreV1().ConfigMaps(namespace).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "x"}}, metav1.CreateOptions{})
	mustBeForbidden(t, "create a configmap", err)
	_, err = client.CoreV1().Events(namespace).Create(ctx, &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: "fake.1"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: namespace, Name: "app"},
	}, metav1.CreateOptions{})
	mustBeForbidden(t, "create an event", err)
	mustBeForbidden(t, "evict a pod", client.PolicyV1().Evictions(namespace).Evict(ctx, &policyv1.Eviction{
		ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: namespace},
	}))
	// exec is authorized before the connection is upgraded, so a plain POST
	// shows the 403 even though envtest runs no kubelet.
	err = client.CoreV1().RESTClient().Post().Namespace(namespace).Resource("pods").Name("app").SubResource("exec").
		Param("container", "app").Param("command", "sh").Param("stdout", "true").Do(ctx).Error()
	mustBeForbidden(t, "exec into a pod", err)
	err = client.CoreV1().RESTClient().Get().Namespace(namespace).Resource("pods").Name("app").SubResource("log").Do(ctx).Error()
	mustBeForbidden(t, "read a pod's logs", err)
}
