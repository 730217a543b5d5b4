package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestLongTextsArePagedOut checks that a pod with megabyte texts gets a page
// of a bounded size, linking to its JSON, and that the JSON has every text
// whole: the page shortens, the API never does.
func TestLongTextsArePagedOut(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	message := strings.Repeat("m", mib)
	termination := strings.Repeat("t", mib)
	p := pod("shop", "big", terminated("Error", termination))
	store := newFakeStore(p)
	store.SetEvents(p.UID, []*corev1.Event{{
		ObjectMeta:     metav1.ObjectMeta{Namespace: "shop", Name: "big.1"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "shop", Name: "big", UID: p.UID},
		Type:           corev1.EventTypeWarning, Reason: "BackOff", Message: message, Count: 3,
		LastTimestamp: metav1.NewTime(testNow),
	}})
	env := newTestEnv(t, store)

	page := env.get("/pods/shop/big")
	if page.Code != http.StatusOK {
		t.Fatalf("GET /pods/shop/big = %d", page.Code)
	}
	html := page.Body.String()
	if len(html) > 128<<10 {
		t.Errorf("the page is %d bytes, want at most 128 KiB", len(html))
	}
	if !strings.Contains(html, `href="../../api/v1/pods/shop/big"`) || !strings.Contains(html, "(1046576 more characters)") {
		t.Errorf("the page neither says how much is cut nor links to the pod's JSON")
	}

	api := env.get("/api/v1/pods/shop/big")
	var got apiPodDetail
	if err := json.Unmarshal(api.Body.Bytes(), &got); err != nil || api.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/pods/shop/big = %d: %v", api.Code, err)
	}
	if len(got.Events) != 1 || got.Events[0].Message != message {
		t.Errorf("the API's event message is not whole (%d events)", len(got.Events))
	}
	whole := false
	for _, f := range got.Diagnosis.Findings {
		for _, e := range f.Evidence {
			whole = whole || e.Value == termination
		}
	}
	if !whole {
		t.Error("the API's evidence lacks the whole termination message")
	}
}
