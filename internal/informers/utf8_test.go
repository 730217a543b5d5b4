package informers_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podlens/podlens/internal/informers"
)

// invalidUTF8 is what a client can put in any string of an object it writes
// in protobuf, which the API server does not check for UTF-8: bytes that no
// UTF-8 text holds, then ordinary text.
const invalidUTF8 = "\xff\xfe bad"

// fillStrings sets every exported string of v (addressable) to s, every map
// key and map value too, and gives every pointer a value and every slice and
// map one element, so that each string field of the type holds s. depth
// stops recursive types.
func fillStrings(v reflect.Value, s string, depth int) {
	if depth > 20 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fillStrings(v.Elem(), s, depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillStrings(v.Field(i), s, depth+1)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes (raw JSON), not text
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillStrings(v.Index(0), s, depth+1)
	case reflect.Array:
		for i := range v.Len() {
			fillStrings(v.Index(i), s, depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fillStrings(k, s, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		fillStrings(e, s, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// invalidStrings returns the path of every string reachable from v (map
// keys included) that is not valid UTF-8.
func invalidStrings(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return []string{path}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return invalidStrings(v.Elem(), path)
		}
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				out = append(out, invalidStrings(v.Field(i), path+"."+f.Name)...)
			}
		}
		return out
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil
		}
		var out []string
		for i := range v.Len() {
			out = append(out, invalidStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case reflect.Map:
		var out []string
		iter := v.MapRange()
		for iter.Next() {
			out = append(out, invalidStrings(iter.Key(), path+"{key}")...)
			out = append(out, invalidStrings(iter.Value(), fmt.Sprintf("%s[%q]", path, iter.Key()))...)
		}
		return out
	}
	return nil
}

// filledWith returns a new T with every string field, at every depth, set
// to s (see fillStrings).
func filledWith[T any](s string) *T {
	obj := new(T)
	fillStrings(reflect.ValueOf(obj).Elem(), s, 0)
	return obj
}

// TestTransformMakesEveryStringValidUTF8 gives every string field of a pod,
// an event and a node invalid UTF-8, found by reflection so that a field
// added to the API later is covered too, and checks that nothing the cache
// keeps is still invalid: a websocket text frame must be valid UTF-8 (RFC
// 6455, section 8.1), and a browser fails the whole connection on one that
// is not.
func TestTransformMakesEveryStringValidUTF8(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind string
		obj  func() any
	}{
		{"pod", func() any { return filledWith[corev1.Pod](invalidUTF8) }},
		{"event", func() any { return filledWith[corev1.Event](invalidUTF8) }},
		{"node", func() any { return filledWith[corev1.Node](invalidUTF8) }},
	} {
		t.Run("every string of a "+tc.kind+" comes out of the transform valid", func(t *testing.T) {
			t.Parallel()
			in := tc.obj()
			if bad := invalidStrings(reflect.ValueOf(in), tc.kind); len(bad) < 10 {
				t.Fatalf("the filled %s holds only %d invalid strings: the filler is broken", tc.kind, len(bad))
			}
			got, err := informers.Transform(in)
			if err != nil {
				t.Fatal(err)
			}
			if bad := invalidStrings(reflect.ValueOf(got), tc.kind); len(bad) > 0 {
				t.Errorf("%d strings are still invalid UTF-8 after the transform:\n%s", len(bad), strings.Join(bad, "\n"))
			}
		})
	}

	t.Run("an invalid byte becomes U+FFFD and the valid text around it stays", func(t *testing.T) {
		t.Parallel()
		p := fullPod()
		p.OwnerReferences[0].Name = "web-\xff-rs"
		p.Status.ContainerStatuses[0].LastTerminationState.Terminated.Message = "panic: \xc3\x28 at 日本"
		got := transformPod(t, p)
		if name := got.OwnerReferences[0].Name; name != "web-\uFFFD-rs" {
			t.Errorf("owner name = %q, want %q", name, "web-\uFFFD-rs")
		}
		if msg := got.Status.ContainerStatuses[0].LastTerminationState.Terminated.Message; msg != "panic: \uFFFD( at 日本" {
			t.Errorf("termination message = %q, want %q", msg, "panic: \uFFFD( at 日本")
		}
	})

	t.Run("valid text, including multi-byte characters, is unchanged", func(t *testing.T) {
		t.Parallel()
		p := fullPod()
		p.OwnerReferences[0].Name = "web-日本-rs"
		p.Labels["team"] = "données"
		p.Status.Message = "节点资源不足 🚫"
		want := p.DeepCopy()
		got := transformPod(t, p)
		if got.OwnerReferences[0].Name != want.OwnerReferences[0].Name || got.Labels["team"] != want.Labels["team"] || got.Status.Message != want.Status.Message {
			t.Errorf("valid text changed: owner %q, label %q, message %q", got.OwnerReferences[0].Name, got.Labels["team"], got.Status.Message)
		}
	})
}

// TestValidUTF8CostsNothingWhenValid checks that making strings valid UTF-8
// allocates nothing for input that already is, which is every object of a
// normal cluster: the transform runs on every object the informers decode.
func TestValidUTF8CostsNothingWhenValid(t *testing.T) {
	pod := transformPod(t, realisticPod(7))
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "node-1", Labels: map[string]string{"kubernetes.io/hostname": "node-1", "zone": "日本"}},
		Spec:       corev1.NodeSpec{Taints: []corev1.Taint{{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}}},
		Status: corev1.NodeStatus{
			Capacity:   pod.Spec.Containers[0].Resources.Limits,
			Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady", Message: "kubelet is posting ready status"}},
			Addresses:  []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.0.1"}},
			NodeInfo:   corev1.NodeSystemInfo{KubeletVersion: "v1.37.2", OSImage: "Debian GNU/Linux 13"},
		},
	}
	for _, tc := range []struct {
		what string
		run  func()
	}{
		{"walking a transformed realistic pod", func() { informers.MakeValidUTF8(pod) }},
		{"transforming a node", func() { _, _ = informers.Transform(node) }},
	} {
		if n := testing.AllocsPerRun(100, tc.run); n != 0 {
			t.Errorf("%s allocates %.0f times per run, want 0", tc.what, n)
		}
	}
	if diff := cmp.Diff(transformPod(t, realisticPod(7)), pod); diff != "" {
		t.Errorf("walking a valid pod changed it (-want +got):\n%s", diff)
	}
}

