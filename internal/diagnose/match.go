package diagnose

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// This file holds the message-fragment tables of the container rules, as data,
// and the event helpers they share. Every fragment is lower case and matched as
// a case-insensitive substring: the same error reaches the kubelet from
// containerd, CRI-O and older runtimes with different capitalisation and
// wrapping. Tables are tested in the order they are written.

// fragment matches a message that contains every string in all and none of
// the strings in none.
type fragment struct {
	all  []string
	none []string
}

func (f fragment) matches(lower string) bool {
	for _, s := range f.all {
		if !strings.Contains(lower, s) {
			return false
		}
	}
	for _, s := range f.none {
		if strings.Contains(lower, s) {
			return false
		}
	}
	return true
}

// any1 is a fragment of one substring.
func any1(s ...string) []fragment {
	out := make([]fragment, len(s))
	for i, v := range s {
		out[i] = fragment{all: []string{v}}
	}
	return out
}

// pullClass is the category of an image-pull error, as the runtime's error
// text shows it (the kubelet passes it on verbatim: pkg/kubelet/images,
// imageManager.EnsureImageExists and evalCRIPullErr).
type pullClass int

// Pull error categories, in the order pullTable tests them.
const (
	pullUnknown pullClass = iota
	pullNotFound
	pullAuth
	pullRateLimit
	pullDNS
	pullNetwork
	pullTLS
	pullPlatform
	pullDisk
	pullSignature
	pullInvalid
)

var pullClassNames = [...]string{"unknown", "not-found", "unauthorized", "rate-limited", "dns", "network", "tls", "platform", "disk", "signature", "invalid-reference"}

// String is the class's stable name, used in tests and fuzzing.
func (c pullClass) String() string { return pullClassNames[c] }

// pullTable classifies image-pull error text. The texts are the registry's
// answers as the runtimes wrap them: the OCI Distribution Specification's
// error codes (MANIFEST_UNKNOWN, UNAUTHORIZED, DENIED, TOOMANYREQUESTS),
// containerd's resolver ("failed to resolve reference …: not found",
// core/remotes/docker/resolver.go), Docker's and CRI-O's equivalents, and
// Go's net and crypto/x509 errors. "not found" needs care: ": not found" also ends the platform error, so it
// counts only after "failed to resolve reference"; containerd's gRPC code
// NotFound is excluded when the text is the platform one.
var pullTable = []struct {
	class pullClass
	frags []fragment
}{
	{pullNotFound, []fragment{
		{all: []string{"manifest unknown"}},
		{all: []string{"failed to resolve reference", ": not found"}},
		{all: []string{"code = notfound"}, none: []string{"no match for platform"}},
		{all: []string{"manifest for ", " not found"}},
		{all: []string{"repository ", " not found"}},
	}},
	{pullAuth, any1("pull access denied", "unauthorized", "authentication required", "insufficient_scope",
		"401 unauthorized", "403 forbidden", "denied: requested access to the resource is denied",
		"no basic auth credentials", "failed to fetch oauth token", "failed to authorize")},
	{pullRateLimit, any1("429 too many requests", "toomanyrequests", "pull rate limit")},
	{pullDNS, append(any1("no such host", "server misbehaving"), fragment{all: []string{"lookup ", ":53"}})},
	{pullNetwork, any1("i/o timeout", "context deadline exceeded", "connection refused", "connection reset by peer",
		"network is unreachable", "no route to host", "tls handshake timeout", "registryunavailable",
		"registry is unavailable")},
	{pullTLS, any1("x509:", "certificate signed by unknown authority", "tls: failed to verify certificate",
		"certificate has expired", "http: server gave http response to https client")},
	{pullPlatform, any1("no match for platform in manifest", "exec format error")},
	{pullDisk, any1("no space left on device", "failed to extract layer", "failed to register layer")},
	{pullSignature, append(any1("signaturevalidationfailed", "signature validation failed"),
		fragment{all: []string{"signature", "policy"}})},
	{pullInvalid, any1("invalid reference format", "repository name must be lowercase")},
}

// classifyPullError sorts runtime pull-error text into a pullClass.
func classifyPullError(msg string) pullClass {
	if msg == "" {
		return pullUnknown
	}
	lower := strings.ToLower(msg)
	for _, row := range pullTable {
		for _, f := range row.frags {
			if f.matches(lower) {
				return row.class
			}
		}
	}
	return pullUnknown
}

// startClass is why the runtime could not create or start a container's
// process (RunContainerError, StartError, CreateContainerError).
type startClass int

