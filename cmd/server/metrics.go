package main

import (
	"github.com/podlens/podlens/internal/live"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the dashboard's Prometheus metrics, on a registry of its own
// (no global state: tests build as many servers as they like).
type metrics struct {
	reg             *prometheus.Registry
	renderSeconds   *prometheus.HistogramVec
	diagnoseSeconds prometheus.Histogram
	lastChange      prometheus.Gauge
	disconnects     prometheus.Counter
}

func newMetrics(state cacheState, hub *live.Hub) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		renderSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "podlens_render_seconds",
			Help:    "Time to render a page or a websocket push.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 9),
		}, []string{"what"}),
		diagnoseSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "podlens_diagnose_seconds",
			Help:    "Time to diagnose one pod.",
			Buckets: prometheus.ExponentialBuckets(0.00001, 4, 9),
		}),
		lastChange: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "podlens_last_change_timestamp_seconds",
			Help: "When the publisher last processed a pod change (Unix time).",
		}),
		disconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "podlens_cache_disconnects_total",
			Help: "Times the API server became unreachable and the data went stale (the watches then restart).",
		}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.renderSeconds, m.diagnoseSeconds, m.lastChange, m.disconnects,
		&cacheCollector{state: state},
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "podlens_viewers", Help: "Websocket viewers connected."},
			func() float64 { return float64(hub.Len()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "podlens_updates_pushed_total", Help: "Messages queued to viewers."},
			func() float64 { return float64(hub.Published()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "podlens_updates_dropped_total", Help: "Messages not delivered because a viewer was too slow."},
			func() float64 { return float64(hub.Dropped()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "podlens_viewers_dropped_slow_total", Help: "Viewers disconnected for being too slow."},
			func() float64 { return float64(hub.DroppedSlow()) }),
	)
	return m
}

// forPublisher are the observers the publisher reports to.
func (m *metrics) forPublisher() live.PublisherMetrics {
	return live.PublisherMetrics{
		DiagnoseSeconds: m.diagnoseSeconds,
		PushSeconds:     m.renderSeconds.WithLabelValues("push"),
		LastChange:      m.lastChange,
		Disconnects:     m.disconnects,
	}
}

// cacheCollector reports the cache's state at scrape time.
type cacheCollector struct{ state cacheState }

var (
	syncedDesc  = prometheus.NewDesc("podlens_cache_synced", "Whether the cache of a resource has synced (1) or not (0).", []string{"resource"}, nil)
	objectDesc  = prometheus.NewDesc("podlens_cache_objects", "Objects in the cache, by resource.", []string{"resource"}, nil)
	restartDesc = prometheus.NewDesc("podlens_cache_watch_restarts_total", "List/watch failures the informers retried, by resource.", []string{"resource"}, nil)
	lastDesc    = prometheus.NewDesc("podlens_cache_last_event_timestamp_seconds", "When the last change of a resource was delivered (Unix time).", []string{"resource"}, nil)
	connDesc    = prometheus.NewDesc("podlens_cache_connected", "Whether the API server is reachable (1) or the data is stale (0).", nil, nil)
)

// Describe implements prometheus.Collector.
func (c *cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- syncedDesc
	ch <- objectDesc
	ch <- restartDesc
	ch <- lastDesc
	ch <- connDesc
}

// Collect implements prometheus.Collector.
func (c *cacheCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.state.Status()
	for _, r := range st.Resources {
		ch <- prometheus.MustNewConstMetric(syncedDesc, prometheus.GaugeValue, b2f(r.Synced), string(r.Resource))
		ch <- prometheus.MustNewConstMetric(objectDesc, prometheus.GaugeValue, float64(r.Loaded), string(r.Resource))
		ch <- prometheus.MustNewConstMetric(restartDesc, prometheus.CounterValue, float64(r.WatchRestarts), string(r.Resource))
		if !r.LastEventTime.IsZero() {
			ch <- prometheus.MustNewConstMetric(lastDesc, prometheus.GaugeValue, float64(r.LastEventTime.UnixNano())/1e9, string(r.Resource))
		}
	}
	ch <- prometheus.MustNewConstMetric(connDesc, prometheus.GaugeValue, b2f(st.Connected))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
