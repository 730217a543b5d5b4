package diagnose

import "time"

// clock is the instant a diagnosis is made at. The rules compare it with the
// cluster's timestamps only through reached and within, which also note the
// earliest later instant at which an answer they gave would flip. That
// instant becomes the diagnosis's RecheckAt, so RecheckAt is complete by
// construction: a rule cannot make a decision that ages without saying when.
//
// A comparison whose answer a rule then ignores still counts: RecheckAt may
// come earlier than a visible change (the caller finds the same diagnosis
// and shows nothing new), never later.
type clock struct {
	now time.Time
	// next is the earliest instant after now at which an answer flips;
	// zero while no answer can.
	next time.Time
}

func newClock(now time.Time) *clock { return &clock{now: now} }

// reached reports whether d has passed since t (now ≥ t+d). Until it has,
// the answer flips at t+d exactly.
func (c *clock) reached(t time.Time, d time.Duration) bool {
	at := t.Add(d)
	if !c.now.Before(at) {
		return true
	}
	if c.next.IsZero() || at.Before(c.next) {
		c.next = at
	}
	return false
}

// within reports whether t is at most d ago (now ≤ t+d). While it is, the
// answer flips one nanosecond after t+d.
func (c *clock) within(t time.Time, d time.Duration) bool {
	return !c.reached(t, d+time.Nanosecond)
}
