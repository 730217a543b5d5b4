package main

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// maxQuery bounds the query string: filters are short, and a huge query is
// either a mistake or an attack on the parsers.
const maxQuery = 8 << 10

const (
	// maxPath bounds the URL path, encoded or decoded. The longest real one
	// is an API pod URL: /api/v1/pods/ with a 63-character namespace and a
	// 253-character name (the limits of a DNS label and subdomain, see
	// https://kubernetes.io/docs/concepts/overview/working-with-objects/names/),
	// plus --base-path.
	maxPath = 2 << 10
	// maxDepth bounds the slashes in a path below --base-path. No route is
	// deeper than /api/v1/pods/{namespace}/{name} (5); the 404 page's
	// relative root grows with depth (relativeRoot), and must not grow with
	// an attacker's "////…".
	maxDepth = 16
)

// securityHeaders sets a strict CSP (no inline script or style, no eval),
// frame-ancestors from --frame-ancestors for portal embedding (so no
// X-Frame-Options), nosniff and no referrer. connect-src 'self' covers the
// page's own websocket: CSP Level 3 matches 'self' against ws: and wss: on
// the same host and port (https://www.w3.org/TR/CSP3/#match-url-to-source-expression);
// "ws: wss:" would let an injected script talk to any host.
func securityHeaders(frameAncestors []string) func(http.Handler) http.Handler {
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
		"frame-ancestors " + strings.Join(frameAncestors, " ")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "no-referrer")
			next.ServeHTTP(w, r)
		})
	}
}

// limitQuery refuses oversized query strings with 414.
func limitQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.RawQuery) > maxQuery {
			writeJSONError(w, http.StatusRequestURITooLong, "query string too long (limit 8 KiB)")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitPath bounds the work any one path can cause, before routing: a path
// longer than maxPath is refused with 414, one deeper than maxDepth below
// basePath with 404 (no route is that deep). Both answers are short and
// repeat nothing of the path. Without it, one request for a million slashes
// made a 36 MB error page (a "../" per slash in its relative links).
func limitPath(basePath string) func(http.Handler) http.Handler {
	depth := maxDepth + strings.Count(basePath, "/")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case len(r.URL.Path) > maxPath || len(r.URL.RawPath) > maxPath:
				writeJSONError(w, http.StatusRequestURITooLong, "path too long (limit 2 KiB)")
			case strings.Count(r.URL.Path, "/") > depth:
				writeJSONError(w, http.StatusNotFound, "page not found")
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// statusRecorder captures the status code for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController (and the websocket upgrade) reach the
// underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// requestLogger logs each request at debug level.
func requestLogger(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !log.Enabled(r.Context(), slog.LevelDebug) {
				next.ServeHTTP(w, r)
				return
			}
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(rec, r)
			log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
		})
	}
}

// recoverer turns a handler panic into a logged 500 with a generic message.
func recoverer(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("handler panic", "path", r.URL.Path, "panic", v)
					http.Error(w, "Internal error", http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// withBasePath serves h under basePath for proxies that do not strip the
// prefix: "/base" redirects to "/base/" (relative links need the slash),
// "/base/x" is served as "/x", anything else is 404.
func withBasePath(basePath string, h http.Handler) http.Handler {
	if basePath == "" {
		return h
	}
	strip := http.StripPrefix(basePath, h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == basePath:
			target := basePath + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
		case strings.HasPrefix(r.URL.Path, basePath+"/"):
			strip.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}
