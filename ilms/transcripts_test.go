package ilms

import (
	"encoding/json"
	"testing"
)

// TestTranscriptUpdateRoundTrips: an update a saved plan keeps reads back
// as it was written, a cleared due date and a score included.
func TestTranscriptUpdateRoundTrips(t *testing.T) {
	d, _ := ParseDate("2026-03-04T00:00:00")
	n := 88
	for _, u := range []TranscriptUpdate{
		{Status: "pass", Score: &n, CompletionDate: &d},
		{ClearDueDate: true, RequirementType: "optional"},
		{StartDate: &d, EnrollmentDate: &d, LicenseExpirationDate: &d, CertificationExpirationDate: &d, Status: "fail"},
	} {
		b, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var back TranscriptUpdate
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		again, _ := json.Marshal(back)
		if string(again) != string(b) || back.ClearDueDate != u.ClearDueDate || (u.Score != nil) != (back.Score != nil) {
			t.Errorf("%s read back as %s (%+v)", b, again, back)
		}
	}
}
