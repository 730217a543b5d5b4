package e2e_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// podsResponse is GET /api/v1/pods.
type podsResponse struct {
	Items      []podItem `json:"items"`
	Stale      bool      `json:"stale"`
	StaleSince *string   `json:"staleSince"`
	Synced     bool      `json:"synced"`
}

// podItem is one row of GET /api/v1/pods.
type podItem struct {
	Namespace string   `json:"namespace"`
	Name      string   `json:"name"`
	Status    string   `json:"status"`
	Ready     string   `json:"ready"`
	Restarts  string   `json:"restarts"`
	Age       string   `json:"age"`
	Node      string   `json:"node"`
	IP        string   `json:"ip"`
	Severity  string   `json:"severity"`
	Reasons   []string `json:"reasons"`
	Summary   string   `json:"summary"`
}

// podDetail is GET /api/v1/pods/{ns}/{name}.
type podDetail struct {
	podItem
	Diagnosis struct {
		Severity string `json:"severity"`
		Findings []struct {
			Code        string `json:"code"`
			Severity    string `json:"severity"`
			Container   string `json:"container"`
			Title       string `json:"title"`
			Explanation string `json:"explanation"`
			Evidence    []struct {
				Source string `json:"source"`
				Value  string `json:"value"`
			} `json:"evidence"`
			Actions  []string `json:"actions"`
			Commands []string `json:"commands"`
		} `json:"findings"`
	} `json:"diagnosis"`
	Events []struct {
		Type    string `json:"type"`
		Reason  string `json:"reason"`
		Message string `json:"message"`
	} `json:"events"`
}

// apiError is the body of every JSON error.
type apiError struct {
	Error string `json:"error"`
}

var httpClient = &http.Client{Timeout: 15 * time.Second}

// getJSON GETs u and decodes a JSON body into v. It returns the status code;
// a body that is not JSON fails the test whatever the status.
func getJSON(t testing.TB, u string, v any) int {
	t.Helper()
	resp, err := httpClient.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", u, err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: Content-Type=%q, want application/json; body: %.300s", u, ct, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: decoding %.300s: %v", u, body, err)
	}
	return resp.StatusCode
}

// listPods returns the dashboard's pods for the query, by name.
func listPods(t testing.TB, base string, query url.Values) (podsResponse, map[string]podItem) {
	t.Helper()
	var resp podsResponse
	u := base + "/api/v1/pods?" + query.Encode()
	if code := getJSON(t, u, &resp); code != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, code)
	}
	byName := map[string]podItem{}
	for _, it := range resp.Items {
		byName[it.Name] = it
	}
	return resp, byName
}

// columns keeps the kubectl cells of the dashboard's rows.
func columns(items map[string]podItem) map[string]tableRow {
	out := map[string]tableRow{}
	for name, it := range items {
		out[name] = tableRow{Status: it.Status, Ready: it.Ready, Restarts: it.Restarts, Node: it.Node, IP: it.IP}
	}
	return out
}

var ageCell = regexp.MustCompile(`^[0-9]+(s|m|h|d|y)([0-9]+(s|m|h|d))?$`)

