// Package export holds the export jobs: users, enrollments, transcripts,
// the enrollment summary and the compliance workbook's data. It owns the
// translation of filters into API queries, the names of groups, courses,
// curricula and sessions (looked up through org), the paged reads (pages
// fetched concurrently under the client's shared pacer) and the
// compliance fan-out, which reads the supervisor of each overdue user
// once. It formats no sheet: each job writes its rows, in order, as they
// arrive, to a sink its caller opened (report's CSV and XLSX writers, the
// compliance workbook), and the caller closes it; or, by a job's Write
// (sheet.go), to one CSV or XLSX sheet it opens on a writer.
//
// A job's options are plain values, as a web form gives them; their
// Check method says what is wrong with them before anything is sent, as
// a *validate.OptionError naming the option by the names below, which
// the command line renders as its flags.
package export

import (
	"iter"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// The options the export jobs check, by the names their
// validate.OptionError carries; a search (Where) is
// validate.OptionSearch.
const (
	OptionStatus     = "status"     // the user statuses of a filter
	OptionGroup      = "group"      // the groups of a filter
	OptionFields     = "fields"     // the columns of a users export
	OptionHeaders    = "headers"    // the header row of a users export
	OptionUser       = "user"       // users named by ID, email or employee ID
	OptionCourse     = "course"     // courses by ID or name
	OptionCurriculum = "curriculum" // curricula by ID or name
	OptionSession    = "session"    // ILT sessions as courseID/sessionID
	OptionAll        = "all"        // every course and curriculum
	OptionAsOf       = "as-of"      // the day of the compliance workbook
)

// Sink receives the rows of a users export: the header, then one row of
// values (strings, report.Cells, numbers, report.Dates) per user.
// report.CSVSink and report.XLSXSink are sinks.
type Sink interface {
	Header(cols []string) error
	Row(values []any) error
}

// Records receives the typed records of the enrollments, transcripts and
// summary exports (report.EnrollmentRecord, report.TranscriptRecord,
// report.SummaryRecord), whose types give the header. report.RecordCSV
// and report.SinkRecords are ones.
type Records interface {
	Write(record any) error
}

// Workbook receives the enrollments of the compliance export: the
// courses first, then each enrollment with, when it is overdue, its
// user's full profile (for the supervisor). *report.Compliance is one.
type Workbook interface {
	AddCourse(report.CourseInfo)
	Overdue(e *ilms.Enrollment) bool
	Add(courseID string, e *ilms.Enrollment, u *ilms.User) error
}

// Reading is how a job reads and reports, the same for every job.
type Reading struct {
	Workers int    // requests in flight at once; at least 1
	OnRow   func() // called after each row is written (from one goroutine at a time); may be nil
}

func (r Reading) workers() int { return max(r.Workers, 1) }

func (r Reading) rowDone() {
	if r.OnRow != nil {
		r.OnRow()
	}
}

// seqOf yields the items of a slice.
func seqOf[T any](items []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}
}
