package pipeline

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/docserver"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// seedSandbox serves the seed organization (testdata/org.json), changed
// by edit, behind handler wrap (nil: the sandbox itself), and returns the
// sandbox and a client of it.
func seedSandbox(t *testing.T, edit func(*sandbox.State), opts sandbox.Options, wrap func(*sandbox.Server) http.Handler) (*sandbox.Server, *ilms.Client) {
	srv, c, _ := sandboxtest.Serve(t, sandboxtest.Options{Edit: edit, Sandbox: opts, Wrap: wrap})
	return srv, c
}

// planRows reads a CSV text of kind (header first), loads what an import
// of it reads of the organization, and plans every row in file order.
func planRows(t *testing.T, c *ilms.Client, kind mapping.Kind, opts PlanOptions, text string) (*org.Org, []*Plan) {
	t.Helper()
	return planRowsIn(t, c, kind, opts, text, nil)
}

// planRowsIn is planRows with the messages' options in words' words.
func planRowsIn(t *testing.T, c *ilms.Client, kind mapping.Kind, opts PlanOptions, text string, words remedy.Words) (*org.Org, []*Plan) {
	t.Helper()
	recs := readCSV(t, text)
	m, err := mapping.New(kind, recs[0], nil, false)
	if err != nil {
		t.Fatal(err)
	}
	known, err := org.Load(t.Context(), c, NeedsFor(m), 2)
	if err != nil {
		t.Fatal(err)
	}
	return planRowsWith(t, c, known, kind, opts, text, words)
}

// flags words an option as the command line's flag of the same name, so
// the messages read as a command-line run's do.
func flags(h remedy.Hint) string { return strings.TrimSpace("--" + string(h.Option) + " " + h.Value) }

// planRowsWith plans the rows of a CSV text against an organization
// already loaded.
func planRowsWith(t *testing.T, c *ilms.Client, known *org.Org, kind mapping.Kind, opts PlanOptions, text string, words remedy.Words) (*org.Org, []*Plan) {
	t.Helper()
	recs := readCSV(t, text)
	m, err := mapping.New(kind, recs[0], nil, false)
	if err != nil {
		t.Fatal(err)
	}
	checker := NewChecker(m, CheckOptions{Settings: validate.DefaultSettings(), Words: words})
	planner, err := NewPlanner(known, checker, opts)
	if err != nil {
		t.Fatal(err)
	}
	var plans []*Plan
	for i, cells := range recs[1:] {
		ch := checker.Check(Row{Line: i + 2, Cells: cells})
		p, err := planner.Plan(t.Context(), &ch)
		if err != nil {
			t.Fatalf("row %d: %v", i+2, err)
		}
		plans = append(plans, p)
	}
	return known, plans
}

func readCSV(t *testing.T, text string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// runPlans executes plans the way an import does and returns each row's
// result by row.
func runPlans(t *testing.T, c *ilms.Client, known *org.Org, plans []*Plan) map[int]Result {
	t.Helper()
	var mu sync.Mutex
	results := map[int]Result{}
	x := NewExecutor(c, known, 2, nil, func(r Result) {
		mu.Lock()
		results[r.Line] = r
		mu.Unlock()
	})
	ch := make(chan *Plan, len(plans))
	for _, p := range plans {
		if p.Writes() {
			ch <- p
		} else {
			x.Finish(p)
		}
	}
	close(ch)
	if err := x.Run(t.Context(), ch); err != nil {
		t.Fatal(err)
	}
	return results
}

// stepNames lists a plan's steps by name.
func stepNames(p *Plan) []string {
	var names []string
	for _, s := range p.steps {
		names = append(names, s.What)
	}
	return names
}

// planCase is one row planned against the seed organization, changed by
// edit: the outcome and steps it should get, and words its message holds.
type planCase struct {
	name    string
	edit    func(*sandbox.State)
	opts    PlanOptions
	text    string // header and row
	want    Outcome
	steps   []string // exactly, in order
	message []string // each in the plan's message
	columns []string // the cells at fault, exactly
	userID  int64
	words   remedy.Words // how the message names options (nil: neutral)
}

func runPlanCases(t *testing.T, kind mapping.Kind, cases []planCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, c := seedSandbox(t, tc.edit, sandbox.Options{}, nil)
			_, plans := planRowsIn(t, c, kind, tc.opts, tc.text, tc.words)
			p := plans[len(plans)-1]
			if p.Outcome != tc.want {
				t.Errorf("outcome %q, want %q (message %q)", p.Outcome, tc.want, p.Message)
			}
			if got := stepNames(p); !slices.Equal(got, tc.steps) {
				t.Errorf("steps %q, want %q", got, tc.steps)
			}
			if p.Writes() != (len(tc.steps) > 0) {
				t.Errorf("Writes() = %v with steps %q", p.Writes(), stepNames(p))
			}
			for _, w := range tc.message {
				if !strings.Contains(p.Message, w) {
					t.Errorf("message %q lacks %q", p.Message, w)
				}
			}
			if tc.message == nil && p.Message != "" {
				t.Errorf("message %q, want none", p.Message)
			}
			if !slices.Equal(p.Columns, tc.columns) {
				t.Errorf("columns %q, want %q", p.Columns, tc.columns)
			}
			if tc.userID != 0 && p.UserID != tc.userID {
				t.Errorf("user %d, want %d", p.UserID, tc.userID)
			}
		})
	}
}

