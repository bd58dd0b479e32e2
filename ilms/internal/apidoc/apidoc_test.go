package apidoc

import (
	"strings"
	"testing"
)

const docPath = "../../../docs/ilms-api.txt"

// TestLoadFindsEveryOperationAndAnswer reads the document: 63 sections (the
// three transcript updates share one), and a JSON answer for every GET,
// four for the summary report, none for the writes, which answer with a
// status, a Location or a bare ID.
func TestLoadFindsEveryOperationAndAnswer(t *testing.T) {
	ops, err := Load(docPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 63 {
		t.Errorf("%d operations, want 63", len(ops))
	}
	total := 0
	for _, op := range ops {
		total += len(op.Examples)
		if op.Method == "" || !strings.Contains(op.CurlURL, "/organizations/99999/") {
			t.Errorf("%s (line %d): method %q, curl URL %q", op.Title, op.Line, op.Method, op.CurlURL)
		}
		want := 0
		switch {
		case strings.HasPrefix(op.Title, "Get Summary Report"):
			want = 4
		case op.Method == "GET":
			want = 1
		}
		if len(op.Examples) != want {
			t.Errorf("%s (line %d): %d JSON answers, want %d", op.Title, op.Line, len(op.Examples), want)
		}
	}
	if total != 29 {
		t.Errorf("%d JSON answers in all, want 29", total)
	}
}

// TestParseRefusesARepairThatNoLongerFits changes a line a repair expects:
// the document is read as it is or not at all.
func TestParseRefusesARepairThatNoLongerFits(t *testing.T) {
	lines := make([]string, 5000)
	if _, err := Parse([]byte(strings.Join(lines, "\n"))); err == nil || !strings.Contains(err.Error(), "line 226") {
		t.Errorf("err = %v, want the repair at line 226 named", err)
	}
}
