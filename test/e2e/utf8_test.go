package e2e_test

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// protobufClient is a clientset that writes protobuf, which the API server
// decodes without checking strings for UTF-8 (JSON clients cannot even send
// invalid UTF-8: encoding/json replaces it).
func protobufClient(t testing.TB, cfg *rest.Config) kubernetes.Interface {
	t.Helper()
	pb := rest.CopyConfig(cfg)
	pb.ContentType = "application/vnd.kubernetes.protobuf"
	pb.AcceptContentTypes = "application/vnd.kubernetes.protobuf"
	c, err := kubernetes.NewForConfig(pb)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestInvalidUTF8NeverBreaksTheWebsocket creates, in protobuf, a pod whose
// owner's name and termination message hold bytes that are not UTF-8, and
// watches the live views that show it: a browser must fail a websocket on a
// text frame that is not valid UTF-8 (RFC 6455, section 8.1), so one such
// pod would disconnect every viewer in a loop. Every frame must be valid
// UTF-8 text, and the connection must stay open across later pushes.
func TestInvalidUTF8NeverBreaksTheWebsocket(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	pc := protobufClient(t, cluster.Config)
	const (
		ns         = "e2e-utf8"
		badOwner   = "web-\xff\xfe-rs"
		badMessage = "panic: \xff\xfe bad"
	)
	createNamespace(t, c, ns)
	createNode(t, c, "node-u", nodeReady(corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"))

	// Two pods of one owner, so that the list shows their group, named
	// after the owner.
	yes := true
	for i, ip := range []string{"10.244.7.7", "10.244.7.9"} {
		created := newPod(ns, fmt.Sprintf("bad-%d", i), "node-u", map[string]string{"app": "bad"}).with(func(p *corev1.Pod) {
			p.OwnerReferences = []metav1.OwnerReference{{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: badOwner, Controller: &yes,
				UID: "00000000-0000-4000-8000-0000000000aa",
			}}
		}).withStatus(crashLoop(ip, 3, 1, "Error", badMessage)).create(t, pc)
		// The bug needs the API server to keep the bytes: check it did.
		if got := created.OwnerReferences[0].Name; got != badOwner {
			t.Fatalf("the API server stored owner name %q, not %q: the test cannot reach the bug", got, badOwner)
		}
		if got := created.Status.ContainerStatuses[0].LastTerminationState.Terminated.Message; got != badMessage {
			t.Fatalf("the API server stored termination message %q, not %q", got, badMessage)
		}
	}
	newPod(ns, "good-0", "node-u", map[string]string{"app": "good"}).withStatus(running("10.244.7.8")).create(t, c)

	dash := startPodlens(t, cluster.Config)
	eventually(t, 30*time.Second, "the pods in the dashboard", func() error {
		if _, items := listPods(t, dash.URL, url.Values{"namespace": {ns}}); len(items) != 3 {
			return fmt.Errorf("%d pods listed", len(items))
		}
		return nil
	})

	// The restarts cell of a frame: "4" or "4 (3d ago)".
	restartsCell := func(m string, n int32) bool {
		return strings.Contains(m, fmt.Sprintf(">%d<", n)) || strings.Contains(m, fmt.Sprintf(">%d (", n))
	}
	views := []struct {
		name, query string
		shown       func(frame string) bool          // the frame shows the invalid text (the owner's group, the message)
		pushed      func(frame string, n int32) bool // the frame shows bad-0 after its restart count became n
	}{
		{"the pod list", url.Values{"view": {"pods"}, "namespace": {ns}, "all": {"1"}}.Encode(),
			func(m string) bool { return strings.Contains(m, `id="groups"`) && strings.Contains(m, "web-") },
			func(m string, n int32) bool { return restartsCell(rowHTML(m, ns, "bad-0"), n) }},
		{"the pod's page", wsQueryOfPage(t, getBody(t, dash.URL+"/pods/"+ns+"/bad-0")),
			func(m string) bool { return strings.Contains(m, "panic: ") },
			func(m string, n int32) bool { return strings.Contains(m, "panic: ") && restartsCell(m, n) }},
	}
	restarts := int32(3)
	for _, v := range views {
		t.Run(v.name+" gets only valid UTF-8 text frames and stays connected", func(t *testing.T) {
			conn, resp, err := dialWS(t, dash.URL, v.query, dash.URL)
			if err != nil {
				t.Fatalf("dialing /ws: %v (response %v)", err, resp)
			}
			defer conn.Close()
			if frame := readValidText(t, conn, 15*time.Second, v.shown); !strings.Contains(frame, "\uFFFD") {
				t.Errorf("the bad pod's frame shows no U+FFFD where the invalid bytes were: %.2000q", frame)
			}
			for push := range 3 {
				// A change to each pod: the good one through JSON, the bad
				// one through protobuf, keeping its invalid bytes.
				restarts++
				n := restarts
				setStatus(t, c, ns, "good-0", crashLoop("10.244.7.8", n, 1, "Error", "boom"))
				setStatus(t, pc, ns, "bad-0", crashLoop("10.244.7.7", n, 1, "Error", badMessage))
				readValidText(t, conn, 20*time.Second, func(m string) bool { return v.pushed(m, n) })
				t.Logf("push %d (restart count %d) arrived as valid UTF-8 text", push+1, n)
			}
		})
	}
}

// readValidText reads frames until one satisfies match, failing the test
// on a frame that is not valid UTF-8 text, on a close or error, or when no
// frame matches within timeout. It returns the matching frame.
func readValidText(t testing.TB, conn *websocket.Conn, timeout time.Duration, match func(string) bool) string {
	t.Helper()
	if err := conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		t.Fatal(err)
	}
	for n := 1; ; n++ {
		typ, msg, err := conn.ReadMessage()
		if err != nil {
			var ne interface{ Timeout() bool }
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("no matching frame within %v (%d frames read)", timeout, n-1)
			}
			t.Fatalf("the websocket ended after %d frames: %v", n-1, err)
		}
		if typ != websocket.TextMessage {
			t.Fatalf("frame %d is of type %d, want a text frame", n, typ)
		}
		if !utf8.Valid(msg) {
			t.Fatalf("frame %d is not valid UTF-8, which a browser fails the connection on: %.2000q", n, msg)
		}
		if match(string(msg)) {
			return string(msg)
		}
	}
}
