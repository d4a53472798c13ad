package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/problem"
)

// ReadBody reads the whole body, mapping an over-limit body to 413.
func ReadBody(c *gin.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, problem.TooLarge(mbe.Limit)
		}
		return nil, problem.Invalid("the request body could not be read")
	}
	return b, nil
}

// BindJSON decodes the body into v strictly: unknown keys and trailing data
// are errors, numbers keep their precision.
func BindJSON(c *gin.Context, v any) error {
	b, err := ReadBody(c)
	if err != nil {
		return err
	}
	return DecodeStrict(b, v)
}

// DecodeStrict decodes JSON into v refusing unknown keys.
func DecodeStrict(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return jsonError("the request body is empty; a JSON object is expected")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if dec.More() {
		return jsonError("the request body has data after the JSON value")
	}
	return nil
}

// BindRecord decodes a JSON object of field values, keeping numbers exact.
func BindRecord(c *gin.Context) (map[string]any, error) {
	b, err := ReadBody(c)
	if err != nil {
		return nil, err
	}
	return DecodeRecord(b)
}

// DecodeRecord decodes a JSON object of field values, keeping numbers exact.
func DecodeRecord(b []byte) (map[string]any, error) {
	var m map[string]any
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, jsonError("the request body is empty; a JSON object is expected")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, describeJSONError(err)
	}
	if dec.More() {
		return nil, jsonError("the request body has data after the JSON value")
	}
	if m == nil {
		return nil, jsonError("a JSON object is expected")
	}
	return m, nil
}

func jsonError(msg string) *problem.Error {
	e := problem.Invalid(msg)
	e.Code = problem.CodeInvalidJSON
	return e
}

func describeJSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return problem.TooLarge(mbe.Limit)
	case errors.As(err, &syn):
		e := jsonError(fmt.Sprintf("the body is not valid JSON (at byte %d): %s", syn.Offset, syn.Error()))
		pos := int(syn.Offset)
		e.Errors = []problem.FieldError{{Field: "body", Code: problem.CodeInvalidJSON, Message: syn.Error(), Position: &pos}}
		return e
	case errors.As(err, &typ):
		field := jsonPath(typ.Field)
		if field == "" {
			field = "body"
		}
		return problem.Field(field, problem.CodeInvalidType, "%s must be %s, not %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return jsonError("the body is not valid JSON: it ends too early")
	}
	msg := err.Error()
	if len(msg) > 15 && msg[:15] == "json: unknown f" {
		var name string
		fmt.Sscanf(msg, "json: unknown field %q", &name)
		return problem.Field(name, problem.CodeUnknownField, "%q is not a known key", name)
	}
	return jsonError("the body is not valid JSON: " + msg)
}

func jsonKind(k string) string {
	switch k {
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	}
	return "a number"
}

// jsonPath drops the Go names of embedded structs from a decoder's field
// path ("Field.max_length" -> "max_length"): clients know only JSON keys.
func jsonPath(p string) string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for _, part := range parts {
		if part != "" && part[0] >= 'A' && part[0] <= 'Z' {
			continue
		}
		out = append(out, part)
	}
	return strings.Join(out, ".")
}