// Start error categories.
const (
	startUnknown startClass = iota
	startNotFound
	startExecFormat
	startPermission
	startNoSuchFile
	startNameReserved
	startTimeout
)

// startTable classifies runtime create/start error text: the runtime's
// CreateContainer / StartContainer error, which the kubelet records as the
// waiting message of CreateContainerError / RunContainerError and as a Failed
// event "Error: …" (pkg/kubelet/kuberuntime/kuberuntime_container.go,
// startContainer), or as the StartError termination message.
var startTable = []struct {
	class startClass
	frags []fragment
}{
	{startNotFound, any1("executable file not found", "command not found")},
	{startExecFormat, any1("exec format error")},
	{startPermission, any1("permission denied")},
	{startNoSuchFile, any1("no such file or directory")},
	{startNameReserved, any1("failed to reserve container name", "is reserved for")},
	{startTimeout, any1("context deadline exceeded", "deadlineexceeded")},
}

func classifyStartError(msg string) startClass {
	lower := strings.ToLower(msg)
	for _, row := range startTable {
		for _, f := range row.frags {
			if f.matches(lower) {
				return row.class
			}
		}
	}
	return startUnknown
}

// configMissing is what a CreateContainerConfigError message names.
type configMissing struct {
	kind string // "ConfigMap", "Secret", "runAsNonRoot" or "" when unknown
	name string // object name ("" for runAsNonRoot)
	key  string // missing key, when a key is missing from an existing object
	user string // the image's non-numeric user, for runAsNonRoot
}

// parseConfigError reads the object, key or security setting a
// CreateContainerConfigError message is about. The kubelet writes them in
// pkg/kubelet/kubelet_pods.go (makeEnvironmentVariables), the NotFound
// errors of the ConfigMap and Secret caches (pkg/kubelet/util/manager) and
// pkg/kubelet/kuberuntime/security_context_others.go (verifyRunAsNonRoot):
//
//	configmap "<name>" not found
//	secret "<name>" not found
//	couldn't find key <key> in ConfigMap <ns>/<name>
//	couldn't find key <key> in Secret <ns>/<name>
//	container has runAsNonRoot and image will run as root (pod: "<pod>", container: <c>)
//	container has runAsNonRoot and image has non-numeric user (<user>), cannot verify user is non-root (…)
//	container's runAsUser breaks non-root policy (…)
func parseConfigError(msg string) configMissing {
	if i := indexFold(msg, "couldn't find key "); i >= 0 {
		rest := msg[i+len("couldn't find key "):]
		key, after, ok := strings.Cut(rest, " in ")
		if !ok {
			return configMissing{}
		}
		kind, obj, _ := strings.Cut(strings.TrimSpace(after), " ")
		if _, name, ok := strings.Cut(obj, "/"); ok {
			obj = name
		}
		obj = strings.TrimRight(obj, ".,;: ")
		switch strings.ToLower(kind) {
		case "configmap":
			kind = "ConfigMap"
		case "secret":
			kind = "Secret"
		}
		return configMissing{kind: kind, name: obj, key: key}
	}
	if indexFold(msg, "runasnonroot") >= 0 || indexFold(msg, "non-root") >= 0 {
		c := configMissing{kind: "runAsNonRoot"}
		if i := indexFold(msg, "non-numeric user ("); i >= 0 {
			if u, _, ok := strings.Cut(msg[i+len("non-numeric user ("):], ")"); ok {
				c.user = u
			}
		}
		return c
	}
	for _, k := range [...]struct{ prefix, kind string }{{`configmap "`, "ConfigMap"}, {`secret "`, "Secret"}} {
		if i := indexFold(msg, k.prefix); i >= 0 {
			rest := msg[i+len(k.prefix):]
			if name, tail, ok := strings.Cut(rest, `"`); ok && indexFold(tail, "not found") >= 0 {
				return configMissing{kind: k.kind, name: name}
			}
		}
	}
	return configMissing{}
}

// indexFold is strings.Index ignoring ASCII case; sub must be lower case.
// Unlike indexing strings.ToLower(s), its result is an index into s itself
// (ToLower can change the byte length of invalid UTF-8).
func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == n {
			return i
		}
	}
	return -1
}

// creatingCause is why a pod stays ContainerCreating / PodInitializing, read
// from its events: the kubelet reports a pod still setting up as waiting
// reason ContainerCreating / PodInitializing (pkg/kubelet/kubelet_pods.go,
// convertToAPIContainerStatuses) and says why only in events.
type creatingCause int

