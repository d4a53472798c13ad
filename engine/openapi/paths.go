package openapi

import (
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tessera-crm/tessera/metadata"
)

func ref(name string) *openapi3.SchemaRef {
	return openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
}

func jsonResponse(desc string, schema *openapi3.SchemaRef) *openapi3.ResponseRef {
	return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(desc).WithContent(openapi3.NewContentWithJSONSchemaRef(schema))}
}

func problemResponse(desc string) *openapi3.ResponseRef {
	return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(desc).
		WithContent(openapi3.Content{"application/problem+json": openapi3.NewMediaType().WithSchemaRef(ref("Problem"))})}
}

func operation(id, summary string, responses map[int]*openapi3.ResponseRef) *openapi3.Operation {
	op := openapi3.NewOperation()
	op.OperationID = id
	op.Summary = summary
	op.Responses = openapi3.NewResponses()
	for status, r := range responses {
		op.Responses.Set(itoa(status), r)
	}
	op.Responses.Set("400", problemResponse("invalid input; errors name the fields"))
	op.Responses.Set("401", problemResponse("missing or invalid token"))
	return op
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func queryParam(name, desc string, schema *openapi3.Schema) *openapi3.ParameterRef {
	p := openapi3.NewQueryParameter(name).WithSchema(schema)
	p.Description = desc
	return &openapi3.ParameterRef{Value: p}
}

func addObjectPaths(doc *openapi3.T, o *metadata.Object, locale string) {
	name := o.APIName
	label := o.Labels.Pick(locale)
	page := openapi3.NewObjectSchema().
		WithProperty("data", openapi3.NewArraySchema().WithItems(openapi3.NewSchema())).
		WithProperty("next_cursor", openapi3.NewStringSchema().WithNullable()).
		WithProperty("total", openapi3.NewInt64Schema())
	page.Properties["data"].Value.Items = ref(name)

	list := operation("list_"+name, "List "+label, map[int]*openapi3.ResponseRef{200: jsonResponse("a page", openapi3.NewSchemaRef("", page))})
	list.Parameters = openapi3.Parameters{
		queryParam("filter", "filter expression, e.g. amount > 1000 && stage == \"proposal\"", openapi3.NewStringSchema()),
		queryParam("sort", "comma-separated fields, - for descending", openapi3.NewStringSchema()),
		queryParam("limit", "page size (max 200)", openapi3.NewIntegerSchema().WithMin(1).WithMax(200)),
		queryParam("cursor", "next_cursor of the previous page", openapi3.NewStringSchema()),
		queryParam("fields", "comma-separated fields to return", openapi3.NewStringSchema()),
		queryParam("expand", "comma-separated lookups to expand", openapi3.NewStringSchema()),
		queryParam("count", "include total", openapi3.NewBoolSchema()),
	}
	create := operation("create_"+name, "Create a "+label, map[int]*openapi3.ResponseRef{201: jsonResponse("created", ref(name))})
	create.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(ref(name + "_input"))}
	doc.Paths.Set("/records/"+name, &openapi3.PathItem{Get: list, Post: create})

	idParam := &openapi3.ParameterRef{Value: openapi3.NewPathParameter("id").WithSchema(openapi3.NewUUIDSchema())}
	get := operation("get_"+name, "Read a "+label, map[int]*openapi3.ResponseRef{200: jsonResponse("the record", ref(name)), 404: problemResponse("no such record")})
	patch := operation("update_"+name, "Update a "+label, map[int]*openapi3.ResponseRef{200: jsonResponse("updated", ref(name)), 412: problemResponse("stale If-Match")})
	patch.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(ref(name + "_input"))}
	del := operation("delete_"+name, "Delete a "+label+" (to the recycle bin)", map[int]*openapi3.ResponseRef{204: {Value: openapi3.NewResponse().WithDescription("deleted")}})
	doc.Paths.Set("/records/"+name+"/{id}", &openapi3.PathItem{Parameters: openapi3.Parameters{idParam}, Get: get, Patch: patch, Delete: del})
}
