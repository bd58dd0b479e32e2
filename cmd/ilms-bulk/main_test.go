package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// binary is the ilms-bulk command built once for the tests that run it as
// a user would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ilms-bulk-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "ilms-bulk")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building ilms-bulk:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what a run of the binary left behind.
type result struct {
	code           int
	stdout, stderr string
}

// runBinary runs ilms-bulk with args and env (added to a clean
// environment whose cache and config directories are the test's own).
func runBinary(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	home := t.TempDir()
	cmd.Env = append([]string{"HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "PATH=" + os.Getenv("PATH")}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// startSandboxBinary starts `ilms-bulk sandbox` on a free port and returns
// its base URL; the process stops when the test ends.
func startSandboxBinary(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = []string{"HOME=" + t.TempDir()}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	base := regexp.MustCompile(`^\s*base URL\s+(\S+)`)
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("sandbox exited before printing its URL")
			}
			if m := base.FindStringSubmatch(line); m != nil {
				go func() {
					for range lines {
					}
				}()
				return m[1]
			}
		case <-timeout:
			t.Fatal("sandbox printed no base URL within 30s")
		}
	}
}

func sandboxEnv(url, key string) []string {
	return []string{"ILMS_BASE_URL=" + url, "ILMS_ORG_ID=99999", "ILMS_API_LOGIN_ID=YBA3hyozzqWGeA2koTvI1Q==", "ILMS_TRANSACTION_KEY=" + key}
}

const seedKey = "ggcyFzoFKxbUm+3DFd/N9Q=="

func TestBadCredentialsExitThreeWithOneLine(t *testing.T) {
	url := startSandboxBinary(t)
	const wrong = "wRoNgKeY0123456789abcd=="
	r := runBinary(t, sandboxEnv(url, wrong), "export", "users", "-o", filepath.Join(t.TempDir(), "u.csv"))
	if r.code != 3 {
		t.Fatalf("exit %d, want 3; stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "refused the credentials") {
		t.Errorf("stderr should be one clear line, got %q", r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, wrong) || strings.Contains(r.stderr, "goroutine") {
		t.Errorf("the key or a stack trace was printed: %q", r.stderr)
	}
}

func TestUnreachableServerExitsThree(t *testing.T) {
	r := runBinary(t, sandboxEnv("http://127.0.0.1:1", seedKey), "export", "users")
	if r.code != 3 || !strings.Contains(r.stderr, "cannot reach the iLMS API at http://127.0.0.1:1") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want 3 and one line saying the API cannot be reached", r.code, r.stderr)
	}
}

func TestMissingCredentialsIsAUsageError(t *testing.T) {
	r := runBinary(t, []string{"ILMS_ORG_ID=99999"}, "export", "users")
	if r.code != 2 || !strings.Contains(r.stderr, "ILMS_TRANSACTION_KEY") {
		t.Errorf("exit %d, stderr %q; want 2 naming the variables to set", r.code, r.stderr)
	}
	r = runBinary(t, nil, "export", "users", "--page-size", "0", "--sandbox")
	if r.code != 2 {
		t.Errorf("--page-size 0: exit %d, want 2", r.code)
	}
	r = runBinary(t, nil, "exprot")
	if r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown command: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestExportUsersFromTheSandbox(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "users.csv")
	r := runBinary(t, nil, "export", "users", "--sandbox", "-o", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !strings.HasPrefix(lines[0], "ID,UserStatus,F001,F002,F003,F004,F005,") || strings.Contains(lines[0], "F016") {
		t.Errorf("header %q", lines[0])
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("exported %d users", len(lines)-1)) {
		t.Errorf("stderr %q does not report %d users", r.stderr, len(lines)-1)
	}
	if !strings.Contains(string(b), "517244,Active,John,,Doe,Emp001,") {
		t.Error("the document's John Doe is missing")
	}
}