// Causes of a stuck ContainerCreating, most specific first.
const (
	creatingUnknown creatingCause = iota
	creatingMount
	creatingAttach
	creatingSandbox
	creatingNetwork
	creatingDRA
)

// creatingEvents maps event reasons to the cause they show; the reasons are
// the kubelet's (pkg/kubelet/events/event.go). NetworkPluginNotReady, the
// reason containerd gives its own NetworkReady=false condition, is accepted
// as an alias of the kubelet's NetworkNotReady.
var creatingEvents = map[string]creatingCause{
	"FailedMount":                   creatingMount,
	"FailedMapVolume":               creatingMount,
	"FailedAttachVolume":            creatingAttach,
	"FailedCreatePodSandBox":        creatingSandbox,
	"FailedPodSandBoxStatus":        creatingSandbox,
	"NetworkNotReady":               creatingNetwork,
	"NetworkPluginNotReady":         creatingNetwork,
	"FailedPrepareDynamicResources": creatingDRA,
}

// sandboxClass refines FailedCreatePodSandBox messages ("Failed to create pod
// sandbox: <runtime error>", pkg/kubelet/kuberuntime/kuberuntime_manager.go,
// SyncPod).
type sandboxClass int

// Sandbox failure categories.
const (
	sandboxOther sandboxClass = iota
	sandboxIPAM
	sandboxCNI
	sandboxPause
	sandboxCgroup
)

// sandboxTable classifies FailedCreatePodSandBox text: the runtime's
// RunPodSandbox error, which wraps the CNI plugin's ADD error. IP
// exhaustion is tested before the generic CNI text that wraps it.
var sandboxTable = []struct {
	class sandboxClass
	frags []fragment
}{
	{sandboxIPAM, any1("no ip addresses available", "failed to allocate for range", "ipam", "ip pool", "range is full", "no available ip", "failed to assign an ip")},
	{sandboxPause, append(any1("failed to get sandbox image", "pause:"), fragment{all: []string{"sandbox image"}})},
	{sandboxCNI, any1("failed to setup network for sandbox", "plugin type=", "cni", "networkplugin")},
	{sandboxCgroup, any1("cgroup")},
}

func classifySandbox(msg string) sandboxClass {
	lower := strings.ToLower(msg)
	for _, row := range sandboxTable {
		for _, f := range row.frags {
			if f.matches(lower) {
				return row.class
			}
		}
	}
	return sandboxOther
}

// mountMissingTable finds FailedMount messages about a missing Secret or
// ConfigMap or key, which no retry fixes ("MountVolume.SetUp failed for
// volume … : secret … not found", pkg/volume/util/operationexecutor/
// operation_generator.go, GenerateMountVolumeFunc).
var mountMissingTable = []fragment{
	{all: []string{`secret "`, "not found"}},
	{all: []string{`configmap "`, "not found"}},
	{all: []string{"non-existent config key"}},
	{all: []string{"couldn't find key"}},
}

func mountMissing(msg string) bool {
	lower := strings.ToLower(msg)
	for _, f := range mountMissingTable {
		if f.matches(lower) {
			return true
		}
	}
	return false
}

// probeKind is a probe type: liveness, readiness or startup.
type probeKind int

// Probe kinds.
const (
	probeNone probeKind = iota
	probeLiveness
	probeReadiness
	probeStartup
)

// probePrefixes read the probe kind off an Unhealthy event message
// ("<Type> probe failed: <output>", "<Type> probe errored …: <err>",
// pkg/kubelet/prober/prober.go, prober.probe).
var probePrefixes = []struct {
	kind   probeKind
	prefix string
}{
	{probeLiveness, "liveness probe"},
	{probeReadiness, "readiness probe"},
	{probeStartup, "startup probe"},
}

// probeKillFragments read the probe kind off a Killing event message
// (pkg/kubelet/kuberuntime/kuberuntime_manager.go, computePodActions:
// "Container <c> failed liveness probe, will be restarted",
// "Container <c> failed startup probe, will be restarted", "Init container
// <c> failed startup probe").
var probeKillFragments = []struct {
	kind probeKind
	frag string
}{
	{probeLiveness, "failed liveness probe"},
	{probeStartup, "failed startup probe"},
}

func unhealthyKind(msg string) probeKind {
	lower := strings.ToLower(msg)
	for _, p := range probePrefixes {
		if strings.HasPrefix(lower, p.prefix) {
			return p.kind
		}
	}
	return probeNone
}

