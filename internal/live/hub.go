package live

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/gorilla/websocket"
)

// errHubClosed is returned by Subscribe once the server is shutting down.
var errHubClosed = errors.New("hub closed")

// Hub fans rendered fragments out to websocket subscribers, by topic (one
// topic per distinct view: the same filters, language and kept parameters).
// Publish never blocks: a subscriber whose buffer is full is dropped and must
// reconnect; it then gets a fresh snapshot, so nothing is lost but time.
type Hub struct {
	buffer int

	mu     sync.Mutex
	topics map[string]map[*Subscription]struct{}
	count  int
	closed bool

	published atomic.Uint64 // messages queued to a subscriber
	dropped   atomic.Uint64 // messages not queued because the subscriber was too slow
	slow      atomic.Uint64 // subscribers dropped for being too slow
}

// NewHub returns a hub whose subscribers each buffer up to buffer messages.
func NewHub(buffer int) *Hub {
	if buffer < 1 {
		buffer = 1
	}
	return &Hub{buffer: buffer, topics: map[string]map[*Subscription]struct{}{}}
}

// Subscription is one viewer's queue. C is closed when the hub drops the
// viewer (too slow), when the hub closes, or when the viewer leaves.
type Subscription struct {
	hub   *Hub
	topic string
	ch    chan []byte
	// code and text say why C was closed, for the websocket close frame.
	code int
	text string
	once sync.Once
}

// C delivers messages in publish order. Messages are shared between
// subscribers: never modify one.
func (s *Subscription) C() <-chan []byte { return s.ch }

// Topic is the view the subscription follows.
func (s *Subscription) Topic() string { return s.topic }

// Close unsubscribes (the viewer went away). Safe to call more than once.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.removeLocked(s, websocket.CloseNormalClosure, "")
}

// CloseReason says why C was closed: 1008 for a viewer too slow to keep up,
// 1001 when the server is going away, 1000 otherwise. Valid once C is closed.
func (s *Subscription) CloseReason() (code int, text string) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.code, s.text
}

// Offer queues msg for this subscriber alone (the snapshot on connect),
// without blocking, and reports whether it was queued. Call with the hub's
// lock not held.
func (s *Subscription) Offer(msg []byte) bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.hub.sendLocked(s, msg)
}

// Subscribe adds a subscriber to topic.
func (h *Hub) Subscribe(topic string) (*Subscription, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errHubClosed
	}
	s := &Subscription{hub: h, topic: topic, ch: make(chan []byte, h.buffer)}
	subs := h.topics[topic]
	if subs == nil {
		subs = map[*Subscription]struct{}{}
		h.topics[topic] = subs
	}
	subs[s] = struct{}{}
	h.count++
	return s, nil
}

// Publish queues msg for every subscriber of topic and returns how many got
// it. It never blocks: if a subscriber's buffer is full, the subscriber is
// disconnected, so one slow browser never slows the others.
func (h *Hub) Publish(topic string, msg []byte) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for s := range h.topics[topic] {
		if h.sendLocked(s, msg) {
			n++
		}
	}
	return n
}

// sendLocked sends without blocking, dropping the subscriber when full.
// Sends and closes of a subscription's channel happen only under h.mu, and
// only while it is registered, so a send never hits a closed channel.
func (h *Hub) sendLocked(s *Subscription, msg []byte) bool {
	if _, ok := h.topics[s.topic][s]; !ok {
		return false
	}
	select {
	case s.ch <- msg:
		h.published.Add(1)
		return true
	default:
		h.dropped.Add(1)
		h.slow.Add(1)
		h.removeLocked(s, websocket.ClosePolicyViolation, "too slow")
		return false
	}
}

func (h *Hub) removeLocked(s *Subscription, code int, text string) {
	subs, ok := h.topics[s.topic]
	if !ok {
		return
	}
	if _, ok := subs[s]; !ok {
		return
	}
	delete(subs, s)
	if len(subs) == 0 {
		delete(h.topics, s.topic)
	}
	h.count--
	s.once.Do(func() {
		s.code, s.text = code, text
		close(s.ch)
	})
}

// Count returns the number of subscribers of topic.
func (h *Hub) Count(topic string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.topics[topic])
}

// Len returns the number of subscribers.
func (h *Hub) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.count
}

// Published counts the messages queued to a subscriber, for the metrics.
func (h *Hub) Published() uint64 { return h.published.Load() }

// Dropped counts the messages not queued because a subscriber was too slow.
func (h *Hub) Dropped() uint64 { return h.dropped.Load() }

// DroppedSlow counts the subscribers dropped for being too slow.
func (h *Hub) DroppedSlow() uint64 { return h.slow.Load() }

// Close disconnects every subscriber with "going away" and refuses new ones.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, subs := range h.topics {
		for s := range subs {
			h.removeLocked(s, websocket.CloseGoingAway, "server shutting down")
		}
	}
}
