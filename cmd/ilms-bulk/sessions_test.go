package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/docserver"
)

// docOrg is an organization on a server that answers as the document
// shows: ILT course IltOn005 has three people in its two sessions and its
// own enrollment list names none of them; Dana is in both sessions of
// IltTw006; Ladder Safety (Wert98k) and Forklift Safety (WErt98k) differ
// by the case of their IDs alone.
func docOrg() docserver.Org {
	day := func(s string) *time.Time {
		t, _ := time.Parse("2006-01-02", s)
		return &t
	}
	score := func(n int) *int { return &n }
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	place := func(u docserver.User) docserver.User {
		u.Region, u.Division, u.Department = "Region 1", "Division 1", "Department 1"
		return u
	}
	return docserver.Org{
		Users: []docserver.User{
			place(docserver.User{ID: 700001, First: "Ana", Last: "Lima", EmployeeID: "D001", Email: "ana.lima@example.com"}),
			place(docserver.User{ID: 700002, First: "Ben", Last: "Okafor", EmployeeID: "D002", Email: "ben.okafor@example.com"}),
			place(docserver.User{ID: 700003, First: "Chen", Last: "Wei", EmployeeID: "D003", Email: "chen.wei@example.com"}),
			place(docserver.User{ID: 700004, First: "Dana", Last: "Rossi", EmployeeID: "D004", Email: "dana.rossi@example.com"}),
			place(docserver.User{ID: 700005, First: "Eli", Last: "Novak", EmployeeID: "D005", Email: "eli.novak@example.com"}),
		},
		Courses: []docserver.Course{
			{ID: "IltOn005", Name: "Forklift Workshop", Type: "ILT"},
			{ID: "IltTw006", Name: "Ladder Workshop", Type: "ILT"},
			{ID: "Wert98k", Name: "Ladder Safety", Type: "iComposer"},
			{ID: "WErt98k", Name: "Forklift Safety", Type: "iComposer"},
		},
		Sessions: []docserver.Session{
			{ID: 501, CourseID: "IltOn005", Start: start},
			{ID: 502, CourseID: "IltOn005", Start: start.AddDate(0, 0, 7)},
			{ID: 601, CourseID: "IltTw006", Start: start},
			{ID: 602, CourseID: "IltTw006", Start: start.AddDate(0, 0, 7)},
		},
		Curricula: []docserver.Curriculum{{ID: "CuRr0001", Name: "Safety Curriculum", CourseIDs: []string{"Wert98k"}}},
		Enrollments: []docserver.Enrollment{
			{UserID: 700001, CourseID: "IltOn005", Session: 501, Status: "Pass", Score: score(90), Completed: day("2026-03-02")},
			{UserID: 700002, CourseID: "IltOn005", Session: 501, Due: day("2026-01-10")},
			{UserID: 700003, CourseID: "IltOn005", Session: 502, Status: "In Progress"},
			{UserID: 700004, CourseID: "IltTw006", Session: 601},
			{UserID: 700004, CourseID: "IltTw006", Session: 602},
			{UserID: 700001, CourseID: "Wert98k", Status: "Pass", Score: score(100), Completed: day("2026-02-01")},
			{UserID: 700002, CourseID: "Wert98k", Due: day("2026-02-01")},
			{UserID: 700003, CourseID: "WErt98k", Status: "Fail", Score: score(40), Completed: day("2026-02-01")},
			{UserID: 700001, CourseID: "CuRr0001"},
		},
	}
}

// useDocServer serves docOrg and points the environment at it.
func useDocServer(t *testing.T) *docserver.Server {
	t.Helper()
	srv := docserver.New(docOrg())
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	for k, v := range map[string]string{
		"ILMS_BASE_URL": hs.URL, "ILMS_ORG_ID": docserver.OrgID, "ILMS_API_LOGIN_ID": docserver.APILoginID, "ILMS_TRANSACTION_KEY": docserver.TransactionKey,
		"XDG_CONFIG_HOME": t.TempDir(),
	} {
		t.Setenv(k, v)
	}
	return srv
}

// summaryCounts exports the summary report and returns, for each course
// and curriculum, its own row's counts (not a sub-course's or session's):
// enrolled, not started, in progress, passed, failed, waived.
func summaryCounts(t *testing.T) map[string][]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "summary.csv")
	if code, _, stderr := runCmd(t, "export", "summary", "--rate", "unlimited", "-o", path); code != ExitOK {
		t.Fatalf("export summary: exit %d\n%s", code, stderr)
	}
	rows := readCSV(t, path)
	col := func(name string) int { return slices.Index(rows[0], name) }
	out := map[string][]string{}
	for _, r := range rows[1:] {
		if r[col("Parent Curriculum ID")] != "" || r[col("Session ID")] != "" {
			continue
		}
		out[r[col("Course ID")]] = r[col("Enrolled") : col("Waived")+1]
	}
	return out
}

