package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/podlens/podlens/internal/demo"
	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/live"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// maxHeaderBytes bounds a request line plus headers (net/http answers 431
// beyond it); the path and the query have tighter limits of their own.
const maxHeaderBytes = 64 << 10

// errNoCluster is the one line users see when there is nothing to watch.
var errNoCluster = errors.New("no Kubernetes cluster found: pass --kubeconfig or --context, set KUBECONFIG, run inside a cluster, or try --demo")

// options are the command-line flags.
type options struct {
	kubeconfig        string
	context           string
	namespaces        listFlag
	listen            string
	demo              bool
	logLevel          string
	logFormat         string
	basePath          string
	frameAncestors    listFlag
	allowedOrigins    listFlag
	allowedHosts      listFlag
	maxViewers        int
	maxViews          int
	maxViewsPerClient int
	drain             time.Duration
	debugListen       string
	debugUnsafe       bool
	apiCompression    string
	memoryLimit       string
	version           bool
}

// listFlag is a repeatable flag that also accepts comma-separated values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set implements flag.Value.
func (l *listFlag) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "path to a kubeconfig file (default: $KUBECONFIG, in-cluster, then ~/.kube/config)")
	fs.StringVar(&o.context, "context", "", "kubeconfig context to use")
	fs.Var(&o.namespaces, "namespace", "watch only this namespace (repeatable or comma-separated; default: all)")
	fs.Var(&o.namespaces, "n", "shorthand for --namespace")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address to serve on")
	fs.BoolVar(&o.demo, "demo", false, "run on an embedded simulated cluster")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&o.basePath, "base-path", "", "URL path prefix to serve under, for proxies that do not strip it (e.g. /tools/pods)")
	fs.Var(&o.frameAncestors, "frame-ancestors", "origins allowed to frame the dashboard (CSP frame-ancestors; repeatable or comma-separated; default 'self')")
	fs.Var(&o.allowedOrigins, "allowed-origins", "extra origins allowed to open the websocket (repeatable or comma-separated)")
	fs.Var(&o.allowedHosts, "allowed-hosts", "host names the dashboard answers besides IP addresses and localhost, e.g. podlens.example.com or *.example.com; others get 421 (repeatable or comma-separated)")
	fs.IntVar(&o.maxViewers, "max-viewers", 1000, "maximum concurrent live viewers; more get 503")
	fs.IntVar(&o.maxViews, "max-views", defaultMaxViews, "maximum distinct live views (filters, pod, language) at once; opening one more gets 503, joining an open one never does; -1: no limit")
	fs.IntVar(&o.maxViewsPerClient, "max-views-per-client", defaultMaxViewsPerClient, "maximum distinct live views one client address follows at once; beyond it 429; behind a reverse proxy every viewer shares the proxy's address; -1: no limit")
	fs.DurationVar(&o.drain, "drain", 3*time.Second, "on SIGTERM, how long to keep serving while not ready before shutting down")
	fs.StringVar(&o.debugListen, "debug-listen", "", "address for Go's pprof endpoints (/debug/pprof/); off by default; loopback only unless --debug-listen-unsafe")
	fs.BoolVar(&o.debugUnsafe, "debug-listen-unsafe", false, "allow a --debug-listen address that is not loopback (pprof then exposes the process's internals to whoever reaches it)")
	fs.StringVar(&o.apiCompression, "api-compression", "auto", "gzip from the API server: auto (off in-cluster and on loopback, where it costs more CPU than it saves), on or off")
	fs.StringVar(&o.memoryLimit, "memory-limit", "", "memory the process may use, e.g. 512Mi; the garbage collector aims at 90% of it (default: the container's limit, from its cgroup; GOMEMLIMIT overrides both)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	if err := fs.Parse(args[1:]); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if len(o.frameAncestors) == 0 {
		o.frameAncestors = listFlag{"'self'"}
	}
	o.basePath = strings.TrimRight(o.basePath, "/")
	if o.basePath != "" && !strings.HasPrefix(o.basePath, "/") {
		return o, fmt.Errorf("--base-path %q must start with /", o.basePath)
	}
	switch o.apiCompression {
	case "auto", "on", "off":
	default:
		return o, fmt.Errorf("--api-compression %q: want auto, on or off", o.apiCompression)
	}
	if o.memoryLimit != "" {
		if _, err := parseMemoryLimit(o.memoryLimit); err != nil {
			return o, err
		}
	}
	for i, h := range o.allowedHosts {
		name, err := parseAllowedHost(h)
		if err != nil {
			return o, err
		}
		o.allowedHosts[i] = name
	}
	// pprof shows the process's internals (command line, goroutine stacks,
	// heap profiles) and lets whoever reaches it spend the process's CPU on
	// profiles and traces: a wildcard or LAN address must be asked for by name.
	if o.debugListen != "" && !isLoopback(o.debugListen) && !o.debugUnsafe {
		return o, fmt.Errorf("--debug-listen %q is not a loopback address, and pprof exposes the process's internals to whoever reaches it: "+
			"use 127.0.0.1:6060 (through kubectl port-forward in a cluster), or add --debug-listen-unsafe", o.debugListen)
	}
	for _, a := range o.frameAncestors {
		if strings.ContainsAny(a, ";,\"") {
			return o, fmt.Errorf("--frame-ancestors %q: not a CSP source", a)
		}
	}
	return o, nil
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// restConfig finds the cluster: explicit --kubeconfig, $KUBECONFIG or
// --context first, then in-cluster, then the default kubeconfig.
func restConfig(o options, getenv func(string) string) (*rest.Config, error) {
	env := getenv("KUBECONFIG")
	if o.kubeconfig != "" || env != "" || o.context != "" {
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		switch {
		case o.kubeconfig != "":
			rules.ExplicitPath = o.kubeconfig
		case env != "":
			rules.Precedence = filepath.SplitList(env)
		}
		cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: o.context}).ClientConfig()
		if err != nil {
			if clientcmd.IsEmptyConfig(err) {
				return nil, errNoCluster
			}
			return nil, fmt.Errorf("loading kubeconfig: %w", err)
		}
		return cfg, nil
	}
	if cfg, err := rest.InClusterConfig(); err == nil {
		return cfg, nil
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.Precedence = nil
	if home := getenv("HOME"); home != "" {
		rules.Precedence = []string{filepath.Join(home, clientcmd.RecommendedHomeDir, clientcmd.RecommendedFileName)}
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{}).ClientConfig()
	if err != nil {
		if clientcmd.IsEmptyConfig(err) {
			return nil, errNoCluster
		}
		return nil, fmt.Errorf("loading default kubeconfig: %w", err)
	}
	return cfg, nil
}

