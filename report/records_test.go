package report

import (
	"errors"
	"strings"
	"testing"
)

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestRecordCSVWriteReportsAFailedWrite: once the output fails, Write
// says so instead of taking records it drops.
func TestRecordCSVWriteReportsAFailedWrite(t *testing.T) {
	r := NewRecordCSV(failingWriter{}, false, SummaryRecord{})
	var err error
	for i := 0; i < 100000 && err == nil; i++ {
		err = r.Write(SummaryRecord{CourseID: strings.Repeat("c", 100)})
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write: %v, want the output's error", err)
	}
	if cerr := r.Close(); cerr == nil {
		t.Error("Close succeeded after a failed write")
	}
}

// TestAbortedRecordsWriteNothing: an export that fails before its first
// record leaves an empty output, not a header that looks like an empty
// export; Close writes the header of none.
func TestAbortedRecordsWriteNothing(t *testing.T) {
	var b strings.Builder
	boom := errors.New("boom")
	if _, err := WriteRecords(&b, "csv", "Summary", false, SummaryRecord{}, func(Records) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("error %v", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %q", b.String())
	}
	if _, err := WriteRecords(&b, "csv", "Summary", false, SummaryRecord{}, func(Records) (int, error) { return 0, nil }); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "Course ID,Course Name,") {
		t.Errorf("an empty export wrote %q", b.String())
	}
}
