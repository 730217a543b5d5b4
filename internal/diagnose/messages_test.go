package diagnose

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// fmtVerb matches one fmt verb, with an optional explicit argument index.
var fmtVerb = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*[0-9]*(?:\.[0-9]+)?([a-zA-Z%])`)

// verbsByArg maps each argument position to the verb that formats it, so
// "%[2]q … %[1]s" in one language matches "%s … %q" in the other.
func verbsByArg(format string) map[int]string {
	out := map[int]string{}
	next := 1
	for _, m := range fmtVerb.FindAllStringSubmatch(format, -1) {
		if m[2] == "%" {
			continue
		}
		if m[1] != "" {
			next, _ = strconv.Atoi(m[1])
		}
		out[next] = m[2]
		next++
	}
	return out
}

func sameVerbs(a, b string) bool {
	va, vb := verbsByArg(a), verbsByArg(b)
	if len(va) != len(vb) {
		return false
	}
	for k, v := range va {
		if vb[k] != v {
			return false
		}
	}
	return true
}

// TestMessagesHaveBothLanguages walks every registered message of the
// package and the catalog: both texts are set and take the same arguments
// with the same verbs.
func TestMessagesHaveBothLanguages(t *testing.T) {
	t.Parallel()
	all := append(append([]*Message(nil), containerMessages...), podMessages...)
	for _, c := range Catalog() {
		all = append(all, &c.Meaning, &c.Trigger)
	}
	if len(containerMessages) < 100 {
		t.Fatalf("containerMessages has %d messages; is the registry complete?", len(containerMessages))
	}
	for _, m := range all {
		if strings.TrimSpace(m.EN) == "" || strings.TrimSpace(m.ZH) == "" {
			t.Errorf("message %q / %q has an empty text", m.EN, m.ZH)
			continue
		}
		if !sameVerbs(m.EN, m.ZH) {
			t.Errorf("verbs differ: EN %v in %q, ZH %v in %q", verbsByArg(m.EN), m.EN, verbsByArg(m.ZH), m.ZH)
		}
		if m.EN == m.ZH {
			t.Errorf("message %q is not translated", m.EN)
		}
	}
}

func TestVerbsByArgReadsIndexes(t *testing.T) {
	t.Parallel()
	if !sameVerbs("Create %s %q in namespace %s", "在命名空间 %[3]s 中创建 %[1]s %[2]q") {
		t.Error("indexed verbs in another order should match")
	}
	if sameVerbs("%s %q", "%q %s") {
		t.Error("swapped verbs should not match")
	}
	if sameVerbs("%s", "%s %s") {
		t.Error("a missing argument should not match")
	}
}

// containerFiles are the non-test files of the container rules.
var containerFiles = []string{"containers.go", "images.go", "crashes.go", "probes.go", "exitcodes.go", "match.go", "commands.go"}

// TestContainerRegistryIsComplete parses the container rule files and checks
// that every package-level *Message declared there is in containerMessages
// and every Code constant has a containerCodes entry.
func TestContainerRegistryIsComplete(t *testing.T) {
	t.Parallel()
	registered := map[*Message]bool{}
	for _, m := range containerMessages {
		registered[m] = true
	}
	documented := map[Code]bool{}
	for _, c := range containerCodes {
		if documented[c.Code] {
			t.Errorf("code %s is documented twice", c.Code)
		}
		documented[c.Code] = true
		if c.Example == "" {
			t.Errorf("code %s has no example", c.Code)
		}
	}
	names := map[string]bool{}
	listed := map[string]bool{}
	codes := map[string]bool{}
	fset := token.NewFileSet()
	for _, file := range containerFiles {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gd.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					if u, ok := vs.Values[i].(*ast.UnaryExpr); ok {
						if cl, ok := u.X.(*ast.CompositeLit); ok {
							if id, ok := cl.Type.(*ast.Ident); ok && id.Name == "Message" {
								names[name.Name] = true
							}
						}
					}
					if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Code" && gd.Tok == token.CONST {
						if bl, ok := vs.Values[i].(*ast.BasicLit); ok {
							s, _ := strconv.Unquote(bl.Value)
							codes[s] = true
						}
					}
				}
			}
			if gd.Tok == token.VAR {
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					if len(vs.Names) == 1 && vs.Names[0].Name == "containerMessages" {
						for _, el := range vs.Values[0].(*ast.CompositeLit).Elts {
							listed[el.(*ast.Ident).Name] = true
						}
					}
				}
			}
		}
	}
	for n := range names {
		if !listed[n] {
			t.Errorf("message %s is not listed in containerMessages", n)
		}
	}
	if len(codes) == 0 {
		t.Fatal("found no Code constants; did the parse work?")
	}
	for c := range codes {
		if !documented[Code(c)] {
			t.Errorf("code %s has no containerCodes entry", c)
		}
	}
	if len(registered) != len(containerMessages) {
		t.Errorf("containerMessages lists %d messages, %d distinct", len(containerMessages), len(registered))
	}
}
