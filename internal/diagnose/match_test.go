package diagnose

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestParseConfigError(t *testing.T) {
	t.Parallel()
	// Message variants of the kubelet (makeEnvironmentVariables, the ConfigMap
	// and Secret caches, verifyRunAsNonRoot).
	cases := []struct {
		msg  string
		want configMissing
	}{
		{`configmap "app-config" not found`, configMissing{kind: "ConfigMap", name: "app-config"}},
		{`secret "db" not found`, configMissing{kind: "Secret", name: "db"}},
		{`couldn't find key url in ConfigMap shop/app-config`, configMissing{kind: "ConfigMap", name: "app-config", key: "url"}},
		{`couldn't find key password in Secret shop/db`, configMissing{kind: "Secret", name: "db", key: "password"}},
		{`container has runAsNonRoot and image will run as root (pod: "p_ns(uid)", container: app)`, configMissing{kind: "runAsNonRoot"}},
		{`container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root (pod: "p", container: app)`, configMissing{kind: "runAsNonRoot", user: "nginx"}},
		{`container's runAsUser breaks non-root policy (pod: "p", container: app)`, configMissing{kind: "runAsNonRoot"}},
		{`failed to sync secret cache: timed out waiting for the condition`, configMissing{}},
	}
	for _, tc := range cases {
		if diff := cmp.Diff(tc.want, parseConfigError(tc.msg), cmp.AllowUnexported(configMissing{})); diff != "" {
			t.Errorf("parseConfigError(%q) (-want +got):\n%s", tc.msg, diff)
		}
	}
}

func TestClassifyStartError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		msg  string
		want startClass
	}{
		{`exec: "serve": executable file not found in $PATH: unknown`, startNotFound},
		{`container create failed: executable file not found in $PATH`, startNotFound},
		{`exec /app/serve: exec format error`, startExecFormat},
		{`exec: "/entrypoint.sh": permission denied: unknown`, startPermission},
		{`exec: "/app/serve": stat /app/serve: no such file or directory: unknown`, startNoSuchFile},
		{`failed to reserve container name "a": name "a" is reserved for "b"`, startNameReserved},
		{`context deadline exceeded`, startTimeout},
		{`something odd`, startUnknown},
	}
	for _, tc := range cases {
		if got := classifyStartError(tc.msg); got != tc.want {
			t.Errorf("classifyStartError(%q) = %d, want %d", tc.msg, got, tc.want)
		}
	}
}

func TestProbeString(t *testing.T) {
	t.Parallel()
	svc := "health"
	cases := []struct {
		probe *corev1.Probe
		want  string
	}{
		{&corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTPS}}, InitialDelaySeconds: 3},
			"httpGet https://:8080/healthz initialDelaySeconds=3 periodSeconds=10 timeoutSeconds=1 failureThreshold=3"},
		{&corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromString("db")}}, PeriodSeconds: 5, TimeoutSeconds: 2, FailureThreshold: 6},
			"tcpSocket :db initialDelaySeconds=0 periodSeconds=5 timeoutSeconds=2 failureThreshold=6"},
		{&corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"pg_isready", "-U", "app"}}}},
			`exec ["pg_isready", "-U", "app"] initialDelaySeconds=0 periodSeconds=10 timeoutSeconds=1 failureThreshold=3`},
		{&corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 9090, Service: &svc}}},
			"grpc :9090 service=health initialDelaySeconds=0 periodSeconds=10 timeoutSeconds=1 failureThreshold=3"},
	}
	for _, tc := range cases {
		if got := probeString(tc.probe); got != tc.want {
			t.Errorf("probeString = %q, want %q", got, tc.want)
		}
	}
}

