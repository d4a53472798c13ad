package frontend

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, root fstest.MapFS, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	handler(root).ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w
}

func TestHandler_ServesTheSinglePageApp(t *testing.T) {
	root := fstest.MapFS{
		"index.html":         {Data: []byte("<html>app</html>")},
		"assets/app-1a2b.js": {Data: []byte("console.log(1)")},
		"favicon.svg":        {Data: []byte("<svg/>")},
	}
	if w := get(t, root, "/o/opportunity/123"); w.Code != 200 || w.Body.String() != "<html>app</html>" || w.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("client route: %d %q %q", w.Code, w.Body, w.Header().Get("Cache-Control"))
	}
	if w := get(t, root, "/assets/app-1a2b.js"); w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("asset: %d %q", w.Code, w.Header().Get("Cache-Control"))
	}
	if w := get(t, root, "/assets/missing.js"); w.Code != 404 {
		t.Fatalf("missing asset: %d", w.Code)
	}
	if w := get(t, root, "/../../etc/passwd"); w.Code != 200 || w.Body.String() != "<html>app</html>" {
		t.Fatalf("path escape: %d %q", w.Code, w.Body)
	}
}

func TestHandler_ExplainsAMissingBuild(t *testing.T) {
	w := get(t, fstest.MapFS{".gitkeep": {}}, "/")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "make build") {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}
