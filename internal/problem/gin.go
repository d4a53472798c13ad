package problem

import (
	"log/slog"
	"strconv"

	"github.com/gin-gonic/gin"
)

// RequestIDKey is where the request-id middleware stores the id in gin's context.
const RequestIDKey = "request_id"

// Write renders err: a problem Error as itself, anything else as a 500 that
// is logged with the request id and not shown to the client.
func Write(c *gin.Context, err error) {
	pe, ok := As(err)
	if !ok {
		rid := c.GetString(RequestIDKey)
		slog.ErrorContext(c.Request.Context(), "request failed", "err", err, "request_id", rid, "path", c.FullPath())
		pe = Internal(rid)
	}
	if pe.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(pe.RetryAfter))
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(pe.Status, pe)
}
