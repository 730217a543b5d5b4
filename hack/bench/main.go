// Command bench is Podlens's cluster-scale benchmark: it starts a
// real kube-apiserver and etcd, loads realistic pods, runs the dashboard as a
// child process and prints one table in which every figure is measured side
// by side with its baseline in the same run.
//
//	make bench                                 # full size: 10k and 50k pods, 200 viewers, 1,000 idle viewers
//	make bench BENCHFLAGS=-short               # a few seconds' worth, what CI runs
//	make bench BENCHFLAGS='-gobench -write-doc' # also run the Go hot-path benchmarks and rewrite docs/performance.md
//	make bench BENCHFLAGS='-soak 3m'           # steady churn and 200 viewers; RSS and goroutines at start and end
//	make bench BENCHFLAGS='-profile /tmp/prof' # also save the dashboard's heap and CPU profiles at the largest size
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/podlens/podlens/internal/testcluster"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

// config is the benchmark's flags.
type config struct {
	pods          []int
	viewers       int
	rssViewers    int
	idleViewers   int
	updatesPerSec int
	churn         time.Duration
	samples       int
	listSamples   int
	workers       int
	churnPods     int
	short         bool
	soak          time.Duration
	writeDoc      bool
	doc           string
	goBench       bool
	profile       string
	serverBin     string
	wsPath        string
	idleWSPath    string
	pagePath      string
	apiPath       string
	podMemory     string
	podCPU        int
	dataDir       string
	serverArgs    []string
	args          []string
}

// dashboardEnv is what the benchmark adds to the dashboard's environment.
func (c config) dashboardEnv() []string {
	if c.podCPU > 0 {
		return []string{"GOMAXPROCS=" + strconv.Itoa(c.podCPU)}
	}
	return nil
}

