package ilms

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

func TestDateReadsEveryDocumentedForm(t *testing.T) {
	for in, want := range map[string]time.Time{
		`"2013-10-23T13:30:38.22"`:    time.Date(2013, 10, 23, 13, 30, 38, 220_000_000, time.UTC),
		`"2013-12-08T10:05:59.877"`:   time.Date(2013, 12, 8, 10, 5, 59, 877_000_000, time.UTC),
		`"2014-01-01T04:00:00"`:       time.Date(2014, 1, 1, 4, 0, 0, 0, time.UTC),
		`"2013-10-23"`:                time.Date(2013, 10, 23, 0, 0, 0, 0, time.UTC),
		`"2013-10-23T13:30:38Z"`:      time.Date(2013, 10, 23, 13, 30, 38, 0, time.UTC),
		`"2013-10-23T07:30:38-06:00"`: time.Date(2013, 10, 23, 13, 30, 38, 0, time.UTC),
	} {
		var d Date
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if !d.Equal(want) {
			t.Errorf("%s read as %v, want %v", in, d.Time, want)
		}
	}
	for _, bad := range []string{`"23/10/2013"`, `"tomorrow"`, `20131023`} {
		var d Date
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("%s read without error as %v", bad, d)
		}
	}
}

func TestNullableDates(t *testing.T) {
	var tr Transcript
	if err := json.Unmarshal([]byte(`{"StartDate":null,"CompletionDate":"2013-12-13T05:21:20.84","DueDate":""}`), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.StartDate != nil {
		t.Errorf("null StartDate read as %v", tr.StartDate)
	}
	if tr.CompletionDate == nil || tr.CompletionDate.String() != "2013-12-13T05:21:20" {
		t.Errorf("CompletionDate = %v", tr.CompletionDate)
	}
	if tr.DueDate == nil || !tr.DueDate.IsZero() {
		t.Errorf(`"" DueDate = %v, want a zero date`, tr.DueDate)
	}
}

func TestDateWritesTheAPIForm(t *testing.T) {
	d := NewDate(time.Date(2014, 11, 22, 6, 0, 0, 0, time.FixedZone("CST", -6*3600)))
	b, _ := json.Marshal(d)
	if string(b) != `"2014-11-22T12:00:00"` {
		t.Errorf("wrote %s, want UTC yyyy-MM-ddTHH:mm:ss", b)
	}
	// The fraction of a second the server sent is written back, to the
	// 100 ns its dates carry at most; String, for display, leaves it out.
	for in, want := range map[string]string{
		`"2013-10-23T13:30:38.22"`:        `"2013-10-23T13:30:38.22"`,
		`"2013-12-08T10:05:59.877"`:       `"2013-12-08T10:05:59.877"`,
		`"2013-12-08T10:05:59.1234567"`:   `"2013-12-08T10:05:59.1234567"`,
		`"2013-12-08T10:05:59.123456789"`: `"2013-12-08T10:05:59.1234567"`,
		`"2014-01-01T04:00:00.000"`:       `"2014-01-01T04:00:00"`,
	} {
		var d Date
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(d); string(b) != want {
			t.Errorf("%s written back as %s, want %s", in, b, want)
		}
		if s := d.String(); len(s) != len(DateLayout) {
			t.Errorf("%s: String() = %q, want yyyy-MM-ddTHH:mm:ss", in, s)
		}
	}
	b, _ = json.Marshal(Date{})
	if string(b) != "null" {
		t.Errorf("zero date wrote %s", b)
	}
	b, _ = json.Marshal(DueDateSettings{})
	if string(b) != `{"DefaultDueDate":null,"DaysAfterEnrollment":null}` {
		t.Errorf("due date settings wrote %s; the API needs both keys, null included", b)
	}
}

func TestProfileGetSet(t *testing.T) {
	var p Profile
	for code, v := range map[string]string{"F001": "John", "F005": "2012-03-04T00:00:00", "F019_ID": "13306", "F016": "secret"} {
		if !p.Set(code, v) {
			t.Errorf("Set(%s)", code)
		}
		if got := p.Get(code); got != v {
			t.Errorf("Get(%s) = %q, want %q", code, got, v)
		}
	}
	if p.Set("F005", "not a date") || p.Set("F099", "x") {
		t.Error("Set accepted a bad date or an unknown code")
	}
	p.Set("F005", "")
	if p.F005 != nil {
		t.Error("empty value did not clear F005")
	}
	// A user from the document reads into the struct exactly.
	var u User
	doc := `{"ID":517244,"UserStatus":"Active","Profile":{"F001":"John","F005":null,"F016":null,"F019":"Region 1","F019_ID":13306,"F023":"(GMT-06.00) Central Time (US & Canada)","F032":"2013-10-23T13:30:38.22"}}`
	if err := json.Unmarshal([]byte(doc), &u); err != nil {
		t.Fatal(err)
	}
	if u.Profile.F019_ID != 13306 || u.Profile.F005 != nil || u.Profile.F016 != nil || u.Profile.Get("F032") != "2013-10-23T13:30:38" {
		t.Errorf("decoded %+v", u.Profile)
	}
}

func TestTranscriptUpdateBody(t *testing.T) {
	score := 85
	for _, tc := range []struct {
		u    TranscriptUpdate
		want string
	}{
		{TranscriptUpdate{}, `{}`},
		{TranscriptUpdate{Status: "fail", Score: &score}, `{"status":"fail","score":"85"}`},
		{TranscriptUpdate{ClearDueDate: true, RequirementType: "optional"}, `{"duedate":null,"requirementtype":"optional"}`},
		{TranscriptUpdate{DueDate: DatePtr(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))}, `{"duedate":"2026-01-02T03:04:05"}`},
	} {
		b, err := json.Marshal(tc.u)
		if err != nil || string(b) != tc.want {
			t.Errorf("marshal %+v = %s, %v; want %s", tc.u, b, err, tc.want)
		}
	}
	if !(TranscriptUpdate{}).IsEmpty() || (TranscriptUpdate{ClearDueDate: true}).IsEmpty() {
		t.Error("IsEmpty is wrong")
	}
}

