package live

import (
	"testing"

	"github.com/gorilla/websocket"
)

func TestHub(t *testing.T) {
	t.Parallel()
	t.Run("a published message reaches the topic's subscribers only", func(t *testing.T) {
		t.Parallel()
		h := NewHub(4)
		a, _ := h.Subscribe("a")
		b, _ := h.Subscribe("b")
		if got := h.Publish("a", []byte("hello")); got != 1 {
			t.Fatalf("Publish delivered to %d, want 1", got)
		}
		select {
		case msg := <-a.C():
			if string(msg) != "hello" {
				t.Fatalf("got %q, want hello", msg)
			}
		default:
			t.Fatal("expected a message on topic a")
		}
		select {
		case msg := <-b.C():
			t.Fatalf("topic b got %q, want nothing", msg)
		default:
		}
	})
	t.Run("a full subscriber is dropped as too slow without blocking the others", func(t *testing.T) {
		t.Parallel()
		h := NewHub(2)
		slow, _ := h.Subscribe("t")
		fast, _ := h.Subscribe("t")
		for i := range 3 {
			h.Publish("t", []byte{byte(i)})
			receive(t, fast.C()) // the fast one keeps up
		}
		// slow holds two messages, then its channel is closed.
		for range 2 {
			if _, ok := receive(t, slow.C()); !ok {
				t.Fatal("slow subscriber lost its queued messages")
			}
		}
		if _, ok := receive(t, slow.C()); ok {
			t.Fatal("slow subscriber still open, want closed")
		}
		if code, text := slow.CloseReason(); code != websocket.ClosePolicyViolation || text != "too slow" {
			t.Fatalf("CloseReason = %d %q, want 1008 \"too slow\"", code, text)
		}
		if got, want := h.Len(), 1; got != want {
			t.Fatalf("Len = %d, want %d", got, want)
		}
		if got := h.slow.Load(); got != 1 {
			t.Fatalf("slow viewers = %d, want 1", got)
		}
	})
	t.Run("close disconnects everyone as going away and refuses new subscribers", func(t *testing.T) {
		t.Parallel()
		h := NewHub(2)
		s, _ := h.Subscribe("t")
		h.Close()
		if _, ok := receive(t, s.C()); ok {
			t.Fatal("subscription still open after Close")
		}
		if code, _ := s.CloseReason(); code != websocket.CloseGoingAway {
			t.Fatalf("CloseReason = %d, want 1001", code)
		}
		if _, err := h.Subscribe("t"); err != errHubClosed {
			t.Fatalf("Subscribe after Close: err = %v, want errHubClosed", err)
		}
		h.Publish("t", []byte("x")) // must not panic
	})
	t.Run("a subscriber closing itself is removed once", func(t *testing.T) {
		t.Parallel()
		h := NewHub(2)
		s, _ := h.Subscribe("t")
		s.Close()
		s.Close()
		if got := h.Count("t"); got != 0 {
			t.Fatalf("Count = %d, want 0", got)
		}
		if code, _ := s.CloseReason(); code != websocket.CloseNormalClosure {
			t.Fatalf("CloseReason = %d, want 1000", code)
		}
	})
}
