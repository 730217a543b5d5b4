package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// stamps records, per pod name, the latest status write the churner sent
// and when, so viewers can time how long its frame took to arrive.
type stamps struct {
	mu sync.RWMutex
	m  map[string]stamp
}

type stamp struct {
	seq  int64
	sent time.Time
}

func newStamps() *stamps { return &stamps{m: map[string]stamp{}} }

func (s *stamps) set(name string, st stamp) {
	s.mu.Lock()
	s.m[name] = st
	s.mu.Unlock()
}

func (s *stamps) get(name string) (stamp, bool) {
	s.mu.RLock()
	st, ok := s.m[name]
	s.mu.RUnlock()
	return st, ok
}

// churnPrefix starts the name of every pod the churner updates.
const churnPrefix = "churn-"

// churnNames returns the churn pod names a frame mentions.
func churnNames(msg []byte) []string {
	var names []string
	s := string(msg)
	for {
		i := strings.Index(s, churnPrefix)
		if i < 0 {
			return names
		}
		s = s[i+len(churnPrefix):]
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > 0 {
			names = append(names, churnPrefix+s[:j])
		}
		s = s[j:]
	}
}

// viewer is one websocket client of the dashboard.
type viewer struct {
	conn   *websocket.Conn
	bytes  atomic.Int64
	frames atomic.Int64
	first  chan struct{} // closed when the first frame arrived
	done   chan struct{} // closed when the read loop ended
	err    error         // why the read loop ended, read after done
}

// viewers is a set of connected viewers and the latencies they observed.
type viewers struct {
	url, origin string
	stamps      *stamps // nil for idle viewers: frames are counted, not read
	list        []*viewer

	mu        sync.Mutex
	latencies []time.Duration
}

func newViewers(base, path string, st *stamps) *viewers {
	return &viewers{url: "ws" + strings.TrimPrefix(base, "http") + path, origin: base, stamps: st}
}

// connect dials until n viewers are connected.
func (vs *viewers) connect(ctx context.Context, n int) error {
	dialer := websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 1024}
	if vs.stamps == nil {
		dialer.ReadBufferSize = 1024
	}
	hdr := http.Header{"Origin": {vs.origin}}
	for len(vs.list) < n {
		conn, resp, err := dialer.DialContext(ctx, vs.url, hdr)
		if err != nil {
			status := ""
			if resp != nil {
				status = " (" + resp.Status + ")"
			}
			return fmt.Errorf("viewer %d: dialing %s%s: %w", len(vs.list)+1, vs.url, status, err)
		}
		v := &viewer{conn: conn, first: make(chan struct{}), done: make(chan struct{})}
		vs.list = append(vs.list, v)
		go vs.read(v)
	}
	return nil
}

// read counts v's frames and, for timed viewers, records the latency of
// every churn write a frame shows for the first time.
func (vs *viewers) read(v *viewer) {
	defer close(v.done)
	seen := map[string]int64{}
	for {
		if vs.stamps == nil {
			_, r, err := v.conn.NextReader()
			if err != nil {
				v.err = err
				return
			}
			n, err := io.Copy(io.Discard, r)
			v.bytes.Add(n)
			if err != nil {
				v.err = err
				return
			}
		} else {
			_, msg, err := v.conn.ReadMessage()
			now := time.Now()
			if err != nil {
				v.err = err
				return
			}
			v.bytes.Add(int64(len(msg)))
			for _, name := range churnNames(msg) {
				st, ok := vs.stamps.get(name)
				if !ok || st.seq <= seen[name] {
					continue
				}
				seen[name] = st.seq
				vs.mu.Lock()
				vs.latencies = append(vs.latencies, now.Sub(st.sent))
				vs.mu.Unlock()
			}
		}
		if v.frames.Add(1) == 1 {
			close(v.first)
		}
	}
}

// waitFirstFrames waits until every viewer got its first frame (the full
// table the dashboard sends on connect) or timeout passes, and returns how
// many did.
func (vs *viewers) waitFirstFrames(ctx context.Context, timeout time.Duration) int {
	deadline := time.After(timeout)
	got := 0
	for _, v := range vs.list {
		select {
		case <-v.first:
			got++
		case <-v.done:
		case <-deadline:
			return got
		case <-ctx.Done():
			return got
		}
	}
	return got
}

// totalBytes is what every viewer has received so far.
func (vs *viewers) totalBytes() int64 {
	var n int64
	for _, v := range vs.list {
		n += v.bytes.Load()
	}
	return n
}

// dropped counts viewers whose connection ended.
func (vs *viewers) dropped() (int, error) {
	n := 0
	var first error
	for _, v := range vs.list {
		select {
		case <-v.done:
			n++
			if first == nil {
				first = v.err
			}
		default:
		}
	}
	return n, first
}

// takeLatencies returns and clears the recorded latencies.
func (vs *viewers) takeLatencies() []time.Duration {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	l := vs.latencies
	vs.latencies = nil
	return l
}

// close disconnects every viewer and waits for their read loops.
func (vs *viewers) close() {
	for _, v := range vs.list {
		_ = v.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		_ = v.conn.Close()
	}
	for _, v := range vs.list {
		<-v.done
	}
	vs.list = nil
}