func killingKind(msg string) probeKind {
	lower := strings.ToLower(msg)
	for _, p := range probeKillFragments {
		if strings.Contains(lower, p.frag) {
			return p.kind
		}
	}
	return probeNone
}

// --- events -------------------------------------------------------------

// eventLastSeen is when an event last happened: the series' last observation,
// else lastTimestamp, else eventTime, else firstTimestamp, else creation.
func eventLastSeen(e *corev1.Event) time.Time {
	if e.Series != nil && !e.Series.LastObservedTime.IsZero() {
		return e.Series.LastObservedTime.Time
	}
	if !e.LastTimestamp.IsZero() {
		return e.LastTimestamp.Time
	}
	if !e.EventTime.IsZero() {
		return e.EventTime.Time
	}
	if !e.FirstTimestamp.IsZero() {
		return e.FirstTimestamp.Time
	}
	return e.CreationTimestamp.Time
}

// eventFirstSeen is when an event first happened.
func eventFirstSeen(e *corev1.Event) time.Time {
	if !e.FirstTimestamp.IsZero() {
		return e.FirstTimestamp.Time
	}
	if !e.EventTime.IsZero() {
		return e.EventTime.Time
	}
	return e.CreationTimestamp.Time
}

// EventTimes returns when an event first and last happened, whichever of
// the API's time fields its reporter filled. It is the one reading of those
// fields, so the rules and the pages never disagree about an event's age.
func EventTimes(e *corev1.Event) (first, last time.Time) {
	return eventFirstSeen(e), eventLastSeen(e)
}

// EventCount is how many times an event happened (at least 1), from its
// series when it has one.
func EventCount(e *corev1.Event) int32 {
	if e.Series != nil && e.Series.Count > 0 {
		return e.Series.Count
	}
	if e.Count > 0 {
		return e.Count
	}
	return 1
}

// eventSource is an Evidence.Source for an event, e.g.
// "event Warning/BackOff ×12". It is built in one buffer: diagnose runs on
// every pod update.
func eventSource(e *corev1.Event) string {
	typ := e.Type
	if typ == "" {
		typ = "Normal"
	}
	b := make([]byte, 0, 64)
	b = append(b, "event "...)
	b = append(b, typ...)
	b = append(b, '/')
	b = append(b, e.Reason...)
	if n := EventCount(e); n > 1 {
		b = append(b, " ×"...)
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return string(b)
}

// EventReporter names who reported an event: the component (or reporting
// controller), and the host (or reporting instance) when it says more.
func EventReporter(e *corev1.Event) string {
	src := cmp.Or(e.Source.Component, e.ReportingController)
	if host := cmp.Or(e.Source.Host, e.ReportingInstance); host != "" && host != src {
		if src == "" {
			return host
		}
		return src + ", " + host
	}
	return src
}

// eventEvidence quotes an event's message, with when it last happened.
func eventEvidence(e *corev1.Event) Evidence {
	return Evidence{Source: eventSource(e), Value: e.Message, LastSeen: eventLastSeen(e)}
}

// eventContainer is the container an event's involvedObject.fieldPath names
// ("spec.containers{app}", "spec.initContainers{init}"), or "" for the pod.
func eventContainer(e *corev1.Event) string {
	fp := e.InvolvedObject.FieldPath
	i := strings.IndexByte(fp, '{')
	if i < 0 || !strings.HasSuffix(fp, "}") {
		return ""
	}
	return fp[i+1 : len(fp)-1]
}

// eventFor reports whether e concerns container c (or the whole pod when its
// fieldPath is empty and anyPod is set).
func eventFor(e *corev1.Event, c string, anyPod bool) bool {
	ec := eventContainer(e)
	if ec == "" {
		return anyPod
	}
	return ec == c
}

// latestEvent returns the most recent event with the given reason that match
// accepts (nil accepts all), and the earliest first-seen time among them.
func latestEvent(events []*corev1.Event, reason string, match func(*corev1.Event) bool) (latest *corev1.Event, first time.Time) {
	var last time.Time
	for _, e := range events {
		if e == nil || e.Reason != reason || (match != nil && !match(e)) {
			continue
		}
		if t := eventLastSeen(e); latest == nil || t.After(last) {
			latest, last = e, t
		}
		if f := eventFirstSeen(e); !f.IsZero() && (first.IsZero() || f.Before(first)) {
			first = f
		}
	}
	return latest, first
}
