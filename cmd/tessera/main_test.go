package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles the real command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tessera")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestCLI_MigrateCreateOperatorAndTenant(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dbPath := filepath.Join(t.TempDir(), "t.db")
	// The master key goes to a temporary directory, not data/ under the
	// package's source directory (the binary's working directory).
	env := append(os.Environ(), "DATABASE_URL="+dbPath, "REDIS_URL=", "TESSERA_MASTER_KEY_FILE="+filepath.Join(t.TempDir(), "master.key"))
	runCmd := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("tessera %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	runCmd("migrate")
	out := runCmd("operator", "create", "--email", "ops@example.com")
	if !strings.Contains(out, "password (shown once): ") {
		t.Fatalf("generated password not shown: %s", out)
	}
	out = runCmd("tenant", "create", "--key", "acme", "--name", "Acme", "--admin-email", "boss@acme.test", "--admin-password", "Acme-Tenant-Pass-1")
	if !strings.Contains(out, "tenant acme (Acme) created") {
		t.Fatalf("tenant create: %s", out)
	}
	cmd := exec.Command(bin, "tenant", "create", "--key", "acme", "--name", "Again", "--admin-email", "x@acme.test")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "already exists") {
		t.Fatalf("duplicate tenant: err %v, %s", err, out)
	}
	if err := exec.Command(bin, "frobnicate").Run(); err == nil {
		t.Fatal("unknown command succeeded")
	}
}

// `tessera serve --demo` on an empty database seeds the demo tenant, serves
// it, and drains and exits cleanly on SIGTERM: what `make run` does.
func TestCLI_ServeDemoAndGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--demo")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+filepath.Join(t.TempDir(), "demo.db"), "ADDR="+addr, "REDIS_URL=", "TESSERA_DEMO_PASSWORD=",
		"TESSERA_MASTER_KEY_FILE="+filepath.Join(t.TempDir(), "master.key"))
	var stderr bytes.Buffer
	pipe, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	password := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			stderr.WriteString(line + "\n")
			if i := strings.Index(line, "with password "); i >= 0 {
				password <- strings.Fields(line[i+len("with password "):])[0]
			}
		}
	}()
	defer cmd.Process.Kill()
	var pw string
	select {
	case pw = <-password:
	case <-time.After(60 * time.Second):
		t.Fatalf("no generated password printed:\n%s", stderr.String())
	}
	base := "http://" + addr
	waitHealthy(t, base)
	body, _ := json.Marshal(map[string]string{"tenant": "demo", "email": "admin@demo.local", "password": pw, "mode": "token"})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login with the printed password: %v %v", err, resp)
	}
	var login struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	req, _ := http.NewRequest("GET", base+"/api/v1/records/opportunity?count=true&limit=1", nil)
	req.Header.Set("Authorization", "Bearer "+login.Token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Total int }
	json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if page.Total < 300 {
		t.Fatalf("demo has %d opportunities, want hundreds", page.Total)
	}
	if rid := resp.Header.Get("X-Request-ID"); rid == "" {
		t.Fatal("no X-Request-ID on the response")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop after SIGTERM")
	}
	if !strings.Contains(stderr.String(), "draining") {
		t.Fatalf("no shutdown log:\n%s", stderr.String())
	}
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never became ready", base)
}
