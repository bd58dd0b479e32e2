package pipeline

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// OpUngroup takes a user out of a group: how undo reverses OpGroup.
const OpUngroup = "ungroup"

// Outcomes of an undo's rows.
const (
	// Undone is a row whose writes were reversed.
	Undone Outcome = "undone"
	// CannotUndo is a row with a write the API cannot put back (a
	// password reset, a deletion, a status no client may set); what
	// could be reversed was.
	CannotUndo Outcome = "cannot undo"
)

// Undo is a run to reverse (ilms-bulk undo RUN_DIR), as its journal
// tells it: each write done, in order, with what it changed as it was.
// An undo is a run of its own, whose journal records its writes the same
// way: undoing it redoes.
type Undo struct {
	Dir   string
	State *JournalState
	Kind  mapping.Kind // of the run
	// DeleteCreated deletes the users the run created instead of
	// inactivating them.
	DeleteCreated bool
	lines         []int
}

// OpenUndo reads the journal of the run in dir.
func OpenUndo(dir string) (*Undo, error) {
	st, err := ReadJournal(filepath.Join(dir, JournalFile))
	if err != nil {
		return nil, &FileError{Path: dir, Err: fmt.Errorf("not a run folder that can be undone (a dry run or a validation changes nothing): %w", err)}
	}
	kind, err := mapping.ParseKind(st.Header.Kind)
	if err != nil {
		return nil, &FileError{Path: dir, Err: fmt.Errorf("the journal is of %q, which is not a kind of import", st.Header.Kind)}
	}
	u := &Undo{Dir: dir, State: st, Kind: kind}
	for line := range st.Done {
		u.lines = append(u.lines, line)
	}
	for line := range st.Applied {
		if _, done := st.Done[line]; !done {
			u.lines = append(u.lines, line) // left in flight
		}
	}
	slices.Sort(u.lines)
	return u, nil
}

// input is the undo's "file": one row per row of the run, by its line,
// holding the row's user ID.
func (u *Undo) input() (*Input, error) {
	m, err := mapping.New(mapping.Users, []string{mapping.UserID}, nil, false)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(u.Dir, JournalFile)
	return &Input{Path: path, Source: &journalRows{u: u, path: path}, Mapper: m}, nil
}

// userOf is the user of a row of the run, 0 when it has none.
func (u *Undo) userOf(line int) int64 {
	if id := u.State.Users[line]; id != 0 {
		return id
	}
	return u.State.Done[line].ID
}

// journalRows is the Source of an undo.
type journalRows struct {
	u    *Undo
	path string
	next int
}

func (s *journalRows) Header() []string { return []string{mapping.UserID} }
func (s *journalRows) Format() string   { return "journal" }
func (s *journalRows) Close() error     { return nil }
func (s *journalRows) SHA256() (string, error) {
	return FileSHA256(s.path)
}
func (s *journalRows) Lines() Lines {
	return Lines{Read: s.next + 1, Header: 1, Rows: s.next}
}
func (s *journalRows) Next() (Row, error) {
	if s.next >= len(s.u.lines) {
		return Row{}, io.EOF
	}
	line := s.u.lines[s.next]
	s.next++
	id := ""
	if n := s.u.userOf(line); n != 0 {
		id = strconv.FormatInt(n, 10)
	}
	return Row{Line: line, Phys: line, Span: 1, Cells: []string{id}}, nil
}

// plan plans the reversal of one row of the run: its writes, last first,
// against what iLMS holds now. A record changed since the run makes the
// row stale, and nothing of it is touched.
func (u *Undo) plan(ctx context.Context, o *org.Org, line int) (*Plan, error) {
	done := u.State.Done[line]
	applied := u.State.Applied[line]
	p := &Plan{Line: line, Key: done.Key, UserID: u.userOf(line), Outcome: Unchanged, seen: newSeen()}
	if len(applied) == 0 {
		p.Message = fmt.Sprintf("nothing to undo: the run sent nothing for this row (%s)", done.Outcome)
		return p, nil
	}
	var cur *ilms.User
	if p.UserID != 0 {
		cur = o.User(org.Key{Field: org.KeyID, Value: strconv.FormatInt(p.UserID, 10)})
		if cur != nil {
			p.email, p.employeeID = cur.Profile.F015, cur.Profile.F004
		}
	}
	p.saw(cur)
	var stale, cannot, notes []string
	created := slices.ContainsFunc(applied, func(a Action) bool { return a.Op == OpCreate })
	for i := len(applied) - 1; i >= 0; i-- {
		a := applied[i]
		if created && (a.Op == OpActivate || a.Op == OpInactivate || a.Op == OpPassword) {
			continue // the user the run created is undone as a whole
		}
		inv, why, err := u.inverse(ctx, o, p, cur, &a)
		switch {
		case err != nil:
			return nil, err
		case why.stale != "":
			stale = append(stale, why.stale)
		case why.cannot != "":
			cannot = append(cannot, why.cannot)
		case why.note != "":
			notes = append(notes, why.note)
		}
		if inv != nil {
			p.steps = append(p.steps, *inv)
		}
	}
	switch {
	case len(stale) > 0:
		p.Outcome, p.steps = Stale, nil
		p.Message = "changed since the run: " + strings.Join(stale, "; ") + "; not touched"
		return p, nil
	case len(cannot) > 0:
		p.Outcome = CannotUndo
		notes = append(cannot, notes...)
	case len(p.steps) > 0:
		p.Outcome = Undone
	}
	p.Message = strings.Join(notes, "; ")
	return p, nil
}

