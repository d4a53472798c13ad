// Package openapi describes a tenant's API as an OpenAPI 3.0 document built
// at run time from its metadata snapshot: every object gets its record
// schema and its routes, so integrators can generate clients for the objects
// their admin defined.
package openapi

import (
	"fmt"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tessera-crm/tessera/metadata"
)

const decimalPattern = `^-?[0-9]+(\.[0-9]+)?$`

// Build returns the document for a snapshot, labelled in locale.
func Build(snap *metadata.Snapshot, locale string) *openapi3.T {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:       fmt.Sprintf("Tessera API: %s", snap.Tenant.Name),
			Version:     fmt.Sprintf("1.0.0-meta.%d", snap.Version),
			Description: "Generated from the tenant's metadata. Field keys are api names; decimals are strings; times are RFC 3339 UTC.",
		},
		Servers: openapi3.Servers{{URL: "/api/v1"}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{"Problem": openapi3.NewSchemaRef("", problemSchema())},
			SecuritySchemes: openapi3.SecuritySchemes{
				"bearer": &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme().WithBearerFormat("opaque")},
			},
		},
		Security: openapi3.SecurityRequirements{{"bearer": []string{}}},
	}
	objects := append([]*metadata.Object(nil), snap.Objects...)
	sort.Slice(objects, func(i, j int) bool { return objects[i].APIName < objects[j].APIName })
	for _, o := range objects {
		doc.Components.Schemas[o.APIName] = openapi3.NewSchemaRef("", RecordSchema(o, locale))
		doc.Components.Schemas[o.APIName+"_input"] = openapi3.NewSchemaRef("", inputSchema(o, locale))
		addObjectPaths(doc, o, locale)
	}
	return doc
}

func problemSchema() *openapi3.Schema {
	fe := openapi3.NewObjectSchema().
		WithProperty("field", openapi3.NewStringSchema()).
		WithProperty("code", openapi3.NewStringSchema()).
		WithProperty("message", openapi3.NewStringSchema())
	return openapi3.NewObjectSchema().
		WithProperty("type", openapi3.NewStringSchema()).
		WithProperty("title", openapi3.NewStringSchema()).
		WithProperty("status", openapi3.NewIntegerSchema()).
		WithProperty("detail", openapi3.NewStringSchema()).
		WithProperty("code", openapi3.NewStringSchema()).
		WithProperty("errors", openapi3.NewArraySchema().WithItems(fe))
}

// RecordSchema is a record as the API returns it.
func RecordSchema(o *metadata.Object, locale string) *openapi3.Schema {
	s := openapi3.NewObjectSchema()
	s.Title = o.Labels.Pick(locale)
	s.Description = o.Description
	s.WithProperty("id", openapi3.NewUUIDSchema())
	for _, name := range []string{"owner_id", "created_by", "updated_by"} {
		s.WithProperty(name, openapi3.NewUUIDSchema().WithNullable())
	}
	s.WithProperty("created_at", openapi3.NewDateTimeSchema())
	s.WithProperty("updated_at", openapi3.NewDateTimeSchema())
	s.WithProperty("deleted_at", openapi3.NewDateTimeSchema().WithNullable())
	s.WithProperty("version", openapi3.NewInt64Schema())
	s.WithProperty("expand", openapi3.NewObjectSchema().WithAnyAdditionalProperties())
	s.Required = []string{"id", "version"}
	for _, f := range o.Fields {
		if !f.Active {
			continue
		}
		fs := valueSchema(f)
		fs.Title = f.Labels.Pick(locale)
		fs.Nullable = true
		fs.ReadOnly = f.IsReadOnly()
		s.WithProperty(f.APIName, fs)
	}
	return s
}

// inputSchema is what create and update accept.
func inputSchema(o *metadata.Object, locale string) *openapi3.Schema {
	s := openapi3.NewObjectSchema()
	s.Title = o.Labels.Pick(locale) + " input"
	s.WithProperty("owner_id", openapi3.NewUUIDSchema())
	for _, f := range o.Fields {
		if !f.Active || f.IsReadOnly() {
			continue
		}
		fs := valueSchema(f)
		switch f.Type {
		case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
			// Decimals are accepted as strings or JSON numbers.
			fs = openapi3.NewOneOfSchema(fs, openapi3.NewFloat64Schema())
		}
		fs.Title = f.Labels.Pick(locale)
		fs.Description = f.HelpText.Pick(locale)
		fs.Nullable = !f.Required
		s.WithProperty(f.APIName, fs)
		if f.Required && f.Default == nil {
			s.Required = append(s.Required, f.APIName)
		}
	}
	return s
}

func valueSchema(f *metadata.Field) *openapi3.Schema {
	switch f.Type {
	case metadata.TypeInteger:
		s := openapi3.NewInt64Schema()
		if f.Min != nil {
			s.WithMin(f.Min.InexactFloat64())
		}
		if f.Max != nil {
			s.WithMax(f.Max.InexactFloat64())
		}
		return s
	case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
		s := openapi3.NewStringSchema().WithPattern(decimalPattern)
		s.Description = "decimal as a string"
		return s
	case metadata.TypeBoolean:
		return openapi3.NewBoolSchema()
	case metadata.TypeDate:
		return openapi3.NewStringSchema().WithFormat("date")
	case metadata.TypeDatetime:
		return openapi3.NewDateTimeSchema()
	case metadata.TypeLookup:
		s := openapi3.NewUUIDSchema()
		s.Description = "id of a " + f.Target + " record"
		return s
	case metadata.TypePicklist:
		return openapi3.NewStringSchema().WithEnum(optionValues(f)...)
	case metadata.TypeMultiPicklist:
		return openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema().WithEnum(optionValues(f)...))
	case metadata.TypeEmail:
		return withMax(openapi3.NewStringSchema().WithFormat("email"), f)
	case metadata.TypeURL:
		return withMax(openapi3.NewStringSchema().WithFormat("uri"), f)
	}
	return withMax(openapi3.NewStringSchema(), f)
}

func withMax(s *openapi3.Schema, f *metadata.Field) *openapi3.Schema {
	if f.MaxLength != nil {
		s.WithMaxLength(int64(*f.MaxLength))
	}
	return s
}

func optionValues(f *metadata.Field) []any {
	var out []any
	for _, o := range f.Options {
		out = append(out, o.APIName)
	}
	return out
}
