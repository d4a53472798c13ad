// Package expressionapi serves what expression editors need: the names and
// functions to complete, a check that reports errors with their position,
// and a dry run against a record.
package expressionapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/engine/expression"
	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Handlers serve /meta/objects/{object}/expressions/*.
type Handlers struct {
	Records *record.Service
}

// keywords are the language's operators and literals, for completion.
var keywords = []string{"and", "or", "not", "in", "contains", "startsWith", "endsWith", "matches", "true", "false", "nil", "let"}

type vocabulary struct {
	Names     []*expression.Name     `json:"names"`
	Functions []*expression.Function `json:"functions"`
	Keywords  []string               `json:"keywords"`
}

// Vocabulary lists the names and functions an expression on the object may
// use; ?prior=true adds prior values, for rules that run on save.
func (h *Handlers) Vocabulary(c *gin.Context) {
	snap, obj, ok := object(c)
	if !ok {
		return
	}
	env := expression.Env{Snapshot: snap, Object: obj, Prior: c.Query("prior") == "true"}
	c.JSON(http.StatusOK, vocabulary{Names: expression.Names(env), Functions: expression.Functions(), Keywords: keywords})
}

type checkInput struct {
	Expression *string `json:"expression"`
	Prior      bool    `json:"prior"`
	ResultType string  `json:"result_type"`
	RecordID   string  `json:"record_id"`
}

type diagnostic struct {
	Message    string `json:"message"`
	Position   int    `json:"position"`
	End        int    `json:"end"`
	Suggestion string `json:"suggestion,omitempty"`
}

type checkResult struct {
	Valid      bool                `json:"valid"`
	ResultType expression.Type     `json:"result_type,omitempty"`
	Fields     []string            `json:"fields,omitempty"`
	Related    map[string][]string `json:"related,omitempty"`
	Errors     []diagnostic        `json:"errors,omitempty"`
	Value      any                 `json:"value,omitempty"`
	Error      string              `json:"error,omitempty"`
}

// Check compiles an expression and answers 200 either way: an invalid
// expression is the answer, not a bad request.
func (h *Handlers) Check(c *gin.Context) {
	res, _, ok := compile(c, false)
	if ok {
		c.JSON(http.StatusOK, res)
	}
}

// Evaluate compiles an expression and runs it on a record the caller can
// read.
func (h *Handlers) Evaluate(c *gin.Context) {
	res, in, ok := compile(c, true)
	if !ok {
		return
	}
	if !res.Valid {
		c.JSON(http.StatusOK, res)
		return
	}
	snap, obj, _ := object(c)
	p, _ := expression.Compile(*in.Expression, env(snap, obj, in))
	out, err := h.Records.Evaluate(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), in.RecordID, p)
	var evalErr *expression.EvalError
	switch {
	case errors.As(err, &evalErr):
		res.Error = evalErr.Message
	case err != nil:
		problem.Write(c, err)
		return
	default:
		res.Value = expression.JSON(out)
	}
	c.JSON(http.StatusOK, res)
}

func object(c *gin.Context) (*metadata.Snapshot, *metadata.Object, bool) {
	snap := httpx.Snapshot(c)
	obj := snap.Object(c.Param("object"))
	if obj == nil {
		problem.Write(c, problem.UnknownObject(c.Param("object")))
		return nil, nil, false
	}
	return snap, obj, true
}

var resultTypes = map[string]expression.Type{
	"": expression.Any, "any": expression.Any, "boolean": expression.Boolean, "number": expression.Number, "text": expression.Text,
	"date": expression.Date, "datetime": expression.Datetime, "list": expression.List,
}

func env(snap *metadata.Snapshot, obj *metadata.Object, in checkInput) expression.Env {
	return expression.Env{Snapshot: snap, Object: obj, Prior: in.Prior, Result: resultTypes[in.ResultType]}
}

func compile(c *gin.Context, needRecord bool) (checkResult, checkInput, bool) {
	var in checkInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return checkResult{}, in, false
	}
	switch {
	case in.Expression == nil:
		problem.Write(c, problem.Field("expression", problem.CodeRequired, "expression is required"))
		return checkResult{}, in, false
	case len(*in.Expression) > expression.MaxSourceBytes*4:
		problem.Write(c, problem.Field("expression", problem.CodeTooLong, "expression is too long"))
		return checkResult{}, in, false
	case needRecord && in.RecordID == "":
		problem.Write(c, problem.Field("record_id", problem.CodeRequired, "record_id is required"))
		return checkResult{}, in, false
	}
	if _, known := resultTypes[in.ResultType]; !known {
		problem.Write(c, problem.Field("result_type", problem.CodeInvalidValue, "result_type must be boolean, number, text, date, datetime, list or any"))
		return checkResult{}, in, false
	}
	snap, obj, ok := object(c)
	if !ok {
		return checkResult{}, in, false
	}
	p, err := expression.Compile(*in.Expression, env(snap, obj, in))
	if err != nil {
		pe, isProblem := problem.As(err)
		if !isProblem {
			problem.Write(c, err)
			return checkResult{}, in, false
		}
		res := checkResult{}
		for _, fe := range pe.Errors {
			d := diagnostic{Message: fe.Message, Suggestion: fe.Suggestion}
			if fe.Position != nil {
				d.Position, d.End = *fe.Position, *fe.Position
			}
			if fe.End != nil {
				d.End = *fe.End
			}
			res.Errors = append(res.Errors, d)
		}
		return res, in, true
	}
	return checkResult{Valid: true, ResultType: p.Result, Fields: p.Fields, Related: p.Related}, in, true
}
