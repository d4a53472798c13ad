// Package httpx holds the HTTP plumbing every route shares: request ids,
// structured request logs, body limits, panic recovery, strict JSON decoding
// and the authentication that binds a request to its tenant.
package httpx

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// RequestID takes a well-formed X-Request-ID from the client or makes one,
// and returns it in the response.
func RequestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !requestIDPattern.MatchString(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(problem.RequestIDKey, id)
		c.Header("X-Request-ID", id)
		// The operation log records where each change came from.
		c.Request = c.Request.WithContext(audit.WithRequest(c.Request.Context(),
			audit.Request{IP: c.ClientIP(), Client: c.Request.UserAgent(), RequestID: id}))
		c.Next()
	}
}

// Logger writes one structured line per request.
func Logger(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		attrs := []any{
			"method", c.Request.Method,
			"path", c.Request.URL.Path,
			"route", c.FullPath(),
			"status", c.Writer.Status(),
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000,
			"bytes", c.Writer.Size(),
			"request_id", c.GetString(problem.RequestIDKey),
			"client_ip", c.ClientIP(),
		}
		if p := identity.FromContext(c.Request.Context()); p != nil {
			attrs = append(attrs, "tenant", p.TenantKey, "user", p.UserID)
		}
		level := slog.LevelInfo
		switch {
		case c.Writer.Status() >= 500:
			level = slog.LevelError
		case c.Request.URL.Path == "/healthz" || c.Request.URL.Path == "/readyz":
			level = slog.LevelDebug
		}
		log.Log(c.Request.Context(), level, "request", attrs...)
	}
}

// BodyLimit refuses bodies over limit bytes with 413.
func BodyLimit(limit int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > limit {
			problem.Write(c, problem.TooLarge(limit))
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		c.Set(bodyLimitKey, limit)
		c.Next()
	}
}

const bodyLimitKey = "body_limit"

// Recovery turns a panic into a logged 500 problem; the process lives on.
func Recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				log.ErrorContext(c.Request.Context(), "panic", "err", fmt.Sprint(r), "request_id", c.GetString(problem.RequestIDKey), "stack", string(debug.Stack()))
				if !c.Writer.Written() {
					problem.Write(c, problem.Internal(c.GetString(problem.RequestIDKey)))
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// NoRoute answers unknown paths with a problem document.
func NoRoute(c *gin.Context) {
	problem.Write(c, problem.NotFound("no route %s %s", c.Request.Method, c.Request.URL.Path))
}

// NoMethod answers a wrong method with 405.
func NoMethod(c *gin.Context) {
	problem.Write(c, &problem.Error{Status: http.StatusMethodNotAllowed, Type: "https://tessera.dev/problems/method-not-allowed",
		Title: http.StatusText(http.StatusMethodNotAllowed), Code: "method_not_allowed", Detail: c.Request.Method + " is not allowed on " + c.Request.URL.Path})
}