// dashboardArgs are the flags the benchmark adds to the dashboard's own.
func (c config) dashboardArgs() []string {
	var args []string
	if c.podMemory != "" {
		args = append(args, "--memory-limit", c.podMemory)
	}
	return append(args, c.serverArgs...)
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	pods := fs.String("pods", "10000,50000", "pod counts to measure, ascending; the server figures use the largest, time to first page every size")
	fs.IntVar(&c.viewers, "viewers", 200, "websocket viewers for the update latency and watch figures")
	fs.IntVar(&c.rssViewers, "rss-viewers", 100, "viewers connected when the whole-process RSS is read")
	fs.IntVar(&c.idleViewers, "idle-viewers", 1000, "idle viewers for the memory-per-viewer figure")
	fs.IntVar(&c.updatesPerSec, "updates", 100, "pod status writes per second during the latency run")
	fs.DurationVar(&c.churn, "churn", 20*time.Second, "how long the latency run writes pod updates")
	fs.IntVar(&c.samples, "samples", 200, "requests per dashboard query figure")
	fs.IntVar(&c.listSamples, "list-samples", 5, "API server LISTs per baseline")
	fs.IntVar(&c.workers, "workers", 16, "concurrent creators while loading pods")
	fs.IntVar(&c.churnPods, "churn-pods", 100, "crash-looping pods (namespace bench-churn) the latency run updates in turn; keep it within the first screen (100 rows)")
	fs.BoolVar(&c.short, "short", false, "tiny sizes that finish in about a minute (CI): 300 pods, 10 viewers, 20 idle viewers, 3 s of churn")
	fs.DurationVar(&c.soak, "soak", 0, "instead of the table, run steady churn with 200 viewers this long and print RSS and goroutines")
	fs.BoolVar(&c.writeDoc, "write-doc", false, "write the table, the machine and the command into -doc")
	fs.StringVar(&c.doc, "doc", "docs/performance.md", "the performance document -write-doc rewrites (its generated blocks only), relative to the repository root")
	fs.BoolVar(&c.goBench, "gobench", false, "also run the Go hot-path benchmarks (go test -bench) and report them")
	fs.StringVar(&c.profile, "profile", "", "save the dashboard's pprof profiles at the largest size into this directory: cpu-start-N, heap-N, cpu-churn-N, heap-idle-N and allocs-N.pb.gz (go tool pprof); empty is off")
	fs.StringVar(&c.podMemory, "pod-memory", "512Mi", "run the dashboard as in a pod with this memory limit (--memory-limit; the GC aims at 90% of it); the RSS is also read without a limit. Empty: no limit")
	fs.IntVar(&c.podCPU, "pod-cpu", 0, "run the dashboard as in a pod with this many CPUs as its limit (GOMAXPROCS, as Go sets it from the limit); 0: every CPU")
	fs.StringVar(&c.dataDir, "data-dir", "", "keep etcd's data in this folder: a later run on it loads only the pods it lacks (for iterating; statuses keep their first run's times). Empty: a temporary folder")
	serverArgs := fs.String("server-args", "", "extra dashboard flags, space-separated (e.g. '--api-compression on')")
	fs.StringVar(&c.serverBin, "server-bin", "", "a built dashboard binary; empty builds ./cmd/server")
	fs.StringVar(&c.wsPath, "ws-path", "", "the websocket path viewers open; empty takes the list page's ws-connect (what a browser opens)")
	fs.StringVar(&c.idleWSPath, "idle-ws-path", "", "the websocket path idle viewers open; empty means the viewers' one")
	fs.StringVar(&c.pagePath, "page-path", "/", "the pod list page")
	fs.StringVar(&c.apiPath, "api-path", "/api/v1/pods?problems=true", "the dashboard's JSON query")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.args = args
	c.serverArgs = strings.Fields(*serverArgs)
	if c.short {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		def := func(name string, apply func()) {
			if !set[name] {
				apply()
			}
		}
		def("pods", func() { *pods = "300" })
		def("viewers", func() { c.viewers = 10 })
		def("rss-viewers", func() { c.rssViewers = 5 })
		def("idle-viewers", func() { c.idleViewers = 20 })
		def("updates", func() { c.updatesPerSec = 20 })
		def("churn", func() { c.churn = 3 * time.Second })
		def("samples", func() { c.samples = 20 })
		def("list-samples", func() { c.listSamples = 2 })
		def("churn-pods", func() { c.churnPods = 20 })
		def("workers", func() { c.workers = 8 })
	}
	for _, f := range strings.Split(*pods, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return c, fmt.Errorf("-pods: %q is not a positive count", f)
		}
		c.pods = append(c.pods, n)
	}
	slices.Sort(c.pods)
	c.pods = slices.Compact(c.pods)
	if c.profile != "" && c.soak > 0 {
		return c, fmt.Errorf("-profile profiles the table run, not -soak")
	}
	if c.viewers < 1 || c.rssViewers < 0 || c.idleViewers < 1 || c.updatesPerSec < 1 || c.churnPods < 1 {
		return c, fmt.Errorf("-viewers, -idle-viewers, -updates and -churn-pods must be positive")
	}
	return c, nil
}

// run parses flags, runs the benchmark and prints the table.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if cfg.soak > 0 {
		return soak(ctx, cfg, stdout, stderr)
	}
	if cfg.profile != "" {
		// Now, not after a half-hour run.
		if cfg.profile, err = filepath.Abs(cfg.profile); err == nil {
			err = os.MkdirAll(cfg.profile, 0o755)
		}
		if err != nil {
			return fmt.Errorf("-profile: %w", err)
		}
	}
	res, err := bench(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	writeTable(stdout, res.rows)
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, res.machine.String())
	var goBench string
	if cfg.goBench {
		goBench, err = runGoBench(ctx, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout)
		fmt.Fprint(stdout, goBench)
	}
	if cfg.writeDoc {
		if !filepath.IsAbs(cfg.doc) {
			root, err := testcluster.RepoRoot()
			if err != nil {
				return err
			}
			cfg.doc = filepath.Join(root, cfg.doc)
		}
		var b strings.Builder
		writeTable(&b, res.rows)
		b.WriteString("\n")
		b.WriteString(res.machine.String())
		if err := writeDocBlock(cfg.doc, beginMarker, endMarker, b.String()); err != nil {
			return fmt.Errorf("writing %s: %w", cfg.doc, err)
		}
		if goBench != "" {
			if err := writeDocBlock(cfg.doc, goBeginMarker, goEndMarker, goBench+"\n"+res.machine.String()); err != nil {
				return fmt.Errorf("writing %s: %w", cfg.doc, err)
			}
		}
		fmt.Fprintf(stderr, "bench: wrote %s\n", cfg.doc)
	}
	return nil
}