// run is the whole program: flags, cluster client, then serve until ctx ends.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if o.version {
		fmt.Fprintln(stderr, "podlens", version)
		return nil
	}
	log, err := newLogger(stderr, o.logLevel, o.logFormat)
	if err != nil {
		return err
	}
	setMemoryLimit(log, o.memoryLimit, getenv)

	var client kubernetes.Interface
	if o.demo {
		client = demo.NewClientset(ctx, time.Now)
		log.Info("demo mode: serving a simulated cluster")
	} else {
		cfg, err := restConfig(o, getenv)
		if err != nil {
			return err
		}
		// Reads are a few lists and long-lived watches; a modest rate limit
		// keeps relists after an outage gentle on the API server.
		cfg.QPS, cfg.Burst = 20, 40
		cfg.UserAgent = "podlens/" + version
		// Protobuf decodes several times faster than JSON: the first LIST
		// of every pod and each watch event (target in docs/performance.md: the first full page
		// within 1.5× a LIST, a status write on screen within 100 ms).
		cfg.ContentType = "application/vnd.kubernetes.protobuf"
		cfg.AcceptContentTypes = "application/vnd.kubernetes.protobuf,application/json"
		cfg.DisableCompression = !wantCompression(o.apiCompression, cfg.Host, getenv)
		// An unreachable API server is waited out inside the informers'
		// list and watch calls (internal/informers, untilReachable), the one
		// reconnect gate, so client-go's reflector backoff never grows over
		// an outage.
		client, err = kubernetes.NewForConfig(cfg)
		if err != nil {
			return fmt.Errorf("building kubernetes client: %w", err)
		}
		log.Info("watching cluster", "host", cfg.Host, "namespaces", o.namespaces.String(), "compression", !cfg.DisableCompression)
	}
	return serve(ctx, log, o, client)
}

