package pipeline

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Plan is what one row needs: its outcome if every step succeeds, and the
// steps, in order.
type Plan struct {
	Line    int
	Key     string
	Outcome Outcome
	UserID  int64 // the user, 0 until a create makes one
	Message string
	// Columns are the headers of the cells at fault, for invalid rows.
	Columns []string
	// Warned is set when the row's checks found something that does not
	// stop it.
	Warned bool
	steps  []Action // the writes, in order
	// password is the row's password, which a plan never keeps.
	password string
	// seen hashes the records the plan was made from, when the planner
	// keeps track (a saved plan, or one applied): see Plan.saw.
	seen hash.Hash
	// lookup finds the row's user by its keys, to settle a create whose
	// outcome is unknown.
	email, employeeID string
	// pair and action are an enrollments or transcripts row's user and
	// course, resolved, when it has them (see Planner.repeat).
	pair   *pair
	action string
}

// Actions lists what the plan will do, for plan.csv and the results.
func (p *Plan) Actions() string {
	names := make([]string, len(p.steps))
	for i, s := range p.steps {
		names[i] = s.What
	}
	return strings.Join(names, "; ")
}

// Writes reports whether the plan sends any write request: it has steps,
// and its outcome is one a write reaches (Outcome.Sends).
func (p *Plan) Writes() bool { return len(p.steps) > 0 && p.Outcome.Sends() }

// PlanOptions are the import's choices.
type PlanOptions struct {
	Mode                      Mode
	Match                     string // F004 or F015 for users; "" chooses
	CreateHierarchy           bool
	SendRegistrationMail      bool
	ChangePasswordAtNextLogin bool
	EnrollMissing             bool
	// AllowIdentityChange lets a row matched by one key change the names
	// and email (or the employee ID) of the user it matched.
	AllowIdentityChange bool
	// DeactivateMissing inactivates the active users in Scope whom no
	// row of a users file names.
	DeactivateMissing bool
	Scope             Scope
	// Leave makes each row a leaver: OpInactivate or OpDelete the user it
	// names, and nothing else (import leavers).
	Leave string
}

// Planner turns checked rows into plans against what the org holds.
type Planner struct {
	org   *org.Org
	c     *Checker
	opts  PlanOptions
	match string
	ix    fieldIndexes
	// Track makes each plan keep a fingerprint of the records it was
	// made from (Plan.Seen), for a saved plan and for applying one.
	Track bool
	// resolved holds the user and course pairs of the rows planned so
	// far that stand (not invalid), by the IDs they resolve to (see
	// repeat).
	resolved map[pair]prior
}

// pair is a user and a course, curriculum or session, by their IDs.
type pair struct {
	user       int64
	curriculum bool
	id         string
	session    int64
}

// prior is an earlier row's user and course pair: its line and action.
type prior struct {
	line   int
	action string
}

// NewPlanner returns a planner for a checker's rows.
func NewPlanner(org *org.Org, c *Checker, opts PlanOptions) (*Planner, error) {
	p := &Planner{org: org, c: c, opts: opts, ix: c.ix, resolved: map[pair]prior{}}
	if c.m.Kind() == mapping.Users {
		match, err := MatchField(c.m, opts.Match)
		if err != nil {
			return nil, err
		}
		p.match = match
	}
	return p, nil
}

// Match returns the field users are matched on.
func (p *Planner) Match() string { return p.match }

// Plan decides what a checked row needs. It may read the org (group
// members, enrollments) the first time a row names them. Rows are planned
// in file order: a row's plan depends on the rows before it (repeat).
func (p *Planner) Plan(ctx context.Context, ch *Checked) (*Plan, error) {
	pl := &Plan{Line: ch.Row.Line, Key: p.c.Key(ch), Warned: ch.Problems.HasWarnings()}
	if p.Track {
		pl.seen = newSeen()
	}
	if !ch.Valid() {
		pl.Outcome, pl.Message, pl.Columns = Invalid, p.c.Describe(ch), p.c.columns(ch)
		return pl, nil
	}
	var err error
	switch p.c.m.Kind() {
	case mapping.Users:
		err = p.planUser(ctx, pl, ch)
	case mapping.Enrollments:
		err = p.planEnrollment(ctx, pl, ch)
	case mapping.Transcripts:
		err = p.planTranscript(ctx, pl, ch)
	}
	if err != nil {
		return nil, err
	}
	if !pl.Outcome.Sends() {
		// Found not to be sent after some of its steps were planned: it
		// plans nothing, and its outcome and message say why.
		pl.steps = nil
	}
	if pl.pair != nil && pl.Outcome != Invalid && pl.Outcome != Failed {
		p.resolved[*pl.pair] = prior{line: pl.Line, action: pl.action}
	}
	if pl.Outcome != Invalid && len(ch.Problems) > 0 {
		// The row's warnings, after what the plan has to say.
		if pl.Message != "" {
			pl.Message += " | "
		}
		pl.Message += p.c.Describe(ch)
	}
	return pl, nil
}

