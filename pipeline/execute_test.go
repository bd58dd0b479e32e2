package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
	"github.com/ilms-bulk/ilms-bulk/mapping"
)

// errReset stands for a connection cut after the request was sent.
var errReset = errors.New("read: connection reset by peer")

// TestSettle drives settle with writes and lookups that answer as told: a
// write whose outcome is unknown is looked up before it is tried again,
// and tried again only when it did not take effect; a definite failure is
// reported at once.
func TestSettle(t *testing.T) {
	refused := &ilms.APIError{StatusCode: http.StatusBadRequest, Method: http.MethodPost, Path: "users", Message: "Email ID 'a@b.c' is already used by user 7."}
	for _, tc := range []struct {
		name       string
		writes     []error // the answers of successive writes
		found      []bool  // the answers of successive lookups
		lookupErr  error
		wantWrites int
		wantChecks int
		wantErr    error // errors.Is; nil for success
		errHas     string
	}{
		{name: "success", writes: []error{nil}, wantWrites: 1},
		{name: "a lost answer that took effect is not repeated", writes: []error{errReset}, found: []bool{true}, wantWrites: 1, wantChecks: 1},
		{name: "a 502 that took effect is not repeated", writes: []error{&ilms.APIError{StatusCode: http.StatusBadGateway}}, found: []bool{true}, wantWrites: 1, wantChecks: 1},
		{name: "a lost write that did not take effect is tried again", writes: []error{errReset, nil}, found: []bool{false}, wantWrites: 2, wantChecks: 1},
		{name: "tried until it is found", writes: []error{errReset, errReset}, found: []bool{false, true}, wantWrites: 2, wantChecks: 2},
		{name: "a refusal is reported at once", writes: []error{refused}, wantWrites: 1, wantErr: refused},
		{name: "a refusal after a lost try is reported", writes: []error{errReset, refused}, found: []bool{false}, wantWrites: 2, wantChecks: 1, wantErr: refused},
		{name: "a request never sent is not looked up", writes: []error{&ilms.UnsentError{Err: errors.New("dial tcp: connection refused")}}, wantWrites: 1, errHas: "request not sent"},
		{name: "a failed lookup reports both", writes: []error{errReset}, lookupErr: errors.New("lookup: 503"), wantWrites: 1, wantChecks: 1, wantErr: errReset, errHas: "checking whether it took effect failed: lookup: 503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			writes, checks := 0, 0
			err := settle(t.Context(), func() error {
				writes++
				if writes > len(tc.writes) {
					t.Fatalf("write %d: more writes than the test expects", writes)
				}
				return tc.writes[writes-1]
			}, func() (bool, error) {
				checks++
				if tc.lookupErr != nil {
					return false, tc.lookupErr
				}
				return tc.found[checks-1], nil
			})
			if writes != tc.wantWrites || checks != tc.wantChecks {
				t.Errorf("%d writes, %d lookups; want %d, %d", writes, checks, tc.wantWrites, tc.wantChecks)
			}
			switch {
			case tc.wantErr == nil && tc.errHas == "" && err != nil:
				t.Errorf("err = %v, want success", err)
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			case tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)):
				t.Errorf("err = %v, want one saying %q", err, tc.errHas)
			}
		})
	}
}

// TestSettleStopsWhenTheRunEnds: an interrupt between tries ends settle
// with the write's error, without another write.
func TestSettleStopsWhenTheRunEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	writes := 0
	err := settle(ctx, func() error {
		writes++
		return errReset
	}, func() (bool, error) {
		cancel()
		return false, nil
	})
	if !errors.Is(err, errReset) || writes != 1 {
		t.Errorf("err %v after %d writes; want the reset after 1", err, writes)
	}
}

// fault is what faultyServer does to one request it matches.
type fault int

const (
	applyThenCut fault = iota // the server acts, the answer is lost
	cutBefore                 // the connection drops before the server sees it
	applyThen502              // the server acts, a gateway answers 502
)

// faultyServer stands in front of the sandbox: the requests that match
// method and path (a suffix) get the faults in turn, the others pass. It
// counts the matching requests.
type faultyServer struct {
	next   http.Handler
	method string
	suffix string

	mu      sync.Mutex
	faults  []fault
	matched int
}

