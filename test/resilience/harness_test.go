// Package resilience_test proves the real dashboard binary keeps working
// through faults, against a real kube-apiserver and etcd (envtest): API
// server outages and restarts, expired watches (410 Gone after an etcd
// compaction), viewer churn and slow viewers, hostile clients and graceful
// shutdown. Nothing is faked: faults are injected into the real processes.
//
// Run with:
//
//	KUBEBUILDER_ASSETS=$(bash hack/k8s-binaries.sh) go test -count=1 ./test/resilience/ -v
package resilience_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/gorilla/websocket"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/podlens/podlens/internal/testcluster"
	"github.com/podlens/podlens/internal/testdashboard"
)

// podlensBin is the dashboard binary TestMain builds once for every test.
var podlensBin string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	// envtest logs through controller-runtime; nothing here reads those logs.
	ctrllog.SetLogger(logr.Discard())
	bin, remove, err := testdashboard.BuildTemp("podlens-resilience-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "resilience: %v\n", err)
		return 1
	}
	defer remove()
	podlensBin = bin
	return m.Run()
}

// repoRoot is the folder holding go.mod.
func repoRoot() (string, error) { return testcluster.RepoRoot() }

// podlens is one running dashboard process: URL, PID and Running come
// from testdashboard.Process; exited, err and logs are what the tests
// read after a SIGTERM.
type podlens struct {
	*testdashboard.Process
	exited chan struct{}
	err    error // how the process exited; valid once exited is closed
	logs   *testLogWriter
}

// newPodlens wraps a started process; err is set before exited closes.
func newPodlens(p *testdashboard.Process, logs *testLogWriter) *podlens {
	w := &podlens{Process: p, exited: make(chan struct{}), logs: logs}
	go func() {
		<-p.Done() // the process is stopped in the test's cleanup at the latest
		w.err = p.Err()
		close(w.exited)
	}()
	return w
}

// startPodlens runs the dashboard binary against the cluster behind cfg,
// waits until /readyz answers 200 and stops the process (by PID) in cleanup.
// args are extra flags.
func startPodlens(t testing.TB, cfg *rest.Config, args ...string) *podlens {
	t.Helper()
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := testcluster.WriteKubeconfig(cfg, kubeconfig); err != nil {
		t.Fatal(err)
	}
	p, logs, err := testdashboard.RunRetrying(t, options(kubeconfig, args))
	if err != nil {
		t.Fatalf("starting podlens: %v", err)
	}
	return newPodlens(p, logs)
}

// errAddrInUse is tryStartPodlens's error when the free port was taken
// before the dashboard bound it: try again.
var errAddrInUse = testdashboard.ErrAddrInUse

// tryStartPodlens is one attempt of startPodlens, with a kubeconfig file
// (empty with --demo).
func tryStartPodlens(t testing.TB, kubeconfig string, args []string) (*podlens, error) {
	p, logs, err := testdashboard.Run(t, options(kubeconfig, args))
	if err != nil {
		return nil, err
	}
	return newPodlens(p, logs), nil
}

// options are the resilience tests' flags: info logs, then args.
func options(kubeconfig string, args []string) testdashboard.Options {
	return testdashboard.Options{Binary: podlensBin, Kubeconfig: kubeconfig,
		Args: append([]string{"--log-level", "info"}, args...)}
}

// pid is the dashboard's process id.
func (p *podlens) pid() int { return p.PID() }

// running reports whether the process has not exited.
func (p *podlens) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// sigterm sends SIGTERM, as the kubelet does when a pod is deleted.
func (p *podlens) sigterm(t testing.TB) {
	t.Helper()
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM to podlens (pid %d): %v", p.pid(), err)
	}
}

// stop ends the process gracefully, then by SIGKILL (by PID) if it hangs.
func (p *podlens) stop(t testing.TB) {
	if err := p.Stop(20 * time.Second); err != nil {
		t.Log(err)
	}
	p.logs.Close()
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (string, error) {
	addr, err := testdashboard.FreeAddr()
	if err != nil {
		return "", err
	}
	_, port, err := net.SplitHostPort(addr)
	return port, err
}

// testLogWriter copies a child process's output line by line into the test
// log and keeps it all for assertions. Close stops logging to the test.
type testLogWriter = testdashboard.LogWriter

func newTestLogWriter(t testing.TB, prefix string) *testLogWriter {
	return testdashboard.NewLogWriter(t, prefix)
}

// eventually calls cond every 100 ms until it returns nil or timeout
// passes; then it fails the test with cond's last error.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	testdashboard.Eventually(t, timeout, what, cond)
}

// httpClient is for short requests to the dashboard.
var httpClient = &http.Client{Timeout: 10 * time.Second}

// get fetches base+path and returns the status and body.
func get(base, path string) (int, string, error) {
	resp, err := httpClient.Get(base + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	return resp.StatusCode, string(b), err
}

// apiPod is the part of a GET /api/v1/pods item these tests read.
type apiPod struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Status    string `json:"status"`
}

// podList is GET /api/v1/pods.
type podList struct {
	Items      []apiPod   `json:"items"`
	Total      int        `json:"total"`
	Synced     bool       `json:"synced"`
	Stale      bool       `json:"stale"`
	StaleSince *time.Time `json:"staleSince"`
}

// names returns the listed pods as "namespace/name", in order.
func (l podList) names() []string {
	out := make([]string, 0, len(l.Items))
	for _, p := range l.Items {
		out = append(out, p.Namespace+"/"+p.Name)
	}
	return out
}

