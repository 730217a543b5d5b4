// Package diagnose explains why a pod, its containers or its node are unhealthy.
//
// It is pure: no clients, no logging, no clock, no I/O. Callers pass the pod, its
// events, its node (and the node list for scheduling questions) and the time;
// a diagnosis says when the time alone would change it (Diagnosis.RecheckAt)
// and holds instants rather than ages, so it is a value that stays true until
// then (texts and evidence are rendered at the viewer's now).
// Every finding names the evidence it used, what to change and the kubectl
// commands that show that evidence, in English and Simplified Chinese.
package diagnose

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// Severity orders findings from harmless to urgent.
type Severity int

// Severities, in increasing order of urgency.
const (
	OK Severity = iota
	Info
	Warning
	Critical
)

var severityNames = [...]string{"ok", "info", "warning", "critical"}

// String returns the stable lower-case name used in the JSON API and CSS classes.
func (s Severity) String() string {
	if s < OK || s > Critical {
		return "unknown"
	}
	return severityNames[s]
}

// MarshalText makes a Severity encode as its name in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, ok := ParseSeverity(string(b))
	if !ok {
		return fmt.Errorf("unknown severity %q (want ok, info, warning or critical)", b)
	}
	*s = v
	return nil
}

// ParseSeverity returns the severity with the given name.
func ParseSeverity(name string) (Severity, bool) {
	for i, n := range severityNames {
		if n == name {
			return Severity(i), true
		}
	}
	return OK, false
}

// Code is a stable finding code. The UI, the JSON API, tests and docs key on it:
// never rename one. Codes are the dashboard's own vocabulary; some coincide with
// Kubernetes reason strings but they are not the same field.
type Code string

// Lang is a language explanations can be rendered in.
type Lang string

