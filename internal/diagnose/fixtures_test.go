package diagnose

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// fixtureNow is the clock the testdata captures were taken at.
var fixtureNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// loadFixture reads a `kubectl get pod,events -o yaml` List: one Pod and its
// Events.
func loadFixture(tb testing.TB, name string) PodInput {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	in, err := decodeFixture(raw)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	if in.Pod == nil {
		tb.Fatalf("%s has no Pod", name)
	}
	return in
}

func decodeFixture(raw []byte) (PodInput, error) {
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := yaml.Unmarshal(raw, &list); err != nil {
		return PodInput{}, err
	}
	var in PodInput
	for _, item := range list.Items {
		var meta struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(item, &meta); err != nil {
			return PodInput{}, err
		}
		switch meta.Kind {
		case "Pod":
			in.Pod = new(corev1.Pod)
			if err := json.Unmarshal(item, in.Pod); err != nil {
				return PodInput{}, err
			}
		case "Event":
			e := new(corev1.Event)
			if err := json.Unmarshal(item, e); err != nil {
				return PodInput{}, err
			}
			in.Events = append(in.Events, e)
		}
	}
	return in, nil
}

// TestFixtures diagnoses real captures with the whole rule list.
func TestFixtures(t *testing.T) {
	cases := []struct {
		file   string
		checks []check
	}{
		{"crashloop-exit1.yaml", []check{
			hasSeverity(CodeCrashLoopBackOff, Critical), forContainer(CodeCrashLoopBackOff, "cart"),
			titleContains(CodeCrashLoopBackOff, English, `Container "cart" keeps crashing: exit code 1, restart count 8`),
			explContains(CodeCrashLoopBackOff, English, "after running for 1s"),
			explContains(CodeCrashLoopBackOff, English, "now 5m0s"),
			evidenceContains(CodeCrashLoopBackOff, "status.containerStatuses[cart].lastState.terminated.message", "DATABASE_URL is empty"),
			evidenceContains(CodeCrashLoopBackOff, "event Warning/BackOff ×81 (last 30s ago)", "Back-off restarting failed container cart"),
			commandContains(CodeCrashLoopBackOff, "kubectl logs -n shop cart-7d9c5b8f4-x2x9z -c cart --previous"),
		}},
		{"imagepullbackoff-notfound.yaml", []check{
			hasSeverity(CodeImagePullBackOff, Critical),
			titleContains(CodeImagePullBackOff, English, `image "docker.io/library/nginx:1.99.0" not found`),
			titleContains(CodeImagePullBackOff, Chinese, `镜像 "docker.io/library/nginx:1.99.0" 不存在`),
			evidenceContains(CodeImagePullBackOff, "event Warning/Failed ×6 (last 3m50s ago)", "docker.io/library/nginx:1.99.0: not found"),
			sinceIs(CodeImagePullBackOff, time.Date(2026, 11, 28, 11, 45, 3, 0, time.UTC)),
		}},
		{"imagepull-unauthorized.yaml", []check{
			hasSeverity(CodeImagePullBackOff, Critical),
			titleContains(CodeImagePullBackOff, English, "not authorized to pull"),
			evidenceContains(CodeImagePullBackOff, "spec.imagePullSecrets", "dockerhub-acme"),
			evidenceContains(CodeImagePullBackOff, "event Warning/FailedToRetrieveImagePullSecret", "(dockerhub-acme)"),
			commandContains(CodeImagePullBackOff, "kubectl get serviceaccount -n payments ledger -o yaml"),
			explContains(CodeImagePullBackOff, English, "Docker Hub"),
		}},
		{"oomkilled.yaml", []check{
			hasSeverity(CodeOOMKilled, Critical), noCode(CodeCrashLoopBackOff),
			titleContains(CodeOOMKilled, English, "memory limit of 512Mi (restart count 5)"),
			explContains(CodeOOMKilled, English, "after it had run for 92s"),
			evidenceContains(CodeOOMKilled, "spec.containers[reports].resources.requests.memory", "512Mi"),
		}},
		{"configerror-missing-key.yaml", []check{
			hasSeverity(CodeCreateContainerConfigError, Critical),
			titleContains(CodeCreateContainerConfigError, English, `key "api-key" missing from Secret "stripe"`),
			evidenceContains(CodeCreateContainerConfigError, "spec.containers[checkout].env[STRIPE_KEY].valueFrom.secretKeyRef", "name=stripe key=api-key"),
			evidenceContains(CodeCreateContainerConfigError, "event Warning/Failed ×47 (last 15s ago)", "couldn't find key api-key"),
			sinceIs(CodeCreateContainerConfigError, time.Date(2026, 11, 28, 11, 50, 4, 123456000, time.UTC)),
		}},
		{"liveness-killing.yaml", []check{
			hasSeverity(CodeLivenessProbeFailed, Critical), noCode(CodeCrashLoopBackOff),
			titleContains(CodeLivenessProbeFailed, English, "failing liveness probe (restart count 4)"),
			evidenceContains(CodeLivenessProbeFailed, "spec.containers[gateway].livenessProbe", "httpGet :8080/healthz initialDelaySeconds=10 periodSeconds=10 timeoutSeconds=1 failureThreshold=3"),
			evidenceContains(CodeLivenessProbeFailed, "status.containerStatuses[gateway].lastState.terminated.exitCode", "137"),
			actionContains(CodeLivenessProbeFailed, Chinese, "timeoutSeconds"),
		}},
		{"init-crashloop.yaml", []check{
			hasSeverity(CodeInitContainerFailed, Critical), forContainer(CodeInitContainerFailed, "migrate"),
			titleContains(CodeInitContainerFailed, English, "exit code 2"),
			explContains(CodeInitContainerFailed, English, "invalid command-line usage"),
			evidenceContains(CodeInitContainerFailed, "status.initContainerStatuses[migrate].lastState.terminated.message", "unknown flag --to"),
			commandContains(CodeInitContainerFailed, "kubectl logs -n shop orders-7e8f9a0b1-zz9yx -c migrate --previous"),
			noCode(CodeContainerCreatingStuck),
		}},
		{"sandbox-cni.yaml", []check{
			hasSeverity(CodeSandboxCreateFailed, Warning),
			explContains(CodeSandboxCreateFailed, English, "no free IP address"),
			evidenceContains(CodeSandboxCreateFailed, "event Warning/FailedCreatePodSandBox ×44", "IPAM"),
		}},
		{"job-failed.yaml", []check{
			hasSeverity(CodeContainerFailed, Warning), forContainer(CodeContainerFailed, "export"),
			evidenceContains(CodeContainerFailed, "state.terminated.message", "AccessDenied"),
			explContains(CodeContainerFailed, English, "after running for 4m9s"),
		}},
		{"healthy.yaml", []check{noFindings()}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			d := Pod(loadFixture(t, tc.file), fixtureNow)
			for _, c := range append(tc.checks, wellFormed()) {
				if err := c(d); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
