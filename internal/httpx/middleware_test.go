package httpx

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/problem"
)

func testEngine(limit int64, h gin.HandlerFunc) *gin.Engine {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r.Use(RequestID(), Recovery(log), Logger(log), BodyLimit(limit))
	r.POST("/x", h)
	return r
}

func TestRecovery_PanicBecomesProblem500(t *testing.T) {
	r := testEngine(1024, func(c *gin.Context) { panic("boom") })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("POST", "/x", nil))
	if w.Code != 500 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/problem+json") {
		t.Fatalf("%d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var body map[string]any
	json.Unmarshal(w.Body.Bytes(), &body)
	if strings.Contains(w.Body.String(), "boom") || !strings.Contains(body["detail"].(string), w.Header().Get("X-Request-ID")) {
		t.Fatalf("500 body leaks internals or lacks the request id: %s", w.Body)
	}
}

func TestRequestID_KeepsAWellFormedClientID(t *testing.T) {
	r := testEngine(1024, func(c *gin.Context) { c.Status(204) })
	for in, keep := range map[string]bool{"abc-123": true, "bad id with spaces": false, strings.Repeat("a", 65): false} {
		w := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/x", nil)
		req.Header.Set("X-Request-ID", in)
		r.ServeHTTP(w, req)
		got := w.Header().Get("X-Request-ID")
		if (got == in) != keep || got == "" {
			t.Errorf("in %q: out %q", in, got)
		}
	}
}

func TestBodyLimit_RefusesWith413(t *testing.T) {
	r := testEngine(16, func(c *gin.Context) {
		var v map[string]any
		if err := BindJSON(c, &v); err != nil {
			problem.Write(c, err)
			return
		}
		c.Status(204)
	})
	for _, chunked := range []bool{false, true} {
		w := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/x", bytes.NewReader([]byte(`{"a":"`+strings.Repeat("x", 100)+`"}`)))
		if chunked {
			req.ContentLength = -1 // no length header: the limit trips while reading
		}
		r.ServeHTTP(w, req)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked=%v: %d %s", chunked, w.Code, w.Body)
		}
	}
}

func TestDecodeStrict_NamesTheProblem(t *testing.T) {
	var v struct {
		N int `json:"n"`
	}
	cases := map[string]string{
		`{"n": "x"}`: `"field":"n"`,
		`{"m": 1}`:   `"field":"m"`,
		`{"n": 1,`:   `invalid_json`,
		``:           `invalid_json`,
		`{} {}`:      `invalid_json`,
	}
	for in, want := range cases {
		err := DecodeStrict([]byte(in), &v)
		b, _ := json.Marshal(err)
		if err == nil || !strings.Contains(string(b), want) {
			t.Errorf("%q: %s, want %s", in, b, want)
		}
	}
}
