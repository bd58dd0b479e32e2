package pipeline

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/internal/files"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Ops name what an action does.
const (
	OpCreate     = "create"
	OpUpdate     = "update"
	OpActivate   = "activate"
	OpInactivate = "inactivate"
	OpDelete     = "delete" // a user: never purged
	OpPassword   = "password"
	OpUnit       = "unit" // create a region, division or department
	OpGroup      = "group"
	OpEnroll     = "enroll"
	OpUnenroll   = "unenroll"
	OpTranscript = "transcript"
)

// Action is one write of a row's plan as a saved plan keeps it and apply
// compares it: what it changes, from what to what. It never holds a
// password: a Change of the password field says only that it is set,
// from the input file.
type Action struct {
	Op         string                 `json:"op"`
	What       string                 `json:"what"` // as the results sheet says it
	Changes    []Change               `json:"changes,omitempty"`
	ID         int64                  `json:"id,omitempty"`     // the group
	Target     *org.Target            `json:"target,omitempty"` // the course, curriculum or session
	Unit       []string               `json:"unit,omitempty"`   // region, division, department
	Transcript *ilms.TranscriptUpdate `json:"transcript,omitempty"`
	// RegistrationMail and ChangePassword are the create's and the
	// password's flags (--send-registration-mail,
	// --change-password-at-next-login).
	RegistrationMail bool `json:"registration_mail,omitempty"`
	ChangePassword   bool `json:"change_password,omitempty"`
	// Before is what the action changes, as it was, for undo: the user's
	// status (activate, inactivate, delete), or the record in the course
	// (transcript; nil when not enrolled). An update's is in Changes.
	Before string           `json:"before,omitempty"`
	Record *ilms.Enrollment `json:"record,omitempty"`
}

// Change is one field an action sets: its value in iLMS when planned and
// the one to send.
type Change struct {
	Field string `json:"field"`
	Name  string `json:"name"`
	Old   string `json:"old"`
	New   string `json:"new"`
	// Secret is set for the password: its value is read from the input
	// file again when the plan is applied, never kept.
	Secret bool `json:"secret,omitempty"`
}

func newChange(f *validate.Field, old, new string) Change {
	c := Change{Field: f.Code, Name: f.Name, Old: old, New: new}
	if f.Kind == validate.KindPassword {
		c.Old, c.New, c.Secret = "", "", true
	}
	return c
}

// act sends the requests of one of a row's actions.
func (x *Executor) act(ctx context.Context, p *Plan, a *Action) error {
	fields := func() []ilms.ProfileField {
		out := make([]ilms.ProfileField, len(a.Changes))
		for i, c := range a.Changes {
			out[i] = ilms.ProfileField{Key: c.Field, Value: c.New}
			if c.Secret {
				out[i].Value = p.password
			}
		}
		return out
	}
	switch a.Op {
	case OpCreate:
		return x.createUser(ctx, p, ilms.NewUser{UserProfileData: fields(), SendRegistrationMail: a.RegistrationMail, ChangePasswordAtNextLogin: a.ChangePassword})
	case OpUpdate:
		return x.c.Users.Update(ctx, p.UserID, fields())
	case OpPassword:
		return x.c.Users.ResetPassword(ctx, p.UserID, p.password, a.ChangePassword)
	case OpActivate:
		return x.c.Users.Activate(ctx, p.UserID)
	case OpInactivate:
		return x.c.Users.Inactivate(ctx, p.UserID)
	case OpDelete:
		err := x.c.Users.Delete(ctx, p.UserID)
		if ilms.IsNotFound(err) {
			err = nil // a retried DELETE whose first try took effect
		}
		return err
	case OpUnit:
		return x.ensureUnit(ctx, a.Unit[0], a.Unit[1], a.Unit[2])
	case OpGroup:
		return x.addMember(ctx, p, a.ID)
	case OpUngroup:
		err := x.c.Groups.RemoveMember(ctx, a.ID, p.UserID)
		if ilms.IsNotFound(err) {
			err = nil // a retried DELETE whose first try took effect
		}
		if err == nil {
			x.org.SetMember(a.ID, p.UserID, false)
		}
		return err
	case OpEnroll:
		return x.enroll(ctx, p, *a.Target)
	case OpUnenroll:
		return x.unenroll(ctx, p, *a.Target)
	case OpTranscript:
		return x.updateTranscript(ctx, p, *a.Target, *a.Transcript)
	}
	return fmt.Errorf("the plan holds an action %q this ilms-bulk does not know", a.Op)
}

