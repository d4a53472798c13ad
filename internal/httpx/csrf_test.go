package httpx

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestCookies_SecureOnlyForTLSAnHTTPSPublicURLOrATrustedProxy(t *testing.T) {
	k := NewCookies("", []string{"10.0.0.0/8", "192.0.2.7", "::1", "not-an-address"})
	cases := []struct {
		remote, proto string
		tls, want     bool
	}{
		{"203.0.113.5:4000", "", false, false},
		{"203.0.113.5:4000", "", true, true},
		{"203.0.113.5:4000", "https", false, false}, // untrusted peer
		{"10.1.2.3:4000", "https", false, true},
		{"10.1.2.3:4000", "http", false, false},
		{"192.0.2.7:4000", "HTTPS, http", false, true},
		{"192.0.2.8:4000", "https", false, false},
		{"[::1]:4000", "https", false, true},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if got := k.Secure(r); got != c.want {
			t.Errorf("%s proto %q tls %v: secure %v, want %v", c.remote, c.proto, c.tls, got, c.want)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	if !NewCookies("https://crm.example.com", nil).Secure(r) {
		t.Error("an https public URL does not force Secure")
	}
	if NewCookies("http://crm.example.com", nil).Secure(r) {
		t.Error("an http public URL forces Secure")
	}
}
