package testfleet_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/podlens/podlens/internal/testfleet"
)

func TestFleet(t *testing.T) {
	t.Parallel()
	t.Run("pod names are unique and valid DNS labels", func(t *testing.T) {
		seen := map[string]bool{}
		for i := range 50000 {
			p := testfleet.At(i)
			key := p.Namespace + "/" + p.Name
			if seen[key] {
				t.Fatalf("pod %d repeats %s", i, key)
			}
			seen[key] = true
			if len(p.Name) > 63 {
				t.Fatalf("pod %d name %q is longer than 63 characters", i, p.Name)
			}
		}
	})
	t.Run("one pod in ten fails", func(t *testing.T) {
		failing := 0
		for i := range 10000 {
			if testfleet.At(i).Failure != testfleet.Healthy {
				failing++
			}
		}
		if failing != 1000 {
			t.Errorf("failing pods = %d of 10000, want 1000", failing)
		}
	})
	t.Run("a stored pod is the same at the same time", func(t *testing.T) {
		now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
		for i := range 20 {
			if diff := cmp.Diff(testfleet.At(i).Stored(now), testfleet.At(i).Stored(now)); diff != "" {
				t.Fatalf("pod %d differs between two calls (-first +second):\n%s", i, diff)
			}
		}
	})
}
