package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Departments are the region / division / department paths of the
// sandbox's seed organization where synthetic staff work, so that a
// generated file imports into the sandbox without creating hierarchy.
var Departments = [][3]string{
	{"North America", "Sales", "Inside Sales"}, {"North America", "Sales", "Field Sales"},
	{"North America", "Operations", "Warehouse"}, {"North America", "Operations", "Logistics"},
	{"North America", "Corporate", "Human Resources"}, {"North America", "Corporate", "Finance"}, {"North America", "Corporate", "IT"},
	{"EMEA", "Sales", "Enterprise Sales"}, {"EMEA", "Operations", "Customer Support"},
	{"Canada", "Retail", "Stores"}, {"Canada", "Retail", "Merchandising"},
}

// CourseIDs are courses of the seed organization anyone may be enrolled
// in; ILTSessions are its ILT course with sessions open for enrollment.
var (
	CourseIDs   = []string{"p1gyJg4a", "fO1uIKJO", "wqivr6aA", "meOexN1A", "plokiuytr", "i4pkE0es", "VvptYCj4", "WErt98k", "7E29dkwr"}
	ILTCourse   = "pyOgaoli"
	ILTSessions = []string{"4901", "4902"}
)

// UserColumns are the header of a generated users file: the document's
// field names.
var UserColumns = []string{
	"First Name", "Middle Name", "Last Name", "Employee ID", "Hire Date", "User Language", "Job Title",
	"Address 1", "Address 2", "City", "Country", "State (US or Canada)", "State/Province/Region (Non US or Candadian)",
	"Zip Code/Postal Code", "Email ID", "Phone", "Region", "Division", "Department", "Company/Employer", "Time Zone",
	"Supervisor Name", "Supervisor Email",
}

var userCodes = []string{"F001", "F002", "F003", "F004", "F005", "F006", "F007", "F008", "F009", "F010", "F011", "F012", "F013",
	"F014", "F015", "F017", "F019", "F020", "F021", "F022", "F023", "F033", "F034"}

// EnrollmentColumns and TranscriptColumns head the other generated files.
var (
	EnrollmentColumns = []string{"Email", "Course ID", "Session ID", "Action"}
	TranscriptColumns = []string{"Email", "Course ID", "Status", "Score", "Start Date", "Completion Date", "Requirement Type"}
)

// people draws the persons of a generated file: person n from a source of
// its own, seeded by the file's seed and n, so that the users, enrollments
// and transcripts files of one seed name the same people; and with keys of
// the seed: the employee ID G<seed>-<n> (G3-000042) and an email with
// .g<seed> before the @ (mary.jones.42.g3@example.com). Files of two seeds
// then share no key, and none has a key of the sandbox's staff (E000042,
// mary.jones.42@example.com), so importing one never matches people it
// did not make.
type people struct {
	seed uint64
	pcg  *rand.PCG
	r    *Rand
}

func newPeople(seed uint64) *people {
	pcg := rand.NewPCG(0, 0)
	return &people{seed: seed, pcg: pcg, r: &Rand{rand.New(pcg)}}
}

func (ps *people) person(n int) Person {
	ps.pcg.Seed(ps.seed, uint64(n))
	p := ps.r.Person(n)
	p["F004"] = GeneratedEmployeeID(ps.seed, n)
	p["F015"] = strings.Replace(p["F015"], "@", ".g"+strconv.FormatUint(ps.seed, 10)+"@", 1)
	return p
}

// GeneratedEmployeeID is the employee ID of the n-th person of a file
// generated with seed: G3-000042.
func GeneratedEmployeeID(seed uint64, n int) string {
	return "G" + strconv.FormatUint(seed, 10) + "-" + EmployeeID(n)[1:]
}

// RowWriter takes the rows of a generated file.
type RowWriter interface {
	Write(row []string) error
}

