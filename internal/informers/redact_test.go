package informers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/informers"
)

const r = informers.RedactedArgValue

// TestTransformRedactsSecretArgs: a container's command and args are shown
// as evidence, so secrets passed on the command line are redacted before
// the pod is cached, as env values are.
func TestTransformRedactsSecretArgs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name               string
		command, args      []string
		wantCommand, wantA []string
	}{
		// Flags whose name has a secret word.
		{name: "--password=value", args: []string{"--password=hunter2"}, wantA: []string{"--password=" + r}},
		{name: "a single-dash long flag", args: []string{"-password=hunter2"}, wantA: []string{"-password=" + r}},
		{name: "a secret word inside a longer name", args: []string{"--db-password=hunter2", "--client_secret=s", "--aws-secret-access-key=k"},
			wantA: []string{"--db-password=" + r, "--client_secret=" + r, "--aws-secret-access-key=" + r}},
		{name: "camelCase and upper case names", args: []string{"--apiKey=k", "--dbPassword=p", "--API_TOKEN=t", "--accessKey=a"},
			wantA: []string{"--apiKey=" + r, "--dbPassword=" + r, "--API_TOKEN=" + r, "--accessKey=" + r}},
		{name: "every secret word of the list", args: []string{"--passwd=x", "--pwd=x", "--secret=x", "--token=x", "--apikey=x", "--api-key=x",
			"--api_key=x", "--access-key=x", "--private-key=x", "--credential=x", "--credentials=x", "--auth=x"},
			wantA: []string{"--passwd=" + r, "--pwd=" + r, "--secret=" + r, "--token=" + r, "--apikey=" + r, "--api-key=" + r,
				"--api_key=" + r, "--access-key=" + r, "--private-key=" + r, "--credential=" + r, "--credentials=" + r, "--auth=" + r}},
		{name: "the value in the next argument", args: []string{"--token", "hunter2", "--port", "8080"}, wantA: []string{"--token", r, "--port", "8080"}},
		{name: "a flag with no value, followed by another flag", args: []string{"--auth", "--verbose"}, wantA: []string{"--auth", "--verbose"}},
		{name: "the flag at the end of command, its value in args", command: []string{"/app", "--password"}, args: []string{"hunter2", "--port=80"},
			wantCommand: []string{"/app", "--password"}, wantA: []string{r, "--port=80"}},
		{name: "a value with spaces in its own argument", args: []string{"--password=correct horse battery"}, wantA: []string{"--password=" + r}},
		{name: "an empty value stays empty", args: []string{"--password="}, wantA: []string{"--password="}},
		{name: "a variable reference is kept: it says where the secret is", args: []string{"--password=$(DB_PASSWORD)", "--token", "${TOKEN}"},
			wantA: []string{"--password=$(DB_PASSWORD)", "--token", "${TOKEN}"}},
		{name: "a Java system property", args: []string{"-Djavax.net.ssl.keyStorePassword=changeit"}, wantA: []string{"-Djavax.net.ssl.keyStorePassword=" + r}},

		// Shell scripts: one argument, many words.
		{name: "flags inside a shell script", command: []string{"sh", "-c", "exec app --password=hunter2 --token hunter3 --port=80"},
			wantCommand: []string{"sh", "-c", "exec app --password=" + r + " --token " + r + " --port=80"}},
		{name: "a quoted value in a script", command: []string{"sh", "-c", `app --password "two words" -v`},
			wantCommand: []string{"sh", "-c", "app --password " + r + " -v"}},
		{name: "an assignment in a script", command: []string{"sh", "-c", "PASSWORD=hunter2 ./run"},
			wantCommand: []string{"sh", "-c", "PASSWORD=" + r + " ./run"}},

		// KEY=value, connection strings, URLs.
		{name: "KEY=value arguments", args: []string{"PASSWORD=hunter2", "DB_TOKEN=t", "MODE=fast"}, wantA: []string{"PASSWORD=" + r, "DB_TOKEN=" + r, "MODE=fast"}},
		{name: "a connection string", args: []string{"--dsn=Server=db;User Id=app;Password=hunter2;Database=shop"},
			wantA: []string{"--dsn=Server=db;User Id=app;Password=" + r + ";Database=shop"}},
		{name: "a libpq connection string", command: []string{"psql", "host=db user=app password=hunter2 dbname=shop"},
			wantCommand: []string{"psql", "host=db user=app password=" + r + " dbname=shop"}},
		{name: "a URL's password", args: []string{"--db-url=postgres://app:hunter2@db:5432/shop", "redis://:hunter2@cache"},
			wantA: []string{"--db-url=postgres://app:" + r + "@db:5432/shop", "redis://:" + r + "@cache"}},
		{name: "a token in a query string", args: []string{"--webhook=https://hooks.example.com/x?channel=ops&token=hunter2"},
			wantA: []string{"--webhook=https://hooks.example.com/x?channel=ops&token=" + r}},
		{name: "helm-style --set", args: []string{"--set=image.tag=1,db.password=hunter2"}, wantA: []string{"--set=image.tag=1,db.password=" + r}},

		// Not secrets: kept as they are.
		{name: "ordinary flags", args: []string{"--port=8080", "--log-level=info", "-c", "/etc/envoy/envoy.yaml"},
			wantA: []string{"--port=8080", "--log-level=info", "-c", "/etc/envoy/envoy.yaml"}},
		{name: "secret words only inside other words", args: []string{"--tokenizer-model=bert", "--authorization-mode=RBAC", "--passthrough=true", "--secretary=bob"},
			wantA: []string{"--tokenizer-model=bert", "--authorization-mode=RBAC", "--passthrough=true", "--secretary=bob"}},
		{name: "a file, path or directory holding a secret", args: []string{"--password-file=/run/secrets/db", "--tls-private-key-file=/pki/key", "--token-path", "/var/run/token"},
			wantA: []string{"--password-file=/run/secrets/db", "--tls-private-key-file=/pki/key", "--token-path", "/var/run/token"}},
		{name: "a short flag is too ambiguous", args: []string{"-p", "hunter2"}, wantA: []string{"-p", "hunter2"}},
		{name: "a URL with a user and no password", args: []string{"ssh://git@github.com/org/repo"}, wantA: []string{"ssh://git@github.com/org/repo"}},
		{name: "an already redacted value", args: []string{"--password=" + r}, wantA: []string{"--password=" + r}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web"},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app", Command: tc.command, Args: tc.args}}}}
			got := transformPod(t, p).Spec.Containers[0]
			if diff := cmp.Diff(tc.wantCommand, got.Command, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("command (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantA, got.Args, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("args (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("pods whose command differs only before a flag waiting for its value are not mixed up", func(t *testing.T) {
		t.Parallel()
		pod := func(command ...string) *corev1.Pod {
			return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web"},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Command: command, Args: []string{"hunter2"}}}}}
		}
		if got := transformPod(t, pod("/app", "--password")).Spec.Containers[0].Args; got[0] != r {
			t.Errorf("after --password, args[0] = %q, want %q", got[0], r)
		}
		if got := transformPod(t, pod("/app", "--name")).Spec.Containers[0].Args; got[0] != "hunter2" {
			t.Errorf("after --name, args[0] = %q, want it kept", got[0])
		}
	})

	t.Run("probes and lifecycle hooks: exec commands and HTTP query tokens", func(t *testing.T) {
		t.Parallel()
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "db"},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{
				Name: "db", Image: "mysql",
				LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{
					Command: []string{"sh", "-c", "mysqladmin ping --password=hunter2"}}}},
				ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
					Path: "/ready?token=hunter2", Port: intstr.FromInt32(8080)}}},
				Lifecycle: &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{
					Command: []string{"/drain", "--api-key", "hunter2"}}}},
			}}}}
		got := transformPod(t, p).Spec.Containers[0]
		raw, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "hunter2") {
			t.Errorf("a probe or hook still holds the secret: %s", raw)
		}
		if cmd := got.LivenessProbe.Exec.Command[2]; cmd != "mysqladmin ping --password="+r {
			t.Errorf("liveness command = %q", cmd)
		}
	})
}

