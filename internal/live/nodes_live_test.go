package live

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func memoryPressure(n *corev1.Node) {
	n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionTrue,
		Reason: "KubeletHasInsufficientMemory", LastTransitionTime: metav1.NewTime(testNow.Add(-time.Minute))})
}

// onNode binds a pod to a node.
// drain empties sub's queue and returns what it held.
func drain(sub *Subscription) string {
	var b strings.Builder
	for len(sub.C()) > 0 {
		b.Write(<-sub.C())
	}
	return b.String()
}

// nodeEnv is a publisher over two nodes: web-1 and db-0 on node-1, cart-1 on node-2.
func nodeEnv(t *testing.T) *testEnv {
	t.Helper()
	store := newFakeStore(pod("shop", "web-1"), pod("data", "db-0"), pod("shop", "cart-1", onNode("node-2")))
	store.SetNodes(node("node-1"), node("node-2"))
	return newTestEnv(t, store)
}

func TestNodeViewsAreLive(t *testing.T) {
	t.Parallel()
	t.Run("a node's new pressure condition is pushed to the nodes page", func(t *testing.T) {
		t.Parallel()
		env := nodeEnv(t)
		sub, err := env.pub.Join(View{Kind: KindNodes, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		if snap := drain(sub); !strings.Contains(snap, `id="node-list"`) {
			t.Fatalf("snapshot = %.300q, want the node table", snap)
		}
		env.pub.flush(false)
		noMessage(t, sub)

		env.store.SetNodes(node("node-1"), node("node-2", memoryPressure))
		env.pub.flush(false) // no pod changed: the node alone triggers the push
		msg := drain(sub)
		if !strings.Contains(msg, `id="node-list"`) || !strings.Contains(msg, `hx-swap-oob="true"`) || !strings.Contains(msg, "MemoryPressure") {
			t.Errorf("push = %.500q, want the node table with node-2's MemoryPressure", msg)
		}
	})
	t.Run("a pod turning unhealthy updates its node's count on the nodes page", func(t *testing.T) {
		t.Parallel()
		env := nodeEnv(t)
		sub, err := env.pub.Join(View{Kind: KindNodes, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		drain(sub)
		env.store.Put(pod("shop", "web-1", terminated("Error", "boom")))
		env.pub.sync(podKey("shop", "web-1"))
		env.pub.flush(false)
		msg := drain(sub)
		if !strings.Contains(msg, `>1</a> / 2`) {
			t.Errorf("push = %.800q, want node-1 with 1 of 2 pods unhealthy", msg)
		}
	})
	t.Run("a pod change that leaves the counts alone pushes nothing to the nodes page", func(t *testing.T) {
		t.Parallel()
		env := nodeEnv(t)
		sub, err := env.pub.Join(View{Kind: KindNodes, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		drain(sub)
		env.store.Put(pod("shop", "web-1", func(p *corev1.Pod) { p.Status.PodIP = "10.9.9.9" }))
		env.pub.sync(podKey("shop", "web-1"))
		env.pub.flush(false)
		noMessage(t, sub)
	})
	t.Run("the node page follows its own pods and ignores the others", func(t *testing.T) {
		t.Parallel()
		env := nodeEnv(t)
		sub, err := env.pub.Join(View{Kind: KindNode, Node: "node-1", Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		if snap := drain(sub); !strings.Contains(snap, `id="node-detail"`) || !strings.Contains(snap, "pod-shop_web-1") {
			t.Fatalf("snapshot = %.300q, want the node's article with its pods", snap)
		}
		env.store.Put(pod("shop", "cart-1", onNode("node-2"), terminated("Error", "boom")))
		env.pub.sync(podKey("shop", "cart-1"))
		env.pub.flush(false)
		noMessage(t, sub)

		env.store.Put(pod("data", "db-0", func(p *corev1.Pod) { p.Status.PodIP = "10.8.8.8" }))
		env.pub.sync(podKey("data", "db-0"))
		env.pub.flush(false)
		if msg := drain(sub); !strings.Contains(msg, `id="node-detail"`) || !strings.Contains(msg, "10.8.8.8") {
			t.Errorf("push = %.300q, want the node's article with db-0's new IP", msg)
		}
	})
	t.Run("a deleted node says so on its page", func(t *testing.T) {
		t.Parallel()
		env := nodeEnv(t)
		sub, err := env.pub.Join(View{Kind: KindNode, Node: "node-2", Lang: "zh-CN"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		drain(sub)
		env.store.SetNodes(node("node-1"))
		env.pub.flush(false)
		if msg := drain(sub); !strings.Contains(msg, "这个节点已不存在。") {
			t.Errorf("push = %.300q, want the node gone, in Chinese", msg)
		}
	})
}
