package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
)

// TestOnlyFailed: after a run in which iLMS failed some rows past the
// retries, --only-failed sends only those rows, in a run folder of its
// own that links to the first; with the first run's errors sheet, fixed,
// it also runs the rows fixed in it; at the end every row is done, and no
// row that succeeded was sent again.
func TestOnlyFailed(t *testing.T) {
	var failing atomic.Bool
	var log writeLog
	failed := map[string]bool{"/organizations/99999/users/520001": true, "/organizations/99999/users/520002": true}
	srv, c, url := sandboxtest.Serve(t, sandboxtest.Options{Wrap: func(s *sandbox.Server) http.Handler {
		inner := log.wrap(s)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if failing.Load() && r.Method == http.MethodPut && failed[r.URL.Path] {
				http.Error(w, `{"message":"the service is unavailable"}`, http.StatusServiceUnavailable)
				return
			}
			inner.ServeHTTP(w, r)
		})
	}})
	pointAt(t, srv, url)
	ctx := context.Background()
	ids := []int64{520001, 520002, 520003, 520004, 520005, 520006, 520007}
	users := map[int64]*ilms.User{}
	for _, id := range ids {
		u, err := c.Users.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		users[id] = u
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "titles.csv")
	body := "Employee ID,Email ID,Job Title\n"
	for _, id := range ids[:6] {
		body += users[id].Profile.F004 + ",," + "Lead " + users[id].Profile.F007 + "\n"
	}
	last := users[ids[6]]
	body += last.Profile.F004 + ",not-an-email,Lead " + last.Profile.F007 + "\n" // invalid
	os.WriteFile(file, []byte(body), 0o644)

	failing.Store(true)
	first := filepath.Join(dir, "first")
	code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", first)
	want := []string{"failed", "failed", "updated", "updated", "updated", "updated", "invalid"}
	if got := column(readResults(t, first), 2); code != ExitPartial || !slices.Equal(got, want) {
		t.Fatalf("first run: exit %d, %v; want %v\n%s", code, got, want, stderr)
	}
	failing.Store(false)
	log.take()

	second := filepath.Join(dir, "second")
	code, _, stderr = runCmd(t, "import", "users", "--only-failed", first, "--out", second)
	rows := readResults(t, second)
	if code != ExitOK || !slices.Equal(column(rows, 0), []string{"2", "3"}) || !slices.Equal(column(rows, 2), []string{"updated", "updated"}) {
		t.Fatalf("--only-failed: exit %d, %v\n%s", code, rows, stderr)
	}
	sent := log.take()
	if len(sent) != 2 || !strings.HasPrefix(sent[0], "PUT /organizations/99999/users/520001 ") || !strings.HasPrefix(sent[1], "PUT /organizations/99999/users/520002 ") {
		t.Errorf("--only-failed sent:\n%s", strings.Join(sent, "\n"))
	}
	var sum struct {
		Total   int    `json:"total"`
		RetryOf string `json:"retry_of"`
	}
	b, _ := os.ReadFile(filepath.Join(second, "summary.json"))
	if json.Unmarshal(b, &sum); sum.Total != 2 || sum.RetryOf != first {
		t.Errorf("summary.json: total %d, retry_of %q", sum.Total, sum.RetryOf)
	}
	// The lines of the rows the run is not of are said to be so, not
	// taken for cells with line breaks.
	if use := readSummary(t, second).LineUse; use.Rows != 7 || use.Others != 5 || !strings.Contains(stderr, "5 are rows this run is not of") || strings.Contains(stderr, "line breaks") {
		t.Errorf("line use %+v\n%s", use, stderr)
	}

	// The errors sheet, fixed: its invalid row now has the right email.
	errs, _ := os.ReadFile(filepath.Join(first, "errors.csv"))
	fixed := filepath.Join(dir, "errors-fixed.csv")
	os.WriteFile(fixed, []byte(strings.Replace(string(errs), "not-an-email", last.Profile.F015, 1)), 0o644)
	third := filepath.Join(dir, "third")
	code, _, stderr = runCmd(t, "import", "users", "--only-failed", first, fixed, "--out", third)
	if got := column(readResults(t, third), 2); code != ExitOK || !slices.Equal(got, []string{"unchanged", "unchanged", "updated"}) {
		t.Fatalf("--only-failed with the errors sheet fixed: exit %d, %v\n%s", code, got, stderr)
	}
	if sent := log.take(); len(sent) != 1 || !strings.HasPrefix(sent[0], "PUT /organizations/99999/users/520007 ") {
		t.Errorf("the fixed run sent:\n%s", strings.Join(sent, "\n"))
	}
	for _, id := range ids {
		u, err := c.Users.Get(ctx, id)
		if err != nil || u.Profile.F007 != "Lead "+users[id].Profile.F007 {
			t.Errorf("user %d: job title %q, %v; want %q", id, u.Profile.F007, err, "Lead "+users[id].Profile.F007)
		}
	}
}

// column is one column of rows.
func column(rows [][]string, i int) []string {
	out := make([]string, len(rows))
	for j, r := range rows {
		out[j] = r[i]
	}
	return out
}
