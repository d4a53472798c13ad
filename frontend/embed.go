// Package frontend embeds the built web app (frontend/dist, produced by
// `npm run build`) into the binary and serves it as a single-page app.
package frontend

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// notBuilt is served when the binary was built without the web app.
const notBuilt = `<!doctype html><meta charset="utf-8"><title>Tessera</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>Tessera</h1><p>The API is running at <code>/api/v1</code>, but this binary was built without the web app.
Build it with <code>make build</code> (or <code>make run</code>), which runs <code>npm ci &amp;&amp; npm run build</code> in <code>frontend/</code>.</p>`

// Handler serves the app: files under dist as they are (hashed assets are
// cached for a year), and index.html for every other path so that the
// client-side router can take it.
func Handler() http.Handler {
	root, err := fs.Sub(dist, "dist")
	if err != nil {
		panic("frontend: " + err.Error())
	}
	return handler(root)
}

func handler(root fs.FS) http.Handler {
	index, indexErr := fs.ReadFile(root, "index.html")
	files := http.FileServer(http.FS(root))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name != "" && name != "index.html" {
			if st, err := fs.Stat(root, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(w, r)
				return
			}
			if path.Ext(name) != "" {
				http.NotFound(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		if indexErr != nil {
			_, _ = w.Write([]byte(notBuilt))
			return
		}
		_, _ = w.Write(index)
	})
}
