package workflow

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/riverqueue/river"
)

// WebhookArgs is an outbound webhook waiting on the queue.
type WebhookArgs struct {
	TenantID string         `json:"tenant_id"`
	URL      string         `json:"url"`
	Event    string         `json:"event"`
	Payload  map[string]any `json:"payload"`
}

// Kind names the job type.
func (WebhookArgs) Kind() string { return "webhook" }

type webhookWorker struct {
	river.WorkerDefaults[WebhookArgs]
	e *Engine
}

// Signature headers of outbound webhooks. The signature is
// HMAC-SHA256(secret, "<timestamp>.<body>") in hex, sent as
// "t=<timestamp>,v1=<hex>"; the delivery id stays the same across retries,
// for receivers to drop duplicates.
const (
	HeaderSignature = "X-Tessera-Signature"
	HeaderDelivery  = "X-Tessera-Delivery"
	HeaderEvent     = "X-Tessera-Event"
)

// Sign computes the signature header value of body sent at ts.
func Sign(secret string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac.Write([]byte(stamp + "."))
	mac.Write(body)
	return "t=" + stamp + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Work posts the payload; anything but a 2xx answer is retried with the
// queue's backoff, up to the job's attempts.
func (w *webhookWorker) Work(ctx context.Context, job *river.Job[WebhookArgs]) error {
	secret, err := w.e.secrets.WebhookSecret(ctx, job.Args.TenantID)
	if err != nil {
		return fmt.Errorf("webhook %d: %w", job.ID, err)
	}
	body, err := json.Marshal(job.Args.Payload)
	if err != nil {
		return fmt.Errorf("webhook %d: %w", job.ID, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, job.Args.URL, bytes.NewReader(body))
	if err != nil {
		return river.JobCancel(fmt.Errorf("webhook %d: %w", job.ID, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Tessera-Webhooks/1")
	req.Header.Set(HeaderEvent, job.Args.Event)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(job.ID, 10))
	req.Header.Set(HeaderSignature, Sign(secret, w.e.now(), body))
	resp, err := w.e.http.Do(req)
	if errors.Is(err, errPrivateAddress) {
		return river.JobCancel(fmt.Errorf("webhook %d to %s: %w", job.ID, job.Args.URL, err))
	}
	if err != nil {
		return fmt.Errorf("webhook %d to %s: %w", job.ID, job.Args.URL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %d to %s: answered %s", job.ID, job.Args.URL, resp.Status)
	}
	return nil
}

// Mail is one email.
type Mail struct {
	To      []string
	Subject string
	Body    string
}

// EmailArgs is an email waiting on the queue.
type EmailArgs struct {
	TenantID string   `json:"tenant_id"`
	To       []string `json:"to"`
	Subject  string   `json:"subject"`
	Body     string   `json:"body"`
}

// Kind names the job type.
func (EmailArgs) Kind() string { return "email" }

type emailWorker struct {
	river.WorkerDefaults[EmailArgs]
	e *Engine
}

func (w *emailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	return w.e.mailer.Send(ctx, Mail{To: job.Args.To, Subject: job.Args.Subject, Body: job.Args.Body})
}

// logMailer stands in when no mail server is configured: the email is
// logged, not sent.
type logMailer struct{ log *slog.Logger }

func (m logMailer) Send(_ context.Context, mail Mail) error {
	m.log.Info("email not sent: no mail server is configured (TESSERA_SMTP_URL)", "to", mail.To, "subject", mail.Subject)
	return nil
}

// errPrivateAddress refuses a webhook to an address inside the network.
var errPrivateAddress = errors.New("webhooks may not call loopback, private or link-local addresses")

// webhookClient sends webhooks with a timeout and, unless allowPrivate,
// refuses to connect to internal addresses. The check runs on the address
// actually dialled, after DNS, so a name that resolves inside cannot
// bypass it; redirects are not followed.
func webhookClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return err
			}
			ip = ip.Unmap()
			if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() ||
				netip.MustParsePrefix("100.64.0.0/10").Contains(ip) {
				return errPrivateAddress
			}
			return nil
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = dialer.DialContext
	transport.Proxy = nil
	return &http.Client{Timeout: 10 * time.Second, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
