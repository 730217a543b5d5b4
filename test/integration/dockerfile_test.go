package integration_test

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// instruction is one parsed Dockerfile line: the keyword (lower case), its
// flags (--from=build, --mount=…) and its arguments, in the stage it belongs to.
type instruction struct {
	stage int // 0 for the first FROM's stage
	cmd   string
	flags []string
	args  []string
	line  int
	orig  string
}

// parseDockerfile parses path with BuildKit's own parser, the one `docker build` uses.
func parseDockerfile(t *testing.T, path string) []instruction {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	for _, w := range res.Warnings {
		t.Errorf("%s: parser warning: %s", path, w.Short)
	}
	var out []instruction
	stage := -1
	for _, n := range res.AST.Children {
		in := instruction{cmd: strings.ToLower(n.Value), flags: n.Flags, line: n.StartLine, orig: n.Original}
		for a := n.Next; a != nil; a = a.Next {
			in.args = append(in.args, a.Value)
		}
		if in.cmd == "from" {
			stage++
		}
		in.stage = stage
		out = append(out, in)
	}
	return out
}

// index returns the position of the first instruction matching ok, or -1.
func index(ins []instruction, ok func(instruction) bool) int {
	return slices.IndexFunc(ins, ok)
}

// TestDockerfile lints the Dockerfile without a Docker engine: the properties
// the image relies on, checked on BuildKit's parse of the file.
func TestDockerfile(t *testing.T) {
	t.Parallel()
	ins := parseDockerfile(t, "../../Dockerfile")
	dockerfile, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var froms []instruction
	for _, in := range ins {
		if in.cmd == "from" {
			froms = append(froms, in)
		}
	}
	if len(froms) < 2 {
		t.Fatalf("%d FROM instructions, want a multi-stage build", len(froms))
	}
	last := len(froms) - 1
	inStage := func(stage int, cmd string, ok func(instruction) bool) func(instruction) bool {
		return func(in instruction) bool { return in.stage == stage && in.cmd == cmd && ok(in) }
	}
	anything := func(instruction) bool { return true }

	t.Run("it builds in golang:1.26 and ships on distroless static nonroot", func(t *testing.T) {
		t.Parallel()
		got := froms[0].args
		if repo, tag, _ := imageRef(got[0]); len(got) != 3 || repo != "golang" || (tag != "1.26" && !strings.HasPrefix(tag, "1.26.")) ||
			!strings.EqualFold(got[1], "AS") || got[2] != "build" {
			t.Errorf("first stage = FROM %q, want FROM golang:1.26[.patch]@sha256:… AS build", got)
		}
		got = froms[last].args
		if repo, tag, _ := imageRef(got[0]); len(got) != 1 || repo != "gcr.io/distroless/static" || tag != "nonroot" {
			t.Errorf("final stage = FROM %q, want gcr.io/distroless/static:nonroot@sha256:…", got)
		}
		cp := index(ins, inStage(last, "copy", func(in instruction) bool { return slices.Contains(in.flags, "--from=build") }))
		if cp < 0 {
			t.Error("the final stage copies nothing from the build stage")
		}
		for _, in := range ins {
			if in.stage == last && (in.cmd == "run" || in.cmd == "add") {
				t.Errorf("line %d: %s in the final stage: distroless has no shell, and the image must stay just the binary", in.line, in.orig)
			}
		}
	})

	t.Run("every image from a registry is pinned by digest", func(t *testing.T) {
		t.Parallel()
		// Names the Dockerfile defines itself: earlier stages, and scratch.
		local := map[string]bool{"scratch": true}
		for _, f := range froms {
			if err := pinned(f.args[0], local); err != nil {
				t.Errorf("line %d: %s: %v", f.line, f.orig, err)
			}
			if len(f.args) == 3 {
				local[strings.ToLower(f.args[2])] = true
			}
		}
		for _, in := range ins {
			for _, flag := range in.flags {
				if from, ok := strings.CutPrefix(flag, "--from="); ok && in.cmd == "copy" {
					if _, err := strconv.Atoi(from); err == nil {
						continue // a stage by index
					}
					if err := pinned(from, local); err != nil {
						t.Errorf("line %d: %s: %v", in.line, in.orig, err)
					}
				}
			}
		}
		// The frontend named by "# syntax=" is an image too, and it runs the build.
		if syntax, _, _, ok := parser.DetectSyntax(dockerfile); ok {
			if err := pinned(syntax, nil); err != nil {
				t.Errorf("# syntax=%s: %v", syntax, err)
			}
		}
	})

	t.Run("modules are downloaded before the source is copied", func(t *testing.T) {
		t.Parallel()
		mods := index(ins, inStage(0, "copy", func(in instruction) bool {
			return slices.Contains(in.args, "go.mod") && slices.Contains(in.args, "go.sum")
		}))
		download := index(ins, inStage(0, "run", func(in instruction) bool { return strings.Contains(strings.Join(in.args, " "), "go mod download") }))
		source := index(ins, inStage(0, "copy", func(in instruction) bool { return len(in.args) == 2 && in.args[0] == "." }))
		if mods < 0 || download < 0 || source < 0 || !(mods < download && download < source) {
			t.Errorf("positions: COPY go.mod go.sum = %d, RUN go mod download = %d, COPY . . = %d; want them present and in that order", mods, download, source)
		}
	})

	t.Run("the binary is static, trimmed and stamped with the version", func(t *testing.T) {
		t.Parallel()
		build := index(ins, inStage(0, "run", func(in instruction) bool { return strings.Contains(strings.Join(in.args, " "), "go build") }))
		if build < 0 {
			t.Fatal("no RUN go build in the build stage")
		}
		cmd := strings.Join(ins[build].args, " ")
		for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w -X main.version=${VERSION}"`, "./cmd/server"} {
			if !strings.Contains(cmd, want) {
				t.Errorf("go build line %q lacks %s", cmd, want)
			}
		}
		arg := index(ins, inStage(0, "arg", func(in instruction) bool { return len(in.args) > 0 && strings.HasPrefix(in.args[0], "VERSION") }))
		if arg < 0 || arg > build {
			t.Error("ARG VERSION is not declared in the build stage before go build, so ${VERSION} would be empty")
		}
	})

	t.Run("main.version exists, so the -X stamp is not silently dropped", func(t *testing.T) {
		t.Parallel()
		if !hasPackageVar(t, "../../cmd/server", "version") {
			t.Error("cmd/server declares no package-level string var version: -X main.version would do nothing")
		}
	})

	t.Run("the image runs as a non-root user", func(t *testing.T) {
		t.Parallel()
		u := -1
		for i, in := range ins {
			if in.cmd == "user" {
				u = i
			}
		}
		if u < 0 || ins[u].stage != last {
			t.Fatal("no USER in the final stage: the image would run as root")
		}
		user, _, _ := strings.Cut(ins[u].args[0], ":")
		if user == "" || user == "root" || user == "0" {
			t.Errorf("USER %s, want a non-root user", ins[u].args[0])
		}
	})

	t.Run("there is no HEALTHCHECK: Kubernetes probes over HTTP instead", func(t *testing.T) {
		t.Parallel()
		if i := index(ins, func(in instruction) bool { return in.cmd == "healthcheck" }); i >= 0 {
			t.Errorf("line %d: %s", ins[i].line, ins[i].orig)
		}
	})

	t.Run("it exposes 8080 and listens on every interface there", func(t *testing.T) {
		t.Parallel()
		if index(ins, inStage(last, "expose", func(in instruction) bool { return slices.Contains(in.args, "8080") })) < 0 {
			t.Error("no EXPOSE 8080 in the final stage")
		}
		ep := index(ins, inStage(last, "entrypoint", anything))
		if ep < 0 {
			t.Fatal("no ENTRYPOINT in the final stage")
		}
		if want := []string{"/podlens", "--listen=0.0.0.0:8080"}; !slices.Equal(ins[ep].args, want) || !strings.Contains(ins[ep].orig, "[") {
			t.Errorf("ENTRYPOINT %q, want exec form %q", ins[ep].args, want)
		}
	})
}