func newSeen() hash.Hash { return sha256.New() }

// saw notes a record the plan was made from, when the planner keeps track.
func (p *Plan) saw(v any) {
	if p.seen != nil {
		json.NewEncoder(p.seen).Encode(v)
	}
}

// Seen is the fingerprint of the records the plan was made from: the
// user as iLMS had them, their groups and records in the courses the row
// names. "" when the planner kept no track.
func (p *Plan) Seen() string {
	if p.seen == nil {
		return ""
	}
	return hex.EncodeToString(p.seen.Sum(nil))
}

// PlannedRow is one row of a saved plan.
type PlannedRow struct {
	Line    int      `json:"row"`
	Key     string   `json:"key,omitempty"`
	Outcome Outcome  `json:"outcome"` // what applying does if every step succeeds
	UserID  int64    `json:"user_id,omitempty"`
	Message string   `json:"message,omitempty"`
	Actions []Action `json:"actions,omitempty"`
	Seen    string   `json:"seen"`
}

func (p *Plan) saved() *PlannedRow {
	r := &PlannedRow{Line: p.Line, Key: p.Key, Outcome: p.Outcome, UserID: p.UserID, Message: p.Message, Seen: p.Seen()}
	r.Actions = append(r.Actions, p.steps...)
	return r
}

// PlanVersion is the format of the plan files this build writes and reads.
const PlanVersion = 1

// SavedPlan is a plan file's header: what the plan was made from and for.
// Its rows follow it in the file (PlanFile.Next).
type SavedPlan struct {
	Plan    int       `json:"plan"` // PlanVersion
	Kind    string    `json:"kind"`
	Created time.Time `json:"created"`
	// Site is where the plan changes things: the base URL, or the
	// in-process sandbox by name; BaseURL is the URL itself.
	Site    string `json:"site"`
	BaseURL string `json:"base_url"`
	OrgID   string `json:"org_id"`
	// Input is the file, read again when the plan is applied (passwords
	// come from it); Files are the mapping and settings files by path,
	// with their SHA-256.
	Input report.Input      `json:"input"`
	Files map[string]string `json:"files,omitempty"`
	// Args are the import's options, as the journal keeps them.
	Args []string `json:"args"`
	// Counts are the rows by planned outcome; Fingerprint hashes every
	// row's records (PlannedRow.Seen).
	Counts      map[string]int `json:"counts"`
	Rows        int            `json:"total"`
	Fingerprint string         `json:"fingerprint"`
	Operator    string         `json:"operator,omitempty"`
	// Undo is the run folder an undo's plan reverses: applying the plan
	// undoes it (its input is that run's journal).
	Undo string `json:"undo,omitempty"`
}

// planSpool is the Sink of a dry run that saves its plan: every row goes
// to the run's sheets and, as JSON, to a spool beside the plan file,
// which commit turns into the file.
type planSpool struct {
	next    Sink
	spool   *os.File
	w       *bufio.Writer
	fp      hash.Hash
	n       int
	missing int
	count   map[string]int
}

func newPlanSpool(path string, next Sink) (*planSpool, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.rows")
	if err != nil {
		return nil, &FileError{Path: path, Err: fmt.Errorf("the plan cannot be written: %w", err)}
	}
	return &planSpool{next: next, spool: f, w: bufio.NewWriterSize(f, 64<<10), fp: sha256.New(), count: map[string]int{}}, nil
}

func (s *planSpool) Row(r *RowResult) error {
	if err := s.next.Row(r); err != nil {
		return err
	}
	if r.saved == nil {
		s.missing++ // an interrupted dry run: no plan is written
		return nil
	}
	b, err := json.Marshal(r.saved)
	if err != nil {
		return err
	}
	if s.n > 0 {
		s.w.WriteString(",\n")
	}
	s.n++
	s.count[string(r.saved.Outcome.Planned())]++
	fmt.Fprintf(s.fp, "%d %s\n", r.saved.Line, r.saved.Seen)
	_, err = s.w.Write(b)
	return err
}