// The seed's John Doe: user 517244, Emp001, john.doe@email.com, job title
// Manager, in Region 1 / Division 1 / Department 1, a member of groups
// Manager (3) and Leadership (407).
const (
	userHeader = "First Name,Last Name,Employee ID,Email ID,Region,Division,Department"
	johnDoe    = "John,Doe,Emp001,john.doe@email.com,Region 1,Division 1,Department 1"
	newHire    = "Ann,Lee,Emp900,ann.lee@example.com,Region 1,Division 1,Department 1"
)

// TestPlanUsers: what a users row plans against what the organization
// holds.
func TestPlanUsers(t *testing.T) {
	deleted := func(st *sandbox.State) {
		for _, u := range st.Users {
			if u.ID == 517244 {
				u.Status = "Deleted"
			}
		}
	}
	runPlanCases(t, mapping.Users, []planCase{
		{name: "a new person is created", text: userHeader + "\n" + newHire, want: Created, steps: []string{"create"}},
		{name: "a new person joins groups and courses", text: userHeader + ",Groups,Courses\n" + newHire + ",Sales;Manager,p1gyJg4a;pyOgaoli/4901",
			want: Created, steps: []string{"create", "add to group Sales", "add to group Manager", "enroll in p1gyJg4a", "enroll in pyOgaoli/4901"}},
		{name: "a new inactive person is created, then inactivated", text: userHeader + ",Status\n" + newHire + ",inactive",
			want: Created, steps: []string{"create", "inactivate"}},
		{name: "a new person needs every required field", text: "First Name,Employee ID,Email ID,Region,Division,Department\nAnn,Emp900,ann.lee@example.com,Region 1,Division 1,Department 1",
			want: Invalid, message: []string{"Last Name"}, columns: []string{"Last Name"}},
		{name: "a missing region is named", text: userHeader + "\nAnn,Lee,Emp900,ann.lee@example.com,Atlantis,Division 1,Department 1",
			want: Invalid, message: []string{`there is no region "Atlantis"`, "--create-hierarchy"}, columns: []string{"Region"}, words: flags},
		{name: "a missing department is created when asked", opts: PlanOptions{CreateHierarchy: true},
			text: userHeader + "\nAnn,Lee,Emp900,ann.lee@example.com,Region 1,Division 1,Night Shift",
			want: Created, steps: []string{`create department "Night Shift" of division "Division 1" of region "Region 1"`, "create"}},
		{name: "the same values change nothing", text: userHeader + ",Job Title,Country\n" + johnDoe + ",Manager,US",
			want: Unchanged, userID: 517244},
		{name: "an email in another case is the same", text: userHeader + "\nJohn,Doe,Emp001,JOHN.DOE@EMAIL.COM,Region 1,Division 1,Department 1",
			want: Unchanged, userID: 517244},
		{name: "only the changed field is updated", text: userHeader + ",Job Title,Country\n" + johnDoe + ",Regional Manager,United States",
			want: Updated, steps: []string{"update F007 Job Title: Manager → Regional Manager"}, userID: 517244},
		{name: "#clear clears a field that has a value", text: userHeader + ",Job Title,Address 1\n" + johnDoe + ",#clear,#clear",
			want: Updated, steps: []string{"update F007 Job Title: Manager → (blank)"}},
		{name: "a move names the whole unit", text: userHeader + "\nJohn,Doe,Emp001,john.doe@email.com,Demo Region,Demo Division,Demo Department",
			want: Updated, steps: []string{"update F019 Region: Region 1 → Demo Region, F020 Division: Division 1 → Demo Division, F021 Department: Department 1 → Demo Department"}},
		{name: "a group the user is in is kept, a new one added", text: userHeader + ",Groups\n" + johnDoe + ",Manager;Sales",
			want: Updated, steps: []string{"add to group Sales"}},
		{name: "an enrollment the user has is kept", text: userHeader + ",Courses\n" + johnDoe + ",iiOYhg6E/1234",
			want: Unchanged},
		{name: "an inactive user is activated", text: userHeader + ",Status\nJohn,Doe,emp001-b,john.doe2@email.com,Demo Region,Demo Division,Demo Department,active",
			want: Updated, steps: []string{"activate"}, userID: 517371},
		{name: "a password is set", text: userHeader + ",Password\n" + johnDoe + ",s3cret-Pass",
			want: Updated, steps: []string{"set password"}},
		{name: "create-only skips a known user", opts: PlanOptions{Mode: CreateOnly}, text: userHeader + ",Job Title\n" + johnDoe + ",CEO",
			want: Skipped, message: []string{"user 517244 already exists", "create-only"}, userID: 517244},
		{name: "update-only skips a new person", opts: PlanOptions{Mode: UpdateOnly}, text: userHeader + "\n" + newHire,
			want: Skipped, message: []string{"no such user", "update-only"}},
		{name: "update-only updates a known user", opts: PlanOptions{Mode: UpdateOnly}, text: userHeader + ",Job Title\n" + johnDoe + ",CEO",
			want: Updated, steps: []string{"update F007 Job Title: Manager → CEO"}},
		{name: "an employee ID that is someone else by name and email is a conflict",
			text: userHeader + "\nMary,Major,Emp001,mary.major@example.com,Region 1,Division 1,Department 1",
			want: Conflict, message: []string{"employee ID Emp001 is John Doe <john.doe@email.com> in iLMS (user 517244)", "Mary Major <mary.major@example.com>", "use the allow-identity-change option"},
			columns: []string{"First Name", "Last Name", "Email ID"}, userID: 517244},
		{name: "one changed name is no conflict", text: userHeader + "\nJonathan,Doe,Emp001,john.doe@email.com,Region 1,Division 1,Department 1",
			want: Updated, steps: []string{"update F001 First Name: John → Jonathan"}},
		{name: "an identity change is made when allowed", opts: PlanOptions{AllowIdentityChange: true},
			text: userHeader + "\nMary,Major,Emp001,mary.major@example.com,Region 1,Division 1,Department 1",
			want: Updated, steps: []string{"update F001 First Name: John → Mary, F003 Last Name: Doe → Major, F015 Email ID: john.doe@email.com → mary.major@example.com"}},
		{name: "an email matched to another employee ID is a conflict", opts: PlanOptions{Match: "F015"},
			text: userHeader + "\nJohn,Doe,Emp999,john.doe@email.com,Region 1,Division 1,Department 1",
			want: Conflict, message: []string{"email john.doe@email.com is John Doe, employee ID Emp001", "this row gives employee ID Emp999"}, columns: []string{"Employee ID"}},
		{name: "an email of someone else is refused", text: userHeader + "\nJohn,Doe,Emp001,jane.roe@email.com,Region 1,Division 1,Department 1",
			want: Invalid, message: []string{`"jane.roe@email.com" already belongs to user 123456 (Jane Roe)`}, columns: []string{"Email ID"}},
		{name: "a deleted user cannot be changed", edit: deleted, text: userHeader + ",Job Title\n" + johnDoe + ",CEO",
			want: Failed, message: []string{"user 517244 is deleted in iLMS"}, userID: 517244},
		{name: "an ID that is no user is refused", text: "ID," + userHeader + "\n999," + newHire,
			want: Invalid, message: []string{"there is no user 999 in iLMS"}, columns: []string{"ID"}},
		{name: "an ID finds the user whatever the keys say", text: "ID," + userHeader + ",Job Title\n517244," + johnDoe + ",CEO",
			want: Updated, steps: []string{"update F007 Job Title: Manager → CEO"}, userID: 517244},
		{name: "a row the checks refuse is invalid", text: userHeader + "\nAnn,Lee,Emp900,not-an-email,Region 1,Division 1,Department 1",
			want: Invalid, message: []string{"not-an-email"}, columns: []string{"Email ID"}},
		{name: "a course and a group named twice in a row are joined once", text: userHeader + ",Groups,Courses\n" + newHire + ",Sales;sales,Wert98k;Ladder Safety",
			want: Created, steps: []string{"create", "add to group Sales", "enroll in Wert98k"},
			message: []string{`Groups: "Sales" and "sales" are both group`, `Courses: "Wert98k" and "Ladder Safety" are both Wert98k (Ladder Safety): once is enough`}},
		{name: "an unknown group is refused", text: userHeader + ",Groups\n" + johnDoe + ",No Such Group",
			want: Invalid, message: []string{"No Such Group"}, columns: []string{"Groups"}},
		// A row found invalid after its first steps were planned sends
		// none of them: not a create whose row then says invalid.
		{name: "a new person with an unknown group is not created", text: userHeader + ",Groups\n" + newHire + ",No Such Group",
			want: Invalid, message: []string{"No Such Group"}, columns: []string{"Groups"}},
		{name: "a new person with a session the course lacks is not created", text: userHeader + ",Groups,Courses\n" + newHire + ",Sales,pyOgaoli/9999",
			want: Invalid, message: []string{"has no session 9999"}, columns: []string{"Courses"}},
		{name: "a known user with an unknown course is not updated", text: userHeader + ",Job Title,Courses\n" + johnDoe + ",CEO,NoSuchCourse",
			want: Invalid, message: []string{"NoSuchCourse"}, columns: []string{"Courses"}, userID: 517244},
	})
}