// TestDatesReadAreWrittenBackWithTheirFraction reads dates from a server
// written from the document (an enrollment record, a course's due date)
// and sends them back: the request carries the same instant, fraction of a
// second included, not one cut to the second.
func TestDatesReadAreWrittenBackWithTheirFraction(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("GET /organizations/99999/courses/meOexN1A/enrollments", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `[{"User":{"ID":517371},"CourseID":"meOexN1A","DueDate":"2014-01-01T04:00:00","CourseStatus":"Not Started","EnrollmentDate":"2013-12-08T10:05:59.877"}]`)
	})
	mux.HandleFunc("GET /organizations/99999/courses/p1gyJg4a/duedate", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"DefaultDueDate":"2014-11-22T23:01:00.22","DaysAfterEnrollment":null}`)
	})
	bodies := map[string]string{}
	record := func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies[r.URL.Path] = string(b)
		w.WriteHeader(http.StatusNoContent)
	}
	mux.HandleFunc("PUT /organizations/99999/users/517371/courses/meOexN1A/transcripts", record)
	mux.HandleFunc("PUT /organizations/99999/courses/p1gyJg4a/DueDate", record)

	es, _, err := c.Enrollments.Course("meOexN1A", EnrollmentListOptions{}).Page(ctx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	e := es[0]
	if err := c.Transcripts.UpdateCourse(ctx(t), e.User.ID, e.CourseID, TranscriptUpdate{EnrollmentDate: e.EnrollmentDate, DueDate: e.DueDate}); err != nil {
		t.Fatal(err)
	}
	due, err := c.Courses.DueDate(ctx(t), "p1gyJg4a")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Courses.SetDueDate(ctx(t), "p1gyJg4a", *due); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/organizations/99999/users/517371/courses/meOexN1A/transcripts": `{"enrollmentdate":"2013-12-08T10:05:59.877","duedate":"2014-01-01T04:00:00"}`,
		"/organizations/99999/courses/p1gyJg4a/DueDate":                  `{"DefaultDueDate":"2014-11-22T23:01:00.22","DaysAfterEnrollment":null}`,
	} {
		if !jsonEqual(t, bodies[path], want) {
			t.Errorf("PUT %s sent %s, want %s", path, bodies[path], want)
		}
	}
}
