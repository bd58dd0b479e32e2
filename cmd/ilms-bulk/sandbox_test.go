package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// TestSandboxReset imports into the saved --sandbox state, resets it, and
// finds the organization as the seed has it: the cohort is new again.
// With --state and --seed or --users it writes that start instead.
func TestSandboxReset(t *testing.T) {
	cache := []string{"XDG_CACHE_HOME=" + t.TempDir()}
	cohort := "../../testdata/cohort.xlsx"
	if r := runBinary(t, cache, "import", "users", cohort, "--sandbox", "--rate", "unlimited", "--out", t.TempDir()); r.code != 0 || !strings.Contains(r.stderr, "24 created, 1 updated") {
		t.Fatalf("import: exit %d\n%s", r.code, r.stderr)
	}
	r := runBinary(t, cache, "sandbox", "--reset")
	if r.code != 0 || !strings.Contains(r.stderr, "is back to the built-in seed") || r.stdout != "" {
		t.Fatalf("reset: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runBinary(t, cache, "import", "users", cohort, "--sandbox", "--dry-run", "--rate", "unlimited", "--out", t.TempDir())
	if r.code != 0 || !strings.Contains(r.stderr, "24 create, 1 update") {
		t.Errorf("after the reset the cohort should be new again: exit %d\n%s", r.code, r.stderr)
	}
	if r := runBinary(t, cache, "sandbox", "--reset"); r.code != 0 {
		t.Errorf("a reset of a reset sandbox: exit %d %s", r.code, r.stderr)
	}

	state := filepath.Join(t.TempDir(), "org.json")
	if r := runBinary(t, nil, "sandbox", "--reset", "--state", state, "--users", "7"); r.code != 0 {
		t.Fatalf("reset to a generated org: exit %d %s", r.code, r.stderr)
	}
	st, err := sandbox.LoadState(state)
	if err != nil || len(st.Users) != len(sandbox.GenerateOrg(sandbox.SeedOptions{Users: 7, Seed: 1, Enrollments: true}).Users) {
		t.Errorf("the state written: %v", err)
	}
	if r := runBinary(t, nil, "sandbox", "--reset", "--state", state); r.code != 0 {
		t.Fatalf("reset to the built-in seed: exit %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("%s is still there (%v): the next run would not start from the seed", state, err)
	}
	if r := runBinary(t, nil, "sandbox", "--reset", "--addr", "127.0.0.1:0"); r.code != 2 || !strings.Contains(r.stderr, "--addr") {
		t.Errorf("--reset with --addr: exit %d %q", r.code, r.stderr)
	}
}
