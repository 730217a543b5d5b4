package diagnose

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestProbes(t *testing.T) {
	live := httpProbe("/healthz", 8080)
	runContainerCases(t, []ccase{
		{
			name: "a liveness probe that restarts the container is one Critical finding with the probe shown",
			in: podWith(liveness("app", live), waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 6),
				lastTerminated("app", "Error", 137, 45*time.Second, time.Minute, ""),
				event("Warning", "Unhealthy", "app", `Liveness probe failed: Get "http://10.244.1.7:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, 18, 20*time.Minute, time.Minute),
				event("Normal", "Killing", "app", "Container app failed liveness probe, will be restarted", 6, 20*time.Minute, time.Minute)),
			checks: []check{
				onlyCodes(CodeLivenessProbeFailed), hasSeverity(CodeLivenessProbeFailed, Critical),
				titleContains(CodeLivenessProbeFailed, English, "failing liveness probe (restart count 6)"),
				titleContains(CodeLivenessProbeFailed, Chinese, "存活探针"),
				explContains(CodeLivenessProbeFailed, English, "timeoutSeconds"),
				evidenceContains(CodeLivenessProbeFailed, "spec.containers[app].livenessProbe", "httpGet :8080/healthz initialDelaySeconds=5 periodSeconds=10 timeoutSeconds=1 failureThreshold=3"),
				evidenceContains(CodeLivenessProbeFailed, "event Warning/Unhealthy ×18 (last 60s ago)", "Liveness probe failed"),
				evidenceContains(CodeLivenessProbeFailed, "event Normal/Killing ×6", "failed liveness probe"),
				evidenceContains(CodeLivenessProbeFailed, "lastState.terminated.exitCode", "137"),
				actionContains(CodeLivenessProbeFailed, English, "Raise timeoutSeconds"),
				commandContains(CodeLivenessProbeFailed, "kubectl logs -n shop cart-7d9 -c app --previous"),
			},
		},
		{
			name: "a liveness probe failing without a restart yet is a Warning",
			in: podWith(liveness("app", live), running("app", 10*time.Minute, true),
				event("Warning", "Unhealthy", "app", "Liveness probe failed: HTTP probe failed with statuscode: 500", 2, time.Minute, 20*time.Second)),
			checks: []check{onlyCodes(CodeLivenessProbeFailed), hasSeverity(CodeLivenessProbeFailed, Warning),
				explContains(CodeLivenessProbeFailed, English, "5xx")},
		},
		{
			name: "a liveness kill 20 minutes ago of a container running fine since is a Warning",
			in: podWith(liveness("app", live), running("app", 20*time.Minute, true), restarts("app", 1),
				lastTerminated("app", "Error", 137, time.Hour, 20*time.Minute, ""),
				event("Normal", "Killing", "app", "Container app failed liveness probe, will be restarted", 1, 20*time.Minute, 20*time.Minute)),
			checks: []check{onlyCodes(CodeLivenessProbeFailed), hasSeverity(CodeLivenessProbeFailed, Warning),
				titleContains(CodeLivenessProbeFailed, English, "(restart count 1)")},
		},
		{
			name: "old probe events are ignored",
			in: podWith(liveness("app", live), running("app", 50*time.Minute, true),
				event("Warning", "Unhealthy", "app", "Liveness probe failed: HTTP probe failed with statuscode: 500", 2, 55*time.Minute, 50*time.Minute),
				event("Normal", "Killing", "app", "Container app failed liveness probe, will be restarted", 1, 50*time.Minute, 50*time.Minute)),
			checks: []check{noFindings()},
		},
		{
			name: "a readiness probe failing takes the pod out of Service endpoints",
			in: podWith(readiness("app", &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromString("http")}}}),
				running("app", 10*time.Minute, false),
				event("Warning", "Unhealthy", "app", "Readiness probe failed: dial tcp 10.244.1.7:8080: connect: connection refused", 40, 9*time.Minute, 5*time.Second)),
			checks: []check{onlyCodes(CodeReadinessProbeFailed), hasSeverity(CodeReadinessProbeFailed, Warning),
				titleContains(CodeReadinessProbeFailed, English, "removed from Service endpoints"),
				evidenceContains(CodeReadinessProbeFailed, "readinessProbe", "tcpSocket :http initialDelaySeconds=0 periodSeconds=10 timeoutSeconds=1 failureThreshold=3"),
				evidenceContains(CodeReadinessProbeFailed, "status.containerStatuses[app].ready", "false"),
				actionContains(CodeReadinessProbeFailed, English, "0.0.0.0"),
				commandContains(CodeReadinessProbeFailed, `-o custom-columns='SLICE:.metadata.name,SERVICE:.metadata.labels.kubernetes\.io/service-name,POD_READY:.endpoints[?(@.targetRef.name=="cart-7d9")].conditions.ready'`)},
		},
		{
			name: "a readiness failure of a container that is ready again is over",
			in: podWith(running("app", 10*time.Minute, true),
				event("Warning", "Unhealthy", "app", "Readiness probe failed: HTTP probe failed with statuscode: 503", 3, 9*time.Minute, 2*time.Minute)),
			checks: []check{noFindings()},
		},
		{
			name: "a startup probe kill is a StartupProbeFailed, not a crash loop",
			in: podWith(startup("app", &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ready"}}}, FailureThreshold: 30}),
				waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 2), lastTerminated("app", "Error", 137, 5*time.Minute, time.Minute, ""),
				event("Warning", "Unhealthy", "app", "Startup probe failed: cat: can't open '/tmp/ready': No such file or directory", 60, 12*time.Minute, time.Minute),
				event("Normal", "Killing", "app", "Container app failed startup probe, will be restarted", 2, 7*time.Minute, time.Minute)),
			checks: []check{onlyCodes(CodeStartupProbeFailed), hasSeverity(CodeStartupProbeFailed, Critical),
				evidenceContains(CodeStartupProbeFailed, "spec.containers[app].startupProbe", `exec ["cat", "/tmp/ready"]`),
				evidenceContains(CodeStartupProbeFailed, "startupProbe", "failureThreshold=30"),
				actionContains(CodeStartupProbeFailed, English, "failureThreshold × periodSeconds")},
		},
		{
			name: "probe events of another container do not count",
			in: podWith(running("sidecar", time.Hour, true),
				event("Warning", "Unhealthy", "sidecar", "Liveness probe failed: timeout", 2, time.Minute, 30*time.Second)),
			checks: []check{onlyCodes(CodeLivenessProbeFailed), forContainer(CodeLivenessProbeFailed, "sidecar")},
		},
	})
}