// invalid marks a plan invalid with a message naming the column.
func (p *Planner) invalid(pl *Plan, field, format string, args ...any) error {
	pl.Outcome = Invalid
	msg := fmt.Sprintf(format, args...)
	if field != "" {
		col := p.c.DescribeField(field)
		pl.Message = col + ": " + msg
		pl.Columns = append(pl.Columns, p.c.Column(field))
	} else {
		pl.Message = msg
	}
	return nil
}

// columns returns the headers of an invalid row's cells at fault.
func (c *Checker) columns(ch *Checked) []string {
	var re *RowError
	if errors.As(ch.Row.Err, &re) && re.Index >= 0 && re.Index < len(c.m.Header()) {
		return []string{c.m.Header()[re.Index]}
	}
	var cols []string
	for _, pr := range ch.Problems {
		if pr.Severity == validate.Error && pr.Field != "" && pr.Field != "User" {
			cols = append(cols, c.Column(pr.Field))
		}
	}
	return cols
}

func (p *Planner) get(rec *mapping.Record, i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(rec.Values[i])
}

// planUser plans a users row: create, update the changed fields, or
// nothing; then status, password, groups and courses.
func (p *Planner) planUser(ctx context.Context, pl *Plan, ch *Checked) error {
	rec := ch.Rec
	values := append([]string(nil), rec.Values[:p.c.nprof]...)
	given := append([]bool(nil), rec.Given[:p.c.nprof]...)
	pl.email, pl.employeeID = p.get(rec, p.ix.email), p.get(rec, p.ix.empID)
	u, field, ok := p.findUser(pl, p.get(rec, p.ix.userID))
	if !ok {
		return nil
	}
	pl.saw(u)
	if p.opts.Leave != "" {
		return p.planLeaver(pl, u)
	}
	if u != nil && !p.opts.AllowIdentityChange && p.identityConflict(pl, rec, u, field) {
		return nil
	}
	switch {
	case u != nil && p.opts.Mode == CreateOnly:
		pl.Outcome, pl.UserID, pl.Message = Skipped, u.ID, fmt.Sprintf("user %d already exists (%s)", u.ID, p.c.words.Of(remedy.Of(remedy.Mode, "create-only")))
		return nil
	case u == nil && p.opts.Mode == UpdateOnly:
		pl.Outcome, pl.Message = Skipped, "no such user in iLMS ("+p.c.words.Of(remedy.Of(remedy.Mode, "update-only"))+")"
		return nil
	case u != nil && u.UserStatus == "Deleted":
		pl.Outcome, pl.UserID, pl.Message = Failed, u.ID, fmt.Sprintf("user %d is deleted in iLMS and cannot be changed; restore or purge them in iLMS first", u.ID)
		return nil
	}
	// Neither key may belong to someone else.
	for _, k := range [...]struct{ field, value string }{{"F004", pl.employeeID}, {"F015", pl.email}} {
		if k.field == field || k.value == "" || k.value == validate.ClearToken {
			continue
		}
		other := p.org.User(org.Key{Field: k.field, Value: k.value})
		pl.saw(other != nil)
		if other != nil && (u == nil || other.ID != u.ID) {
			return p.invalid(pl, k.field, "%s already belongs to user %d (%s %s)", validate.Quote(k.value), other.ID, other.Profile.F001, other.Profile.F003)
		}
	}
	if u == nil {
		return p.planCreate(ctx, pl, ch, values, given)
	}
	return p.planUpdate(ctx, pl, ch, u, values, given)
}