// GenerateUsers writes rows people, of which a share bad (0 to 1) carry one
// deliberate mistake each: a misspelt country, a broken email, a
// restricted character, a state of the wrong country, a loose time zone, a
// misspelt language, a missing last name, an overlong first name, an
// email repeated from an earlier row, or an ambiguous date.
func GenerateUsers(w RowWriter, rows int, bad float64, seed uint64) error {
	r, ps := New(seed), newPeople(seed)
	if err := w.Write(UserColumns); err != nil {
		return err
	}
	row := make([]string, len(userCodes))
	prevEmail := ""
	for n := 1; n <= rows; n++ {
		p := ps.person(n)
		dept := Departments[r.IntN(len(Departments))]
		if p["F011"] == "Canada" || p["F011"] == "CA" {
			dept = Departments[9+r.IntN(2)]
		}
		p["F019"], p["F020"], p["F021"] = dept[0], dept[1], dept[2]
		p["F005"] = p["F005"][:10]
		if r.IntN(3) == 0 {
			boss := r.Person(n + 7919)
			p["F033"], p["F034"] = boss["F001"]+" "+boss["F003"], boss["F015"]
		}
		if bad > 0 && r.Float() < bad {
			spoil(r, p, prevEmail)
		}
		for i, code := range userCodes {
			row[i] = p[code]
		}
		if err := w.Write(row); err != nil {
			return err
		}
		prevEmail = p["F015"]
	}
	return nil
}

func spoil(r *Rand, p Person, prevEmail string) {
	switch r.IntN(10) {
	case 0:
		p["F011"], p["F012"] = "Untied States", "TX"
	case 1:
		p["F015"] = strings.TrimSuffix(p["F015"], EmailDomain)
	case 2:
		p["F007"] = "50% <Lead>"
	case 3:
		p["F011"], p["F012"], p["F013"] = "United States", "Ontario", ""
	case 4:
		p["F023"] = "Pacific Time"
	case 5:
		p["F006"] = "Englsh"
	case 6:
		p["F003"] = ""
	case 7:
		p["F001"] = strings.Repeat(p["F001"], 201/len(p["F001"])+1)
	case 8:
		if prevEmail != "" {
			p["F015"] = strings.ToUpper(prevEmail)
		} else {
			p["F015"] = "not-an-email"
		}
	default:
		p["F005"] = "03/04/2019"
	}
}