// commit writes the plan file, mode 0600: the header, then the rows.
func (s *planSpool) commit(path string, h *SavedPlan) error {
	defer s.discard()
	if s.missing > 0 {
		return &FileError{Path: path, Err: fmt.Errorf("the plan is not written: %d rows were not planned", s.missing)}
	}
	h.Plan, h.Counts, h.Rows, h.Fingerprint = PlanVersion, s.count, s.n, hex.EncodeToString(s.fp.Sum(nil))
	head, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return err
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	err = report.WritePrivateFile(path, func(w io.Writer) error {
		w.Write(head[:len(head)-2]) // without its closing "\n}"
		io.WriteString(w, ",\n  \"rows\": [\n")
		if _, err := io.Copy(w, s.spool); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n  ]\n}\n")
		return err
	})
	if err != nil {
		return &FileError{Path: path, Err: err}
	}
	return nil
}

func (s *planSpool) discard() {
	s.spool.Close()
	os.Remove(s.spool.Name())
}

// PlanFile is a plan file open for reading: its header, and its rows in
// row order.
type PlanFile struct {
	SavedPlan
	Import mapping.Kind // the kind of import the plan is of
	Path   string
	SHA256 string // the plan file's own
	f      *os.File
	dec    *json.Decoder
	next   *PlannedRow
	done   bool
}

