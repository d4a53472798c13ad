package workflow

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpServer is a minimal SMTP server speaking the commands net/smtp
// sends, recording what it receives.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	rcpt []string
	data string
}

func startSMTP(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	go s.serve()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *smtpServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.handle(c)
	}
}

func (s *smtpServer) handle(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	write := func(line string) { _, _ = c.Write([]byte(line + "\r\n")) }
	write("220 test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			write("250 test")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			write("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			s.mu.Lock()
			s.rcpt = append(s.rcpt, strings.Trim(strings.TrimPrefix(strings.TrimSpace(line)[8:], ":"), "<> "))
			s.mu.Unlock()
			write("250 ok")
		case cmd == "DATA":
			write("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.data = b.String()
			s.mu.Unlock()
			write("250 queued")
		case cmd == "QUIT":
			write("221 bye")
			return
		default:
			write("502 not implemented")
		}
	}
}

func TestSMTPMailer_DeliversToEveryRecipient(t *testing.T) {
	srv := startSMTP(t)
	m, err := NewSMTPMailer("smtp://" + srv.ln.Addr().String() + "?from=crm@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := m.Send(ctx, Mail{To: []string{"a@acme.test", "b@acme.test"}, Subject: "客户跟进提醒", Body: "第一行\n第二行"}); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if strings.Join(srv.rcpt, ",") != "a@acme.test,b@acme.test" {
		t.Fatalf("recipients: %v", srv.rcpt)
	}
	if !strings.Contains(srv.data, "Subject: =?utf-8?q?") || !strings.Contains(srv.data, "第一行\r\n第二行") || !strings.Contains(srv.data, "From: crm@acme.test") {
		t.Fatalf("message:\n%s", srv.data)
	}
}

func TestSMTPMailer_RefusesBadURLs(t *testing.T) {
	for _, raw := range []string{"", "http://host", "smtp://host", "smtp://host?from=nope", "smtp:///?from=a@b.c"} {
		if _, err := NewSMTPMailer(raw); err == nil {
			t.Errorf("%q: want an error", raw)
		}
	}
}

func TestWebhookClient_RefusesInternalAddresses(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write([]byte("HTTP/1.1 204 No Content\r\n\r\n"))
			c.Close()
		}
	}()
	for _, url := range []string{"http://" + ln.Addr().String() + "/", "http://localhost:" + strings.Split(ln.Addr().String(), ":")[1] + "/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]:9/"} {
		_, err := webhookClient(false).Post(url, "application/json", strings.NewReader("{}"))
		if err == nil || !errors.Is(err, errPrivateAddress) {
			t.Errorf("%s: want refused as private, got %v", url, err)
		}
	}
	resp, err := webhookClient(true).Post("http://"+ln.Addr().String()+"/", "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("allowed private: %v %v", resp, err)
	}
	resp.Body.Close()
}
