package sandbox

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

var update = flag.Bool("update", false, "rewrite testdata/org.json from GenerateOrg")

const seedPath = "../../testdata/org.json"

// SeedOptions of testdata/org.json.
var fixtureOptions = SeedOptions{Users: 60, Seed: 1, Enrollments: true}

// TestSeedFileIsGenerated keeps testdata/org.json equal to what
// GenerateOrg makes, so the fixture is reproducible and reviewed as code.
func TestSeedFileIsGenerated(t *testing.T) {
	dir := t.TempDir()
	tmp := filepath.Join(dir, "org.json")
	if err := GenerateOrg(fixtureOptions).WriteFile(tmp); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(seedPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatalf("%v (run go test ./ilms/sandbox -run TestSeedFileIsGenerated -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("testdata/org.json differs from GenerateOrg(%+v); run go test ./ilms/sandbox -run TestSeedFileIsGenerated -update", fixtureOptions)
	}
}

func loadSeed(t testing.TB) *State {
	t.Helper()
	st, err := LoadState(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestSeedIsRealistic checks what the issue asks of the seed: a hierarchy,
// courses of every type, curricula with sub-courses, ILT sessions, groups,
// at least 50 users, enrollments in every status, and every user valid
// under the document's rules.
func TestSeedIsRealistic(t *testing.T) {
	st := loadSeed(t)
	if len(st.Users) < 50 {
		t.Errorf("seed has %d users, want at least 50", len(st.Users))
	}
	types := map[string]bool{}
	sessions := 0
	for _, c := range st.Courses {
		types[c.Type] = true
		sessions += len(c.Sessions)
	}
	for _, want := range []string{"iComposer", "SCORM", "ILT", "Event"} {
		if !types[want] {
			t.Errorf("no course of type %s", want)
		}
	}
	if sessions == 0 {
		t.Error("no ILT sessions")
	}
	withSubs := 0
	for _, c := range st.Curricula {
		if len(c.CourseIDs) > 1 {
			withSubs++
		}
	}
	if withSubs == 0 {
		t.Error("no curriculum with sub-courses")
	}
	if len(st.Groups) < 5 {
		t.Errorf("%d groups, want several", len(st.Groups))
	}
	statuses := map[string]int{}
	for _, e := range st.Enrollments {
		statuses[e.Status]++
	}
	for _, want := range []string{validate.StatusNotStarted, validate.StatusInProgress, validate.StatusPass, validate.StatusFail, validate.StatusWaived} {
		if statuses[want] == 0 {
			t.Errorf("no enrollment with status %q (have %v)", want, statuses)
		}
	}
	userStatus := map[string]int{}
	s := New(st, Options{})
	for _, u := range st.Users {
		userStatus[u.Status]++
		values := map[string]string{}
		for code, v := range u.Profile {
			values[code] = v
		}
		for _, code := range []string{"F019", "F020", "F021"} {
			values[code] = s.field(u, code)
		}
		if _, ps := validate.CheckProfile(values, nil, st.Settings); ps.HasErrors() {
			t.Errorf("seed user %d breaks the document's rules: %v", u.ID, ps.Errors())
		}
	}
	for _, want := range []string{"Active", "Inactive", "Deleted"} {
		if userStatus[want] == 0 {
			t.Errorf("no %s user", want)
		}
	}
}