// checkExportsCountAsTheSummary exports the compliance workbook and every
// enrollment, and compares the counts of each course and curriculum with
// the summary report's.
func checkExportsCountAsTheSummary(t *testing.T, args ...string) (workbook *excelize.File, enrollments [][]string) {
	t.Helper()
	want := summaryCounts(t)
	dir := t.TempDir()
	book := filepath.Join(dir, "compliance.xlsx")
	if code, _, stderr := runCmd(t, append([]string{"export", "compliance", "--as-of", "2026-06-30", "--rate", "unlimited", "-o", book}, args...)...); code != ExitOK {
		t.Fatalf("export compliance: exit %d\n%s", code, stderr)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	summary := sheetRows(t, f, "Summary", excelize.Options{RawCellValue: true})
	if len(summary) < 2 {
		t.Fatalf("the workbook's summary is empty: %q", summary)
	}
	for _, r := range summary[1:] {
		if w, ok := want[r[0]]; !ok || !slices.Equal(r[3:9], w) {
			t.Errorf("workbook: %s (%s) counts %q; the summary report %q", r[0], r[1], r[3:9], w)
		}
	}
	details := sheetRows(t, f, "Details")
	perCourse := map[string]int{}
	for _, r := range details[1:] {
		perCourse[r[0]]++
	}
	for _, r := range summary[1:] {
		if fmt.Sprint(perCourse[r[0]]) != r[3] {
			t.Errorf("workbook: %s has %d rows in Details and %s enrolled in Summary", r[0], perCourse[r[0]], r[3])
		}
	}

	csvPath := filepath.Join(dir, "enrollments.csv")
	enrArgs := []string{"export", "enrollments", "--rate", "unlimited", "-o", csvPath}
	if len(args) == 0 {
		enrArgs = append(enrArgs, "--all")
	}
	if code, _, stderr := runCmd(t, append(enrArgs, args...)...); code != ExitOK {
		t.Fatalf("export enrollments: exit %d\n%s", code, stderr)
	}
	enrollments = readCSV(t, csvPath)
	exported := map[string]int{}
	for _, r := range enrollments[1:] {
		exported[r[0]]++
	}
	for _, r := range summary[1:] {
		if fmt.Sprint(exported[r[0]]) != want[r[0]][0] {
			t.Errorf("export enrollments: %d rows of %s, the summary report %s enrolled", exported[r[0]], r[0], want[r[0]][0])
		}
	}
	return f, enrollments
}

// TestExportsCountTheSessionsOfAnILTCourse: against a server whose ILT
// course lists its people in its sessions only, the workbook and the
// enrollments export count them as the summary report does.
func TestExportsCountTheSessionsOfAnILTCourse(t *testing.T) {
	useDocServer(t)
	if got := summaryCounts(t)["IltOn005"]; len(got) == 0 || got[0] != "3" {
		t.Fatalf("the summary report counts %q in IltOn005, want 3 enrolled", got)
	}
	f, enrollments := checkExportsCountAsTheSummary(t)
	var sessions []string
	for _, r := range enrollments[1:] {
		if r[0] == "IltOn005" {
			sessions = append(sessions, r[2]+" "+r[4])
		}
	}
	slices.Sort(sessions)
	if want := []string{"501 700001", "501 700002", "502 700003"}; !slices.Equal(sessions, want) {
		t.Errorf("IltOn005's rows (session user): %q, want %q", sessions, want)
	}
	overdue := sheetRows(t, f, "Overdue")
	var who []string
	for _, r := range overdue[1:] {
		who = append(who, r[0]+" "+r[2])
	}
	slices.Sort(who)
	if want := []string{"IltOn005 700002", "Wert98k 700002"}; !slices.Equal(who, want) {
		t.Errorf("overdue %q, want %q", who, want)
	}
	// Named by ID, by name or twice, a course is counted once.
	checkExportsCountAsTheSummary(t, "--course", "IltOn005", "--course", "Forklift Workshop", "--course", "Wert98k", "--course", "WErt98k")
}

// TestExportsCountCoursesWhoseIDsDifferByCase: the sandbox's Ladder Safety
// (Wert98k) and Forklift Safety (WErt98k) are two courses, in the
// workbook and the enrollments export alike.
func TestExportsCountCoursesWhoseIDsDifferByCase(t *testing.T) {
	_, c := testSandbox(t, sandbox.Options{})
	ctx := t.Context()
	// Ladder Safety has nobody in the seed: two people, one passed.
	for _, id := range []int64{517244, 123456} {
		if err := c.Enrollments.EnrollCourse(ctx, "Wert98k", id); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Transcripts.UpdateCourse(ctx, 517244, "Wert98k", ilms.TranscriptUpdate{Status: "pass"}); err != nil {
		t.Fatal(err)
	}
	want := summaryCounts(t)
	if want["Wert98k"][0] != "2" || want["WErt98k"][0] == "2" || want["WErt98k"][0] == "0" {
		t.Fatalf("the summary report: Wert98k %q, WErt98k %q", want["Wert98k"], want["WErt98k"])
	}
	f, _ := checkExportsCountAsTheSummary(t, "--course", "Wert98k", "--course", "WErt98k")
	overdue := sheetRows(t, f, "Overdue")
	seen := map[string]bool{}
	for _, r := range overdue[1:] {
		k := r[0] + " " + r[2]
		if seen[k] {
			t.Errorf("overdue twice: %s", k)
		}
		seen[k] = true
	}
	// Every course, as --all reads them.
	checkExportsCountAsTheSummary(t)
}

// TestImportEnrollmentsInSessionsTwice: "already enrolled" is judged from
// the session's list, so a re-run sends nothing.
func TestImportEnrollmentsInSessionsTwice(t *testing.T) {
	srv := useDocServer(t)
	file := filepath.Join(t.TempDir(), "signups.csv")
	os.WriteFile(file, []byte("Email,Course ID,Session ID,Action\n"+
		"ben.okafor@example.com,IltOn005,501,\n"+ // in it already
		"eli.novak@example.com,IltOn005,502,\n"+
		"eli.novak@example.com,Wert98k,,\n"+
		"eli.novak@example.com,WErt98k,,\n"+ // another course
		"ana.lima@example.com,Wert98k,,\n"+ // in it already
		"ana.lima@example.com,IltOn005,,\n"+ // in its session 501 already
		"dana.rossi@example.com,IltTw006,,unenroll\n"), 0o644) // leaves both sessions
	want := []string{"unchanged", "enrolled", "enrolled", "enrolled", "unchanged", "unchanged", "unenrolled"}
	for run := 1; run <= 2; run++ {
		before := srv.Writes()
		out := t.TempDir()
		code, _, stderr := runCmd(t, "import", "enrollments", file, "--rate", "unlimited", "--out", out)
		if code != ExitOK {
			t.Errorf("run %d: exit %d\n%s", run, code, stderr)
		}
		for i, r := range readResults(t, out) {
			if r[2] != want[i] {
				t.Errorf("run %d, row %s: %s %q, want %s", run, r[0], r[2], r[5], want[i])
			}
		}
		if w := srv.Writes() - before; run == 1 && w != 5 || run == 2 && w != 0 {
			t.Errorf("run %d sent %d writes", run, w)
		}
		want = slices.Repeat([]string{"unchanged"}, len(want))
	}
	if srv.Record(700005, "IltOn005", 502) == nil || srv.Record(700005, "Wert98k", 0) == nil || srv.Record(700005, "WErt98k", 0) == nil {
		t.Error("Eli was not enrolled")
	}
	if srv.Record(700004, "IltTw006", 601) != nil || srv.Record(700004, "IltTw006", 602) != nil {
		t.Error("Dana is still in a session of IltTw006")
	}
}

// TestTranscriptFindsTheSessionOfAnILTCourse: a transcript row that names
// an ILT course and no session updates the one session the user is in,
// and says so; a user in two of its sessions is told which.
func TestTranscriptFindsTheSessionOfAnILTCourse(t *testing.T) {
	srv := useDocServer(t)
	file := filepath.Join(t.TempDir(), "completions.csv")
	os.WriteFile(file, []byte("Email,Course ID,Status,Score\n"+
		"chen.wei@example.com,IltOn005,pass,95\n"+
		"dana.rossi@example.com,IltTw006,pass,80\n"+
		"eli.novak@example.com,IltOn005,pass,70\n"), 0o644)
	out := t.TempDir()
	code, _, stderr := runCmd(t, "import", "transcripts", file, "--rate", "unlimited", "--out", out)
	if code != ExitPartial {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	rows := readResults(t, out)
	if r := rows[0]; r[2] != "updated" || !strings.Contains(r[5], "session 502") {
		t.Errorf("row %s: %s %q, want updated, saying session 502", r[0], r[2], r[5])
	}
	if e := srv.Record(700003, "IltOn005", 502); e == nil || e.Status != "Pass" || e.Score == nil || *e.Score != 95 {
		t.Errorf("Chen's session record after: %+v", e)
	}
	if r := rows[1]; r[2] != "invalid" || !strings.Contains(r[5], "601 (") || !strings.Contains(r[5], "602 (") || !strings.Contains(r[5], "Session ID") {
		t.Errorf("row %s: %s %q, want invalid naming sessions 601 and 602", r[0], r[2], r[5])
	}
	if r := rows[2]; r[2] != "invalid" || !strings.Contains(r[5], "not enrolled in IltOn005") {
		t.Errorf("row %s: %s %q", r[0], r[2], r[5])
	}
	before := srv.Writes()
	out = t.TempDir()
	runCmd(t, "import", "transcripts", file, "--rate", "unlimited", "--out", out)
	if r := readResults(t, out)[0]; r[2] != "unchanged" || srv.Writes() != before {
		t.Errorf("again: row %s %s %q, %d writes", r[0], r[2], r[5], srv.Writes()-before)
	}
}