// listPods calls GET /api/v1/pods for one namespace, largest page.
func listPods(base, namespace string) (podList, error) {
	var l podList
	q := url.Values{"namespace": {namespace}, "pageSize": {"500"}}
	code, body, err := get(base, "/api/v1/pods?"+q.Encode())
	if err != nil {
		return l, err
	}
	if code != http.StatusOK {
		return l, fmt.Errorf("GET /api/v1/pods: %d %s", code, body)
	}
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		return l, fmt.Errorf("decoding /api/v1/pods: %w", err)
	}
	return l, nil
}

// metrics scrapes /metrics into "name{labels}" → value.
func metrics(base string) (map[string]float64, error) {
	code, body, err := get(base, "/metrics")
	if err != nil {
		return nil, err
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("GET /metrics: %d", code)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		out[line[:i]] = v
	}
	return out, sc.Err()
}

// metric scrapes one metric, failing the test if it is missing.
func metric(t testing.TB, base, name string) float64 {
	t.Helper()
	m, err := metrics(base)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := m[name]
	if !ok {
		t.Fatalf("metric %s missing from /metrics", name)
	}
	return v
}

// wsURL is the websocket URL of a dashboard for a query.
func wsURL(base, query string) string {
	return "ws" + strings.TrimPrefix(base, "http") + "/ws?" + query
}

// dialWS opens the dashboard's websocket as a same-origin browser would.
func dialWS(ctx context.Context, d *websocket.Dialer, base, query string) (*websocket.Conn, error) {
	h := http.Header{"Origin": {base}}
	conn, resp, err := d.DialContext(ctx, wsURL(base, query), h)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial %s: %w (HTTP %d)", query, err, resp.StatusCode)
		}
		return nil, fmt.Errorf("dial %s: %w", query, err)
	}
	return conn, nil
}

// podsView is the websocket query for every pod of a namespace.
func podsView(namespace string) string {
	return url.Values{"view": {"pods"}, "namespace": {namespace}, "all": {"1"}, "pageSize": {"500"}}.Encode()
}

// mentions reports whether a pushed HTML fragment names the pod; tests look
// for the names instead of the row markup's exact form.
func mentions(msg, namespace, name string) bool {
	return strings.Contains(msg, namespace) && strings.Contains(msg, name)
}

// createNamespace creates a namespace.
func createNamespace(t testing.TB, c kubernetes.Interface, name string) {
	t.Helper()
	_, err := c.CoreV1().Namespaces().Create(context.Background(),
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatalf("creating namespace %s: %v", name, err)
	}
}

// newPod is a pod bound to a node, as the scheduler leaves it.
func newPod(namespace, name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, Labels: map[string]string{"app": "resilience"}},
		Spec: corev1.PodSpec{
			NodeName:   "node-a",
			Containers: []corev1.Container{{Name: "app", Image: "registry.example/app:1"}},
		},
	}
}

// createPod creates a pod and writes a status, as a kubelet would: running
// when restarts is 0, else crash-looping with that restart count.
func createPod(ctx context.Context, c kubernetes.Interface, namespace, name string, restarts int32) error {
	p, err := c.CoreV1().Pods(namespace).Create(ctx, newPod(namespace, name), metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("creating pod %s/%s: %w", namespace, name, err)
	}
	p.Status = podStatus(restarts)
	if _, err := c.CoreV1().Pods(namespace).UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("status of pod %s/%s: %w", namespace, name, err)
	}
	return nil
}

// setRestarts rewrites a pod's status with a new restart count.
func setRestarts(ctx context.Context, c kubernetes.Interface, namespace, name string, restarts int32) error {
	p, err := c.CoreV1().Pods(namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	p.Status = podStatus(restarts)
	_, err = c.CoreV1().Pods(namespace).UpdateStatus(ctx, p, metav1.UpdateOptions{})
	return err
}

func podStatus(restarts int32) corev1.PodStatus {
	start := metav1.NewTime(time.Now().Add(-time.Hour).Truncate(time.Second))
	cs := corev1.ContainerStatus{Name: "app", Image: "registry.example/app:1", RestartCount: restarts}
	if restarts == 0 {
		cs.Ready, cs.Started = true, new(true)
		cs.State.Running = &corev1.ContainerStateRunning{StartedAt: start}
	} else {
		cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff",
			Message: "back-off 5m0s restarting failed container=app"}
		cs.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error",
			StartedAt: start, FinishedAt: metav1.NewTime(start.Add(time.Minute))}
	}
	ready := corev1.ConditionTrue
	if restarts > 0 {
		ready = corev1.ConditionFalse
	}
	return corev1.PodStatus{
		Phase: corev1.PodRunning, PodIP: "10.244.0.10", StartTime: &start,
		Conditions: []corev1.PodCondition{
			{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
			{Type: corev1.PodReady, Status: ready},
			{Type: corev1.ContainersReady, Status: ready},
		},
		ContainerStatuses: []corev1.ContainerStatus{cs},
	}
}

// createPods creates pods name-0 … name-(n-1) with a few concurrent clients.
func createPods(t testing.TB, c kubernetes.Interface, namespace, prefix string, n int) []string {
	t.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s-%d", prefix, i)
	}
	forEach(t, names, func(ctx context.Context, name string) error {
		return createPod(ctx, c, namespace, name, 0)
	})
	return names
}

// forEach runs fn for every name with 8 workers and fails the test on the first error.
func forEach(t testing.TB, names []string, fn func(ctx context.Context, name string) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	work := make(chan string)
	errs := make(chan error, len(names))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for name := range work {
				if err := fn(ctx, name); err != nil {
					errs <- err
				}
			}
		})
	}
	for _, n := range names {
		work <- n
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
