package diagnose

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite docs/diagnoses.md from Catalog()")

const catalogDoc = "../../docs/diagnoses.md"

// TestCatalogDoc keeps docs/diagnoses.md equal to what Catalog() renders.
// Regenerate it with: go test ./internal/diagnose -run TestCatalogDoc -update
func TestCatalogDoc(t *testing.T) {
	got := renderCatalog(Catalog())
	if *update {
		if err := os.WriteFile(catalogDoc, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(catalogDoc)
	if err != nil {
		t.Fatalf("reading %s: %v (run with -update to create it)", catalogDoc, err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s is stale; run go test ./internal/diagnose -run TestCatalogDoc -update (-file +rendered):\n%s", catalogDoc, diff)
	}
}

// renderCatalog renders the catalog as Markdown: one table per language.
func renderCatalog(codes []CodeInfo) string {
	var b strings.Builder
	b.WriteString("# Diagnoses / 诊断代码\n\n")
	b.WriteString("<!-- Generated from diagnose.Catalog() by TestCatalogDoc; do not edit.\n")
	b.WriteString("     Regenerate: go test ./internal/diagnose -run TestCatalogDoc -update -->\n\n")
	b.WriteString("Every finding code Podlens can show, with its usual severity, what it means, what in the cluster raises it, and a verbatim example of the evidence. Codes are stable: the UI, the JSON API and tests key on them.\n\n")
	b.WriteString("Podlens 可能给出的每个诊断代码，包括通常的严重程度、含义、触发条件以及证据原文示例。代码保持稳定：界面、JSON API 和测试都依赖它们。\n\n")
	sections := []struct {
		lang    Lang
		heading string
		cols    string
	}{
		{English, "## English", "| Code | Severity | Meaning | Trigger | Example |"},
		{Chinese, "## 中文", "| 代码 | 严重程度 | 含义 | 触发条件 | 示例 |"},
	}
	for _, s := range sections {
		b.WriteString(s.heading + "\n\n" + s.cols + "\n|---|---|---|---|---|\n")
		for _, c := range codes {
			meaning, trigger := c.Meaning.EN, c.Trigger.EN
			if s.lang == Chinese {
				meaning, trigger = c.Meaning.ZH, c.Trigger.ZH
			}
			b.WriteString("| `" + string(c.Code) + "` | " + c.Severity.String() + " | " + mdCell(meaning) + " | " + mdCell(trigger) + " | " + mdCode(c.Example) + " |\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", "<br>").Replace(s)
}

func mdCode(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.NewReplacer("|", `\|`, "\n", " ", "`", "'").Replace(s) + "`"
}

// TestCatalogCodes checks that every Code constant declared in the package
// appears in Catalog() exactly once, and that each entry is complete.
func TestCatalogCodes(t *testing.T) {
	t.Parallel()
	seen := map[Code]int{}
	for _, c := range Catalog() {
		seen[c.Code]++
		if c.Severity <= OK || c.Meaning.EN == "" || c.Meaning.ZH == "" || c.Trigger.EN == "" || c.Trigger.ZH == "" || c.Example == "" {
			t.Errorf("catalog entry %s is incomplete: %+v", c.Code, c)
		}
	}
	for code, n := range seen {
		if n > 1 {
			t.Errorf("code %s is in the catalog %d times", code, n)
		}
	}
	declared := declaredCodes(t)
	if len(declared) < len(podCodes) {
		t.Fatalf("found %d Code constants, fewer than the %d pod codes; is the parser right?", len(declared), len(podCodes))
	}
	for _, code := range declared {
		if seen[code] == 0 {
			t.Errorf("code %s is declared but missing from Catalog()", code)
		}
	}
}

// declaredCodes parses the package's non-test files for constants of type
// Code, so a new code cannot skip the catalog.
func declaredCodes(t *testing.T) []Code {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []Code
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						out = append(out, Code(s))
					}
				}
			}
		}
	}
	return out
}