// Jane Roe, user 123456, is enrolled in fO1uIKJO (not started, due
// 2014-01-08), wqivr6aA (passed with 88), curriculum PP1uIKJO, and in
// session 517378 of the ILT course iiOYhg6E.
const enrollHeader = "Email,Course ID,Session ID,Action"

// TestPlanEnrollments: enroll, un-enroll, and what is already so.
func TestPlanEnrollments(t *testing.T) {
	runPlanCases(t, mapping.Enrollments, []planCase{
		{name: "enroll in a course", text: enrollHeader + "\njane.roe@email.com,p1gyJg4a,,enroll",
			want: Enrolled, steps: []string{"enroll in p1gyJg4a"}, userID: 123456},
		{name: "enroll is the default action", text: enrollHeader + "\njane.roe@email.com,p1gyJg4a,,",
			want: Enrolled, steps: []string{"enroll in p1gyJg4a"}},
		{name: "enroll in a session", text: enrollHeader + "\njohn.doe@email.com,pyOgaoli,4901,enroll",
			want: Enrolled, steps: []string{"enroll in pyOgaoli/4901"}},
		{name: "already enrolled", text: enrollHeader + "\njane.roe@email.com,fO1uIKJO,,enroll",
			want: Unchanged, message: []string{"already enrolled"}},
		{name: "already in the session", text: enrollHeader + "\njane.roe@email.com,iiOYhg6E,517378,enroll",
			want: Unchanged, message: []string{"already enrolled in session 517378"}},
		{name: "a course whose session the user is in", text: enrollHeader + "\njane.roe@email.com,iiOYhg6E,,enroll",
			want: Unchanged, message: []string{"already enrolled, in session", "517378"}},
		{name: "another session of the same course", text: enrollHeader + "\njane.roe@email.com,iiOYhg6E,1234,enroll",
			want: Invalid, message: []string{"user 123456 is in session", "un-enroll them from it first"}, columns: []string{"Session ID"}},
		{name: "un-enroll", text: enrollHeader + "\njane.roe@email.com,fO1uIKJO,,unenroll",
			want: Unenrolled, steps: []string{"un-enroll from fO1uIKJO"}},
		{name: "un-enroll from a session", text: enrollHeader + "\njane.roe@email.com,iiOYhg6E,517378,remove",
			want: Unenrolled, steps: []string{"un-enroll from iiOYhg6E/517378"}},
		// The sandbox's course lists name the people of its sessions too.
		{name: "un-enroll from a course held in its session", text: enrollHeader + "\njane.roe@email.com,iiOYhg6E,,unenroll",
			want: Unenrolled, steps: []string{"un-enroll from iiOYhg6E"}},
		{name: "un-enroll when not enrolled", text: enrollHeader + "\njane.roe@email.com,p1gyJg4a,,unenroll",
			want: Unchanged, message: []string{"not enrolled"}},
		{name: "a curriculum", text: "Email,Curriculum ID\njane.roe@email.com,dHg6Kdl8",
			want: Enrolled, steps: []string{"enroll in dHg6Kdl8"}},
		{name: "a course by its exact name", text: "Email,Course Name\njane.roe@email.com,Ladder Safety",
			want: Enrolled, steps: []string{"enroll in Wert98k"}},
		{name: "no such user", text: enrollHeader + "\nnobody@example.com,p1gyJg4a,,",
			want: Invalid, message: []string{`no user in iLMS has "nobody@example.com"`}, columns: []string{"Email"}},
		{name: "keys naming two users", text: "User ID,Email,Course ID\n517244,jane.roe@email.com,p1gyJg4a",
			want: Invalid, message: []string{"is user 123456, but the row's other key names user 517244"}, columns: []string{"Email"}},
		{name: "no such course", text: enrollHeader + "\njane.roe@email.com,nOsUch01,,",
			want: Invalid, message: []string{`no course has the ID or the name "nOsUch01"`}, columns: []string{"Course ID"}},
		{name: "a bad action", text: enrollHeader + "\njane.roe@email.com,p1gyJg4a,,enrol-ish",
			want: Invalid, message: []string{`"enrol-ish" is not an action`}, columns: []string{"Action"}},
		// Rows are compared by what they resolve to, not only as written.
		{name: "a course by ID, then by name, is enrolled once", text: "Email,Course ID,Course Name\njane.roe@email.com,Wert98k,\njane.roe@email.com,,Ladder Safety",
			want: Unchanged, message: []string{"row 2 already has this user and course Wert98k (Ladder Safety)"}},
		{name: "the same course twice as written is enrolled once", text: enrollHeader + "\njane.roe@email.com,p1gyJg4a,,enroll\nJANE.ROE@email.com,p1gyJg4a,,",
			want: Unchanged, message: []string{"row 2 already has this user and course p1gyJg4a"}},
		{name: "an un-enroll after an enroll contradicts it", text: enrollHeader + "\njane.roe@email.com,p1gyJg4a,,enroll\nJANE.ROE@email.com,p1gyJg4a,,unenrol",
			want: Invalid, message: []string{"row 2 has this user and course p1gyJg4a with the other action", "contradict"}, columns: []string{"Action"}},
		{name: "an un-enroll by name after an enroll by ID contradicts it", text: enrollHeader + "\njane.roe@email.com,Wert98k,,enroll\njane.roe@email.com,Ladder Safety,,unenroll",
			want: Invalid, message: []string{"row 2 enrolls user 123456 and course Wert98k (Ladder Safety), this row would unenroll", "contradict"}, columns: []string{"Action"}},
		{name: "a row after a contradiction contradicts the first row still", text: enrollHeader + "\njane.roe@email.com,p1gyJg4a,,enroll\njane.roe@email.com,p1gyJg4a,,unenroll\njane.roe@email.com,p1gyJg4a,,unenroll",
			want: Invalid, message: []string{"row 2 has this user and course p1gyJg4a with the other action"}, columns: []string{"Action"}},
		{name: "a row after an invalid one is not a repeat of it", text: enrollHeader + "\njane.roe@email.com,iiOYhg6E,1234,enroll\njane.roe@email.com,iiOYhg6E,1234,enroll",
			want: Invalid, message: []string{"un-enroll them from it first"}, columns: []string{"Session ID"}},
	})
}

