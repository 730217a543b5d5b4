package live

import (
	"testing"
	"time"
)

// receive takes one message from a subscription's channel, failing the test
// instead of hanging when none comes; ok is false once the channel is closed.
func receive(t testing.TB, ch <-chan []byte) (msg []byte, ok bool) {
	t.Helper()
	select {
	case msg, ok = <-ch:
		return msg, ok
	case <-time.After(10 * time.Second):
		t.Fatal("no message and no close within 10s")
		return nil, false
	}
}