// planLeaver plans a leaver's row: the user inactivated or deleted, or
// nothing when they are already, or not in iLMS at all.
func (p *Planner) planLeaver(pl *Plan, u *ilms.User) error {
	if u == nil {
		pl.Outcome, pl.Message = Skipped, "no such user in iLMS: nothing to do"
		return nil
	}
	pl.UserID = u.ID
	switch {
	case u.UserStatus == "Deleted":
		pl.Outcome, pl.Message = Unchanged, "already deleted"
	case p.opts.Leave == OpDelete:
		pl.Outcome, pl.steps = Deleted, []Action{{Op: OpDelete, What: "delete", Before: u.UserStatus}}
	case u.UserStatus == "Inactive":
		pl.Outcome, pl.Message = Unchanged, "already inactive"
	default:
		pl.Outcome, pl.steps = Deactivated, []Action{{Op: OpInactivate, What: OpInactivate, Before: u.UserStatus}}
	}
	return nil
}

// findUser finds the user a row names: by the ID column when it is
// filled (an export's ID), else by the match key, else by the other key
// when the match key is blank. It returns the field that found the user
// (or would have), and ok false when the row is invalid, with pl marked.
func (p *Planner) findUser(pl *Plan, id string) (u *ilms.User, field string, ok bool) {
	if id != "" {
		if u = p.org.User(org.Key{Field: org.KeyID, Value: id}); u == nil {
			p.invalid(pl, mapping.UserID, "there is no user %s in iLMS; clear the ID to create this person", id)
			return nil, "", false
		}
		return u, mapping.UserID, true
	}
	keys := [2]struct{ field, value string }{{"F004", pl.employeeID}, {"F015", pl.email}}
	if p.match == "F015" {
		keys[0], keys[1] = keys[1], keys[0]
	}
	for _, k := range keys {
		if k.value == "" || k.value == validate.ClearToken {
			continue
		}
		return p.org.User(org.Key{Field: k.field, Value: k.value}), k.field, true
	}
	p.invalid(pl, p.match, "is blank, and so is %s: users are matched on them", p.c.DescribeField(keys[1].field))
	return nil, "", false
}

// identityConflict marks pl a conflict when the user a row's key found
// is, by the row's other values, someone else: matched by employee ID,
// the row gives at least two of first name, last name and email, each
// different from the user's; matched by email, it gives an employee ID
// other than the user's. A value the user does not have yet is no
// conflict, and case does not count.
func (p *Planner) identityConflict(pl *Plan, rec *mapping.Record, u *ilms.User, field string) bool {
	differs := func(code string) bool {
		i := p.c.m.Index(code)
		v := p.get(rec, i)
		cur := strings.TrimSpace(u.Profile.Get(code))
		return i >= 0 && v != "" && v != validate.ClearToken && cur != "" && !strings.EqualFold(v, cur)
	}
	var cols []string
	var msg string
	switch field {
	case "F004":
		for _, code := range [...]string{"F001", "F003", "F015"} {
			if differs(code) {
				cols = append(cols, p.c.Column(code))
			}
		}
		if len(cols) < 2 {
			return false
		}
		msg = fmt.Sprintf("employee ID %s is %s in iLMS (user %d); this row is %s", u.Profile.F004, who(u.Profile.F001, u.Profile.F003, u.Profile.F015), u.ID,
			who(p.get(rec, p.c.m.Index("F001")), p.get(rec, p.c.m.Index("F003")), p.get(rec, p.ix.email)))
	case "F015":
		if !differs("F004") {
			return false
		}
		cols = append(cols, p.c.Column("F004"))
		msg = fmt.Sprintf("email %s is %s, employee ID %s, in iLMS (user %d); this row gives employee ID %s", u.Profile.F015, who(u.Profile.F001, u.Profile.F003, ""), u.Profile.F004, u.ID, pl.employeeID)
	default:
		return false // the ID column names the user itself
	}
	pl.Outcome, pl.UserID, pl.Columns = Conflict, u.ID, cols
	pl.Message = msg + "; fix the row, or if it is the same person, use " + p.c.words.Of(remedy.Of(remedy.IdentityChange))
	return true
}

// who names a person as "Jane Roe <jane.roe@email.com>".
func who(first, last, email string) string {
	s := strings.TrimSpace(first + " " + last)
	if email != "" {
		s = strings.TrimSpace(s + " <" + email + ">")
	}
	if s == "" {
		return "(no name)"
	}
	return s
}

var (
	idxRegion     = validate.FieldIndex("F019")
	idxDivision   = validate.FieldIndex("F020")
	idxDepartment = validate.FieldIndex("F021")
	idxPassword   = validate.FieldIndex("F016")
)

