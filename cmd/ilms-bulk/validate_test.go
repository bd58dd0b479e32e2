package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/report"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runCmd runs the command in-process with buffers for streams.
func runCmd(t testing.TB, args ...string) (ExitCode, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb})
	return code, out.String(), errb.String()
}

func TestValidateMessyCohort(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCmd(t, "validate", "../../testdata/messy-cohort.csv", "--out", dir)
	if code != ExitPartial {
		t.Fatalf("exit %d, want 1 (some rows invalid); stderr:\n%s", code, stderr)
	}
	got, err := os.ReadFile(filepath.Join(dir, "errors.csv"))
	if err != nil {
		t.Fatal(err)
	}
	golden := "../../testdata/messy-cohort.errors.golden.csv"
	if *update {
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("errors.csv differs from %s (go test ./cmd/ilms-bulk -run TestValidateMessyCohort -update)\n%s", golden, got)
	}
	if strings.Contains(string(got), "Welcome-2024") || strings.Contains(string(got), "Sup3r-secret-pass") {
		t.Error("a password reached errors.csv")
	}
	res, _ := os.ReadFile(filepath.Join(dir, "results.csv"))
	lines := strings.Split(strings.TrimSpace(string(res)), "\n")
	// 10 data rows, one of them spanning two physical lines.
	if !strings.HasPrefix(lines[0], "row,key,outcome") || strings.Count(string(res), ",valid,")+strings.Count(string(res), ",invalid,") != 10 {
		t.Errorf("results.csv should have one row per input row:\n%s", res)
	}
	var sum report.Summary
	b, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Total != 10 || sum.Succeeded != 2 || sum.Failed != 8 || sum.Kind != "users" || len(sum.Input.SHA256) != 64 || len(sum.TopProblems) == 0 {
		t.Errorf("summary %+v", sum)
	}
	for _, want := range []string{"10 users rows: 2 valid, 8 invalid", "most frequent problems", "errors.csv (8 rows to fix)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the printed summary lacks %q:\n%s", want, stderr)
		}
	}
}

func TestValidateExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("First Name,Last Name,Email,Region,Division,Department\nAna,Silva,ana@example.com,Region 1,Division 1,Department 1\n"), 0o644)
	if code, _, stderr := runCmd(t, "validate", good, "--out", filepath.Join(dir, "a")); code != ExitOK {
		t.Errorf("valid file: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "validate", filepath.Join(dir, "missing.csv"), "--out", filepath.Join(dir, "b")); code != ExitUsage || !strings.Contains(stderr, "missing.csv does not exist") {
		t.Errorf("missing file: exit %d: %s", code, stderr)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("First Name,Lst Name\nAna,Silva\n"), 0o644)
	code, _, stderr := runCmd(t, "validate", bad, "--out", filepath.Join(dir, "c"))
	if code != ExitUsage || !strings.Contains(stderr, `column 2 "Lst Name"`) || !strings.Contains(stderr, `did you mean "Last Name (F003)"`) {
		t.Errorf("unknown column: exit %d: %s", code, stderr)
	}
	if code, _, _ := runCmd(t, "validate", bad, "--ignore-unknown", "--out", filepath.Join(dir, "d")); code != ExitOK {
		t.Errorf("--ignore-unknown: exit %d", code)
	}
	if code, _, stderr := runCmd(t, "validate", good, "--kind", "courses"); code != ExitUsage {
		t.Errorf("bad --kind: exit %d: %s", code, stderr)
	}
}

