package e2e_test

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestNoSecretLeaks proves that neither the JSON API, the pages nor the
// websocket ever carry a literal env value or Secret data, while env names and
// valueFrom references (the evidence a config error needs) are still shown.
func TestNoSecretLeaks(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	const ns = "vault"
	createNamespace(t, c, ns)
	createNode(t, c, "node-s", nodeReady(corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"))

	const (
		secretData   = "s3cr3t-from-secret-data"
		literalValue = "literal-env-password-42"
	)
	_, err := c.CoreV1().Secrets(ns).Create(ctxFor(t), &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db-credentials"},
		StringData: map[string]string{"password": secretData},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating secret: %v", err)
	}

	// A pod that references the secret every way a pod can, carries a literal
	// env value, and fails on a missing key so its page explains the config.
	newPod(ns, "api-0", "node-s", map[string]string{"app": "api"}).with(func(p *corev1.Pod) {
		p.Spec.Containers[0].Env = []corev1.EnvVar{
			{Name: "DB_PASSWORD_LITERAL", Value: literalValue},
			{Name: "DB_PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: "db-credentials"}, Key: "token"}}},
		}
		p.Spec.Containers[0].EnvFrom = []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: "db-credentials"}}}}
		p.Spec.Volumes = []corev1.Volume{{Name: "creds", VolumeSource: corev1.VolumeSource{
			Secret: &corev1.SecretVolumeSource{SecretName: "db-credentials"}}}}
	}).withStatus(func(p *corev1.Pod) {
		scheduled(p, "10.244.9.9", false)
		cs := containerStatus(p)
		cs.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason:  "CreateContainerConfigError",
			Message: "couldn't find key token in Secret vault/db-credentials",
		}}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	}).create(t, c)

	dash := startPodlens(t, cluster.Config)

	var detail struct {
		Name      string `json:"name"`
		Diagnosis struct {
			Findings []struct {
				Code     string `json:"code"`
				Evidence []struct {
					Value string `json:"value"`
				} `json:"evidence"`
			} `json:"findings"`
		} `json:"diagnosis"`
	}
	eventually(t, 30*time.Second, "the pod's config error is diagnosed", func() error {
		if code := getJSON(t, dash.URL+"/api/v1/pods/vault/api-0", &detail); code != 200 {
			return fmt.Errorf("status %d", code)
		}
		for _, f := range detail.Diagnosis.Findings {
			if f.Code == "CreateContainerConfigError" {
				return nil
			}
		}
		return fmt.Errorf("findings %+v", detail.Diagnosis.Findings)
	})

	pages := []string{
		"/api/v1/pods?namespace=vault",
		"/api/v1/pods/vault/api-0",
		"/api/v1/pods/vault/api-0?lang=zh-CN",
		"/api/v1/summary",
		"/api/v1/nodes",
		"/?all=1",
		"/?namespace=vault&all=1",
		"/pods/vault/api-0",
		"/pods/vault/api-0?lang=zh-CN",
		"/nodes",
		"/nodes/node-s",
	}
	var podPage string
	for _, p := range pages {
		body := getBody(t, dash.URL+p)
		for _, secret := range []string{secretData, literalValue} {
			if strings.Contains(body, secret) {
				t.Errorf("GET %s contains %q", p, secret)
			}
		}
		if p == "/pods/vault/api-0" {
			podPage = body
		}
	}
	// The evidence a user needs is still there: the secret's name and key.
	for _, want := range []string{"db-credentials", "token"} {
		if !strings.Contains(podPage, want) {
			t.Errorf("pod page does not show %q, the evidence of the config error", want)
		}
	}

	// The websocket snapshot of the pod's page carries no secret either.
	conn, resp, err := dialWS(t, dash.URL, wsQueryOfPage(t, podPage), dash.URL)
	if err != nil {
		t.Fatalf("dialing websocket: %v (response %v)", err, resp)
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	frames := 0
	for frames < 3 {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			break // fewer frames than 3 in the snapshot: read them all
		}
		frames++
		for _, secret := range []string{secretData, literalValue} {
			if strings.Contains(string(msg), secret) {
				t.Errorf("websocket frame contains %q", secret)
			}
		}
		_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	}
	if frames == 0 {
		t.Fatal("websocket sent no snapshot")
	}
}

// getBody GETs u and returns its body; any status other than 200 fails the test.
func getBody(t testing.TB, u string) string {
	t.Helper()
	resp, err := httpClient.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", u, err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: status %d: %.300s", u, resp.StatusCode, b)
	}
	return string(b)
}

// wsQueryOfPage returns the query of the ws-connect URL a page names.
func wsQueryOfPage(t testing.TB, page string) string {
	t.Helper()
	i := strings.Index(page, `ws-connect="`)
	if i < 0 {
		t.Fatal("page has no ws-connect attribute")
	}
	rest := page[i+len(`ws-connect="`):]
	raw := strings.ReplaceAll(rest[:strings.IndexByte(rest, '"')], "&amp;", "&")
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parsing ws-connect %q: %v", raw, err)
	}
	return u.RawQuery
}