// TestMakeValidUTF8 covers the shapes the reflective walk meets, including
// a map type of no API object today (walked by reflection).
func TestMakeValidUTF8(t *testing.T) {
	t.Parallel()
	type named string
	type inner struct {
		S      string
		P      *string
		B      []byte
		hidden string
	}
	type outer struct {
		In     inner
		List   []inner
		Arr    [2]named
		ByName map[named]inner
		Plain  map[string]string
	}
	bad, pointed := invalidUTF8, invalidUTF8
	fixed := "\uFFFD bad"
	in := &outer{
		In:     inner{S: bad, P: &pointed, B: []byte(bad), hidden: bad},
		List:   []inner{{S: "ok"}, {S: bad}},
		Arr:    [2]named{"ok", named(bad)},
		ByName: map[named]inner{named(bad): {S: bad}, "ok": {S: "ok"}},
		Plain:  map[string]string{bad: bad},
	}
	informers.MakeValidUTF8(in)
	want := &outer{
		In:     inner{S: fixed, P: &fixed, B: []byte(bad), hidden: bad},
		List:   []inner{{S: "ok"}, {S: fixed}},
		Arr:    [2]named{"ok", named(fixed)},
		ByName: map[named]inner{named(fixed): {S: fixed}, "ok": {S: "ok"}},
		Plain:  map[string]string{fixed: fixed},
	}
	if diff := cmp.Diff(want, in, cmp.AllowUnexported(inner{})); diff != "" {
		t.Errorf("MakeValidUTF8 (-want +got):\n%s", diff)
	}
}