const transcriptHeader = "Email,Course ID,Status,Score,Start Date,Completion Date,Due Date"

// TestPlanTranscripts: only what differs from the record is sent, and the
// record's status decides what a row without one may set.
func TestPlanTranscripts(t *testing.T) {
	runPlanCases(t, mapping.Transcripts, []planCase{
		{name: "pass with a score", text: transcriptHeader + "\njane.roe@email.com,fO1uIKJO,pass,90,,,",
			want: Updated, steps: []string{"update transcript status, score"}, userID: 123456},
		{name: "the record as it is", text: transcriptHeader + "\njane.roe@email.com,wqivr6aA,Pass,88,,2013-12-13T18:30:39,",
			want: Unchanged},
		{name: "a new score on a passed record", text: transcriptHeader + "\njane.roe@email.com,wqivr6aA,,95,,,",
			want: Updated, steps: []string{"update transcript score"}},
		{name: "a score on a record not started", text: transcriptHeader + "\njane.roe@email.com,fO1uIKJO,,80,,,",
			want: Invalid, message: []string{"a score needs the status pass or fail, and the record is not started"}},
		{name: "a start date on a record not started", text: transcriptHeader + "\njane.roe@email.com,fO1uIKJO,,,2024-01-02,,",
			want: Invalid, message: []string{"a start date needs a status other than not started"}},
		{name: "a completion date on a record in progress", text: transcriptHeader + "\nashley.johnson.1@example.com,fO1uIKJO,,,,2025-03-01,",
			want: Invalid, message: []string{"a completion date needs the status pass or fail, and the record is in progress"}},
		{name: "a start date on a record in progress", text: transcriptHeader + "\nashley.johnson.1@example.com,fO1uIKJO,,,2025-03-01,,",
			want: Updated, steps: []string{"update transcript start date"}},
		{name: "a score the row's own status allows", text: transcriptHeader + "\nashley.johnson.1@example.com,fO1uIKJO,fail,40,,2025-03-01,",
			want: Updated, steps: []string{"update transcript status, score, completion date"}},
		{name: "a waived row with a score is refused by the file's checks", text: transcriptHeader + "\njane.roe@email.com,fO1uIKJO,waived,80,,,",
			want: Invalid, message: []string{"only valid with status pass or fail, not waived"}, columns: []string{"Score"}},
		{name: "the due date cleared", text: transcriptHeader + "\njane.roe@email.com,fO1uIKJO,,,,,#clear",
			want: Updated, steps: []string{"update transcript clear due date"}},
		{name: "not enrolled", text: transcriptHeader + "\njane.roe@email.com,p1gyJg4a,pass,,,,",
			want: Invalid, message: []string{"user 123456 is not enrolled in p1gyJg4a", "--enroll-missing"}, columns: []string{"Course ID"}, words: flags},
		{name: "not enrolled, enrolled first when asked", opts: PlanOptions{EnrollMissing: true}, text: transcriptHeader + "\njane.roe@email.com,p1gyJg4a,pass,,,,",
			want: Updated, steps: []string{"enroll in p1gyJg4a", "update transcript status"}},
		{name: "a course held in its session", text: transcriptHeader + "\njane.roe@email.com,iiOYhg6E,pass,,,,",
			want: Updated, steps: []string{"update transcript status"}, message: []string{"user 123456 is in session", "whose transcript this is"}},
		// One record named by ID and by name: the second line would
		// overwrite the first, whichever is sent last.
		{name: "a record by ID, then by name, is refused", text: transcriptHeader + "\njane.roe@email.com,fO1uIKJO,pass,90,,,\njane.roe@email.com,Security Awareness 2026,fail,40,,,",
			want: Invalid, message: []string{"row 2 already gives user 123456's transcript of course fO1uIKJO (Security Awareness 2026)"}, columns: []string{"Course ID"}},
		{name: "a session's record, inferred, then named", text: transcriptHeader + ",Session ID\njane.roe@email.com,iiOYhg6E,pass,,,,,\njane.roe@email.com,iiOYhg6E,fail,,,,,517378",
			want: Invalid, message: []string{"row 2 already gives user 123456's transcript of session iiOYhg6E/517378"}, columns: []string{"Course ID"}},
	})
}

