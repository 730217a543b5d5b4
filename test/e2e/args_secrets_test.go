package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// TestNoSecretArgsLeak proves that secrets passed on a container's command
// line (--password=x, --token x, a URL's password) never reach the JSON API,
// the pages or the websocket, while the command line itself, the evidence a
// start error needs, is still shown with the values redacted.
func TestNoSecretArgsLeak(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	const ns = "vault-args"
	createNamespace(t, c, ns)
	createNode(t, c, "node-a", nodeReady(corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"))

	secrets := []string{"hunter2-password", "hunter2-token", "hunter2-url"}
	newPod(ns, "api-0", "node-a", map[string]string{"app": "api"}).with(func(p *corev1.Pod) {
		p.Spec.Containers[0].Command = []string{"/api", "--db=postgres://api:" + secrets[2] + "@db:5432/shop"}
		p.Spec.Containers[0].Args = []string{"--password=" + secrets[0], "--token", secrets[1], "--port=8080"}
	}).withStatus(func(p *corev1.Pod) {
		scheduled(p, "10.244.9.10", false)
		cs := containerStatus(p)
		cs.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason:  "CreateContainerError",
			Message: `failed to create containerd task: exec: "/api": permission denied`,
		}}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
	}).create(t, c)

	dash := startPodlens(t, cluster.Config)
	eventually(t, 30*time.Second, "the pod's start error is diagnosed with its args as evidence", func() error {
		if body := getBody(t, dash.URL+"/api/v1/pods/"+ns+"/api-0"); !strings.Contains(body, "--port=8080") {
			return fmt.Errorf("no args in the evidence yet: %.500s", body)
		}
		return nil
	})

	pages := []string{
		"/api/v1/pods?namespace=" + ns,
		"/api/v1/pods/" + ns + "/api-0",
		"/api/v1/summary",
		"/?namespace=" + ns + "&all=1",
		"/pods/" + ns + "/api-0",
		"/pods/" + ns + "/api-0?lang=zh-CN",
	}
	var podPage string
	for _, p := range pages {
		body := getBody(t, dash.URL+p)
		for _, secret := range secrets {
			if strings.Contains(body, secret) {
				t.Errorf("GET %s contains %q", p, secret)
			}
		}
		if p == "/pods/"+ns+"/api-0" {
			podPage = body
		}
	}
	for _, want := range []string{"--password=[redacted]", "--port=8080", "postgres://api:[redacted]@db:5432/shop"} {
		if !strings.Contains(podPage, want) {
			t.Errorf("the pod page does not show %q, the command line a start error needs", want)
		}
	}

	conn, resp, err := dialWS(t, dash.URL, wsQueryOfPage(t, podPage), dash.URL)
	if err != nil {
		t.Fatalf("dialing websocket: %v (response %v)", err, resp)
	}
	defer conn.Close()
	frame, frames := readUntil(t, conn, 15*time.Second, func(m string) bool { return strings.Contains(m, "--port=8080") })
	if frame == "" {
		t.Fatalf("no websocket frame with the pod's args within 15s; got %d frames", len(frames))
	}
	for _, f := range frames {
		for _, secret := range secrets {
			if strings.Contains(f, secret) {
				t.Errorf("websocket frame contains %q", secret)
			}
		}
	}
}
