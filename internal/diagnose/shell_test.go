package diagnose

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// The shell is the test oracle for the commands: a command is what bash, a
// POSIX sh and zsh read it as, not what the code meant to write.

// shellLangs are the shells a copied command is checked against: bash and
// zsh are the usual interactive shells (zsh is macOS's default), POSIX sh is
// the common ground.
var shellLangs = []syntax.LangVariant{syntax.LangBash, syntax.LangPOSIX, syntax.LangZsh}

// plainLiteral is what an unquoted part of a word may hold: bytes no shell
// expands (no ~, globs, braces, $, backquotes, blanks or operators), or one
// escaped byte such as the \' that closes and reopens a single-quoted string.
var plainLiteral = regexp.MustCompile(`^(?:[A-Za-z0-9_./:=,@%+-]|\\[^\n])*$`)

// shellArgs reads cmd the way a shell would and returns its words after quote
// removal. It fails unless cmd is printable, on one line, and in every shell
// of shellLangs exactly one simple command: no pipe, list (; && ||),
// background job, negation, redirection, assignment or comment; every word
// made only of plain literals and single-quoted strings (so no parameter
// expansion, command substitution, arithmetic, glob, tilde or brace
// expansion), and no word starting with an unquoted = (zsh's =cmd).
func shellArgs(cmd string) ([]string, error) {
	if !utf8.ValidString(cmd) {
		return nil, fmt.Errorf("not valid UTF-8: %q", cmd)
	}
	if i := strings.IndexFunc(cmd, func(r rune) bool { return unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ' }); i >= 0 {
		return nil, fmt.Errorf("control or invisible character at byte %d: %q", i, cmd)
	}
	var first []string
	for _, lang := range shellLangs {
		args, err := shellArgsIn(lang, cmd)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %q", lang, err, cmd)
		}
		if first == nil {
			first = args
		} else if !slices.Equal(first, args) {
			return nil, fmt.Errorf("%s reads %q, %s reads %q", shellLangs[0], first, lang, args)
		}
	}
	return first, nil
}

func shellArgsIn(lang syntax.LangVariant, cmd string) ([]string, error) {
	f, err := syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(true)).Parse(strings.NewReader(cmd), "")
	if err != nil {
		return nil, err
	}
	if len(f.Stmts) != 1 || len(f.Last) != 0 {
		return nil, fmt.Errorf("%d statements and %d trailing comments, want one statement", len(f.Stmts), len(f.Last))
	}
	st := f.Stmts[0]
	switch {
	case st.Negated, st.Background, st.Coprocess, st.Disown:
		return nil, fmt.Errorf("a negated, background or coprocess statement")
	case len(st.Redirs) > 0:
		return nil, fmt.Errorf("%d redirections", len(st.Redirs))
	case len(st.Comments) > 0:
		return nil, fmt.Errorf("a comment")
	}
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok {
		return nil, fmt.Errorf("a %T, want a simple command", st.Cmd)
	}
	if len(call.Assigns) > 0 {
		return nil, fmt.Errorf("%d assignments", len(call.Assigns))
	}
	args := make([]string, len(call.Args))
	for i, w := range call.Args {
		var b strings.Builder
		for j, part := range w.Parts {
			switch p := part.(type) {
			case *syntax.Lit:
				if !plainLiteral.MatchString(p.Value) {
					return nil, fmt.Errorf("word %d: unquoted %q may be expanded", i, p.Value)
				}
				if j == 0 && strings.HasPrefix(p.Value, "=") {
					return nil, fmt.Errorf("word %d starts with an unquoted =", i)
				}
				b.WriteString(unescape(p.Value))
			case *syntax.SglQuoted:
				if p.Dollar {
					return nil, fmt.Errorf("word %d: $'…' quoting", i)
				}
				b.WriteString(p.Value)
			default:
				return nil, fmt.Errorf("word %d: a %T part", i, part)
			}
		}
		args[i] = b.String()
		// Cross-check the quote removal above with the shell package's
		// own expansion of a command's arguments. A nil Config would
		// share one buffer between the parallel tests.
		fields, err := expand.Fields(&expand.Config{}, w)
		if err != nil || len(fields) != 1 || fields[0] != args[i] {
			return nil, fmt.Errorf("word %d: read as %q, expand.Fields gives %q (%v)", i, args[i], fields, err)
		}
	}
	return args, nil
}

// unescape removes the backslash of each escaped byte of an unquoted literal.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parsed remembers shellArgs' reading of each command: the property tests
// meet the same commands thousands of times.
var parsed sync.Map // command -> parsedCommand

type parsedCommand struct {
	args []string
	err  error
}

// kubectlArgs is shellArgs for a kubectl command: the arguments after the
// program name, which must be kubectl itself.
func kubectlArgs(cmd string) ([]string, error) {
	p, ok := parsed.Load(cmd)
	if !ok {
		args, err := shellArgs(cmd)
		p, _ = parsed.LoadOrStore(cmd, parsedCommand{args, err})
	}
	args, err := p.(parsedCommand).args, p.(parsedCommand).err
	if err != nil {
		return nil, err
	}
	if len(args) == 0 || args[0] != "kubectl" {
		return nil, fmt.Errorf("runs %q, not kubectl: %q", args, cmd)
	}
	return slices.Clone(args[1:]), nil
}
