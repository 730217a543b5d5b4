// Package static holds the dashboard's browser assets, embedded in the binary
// so that air-gapped clusters and strict portal CSPs need no third-party host.
//
// htmx and its websocket extension are vendored from the npm registry with
// their versions in the file names; app.js and app.css are addressed with a
// content hash query (Path), so every asset can be cached for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed *.js *.css
var files embed.FS

// The vendored scripts, pinned (htmx 4 renames the ws attributes).
const (
	HTMX   = "htmx-2.0.11.min.js"
	HTMXWS = "htmx-ext-ws-2.0.4.js"
	AppJS  = "app.js"
	AppCSS = "app.css"
)

// hashes maps every embedded file name to a short hash of its content,
// computed once: the query in Path changes exactly when the file does.
var hashes = func() map[string]string {
	m := map[string]string{}
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic(err) // the embed is fixed at compile time
	}
	for _, e := range entries {
		b, err := files.ReadFile(e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		m[e.Name()] = hex.EncodeToString(sum[:])[:12]
	}
	return m
}()

// Path returns the URL of an asset relative to the application root, with a
// content hash so that a new build never serves a stale cached file:
// "static/app.js?v=0123456789ab". Callers prefix the per-request root.
func Path(name string) string {
	if h, ok := hashes[name]; ok {
		return "static/" + name + "?v=" + h
	}
	return "static/" + name
}

// Handler serves the embedded assets. Mount it so that the request path is the
// file name (strip the "/static/" prefix first). Names are versioned or hashed,
// so responses are cacheable for a year and immutable.
func Handler() http.Handler {
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if _, ok := hashes[name]; !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fileServer.ServeHTTP(w, r)
	})
}