func (p *Planner) planCreate(ctx context.Context, pl *Plan, ch *Checked, values []string, given []bool) error {
	// Checked as a change so far; a new user needs every required field.
	if ps := p.c.users.CheckLayout(values, p.c.plan, true); ps.HasErrors() {
		pl.Outcome = Invalid
		again := &Checked{Row: ch.Row, Problems: ps}
		pl.Message, pl.Columns = p.c.Describe(again), p.c.columns(again)
		return nil
	}
	if err := p.planHierarchy(pl, values[idxRegion], values[idxDivision], values[idxDepartment]); err != nil || pl.Outcome == Invalid {
		return err
	}
	var changes []Change
	for i, f := range validate.Fields {
		if given[i] && values[i] != "" && values[i] != validate.ClearToken && f.Kind != validate.KindReadOnly {
			changes = append(changes, newChange(&f, "", values[i]))
			if i == idxPassword {
				pl.password = values[i]
			}
		}
	}
	pl.Outcome = Created
	pl.steps = append(pl.steps, Action{Op: OpCreate, What: "create", Changes: changes, RegistrationMail: p.opts.SendRegistrationMail, ChangePassword: p.opts.ChangePasswordAtNextLogin})
	if strings.EqualFold(p.get(ch.Rec, p.ix.status), "inactive") {
		pl.steps = append(pl.steps, Action{Op: OpInactivate, What: OpInactivate, Before: "Active"})
	}
	return p.planMemberships(ctx, pl, ch, 0)
}

// planHierarchy makes sure the region, division and department exist, or
// plans their creation with --create-hierarchy.
func (p *Planner) planHierarchy(pl *Plan, region, division, department string) error {
	r, d, dep := p.org.Unit(region, division, department)
	pl.saw([3]int64{r, d, dep})
	if dep != 0 {
		return nil
	}
	missing := fmt.Sprintf("department %s of division %s of region %s", validate.Quote(department), validate.Quote(division), validate.Quote(region))
	field := "F021"
	switch {
	case r == 0:
		missing, field = fmt.Sprintf("region %s", validate.Quote(region)), "F019"
	case d == 0:
		missing, field = fmt.Sprintf("division %s of region %s", validate.Quote(division), validate.Quote(region)), "F020"
	}
	if !p.opts.CreateHierarchy {
		return p.invalid(pl, field, "there is no %s in iLMS; create it there, fix the name, or use %s", missing, p.c.words.Of(remedy.Of(remedy.CreateHierarchy)))
	}
	pl.steps = append(pl.steps, Action{Op: OpUnit, What: "create " + missing, Unit: []string{region, division, department}})
	return nil
}

// sameValue compares a file's value (in the form to send) with iLMS's, as
// the field's kind says: a country by its code, a state by its code, a
// time zone by its full name, a date by its day and time, an email
// without regard to case.
func sameValue(f *validate.Field, file, current string) bool {
	file, current = strings.TrimSpace(file), strings.TrimSpace(current)
	if file == current {
		return true
	}
	switch f.Kind {
	case validate.KindEmail:
		return strings.EqualFold(file, current)
	case validate.KindCountry:
		a, ok1 := validate.LookupCountry(file)
		b, ok2 := validate.LookupCountry(current)
		return ok1 && ok2 && a.Code == b.Code
	case validate.KindState:
		for _, lookup := range []func(string) (validate.Entry, bool){validate.LookupUSState, validate.LookupProvince} {
			a, ok1 := lookup(file)
			b, ok2 := lookup(current)
			if ok1 && ok2 && a.Code == b.Code {
				return true
			}
		}
		return false
	case validate.KindTimeZone:
		a, err1 := validate.LookupTimeZone(file)
		b, err2 := validate.LookupTimeZone(current)
		return err1 == nil && err2 == nil && a.FullName == b.FullName
	case validate.KindLanguage:
		a, err1 := validate.LookupLanguage(file)
		b, err2 := validate.LookupLanguage(current)
		return err1 == nil && err2 == nil && a.Name == b.Name
	case validate.KindDate:
		a, err1 := validate.ParseDate(file, "")
		b, err2 := validate.ParseDate(current, "")
		return err1 == nil && err2 == nil && a.Equal(b)
	}
	return false
}

// describeChange says what an update does to a field, as a plan reads:
// "F007 Job Title: Associate → Regional Manager". Long values are cut.
func describeChange(f *validate.Field, from, to string) string {
	show := func(v string) string {
		const most = 80
		switch v = strings.TrimSpace(v); {
		case v == "":
			return "(blank)"
		case utf8.RuneCountInString(v) > most:
			return string([]rune(v)[:most]) + "…"
		}
		return v
	}
	return fmt.Sprintf("%s %s: %s → %s", f.Code, f.Name, show(from), show(to))
}

