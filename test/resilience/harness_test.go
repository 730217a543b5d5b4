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
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
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
)

// podlensBin is the dashboard binary TestMain builds once for every test.
var podlensBin string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	// envtest logs through controller-runtime; nothing here reads those logs.
	ctrllog.SetLogger(logr.Discard())
	dir, err := os.MkdirTemp("", "podlens-resilience-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "resilience: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	root, err := repoRoot()
	if err != nil {
		fmt.Fprintf(os.Stderr, "resilience: %v\n", err)
		return 1
	}
	podlensBin = filepath.Join(dir, "podlens")
	build := exec.Command("go", "build", "-o", podlensBin, "./cmd/server")
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "resilience: building ./cmd/server: %v\n", err)
		return 1
	}
	return m.Run()
}

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// podlens is one running dashboard process.
type podlens struct {
	// URL is the server's origin, e.g. http://127.0.0.1:41234 (no trailing slash).
	URL    string
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // valid once exited is closed
	logs   *testLogWriter
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
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		p, err := tryStartPodlens(t, kubeconfig, args)
		if err == nil {
			return p
		}
		lastErr = err
		if !errors.Is(err, errAddrInUse) {
			break
		}
	}
	t.Fatalf("starting podlens: %v", lastErr)
	return nil
}

var errAddrInUse = errors.New("address already in use")

func tryStartPodlens(t testing.TB, kubeconfig string, args []string) (*podlens, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", port)
	full := append([]string{"--kubeconfig", kubeconfig, "--listen", addr, "--log-level", "info"}, args...)
	cmd := exec.Command(podlensBin, full...)
	cmd.Env = append(os.Environ(), "KUBECONFIG=") // only the flag counts
	logs := newTestLogWriter(t, "podlens "+port+": ")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", podlensBin, err)
	}
	p := &podlens{URL: "http://" + addr, cmd: cmd, exited: make(chan struct{}), logs: logs}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	client := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.exited:
			if strings.Contains(logs.String(), "address already in use") {
				return nil, errAddrInUse
			}
			return nil, fmt.Errorf("podlens exited before it was ready: %v\n%s", p.err, logs.String())
		case <-ctx.Done():
			p.stop(t)
			return nil, fmt.Errorf("podlens at %s not ready after 90s", p.URL)
		case <-tick.C:
		}
		resp, err := client.Get(p.URL + "/readyz")
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Cleanup(func() { p.stop(t) })
			return p, nil
		}
	}
}

// pid is the dashboard's process id.
func (p *podlens) pid() int { return p.cmd.Process.Pid }

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
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM to podlens (pid %d): %v", p.pid(), err)
	}
}

// stop ends the process gracefully, then by SIGKILL (by PID) if it hangs.
func (p *podlens) stop(t testing.TB) {
	if !p.running() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		t.Logf("podlens (pid %d) did not stop 20s after SIGTERM; killing it", p.pid())
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
	p.logs.Close()
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

// testLogWriter copies a child process's output line by line into the test
// log and keeps it all for assertions. Close stops logging to the test.
type testLogWriter struct {
	mu     sync.Mutex
	t      testing.TB
	prefix string
	buf    bytes.Buffer // partial line
	all    bytes.Buffer
	closed bool
}

func newTestLogWriter(t testing.TB, prefix string) *testLogWriter {
	w := &testLogWriter{t: t, prefix: prefix}
	t.Cleanup(w.Close)
	return w
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all.Write(p)
	if w.closed {
		return len(p), nil
	}
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err == io.EOF {
			w.buf.WriteString(line)
			return len(p), nil
		}
		w.t.Log(w.prefix + strings.TrimRight(line, "\n"))
	}
}

func (w *testLogWriter) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed && w.buf.Len() > 0 {
		w.t.Log(w.prefix + w.buf.String())
	}
	w.closed = true
}

func (w *testLogWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

// eventually calls cond every 100 ms until it returns nil or timeout
// passes; then it fails the test with cond's last error.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true after %v: %v", what, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
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
