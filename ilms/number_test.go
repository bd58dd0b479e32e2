package ilms

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

func TestNumberReadsANumberOrAString(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Number
		wantErr bool
	}{
		{in: `10`, want: 10},
		{in: `0.0`, want: 0},
		{in: `"10"`, want: 10},
		{in: `" 1.5 "`, want: 1.5},
		{in: `""`, want: 0},
		{in: `null`, want: 0},
		{in: `"ten"`, wantErr: true},
		{in: `true`, wantErr: true},
	} {
		var n Number
		err := json.Unmarshal([]byte(tc.in), &n)
		if (err != nil) != tc.wantErr || err == nil && n != tc.want {
			t.Errorf("%s: %v, %v; want %v (error %v)", tc.in, n, err, tc.want, tc.wantErr)
		}
	}
	if b, _ := json.Marshal(Number(1.5)); string(b) != "1.5" {
		t.Errorf("Number(1.5) writes %s", b)
	}
}

// TestCreditsAndNullsReadAsTheServerSendsThem answers, from a server
// written from the document, a course with its credits as a number and a
// transcript with them as a string (the reverse of the document's
// examples), and a transcript and an enrollment whose Score and SessionID
// are null: the client reads the numbers either way, and null stays nil.
func TestCreditsAndNullsReadAsTheServerSendsThem(t *testing.T) {
	c, mux := setup(t)
	answer := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }
	}
	mux.HandleFunc("GET /organizations/99999/courses/p1gyJg4a", answer(`{"ID":"p1gyJg4a","Credits":10,"Hours":2.5}`))
	mux.HandleFunc("GET /organizations/99999/users/123456/transcripts", answer(`[
		{"CourseID":"fO1uIKJO","SessionID":null,"Score":null,"Status":"Not Started","Credits":"10","Hours":"4"},
		{"CourseID":"wqivr6aA","SessionID":0,"Score":0,"Status":"Fail","Credits":0.0,"Hours":0}]`))
	mux.HandleFunc("GET /organizations/99999/courses/meOexN1A/enrollments", answer(`[{"CourseID":"meOexN1A","SessionID":null,"Score":null,"CourseStatus":"Not Started"}]`))

	co, err := c.Courses.Get(ctx(t), "p1gyJg4a")
	if err != nil {
		t.Fatal(err)
	}
	if co.Credits != 10 || co.Hours != 2.5 {
		t.Errorf("course credits %v, hours %v; want 10 and 2.5", co.Credits, co.Hours)
	}
	ts, err := c.Transcripts.OfUser(ctx(t), 123456)
	if err != nil {
		t.Fatal(err)
	}
	if ts[0].Credits != 10 || ts[0].Hours != 4 || ts[0].Score != nil || ts[0].SessionID != nil {
		t.Errorf("transcript with nulls: credits %v hours %v score %v session %v", ts[0].Credits, ts[0].Hours, ts[0].Score, ts[0].SessionID)
	}
	if ts[1].Score == nil || *ts[1].Score != 0 || ts[1].SessionID == nil || *ts[1].SessionID != 0 {
		t.Errorf("a score of 0 and session 0 must stay 0, not vanish: %+v", ts[1])
	}
	es, _, err := c.Enrollments.Course("meOexN1A", EnrollmentListOptions{}).Page(ctx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if es[0].Score != nil || es[0].SessionID != nil {
		t.Errorf("enrollment Score %v SessionID %v, want both nil", es[0].Score, es[0].SessionID)
	}
}
