package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// doneLines counts the rows a run's journal says are done.
func doneLines(dir string) int {
	f, err := os.Open(filepath.Join(dir, "journal.jsonl"))
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"state":"done"`) {
			n++
		}
	}
	return n
}

// startImport starts the built binary importing file into the sandbox at
// url, and returns once the journal has at least rows done.
func startImport(t *testing.T, url, file, dir string, rows int) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(binary, "import", "users", file, "--rate", "40", "--workers", "4", "--out", dir, "-q")
	home := t.TempDir()
	cmd.Env = append([]string{"HOME=" + home, "XDG_CACHE_HOME=" + home, "XDG_CONFIG_HOME=" + home, "PATH=" + os.Getenv("PATH")}, sandboxEnv(url, seedKey)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for doneLines(dir) < rows {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the import did not get %d rows done in time: %s", rows, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cmd, &stderr
}

func binaryClient(t *testing.T, url string) *ilms.Client {
	c, err := ilms.NewClient(ilms.Options{BaseURL: url, OrgID: "99999", Credentials: ilms.Credentials{APILoginID: "YBA3hyozzqWGeA2koTvI1Q==", TransactionKey: seedKey}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkFinished checks a finished run: one result per input row, none
// pending, and the organization as a clean run leaves it.
func checkFinished(t *testing.T, dir string, n int, c *ilms.Client, want map[string]person) {
	t.Helper()
	rows := readResults(t, dir)
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r[0]] {
			t.Errorf("row %s has two results", r[0])
		}
		seen[r[0]] = true
		switch r[2] {
		case "created", "updated", "unchanged":
		default:
			t.Errorf("row %s: %s %s", r[0], r[2], r[5])
		}
	}
	if len(rows) != n {
		t.Errorf("%d result rows for %d input rows", len(rows), n)
	}
	got := orgState(t, c, ".t@example.com")
	if !reflect.DeepEqual(got, want) {
		for email, p := range want {
			if !reflect.DeepEqual(got[email], p) {
				t.Errorf("%s: got %+v\nwant %+v", email, got[email], p)
				break
			}
		}
		t.Fatalf("the run's state differs from a clean run's (%d vs %d users)", len(got), len(want))
	}
}

// TestKillAndResume kills the binary with SIGKILL in the middle of an
// import, resumes it, and checks that every row was done exactly once.
func TestKillAndResume(t *testing.T) {
	const n = 120
	file := usersFile(t, n)
	want := referenceState(t, file)
	url := startSandboxBinary(t, "--latency", "20ms")
	dir := t.TempDir()
	cmd, _ := startImport(t, url, file, dir, 25)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killedAt := doneLines(dir)
	if killedAt >= n {
		t.Fatalf("the run finished (%d rows) before it was killed", killedAt)
	}
	r := runBinary(t, sandboxEnv(url, seedKey), "import", "users", "--resume", dir, "-q")
	if r.code != 0 {
		t.Fatalf("resume: exit %d\n%s", r.code, r.stderr)
	}
	checkFinished(t, dir, n, binaryClient(t, url), want)
	t.Logf("killed after %d of %d rows", killedAt, n)
	// The killed attempt wrote no summary: it is listed, its counts unknown.
	s := readSummary(t, dir)
	if len(s.Attempts) != 2 || !s.Attempts[0].Unrecorded || s.Attempts[1].Unrecorded || !reflect.DeepEqual(s.Requests, s.Attempts[1].Requests) {
		t.Errorf("summary after a killed attempt: requests %v, attempts %+v", s.Requests, s.Attempts)
	}
}

func readSummary(t *testing.T, dir string) *report.Summary {
	t.Helper()
	s, err := report.ReadSummary(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestInterruptAndResume sends Ctrl-C: the run stops dispatching, finishes
// the requests in flight, writes every sheet, tells how to resume, and
// exits 3; --resume then finishes it.
func TestInterruptAndResume(t *testing.T) {
	const n = 90
	file := usersFile(t, n)
	want := referenceState(t, file)
	url := startSandboxBinary(t, "--latency", "20ms")
	dir := t.TempDir()
	cmd, stderr := startImport(t, url, file, dir, 20)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if code != 3 || !strings.Contains(stderr.String(), "--resume "+dir) {
		t.Fatalf("after Ctrl-C: exit %d\n%s", code, stderr)
	}
	rows := readResults(t, dir)
	if len(rows) != n || outcomes(rows)["pending"] == 0 {
		t.Fatalf("interrupted results: %d rows, %v", len(rows), outcomes(rows))
	}
	first := readSummary(t, dir)
	r := runBinary(t, sandboxEnv(url, seedKey), "import", "users", "--resume", dir, "-q")
	if r.code != 0 {
		t.Fatalf("resume: exit %d\n%s", r.code, r.stderr)
	}
	checkFinished(t, dir, n, binaryClient(t, url), want)

	// summary.json keeps the interrupted attempt's requests: the totals
	// are the sums of the two attempts, each listed.
	s := readSummary(t, dir)
	if len(s.Attempts) != 2 || !reflect.DeepEqual(s.Attempts[0].Requests, first.Requests) || !s.Attempts[0].Interrupted || s.Attempts[1].Interrupted {
		t.Fatalf("attempts %+v; the first should be the interrupted run's %v", s.Attempts, first.Requests)
	}
	for _, m := range []string{"GET", "POST"} {
		if s.Requests[m] != first.Requests[m]+s.Attempts[1].Requests[m] {
			t.Errorf("%s: %d requests in all, want %d + %d", m, s.Requests[m], first.Requests[m], s.Attempts[1].Requests[m])
		}
	}
	// Every user was created once, by one attempt or the other.
	if s.Requests["POST"] < n {
		t.Errorf("%d POST requests in all for %d new users", s.Requests["POST"], n)
	}
}