// why says why an action has no plain inverse.
type why struct{ stale, cannot, note string }

// inverse is the action that puts back what a did, or why there is none.
func (u *Undo) inverse(ctx context.Context, o *org.Org, p *Plan, cur *ilms.User, a *Action) (*Action, why, error) {
	gone := why{note: fmt.Sprintf("user %d is not in iLMS any more", p.UserID)}
	switch a.Op {
	case OpCreate, OpUpdate, OpActivate, OpInactivate:
		if cur == nil {
			return nil, gone, nil
		}
	}
	switch a.Op {
	case OpCreate:
		for _, c := range a.Changes {
			if f := validate.FieldByCode(c.Field); !c.Secret && f != nil && !sameValue(f, c.New, cur.Profile.Get(c.Field)) {
				return nil, why{stale: fmt.Sprintf("%s %s is %s now, and the run created the user with %s", c.Field, c.Name, validate.Quote(cur.Profile.Get(c.Field)), validate.Quote(c.New))}, nil
			}
		}
		switch {
		case u.DeleteCreated && cur.UserStatus != "Deleted":
			return &Action{Op: OpDelete, What: "delete the user the run created", Before: cur.UserStatus}, why{}, nil
		case cur.UserStatus == "Active":
			return &Action{Op: OpInactivate, What: "inactivate the user the run created", Before: cur.UserStatus}, why{}, nil
		}
		return nil, why{note: "the user the run created is " + strings.ToLower(cur.UserStatus) + " already"}, nil
	case OpUpdate:
		back := Action{Op: OpUpdate}
		var said []string
		if !slices.ContainsFunc(a.Changes, func(c Change) bool { return !sameField(c.Field, c.Old, cur.Profile.Get(c.Field)) }) {
			return nil, why{note: "the fields the run updated are as they were before it already"}, nil
		}
		for _, c := range a.Changes {
			f := validate.FieldByCode(c.Field)
			now := cur.Profile.Get(c.Field)
			if f != nil && !sameValue(f, c.New, now) {
				return nil, why{stale: fmt.Sprintf("%s %s is %s now, and the run set it to %s", c.Field, c.Name, validate.Quote(now), validate.Quote(c.New))}, nil
			}
			back.Changes = append(back.Changes, Change{Field: c.Field, Name: c.Name, Old: now, New: c.Old})
			if c.Old != c.New && f != nil {
				said = append(said, describeChange(f, now, c.Old))
			}
		}
		back.What = "update " + strings.Join(said, ", ")
		return &back, why{}, nil
	case OpActivate, OpInactivate:
		set, undo := "Active", OpInactivate
		if a.Op == OpInactivate {
			set, undo = "Inactive", OpActivate
		}
		if cur.UserStatus == a.Before {
			return nil, why{note: "the user is " + strings.ToLower(a.Before) + " already, as before the run"}, nil
		}
		if cur.UserStatus != set {
			return nil, why{stale: fmt.Sprintf("the user is %s now, and the run made them %s", strings.ToLower(cur.UserStatus), strings.ToLower(set))}, nil
		}
		return &Action{Op: undo, What: undo, Before: cur.UserStatus}, why{}, nil
	case OpDelete:
		return nil, why{cannot: "cannot undo: the run deleted the user, and the API has no request that restores a deleted user"}, nil
	case OpPassword:
		return nil, why{cannot: "cannot undo: the run set a password, and a password cannot be put back"}, nil
	case OpUnit:
		return nil, why{note: fmt.Sprintf("the %s the run created stays: the API has no request that deletes one", strings.TrimPrefix(a.What, "create "))}, nil
	case OpGroup, OpUngroup:
		in, err := o.IsMember(ctx, a.ID, p.UserID)
		if err != nil {
			return nil, why{}, err
		}
		p.saw([]any{a.ID, in})
		if a.Op == OpGroup && !in || a.Op == OpUngroup && in {
			return nil, why{note: fmt.Sprintf("the user's place in group %d is as it was already", a.ID)}, nil
		}
		if a.Op == OpGroup {
			return &Action{Op: OpUngroup, What: fmt.Sprintf("remove from group %d", a.ID), ID: a.ID}, why{}, nil
		}
		return &Action{Op: OpGroup, What: fmt.Sprintf("add to group %d", a.ID), ID: a.ID}, why{}, nil
	case OpEnroll, OpUnenroll:
		r, err := o.Records(ctx, *a.Target, p.UserID)
		if err != nil {
			return nil, why{}, err
		}
		e := r.For(*a.Target)
		p.saw([]any{a.Target, e})
		switch {
		case a.Op == OpEnroll && e == nil:
			return nil, why{note: "not enrolled in " + a.Target.String() + " any more"}, nil
		case a.Op == OpEnroll && !strings.EqualFold(e.CourseStatus, validate.StatusNotStarted):
			return nil, why{stale: fmt.Sprintf("the record in %s is %s now: un-enrolling would lose it", a.Target, strings.ToLower(e.CourseStatus))}, nil
		case a.Op == OpEnroll:
			return &Action{Op: OpUnenroll, What: "un-enroll from " + a.Target.String(), Target: a.Target}, why{}, nil
		case e != nil:
			return nil, why{note: "enrolled in " + a.Target.String() + " already"}, nil
		}
		return &Action{Op: OpEnroll, What: "enroll in " + a.Target.String(), Target: a.Target}, why{note: "enrolled again: the record the run removed is not restored, only the enrollment"}, nil
	case OpTranscript:
		return u.transcriptBack(ctx, o, p, a)
	}
	return nil, why{cannot: fmt.Sprintf("cannot undo %q: this ilms-bulk does not know how", a.What)}, nil
}

