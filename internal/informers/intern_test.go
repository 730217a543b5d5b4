package informers_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/informers"
)

func transformPod(t *testing.T, p *corev1.Pod) *corev1.Pod {
	t.Helper()
	got, err := informers.Transform(p)
	if err != nil {
		t.Fatal(err)
	}
	return got.(*corev1.Pod)
}

func TestSharing(t *testing.T) {
	t.Parallel()

	t.Run("two pods of one workload share their containers, volumes, labels, owner and tolerations", func(t *testing.T) {
		t.Parallel()
		a := fullPod()
		b := fullPod()
		b.Name, b.UID = "web-7d9f8b6c5-zzzzz", "uid-web-2"
		ta, tb := transformPod(t, a), transformPod(t, b)
		for _, c := range []struct {
			part string
			a, b any
		}{
			{"containers", &ta.Spec.Containers[0], &tb.Spec.Containers[0]},
			{"init containers", &ta.Spec.InitContainers[0], &tb.Spec.InitContainers[0]},
			{"volumes", &ta.Spec.Volumes[0], &tb.Spec.Volumes[0]},
			{"owner references", &ta.OwnerReferences[0], &tb.OwnerReferences[0]},
			{"tolerations", &ta.Spec.Tolerations[0], &tb.Spec.Tolerations[0]},
			{"affinity", ta.Spec.Affinity, tb.Spec.Affinity},
		} {
			if c.a != c.b {
				t.Errorf("%s are two copies, want one shared", c.part)
			}
		}
		if reflect.ValueOf(ta.Labels).UnsafePointer() != reflect.ValueOf(tb.Labels).UnsafePointer() {
			t.Error("labels are two maps, want one shared")
		}
	})

	t.Run("pods that differ in one image still share their probes, env and resources", func(t *testing.T) {
		t.Parallel()
		a := fullPod()
		b := fullPod()
		b.Spec.Containers[0].Image = "shop/web:2.2"
		ta, tb := transformPod(t, a), transformPod(t, b)
		ca, cb := ta.Spec.Containers[0], tb.Spec.Containers[0]
		if &ta.Spec.Containers[0] == &tb.Spec.Containers[0] {
			t.Fatal("containers with different images are shared")
		}
		if cb.Image != "shop/web:2.2" {
			t.Errorf("image = %q, want shop/web:2.2", cb.Image)
		}
		if ca.LivenessProbe != cb.LivenessProbe || &ca.Env[0] != &cb.Env[0] || &ca.Args[0] != &cb.Args[0] {
			t.Error("probes, env or args are copies, want them shared")
		}
	})

	t.Run("transforming shared pods again while others read them writes nothing shared", func(t *testing.T) {
		t.Parallel()
		// Run with -race: a write to a shared part is reported here. second
		// shares first's parts; transforming it again must not write them.
		first := transformPod(t, fullPod())
		second := transformPod(t, fullPod())
		want := first.DeepCopy()
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 20 {
					_ = first.DeepCopy()
					_ = transformPod(t, fullPod())
				}
			})
		}
		wg.Go(func() {
			for range 20 {
				_ = transformPod(t, second)
			}
		})
		wg.Wait()
		if diff := cmp.Diff(want, first); diff != "" {
			t.Errorf("pod changed under readers (-want +got):\n%s", diff)
		}
	})
}

// captureNow is the clock diagnose's testdata captures were taken at.
var captureNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// TestTransformKeepsDiagnoses diagnoses every real capture of
// internal/diagnose/testdata, and the realistic fleet, before and after the
// transform: dropping a field diagnose reads changes a diagnosis.
func TestTransformKeepsDiagnoses(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../diagnose/testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in ../diagnose/testdata: %v", err)
	}
	inputs := map[string]diagnose.PodInput{}
	for _, f := range files {
		if in, ok := loadCapture(t, f); ok {
			inputs[filepath.Base(f)] = in
		}
	}
	for i := range 20 {
		inputs["realistic pod "+string(rune('a'+i))] = diagnose.PodInput{Pod: realisticPod(i)}
	}
	for name, in := range inputs {
		t.Run("the diagnosis of "+name+" is the same after the transform", func(t *testing.T) {
			t.Parallel()
			want := diagnose.Pod(copyInput(in), captureNow)
			stripped := copyInput(in)
			obj, err := informers.Transform(stripped.Pod)
			if err != nil {
				t.Fatal(err)
			}
			stripped.Pod = obj.(*corev1.Pod)
			for i, e := range stripped.Events {
				obj, _ := informers.Transform(e)
				stripped.Events[i] = obj.(*corev1.Event)
			}
			if stripped.Node != nil {
				obj, _ := informers.Transform(stripped.Node)
				stripped.Node = obj.(*corev1.Node)
			}
			// A Since is an instant (a time.Time, unexported fields).
			sameInstant := cmp.Comparer(func(a, b diagnose.Since) bool { return time.Time(a).Equal(time.Time(b)) })
			if diff := cmp.Diff(want, diagnose.Pod(stripped, captureNow), sameInstant); diff != "" {
				t.Errorf("diagnosis changed (-before +after):\n%s", diff)
			}
		})
	}
}

func copyInput(in diagnose.PodInput) diagnose.PodInput {
	out := diagnose.PodInput{Pod: in.Pod.DeepCopy()}
	for _, e := range in.Events {
		out.Events = append(out.Events, e.DeepCopy())
	}
	if in.Node != nil {
		out.Node = in.Node.DeepCopy()
	}
	return out
}

// loadCapture reads a `kubectl get pod,events -o yaml` List; ok is false
// when it holds no pod.
func loadCapture(t *testing.T, file string) (diagnose.PodInput, bool) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := yaml.Unmarshal(raw, &list); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var in diagnose.PodInput
	for _, item := range list.Items {
		var meta struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(item, &meta); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var err error
		switch meta.Kind {
		case "Pod":
			in.Pod = new(corev1.Pod)
			err = json.Unmarshal(item, in.Pod)
		case "Event":
			e := new(corev1.Event)
			err = json.Unmarshal(item, e)
			in.Events = append(in.Events, e)
		case "Node":
			in.Node = new(corev1.Node)
			err = json.Unmarshal(item, in.Node)
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	return in, in.Pod != nil
}