func (f *faultyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != f.method || !strings.HasSuffix(r.URL.Path, f.suffix) {
		f.next.ServeHTTP(w, r)
		return
	}
	f.mu.Lock()
	f.matched++
	var todo *fault
	if len(f.faults) > 0 {
		todo = &f.faults[0]
		f.faults = f.faults[1:]
	}
	f.mu.Unlock()
	if todo == nil {
		f.next.ServeHTTP(w, r)
		return
	}
	switch *todo {
	case applyThenCut, applyThen502:
		f.next.ServeHTTP(httptest.NewRecorder(), r)
	case cutBefore:
		io.Copy(io.Discard, r.Body)
	}
	if *todo == applyThen502 {
		http.Error(w, `{"Message":"Bad Gateway"}`, http.StatusBadGateway)
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err) // httptest's server can hijack
	}
	conn.Close()
}

func (f *faultyServer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.matched
}

// usersWithEmail counts the sandbox's users with an email, every status.
func usersWithEmail(srv *sandbox.Server, email string) (n int, id int64) {
	for _, u := range srv.Snapshot().Users {
		if strings.EqualFold(u.Profile["F015"], email) {
			n, id = n+1, u.ID
		}
	}
	return n, id
}

// TestExecuteCreateWhoseAnswerWasLost runs a users row's create through
// a server that loses the answer (the user is made, the client sees the
// connection cut or a 502) or the request (nothing is made): the executor
// looks the user up before trying again, so there is exactly one user
// either way, and the row's result carries their ID.
func TestExecuteCreateWhoseAnswerWasLost(t *testing.T) {
	for _, tc := range []struct {
		name      string
		faults    []fault
		wantPosts int
	}{
		{"made, then the connection was cut", []fault{applyThenCut}, 1},
		{"made, then a gateway answered 502", []fault{applyThen502}, 1},
		{"lost before it arrived", []fault{cutBefore}, 2},
		{"lost twice, then made and cut", []fault{cutBefore, cutBefore, applyThenCut}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var front *faultyServer
			srv, c := seedSandbox(t, nil, sandbox.Options{}, func(s *sandbox.Server) http.Handler {
				front = &faultyServer{next: s, method: http.MethodPost, suffix: "/users", faults: tc.faults}
				return front
			})
			known, plans := planRows(t, c, mapping.Users, PlanOptions{}, userHeader+",Groups\n"+newHire+",Sales")
			results := runPlans(t, c, known, plans)
			r := results[2]
			n, id := usersWithEmail(srv, "ann.lee@example.com")
			if n != 1 {
				t.Fatalf("%d users with the row's email, want 1 (result %+v)", n, r)
			}
			if r.Outcome != Created || r.ID != id || r.Actions != "create; add to group Sales" {
				t.Errorf("result %+v; want created, user %d, both steps done", r, id)
			}
			if got := front.count(); got != tc.wantPosts {
				t.Errorf("%d creates sent, want %d", got, tc.wantPosts)
			}
		})
	}
}

// TestExecuteEnrollWhoseAnswerWasLost: an enroll the server made but
// whose answer was lost is found by reading the transcript, not sent
// again (the sandbox would refuse a second one: already enrolled).
func TestExecuteEnrollWhoseAnswerWasLost(t *testing.T) {
	var front *faultyServer
	srv, c := seedSandbox(t, nil, sandbox.Options{}, func(s *sandbox.Server) http.Handler {
		front = &faultyServer{next: s, method: http.MethodPost, suffix: "/courses/p1gyJg4a/enrollments", faults: []fault{applyThenCut}}
		return front
	})
	known, plans := planRows(t, c, mapping.Enrollments, PlanOptions{}, enrollHeader+"\njane.roe@email.com,p1gyJg4a,,enroll")
	r := runPlans(t, c, known, plans)[2]
	if r.Outcome != Enrolled || r.Message != "" {
		t.Errorf("result %+v, want enrolled", r)
	}
	if got := front.count(); got != 1 {
		t.Errorf("%d enrolls sent, want 1", got)
	}
	enrolled := 0
	for _, e := range srv.Snapshot().Enrollments {
		if e.UserID == 123456 && e.CourseID == "p1gyJg4a" {
			enrolled++
		}
	}
	if enrolled != 1 {
		t.Errorf("%d records of user 123456 in p1gyJg4a, want 1", enrolled)
	}
}

