package informers

import (
	"reflect"
	"strings"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
)

// Every string the cache keeps is valid UTF-8. The API server checks
// UTF-8 only in JSON: a client that writes protobuf can put any bytes in an
// owner's name, a termination message, an event's message or a node's
// condition, and Go carries them through templates and encoding/json as
// they are. A websocket text frame that is not valid UTF-8 must fail the
// connection (RFC 6455, section 8.1), so one such string would disconnect
// every viewer of the pages that show it, again after every reconnect. The
// transform therefore replaces each run of invalid bytes with U+FFFD, as
// strings.ToValidUTF8 does, before anything is cached.
//
// Strings that are already valid, which is all of them in a normal
// cluster, are kept as they are, at the cost of one utf8.ValidString.

// replacementChar replaces each run of bytes that is not valid UTF-8.
const replacementChar = "\uFFFD"

// validString returns s if it is valid UTF-8, and otherwise s with each run
// of invalid bytes replaced by U+FFFD.
func validString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, replacementChar)
}

// validType is validString for string-typed values (UIDs, enums).
func validType[S ~string](s S) S {
	return S(validString(string(s)))
}

// makeValidUTF8 makes every exported string reachable from v valid UTF-8 in
// place, map keys included; v is a pointer, slice or map. It is the way to
// cover the parts the transform keeps as decoded (probes, volumes,
// affinity ...), whose fields it does not name one by one, so a field a
// later API version adds there is covered too.
//
// It writes only where a string is invalid, so shared values, being valid,
// are only read; and it allocates nothing when every string is valid, but
// for maps of types other than map[string]string and corev1.ResourceList,
// which pods, events and nodes do not have.
func makeValidUTF8(v any) {
	fixStrings(reflect.ValueOf(v))
}

// fixStrings is makeValidUTF8 on a reflected value; strings are fixed only
// where they are settable (reached through a pointer, slice or map).
func fixStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); !utf8.ValidString(s) && v.CanSet() {
			v.SetString(strings.ToValidUTF8(s, replacementChar))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			fixStrings(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			// CanInterface is false for unexported fields (the caches
			// inside resource.Quantity and time.Time), which are not
			// text the dashboard shows.
			if f := v.Field(i); f.CanInterface() {
				fixStrings(f)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes (raw JSON), never shown as text
		}
		for i := range v.Len() {
			fixStrings(v.Index(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			fixStrings(v.Index(i))
		}
	case reflect.Map:
		if !v.IsNil() {
			fixMap(v)
		}
	}
}

// fixMap fixes a map's keys and values. The two map types of pods, events
// and nodes are ranged over directly, since reflect's map iterator
// allocates for string keys; any other is walked by reflection.
func fixMap(v reflect.Value) {
	switch m := v.Interface().(type) {
	case map[string]string:
		for k, val := range m {
			if !utf8.ValidString(k) || !utf8.ValidString(val) {
				fixStringMap(m)
				return
			}
		}
	case corev1.ResourceList:
		for name, q := range m {
			if !utf8.ValidString(string(name)) || !utf8.ValidString(string(q.Format)) {
				fixResourceList(m)
				return
			}
		}
	default:
		fixMapByReflection(v)
	}
}

// fixStringMap replaces m's invalid keys and values. Two keys that differ
// only in their invalid bytes become one.
func fixStringMap(m map[string]string) {
	fixed := make(map[string]string, len(m))
	for k, val := range m {
		fixed[validString(k)] = validString(val)
	}
	clear(m)
	for k, val := range fixed {
		m[k] = val
	}
}

func fixResourceList(m corev1.ResourceList) {
	fixed := make(corev1.ResourceList, len(m))
	for name, q := range m {
		q.Format = validType(q.Format)
		fixed[validType(name)] = q
	}
	clear(m)
	for name, q := range fixed {
		m[name] = q
	}
}

// fixMapByReflection fixes a map of any other type, rebuilding it only when
// some key or value holds invalid UTF-8.
func fixMapByReflection(v reflect.Value) {
	invalid := false
	for iter := v.MapRange(); iter.Next() && !invalid; {
		invalid = !validValue(iter.Key()) || !validValue(iter.Value())
	}
	if !invalid {
		return
	}
	type entry struct{ k, v reflect.Value }
	var fixed []entry
	for iter := v.MapRange(); iter.Next(); {
		k := reflect.New(v.Type().Key()).Elem()
		k.Set(iter.Key())
		e := reflect.New(v.Type().Elem()).Elem()
		e.Set(iter.Value())
		fixStrings(k)
		fixStrings(e)
		fixed = append(fixed, entry{k, e})
	}
	v.Clear()
	for _, f := range fixed {
		v.SetMapIndex(f.k, f.v)
	}
}

// validValue reports whether every exported string reachable from v is
// valid UTF-8, without writing anything.
func validValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return utf8.ValidString(v.String())
	case reflect.Pointer:
		return v.IsNil() || validValue(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanInterface() && !validValue(f) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return true
		}
		for i := range v.Len() {
			if !validValue(v.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		for iter := v.MapRange(); iter.Next(); {
			if !validValue(iter.Key()) || !validValue(iter.Value()) {
				return false
			}
		}
	}
	return true
}

// validSlice is makeValidUTF8 for a slice, returning it.
func validSlice[E any](s []E) []E {
	if len(s) > 0 {
		makeValidUTF8(s)
	}
	return s
}
