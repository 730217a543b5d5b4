package diagnose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestCommands(t *testing.T) {
	t.Parallel()
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "cart-7d9"}, Status: corev1.PodStatus{PodIP: "10.0.0.7"}}
	got := []string{
		cmdGetPodWide(pod),
		cmdDescribePod(pod),
		cmdPodEvents(pod),
		cmdLogs(pod, "app", true),
		cmdLogs(pod, "app", false),
		cmdContainerStatus(pod, "migrate", true),
		cmdContainerSpec(pod, "app", false),
		cmdDescribeNode("node-1"),
		cmdNodeTaints("node-1"),
		cmdEventsByReason("FailedMount"),
		cmdDebugNode("node-1"),
		cmdTopPod(pod),
		cmdGet(pod, "configmap", "cfg"),
		cmdDescribe(pod, "secret", "db"),
		cmdServiceAccount(pod),
		cmdEndpoints(pod),
	}
	want := []string{
		"kubectl get pod -n shop cart-7d9 -o wide",
		"kubectl describe pod -n shop cart-7d9",
		"kubectl get events -n shop --field-selector involvedObject.name=cart-7d9 --sort-by=.lastTimestamp",
		"kubectl logs -n shop cart-7d9 -c app --previous",
		"kubectl logs -n shop cart-7d9 -c app",
		`kubectl get pod -n shop cart-7d9 -o jsonpath='{.status.initContainerStatuses[?(@.name=="migrate")]}'`,
		`kubectl get pod -n shop cart-7d9 -o jsonpath='{.spec.containers[?(@.name=="app")]}'`,
		"kubectl describe node node-1",
		"kubectl get node node-1 -o jsonpath='{.spec.taints}'",
		"kubectl get events -A --field-selector reason=FailedMount",
		"kubectl debug node/node-1 -it --image=busybox",
		"kubectl top pod -n shop cart-7d9 --containers",
		"kubectl get configmap -n shop cfg",
		"kubectl describe secret -n shop db",
		"kubectl get serviceaccount -n shop default -o yaml",
		`kubectl get endpointslices -n shop -o wide | grep 10\.0\.0\.7`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}