func TestValidateEnrollmentsAndTranscripts(t *testing.T) {
	dir := t.TempDir()
	enr := filepath.Join(dir, "enrollments.csv")
	os.WriteFile(enr, []byte("Email,Course ID,Session ID,Action\n"+
		"ana@example.com,pyOgaoli,4855,enroll\n"+
		"bob@example.com,,,enroll\n"+
		"cleo@example.com,p1gyJg4a,,maybe\n"+
		"ana@example.com,pyOgaoli,4855,\n"), 0o644)
	code, _, stderr := runCmd(t, "validate", enr, "--out", filepath.Join(dir, "e"))
	if code != ExitPartial || !strings.Contains(stderr, "4 enrollments rows: 2 valid, 2 invalid, 1 with warnings") {
		t.Errorf("enrollments: exit %d\n%s", code, stderr)
	}
	tr := filepath.Join(dir, "transcripts.csv")
	os.WriteFile(tr, []byte("Email,Course ID,Status,Score,Completion Date\n"+
		"ana@example.com,p1gyJg4a,pass,95,04/03/2024\n"+
		"bob@example.com,p1gyJg4a,waived,80,\n"+
		"ana@example.com,p1gyJg4a,fail,40,2024-03-05\n"), 0o644)
	code, _, stderr = runCmd(t, "validate", tr, "--date-format", "dd/MM/yyyy", "--out", filepath.Join(dir, "t"))
	if code != ExitPartial || !strings.Contains(stderr, "3 transcripts rows: 1 valid, 2 invalid") {
		t.Errorf("transcripts: exit %d\n%s", code, stderr)
	}
	errs, _ := os.ReadFile(filepath.Join(dir, "t", "errors.csv"))
	for _, want := range []string{"only valid with status pass or fail, not waived", "row 2 already has this user and course p1gyJg4a"} {
		if !strings.Contains(string(errs), want) {
			t.Errorf("transcript errors lack %q:\n%s", want, errs)
		}
	}
}

func TestValidateXLSX(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCmd(t, "validate", "../../testdata/read/cohort.xlsx", "--kind", "users", "--ignore-unknown", "--mode", "update-only", "--out", dir)
	res, _ := os.ReadFile(filepath.Join(dir, "results.csv"))
	// Bob's employee ID is a number cell: a warning; the stray cell of row 5
	// makes that row invalid.
	if code != ExitPartial || !strings.Contains(string(res), "stored as a number") || !strings.Contains(string(res), "5,,invalid") {
		t.Errorf("exit %d\n%s\n%s", code, stderr, res)
	}
}

func TestGenerateThenValidate(t *testing.T) {
	dir := t.TempDir()
	for _, kind := range []string{"users", "enrollments", "transcripts"} {
		clean := filepath.Join(dir, kind+".csv")
		if code, _, stderr := runCmd(t, "generate", kind, "--rows", "300", "-o", clean); code != ExitOK {
			t.Fatalf("generate %s: exit %d %s", kind, code, stderr)
		}
		code, _, stderr := runCmd(t, "validate", clean, "--out", filepath.Join(dir, kind+"-clean"))
		if code != ExitOK || !strings.Contains(stderr, "300 "+kind+" rows: 300 valid") {
			t.Errorf("clean generated %s: exit %d\n%s", kind, code, stderr)
		}
		bad := filepath.Join(dir, kind+"-bad.xlsx")
		if code, _, stderr := runCmd(t, "generate", kind, "--rows", "300", "--bad", "0.2", "--format", "xlsx", "-o", bad); code != ExitOK {
			t.Fatalf("generate bad %s: exit %d %s", kind, code, stderr)
		}
		code, _, stderr = runCmd(t, "validate", bad, "--out", filepath.Join(dir, kind+"-bad"))
		var sum report.Summary
		b, _ := os.ReadFile(filepath.Join(dir, kind+"-bad", "summary.json"))
		json.Unmarshal(b, &sum)
		// About a fifth of the rows carry a mistake; a duplicate can be
		// spoiled by another spoil, so allow some slack.
		if code != ExitPartial || sum.Total != 300 || sum.Failed < 30 || sum.Failed > 90 {
			t.Errorf("bad generated %s: exit %d, %d of %d invalid\n%s", kind, code, sum.Failed, sum.Total, stderr)
		}
	}
	code, out, _ := runCmd(t, "generate", "users", "--rows", "2", "--seed", "7")
	code2, out2, _ := runCmd(t, "generate", "users", "--rows", "2", "--seed", "7")
	if code != ExitOK || code2 != ExitOK || out != out2 || strings.Count(out, "\n") != 3 {
		t.Errorf("the same seed should make the same file:\n%s\n%s", out, out2)
	}
	if code, _, _ := runCmd(t, "generate", "courses"); code != ExitUsage {
		t.Errorf("generate courses: exit %d", code)
	}
}