// sha256Digest is the only digest form registries serve for these images.
var sha256Digest = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// pinned reports why ref, an image a build pulls, is not pinned: a tag alone
// moves (golang:1.26 is rebuilt for every patch release and Debian update),
// while the digest names exactly one image. The tag stays for readers and for
// Dependabot or Renovate, which bump tag and digest together. Names in local
// (stages, scratch) pull nothing. A build argument in the reference is refused:
// `--build-arg` could swap the image without a change to the file.
func pinned(ref string, local map[string]bool) error {
	if local[strings.ToLower(ref)] {
		return nil
	}
	if strings.Contains(ref, "$") {
		return fmt.Errorf("image %q comes from a build argument; name it, pinned, in the Dockerfile", ref)
	}
	_, tag, digest := imageRef(ref)
	if tag == "" || !sha256Digest.MatchString(digest) {
		return fmt.Errorf("image %q is not pinned: want name:tag@sha256:<64 hex digits>", ref)
	}
	return nil
}

// hasPackageVar reports whether the Go package in dir declares a package-level
// variable name.
func hasPackageVar(t *testing.T, dir, name string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := goparser.ParseFile(fset, dir+"/"+e.Name(), nil, goparser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					if n.Name == name {
						return true
					}
				}
			}
		}
	}
	return false
}

// TestDockerignore checks the build context with the matcher `docker build`
// uses: what the build needs stays in, the rest stays out.
func TestDockerignore(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		"go.mod": false, "go.sum": false, "cmd/server/main.go": false, "internal/diagnose/rules.go": false,
		"web/static/static.go": false, "web/templates/pods_templ.go": false,
		".git/HEAD": true, "bin/podlens": true, "test/artifacts/x.png": true, "internal/diagnose/diagnose.test": true,
	} {
		verb := "is sent"
		if want {
			verb = "is left out"
		}
		t.Run(path+" "+verb, func(t *testing.T) {
			t.Parallel()
			got, err := pm.MatchesOrParentMatches(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("ignored = %v, want %v", got, want)
			}
		})
	}
}
