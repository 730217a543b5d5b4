package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// newDebugHandler serves Go's pprof endpoints under /debug/pprof/ on a mux of
// its own. Importing net/http/pprof also registers them on
// http.DefaultServeMux, which nothing in Podlens serves; the dashboard's router
// answers 404 there (debug_test.go).
func newDebugHandler() http.Handler {
	mux := http.NewServeMux()
	// The same five routes net/http/pprof's init registers; Index serves the
	// named profiles (heap, allocs, goroutine, block, mutex, threadcreate).
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile) // CPU, ?seconds=N (default 30)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// debugServer is the --debug-listen server. A nil *debugServer is off: its
// methods do nothing.
type debugServer struct {
	srv  *http.Server
	ln   net.Listener
	log  *slog.Logger
	done chan struct{} // closed when Serve returns; nil until start
}

// listenDebug opens the --debug-listen address; addr "" is off (nil, nil).
func listenDebug(log *slog.Logger, addr string) (*debugServer, error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--debug-listen: listening on %s: %w", addr, err)
	}
	return &debugServer{
		srv: &http.Server{
			Handler:           newDebugHandler(),
			MaxHeaderBytes:    maxHeaderBytes,
			ReadHeaderTimeout: 10 * time.Second,
			// No WriteTimeout: /debug/pprof/profile and /trace write after
			// ?seconds=N, and net/http/pprof refuses N beyond the timeout.
			IdleTimeout: 120 * time.Second,
			ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
		ln: ln, log: log,
	}, nil
}

// start serves until shutdown or close. A serving error is logged, not
// fatal: the dashboard does not depend on its profiler.
func (d *debugServer) start() {
	if d == nil {
		return
	}
	addr := d.ln.Addr().String()
	if !isLoopback(addr) {
		d.log.Warn("--debug-listen is not a loopback address: the pprof endpoints expose the process's internals to whoever can reach it", "addr", addr)
	}
	d.done = make(chan struct{})
	go func() {
		defer close(d.done)
		if err := d.srv.Serve(d.ln); !errors.Is(err, http.ErrServerClosed) {
			d.log.Error("debug server stopped", "error", err)
		}
	}()
	d.log.Info("debug listening", "addr", addr, "url", "http://"+addr+"/debug/pprof/")
}

// shutdown stops the debug server gracefully until ctx ends, then closes it:
// a CPU profile in flight runs for its full ?seconds=N.
func (d *debugServer) shutdown(ctx context.Context) {
	if d == nil {
		return
	}
	if err := d.srv.Shutdown(ctx); err != nil {
		d.log.Warn("debug server shutdown", "error", err)
		_ = d.srv.Close()
	}
	d.wait()
}

// close stops the debug server at once, started or not.
func (d *debugServer) close() {
	if d == nil {
		return
	}
	_ = d.srv.Close()
	_ = d.ln.Close() // Close knows the listener only once Serve has it
	d.wait()
}

// wait returns once the serving goroutine, if started, has returned.
func (d *debugServer) wait() {
	if d.done != nil {
		<-d.done
	}
}

// isLoopback reports whether addr (host:port) listens on loopback only. An
// empty host (":6060") listens on every interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && isLoopbackHost(host)
}

// isLoopbackHost reports whether host (a name or an IP, no port) is this
// machine: localhost or a loopback address.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
