package informers

import (
	"iter"
	"slices"
	"strings"
	"unicode"

	corev1 "k8s.io/api/core/v1"
)

// RedactedArgValue replaces, in every cached container's command and args,
// each value that looks like a secret, so that no page, API answer or
// websocket push can show one: people pass passwords and tokens on the
// command line as often as in env values (see RedactedEnvValue, the same
// marker). What counts as a secret (redactArgs):
//
//   - the value of a flag whose name has a secret word (secretName):
//     --db-password=x and -password=x become --db-password=[redacted];
//     in `--token x` the next argument (or word, in a shell script) is
//     replaced, unless it starts with "-" (then the flag had no value);
//   - the value of KEY=value where KEY has a secret word, at the start of
//     an argument or word, or after ";", "&", "?", "," or "=" (environment
//     assignments, connection strings such as Server=db;Password=x;,
//     query strings such as ?token=x, --set=db.password=x);
//   - the password of a URL's user info: postgres://app:x@db/shop
//     becomes postgres://app:[redacted]@db/shop.
//
// A value that is only a variable reference, $(DB_PASSWORD), $DB_PASSWORD
// or ${DB_PASSWORD}, is kept: Kubernetes expands $(VAR) from the env (see
// "Define a command and arguments for a container" in the Kubernetes docs),
// so it names where the secret comes from without being it. Short flags
// (-p x) are too ambiguous and kept.
const RedactedArgValue = RedactedEnvValue

// secretWords are the words of a flag or key name that mark its value as a
// secret. Names are split into words at every character that is not a
// letter or digit and at camelCase humps, and words are compared whole and
// case-insensitively: --api-key, --apiKey and API_KEY match, but
// --tokenizer-model and --authorization-mode do not. A false positive
// hides a harmless value (--auth-mode=basic, --token-ttl=1h); a false
// negative would show a secret, so the list is generous.
var secretWords = []string{
	"password", "passwords", "passwd", "pwd", "passphrase",
	"secret", "secrets", "token", "tokens", "credential", "credentials", "creds", "auth",
	"apikey", "accesskey", "secretkey", "privatekey",
}

// secretPairs are two consecutive words that mark a secret: api-key,
// access_key, privateKey.
var secretPairs = [][2]string{{"api", "key"}, {"access", "key"}, {"private", "key"}}

// referenceWords end names whose value says where a secret is, not what it
// is (--password-file=/run/secrets/db, --token-path, --secrets-dir): their
// values are kept.
var referenceWords = []string{"file", "path", "dir"}

// secretName reports whether a flag or key name marks its value as a
// secret (see secretWords).
func secretName(name string) bool {
	secret, prev, last := false, "", ""
	for w := range nameWords(name) {
		if slices.ContainsFunc(secretWords, func(s string) bool { return strings.EqualFold(s, w) }) ||
			slices.ContainsFunc(secretPairs, func(p [2]string) bool { return strings.EqualFold(p[0], prev) && strings.EqualFold(p[1], w) }) {
			secret = true
		}
		prev, last = w, w
	}
	return secret && !slices.ContainsFunc(referenceWords, func(s string) bool { return strings.EqualFold(s, last) })
}

// nameWords yields the words of a name: runs of letters and digits, split
// again at camelCase humps (dbPassword, APIKey).
func nameWords(name string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := -1
		for i, r := range name {
			alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
			if start >= 0 && (!alnum || camelHump(name, i)) {
				if !yield(name[start:i]) {
					return
				}
				start = -1
			}
			if alnum && start < 0 {
				start = i
			}
		}
		if start >= 0 {
			yield(name[start:])
		}
	}
}

// camelHump reports whether a new word starts at name[i]: an upper-case
// letter after a lower-case one (dbPassword), or the last upper-case
// letter of a run that a lower-case one follows (APIKey).
func camelHump(name string, i int) bool {
	if i == 0 || !isUpper(name[i]) {
		return false
	}
	if isLower(name[i-1]) || isDigit(name[i-1]) {
		return true
	}
	return isUpper(name[i-1]) && i+1 < len(name) && isLower(name[i+1])
}

func isUpper(b byte) bool { return 'A' <= b && b <= 'Z' }
func isLower(b byte) bool { return 'a' <= b && b <= 'z' }
func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// redactArgs returns args with every secret-looking value replaced by
// RedactedArgValue (see there), or args itself when nothing is. afterFlag
// says that the argument before args[0] (the command's last, for args) is
// a secret flag still waiting for its value.
func redactArgs(args []string, afterFlag bool) []string {
	out, copied := args, false
	for i, a := range args {
		var r string
		r, afterFlag = redactArg(a, afterFlag)
		if r != a {
			if !copied {
				out, copied = slices.Clone(args), true
			}
			out[i] = r
		}
	}
	return out
}

// endsWithSecretFlag reports whether the last argument of args is a
// secret flag waiting for its value in the next argument (--password).
func endsWithSecretFlag(args []string) bool {
	if len(args) == 0 {
		return false
	}
	_, waiting := redactArg(args[len(args)-1], false)
	return waiting
}

// span is a byte range [start, end) of an argument to replace.
type span struct{ start, end int }

