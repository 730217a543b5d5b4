package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/podlens/podlens/internal/testcluster"
)

// machine describes where the figures were taken, so they can be compared.
type machine struct {
	CPUs      int
	CPUModel  string
	Memory    string
	Load      string
	GoVersion string
	APIServer string
	Etcd      string
	Date      time.Time
	Command   string
}

func describeMachine(assets, apiServerVersion string, args []string) machine {
	m := machine{
		CPUs:      runtime.NumCPU(),
		GoVersion: runtime.Version(),
		APIServer: apiServerVersion,
		Date:      time.Now().UTC(),
		Command:   benchCommand(args),
	}
	// kube-apiserver built from Go modules (hack/k8s-binaries.sh) reports
	// v0.0.0-master; the cache folder is named after the version it built.
	if strings.HasPrefix(apiServerVersion, "v0.0.0") {
		if v := assetsVersion.FindStringSubmatch(filepath.Base(assets)); v != nil {
			m.APIServer = v[1] + " (built from Go modules)"
		}
	}
	m.CPUModel = firstField("/proc/cpuinfo", "model name")
	if kb := firstField("/proc/meminfo", "MemTotal"); kb != "" {
		var n float64
		fmt.Sscanf(kb, "%f", &n)
		m.Memory = fmt.Sprintf("%.1f GiB", n/(1<<20))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		m.Load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	if assets != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, assets+"/etcd", "--version").Output(); err == nil {
			if line, _, _ := strings.Cut(string(out), "\n"); line != "" {
				m.Etcd = strings.TrimSpace(strings.TrimPrefix(line, "etcd Version:"))
			}
		}
	}
	return m
}

// assetsVersion reads the version out of hack/k8s-binaries.sh's cache folder name.
var assetsVersion = regexp.MustCompile(`^k8s-(v[0-9][^-]*)-etcd-`)

// benchCommand is the command that reproduces this run.
func benchCommand(args []string) string {
	if len(args) == 0 {
		return "make bench"
	}
	return fmt.Sprintf("make bench BENCHFLAGS='%s'", strings.Join(args, " "))
}

// firstField returns the value of the first "key: value" line in a /proc file.
func firstField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func (m machine) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %d CPUs (%s), %s RAM, load average %s at the end; %s; kube-apiserver %s, etcd %s.\n",
		m.Date.Format("2006-01-02 15:04 UTC"), m.CPUs, m.CPUModel, m.Memory, m.Load, m.GoVersion, m.APIServer, m.Etcd)
	fmt.Fprintf(&b, "Command: `%s`\n", m.Command)
	return b.String()
}

// runGoBench runs the Go hot-path benchmarks of every package that has some
// and returns their results as a Markdown table.
func runGoBench(ctx context.Context, log io.Writer) (string, error) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		return "", err
	}
	fmt.Fprintln(log, "bench: running the Go hot-path benchmarks (go test -bench)")
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "1", "./internal/...", "./cmd/...")
	cmd.Dir = root
	cmd.Stderr = log
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go test -bench: %w\n%s", err, out)
	}
	return goBenchTable(out), nil
}

// goBenchTable turns `go test -bench -benchmem` output into a Markdown table.
func goBenchTable(out []byte) string {
	var b strings.Builder
	b.WriteString("| package | benchmark | ns/op | B/op | allocs/op |\n|---|---|---|---|---|\n")
	pkg := ""
	s := bufio.NewScanner(bytes.NewReader(out))
	for s.Scan() {
		line := s.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimPrefix(p, "github.com/podlens/podlens/")
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		vals := map[string]string{}
		for i := 2; i+1 < len(f); i += 2 {
			vals[f[i+1]] = f[i]
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", pkg, f[0], vals["ns/op"], vals["B/op"], vals["allocs/op"])
	}
	return b.String()
}