// serve runs the cache, the publisher and the HTTP server until ctx ends,
// then shuts down gracefully: not ready → drain → close viewers (1001) →
// http.Server.Shutdown.
func serve(ctx context.Context, log *slog.Logger, o options, client kubernetes.Interface) error {
	now := time.Now
	// Work continues while draining: stop it only after the server is down.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()

	c := informers.New(client, informers.Options{Namespaces: o.namespaces})
	// The change queue's timer for AddAfter runs from New on: Start stops it
	// when workCtx ends, this when serve returns before Start.
	defer c.Changes().ShutDown()
	hub := live.NewHub(32)
	m := newMetrics(c, hub)
	s := live.Site{Demo: o.demo, FrameOrigins: strings.Join(o.frameAncestors, " ")}
	pub := live.NewPublisher(log, c, c.Changes(), c, hub, m.forPublisher(), s, now, live.PublisherConfig{})
	ready := &readiness{synced: c.Synced}
	var conns sync.WaitGroup
	handler := NewServer(log, serverConfig{
		site: s, basePath: o.basePath, watched: o.namespaces, frameAncestors: o.frameAncestors,
		hosts: newHostPolicy(o.allowedHosts, o.listen),
		ws: wsConfig{allowedOrigins: o.allowedOrigins, maxViewers: o.maxViewers,
			maxViews: o.maxViews, maxViewsPerClient: o.maxViewsPerClient},
	}, c, c, pub, ready, m, &conns, now)

	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", o.listen, err)
	}
	// Profiling, off unless --debug-listen: its own server and mux, never the
	// dashboard's router.
	debug, err := listenDebug(log, o.debugListen)
	if err != nil {
		ln.Close()
		return err
	}
	if err := c.Start(workCtx); err != nil {
		ln.Close()
		debug.close()
		return fmt.Errorf("starting informers: %w", err)
	}
	var work sync.WaitGroup
	// Verdicts that age with time alone (stuck terminating, unschedulable
	// for long) come back through the same queue at their RecheckAt.
	work.Go(func() { pub.Run(workCtx) })

	srv := &http.Server{
		Handler: handler,
		// The request line and headers: net/http's default is 1 MiB per
		// request; the dashboard's requests carry a few KiB, and 64 KiB
		// leaves room for the cookies of a portal's shared domain.
		MaxHeaderBytes:    maxHeaderBytes,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "url", "http://"+ln.Addr().String()+o.basePath+"/", "version", version)
	debug.start()

	select {
	case err := <-serveErr:
		debug.close()
		stopWork()
		work.Wait()
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}

	// There can be a period where a terminating pod still receives requests:
	// report not ready first and keep serving for a moment.
	ready.draining.Store(true)
	log.Info("shutting down", "drain", o.drain)
	select {
	case <-time.After(o.drain):
	case err := <-serveErr:
		log.Error("server stopped while draining", "error", err)
	}
	hub.Close() // viewers get 1001 going away and reconnect elsewhere
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	debug.shutdown(shutdownCtx) // after the dashboard, so the drain can be profiled
	conns.Wait()                // hijacked websockets are not tracked by Shutdown
	stopWork()
	work.Wait()
	if err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	log.Info("stopped")
	return nil
}