// redactArg redacts one argument. afterFlag says the previous word was a
// secret flag waiting for its value; the result says the same of a's last
// word. An argument is read as words separated by white space, since
// `sh -c "app --password x"` is as common as separate arguments.
func redactArg(a string, afterFlag bool) (string, bool) {
	var spans []span
	for i := 0; ; {
		for i < len(a) && isSpace(a[i]) {
			i++
		}
		if i >= len(a) {
			break
		}
		end := i
		for end < len(a) && !isSpace(a[end]) {
			end++
		}
		word := a[i:end]
		if afterFlag {
			afterFlag = false
			if word[0] != '-' {
				v := valueSpan(a, i, end, i == 0)
				spans = appendSecret(spans, a, v)
				i = max(v.end, end)
				continue
			}
		}
		if word[0] == '-' {
			name, _, hasValue := strings.Cut(strings.TrimLeft(word, "-"), "=")
			if secretName(name) {
				if !hasValue {
					afterFlag = true
					i = end
					continue
				}
				// A flag that is a whole argument gets the whole rest
				// as its value, spaces included, as the program does.
				v := valueSpan(a, i+strings.IndexByte(word, '=')+1, end, i == 0)
				spans = appendSecret(spans, a, v)
				i = max(v.end, end)
				continue
			}
		}
		spans = inlineSecrets(spans, a, i, end)
		i = end
	}
	return replaceSpans(a, spans), afterFlag
}

// valueSpan is the value starting at a[start] of a word ending at end: up
// to the matching quote when it starts with one, to the end of the
// argument when the word is the whole argument's start (wholeArg), else to
// the end of the word.
func valueSpan(a string, start, end int, wholeArg bool) span {
	if start < len(a) && (a[start] == '"' || a[start] == '\'') {
		if close := strings.IndexByte(a[start+1:], a[start]); close >= 0 {
			return span{start, start + 1 + close + 1}
		}
		return span{start, len(a)}
	}
	if wholeArg {
		return span{start, len(a)}
	}
	return span{start, end}
}

// appendSecret adds v to spans unless it is empty, a variable reference,
// or already redacted: a quoted value's closing quote may be followed by
// more of its word, which a second pass (a deep copy of a cached pod is
// transformed again) would otherwise take as part of the value.
func appendSecret(spans []span, a string, v span) []span {
	value := a[v.start:v.end]
	if value == "" || isReference(strings.Trim(value, `"'`)) || strings.HasPrefix(value, RedactedArgValue) {
		return spans
	}
	return append(spans, v)
}

// inlineSecrets adds the secret values inside the word a[start:end]:
// KEY=value pairs with a secret KEY, and URL passwords.
func inlineSecrets(spans []span, a string, start, end int) []span {
	word := a[start:end]
	for i := 0; i < len(word); i++ {
		switch {
		case word[i] == '=':
			k := i
			for k > 0 && isKeyByte(word[k-1]) {
				k--
			}
			if k == i || !secretName(word[k:i]) || (k > 0 && !strings.ContainsRune(";&?,=\"'", rune(word[k-1]))) {
				continue
			}
			var v span
			if k == 0 {
				// KEY=x at the start of a word: an assignment, whose
				// value is the rest of the word (or quoted).
				v = valueSpan(a, start+i+1, end, false)
			} else {
				// After ; & or ?: a connection string or a query, whose
				// value ends at the next separator.
				v = span{start + i + 1, start + i + 1 + strings.IndexAny(word[i+1:]+";", ";&")}
			}
			spans = appendSecret(spans, a, v)
			i = v.end - start - 1
		case strings.HasPrefix(word[i:], "://"):
			authority := word[i+3:]
			if j := strings.IndexAny(authority, "/?#"); j >= 0 {
				authority = authority[:j]
			}
			at := strings.LastIndexByte(authority, '@')
			if at < 0 {
				continue
			}
			if colon := strings.IndexByte(authority[:at], ':'); colon >= 0 {
				spans = appendSecret(spans, a, span{start + i + 3 + colon + 1, start + i + 3 + at})
			}
			i += 3 + at
		}
	}
	return spans
}

// isKeyByte reports whether b may be part of a KEY in KEY=value.
func isKeyByte(b byte) bool {
	return isUpper(b) || isLower(b) || isDigit(b) || b == '_' || b == '-' || b == '.'
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// isReference reports whether v is only a variable reference: $(NAME),
// ${NAME} or $NAME.
func isReference(v string) bool {
	name, ok := strings.CutPrefix(v, "$")
	if !ok {
		return false
	}
	switch {
	case strings.HasPrefix(name, "(") && strings.HasSuffix(name, ")"):
		name = name[1 : len(name)-1]
	case strings.HasPrefix(name, "{") && strings.HasSuffix(name, "}"):
		name = name[1 : len(name)-1]
	}
	if name == "" {
		return false
	}
	for i := range len(name) {
		if b := name[i]; !isUpper(b) && !isLower(b) && b != '_' && (i == 0 || !isDigit(b)) {
			return false
		}
	}
	return true
}

// replaceSpans returns a with each span replaced by RedactedArgValue;
// overlapping spans are merged.
func replaceSpans(a string, spans []span) string {
	if len(spans) == 0 {
		return a
	}
	slices.SortFunc(spans, func(x, y span) int { return x.start - y.start })
	var b strings.Builder
	prev := 0
	for _, s := range spans {
		if s.start < prev { // inside the last one replaced
			prev = max(prev, s.end)
			continue
		}
		b.WriteString(a[prev:s.start])
		b.WriteString(RedactedArgValue)
		prev = s.end
	}
	b.WriteString(a[prev:])
	return b.String()
}

// redactHandler redacts a probe's or lifecycle hook's exec command and the
// query of its HTTP path (?token=x), which diagnose shows as evidence. It
// works in place, on a probe or hook as decoded, before it is shared.
func redactHandler(exec *corev1.ExecAction, get *corev1.HTTPGetAction) {
	if exec != nil {
		exec.Command = redactArgs(exec.Command, false)
	}
	if get != nil {
		get.Path, _ = redactArg(get.Path, false)
	}
}