// The languages every message is written in.
const (
	English Lang = "en"
	Chinese Lang = "zh-CN"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{English, Chinese}

// Message is one translatable sentence. Both texts take the same fmt verbs in
// the same order, so one argument list fills either.
type Message struct {
	EN string
	ZH string
}

// Text is a message with its arguments. It is rendered only at the edge, in
// the viewer's language and at the viewer's now, so a diagnosis costs one
// computation for every viewer and never goes stale between renders.
type Text struct {
	Msg  *Message
	Args []any
}

// T binds arguments to a message.
func T(m *Message, args ...any) Text { return Text{Msg: m, Args: args} }

// In renders the text in lang (English for an unknown language) as it reads
// at now. Arguments that are themselves Texts are rendered in lang first; a
// Since argument becomes the time elapsed from its instant to now. Every
// text takes now, even one without a time, so that no caller can render a
// text with a time in it without saying when it is read.
func (t Text) In(lang Lang, now time.Time) string {
	if t.Msg == nil {
		return ""
	}
	format := t.Msg.EN
	if lang == Chinese && t.Msg.ZH != "" {
		format = t.Msg.ZH
	}
	if len(t.Args) == 0 {
		return format
	}
	args := t.Args
	for i, a := range t.Args {
		var s string
		switch a := a.(type) {
		case Text: // a translated phrase inside a sentence
			s = a.In(lang, now)
		case Since:
			s = a.At(now)
		default:
			continue
		}
		if &args[0] == &t.Args[0] {
			args = append([]any(nil), t.Args...)
		}
		args[i] = s
	}
	return fmt.Sprintf(format, args...)
}

// Since stands, among a Text's arguments, for the time elapsed since an
// instant: T(msgRestartedTitle, name, Since(finishedAt), n) reads "restarted
// 6s ago" when rendered 6 seconds after finishedAt. A diagnosis holds the
// instant, never the duration, because the clock alone changes the duration:
// a diagnosis made again a second later, with nothing crossed in between,
// is the same value (see Diagnosis.RecheckAt).
type Since time.Time

// At is the time elapsed from the instant to now, printed as kubectl prints
// ages (duration.HumanDuration: "45s", "5m", "3h12m"); "?" for an unknown
// (zero) instant. An instant after now (clocks disagree) reads "0s".
func (s Since) At(now time.Time) string {
	t := time.Time(s)
	if t.IsZero() {
		return "?"
	}
	return duration.HumanDuration(max(now.Sub(t), 0))
}

// Evidence is one exact value a finding is based on: a status field, a spec
// value, an event or a condition, quoted as the cluster has it (never translated).
type Evidence struct {
	// Source says where the value was read, e.g.
	// "status.containerStatuses[app].lastState.terminated.exitCode" or
	// "event Warning/BackOff ×12".
	Source string `json:"source"`
	// Value is the value itself, verbatim.
	Value string `json:"value"`
	// LastSeen is when what the evidence quotes was last seen: an event's
	// last occurrence, a node condition's last heartbeat; zero for evidence
	// that holds at any time (a spec field, a status value). How long ago
	// that was is not stored, as it changes with the clock alone: At writes
	// it into Source.
	LastSeen time.Time `json:"-"`
}

// At returns the evidence as it reads at now: the Source of evidence last
// seen at an instant gains how long ago that was, "event Warning/BackOff ×12
// (last 2m ago)".
func (e Evidence) At(now time.Time) Evidence {
	if e.LastSeen.IsZero() {
		return e
	}
	e.Source += " (last " + Since(e.LastSeen).At(now) + " ago)"
	e.LastSeen = time.Time{}
	return e
}

// Finding is one explained problem.
type Finding struct {
	Code     Code
	Severity Severity
	// Container is the container the finding is about; "" for pod- and node-level findings.
	Container string
	// Title is one line: what is wrong.
	Title Text
	// Explanation says why it happens and how we know.
	Explanation Text
	// Evidence lists the exact values the finding rests on.
	Evidence []Evidence
	// Actions say what to change, most likely fix first.
	Actions []Text
	// Commands are kubectl commands that show the evidence, with the pod's real
	// namespace, name and container filled in. Each is one kubectl call, its
	// arguments quoted for a POSIX shell; a command that would need a value
	// not valid for its kind is left out (commands.go).
	Commands []string
	// Since is when the problem started, when known (zero otherwise).
	Since time.Time
}

// EvidenceAt returns the finding's evidence as it reads at now (Evidence.At).
func (f Finding) EvidenceAt(now time.Time) []Evidence {
	out := make([]Evidence, len(f.Evidence))
	for i, e := range f.Evidence {
		out[i] = e.At(now)
	}
	return out
}

// Diagnosis is the result for one object. Severity is the worst finding's;
// findings are ordered by severity, most urgent first.
type Diagnosis struct {
	Severity Severity
	Findings []Finding
	// RecheckAt is when the diagnosis would next change with nothing but
	// the clock moving: the earliest instant after it was made at which a
	// threshold one of its rules compared against is crossed (an
	// unschedulable pod turning from Info to Warning after a minute, a
	// restart older than 30 minutes no longer counting). Zero when only a
	// change to the input can change it. Until RecheckAt the same input
	// gives the same Diagnosis, value for value, so a caller re-diagnoses at
	// RecheckAt instead of polling.
	RecheckAt time.Time
}

// Codes returns the finding codes in order, without repeats.
func (d Diagnosis) Codes() []Code {
	codes := make([]Code, 0, len(d.Findings))
	for _, f := range d.Findings {
		dup := false
		for _, c := range codes {
			if c == f.Code {
				dup = true
				break
			}
		}
		if !dup {
			codes = append(codes, f.Code)
		}
	}
	return codes
}

// Summary is the one-line title of the most urgent finding as it reads at
// now, or "" when the pod is healthy.
func (d Diagnosis) Summary(lang Lang, now time.Time) string {
	if len(d.Findings) == 0 {
		return ""
	}
	return d.Findings[0].Title.In(lang, now)
}

// PodInput is everything Pod needs. Objects are shared with the caller's cache:
// Pod never modifies them.
type PodInput struct {
	Pod *corev1.Pod
	// Events are the events whose involvedObject is this pod, in any order.
	Events []*corev1.Event
	// Node is the pod's node; nil when the pod is unscheduled or the node is
	// unknown (not visible, e.g. with namespaced RBAC).
	Node *corev1.Node
	// Nodes is every node the cache knows, for scheduling questions; nil when
	// nodes cannot be read.
	Nodes []*corev1.Node
}
