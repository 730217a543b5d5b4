package main

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/live"
	"github.com/podlens/podlens/web/static"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// serverConfig is what the HTTP surface needs from the flags.
type serverConfig struct {
	site           live.Site
	basePath       string
	watched        []string // empty: every namespace
	frameAncestors []string
	// hosts are the Host headers served (--allowed-hosts, --listen); others get 421.
	hosts hostPolicy
	ws    wsConfig
}

// NewServer builds the dashboard's HTTP handler. In front of every route,
// the websocket included: the Host check (DNS rebinding), then the bounds on
// the path, then --base-path.
func NewServer(log *slog.Logger, cfg serverConfig, store informers.Store, state cacheState, pub *live.Publisher,
	ready *readiness, m *metrics, conns *sync.WaitGroup, now func() time.Time) http.Handler {
	r := chi.NewRouter()
	addRoutes(r, log, cfg, store, state, pub, ready, m, conns, now)
	return requireAllowedHost(log, cfg.hosts)(limitPath(cfg.basePath)(withBasePath(cfg.basePath, r)))
}

// addRoutes lists every URL the dashboard serves. All are GET (and HEAD,
// answered by the GET handler without a body, for uptime checkers and
// curl -I): the dashboard is read-only.
func addRoutes(r chi.Router, log *slog.Logger, cfg serverConfig, store informers.Store, state cacheState, pub *live.Publisher,
	ready *readiness, m *metrics, conns *sync.WaitGroup, now func() time.Time) {
	s, watched := cfg.site, cfg.watched
	r.Use(recoverer(log), requestLogger(log), securityHeaders(cfg.frameAncestors), limitQuery, middleware.GetHead)

	r.Method(http.MethodGet, "/", handlePodsPage(log, pub, pub, s, watched, m, now))                              // GET / - pod list, problems first
	r.Method(http.MethodGet, "/pods/{namespace}/{name}", handlePodPage(log, pub, store, pub, s, watched, m, now)) // GET /pods/ns/name - one pod
	r.Method(http.MethodGet, "/nodes", handleNodesPage(log, store, pub, pub, s, m, now))                          // GET /nodes - node list
	r.Method(http.MethodGet, "/nodes/{name}", handleNodePage(log, store, pub, pub, s, m, now))                    // GET /nodes/name - one node
	r.Method(http.MethodGet, "/ws", handleWS(log, pub, cfg.ws, conns))                                            // GET /ws?view=… - live updates

	r.Route("/api/v1", func(r chi.Router) {
		r.Method(http.MethodGet, "/pods", handleAPIPods(pub, state, watched, now))                          // GET /api/v1/pods
		r.Method(http.MethodGet, "/pods/{namespace}/{name}", handleAPIPod(pub, store, state, watched, now)) // GET /api/v1/pods/ns/name
		r.Method(http.MethodGet, "/summary", handleAPISummary(pub, state, watched, now))                    // GET /api/v1/summary
		r.Method(http.MethodGet, "/nodes", handleAPINodes(store, pub, state, now))                          // GET /api/v1/nodes
		r.NotFound(handleNotFound(log, s, m).ServeHTTP)
		r.MethodNotAllowed(handleAPINotAllowed().ServeHTTP)
	})

	r.Method(http.MethodGet, "/healthz", handleHealthz())                                    // process is up
	r.Method(http.MethodGet, "/readyz", handleReadyz(ready))                                 // caches synced, not draining
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})) // Prometheus
	r.Method(http.MethodGet, "/static/*", http.StripPrefix("/static", static.Handler()))     // embedded assets
	r.NotFound(handleNotFound(log, s, m).ServeHTTP)
}
