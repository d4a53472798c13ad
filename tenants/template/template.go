// Package template holds the standard apps a tenant can start from, written
// as declarative YAML in the shape of the metadata model, and the strict
// loader that turns them into metadata objects.
package template

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/metadata"
)

//go:embed sales.yaml
var salesYAML []byte

// Template is a set of objects installed together.
type Template struct {
	Key     string             `json:"key"`
	Version int                `json:"version"`
	Objects []*metadata.Object `json:"objects"`
	// Access is the starting organisation and permission sets.
	Access *access.Starter `json:"access,omitempty"`
}

// Sales returns the standard sales app: accounts, contacts, leads,
// opportunities, products and activities. Every call parses afresh, so
// callers own the objects and may change them (installing does).
func Sales() (*Template, error) {
	return Parse(salesYAML)
}

// Parse reads a template. It is strict: a key the metadata model does not
// have is an error naming the key, its line and its path, so a typo such as
// "colour" fails loudly instead of silently dropping the setting. Whether the
// definitions make sense is for metadata validation, at install.
func Parse(data []byte) (*Template, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if len(root.Content) == 0 {
		return nil, errors.New("parse template: the document is empty")
	}
	doc, err := jsonValue(root.Content[0], reflect.TypeFor[Template](), "")
	if err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	// The key check above gives positions; the strict decode below is the
	// same check as encoding/json sees it, plus the value types.
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var t Template
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	switch {
	case t.Key == "":
		return nil, errors.New("parse template: key is required")
	case t.Version < 1:
		return nil, fmt.Errorf("parse template %s: version must be 1 or more", t.Key)
	case len(t.Objects) == 0:
		return nil, fmt.Errorf("parse template %s: it has no objects", t.Key)
	}
	return &t, nil
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// jsonValue converts a YAML node into the value encoding/json decodes into
// t, refusing mapping keys that t (a struct) has no JSON field for. A nil t
// accepts anything (maps' free keys, raw JSON defaults).
func jsonValue(n *yaml.Node, t reflect.Type, path string) (any, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType {
		t = nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		return jsonObject(n, t, path)
	case yaml.SequenceNode:
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		out := make([]any, 0, len(n.Content))
		for i, item := range n.Content {
			v, err := jsonValue(item, elem, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %s: %w", n.Line, pathName(path), err)
		}
		if _, ok := v.(time.Time); ok {
			// An unquoted date stays the text it was written as.
			return n.Value, nil
		}
		return v, nil
	}
	return nil, fmt.Errorf("line %d: %s: unsupported YAML node", n.Line, pathName(path))
}

func jsonObject(n *yaml.Node, t reflect.Type, path string) (map[string]any, error) {
	var fields map[string]reflect.Type
	if t != nil && t.Kind() == reflect.Struct {
		fields = jsonFields(t)
	}
	out := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		var vt reflect.Type
		switch {
		case fields != nil:
			ft, ok := fields[key.Value]
			if !ok {
				return nil, fmt.Errorf("line %d: %s: unknown key %q", key.Line, pathName(path), key.Value)
			}
			vt = ft
		case t != nil && t.Kind() == reflect.Map:
			vt = t.Elem()
		}
		v, err := jsonValue(val, vt, joinPath(path, key.Value))
		if err != nil {
			return nil, err
		}
		out[key.Value] = v
	}
	return out, nil
}

// jsonFields maps a struct's JSON names to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField())
	for sf := range t.Fields() {
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fields[name] = sf.Type
	}
	return fields
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func pathName(path string) string {
	if path == "" {
		return "top level"
	}
	return path
}
