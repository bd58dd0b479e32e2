package export

import (
	"net/http"
	"slices"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// testClient serves the seed organization from a sandbox over HTTP and
// returns a client of it. Every request the client sends goes through
// seen, when given, on its way to the sandbox.
func testClient(t *testing.T, seen func(*http.Request)) *ilms.Client {
	t.Helper()
	var wrap func(*sandbox.Server) http.Handler
	if seen != nil {
		wrap = func(srv *sandbox.Server) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen(r); srv.ServeHTTP(w, r) })
		}
	}
	_, c, _ := sandboxtest.Serve(t, sandboxtest.Options{Wrap: wrap})
	return c
}

// memSink keeps a users export in memory.
type memSink struct {
	header []string
	rows   [][]any
}

func (s *memSink) Header(cols []string) error { s.header = cols; return nil }

// Row keeps a copy: the export reuses the slice.
func (s *memSink) Row(values []any) error { s.rows = append(s.rows, slices.Clone(values)); return nil }

// memRecords keeps exported records in memory.
type memRecords[R any] struct{ records []R }

func (m *memRecords[R]) Write(rec any) error {
	m.records = append(m.records, rec.(R))
	return nil
}

// memWorkbook keeps what the compliance export adds; report.Compliance
// decides what is overdue.
type memWorkbook struct {
	overdue *report.Compliance
	courses []report.CourseInfo
	added   []added
}

type added struct {
	course string
	e      ilms.Enrollment
	u      *ilms.User
}

func (w *memWorkbook) AddCourse(ci report.CourseInfo) { w.courses = append(w.courses, ci) }

func (w *memWorkbook) Overdue(e *ilms.Enrollment) bool { return w.overdue.Overdue(e) }

func (w *memWorkbook) Add(course string, e *ilms.Enrollment, u *ilms.User) error {
	w.added = append(w.added, added{course, *e, u})
	return nil
}