func TestAPIFollowsTheCluster(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	const ns = "e2e-api"
	createNamespace(t, c, ns)
	createNode(t, c, "node-a", nodeReady(corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"))
	p := startPodlens(t, cluster.Config)

	web := map[string]string{"app": "web"}
	newPod(ns, "web-1", "node-a", web).withStatus(running("10.244.0.11")).create(t, c)
	crashing := newPod(ns, "web-2", "node-a", web).
		withStatus(crashLoop("10.244.0.12", 7, 1, "Error", "panic: config key \"db.url\" missing")).create(t, c)
	createEvent(t, c, crashing, corev1.EventTypeWarning, "BackOff", "Back-off restarting failed container app in pod web-2_e2e-api(uid)", 31)
	pullFailed(t, c, newPod(ns, "db-0", "node-a", map[string]string{"app": "db"}).withStatus(imagePullBackOff).create(t, c))
	newPod(ns, "report-0", "", map[string]string{"app": "report"}).withStatus(unschedulable).create(t, c)
	newPod(ns, "migrate-x7", "node-a", map[string]string{"app": "migrate"}).withStatus(completed("10.244.0.14")).create(t, c)
	newPod(ns, "cache-0", "node-a", map[string]string{"app": "cache"}).
		withStatus(crashLoop("10.244.0.15", 3, 137, "OOMKilled", "")).create(t, c)
	newPod(ns, "batch-0", "node-a", map[string]string{"app": "batch"}).withStatus(evicted).create(t, c)

	all := url.Values{"namespace": {ns}}
	// matchesServer polls until the dashboard's rows for ns are exactly the
	// API server's own Table rows (same pods, same kubectl cells).
	matchesServer := func(t *testing.T, what string, extra func(map[string]podItem) error) {
		t.Helper()
		eventually(t, 30*time.Second, what, func() error {
			want := serverTable(t, c, ns)
			if len(want) == 0 {
				t.Fatalf("the API server lists no pods in %s", ns)
			}
			_, items := listPods(t, p.URL, all)
			if diff := cmp.Diff(want, columns(items)); diff != "" {
				return fmt.Errorf("dashboard rows differ from the API server's Table (-server +dashboard):\n%s", diff)
			}
			if extra != nil {
				return extra(items)
			}
			return nil
		})
	}

	t.Run("new pods show up with the API server's own kubectl columns", func(t *testing.T) {
		matchesServer(t, "pods created", nil)
		resp, items := listPods(t, p.URL, all)
		if !resp.Synced {
			t.Errorf("synced=false on a ready server")
		}
		if resp.Stale {
			t.Errorf("stale=true while the API server is up")
		}
		for name, it := range items {
			if it.Namespace != ns {
				t.Errorf("%s: namespace=%q, want %q", name, it.Namespace, ns)
			}
			if !ageCell.MatchString(it.Age) {
				t.Errorf("%s: age=%q, want a kubectl age such as 5s or 2m30s", name, it.Age)
			}
		}
	})

	t.Run("healthy pods are ok and broken pods carry a reason and a summary", func(t *testing.T) {
		_, items := listPods(t, p.URL, all)
		if got := items["web-1"].Severity; got != "ok" {
			t.Errorf("web-1 (running, ready) severity=%q, want ok", got)
		}
		for _, tc := range []struct {
			name, code string
			severities []string
		}{
			{"web-2", "CrashLoopBackOff", []string{"warning", "critical"}},
			{"db-0", "ImagePullBackOff", []string{"critical"}}, // the image is not found: no retry helps
			// A pod pending for less than a minute may still be scheduled.
			{"report-0", "Unschedulable", []string{"info", "warning", "critical"}},
			{"cache-0", "OOMKilled", []string{"warning", "critical"}},
			{"batch-0", "Evicted", []string{"info", "warning", "critical"}},
		} {
			it := items[tc.name]
			if !slices.Contains(tc.severities, it.Severity) {
				t.Errorf("%s (%s) severity=%q, want one of %q", tc.name, it.Status, it.Severity, tc.severities)
			}
			if !slices.Contains(it.Reasons, tc.code) || it.Summary == "" {
				t.Errorf("%s (%s): reasons=%q summary=%q, want %s and a summary", tc.name, it.Status, it.Reasons, it.Summary, tc.code)
			}
		}
		_, problems := listPods(t, p.URL, url.Values{"namespace": {ns}, "problems": {"true"}})
		if _, ok := problems["web-1"]; ok {
			t.Errorf("problems=true lists the healthy pod web-1")
		}
		if _, ok := problems["web-2"]; !ok {
			t.Errorf("problems=true misses the crash-looping pod web-2: %v", slices.Sorted(maps.Keys(problems)))
		}
	})

	t.Run("a status update moves a pod from Running to CrashLoopBackOff", func(t *testing.T) {
		setStatus(t, c, ns, "web-1", crashLoop("10.244.0.11", 1, 2, "Error", "exit status 2"))
		matchesServer(t, "web-1 crash-looping", func(items map[string]podItem) error {
			if it := items["web-1"]; it.Status != "CrashLoopBackOff" || it.Severity == "ok" {
				return fmt.Errorf("web-1 status=%q severity=%q, want CrashLoopBackOff and not ok", it.Status, it.Severity)
			}
			return nil
		})
	})

	t.Run("a deleted pod leaves", func(t *testing.T) {
		deletePod(t, c, ns, "db-0")
		matchesServer(t, "db-0 deleted", func(items map[string]podItem) error {
			if _, ok := items["db-0"]; ok {
				return fmt.Errorf("db-0 still listed")
			}
			return nil
		})
	})

	t.Run("a pod being deleted shows Terminating", func(t *testing.T) {
		newPod(ns, "api-0", "node-a", web).
			with(func(p *corev1.Pod) { p.Finalizers = []string{"e2e.podlens.dev/hold"} }).
			withStatus(running("10.244.0.16")).create(t, c)
		matchesServer(t, "api-0 created", nil)
		if err := c.CoreV1().Pods(ns).Delete(ctxFor(t), "api-0", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		matchesServer(t, "api-0 terminating", func(items map[string]podItem) error {
			if got := items["api-0"].Status; got != "Terminating" {
				return fmt.Errorf("api-0 status=%q, want Terminating", got)
			}
			return nil
		})
	})

	t.Run("a label selector filters pods", func(t *testing.T) {
		for _, tc := range []struct {
			selector string
			want     []string
		}{
			{"app=web", []string{"api-0", "web-1", "web-2"}},
			{"app in (cache,batch)", []string{"batch-0", "cache-0"}},
			{"app!=web,app", []string{"batch-0", "cache-0", "migrate-x7", "report-0"}},
			{"tier=none", nil},
		} {
			_, items := listPods(t, p.URL, url.Values{"namespace": {ns}, "selector": {tc.selector}})
			if diff := cmp.Diff(tc.want, slices.Sorted(maps.Keys(items))); diff != "" {
				t.Errorf("selector %q (-want +got):\n%s", tc.selector, diff)
			}
		}
	})

	t.Run("a pod page carries the diagnosis with evidence and the pod's events", func(t *testing.T) {
		var d podDetail
		u := p.URL + "/api/v1/pods/" + ns + "/web-2"
		if code := getJSON(t, u, &d); code != http.StatusOK {
			t.Fatalf("GET %s: status %d", u, code)
		}
		if d.Name != "web-2" || d.Status != "CrashLoopBackOff" {
			t.Errorf("name=%q status=%q, want web-2 CrashLoopBackOff", d.Name, d.Status)
		}
		if len(d.Diagnosis.Findings) == 0 {
			t.Fatalf("no findings for a crash-looping pod: %+v", d.Diagnosis)
		}
		f := d.Diagnosis.Findings[0]
		if f.Code == "" || f.Title == "" || f.Explanation == "" || len(f.Evidence) == 0 || len(f.Commands) == 0 {
			t.Errorf("first finding lacks code, title, explanation, evidence or commands: %+v", f)
		}
		var sawBackOff bool
		for _, e := range d.Events {
			sawBackOff = sawBackOff || (e.Reason == "BackOff" && e.Type == corev1.EventTypeWarning)
		}
		if !sawBackOff {
			t.Errorf("events lack the Warning/BackOff event written to the API server: %+v", d.Events)
		}
	})

	t.Run("an unknown pod is a 404 JSON error", func(t *testing.T) {
		var e apiError
		u := p.URL + "/api/v1/pods/" + ns + "/no-such-pod"
		if got, want := getJSON(t, u, &e), http.StatusNotFound; got != want {
			t.Errorf("GET %s: status %d, want %d", u, got, want)
		}
		if e.Error == "" {
			t.Errorf("404 body has no error message")
		}
	})

	t.Run("a bad selector is a 400 JSON error naming the selector", func(t *testing.T) {
		const bad = "app in (web"
		var e apiError
		u := p.URL + "/api/v1/pods?" + url.Values{"selector": {bad}}.Encode()
		if got, want := getJSON(t, u, &e), http.StatusBadRequest; got != want {
			t.Errorf("GET %s: status %d, want %d", u, got, want)
		}
		if !strings.Contains(e.Error, bad) {
			t.Errorf("error %q does not name the selector %q", e.Error, bad)
		}
	})
}
