package ilms

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms/internal/apidoc"
)

// decodeStrict decodes b into v, refusing a member v has no field for: an
// example member the client's type would drop is a failure, not a silence.
func decodeStrict(t *testing.T, line int, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("line %d: %T: %v", line, v, err)
	}
}

func at(s string) time.Time {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d.Time
}

// TestTypesDecodeEveryDocumentedAnswer decodes each JSON answer the
// document prints (ilms/internal/apidoc reads them) into the client type
// its call returns, every member into a field, and checks the values where
// the document is of two minds: Credits as "10" and as 0.0, a null Score or
// SessionID beside a 0, fractional seconds of two and three digits.
func TestTypesDecodeEveryDocumentedAnswer(t *testing.T) {
	ops, err := apidoc.Load("../docs/ilms-api.txt")
	if err != nil {
		t.Fatal(err)
	}
	users := func(t *testing.T, line int, b []byte) {
		var us []User
		decodeStrict(t, line, b, &us)
		p := us[0].Profile
		if len(us) < 2 || us[0].ID != 517244 || p.F001 != "John" || p.F005 != nil || p.F016 != nil || p.F019_ID != 13306 ||
			p.F032 == nil || !p.F032.Equal(at("2013-10-23T13:30:38.220")) || us[1].Profile.F011 != "US" {
			t.Errorf("line %d: %+v", line, us)
		}
	}
	units := func(t *testing.T, line int, b []byte) {
		var us []Unit
		decodeStrict(t, line, b, &us)
		if len(us) != 3 || us[0].ID == 0 || us[0].Name == "" || us[0].NumberOfUsers == 0 {
			t.Errorf("line %d: %+v", line, us)
		}
	}
	transcripts := func(t *testing.T, line int, b []byte) {
		var ts []Transcript
		decodeStrict(t, line, b, &ts)
		first := ts[0]
		if first.CourseID == "" || first.SessionID == nil || *first.SessionID != 0 || first.Score == nil || *first.Score != 0 ||
			first.Credits != 0 || first.Hours != 0 || first.EnrollmentDate == nil || !first.EnrollmentDate.Equal(at("2013-12-09T16:30:39.37")) {
			t.Errorf("line %d: %+v", line, first)
		}
		if len(ts) > 1 && (ts[1].Score == nil || *ts[1].Score != 100 || ts[1].Status != "Pass") {
			t.Errorf("line %d: second line %+v", line, ts[1])
		}
	}
	enrollments := func(session int64) func(t *testing.T, line int, b []byte) {
		return func(t *testing.T, line int, b []byte) {
			var es []Enrollment
			decodeStrict(t, line, b, &es)
			e := es[0]
			if len(es) != 2 || e.Score != nil || e.User.Profile_Basic.F019_ID != 8090 || e.EnrollmentDate == nil || !e.EnrollmentDate.Equal(at("2013-12-08T10:05:59.877")) {
				t.Errorf("line %d: %+v", line, e)
			}
			switch {
			case session == 0 && e.SessionID != nil:
				t.Errorf("line %d: SessionID null read as %d", line, *e.SessionID)
			case session != 0 && (e.SessionID == nil || *e.SessionID != session):
				t.Errorf("line %d: SessionID %v, want %d", line, e.SessionID, session)
			}
		}
	}
	courses := func(t *testing.T, line int, b []byte) {
		var cs []Course
		decodeStrict(t, line, b, &cs)
		if len(cs) != 2 || cs[0].Credits != 10 || cs[0].Hours != 4 || cs[1].Credits != 0 || cs[0].DefaultDueDateSettings.DaysAfterEnrollment == nil {
			t.Errorf("line %d: %+v", line, cs)
		}
	}
	curricula := func(t *testing.T, line int, b []byte) {
		var cs []Curriculum
		decodeStrict(t, line, b, &cs)
		if len(cs) != 2 || cs[0].DefaultDueDateSettings.DefaultDueDate == nil || cs[1].DefaultDueDateSettings.DaysAfterEnrollment == nil {
			t.Errorf("line %d: %+v", line, cs)
		}
	}
	decoders := map[string]func(t *testing.T, line int, b []byte){
		"Get All Users / Search Users":                                 users,
		"Get All Members / Users Of a Group":                           users,
		"Get All Members / Users Of a Group's Explicit Inclusion List": users,
		"Get All Members / Users Of a Group's Explicit Exclusion List": users,
		"Get a User": func(t *testing.T, line int, b []byte) {
			var u User
			decodeStrict(t, line, b, &u)
			if u.ID != 517244 || u.Profile.F021 != "Department 1" || u.Profile.F032 == nil {
				t.Errorf("line %d: %+v", line, u)
			}
		},
		"Get All Groups": func(t *testing.T, line int, b []byte) {
			var gs []Group
			decodeStrict(t, line, b, &gs)
			if len(gs) != 2 || gs[0].NumberOfUsers != 20 {
				t.Errorf("line %d: %+v", line, gs)
			}
		},
		"Get a Group": func(t *testing.T, line int, b []byte) {
			var g Group
			decodeStrict(t, line, b, &g)
			if g.ID != 2 || g.NumberOfCourses != 1 {
				t.Errorf("line %d: %+v", line, g)
			}
		},
		"Get All Courses Of a Group": func(t *testing.T, line int, b []byte) {
			var gcs []GroupCourse
			decodeStrict(t, line, b, &gcs)
			d := gcs[1].DefaultDueDateSettings
			if len(gcs) != 2 || gcs[0].DefaultDueDateSettings.DaysAfterEnrollment == nil || *gcs[0].DefaultDueDateSettings.DaysAfterEnrollment != 10 ||
				d.DefaultDueDate == nil || !d.DefaultDueDate.Equal(at("2012-12-21T00:00:00")) || d.DaysAfterEnrollment != nil {
				t.Errorf("line %d: %+v", line, gcs)
			}
		},
		"Get All Regions":                                     units,
		"Get All Divisions":                                   units,
		"Get All Departments":                                 units,
		"Get Transcripts Of A User":                           transcripts,
		"Get Transcripts Of A User For A Specific Course":     transcripts,
		"Get Transcripts Of A User For A Specific Curriculum": transcripts,
		"Get Transcripts Of A User For A Specific Session": func(t *testing.T, line int, b []byte) {
			// One object, not a list: read as ForSession reads it.
			var ts oneOrMany[Transcript]
			if err := ts.UnmarshalJSON(b); err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
			var tr Transcript
			decodeStrict(t, line, b, &tr)
			if len(ts) != 1 || ts[0].SessionID == nil || *ts[0].SessionID != 5119 || ts[0].Status != "Not Started" || ts[0].Credits != 0 {
				t.Errorf("line %d: %+v", line, ts)
			}
		},
		"Get All Courses": courses,
		"Get A Course": func(t *testing.T, line int, b []byte) {
			var c Course
			decodeStrict(t, line, b, &c)
			if c.ID != "p1gyJg4a" || c.Credits != 10 || c.Hours != 4 {
				t.Errorf("line %d: %+v", line, c)
			}
		},
		"Get Only Due Date Settings of a Course": func(t *testing.T, line int, b []byte) {
			var d DueDateSettings
			decodeStrict(t, line, b, &d)
			if d.DefaultDueDate != nil || d.DaysAfterEnrollment == nil || *d.DaysAfterEnrollment != 4 {
				t.Errorf("line %d: %+v", line, d)
			}
		},
		"Get All Curricula/Search by Name": curricula,
		"Get A Curriculum": func(t *testing.T, line int, b []byte) {
			var c Curriculum
			decodeStrict(t, line, b, &c)
			if c.ID != "dHg6Kdl8" || c.DefaultDueDateSettings.DefaultDueDate == nil {
				t.Errorf("line %d: %+v", line, c)
			}
		},
		"Get All Sessions of a ILT/Event": func(t *testing.T, line int, b []byte) {
			var ss []Session
			decodeStrict(t, line, b, &ss)
			if len(ss) != 5 || ss[0].SessionID != 4855 || ss[0].StartDateTime == nil || len(ss[0].Instructors) != 1 || ss[0].Location.TimeZoneName == "" {
				t.Errorf("line %d: %+v", line, ss)
			}
		},
		"Get A Session": func(t *testing.T, line int, b []byte) {
			var s Session
			decodeStrict(t, line, b, &s)
			if s.SessionID != 4855 || s.Instructors[0].ID != 45921 {
				t.Errorf("line %d: %+v", line, s)
			}
		},
		"Get All The Enrollments Of A Course":     enrollments(0),
		"Get All The Enrollments Of A Curriculum": enrollments(0),
		"Get All The Enrollments Of A Session":    enrollments(1234),
		"Get Summary Report Of a Course, Curriculum or ILT Session": func(t *testing.T, line int, b []byte) {
			var rows []SummaryRow
			decodeStrict(t, line, b, &rows)
			if len(rows) == 0 || rows[0].CourseID == "" || rows[0].Enrolled == 0 {
				t.Errorf("line %d: %+v", line, rows)
			}
		},
	}
	seen := 0
	for _, op := range ops {
		if len(op.Examples) == 0 {
			continue
		}
		decode := decoders[op.Title]
		if decode == nil {
			t.Errorf("%s (line %d): no client type named for its answer", op.Title, op.Line)
			continue
		}
		t.Run(op.Title, func(t *testing.T) {
			for _, ex := range op.Examples {
				decode(t, ex.Line, ex.JSON)
				seen++
			}
		})
	}
	if seen != 29 {
		t.Errorf("%d answers decoded, want the document's 29", seen)
	}
}
