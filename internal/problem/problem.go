// Package problem defines the errors the domain returns for bad input and
// conflicts, and renders every error as RFC 9457 problem+json exactly once, at
// the HTTP edge.
package problem

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Stable error codes; clients switch on these.
const (
	CodeRequired        = "required"
	CodeInvalidType     = "invalid_type"
	CodeInvalidValue    = "invalid_value"
	CodeTooLong         = "too_long"
	CodeTooShort        = "too_short"
	CodeOutOfRange      = "out_of_range"
	CodeUnknownField    = "unknown_field"
	CodeUnknownObject   = "unknown_object"
	CodeUniqueViolation = "unique_violation"
	CodeVersionConflict = "version_conflict"
	CodeNotFound        = "not_found"
	CodeForbidden       = "forbidden"
	CodeUnauthorized    = "unauthorized"
	CodeInvalidFilter   = "invalid_filter"
	CodeInvalidSort     = "invalid_sort"
	CodeInvalidCursor   = "invalid_cursor"
	CodeInvalidJSON     = "invalid_json"
	CodeTooLarge        = "too_large"
	CodeConflict        = "conflict"
	CodeReferenced      = "referenced"
	CodeLookupNotFound  = "lookup_not_found"
	CodeNotConvertible  = "not_convertible"
	CodeReadOnly        = "read_only"
	CodeProtected       = "protected"
	CodeIdempotency     = "idempotency_mismatch"
	CodeLimitExceeded   = "limit_exceeded"
	CodeCSRFFailed      = "csrf_failed"
	CodeTooManyAttempts = "too_many_attempts"
	// CodeInvalidExpression refuses a formula, condition or rule that does
	// not compile; the error carries its position and a suggestion.
	CodeInvalidExpression = "invalid_expression"
	// CodeValidationRule is a save refused by a tenant's validation rule.
	CodeValidationRule = "validation_rule"
)

// FieldError names one field and why its value was refused.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Position is the byte offset in an expression, for filter and
	// expression errors; End, when set, is where the offending part ends.
	Position *int `json:"position,omitempty"`
	End      *int `json:"end,omitempty"`
	// Suggestion is what the client probably meant ("amount" for "amout").
	Suggestion string `json:"suggestion,omitempty"`
	// Rule names the validation rule that refused a save.
	Rule string `json:"rule,omitempty"`
	// Rows lists record ids that block a change, when there are some.
	Rows []string `json:"rows,omitempty"`
}

// Error is a client-facing error: an HTTP status and a problem document.
type Error struct {
	Status int          `json:"status"`
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Detail string       `json:"detail,omitempty"`
	Errors []FieldError `json:"errors,omitempty"`
	// Code is the top-level stable code, also used when Errors is empty.
	Code string `json:"code"`
	// RetryAfter, when positive, is sent as the Retry-After header (seconds).
	RetryAfter int `json:"-"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Detail)
	if b.Len() == 0 {
		b.WriteString(e.Title)
	}
	for _, fe := range e.Errors {
		fmt.Fprintf(&b, "; %s: %s", fe.Field, fe.Message)
	}
	return b.String()
}

func newError(status int, code, detail string, errs ...FieldError) *Error {
	return &Error{
		Status: status,
		Type:   "https://tessera.dev/problems/" + strings.ReplaceAll(code, "_", "-"),
		Title:  http.StatusText(status),
		Detail: detail,
		Code:   code,
		Errors: errs,
	}
}

// Invalid is a 400 for one or more fields.
func Invalid(detail string, errs ...FieldError) *Error {
	code := CodeInvalidValue
	if len(errs) > 0 {
		code = errs[0].Code
	}
	return newError(http.StatusBadRequest, code, detail, errs...)
}

// Field is a 400 naming one field.
func Field(field, code, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return newError(http.StatusBadRequest, code, msg, FieldError{Field: field, Code: code, Message: msg})
}

// NotFound is a 404.
func NotFound(format string, args ...any) *Error {
	return newError(http.StatusNotFound, CodeNotFound, fmt.Sprintf(format, args...))
}

// UnknownObject is a 404 naming the object.
func UnknownObject(object string) *Error {
	msg := fmt.Sprintf("object %q does not exist", object)
	return newError(http.StatusNotFound, CodeUnknownObject, msg, FieldError{Field: "object", Code: CodeUnknownObject, Message: msg})
}

// Conflict is a 409 with a code.
func Conflict(code, format string, args ...any) *Error {
	return newError(http.StatusConflict, code, fmt.Sprintf(format, args...))
}

// Unique is a 409 naming the field whose unique constraint was violated.
func Unique(field string) *Error {
	msg := fmt.Sprintf("another record already has this value of %q", field)
	return newError(http.StatusConflict, CodeUniqueViolation, msg, FieldError{Field: field, Code: CodeUniqueViolation, Message: msg})
}

// VersionConflict is a 412: the client's If-Match is stale.
func VersionConflict(current int64) *Error {
	return newError(http.StatusPreconditionFailed, CodeVersionConflict,
		fmt.Sprintf("the record changed since you read it (current version %d)", current))
}

// Unauthorized is a 401.
func Unauthorized(detail string) *Error {
	return newError(http.StatusUnauthorized, CodeUnauthorized, detail)
}

// Forbidden is a 403.
func Forbidden(detail string) *Error {
	return newError(http.StatusForbidden, CodeForbidden, detail)
}

// TooLarge is a 413.
func TooLarge(limit int64) *Error {
	return newError(http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("request body exceeds %d bytes", limit))
}

// CSRFFailed is a 403 for a cookie-authenticated write without the
// session's CSRF token.
func CSRFFailed() *Error {
	return newError(http.StatusForbidden, CodeCSRFFailed, "the X-CSRF-Token header is missing or does not match the session")
}

// TooManyAttempts is a 429 telling the client when to try again.
func TooManyAttempts(retryAfterSeconds int, detail string) *Error {
	e := newError(http.StatusTooManyRequests, CodeTooManyAttempts, detail)
	e.RetryAfter = retryAfterSeconds
	return e
}

// Busy is a 503 for a request that met a lock or timeout and may be retried.
func Busy(detail string) *Error {
	return newError(http.StatusServiceUnavailable, "busy", detail)
}

// Unprocessable is a 422 for requests that are well-formed but cannot apply.
func Unprocessable(code, format string, args ...any) *Error {
	return newError(http.StatusUnprocessableEntity, code, fmt.Sprintf(format, args...))
}

// WithErrors returns a copy of e with field errors attached.
func (e *Error) WithErrors(errs ...FieldError) *Error {
	c := *e
	c.Errors = append(append([]FieldError(nil), e.Errors...), errs...)
	return &c
}

// As extracts a client-facing error from err's chain.
func As(err error) (*Error, bool) {
	var pe *Error
	if errors.As(err, &pe) {
		return pe, true
	}
	return nil, false
}

// Internal is the document for an unexpected server error; its detail never
// carries internals.
func Internal(requestID string) *Error {
	e := newError(http.StatusInternalServerError, "internal", "an unexpected error occurred; quote request id "+requestID)
	return e
}