func (p *Planner) planUpdate(ctx context.Context, pl *Plan, ch *Checked, u *ilms.User, values []string, given []bool) error {
	pl.UserID = u.ID
	var changed []string
	var changes []Change // the fields to send
	hierarchy := false
	for i := range validate.Fields {
		f := &validate.Fields[i]
		v := values[i]
		if !given[i] || v == "" || f.Kind == validate.KindReadOnly || f.Kind == validate.KindPassword {
			continue
		}
		cur := u.Profile.Get(f.Code)
		if v == validate.ClearToken {
			if cur == "" {
				continue
			}
			v = ""
		} else if sameValue(f, v, cur) {
			continue
		}
		if i == idxRegion || i == idxDivision || i == idxDepartment {
			hierarchy = true
			continue
		}
		changed = append(changed, describeChange(f, cur, v))
		changes = append(changes, newChange(f, cur, v))
	}
	if hierarchy {
		// The three go together or change nothing: fill what the file
		// leaves out from the user's current place.
		unit := [3]string{u.Profile.F019, u.Profile.F020, u.Profile.F021}
		for j, i := range []int{idxRegion, idxDivision, idxDepartment} {
			if given[i] && values[i] != "" && values[i] != validate.ClearToken {
				unit[j] = values[i]
			}
		}
		if err := p.planHierarchy(pl, unit[0], unit[1], unit[2]); err != nil || pl.Outcome == Invalid {
			return err
		}
		// All three are sent, the ones that stay as they are too.
		for j, i := range []int{idxRegion, idxDivision, idxDepartment} {
			f := &validate.Fields[i]
			cur := u.Profile.Get(f.Code)
			if !sameValue(f, unit[j], cur) {
				changed = append(changed, describeChange(f, cur, unit[j]))
			}
			changes = append(changes, newChange(f, cur, unit[j]))
		}
	}
	if len(changes) > 0 {
		pl.steps = append(pl.steps, Action{Op: OpUpdate, What: "update " + strings.Join(changed, ", "), Changes: changes})
	}
	if pw := values[idxPassword]; given[idxPassword] && pw != "" && pw != validate.ClearToken {
		pl.password = pw
		pl.steps = append(pl.steps, Action{Op: OpPassword, What: "set password", ChangePassword: p.opts.ChangePasswordAtNextLogin})
	}
	switch status := strings.ToLower(p.get(ch.Rec, p.ix.status)); {
	case status == "active" && u.UserStatus != "Active":
		pl.steps = append(pl.steps, Action{Op: OpActivate, What: OpActivate, Before: u.UserStatus})
	case status == "inactive" && u.UserStatus != "Inactive":
		pl.steps = append(pl.steps, Action{Op: OpInactivate, What: OpInactivate, Before: u.UserStatus})
	}
	if err := p.planMemberships(ctx, pl, ch, u.ID); err != nil || pl.Outcome == Invalid {
		return err
	}
	pl.Outcome = Unchanged
	if len(pl.steps) > 0 {
		pl.Outcome = Updated
	}
	return nil
}

// planMemberships adds the groups and enrollments of a users row's Groups
// and Courses cells that the user does not have yet.
func (p *Planner) planMemberships(ctx context.Context, pl *Plan, ch *Checked, userID int64) error {
	// A group or course the cell names twice (by ID and by name) is
	// joined once, and the message says so.
	named := map[string]string{}
	again := func(field, key, ref, what string) bool {
		first, ok := named[key]
		if !ok {
			named[key] = ref
			return false
		}
		note := fmt.Sprintf("%s: %s and %s are both %s: once is enough", p.c.DescribeField(field), validate.Quote(first), validate.Quote(ref), what)
		if pl.Message != "" {
			note = pl.Message + " | " + note
		}
		pl.Message = note
		return true
	}
	for _, ref := range splitList(p.get(ch.Rec, p.ix.groups)) {
		g, err := p.org.Group(ref)
		if err != nil {
			return p.invalid(pl, mapping.Groups, "%v", err)
		}
		if again(mapping.Groups, fmt.Sprint("group ", g.ID), ref, fmt.Sprintf("group %d (%s)", g.ID, g.Name)) {
			continue
		}
		if userID != 0 {
			in, err := p.org.IsMember(ctx, g.ID, userID)
			if err != nil {
				return err
			}
			pl.saw([]any{g.ID, in})
			if in {
				continue
			}
		}
		gid, name := g.ID, g.Name
		pl.steps = append(pl.steps, Action{Op: OpGroup, What: "add to group " + name, ID: gid})
	}
	for _, ref := range splitList(p.get(ch.Rec, p.ix.courses)) {
		t, err := p.org.ResolveCourseRef(ref)
		if err != nil {
			return p.invalid(pl, mapping.Courses, "%v", err)
		}
		if again(mapping.Courses, fmt.Sprint("course ", t.Curriculum, t), ref, strings.TrimSpace(t.String()+" ("+t.Name+")")) {
			continue
		}
		if userID != 0 {
			r, err := p.org.Records(ctx, t, userID)
			if err != nil {
				return err
			}
			pl.saw([]any{t, r})
			if t.Session == 0 && r.Enrolled() || t.Session != 0 && r.InSession(t.Session) != nil {
				continue
			}
		}
		pl.steps = append(pl.steps, enrollStep(t))
	}
	return nil
}

