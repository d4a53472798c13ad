package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// BenchmarkAPI runs the records API's get and list through the server's
// router in process (middleware, authentication, snapshot, handler, JSON),
// without a network: the request path bench/run.sh loads over HTTP, in a
// form `go test -cpuprofile` can profile. Compare with BenchmarkTax's
// engine numbers to see what the HTTP layer adds.
func BenchmarkAPI(b *testing.B) {
	for _, dialect := range testutil.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			s, seeded := newSeeded(b, dialect)
			token, _, err := s.App.Identity.LoginUser(context.Background(), s.Tenant.ID, AdminEmail, AdminPassword, identity.ClientInfo{})
			if err != nil {
				b.Fatal(err)
			}
			serve := func(b *testing.B, path string) {
				req := httptest.NewRequest("GET", path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				w := httptest.NewRecorder()
				s.App.Router.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
				}
			}
			b.Run("get", func(b *testing.B) {
				b.ReportAllocs()
				ids := seeded.Opportunities
				for i := 0; b.Loop(); i++ {
					serve(b, "/api/v1/records/opportunity/"+ids[(i*7919)%len(ids)])
				}
			})
			b.Run("list", func(b *testing.B) {
				b.ReportAllocs()
				path := "/api/v1/records/opportunity?" + url.Values{"filter": {ListFilter}, "sort": {ListSort}, "limit": {strconv.Itoa(ListLimit)}}.Encode()
				for b.Loop() {
					serve(b, path)
				}
			})
		})
	}
}