func TestEventHelpers(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) metav1.Time { return metav1.NewTime(now.Add(-d)) }
	cases := []struct {
		name   string
		event  *corev1.Event
		source string
		// shown is the Source as read at now.
		shown string
	}{
		{"a counted core/v1 event", &corev1.Event{Type: "Warning", Reason: "BackOff", Count: 12, FirstTimestamp: at(time.Hour), LastTimestamp: at(2 * time.Minute)},
			"event Warning/BackOff ×12", "event Warning/BackOff ×12 (last 2m ago)"},
		{"a single event", &corev1.Event{Type: "Normal", Reason: "Killing", Count: 1, LastTimestamp: at(90 * time.Second)},
			"event Normal/Killing", "event Normal/Killing (last 90s ago)"},
		{"an events.k8s.io series", &corev1.Event{Type: "Warning", Reason: "Failed", EventTime: metav1.NewMicroTime(now.Add(-time.Hour)),
			Series: &corev1.EventSeries{Count: 47, LastObservedTime: metav1.NewMicroTime(now.Add(-15 * time.Second))}},
			"event Warning/Failed ×47", "event Warning/Failed ×47 (last 15s ago)"},
		{"an event with no type and only a creation time", &corev1.Event{Reason: "Pulled", ObjectMeta: metav1.ObjectMeta{CreationTimestamp: at(3 * time.Hour)}},
			"event Normal/Pulled", "event Normal/Pulled (last 3h ago)"},
		{"an event with no time at all", &corev1.Event{Type: "Warning", Reason: "Failed"},
			"event Warning/Failed", "event Warning/Failed"},
	}
	for _, tc := range cases {
		ev := eventEvidence(tc.event)
		if ev.Source != tc.source {
			t.Errorf("%s: Source = %q, want %q", tc.name, ev.Source, tc.source)
		}
		if got := ev.At(now); got.Source != tc.shown || !got.LastSeen.IsZero() {
			t.Errorf("%s: At(now) = %+v, want Source %q and no LastSeen", tc.name, got, tc.shown)
		}
	}
	if got := eventContainer(&corev1.Event{InvolvedObject: corev1.ObjectReference{FieldPath: "spec.initContainers{migrate}"}}); got != "migrate" {
		t.Errorf("eventContainer = %q, want migrate", got)
	}
}

// TestSinceAt pins the one format of every elapsed time in texts and
// evidence: kubectl's ages (duration.HumanDuration), never negative.
func TestSinceAt(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		-time.Hour: "0s", 0: "0s", 45 * time.Second: "45s", 90 * time.Second: "90s", 5 * time.Minute: "5m",
		2*time.Minute + 40*time.Second: "2m40s", 42 * time.Minute: "42m", 150 * time.Minute: "150m",
		3*time.Hour + 12*time.Minute: "3h12m", 48 * time.Hour: "2d", 50 * time.Hour: "2d2h",
	} {
		if got := Since(now.Add(-d)).At(now); got != want {
			t.Errorf("Since(now-%v).At(now) = %q, want %q", d, got, want)
		}
	}
	if got := Since(time.Time{}).At(now); got != "?" {
		t.Errorf("Since(zero).At(now) = %q, want ?", got)
	}
}

func TestParseBackoff(t *testing.T) {
	t.Parallel()
	for msg, want := range map[string]string{
		"back-off 5m0s restarting failed container=app pod=p_ns(uid)": "5m0s",
		"Back-off 10s restarting failed container=app":                "10s",
		"back-off pulling image":                                      "",
		"":                                                            "",
	} {
		if got := parseBackoff(msg); got != want {
			t.Errorf("parseBackoff(%q) = %q, want %q", msg, got, want)
		}
	}
}

func TestExitMeaning(t *testing.T) {
	t.Parallel()
	for code, want := range map[int32]string{
		0: "success", 1: "generic application error", 127: "command not found", 137: "SIGKILL",
		143: "SIGTERM", 129: "signal 1 (SIGHUP)", 158: "signal 30 (SIG30)", 42: "application-specific",
	} {
		if got := exitMeaning(code).In(English, time.Time{}); !contains(got, want) {
			t.Errorf("exitMeaning(%d) = %q, want it to mention %q", code, got, want)
		}
	}
}

func contains(s, sub string) bool { return indexFold(s, lowerASCII(sub)) >= 0 }

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