func splitList(v string) []string {
	if v == "" || v == validate.ClearToken {
		return nil
	}
	var out []string
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func enrollStep(t org.Target) Action {
	return Action{Op: OpEnroll, What: "enroll in " + t.String(), Target: &t}
}

// enrollmentOf finds the user and the course of an enrollments or
// transcripts row, and the user's records in the course (its sessions
// included) or curriculum, nil when not enrolled. A nil user means the
// row is settled: pl says why.
func (p *Planner) enrollmentOf(ctx context.Context, pl *Plan, ch *Checked) (*ilms.User, org.Target, *org.Records, error) {
	t := p.c.Target(ch.Rec)
	u := p.resolveUser(pl, t)
	if u == nil {
		return nil, org.Target{}, nil, nil
	}
	tg, ok := p.resolveTarget(pl, t)
	if !ok {
		return nil, org.Target{}, nil, nil
	}
	r, err := p.org.Records(ctx, tg, u.ID)
	pl.saw([]any{tg, r})
	return u, tg, r, err
}

// resolveUser finds the user of an enrollments or transcripts row; the
// keys it gives must agree. It returns nil when they do not, with pl
// marked.
func (p *Planner) resolveUser(pl *Plan, t validate.Target) *ilms.User {
	var found *ilms.User
	for _, k := range []struct {
		field string // the row's column
		key   org.Key
	}{
		{mapping.UserID, org.Key{Field: org.KeyID, Value: t.UserID}},
		{"F015", org.Key{Field: "F015", Value: t.Email}},
		{"F004", org.Key{Field: "F004", Value: t.EmployeeID}},
	} {
		if k.key.Value == "" {
			continue
		}
		u := p.org.User(k.key)
		if u == nil {
			p.invalid(pl, k.field, "no user in iLMS has %s", validate.Quote(k.key.Value))
			return nil
		}
		if found != nil && found.ID != u.ID {
			p.invalid(pl, k.field, "%s is user %d, but the row's other key names user %d", validate.Quote(k.key.Value), u.ID, found.ID)
			return nil
		}
		found = u
	}
	pl.saw(found)
	if found.UserStatus == "Deleted" {
		pl.Outcome, pl.Message = Failed, fmt.Sprintf("user %d is deleted in iLMS", found.ID)
		return nil
	}
	pl.UserID = found.ID
	return found
}

func (p *Planner) resolveTarget(pl *Plan, t validate.Target) (org.Target, bool) {
	field := mapping.Course
	ref, curriculum := t.Course, false
	if ref == "" {
		field, ref, curriculum = mapping.Curriculum, t.Curriculum, true
	}
	tg, err := p.org.Resolve(ref, curriculum, t.Session)
	if err != nil {
		if errors.As(err, new(*org.SessionError)) {
			field = mapping.Session
		}
		p.invalid(pl, field, "%v", err)
		return tg, false
	}
	return tg, true
}

// repeat says whether an earlier row of the file names the same user and
// the same course, curriculum or session as this one, by ID or by name:
// the checks across rows compare the cells as written (Wert98k and
// "Privacy and GDPR" differ there), this the IDs they resolve to. A row
// that repeats an earlier one's action does nothing (the earlier row does
// it); one that does the opposite, or a second transcript of one record,
// contradicts it and is invalid. pl is settled when it repeats. Only rows
// that stand count as earlier rows: one found invalid does nothing.
func (p *Planner) repeat(pl *Plan, userID int64, tg org.Target, action string) bool {
	key := pair{user: userID, curriculum: tg.Curriculum, id: tg.ID, session: tg.Session}
	prev, ok := p.resolved[key]
	if !ok {
		pl.pair, pl.action = &key, action
		return false
	}
	what := "course " + tg.String()
	switch {
	case tg.Curriculum:
		what = "curriculum " + tg.String()
	case tg.Session != 0:
		what = "session " + tg.String()
	}
	if tg.Name != "" {
		what += " (" + tg.Name + ")"
	}
	switch {
	case p.c.m.Kind() == mapping.Transcripts:
		p.invalid(pl, mapping.Course, "row %d already gives user %d's transcript of %s; a file gives one line for each, keep one of the two", prev.line, userID, what)
	case prev.action != action:
		p.invalid(pl, mapping.Action, "row %d %ss user %d and %s, this row would %s: the rows contradict each other, keep one of the two", prev.line, prev.action, userID, what, action)
	default:
		pl.Outcome, pl.Message = Unchanged, fmt.Sprintf("row %d already has this user and %s", prev.line, what)
	}
	return true // the earlier row stays the one to compare with
}

func (p *Planner) planEnrollment(ctx context.Context, pl *Plan, ch *Checked) error {
	u, tg, r, err := p.enrollmentOf(ctx, pl, ch)
	if u == nil || err != nil {
		return err
	}
	action, _ := validate.EnrollmentAction(p.get(ch.Rec, p.ix.act))
	if p.repeat(pl, u.ID, tg, action) {
		return nil
	}
	sessions := r.SessionIDs()
	switch {
	case action == validate.ActionEnroll && tg.Session != 0 && r.InSession(tg.Session) != nil:
		pl.Outcome, pl.Message = Unchanged, fmt.Sprintf("already enrolled in session %d", tg.Session)
	case action == validate.ActionEnroll && tg.Session != 0 && len(sessions) > 0:
		return p.invalid(pl, mapping.Session, "user %d is in session %s of %s; un-enroll them from it first", u.ID, p.org.DescribeSessions(tg.ID, sessions), tg.ID)
	case action == validate.ActionEnroll && tg.Session == 0 && len(sessions) > 0:
		pl.Outcome, pl.Message = Unchanged, fmt.Sprintf("already enrolled, in session %s", p.org.DescribeSessions(tg.ID, sessions))
	case action == validate.ActionEnroll && tg.Session == 0 && r.Enrolled():
		pl.Outcome, pl.Message = Unchanged, "already enrolled"
	case action == validate.ActionEnroll:
		pl.Outcome = Enrolled
		pl.steps = append(pl.steps, enrollStep(tg))
	case tg.Session != 0 && r.InSession(tg.Session) == nil:
		pl.Outcome, pl.Message = Unchanged, fmt.Sprintf("not enrolled in session %d", tg.Session)
	case !r.Enrolled():
		pl.Outcome, pl.Message = Unchanged, "not enrolled"
	case tg.Session == 0 && r.Course == nil:
		// Only the sessions' lists name the user: leave each session.
		pl.Outcome = Unenrolled
		for _, s := range sessions {
			st := tg
			st.Session = s
			pl.steps = append(pl.steps, unenrollStep(st))
		}
	default:
		pl.Outcome = Unenrolled
		pl.steps = append(pl.steps, unenrollStep(tg))
	}
	return nil
}

func unenrollStep(t org.Target) Action {
	return Action{Op: OpUnenroll, What: "un-enroll from " + t.String(), Target: &t}
}

func (p *Planner) planTranscript(ctx context.Context, pl *Plan, ch *Checked) error {
	u, tg, r, err := p.enrollmentOf(ctx, pl, ch)
	if u == nil || err != nil {
		return err
	}
	if !tg.Curriculum && tg.Session == 0 {
		// A course with sessions keeps its people's transcripts in them.
		switch ids := r.SessionIDs(); len(ids) {
		case 0:
		case 1:
			tg.Session = ids[0]
			pl.Message = fmt.Sprintf("the row names no session; user %d is in session %s of %s, whose transcript this is", u.ID, p.org.DescribeSessions(tg.ID, ids), tg.ID)
		default:
			return p.invalid(pl, mapping.Course, "user %d is in %d sessions of %s (%s): %s; say which in a %s column", u.ID, len(ids), tg.ID, tg.Name, p.org.DescribeSessions(tg.ID, ids), p.c.Column(mapping.Session))
		}
	}
	if p.repeat(pl, u.ID, tg, "") {
		return nil
	}
	e := r.For(tg)
	if e == nil {
		if !p.opts.EnrollMissing {
			return p.invalid(pl, mapping.Course, "user %d is not enrolled in %s (%s); enroll them first, or use %s", u.ID, tg, tg.Name, p.c.words.Of(remedy.Of(remedy.EnrollMissing)))
		}
		pl.steps = append(pl.steps, enrollStep(tg))
	}
	upd, changed, msg := p.transcriptChanges(ch.Rec, e)
	if msg != "" {
		return p.invalid(pl, "", "%s", msg)
	}
	if !upd.IsEmpty() {
		pl.steps = append(pl.steps, Action{Op: OpTranscript, What: "update transcript " + strings.Join(changed, ", "), Target: &tg, Transcript: &upd, Record: e})
	}
	pl.Outcome = Unchanged
	if len(pl.steps) > 0 {
		pl.Outcome = Updated
	}
	return nil
}

// transcriptChanges compares a transcripts row with the record (nil when
// the user is about to be enrolled) and returns the update to send: only
// what differs. msg explains a row the record's status makes invalid.
func (p *Planner) transcriptChanges(rec *mapping.Record, e *ilms.Enrollment) (u ilms.TranscriptUpdate, changed []string, msg string) {
	status := p.get(rec, p.ix.tStatus)
	current := validate.StatusNotStarted
	if e != nil {
		current = e.CourseStatus
	}
	set := ""
	if status != "" {
		set, _ = validate.TranscriptStatus(status)
		if set != current {
			u.Status = status
			changed = append(changed, "status")
		}
	}
	// The row's own status was checked with the file; this checks the
	// rest against the record's.
	rules := validate.RulesFor(set, current)
	if v := p.get(rec, p.ix.reqType); v != "" && (e == nil || !strings.EqualFold(v, e.RequirementType)) {
		u.RequirementType = v
		changed = append(changed, "requirement type")
	}
	if v := p.get(rec, p.ix.score); v != "" {
		if rules.Score != validate.Allowed {
			return u, nil, fmt.Sprintf("%s: a score needs the status pass or fail, and the record is %s", p.c.DescribeField(mapping.Score), strings.ToLower(rules.Status))
		}
		n, _ := strconv.Atoi(v)
		if e == nil || e.Score == nil || *e.Score != n || u.Status != "" {
			u.Score = &n
			changed = append(changed, "score")
		}
	}
	recDate := func(i int) *ilms.Date {
		if e == nil {
			return nil
		}
		switch i {
		case validate.EnrollmentDate:
			return e.EnrollmentDate
		case validate.StartDate:
			return e.StartDate
		case validate.DueDate:
			return e.DueDate
		case validate.CompletionDate:
			return e.CompletionDate
		}
		return nil // not in enrollment records: always sent
	}
	targets := [validate.NumTranscriptDates]**ilms.Date{&u.EnrollmentDate, &u.StartDate, &u.DueDate, &u.CompletionDate, &u.LicenseExpirationDate, &u.CertificationExpirationDate}
	for i, f := range p.ix.dates {
		v := p.get(rec, f)
		if v == "" {
			continue
		}
		if i == validate.StartDate && rules.StartDate != validate.Allowed {
			return u, nil, fmt.Sprintf("%s: a start date needs a status other than not started, and the record is not started", p.c.DescribeField(validate.TranscriptDateFields[i]))
		}
		if i == validate.CompletionDate && rules.CompletionDate != validate.Allowed {
			return u, nil, fmt.Sprintf("%s: a completion date needs the status pass or fail, and the record is %s", p.c.DescribeField(validate.TranscriptDateFields[i]), strings.ToLower(rules.Status))
		}
		cur := recDate(i)
		if v == validate.ClearToken {
			if i == validate.DueDate && (e == nil || cur != nil) {
				u.ClearDueDate = true
				changed = append(changed, "clear due date")
			}
			continue
		}
		d, err := ilms.ParseDate(v)
		if err != nil {
			continue // validation already refused it
		}
		if cur != nil && cur.Truncate(time.Second).Equal(d.Time) && u.Status == "" {
			continue
		}
		*targets[i] = &d
		changed = append(changed, strings.ToLower(strings.TrimSuffix(validate.TranscriptDateFields[i], "Date"))+" date")
	}
	return u, changed, ""
}