// OpenPlan opens a plan file and reads its header.
func OpenPlan(path string) (*PlanFile, error) {
	sum, err := FileSHA256(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	f, err := files.Open(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	p := &PlanFile{Path: path, SHA256: sum, f: f, dec: json.NewDecoder(bufio.NewReaderSize(f, 64<<10))}
	if err := p.readHeader(); err != nil {
		f.Close()
		return nil, &FileError{Path: path, Err: err}
	}
	return p, nil
}

func (p *PlanFile) readHeader() error {
	notPlan := remedy.Errorf("this is not a plan file of ilms-bulk (make one with a dry run of an import and %s)", remedy.Of(remedy.PlanOut))
	if t, err := p.dec.Token(); err != nil || t != json.Delim('{') {
		return notPlan
	}
	head := map[string]json.RawMessage{}
	for {
		t, err := p.dec.Token()
		if err != nil {
			return notPlan
		}
		key, ok := t.(string)
		if !ok {
			return notPlan
		}
		if key == "rows" {
			break
		}
		var v json.RawMessage
		if err := p.dec.Decode(&v); err != nil {
			return notPlan
		}
		head[key] = v
	}
	if t, err := p.dec.Token(); err != nil || t != json.Delim('[') {
		return notPlan
	}
	b, _ := json.Marshal(head)
	if err := json.Unmarshal(b, &p.SavedPlan); err != nil || p.Plan == 0 || p.Kind == "" {
		return notPlan
	}
	if p.Plan != PlanVersion {
		return fmt.Errorf("the plan is of format %d, which this ilms-bulk (format %d) does not read; make the plan again with this version", p.Plan, PlanVersion)
	}
	var err error
	if p.Import, err = mapping.ParseKind(p.Kind); err != nil {
		return fmt.Errorf("the plan is of %q, which is not a kind of import", p.Kind)
	}
	return nil
}

// Close closes the file.
func (p *PlanFile) Close() error { return p.f.Close() }

// Next returns the next row of the plan, or io.EOF after the last.
func (p *PlanFile) Next() (*PlannedRow, error) {
	if r := p.next; r != nil {
		p.next = nil
		return r, nil
	}
	if p.done || !p.dec.More() {
		p.done = true
		return nil, io.EOF
	}
	r := &PlannedRow{}
	if err := p.dec.Decode(r); err != nil {
		return nil, &FileError{Path: p.Path, Err: fmt.Errorf("the plan's rows cannot be read (%v): the file is damaged; make the plan again", err)}
	}
	return r, nil
}

// row returns the plan's row for line, rows being asked for in row
// order; nil when the plan has none.
func (p *PlanFile) row(line int) (*PlannedRow, error) {
	for {
		r, err := p.Next()
		if err == io.EOF {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		switch {
		case r.Line == line:
			return r, nil
		case r.Line > line:
			p.next = r
			return nil, nil
		}
	}
}

// Apply is a saved plan to run (Job.Apply).
type Apply struct {
	Plan *PlanFile
	// Replan runs a row that changed since the plan as it is planned
	// now, instead of leaving it stale.
	Replan bool
	// MaxAge refuses a plan older than this.
	MaxAge time.Duration
}

// check refuses a plan that is too old, or whose files changed, before
// anything is sent.
func (a *Apply) check(now time.Time) error {
	p := a.Plan
	if age := now.Sub(p.Created); a.MaxAge > 0 && age > a.MaxAge {
		return jobErrorf("the plan %s was made %s ago (%s), more than %s allows; make it again, or give a longer %s", p.Path, age.Round(time.Minute), p.Created.Local().Format("2006-01-02 15:04"), remedy.Of(remedy.MaxAge, a.MaxAge.String()), remedy.Of(remedy.MaxAge))
	}
	check := func(path, want, what string) error {
		sum, err := FileSHA256(path)
		switch {
		case err != nil:
			return &FileError{Path: path, Err: fmt.Errorf("the %s the plan was made from cannot be read (%v); applying it reads it again", what, err)}
		case sum != want:
			return &FileError{Path: path, Err: fmt.Errorf("the %s has changed since the plan was made (its SHA-256 differs); make the plan again from the file as it is now", what)}
		}
		return nil
	}
	if err := check(p.Input.Path, p.Input.SHA256, "input file"); err != nil {
		return err
	}
	for path, sum := range p.Files {
		if err := check(path, sum, "option file"); err != nil {
			return err
		}
	}
	return nil
}

// checkSite refuses a plan made for another organization or server.
func (a *Apply) checkSite(site, orgID string) error {
	p := a.Plan
	if site != p.Site || orgID != p.OrgID {
		return jobErrorf("the plan %s was made for organization %s at %s, and this run is connected to organization %s at %s; a plan applies only where it was made", p.Path, p.OrgID, p.Site, orgID, site)
	}
	return nil
}

// judge decides what applying the plan does with a row planned again
// now, from what iLMS holds now: the row goes ahead when the records it
// was planned from are as they were and it does what the plan says; it
// is unchanged when iLMS already is as the plan has it (a plan applied
// twice sends nothing the second time); otherwise it is stale and
// nothing is sent for it, unless Replan.
func (a *Apply) judge(p *Plan, words remedy.Words) error {
	saved, err := a.Plan.row(p.Line)
	if err != nil {
		return err
	}
	now := p.saved()
	why := ""
	switch {
	case saved == nil:
		why = "the plan has no such row"
	case now.Seen == saved.Seen && sameActions(now.Actions, saved.Actions):
		return nil
	case !p.Writes() && !hasWrites(saved.Actions):
		return nil // nothing planned then, nothing to do now
	case !p.Writes() && p.Outcome == Unchanged:
		p.Message = "already as the plan has it: nothing to send"
		return nil
	case saved.Outcome == Created && p.Outcome != Created:
		why = fmt.Sprintf("the plan creates this user, and iLMS has them now (user %d)", p.UserID)
	case sameActions(now.Actions, saved.Actions):
		why = "the records it was planned from have changed"
	default:
		why = fmt.Sprintf("it was planned to %s; now it would %s", describeActions(saved), describeActions(now))
	}
	if a.Replan {
		p.Message = strings.TrimPrefix(p.Message+" | changed since the plan ("+why+"): planned again ("+words.Of(remedy.Of(remedy.Replan))+")", " | ")
		return nil
	}
	p.Outcome, p.steps = Stale, nil
	p.Message = "changed since the plan: " + why + "; not touched (make the plan again, or apply it with " + words.Of(remedy.Of(remedy.Replan)) + ")"
	return nil
}

// sameActions compares two rows' actions, leaving out the regions,
// divisions and departments to create: they are made once, by whichever
// row comes first, and the rows after it find them.
func sameActions(a, b []Action) bool {
	return reflect.DeepEqual(writes(a), writes(b))
}

func writes(as []Action) []Action {
	var out []Action
	for _, a := range as {
		if a.Op != OpUnit {
			out = append(out, a)
		}
	}
	return out
}

func hasWrites(as []Action) bool { return len(writes(as)) > 0 }

func describeActions(r *PlannedRow) string {
	if len(r.Actions) == 0 {
		return "be " + string(r.Outcome)
	}
	names := make([]string, len(r.Actions))
	for i, a := range r.Actions {
		names[i] = a.What
	}
	return strings.Join(names, "; ")
}

// planColumns are the columns of a plan's sign-off sheet: one line per
// change (an action that sets no field is one line with no field).
var planColumns = []string{"row", "key", "outcome", "action", "field", "old", "new"}

// eachChange hands write every change of the plan's rows that do
// something, in row order, and the rows that do nothing to rest.
func (p *PlanFile) eachChange(change func(r *PlannedRow, a *Action, c *Change) error) error {
	for {
		r, err := p.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		for i := range r.Actions {
			a := &r.Actions[i]
			if len(a.Changes) == 0 {
				if err := change(r, a, nil); err != nil {
					return err
				}
			}
			for j := range a.Changes {
				if c := &a.Changes[j]; a.Op == OpUpdate && c.Old == c.New && !c.Secret {
					continue // sent with the others of its kind, as it is
				}
				if err := change(r, a, &a.Changes[j]); err != nil {
					return err
				}
			}
		}
	}
}

func (c *Change) shown() (old, new string) {
	if c.Secret {
		return "", "(set from the input file)"
	}
	return c.Old, c.New
}

// WritePlan writes the plan file at path for a person: as text, or as a
// sheet of the format given (WriteSheet).
func WritePlan(path string, w io.Writer, format string) error {
	p, err := OpenPlan(path)
	if err != nil {
		return err
	}
	defer p.Close()
	if format == "" {
		return p.WriteText(w)
	}
	_, err = p.WriteSheet(w, format)
	return err
}

// WriteText writes the plan for a person to read before signing it off:
// what it was made from and for, its counts, then every change, old →
// new.
func (p *PlanFile) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "plan of an import of %s, made %s by %s\n", p.Kind, p.Created.Local().Format("2006-01-02 15:04 MST"), cmp.Or(p.Operator, "(unknown)"))
	fmt.Fprintf(bw, "  changes         organization %s at %s\n", p.OrgID, p.Site)
	fmt.Fprintf(bw, "  input           %s (SHA-256 %s)\n", p.Input.Path, p.Input.SHA256)
	if len(p.Args) > 0 {
		fmt.Fprintf(bw, "  options         %s\n", strings.Join(p.Args, " "))
	}
	fmt.Fprintf(bw, "  rows            %d: %s\n", p.Rows, report.CountsText(p.Counts))
	fmt.Fprintln(bw, "\nchanges:")
	n := 0
	last := -1
	err := p.eachChange(func(r *PlannedRow, a *Action, c *Change) error {
		if r.Line != last {
			fmt.Fprintf(bw, "row %d  %s  %s\n", r.Line, r.Key, r.Outcome.Planned())
			last = r.Line
		}
		switch {
		case c == nil:
			fmt.Fprintf(bw, "    %s\n", a.What)
		case a.Op == OpCreate:
			_, new := c.shown()
			fmt.Fprintf(bw, "    set %s %s: %s\n", c.Field, c.Name, new)
		default:
			old, new := c.shown()
			fmt.Fprintf(bw, "    %s %s %s: %s → %s\n", a.Op, c.Field, c.Name, blankOr(old), blankOr(new))
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(bw, "  none: applying the plan sends nothing")
	}
	return bw.Flush()
}

// WriteSheet writes the plan as one sheet for sign-off (CSV, or XLSX
// with format report.XLSX): a line per change.
func (p *PlanFile) WriteSheet(w io.Writer, format string) (int, error) {
	return report.WriteSheet(w, format, "Plan", true, func(s report.Sink) (int, error) {
		if err := s.Header(planColumns); err != nil {
			return 0, err
		}
		n := 0
		err := p.eachChange(func(r *PlannedRow, a *Action, c *Change) error {
			field, old, new := "", "", ""
			if c != nil {
				field = c.Field + " " + c.Name
				old, new = c.shown()
			}
			n++
			return s.Row([]any{r.Line, report.Cell(r.Key), string(r.Outcome.Planned()), report.Cell(a.What), field, report.Cell(old), report.Cell(new)})
		})
		return n, err
	})
}

func blankOr(v string) string {
	if strings.TrimSpace(v) == "" {
		return "(blank)"
	}
	return v
}