// TestExecuteReportsARefusal: a create the server refuses fails the row
// with the server's own message, names the steps left undone, and is not
// tried again.
func TestExecuteReportsARefusal(t *testing.T) {
	var front *faultyServer
	_, c := seedSandbox(t, nil, sandbox.Options{}, func(s *sandbox.Server) http.Handler {
		front = &faultyServer{next: s, method: http.MethodPost, suffix: "/users"}
		return front
	})
	known, plans := planRows(t, c, mapping.Users, PlanOptions{}, userHeader+",Groups\n"+newHire+",Sales")
	// Someone takes the email between the plan and its run.
	other, err := c.Users.Create(t.Context(), ilms.NewUser{UserProfileData: []ilms.ProfileField{
		{Key: "F001", Value: "Anna"}, {Key: "F003", Value: "Lee"}, {Key: "F015", Value: "ann.lee@example.com"},
		{Key: "F019", Value: "Region 1"}, {Key: "F020", Value: "Division 1"}, {Key: "F021", Value: "Department 1"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	r := runPlans(t, c, known, plans)[2]
	if r.Outcome != Failed || r.Actions != "" {
		t.Errorf("result %+v, want failed with nothing done", r)
	}
	for _, w := range []string{"create failed: 400 Bad Request: ", "is already used by user", "not done because of it: add to group Sales"} {
		if !strings.Contains(r.Message, w) {
			t.Errorf("message %q lacks %q", r.Message, w)
		}
	}
	if !strings.Contains(r.Message, "user "+itoa(other)) {
		t.Errorf("message %q does not name user %d", r.Message, other)
	}
	if got := front.count(); got != 2 {
		t.Errorf("%d creates sent (the test's and the row's), want 2", got)
	}
}

// TestExecuteUpdateSendsOnlyTheChangedFields reads the body of the
// update a row with every column sends: only the field that differs.
func TestExecuteUpdateSendsOnlyTheChangedFields(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	_, c := seedSandbox(t, nil, sandbox.Options{}, func(s *sandbox.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				bodies = append(bodies, string(b))
				mu.Unlock()
				r.Body = io.NopCloser(strings.NewReader(string(b)))
			}
			s.ServeHTTP(w, r)
		})
	})
	known, plans := planRows(t, c, mapping.Users, PlanOptions{}, userHeader+",Job Title,City,Country,State,Time Zone\n"+johnDoe+",Regional Manager,San Antonio,US,TX,(GMT-06:00) Central Time (US & Canada)")
	r := runPlans(t, c, known, plans)[2]
	if r.Outcome != Updated {
		t.Fatalf("result %+v", r)
	}
	if len(bodies) != 1 {
		t.Fatalf("%d PUTs, want 1: %q", len(bodies), bodies)
	}
	var body any
	if err := json.Unmarshal([]byte(bodies[0]), &body); err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	collectFields(body, fields)
	if len(fields) != 1 || fields["F007"] != "Regional Manager" {
		t.Errorf("the update sent %v (%s), want F007 alone", fields, bodies[0])
	}
}

// collectFields finds the {"Key": code, "Value": v} pairs of a JSON body.
func collectFields(v any, into map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		k, ok1 := v["Key"].(string)
		val, ok2 := v["Value"].(string)
		if ok1 && ok2 {
			into[k] = val
			return
		}
		for _, x := range v {
			collectFields(x, into)
		}
	case []any:
		for _, x := range v {
			collectFields(x, into)
		}
	}
}

// TestExecuteStopsOnRefusedCredentials: a 401 ends the run as aborted;
// rows not started are left for a resume, and no worker outlives Run.
func TestExecuteStopsOnRefusedCredentials(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	srv, c := seedSandbox(t, nil, sandbox.Options{}, nil)
	var text strings.Builder
	text.WriteString(userHeader)
	for i := range 20 {
		text.WriteString("\nAnn,Lee,Emp9" + itoa(int64(10+i)) + ",ann.lee" + itoa(int64(i)) + "@example.com,Region 1,Division 1,Department 1")
	}
	known, plans := planRows(t, c, mapping.Users, PlanOptions{}, text.String())
	wrong, err := ilms.NewClient(ilms.Options{BaseURL: c.BaseURL(), OrgID: srv.OrgID(),
		Credentials: ilms.Credentials{APILoginID: srv.APILoginID(), TransactionKey: "wRoNgKeY0123456789abcd=="}})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var results []Result
	x := NewExecutor(wrong, known, 4, nil, func(r Result) {
		mu.Lock()
		results = append(results, r)
		mu.Unlock()
	})
	ch := make(chan *Plan)
	go func() {
		defer close(ch)
		for _, p := range plans {
			ch <- p
		}
	}()
	err = x.Run(t.Context(), ch)
	if !errors.Is(err, ErrAborted) || !ilms.IsUnauthorized(err) {
		t.Fatalf("Run = %v, want an aborted run saying unauthorized", err)
	}
	if !x.Stopped() {
		t.Error("the executor does not say it stopped")
	}
	// Every row is reported, and none done: a refused run leaves them all
	// for the resume.
	if len(results) != len(plans) {
		t.Errorf("%d of %d rows reported", len(results), len(plans))
	}
	for _, r := range results {
		if r.Outcome != Pending {
			t.Errorf("row %d is %s; a refused run leaves every row for the resume", r.Line, r.Outcome)
		}
	}
	if n, _ := usersWithEmail(srv, "ann.lee0@example.com"); n != 0 {
		t.Error("a user was made with refused credentials")
	}
}

