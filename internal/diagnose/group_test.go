package diagnose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	corev1 "k8s.io/api/core/v1"
)

func TestGroupOwnerOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		pod  *corev1.Pod
		want Owner
	}{
		{"a bare pod owns itself", mkPod(), Owner{Kind: "Pod", Name: "web-7d4b9c-x2x9z"}},
		{"a ReplicaSet with the pod's template hash belongs to its Deployment",
			mkPod(controlledBy("ReplicaSet", "web-7d4b9c"), withLabel("pod-template-hash", "7d4b9c")), Owner{Kind: "Deployment", Name: "web"}},
		{"a ReplicaSet whose name does not end in the hash stays a ReplicaSet",
			mkPod(controlledBy("ReplicaSet", "legacy-rs"), withLabel("pod-template-hash", "7d4b9c")), Owner{Kind: "ReplicaSet", Name: "legacy-rs"}},
		{"a ReplicaSet without the hash label stays a ReplicaSet",
			mkPod(controlledBy("ReplicaSet", "web-7d4b9c")), Owner{Kind: "ReplicaSet", Name: "web-7d4b9c"}},
		{"a StatefulSet is kept", mkPod(controlledBy("StatefulSet", "db")), Owner{Kind: "StatefulSet", Name: "db"}},
		{"a DaemonSet is kept", mkPod(controlledBy("DaemonSet", "node-exporter")), Owner{Kind: "DaemonSet", Name: "node-exporter"}},
		{"a Job named after a schedule time belongs to its CronJob",
			mkPod(controlledBy("Job", "nightly-report-29402880")), Owner{Kind: "CronJob", Name: "nightly-report"}},
		{"a Job with a short numeric suffix stays a Job",
			mkPod(controlledBy("Job", "migrate-2")), Owner{Kind: "Job", Name: "migrate-2"}},
		{"a custom controller is kept", mkPod(controlledBy("Rollout", "checkout")), Owner{Kind: "Rollout", Name: "checkout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, OwnerOf(tt.pod)); diff != "" {
				t.Errorf("OwnerOf (-want +got):\n%s", diff)
			}
		})
	}
}

// member builds a group member whose diagnosis has one finding per code,
// each at the given severity.
func gmember(ns, pod string, owner Owner, sev Severity, codes ...Code) GroupMember {
	var fs []Finding
	for _, c := range codes {
		fs = append(fs, Finding{Code: c, Severity: sev})
	}
	return GroupMember{Namespace: ns, Pod: pod, Owner: owner, Diagnosis: newDiagnosis(fs)}
}

func groupMembers() []GroupMember {
	cart := Owner{Kind: "Deployment", Name: "cart"}
	db := Owner{Kind: "StatefulSet", Name: "db"}
	job := Owner{Kind: "CronJob", Name: "report"}
	return []GroupMember{
		gmember("shop", "cart-2", cart, Critical, "ImagePullBackOff"),
		gmember("shop", "cart-1", cart, Critical, "ImagePullBackOff"),
		gmember("shop", "cart-3", cart, OK),
		gmember("shop", "db-0", db, Warning, CodeUnschedulable),
		gmember("shop", "db-1", db, Info, CodeUnschedulable), // young: not a problem yet
		gmember("batch", "report-1", job, Warning, CodeEvicted),
		gmember("batch", "report-2", job, Warning, CodeEvicted),
		gmember("batch", "report-3", job, Warning, CodeEvicted),
		gmember("batch", "solo", Owner{Kind: "Pod", Name: "solo"}, Critical, CodeNodeNotReady, CodeNodeMemoryPressure),
	}
}

func TestGroups(t *testing.T) {
	t.Parallel()
	got := Groups(groupMembers())
	want := []Group{
		{Namespace: "shop", Owner: Owner{Kind: "Deployment", Name: "cart"}, Code: "ImagePullBackOff", Severity: Critical, Pods: []string{"cart-1", "cart-2"}, Total: 3},
		{Namespace: "batch", Owner: Owner{Kind: "Pod", Name: "solo"}, Code: CodeNodeNotReady, Severity: Critical, Pods: []string{"solo"}, Total: 1},
		{Namespace: "batch", Owner: Owner{Kind: "CronJob", Name: "report"}, Code: CodeEvicted, Severity: Warning, Pods: []string{"report-1", "report-2", "report-3"}, Total: 3},
		{Namespace: "shop", Owner: Owner{Kind: "StatefulSet", Name: "db"}, Code: CodeUnschedulable, Severity: Warning, Pods: []string{"db-0"}, Total: 2},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Group{}, "Finding")); diff != "" {
		t.Errorf("Groups (-want +got):\n%s", diff)
	}
	if len(got) > 0 && got[0].Finding.Code != "ImagePullBackOff" {
		t.Errorf("representative finding %v, want the top finding of cart-1", got[0].Finding.Code)
	}
	t.Run("the order does not depend on the input order", func(t *testing.T) {
		t.Parallel()
		ms := groupMembers()
		for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
			ms[i], ms[j] = ms[j], ms[i]
		}
		if diff := cmp.Diff(Groups(groupMembers()), Groups(ms)); diff != "" {
			t.Errorf("reversed input (-want +got):\n%s", diff)
		}
	})
	t.Run("no members, no groups", func(t *testing.T) {
		t.Parallel()
		if got := Groups(nil); len(got) != 0 {
			t.Errorf("Groups(nil) = %v", got)
		}
	})
}

func TestGroupSummarize(t *testing.T) {
	t.Parallel()
	got := Summarize(groupMembers(), 2)
	want := Summary{
		Total:       9,
		BySeverity:  map[Severity]int{OK: 1, Info: 1, Warning: 4, Critical: 3},
		ByCode:      map[Code]int{"ImagePullBackOff": 2, CodeUnschedulable: 1, CodeEvicted: 3, CodeNodeNotReady: 1},
		ByNamespace: map[string]int{"shop": 3, "batch": 4},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Summary{}, "Top")); diff != "" {
		t.Errorf("Summarize (-want +got):\n%s", diff)
	}
	if len(got.Top) != 2 || got.Top[0].Owner.Name != "cart" || got.Top[1].Owner.Name != "solo" {
		t.Errorf("Top = %+v, want the cart and solo groups", got.Top)
	}
	if all := Summarize(groupMembers(), 0); len(all.Top) != 4 {
		t.Errorf("Summarize(top=0) kept %d groups, want all 4", len(all.Top))
	}
}

func TestGroupMerge(t *testing.T) {
	t.Parallel()
	byNamespace := map[string][]GroupMember{}
	for _, m := range groupMembers() {
		byNamespace[m.Namespace] = append(byNamespace[m.Namespace], m)
	}
	for _, top := range []int{0, 1, 2, 3, 10} {
		var parts []Summary
		for _, ms := range byNamespace {
			parts = append(parts, Summarize(ms, top))
		}
		if diff := cmp.Diff(Summarize(groupMembers(), top), Merge(top, parts...)); diff != "" {
			t.Errorf("top %d: Merge of per-namespace summaries (-Summarize of all +Merge):\n%s", top, diff)
		}
	}
	t.Run("nothing to merge is an empty summary", func(t *testing.T) {
		t.Parallel()
		if diff := cmp.Diff(Summarize(nil, 5), Merge(5)); diff != "" {
			t.Errorf("Merge() (-want +got):\n%s", diff)
		}
	})
}
