package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestReconnectGate(t *testing.T) {
	// A port that refuses connections until the test listens on it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g := newReconnectGate(ctx, &http.Transport{DisableKeepAlives: true}, "http://"+addr)
	g.interval = 10 * time.Millisecond
	client := &http.Client{Transport: g}

	t.Run("a refused connection fails the request and closes the gate", func(t *testing.T) {
		if _, err := client.Get("http://" + addr + "/"); err == nil {
			t.Fatal("request to a closed port succeeded")
		}
		g.mu.Lock()
		closed := g.up != nil
		g.mu.Unlock()
		if !closed {
			t.Fatal("gate still open after a refused connection")
		}
	})

	t.Run("a request waiting at the closed gate gives up with its context", func(t *testing.T) {
		rctx, rcancel := context.WithCancel(context.Background())
		rcancel()
		req, _ := http.NewRequestWithContext(rctx, http.MethodGet, "http://"+addr+"/", nil)
		if _, err := client.Do(req); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})

	t.Run("a waiting request goes through once the server is back", func(t *testing.T) {
		done := make(chan error, 1)
		go func() {
			resp, err := client.Get("http://" + addr + "/")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusNoContent {
					err = errors.New(resp.Status)
				}
			}
			done <- err
		}()
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		})}
		go srv.Serve(l)
		defer srv.Close()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("request after the server came back: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the request waiting at the gate did not go through within 10s of the server coming back")
		}
	})

	t.Run("hostPort fills in the scheme's default port", func(t *testing.T) {
		for in, want := range map[string]string{
			"https://10.0.0.1":          "10.0.0.1:443",
			"https://10.0.0.1:6443/":    "10.0.0.1:6443",
			"http://localhost":          "localhost:80",
			"[::1]:6443":                "[::1]:6443",
			"https://[fd00::1]/prefix/": "[fd00::1]:443",
		} {
			if got := hostPort(in); got != want {
				t.Errorf("hostPort(%q) = %q, want %q", in, got, want)
			}
		}
	})
}