// TestExecuteInterruptedLeavesRowsForResume: once the run's context ends,
// no row starts, and Run returns the context's error with every worker
// gone.
func TestExecuteInterruptedLeavesRowsForResume(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	_, c := seedSandbox(t, nil, sandbox.Options{}, nil)
	known, plans := planRows(t, c, mapping.Users, PlanOptions{}, userHeader+"\n"+newHire)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var results []Result
	x := NewExecutor(c, known, 2, nil, func(r Result) { results = append(results, r) })
	ch := make(chan *Plan, 1)
	ch <- plans[0]
	close(ch)
	if err := x.Run(ctx, ch); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	if len(results) != 1 || results[0].Outcome != Pending {
		t.Errorf("results %+v after an interrupt before the row started; want the row pending", results)
	}
}

// TestExecuteInterruptSendsNothingMore: rows whose requests wait for
// their turn at the pace when the run is interrupted send nothing (at 5
// requests a second, eight workers' waiting rows used to go on being
// sent for seconds after Ctrl-C); they are left pending, and the request
// in flight, if any, finishes.
func TestExecuteInterruptSendsNothingMore(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	srv, fast, url := sandboxtest.Serve(t, sandboxtest.Options{})
	paced, err := ilms.NewClient(ilms.Options{BaseURL: url, OrgID: srv.OrgID(), Pacer: ilms.NewPacer(ilms.Limiter(5)),
		Credentials: ilms.Credentials{APILoginID: srv.APILoginID(), TransactionKey: srv.TransactionKey()}})
	if err != nil {
		t.Fatal(err)
	}
	text := userHeader
	for i := range 12 {
		text += fmt.Sprintf("\nAnn,Lee,E77%02d,ann.lee.%d@example.com,Region 1,Division 1,Department 1", i, i)
	}
	known, plans := planRows(t, fast, mapping.Users, PlanOptions{}, text)
	ctx, cancel := context.WithCancel(t.Context())
	var mu sync.Mutex
	var results []Result
	x := NewExecutor(paced, known, 8, nil, func(r Result) {
		mu.Lock()
		defer mu.Unlock()
		results = append(results, r)
		if len(results) == 2 {
			cancel() // two rows done, six waiting for their turn
		}
	})
	ch := make(chan *Plan, len(plans))
	for _, p := range plans {
		ch <- p
	}
	close(ch)
	srv.ResetStats()
	if err := x.Run(ctx, ch); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	writes := srv.Stats().Writes
	created, pending := 0, 0
	for _, r := range results {
		switch r.Outcome {
		case Created:
			created++
		case Pending:
			pending++
		default:
			t.Errorf("row %d: %s %s", r.Line, r.Outcome, r.Message)
		}
	}
	// The interrupt comes as the second row's result is told; a third
	// request may be in flight then, and finishes.
	if len(results) != 12 || int64(created) != writes || created > 3 || pending < 9 {
		t.Errorf("%d results: %d created, %d pending, %d writes sent; want 12, 2 or 3 created (all that was sent), the rest pending", len(results), created, pending, writes)
	}
}

// TestExecuteJournalsEveryRow: a run with a journal records each row as
// started before its first write and done with its result, in a file the
// resume reads back.
func TestExecuteJournalsEveryRow(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	_, c := seedSandbox(t, nil, sandbox.Options{}, nil)
	known, plans := planRows(t, c, mapping.Users, PlanOptions{}, userHeader+",Job Title\n"+newHire+",\n"+johnDoe+",Manager")
	path := t.TempDir() + "/journal.jsonl"
	j, err := CreateJournal(path, &JournalHeader{Journal: 1, Kind: "users", File: "in.csv", SHA256: "ab"})
	if err != nil {
		t.Fatal(err)
	}
	x := NewExecutor(c, known, 2, j, nil)
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
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := ReadJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.InFlight) != 0 || st.Done[2].Outcome != Created || st.Done[3].Outcome != Unchanged || st.Done[2].ID == 0 {
		t.Errorf("journal: done %+v, in flight %v", st.Done, st.InFlight)
	}
	b, _ := readFile(path)
	if !slices.Contains(strings.Split(b, "\n"), `{"row":2,"state":"started","email":"ann.lee@example.com","employee_id":"Emp900"}`) {
		t.Errorf("row 2 was not journaled as started with its keys:\n%s", b)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}