// TestDiagnosisShowsNoSecretArgs diagnoses a transformed pod whose
// container cannot start: the diagnosis shows its command and args as
// evidence, and must not show the secrets in them.
func TestDiagnosisShowsNoSecretArgs(t *testing.T) {
	t.Parallel()
	p := fullPod()
	c := &p.Spec.Containers[0]
	c.Command = []string{"/web", "--db-url=postgres://web:hunter2@db/shop"}
	c.Args = []string{"--password=hunter2", "--token", "hunter2", "--port=8080"}
	p.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
		Reason:  "CreateContainerError",
		Message: `failed to create containerd task: exec: "/web": permission denied`,
	}}
	p.Status.ContainerStatuses[0].LastTerminationState = corev1.ContainerState{}

	before := diagnose.Pod(diagnose.PodInput{Pod: p.DeepCopy()}, captureNow)
	if raw, _ := json.Marshal(before); !strings.Contains(string(raw), "hunter2") {
		t.Fatal("the untransformed pod's diagnosis shows no args: the test no longer reaches the evidence")
	}
	got := diagnose.Pod(diagnose.PodInput{Pod: transformPod(t, p)}, captureNow)
	raw, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "hunter2") {
		t.Errorf("the diagnosis of a transformed pod shows a secret: %s", raw)
	}
	if !strings.Contains(string(raw), "--port=8080") || !strings.Contains(string(raw), "--password="+r) {
		t.Errorf("the diagnosis lost the args' evidence: %s", raw)
	}
}
