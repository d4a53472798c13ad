package httpx

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
)

// The web app's cookies and the header that echoes the CSRF token.
const (
	// SessionCookie carries the session token; HttpOnly, so scripts on the
	// page cannot read it.
	SessionCookie = "tessera_session"
	// CSRFCookie carries the session's CSRF token for the web app to read
	// and send back in CSRFHeader on every write.
	CSRFCookie = "tessera_csrf"
	CSRFHeader = "X-CSRF-Token"
)

// checkCSRF refuses a cookie-authenticated write whose X-CSRF-Token is not
// the session's token. Another site can make a browser send the cookie but
// cannot read the CSRF cookie, so it cannot send the header.
func checkCSRF(c *gin.Context, p *identity.Principal) error {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	got := c.GetHeader(CSRFHeader)
	if p.CSRFToken == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.CSRFToken)) != 1 {
		return problem.CSRFFailed()
	}
	return nil
}

// Cookies sets and clears the session cookies, deciding per request whether
// they must be Secure.
type Cookies struct {
	alwaysSecure bool
	trusted      []*net.IPNet
}

// NewCookies returns the cookie policy: always Secure when publicURL is
// https; otherwise Secure when the request came over TLS, or through a
// trusted proxy (addresses or CIDRs, as in TESSERA_TRUSTED_PROXIES) that
// says X-Forwarded-Proto: https. Malformed proxy entries are ignored; the
// router already warns about them.
func NewCookies(publicURL string, trustedProxies []string) *Cookies {
	k := &Cookies{}
	if u, err := url.Parse(publicURL); err == nil && u.Scheme == "https" {
		k.alwaysSecure = true
	}
	for _, p := range trustedProxies {
		p = strings.TrimSpace(p)
		if !strings.Contains(p, "/") {
			if ip := net.ParseIP(p); ip != nil {
				bits := 32
				if ip.To4() == nil {
					bits = 128
				}
				p += "/" + strconv.Itoa(bits)
			}
		}
		if _, n, err := net.ParseCIDR(p); err == nil {
			k.trusted = append(k.trusted, n)
		}
	}
	return k
}

// Secure reports whether the client reached us over HTTPS.
func (k *Cookies) Secure(r *http.Request) bool {
	if r.TLS != nil || k.alwaysSecure {
		return true
	}
	proto := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0])
	return strings.EqualFold(proto, "https") && k.fromTrustedProxy(r)
}

func (k *Cookies) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range k.trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// BaseURL is the scheme and host the client used, for URLs the server hands
// out (the single sign-on redirect URI) when no public URL is configured.
func (k *Cookies) BaseURL(r *http.Request) string {
	scheme := "http"
	if k.Secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// SetSession sets the session cookie and the CSRF cookie for sess. Both are
// SameSite=Lax: sent on top-level navigation to us (links, the single
// sign-on redirect) but not on other sites' subrequests or form posts.
func (k *Cookies) SetSession(c *gin.Context, sess *identity.Session) {
	maxAge := int(time.Until(sess.ExpiresAt).Seconds())
	k.set(c, SessionCookie, sess.Token, maxAge, true)
	k.set(c, CSRFCookie, sess.CSRFToken, maxAge, false)
}

// Clear removes both cookies.
func (k *Cookies) Clear(c *gin.Context) {
	k.set(c, SessionCookie, "", -1, true)
	k.set(c, CSRFCookie, "", -1, false)
}

func (k *Cookies) set(c *gin.Context, name, value string, maxAge int, httpOnly bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: httpOnly, Secure: k.Secure(c.Request), SameSite: http.SameSiteLaxMode})
}
