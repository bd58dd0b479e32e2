package pipeline

import (
	"fmt"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Mode says which users rows may be created or updated.
type Mode int

// Modes of a users import.
const (
	Upsert     Mode = iota // create the new, update the known
	CreateOnly             // only create; known users are skipped
	UpdateOnly             // only update; unknown users are skipped
)

// Checked is a row after mapping and validation.
type Checked struct {
	Row Row
	// Rec holds the row's values by field, in the form to send; nil when
	// the row could not be read.
	Rec *mapping.Record
	// Problems are the row's errors and warnings; Field is a field ID.
	Problems validate.Problems

	// keys are the hashes of what must not repeat across rows (email and
	// employee ID, or user and course), computed with the row's own checks
	// so that the checks across rows only look them up.
	keys [2]uint64
}

// Valid reports whether the row can be sent.
func (c *Checked) Valid() bool { return c.Row.Err == nil && !c.Problems.HasErrors() }

// Checker maps and validates the rows of one file, including the checks
// across rows (duplicate emails and employee IDs, a (user, course) pair
// twice in a transcript file). It keeps state across rows and is not safe
// for concurrent use.
type Checker struct {
	m      *mapping.Mapper
	users  *validate.UserChecker
	layout string
	dups   *validate.Duplicates
	create bool // users rows are checked as new users
	ix     fieldIndexes
	nprof  int
	plan   *validate.Layout // which profile fields the file gives
	words  remedy.Words     // how the front door names an option
	// only, when set, are the rows a run is of (--only-failed): the
	// others are read, for the checks across rows, and not counted.
	only map[int]bool
}

type fieldIndexes struct {
	email, empID, userID, status, groups, courses, password      int
	course, courseName, curriculum, curriculumName, session, act int
	tStatus, score, reqType                                      int
	dates                                                        [validate.NumTranscriptDates]int
	idLike                                                       []int // fields whose cells should be text in a spreadsheet
}

// CheckOptions tune a Checker.
type CheckOptions struct {
	Settings   validate.Settings
	DateLayout string // the file's date format, when it is not ISO
	// Create checks users rows as new users (every required field needs a
	// value). The import plan checks each row again as what it turns out
	// to be.
	Create bool
	// CheckOnly says the rows are checked and not sent (a validation):
	// their values need not be rewritten in the API's forms.
	CheckOnly bool
	// Words name an option the way the reader sets it (a flag, a form's
	// control) in the messages of rows; nil is remedy.Hint.Control.
	Words remedy.Words
}

// NewChecker returns a checker for the rows a mapper reads.
func NewChecker(m *mapping.Mapper, opts CheckOptions) *Checker {
	c := &Checker{m: m, users: validate.NewUserChecker(opts.Settings), layout: opts.DateLayout, dups: validate.NewDuplicates(), create: opts.Create, nprof: len(validate.Fields), words: opts.Words}
	if m.Kind() == mapping.Users {
		probe := m.NewRecord()
		m.Map(nil, probe) // what the file gives does not change from row to row
		c.plan = validate.NewLayout(probe.Given[:c.nprof])
	}
	c.users.SetDateLayout(opts.DateLayout)
	c.users.SetCheckOnly(opts.CheckOnly)
	ix := &c.ix
	ix.email, ix.empID, ix.userID = m.Index("F015"), m.Index("F004"), m.Index(mapping.UserID)
	ix.status, ix.groups, ix.courses, ix.password = m.Index(mapping.Status), m.Index(mapping.Groups), m.Index(mapping.Courses), m.Index("F016")
	ix.course, ix.courseName = m.Index(mapping.Course), m.Index(mapping.CourseName)
	ix.curriculum, ix.curriculumName = m.Index(mapping.Curriculum), m.Index(mapping.CurriculumName)
	ix.session, ix.act = m.Index(mapping.Session), m.Index(mapping.Action)
	ix.tStatus, ix.score, ix.reqType = m.Index(mapping.Status), m.Index(mapping.Score), m.Index(mapping.RequirementType)
	for i, name := range validate.TranscriptDateFields {
		ix.dates[i] = m.Index(name)
	}
	// Text fields that may start with 0; iLMS user and session IDs are
	// numbers, so a number cell loses nothing of them.
	for _, id := range []string{"F004", "F014", "F017", "F018"} {
		if i := m.Index(id); i >= 0 {
			ix.idLike = append(ix.idLike, i)
		}
	}
	return c
}

// Mapper returns the checker's mapper.
func (c *Checker) Mapper() *mapping.Mapper { return c.m }

// Check maps and validates one row, including the checks across rows:
// rows must come in file order.
func (c *Checker) Check(row Row) Checked {
	out := Checked{Row: row}
	c.checkRow(&out, nil)
	c.crossCheck(&out)
	return out
}

// checkRow maps and validates a row on its own; it is safe to call from
// several goroutines at once. rec, when not nil, is reused.
func (c *Checker) checkRow(out *Checked, rec *mapping.Record) {
	row := out.Row
	out.Rec, out.Problems = nil, nil
	if row.Err != nil {
		return
	}
	if rec == nil {
		rec = c.m.NewRecord()
	}
	c.m.Map(row.Cells, rec)
	out.Rec = rec
	out.keys = [2]uint64{}
	switch c.m.Kind() {
	case mapping.Users:
		out.Problems = c.checkUser(rec)
		if e := rec.Values[c.ix.email]; e != validate.ClearToken {
			out.keys[0] = validate.KeyHash('e', e)
		}
		if id := rec.Values[c.ix.empID]; id != validate.ClearToken {
			out.keys[1] = validate.KeyHash('i', id)
		}
	case mapping.Enrollments:
		out.Problems = c.checkEnrollment(rec)
	case mapping.Transcripts:
		out.Problems = c.checkTranscript(rec)
	}
	if c.m.Kind() != mapping.Users && !out.Problems.HasErrors() {
		t := c.Target(rec)
		// The user's keys match in any case, course and curriculum IDs
		// exactly (Wert98k and WErt98k are two courses).
		user := first(t.UserID, strings.ToLower(t.Email), strings.ToLower(t.EmployeeID))
		pair := user + "\x00" + t.Course + "\x00" + t.Curriculum + "\x00" + t.Session
		out.keys[0] = validate.ExactKeyHash('t', pair)
		if c.m.Kind() == mapping.Enrollments {
			action, _ := validate.EnrollmentAction(rec.Values[c.ix.act])
			out.keys[1] = validate.ExactKeyHash('a', pair+"\x00"+action)
		}
	}
	if row.Kinds != nil {
		for _, f := range c.ix.idLike {
			col := c.m.ColumnOf(c.m.Fields()[f].ID)
			if col >= 0 && col < len(row.Kinds) && row.Kinds[col] == CellNumber && rec.Values[f] != "" {
				out.Problems = append(out.Problems, &validate.Problem{Field: c.m.Fields()[f].ID, Value: rec.Values[f], Rule: validate.ErrInvalid, Severity: validate.Warning,
					Detail: "is stored as a number in the spreadsheet: leading zeros (00123) are lost that way; format the column as Text"})
			}
		}
	}
}

// crossCheck finds what repeats an earlier row: emails and employee IDs
// in a users file, a user and course pair in the others. Rows must come
// in file order; it is not safe for concurrent use.
func (c *Checker) crossCheck(out *Checked) {
	rec := out.Rec
	if rec == nil {
		return
	}
	line := out.Row.Line
	if c.m.Kind() == mapping.Users {
		if first := c.dups.SeenHash(out.keys[0], line); first != 0 {
			e := rec.Values[c.ix.email]
			out.Problems = append(out.Problems, &validate.Problem{Field: "F015", Value: e, Rule: validate.ErrDuplicate, Detail: fmt.Sprintf("is also the email of row %d (emails are compared without regard to case)", first)})
		}
		if first := c.dups.SeenHash(out.keys[1], line); first != 0 {
			id := rec.Values[c.ix.empID]
			out.Problems = append(out.Problems, &validate.Problem{Field: "F004", Value: id, Rule: validate.ErrDuplicate, Detail: fmt.Sprintf("is also the employee ID of row %d", first)})
		}
		return
	}
	prev := c.dups.SeenHash(out.keys[0], line)
	// The first row with this pair and action: the first row of the pair
	// when the actions agree (enrollments; 0 for transcripts).
	same := c.dups.SeenHash(out.keys[1], line)
	if prev == 0 {
		return
	}
	t := c.Target(rec)
	course := first(t.Course, t.Curriculum)
	switch {
	case c.m.Kind() == mapping.Transcripts: // two transcript lines for one course contradict
		out.Problems = append(out.Problems, &validate.Problem{Field: "Course", Value: course, Rule: validate.ErrDuplicate,
			Detail: fmt.Sprintf("row %d already has this user and course %s", prev, course)})
	case same != prev: // enroll and un-enroll: which is meant?
		out.Problems = append(out.Problems, &validate.Problem{Field: mapping.Action, Value: rec.Values[c.ix.act], Rule: validate.ErrDuplicate,
			Detail: fmt.Sprintf("row %d has this user and course %s with the other action; the rows contradict each other, keep one of the two", prev, course)})
	default: // enrolling twice is harmless
		out.Problems = append(out.Problems, &validate.Problem{Field: "Course", Value: course, Rule: validate.ErrDuplicate, Severity: validate.Warning,
			Detail: fmt.Sprintf("row %d already has this user and course %s", prev, course)})
	}
}

// touch warms the checks across rows for a batch (see Duplicates.Touch).
func (c *Checker) touch(rows []Checked, scratch []uint64) ([]uint64, uint64) {
	scratch = scratch[:0]
	for i := range rows {
		scratch = append(scratch, rows[i].keys[0], rows[i].keys[1])
	}
	return scratch, c.dups.Touch(scratch)
}

// Reserve prepares the checks across rows for about n rows.
func (c *Checker) Reserve(n int) { c.dups.Reserve(2 * n) }

func (c *Checker) checkUser(rec *mapping.Record) validate.Problems {
	ps := c.users.CheckLayout(rec.Values[:c.nprof], c.plan, c.create)
	if v := strings.TrimSpace(rec.Values[c.ix.status]); v != "" {
		switch strings.ToLower(v) {
		case "active", "inactive":
			rec.Values[c.ix.status] = strings.ToLower(v)
		default:
			p := &validate.Problem{Field: mapping.Status, Value: v, Rule: validate.ErrInvalid, Detail: "is not a user status; use active or inactive"}
			p.Suggestion = validate.Suggest(v, []string{"active", "inactive"})
			ps = append(ps, p)
		}
	}
	if v := strings.TrimSpace(rec.Values[c.ix.userID]); v != "" && !digits(v) {
		ps = append(ps, &validate.Problem{Field: mapping.UserID, Value: v, Rule: validate.ErrInvalid, Detail: "is not an iLMS user ID (a number)"})
	}
	for _, f := range [...]int{c.ix.groups, c.ix.courses} {
		if v := strings.TrimSpace(rec.Values[f]); v != "" && v != validate.ClearToken {
			for _, item := range strings.Split(v, ";") {
				if strings.TrimSpace(item) == "" {
					ps = append(ps, &validate.Problem{Field: c.m.Fields()[f].ID, Value: v, Rule: validate.ErrInvalid, Detail: "has an empty item between semicolons"})
					break
				}
			}
		}
	}
	return ps
}

// Target returns the user and course a row of an enrollments or
// transcripts file names.
func (c *Checker) Target(rec *mapping.Record) validate.Target {
	get := func(i int) string {
		if i < 0 {
			return ""
		}
		return rec.Values[i]
	}
	return validate.Target{
		UserID: get(c.ix.userID), Email: get(c.ix.email), EmployeeID: get(c.ix.empID),
		Course: first(get(c.ix.course), get(c.ix.courseName)), Curriculum: first(get(c.ix.curriculum), get(c.ix.curriculumName)),
		Session: get(c.ix.session),
	}
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func (c *Checker) checkEnrollment(rec *mapping.Record) validate.Problems {
	t := c.Target(rec)
	ps := validate.CheckTarget(&t)
	if v := rec.Values[c.ix.act]; v != "" {
		a, ok := validate.EnrollmentAction(v)
		if !ok {
			p := &validate.Problem{Field: mapping.Action, Value: v, Rule: validate.ErrInvalid, Detail: "is not an action; use enroll or unenroll"}
			p.Suggestion = validate.Suggest(v, []string{"enroll", "unenroll"})
			ps = append(ps, p)
		} else {
			rec.Values[c.ix.act] = a
		}
	}
	return ps
}

func (c *Checker) checkTranscript(rec *mapping.Record) validate.Problems {
	tg := c.Target(rec)
	ps := validate.CheckTarget(&tg)
	t := validate.Transcript{Status: rec.Values[c.ix.tStatus], Score: rec.Values[c.ix.score], RequirementType: rec.Values[c.ix.reqType]}
	for i, f := range c.ix.dates {
		t.Dates[i] = rec.Values[f]
	}
	ps = append(ps, validate.CheckTranscript(&t, c.layout)...)
	rec.Values[c.ix.tStatus], rec.Values[c.ix.score], rec.Values[c.ix.reqType] = t.Status, t.Score, t.RequirementType
	for i, f := range c.ix.dates {
		rec.Values[f] = t.Dates[i]
	}
	return ps
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Describe writes a row's problems as one line for an error column: each
// names the column as the file writes it, the value, what is wrong and a
// suggestion when there is one, with the rule in brackets.
func (c *Checker) Describe(ch *Checked) string {
	if ch.Row.Err != nil {
		msg := ch.Row.Err.Error()
		if h := HintOf(ch.Row.Err); h != nil {
			msg += "; " + c.words.Say(*h)
		}
		return msg
	}
	parts := make([]string, 0, len(ch.Problems))
	for _, p := range ch.Problems {
		parts = append(parts, c.DescribeProblem(p))
	}
	return strings.Join(parts, " | ")
}

// DescribeProblem writes one problem with the user's column name.
func (c *Checker) DescribeProblem(p *validate.Problem) string {
	s := p.In(c.DescribeField(p.Field), c.words)
	if p.Severity == validate.Warning {
		s = "warning: " + s
	}
	if p.Rule != nil {
		s += fmt.Sprintf(" [%v]", p.Rule)
	}
	return s
}

// Key names a row for the results sheet: the user's email or employee
// ID, with the course for enrollments and transcripts.
func (c *Checker) Key(ch *Checked) string {
	if ch.Rec == nil {
		return ""
	}
	v := ch.Rec.Values
	get := func(i int) string {
		if i < 0 {
			return ""
		}
		return v[i]
	}
	user := validate.Clip(first(get(c.ix.email), get(c.ix.empID), get(c.ix.userID)))
	if c.m.Kind() == mapping.Users {
		return user
	}
	t := c.Target(ch.Rec)
	target := validate.Clip(first(t.Course, t.Curriculum))
	if t.Session != "" {
		target += "/" + validate.Clip(t.Session)
	}
	return user + " " + target
}