// TestPlanSeesEarlierRows: a row planned after a create sees the user the
// executor made, so the same person twice in a file is created once.
func TestPlanSeesEarlierRows(t *testing.T) {
	_, c := seedSandbox(t, nil, sandbox.Options{}, nil)
	known, plans := planRows(t, c, mapping.Users, PlanOptions{}, userHeader+"\n"+newHire)
	if plans[0].Outcome != Created {
		t.Fatalf("first: %q %q", plans[0].Outcome, plans[0].Message)
	}
	runPlans(t, c, known, plans)
	if plans[0].UserID == 0 {
		t.Fatal("the create left no user ID")
	}
	_, again := planRowsWith(t, c, known, mapping.Users, PlanOptions{}, userHeader+",Job Title\n"+newHire+",Nurse", nil)
	if p := again[0]; p.Outcome != Updated || p.UserID != plans[0].UserID || !slices.Equal(stepNames(p), []string{"update F007 Job Title: (blank) → Nurse"}) {
		t.Errorf("after the create: %q user %d steps %q", p.Outcome, p.UserID, stepNames(p))
	}
}

// TestPlanSessionsOverTheDocumentsServer plans against a server that
// lists an ILT course's people in its sessions only, as the document
// shows: a row naming the course and no session finds them there.
func TestPlanSessionsOverTheDocumentsServer(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ds := docserver.New(docserver.Org{
		Users: []docserver.User{
			{ID: 700001, First: "Ana", Last: "Lima", EmployeeID: "D001", Email: "ana.lima@example.com"},
			{ID: 700004, First: "Dana", Last: "Rossi", EmployeeID: "D004", Email: "dana.rossi@example.com"},
			{ID: 700005, First: "Eli", Last: "Novak", EmployeeID: "D005", Email: "eli.novak@example.com"},
		},
		Courses: []docserver.Course{{ID: "IltOn005", Name: "Forklift Workshop", Type: "ILT"}, {ID: "IltTw006", Name: "Ladder Workshop", Type: "ILT"}},
		Sessions: []docserver.Session{
			{ID: 501, CourseID: "IltOn005", Start: start}, {ID: 502, CourseID: "IltOn005", Start: start.AddDate(0, 0, 7)},
			{ID: 601, CourseID: "IltTw006", Start: start}, {ID: 602, CourseID: "IltTw006", Start: start.AddDate(0, 0, 7)},
		},
		Enrollments: []docserver.Enrollment{
			{UserID: 700001, CourseID: "IltOn005", Session: 501, Status: "In Progress"},
			{UserID: 700004, CourseID: "IltTw006", Session: 601},
			{UserID: 700004, CourseID: "IltTw006", Session: 602},
		},
	})
	hs := httptest.NewServer(ds)
	t.Cleanup(hs.Close)
	c, err := ilms.NewClient(ilms.Options{BaseURL: hs.URL, OrgID: docserver.OrgID, MinBackoff: time.Millisecond,
		Credentials: ilms.Credentials{APILoginID: docserver.APILoginID, TransactionKey: docserver.TransactionKey}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		kind    mapping.Kind
		text    string
		want    Outcome
		steps   []string
		message string
	}{
		{"enrolled through a session", mapping.Enrollments, enrollHeader + "\nana.lima@example.com,IltOn005,,enroll", Unchanged, nil, "already enrolled, in session 501"},
		{"a new person in a session", mapping.Enrollments, enrollHeader + "\neli.novak@example.com,IltOn005,502,enroll", Enrolled, []string{"enroll in IltOn005/502"}, ""},
		{"un-enroll from each session", mapping.Enrollments, enrollHeader + "\ndana.rossi@example.com,IltTw006,,unenroll", Unenrolled, []string{"un-enroll from IltTw006/601", "un-enroll from IltTw006/602"}, ""},
		{"the transcript of the one session", mapping.Transcripts, transcriptHeader + "\nana.lima@example.com,IltOn005,pass,75,,,", Updated, []string{"update transcript status, score"}, "user 700001 is in session 501"},
		{"two sessions: say which", mapping.Transcripts, transcriptHeader + "\ndana.rossi@example.com,IltTw006,pass,,,,", Invalid, nil, "user 700004 is in 2 sessions of IltTw006"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, plans := planRows(t, c, tc.kind, PlanOptions{}, tc.text)
			p := plans[0]
			if p.Outcome != tc.want || !slices.Equal(stepNames(p), tc.steps) || !strings.Contains(p.Message, tc.message) {
				t.Errorf("got %q, steps %q, message %q; want %q, steps %q, a message with %q", p.Outcome, stepNames(p), p.Message, tc.want, tc.steps, tc.message)
			}
		})
	}
	if n := ds.Writes(); n != 0 {
		t.Errorf("planning sent %d writes", n)
	}
}
