package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
)

// countingServer serves a fresh seed sandbox and counts every request
// that reaches it; the environment it returns points the binary at it.
func countingServer(t *testing.T) (env []string, requests *atomic.Int64) {
	t.Helper()
	requests = &atomic.Int64{}
	srv, _, url := sandboxtest.Serve(t, sandboxtest.Options{Wrap: func(srv *sandbox.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1); srv.ServeHTTP(w, r) })
	}})
	return sandboxEnv(url, srv.TransactionKey()), requests
}

// goText are pieces of Go's own error text, which no message shows.
var goText = []string{"strconv.", "invalid syntax", "parsing \"", "400 Bad Request", `" flag:`}

// checkRefused asserts that a run was a usage error that names what to
// fix and sent nothing.
func checkRefused(t *testing.T, r result, requests *atomic.Int64, want ...string) {
	t.Helper()
	if r.code != int(ExitUsage) {
		t.Errorf("exit %d, want 2; stderr %q", r.code, r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr %q does not say %q", r.stderr, w)
		}
	}
	for _, g := range goText {
		if strings.Contains(r.stderr, g) {
			t.Errorf("stderr %q shows Go's own text %q", r.stderr, g)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the server received %d requests; a usage error sends nothing", n)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
}

// TestUsageErrorsSendNothing runs the mistakes of the command line a new
// user makes: each is exit 2 with a message naming the flag and the
// values it takes, before any request.
func TestUsageErrorsSendNothing(t *testing.T) {
	dir := t.TempDir()
	cohort := "../../testdata/cohort.xlsx"
	noEmployeeID := filepath.Join(dir, "people.csv")
	if err := os.WriteFile(noEmployeeID, []byte("First Name,Last Name,Email ID,Region,Division,Department\nAna,Silva,ana.silva@example.com,North America,Sales,Inside Sales\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(dir, "u.pdf")
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"match not a key", []string{"import", "users", cohort, "--match", "F001"}, []string{`--match "F001"`, "F004 (Employee ID) or F015 (Email ID)"}},
		{"match column missing", []string{"import", "users", noEmployeeID, "--match", "F004"}, []string{"--match", "no Employee ID column"}},
		{"mode", []string{"import", "users", cohort, "--mode", "merge"}, []string{`--mode "merge"`, "upsert", "create-only or update-only"}},
		{"rate zero", []string{"import", "users", cohort, "--rate", "0"}, []string{`--rate "0"`, "positive number", "unlimited"}},
		{"rate text", []string{"export", "users", "--rate", "abc"}, []string{`--rate "abc"`, "positive number", "unlimited"}},
		{"rate negative", []string{"export", "summary", "--rate", "-5"}, []string{`--rate "-5"`, "unlimited"}},
		{"max rate zero", []string{"import", "users", cohort, "--max-rate", "0"}, []string{"--max-rate 0", "positive number"}},
		{"max rate text", []string{"export", "users", "--max-rate", "fast"}, []string{`--max-rate "fast"`, "give a number"}},
		{"sandbox rate auto", []string{"sandbox", "--rate", "auto"}, []string{`--rate "auto"`, "a server's limit", "auto is how import and export find one"}},
		{"workers text", []string{"import", "users", cohort, "--workers", "many"}, []string{`--workers "many"`, "whole number"}},
		{"workers zero", []string{"import", "users", cohort, "--workers", "0"}, []string{"--workers 0", "at least 1"}},
		{"import format", []string{"import", "users", cohort, "--format", "pdf"}, []string{`--format "pdf"`, "csv or xlsx"}},
		{"misspelt import kind", []string{"import", "user", cohort}, []string{`unknown command "user"`, "did you mean users?"}},
		{"misspelt export kind", []string{"export", "user"}, []string{`unknown command "user"`, "did you mean users?"}},
		{"import alone", []string{"import"}, []string{"import needs one of", "users"}},
		{"no file", []string{"import", "users"}, []string{"import users takes one FILE", "--resume DIR"}},
		{"two files", []string{"import", "users", cohort, cohort}, []string{"import users takes one FILE", "got 2"}},
		{"misspelt flag", []string{"import", "users", cohort, "--dryrun"}, []string{"unknown flag: --dryrun; did you mean --dry-run?"}},
		{"where undocumented code", []string{"export", "users", "--where", "F099=x"}, []string{`--where "F099"`, "F001 … F027, F031 … F034"}},
		{"where date not a range", []string{"export", "users", "--where", "F005=2024"}, []string{"--where", "(From:2024-01-01T00:00:00To:2024-12-31T23:59:59)"}},
		{"where on transcripts", []string{"export", "transcripts", "--where", "Groups=Sales"}, []string{"--where", "Groups is not a profile field"}},
		{"status", []string{"export", "users", "--status", "retired"}, []string{`--status "retired"`, "active, inactive or deleted"}},
		{"output extension", []string{"export", "users", "-o", pdf}, []string{"-o " + pdf, ".csv or .xlsx", "--format csv or --format xlsx"}},
		{"output contradicts format", []string{"export", "users", "-o", filepath.Join(dir, "u.xlsx"), "--format", "csv"}, []string{"an XLSX file", "--format is csv"}},
		{"compliance pdf", []string{"export", "compliance", "-o", filepath.Join(dir, "c.pdf")}, []string{"a name ending in .xlsx or .html", "--format xlsx or --format html"}},
		{"compliance as-of", []string{"export", "compliance", "--as-of", "30/09/2026"}, []string{`--as-of "30/09/2026"`, "yyyy-mm-dd"}},
		{"session syntax", []string{"export", "enrollments", "--session", "pyOgaoli"}, []string{`--session "pyOgaoli"`, "courseID/sessionID"}},
		{"enrollments of nothing", []string{"export", "enrollments"}, []string{"--all"}},
		{"page size", []string{"export", "summary", "--page-size", "0"}, []string{"--page-size 0", "at least 1"}},
		{"template kind", []string{"template", "user"}, []string{`template "user"`, "did you mean users?"}},
		{"generate extension", []string{"generate", "users", "-o", filepath.Join(dir, "g.txt")}, []string{".csv or .xlsx"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, requests := countingServer(t)
			r := runBinary(t, env, c.args...)
			checkRefused(t, r, requests, c.want...)
		})
	}
	if _, err := os.Stat(pdf); err == nil {
		t.Errorf("%s was written", pdf)
	}

	// The counting server does count: a valid export reaches it.
	env, requests := countingServer(t)
	if r := runBinary(t, env, "export", "users", "--fields", "F001", "-o", "-"); r.code != 0 || requests.Load() == 0 {
		t.Errorf("a valid export: exit %d, %d requests; stderr %q", r.code, requests.Load(), r.stderr)
	}
}

// TestEveryCommandChecksItsFlagsFirst walks the command tree: every
// command with a flag that takes a rate, a count of workers, a format or
// an output file refuses a bad value of it with exit 2, naming the flag,
// before any request. A command added later is held to it as well.
func TestEveryCommandChecksItsFlagsFirst(t *testing.T) {
	file := "../../testdata/cohort.xlsx"
	bad := map[string][]string{
		"rate":     {"0", "abc", "-1"},
		"max-rate": {"0", "x"},
		"workers":  {"0", "x"},
		"format":   {"pdf"},
		"output":   {filepath.Join(t.TempDir(), "out.pdf")},
	}
	var leaves []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && !c.HasSubCommands() {
			leaves = append(leaves, c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&IOStreams{}, &globalOptions{}))
	checked := 0
	for _, leaf := range leaves {
		args := strings.Fields(commandName(leaf))
		if strings.Contains(leaf.Use, "FILE") {
			args = append(args, file)
		}
		if strings.Contains(leaf.Use, "PLAN.json") || strings.Contains(leaf.Use, "RUN_DIR") {
			args = append(args, filepath.Join(t.TempDir(), "no.plan.json"))
		}
		if len(leaf.ValidArgs) > 0 {
			args = append(args, leaf.ValidArgs[0])
		}
		for name, values := range bad {
			fl := leaf.Flags().Lookup(name)
			if fl == nil {
				continue
			}
			flag := "--" + name
			if fl.Shorthand != "" {
				flag = "-" + fl.Shorthand
			}
			for _, v := range values {
				t.Run(strings.Join(args, "_")+"/"+name+"="+v, func(t *testing.T) {
					env, requests := countingServer(t)
					r := runBinary(t, env, append(append([]string(nil), args...), flag, v)...)
					checkRefused(t, r, requests, flag+" ")
				})
				checked++
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d flag values checked; the walk missed the commands", checked)
	}
}
