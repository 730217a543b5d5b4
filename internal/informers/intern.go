package informers

import (
	"hash/maphash"
	"slices"
	"sync"
	"unique"
)

// Interning: most of what a pod holds is the same in every pod of its
// workload (images, probes, env, resources, volumes, tolerations, labels), and
// decoding gives each pod its own copy of every string, slice and map. The
// transform makes equal parts share one copy:
//
//   - strings go through Go's unique package (str), whose table forgets a
//     string once nothing holds it;
//   - larger parts (slices, maps, pointed-to structs) go through sharedValues,
//     keyed by a 128-bit seeded hash of their protobuf encoding, which keeps
//     at most 2×sharedGeneration entries.
//
// Shared parts are one more reason never to modify a cached object.

// str returns the canonical copy of s, made valid UTF-8 (see utf8.go).
func str(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(validString(s)).Value()
}

// strType interns a string-typed enum value (phase, reason, policy ...).
func strType[S ~string](s S) S {
	return S(str(string(s)))
}

// sharedGeneration bounds sharedValues: when the current generation holds
// this many entries it becomes the old one and the oldest is dropped, so
// the table never keeps more than twice this many values alive on its own
// (an entry costs about 60 bytes besides the value). Pods of one workload
// arrive together (a LIST is ordered by name) and values shared widely are
// moved back to the current generation whenever they are seen, so a small
// table loses little sharing.
const sharedGeneration = 1 << 11

// valueKey identifies a value by a 128-bit seeded hash of its kind and
// encoding. Two different values get the same key with probability about
// n²/2¹²⁹ for n values, so a mix-up needs on the order of 2⁶⁴ values.
type valueKey [2]uint64

// sharedValues maps a value's key to the one copy every cached object
// shares, in two generations (a bounded LRU-like table): a hit in the old
// generation moves the entry to the current one.
type sharedValues struct {
	seeds    [2]maphash.Seed
	mu       sync.Mutex
	cur, old map[valueKey]any
}

var shared = &sharedValues{
	seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
	cur:   make(map[valueKey]any),
}

func (t *sharedValues) key(b []byte) valueKey {
	return valueKey{maphash.Bytes(t.seeds[0], b), maphash.Bytes(t.seeds[1], b)}
}

// get returns the shared value for k, if any.
func (t *sharedValues) get(k valueKey) (any, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if v, ok := t.cur[k]; ok {
		return v, true
	}
	v, ok := t.old[k]
	if ok {
		t.insert(k, v)
	}
	return v, ok
}

// put stores v for k unless another caller stored one first, and returns
// the value to use.
func (t *sharedValues) put(k valueKey, v any) any {
	t.mu.Lock()
	defer t.mu.Unlock()
	if got, ok := t.cur[k]; ok {
		return got
	}
	if got, ok := t.old[k]; ok {
		v = got
	}
	t.insert(k, v)
	return v
}

func (t *sharedValues) insert(k valueKey, v any) {
	if len(t.cur) >= sharedGeneration {
		t.old, t.cur = t.cur, make(map[valueKey]any, sharedGeneration/4)
	}
	t.cur[k] = v
}

// size returns how many values the table holds (for tests).
func (t *sharedValues) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.cur) + len(t.old)
}

// protoMessage is implemented by every generated Kubernetes API type.
type protoMessage interface {
	Size() int
	MarshalToSizedBuffer([]byte) (int, error)
}

// kind separates the key spaces of the values the transform shares, so two
// values of different Go types never share a key.
type kind byte

const (
	kindNone kind = iota
	kindStrings
	kindArgsAfterSecretFlag
	kindPorts
	kindEnvFrom
	kindEnv
	kindResources
	kindProbe
	kindLifecycle
	kindSecurityContext
	kindContainerRestartPolicy
	kindContainers
	kindDecodedContainers
	kindVolumes
	kindNodeSelector
	kindPodSecurityContext
	kindImagePullSecrets
	kindAffinity
	kindTolerations
	kindReadinessGates
	kindOverhead
	kindTopologySpread
	kindSchedulingGates
	kindResourceClaims
	kindPodResources
	kindLabels
	kindOwnerReferences
	kindFinalizers
	kindInt32
	kindInt64
)

// keyOf returns the key of m's protobuf encoding in key space k; ok is
// false when m cannot be encoded (the value is then not shared).
func keyOf(buf *[]byte, k kind, m protoMessage) (valueKey, bool) {
	n := m.Size()
	b := slices.Grow((*buf)[:0], n+1)[:n+1]
	*buf = b
	b[0] = byte(k)
	if _, err := m.MarshalToSizedBuffer(b[1:]); err != nil {
		return valueKey{}, false
	}
	return shared.key(b), true
}

// shareValue returns the shared copy of the value keyed k, or stores the
// one build returns. build is called only on a miss, so it may copy or
// compact the value for keeping.
func shareValue[T any](k valueKey, ok bool, build func() T) T {
	if !ok {
		return build()
	}
	if v, hit := shared.get(k); hit {
		if t, same := v.(T); same {
			return t
		}
	}
	v := build()
	if t, same := shared.put(k, v).(T); same {
		return t
	}
	return v
}

// exact returns s in a backing array of its own length: decoders grow
// slices by doubling, so a decoded slice often has room for more elements
// than it holds.
func exact[E any](s []E) []E {
	if len(s) == 0 {
		return nil
	}
	if cap(s) == len(s) {
		return s
	}
	return slices.Clone(s)
}

// sharedInt returns a shared pointer to the value *p.
func sharedInt[I ~int32 | ~int64](buf *[]byte, k kind, p *I) *I {
	if p == nil {
		return nil
	}
	v := uint64(*p)
	b := append((*buf)[:0], byte(k), byte(v), byte(v>>8), byte(v>>16), byte(v>>24), byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
	*buf = b
	return shareValue(shared.key(b), true, func() *I { return p })
}

// Canonical booleans for *bool fields.
var (
	sharedTrue  = func() *bool { b := true; return &b }()
	sharedFalse = func() *bool { b := false; return &b }()
)

func sharedBool(p *bool) *bool {
	switch {
	case p == nil:
		return nil
	case *p:
		return sharedTrue
	default:
		return sharedFalse
	}
}