// transcriptBack puts a transcript's status, score, requirement type and
// dates back as they were before the run, when the record is still as
// the run left it.
func (u *Undo) transcriptBack(ctx context.Context, o *org.Org, p *Plan, a *Action) (*Action, why, error) {
	r, err := o.Records(ctx, *a.Target, p.UserID)
	if err != nil {
		return nil, why{}, err
	}
	e := r.For(*a.Target)
	p.saw([]any{a.Target, e})
	set, was := a.Transcript, a.Record
	switch {
	case e == nil:
		return nil, why{note: "not enrolled in " + a.Target.String() + " any more"}, nil
	case was == nil:
		return nil, why{note: "the run enrolled the user in " + a.Target.String() + " first: un-enrolling puts the transcript back"}, nil
	case set.Status != "" && !sameStatus(set.Status, e.CourseStatus):
		return nil, why{stale: fmt.Sprintf("the transcript of %s is %s now, and the run made it %s", a.Target, strings.ToLower(e.CourseStatus), set.Status)}, nil
	case set.Score != nil && (e.Score == nil || *e.Score != *set.Score):
		return nil, why{stale: fmt.Sprintf("the score in %s changed since the run", a.Target)}, nil
	}
	back := ilms.TranscriptUpdate{}
	var cannot []string
	if set.Status != "" {
		status, ok := validate.TranscriptStatus(was.CourseStatus)
		if !ok || strings.EqualFold(was.CourseStatus, "In Progress") {
			return nil, why{cannot: fmt.Sprintf("cannot undo: the transcript of %s was %s, which the API does not let a client set", a.Target, strings.ToLower(was.CourseStatus))}, nil
		}
		back.Status = strings.ToLower(status) // as the API takes it
	}
	if set.Score != nil || set.Status != "" {
		back.Score = was.Score
	}
	if set.RequirementType != "" {
		back.RequirementType = was.RequirementType
	}
	// A date the run set goes back; so does one a change of status may
	// have moved (iLMS dates a completion when a status passes or fails).
	for _, d := range []struct {
		name          string
		set, was, now *ilms.Date
		to            **ilms.Date
	}{
		{"enrollment date", set.EnrollmentDate, was.EnrollmentDate, e.EnrollmentDate, &back.EnrollmentDate},
		{"start date", set.StartDate, was.StartDate, e.StartDate, &back.StartDate},
		{"due date", set.DueDate, was.DueDate, e.DueDate, &back.DueDate},
		{"completion date", set.CompletionDate, was.CompletionDate, e.CompletionDate, &back.CompletionDate},
	} {
		switch {
		case d.set == nil && (set.Status == "" || sameDate(d.was, d.now)):
		case d.was != nil:
			*d.to = d.was
		case d.now == nil:
		case d.name == "due date":
			back.ClearDueDate = true
		default:
			cannot = append(cannot, fmt.Sprintf("cannot undo the %s: it had none before the run, and the API cannot clear one", d.name))
		}
	}
	if set.ClearDueDate && was.DueDate != nil {
		back.DueDate = was.DueDate
	}
	w := why{}
	if len(cannot) > 0 {
		w.cannot = strings.Join(cannot, "; ")
	}
	if back.IsEmpty() {
		return nil, w, nil
	}
	return &Action{Op: OpTranscript, What: "put back the transcript of " + a.Target.String(), Target: a.Target, Transcript: &back, Record: e}, w, nil
}

// sameField compares two values of a profile field as the field's kind
// says (sameValue).
func sameField(code, a, b string) bool {
	if f := validate.FieldByCode(code); f != nil {
		return sameValue(f, a, b)
	}
	return a == b
}

func sameDate(a, b *ilms.Date) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(b.Time)
}

// sameStatus compares a status as a client sends it (pass) with one as
// iLMS reports it (Pass).
func sameStatus(sent, now string) bool {
	a, ok1 := validate.TranscriptStatus(sent)
	b, ok2 := validate.TranscriptStatus(now)
	return ok1 && ok2 && a == b
}