// GenerateEnrollments writes rows enrollments of the synthetic people (the
// emails GenerateUsers makes with the same seed) in the seed org's courses
// and ILT sessions; a share bad are wrong: no course, an unknown action, a
// broken email, a session without its course.
func GenerateEnrollments(w RowWriter, rows int, bad float64, seed uint64) error {
	r, ps := New(seed), newPeople(seed)
	if err := w.Write(EnrollmentColumns); err != nil {
		return err
	}
	row := make([]string, 4)
	for n := 1; n <= rows; n++ {
		p := ps.person(n)
		row[0], row[1], row[2], row[3] = p["F015"], Pick(r, CourseIDs), "", "enroll"
		if r.IntN(5) == 0 {
			row[1], row[2] = ILTCourse, Pick(r, ILTSessions)
		}
		if bad > 0 && r.Float() < bad {
			switch r.IntN(4) {
			case 0:
				row[1], row[2] = "", ""
			case 1:
				row[3] = "maybe"
			case 2:
				row[0] = strings.TrimSuffix(row[0], "."+EmailDomain)
			default:
				row[1], row[2] = "", Pick(r, ILTSessions)
			}
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// GenerateTranscripts writes rows transcript lines with statuses, scores
// and dates that agree; a share bad break a rule: a score over 100, a
// score with waived, a completion date with not started, an unknown
// status, a completion before the start.
func GenerateTranscripts(w RowWriter, rows int, bad float64, seed uint64) error {
	r, ps := New(seed), newPeople(seed)
	if err := w.Write(TranscriptColumns); err != nil {
		return err
	}
	row := make([]string, 7)
	base := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	for n := 1; n <= rows; n++ {
		p := ps.person(n)
		start := base.AddDate(0, 0, r.IntN(300))
		done := start.AddDate(0, 0, 1+r.IntN(20))
		row[0], row[1], row[6] = p["F015"], Pick(r, CourseIDs), Pick(r, []string{"mandatory", "mandatory", "optional"})
		switch r.IntN(6) {
		case 0:
			row[2], row[3], row[4], row[5] = "not started", "", "", ""
		case 1:
			row[2], row[3], row[4], row[5] = "waived", "", "", ""
		case 2:
			row[2], row[3], row[4], row[5] = "fail", strconv.Itoa(20+r.IntN(50)), start.Format("2006-01-02"), done.Format("2006-01-02")
		default:
			row[2], row[3], row[4], row[5] = "pass", strconv.Itoa(70+r.IntN(31)), start.Format("2006-01-02"), done.Format("2006-01-02")
		}
		if bad > 0 && r.Float() < bad {
			switch r.IntN(5) {
			case 0:
				row[2], row[3] = "pass", "150"
			case 1:
				row[2], row[3] = "waived", "80"
			case 2:
				row[2], row[3], row[4], row[5] = "not started", "", "", done.Format("2006-01-02")
			case 3:
				row[2] = "done"
			default:
				row[2], row[4], row[5] = "pass", done.Format("2006-01-02"), start.Format("2006-01-02")
			}
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// Rekeyed passes the rows of a generated users file to w with each data
// row's Employee ID set to fmt.Sprintf(idFormat, n), n counting data rows
// from 1, and tag put before the @ of its Email ID: the same people, apart
// from the sandbox's staff and from the files of other tags.
func Rekeyed(w RowWriter, idFormat, tag string) RowWriter {
	return &rekeyed{w: w, idFormat: idFormat, tag: tag}
}

type rekeyed struct {
	w             RowWriter
	idFormat, tag string
	n             int
}

var (
	idColumn    = slices.Index(UserColumns, "Employee ID")
	emailColumn = slices.Index(UserColumns, "Email ID")
)

func (r *rekeyed) Write(row []string) error {
	r.n++
	if r.n == 1 { // the header
		return r.w.Write(row)
	}
	row = slices.Clone(row)
	row[idColumn] = fmt.Sprintf(r.idFormat, r.n-1)
	row[emailColumn] = strings.Replace(row[emailColumn], "@", r.tag+"@", 1)
	return r.w.Write(row)
}

// Kinds are the kinds of file Generate writes.
var Kinds = []string{"users", "enrollments", "transcripts"}

// Options describe a generated file.
type Options struct {
	Kind string  // one of Kinds
	Rows int     // rows below the header, 0 or more
	Bad  float64 // share of rows with one deliberate mistake, 0 to 1
	Seed uint64  // the same seed makes the same people
}

// The options Generate checks, by the names validate.OptionError carries.
const (
	OptionRows = "rows"
	OptionBad  = "bad"
)

// Generate checks opts, then writes the file they describe with
// GenerateUsers, GenerateEnrollments or GenerateTranscripts. A mistake in
// opts is a *validate.OptionError, found before the first row is written.
func Generate(w RowWriter, opts Options) error {
	gen, ok := map[string]func(RowWriter, int, float64, uint64) error{
		"users": GenerateUsers, "enrollments": GenerateEnrollments, "transcripts": GenerateTranscripts,
	}[opts.Kind]
	switch {
	case !ok:
		return &validate.OptionError{Option: "kind", Value: opts.Kind, Rule: validate.ErrInvalid,
			Detail: "give one of " + strings.Join(Kinds, ", "), Suggestion: validate.Suggest(opts.Kind, Kinds)}
	case opts.Rows < 0:
		return &validate.OptionError{Option: OptionRows, Value: strconv.Itoa(opts.Rows), Rule: validate.ErrInvalid, Detail: "give 0 or more"}
	case opts.Bad < 0 || opts.Bad > 1:
		return &validate.OptionError{Option: OptionBad, Value: strconv.FormatFloat(opts.Bad, 'g', -1, 64), Rule: validate.ErrInvalid,
			Detail: "give a share from 0 to 1, such as 0.05"}
	}
	return gen(w, opts.Rows, opts.Bad, opts.Seed)
}
