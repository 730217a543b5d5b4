package main

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"github.com/podlens/podlens/internal/live"
)

const (
	// writeWait is the time allowed to write a message to the peer.
	writeWait = 10 * time.Second
	// pongWait is the time allowed to read the next pong from the peer.
	pongWait = 60 * time.Second
	// pingPeriod sends pings to the peer with this period. Must be less than pongWait.
	pingPeriod = (pongWait * 9) / 10
	// maxMessageSize bounds what a viewer may send; the dashboard reads nothing.
	maxMessageSize = 4 << 10
)

// wsConfig is the websocket endpoint's policy.
type wsConfig struct {
	// allowedOrigins are origins accepted besides the page's own.
	allowedOrigins []string
	// maxViewers caps concurrent viewers; beyond it the upgrade gets 503.
	maxViewers int
	// maxViews caps distinct views (each rendered on every change it shows);
	// a viewer opening one more gets 503, one joining an open view does
	// not. 0: defaultMaxViews; negative: no cap.
	maxViews int
	// maxViewsPerClient caps the distinct views one client address follows;
	// beyond it the upgrade gets 429. 0: defaultMaxViewsPerClient;
	// negative: no cap (behind a proxy every viewer has the proxy's address).
	maxViewsPerClient int
}

// checkOrigin accepts same-origin requests (gorilla's default: no Origin, or
// an Origin whose host equals the request's Host) plus the allow-list.
func checkOrigin(allowed []string) func(r *http.Request) bool {
	return func(r *http.Request) bool {
		origin := r.Header.Get("Origin")
		if origin == "" {
			return true
		}
		u, err := url.Parse(origin)
		if err != nil {
			return false
		}
		if strings.EqualFold(u.Host, r.Host) {
			return true
		}
		return slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(strings.TrimSuffix(a, "/"), origin) })
	}
}

// viewJoiner subscribes a viewer to a view, its snapshot queued first. The
// websocket endpoint needs nothing else from the publisher.
type viewJoiner interface {
	Join(live.View) (*live.Subscription, error)
}

// handleWS admits a viewer within cfg's limits, upgrades it, joins it to its
// view (the view's snapshot is its first message) and runs one read and one
// write pump. conns lets shutdown wait for the pumps to finish. Viewers are
// counted by the admission, not by the hub (the hub counts them only once
// they have joined, after the upgrade).
func handleWS(log *slog.Logger, views viewJoiner, cfg wsConfig, conns *sync.WaitGroup) http.Handler {
	originOK := checkOrigin(cfg.allowedOrigins)
	upgrader := websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 8192,
		// Most viewers are idle most of the time: borrow the write buffer
		// for each write instead of holding 8 KiB per connection.
		WriteBufferPool:  &sync.Pool{},
		HandshakeTimeout: 10 * time.Second,
		CheckOrigin:      originOK,
	}
	admit := newAdmission(cfg)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !originOK(r) {
			writeJSONError(w, http.StatusForbidden, "websocket origin not allowed")
			return
		}
		v, errs := parseView(r, "")
		if len(errs) > 0 {
			writeJSONError(w, http.StatusBadRequest, errs[0].Msg)
			return
		}
		// The place is taken before the upgrade and given back when the
		// viewer's pumps end or the upgrade fails: checking a count that
		// grows only after the upgrade let concurrent upgrades all pass.
		release, status, msg := admit.admit(clientOf(r), v.Topic())
		if release == nil {
			w.Header().Set("Retry-After", "10")
			writeJSONError(w, status, msg)
			return
		}
		defer release()
		// Counted before the upgrade, while http.Server.Shutdown still
		// tracks this request: once Shutdown returns, every viewer is
		// counted, and conns.Wait cannot miss one that was starting.
		conns.Add(1)
		defer conns.Done()
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has replied with an HTTP error
		}
		sub, err := views.Join(v)
		if err != nil { // shutting down
			_ = conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), time.Now().Add(writeWait))
			_ = conn.Close()
			return
		}
		go readPump(conn, sub)
		writePump(log, conn, sub)
	})
}

// readPump discards what the viewer sends, answers pings and notices when
// the viewer goes away (then closing its subscription ends writePump).
func readPump(conn *websocket.Conn, sub *live.Subscription) {
	defer sub.Close()
	conn.SetReadLimit(maxMessageSize)
	_ = conn.SetReadDeadline(time.Now().Add(pongWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		if _, _, err := conn.NextReader(); err != nil {
			return
		}
	}
}

// writePump sends queued messages and pings. The application ensures that
// there is at most one writer to a connection by executing all writes from
// this goroutine.
func writePump(log *slog.Logger, conn *websocket.Conn, sub *live.Subscription) {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		sub.Close()
		_ = conn.Close()
	}()
	for {
		select {
		case msg, ok := <-sub.C():
			_ = conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				code, text := sub.CloseReason()
				if code == websocket.ClosePolicyViolation {
					log.Info("dropping slow viewer", "topic", sub.Topic())
				}
				_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, text))
				return
			}
			w, err := conn.NextWriter(websocket.TextMessage)
			if err != nil {
				logWSError(log, err)
				return
			}
			// One message per frame: the browser parses each frame as one
			// fragment, and table parts must not share one with other tags.
			_, _ = w.Write(validUTF8(msg))
			if err := w.Close(); err != nil {
				logWSError(log, err)
				return
			}
		case <-ticker.C:
			_ = conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				logWSError(log, err)
				return
			}
		}
	}
}

// validUTF8 returns msg, or a copy with every run of invalid bytes replaced
// by U+FFFD. A text frame must be UTF-8 (RFC 6455, section 8.1) and a browser
// fails the whole connection on one that is not, so no cluster text, however
// it reached a fragment, may end a viewer's live updates. Checking is one
// pass over bytes already about to be copied; copying happens only for the
// invalid message, which is shared and never modified in place.
func validUTF8(msg []byte) []byte {
	if utf8.Valid(msg) {
		return msg
	}
	return bytes.ToValidUTF8(msg, []byte(string(utf8.RuneError)))
}

// logWSError logs unexpected errors; a viewer leaving is not one.
func logWSError(log *slog.Logger, err error) {
	if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway) ||
		errors.Is(err, websocket.ErrCloseSent) || errors.Is(err, net.ErrClosed) {
		return
	}
	log.Debug("websocket write failed", "error", err)
}
