package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// AttemptHook passes the attempts of the page's one client to the run
// that counts them now: set it as the client's OnAttempt
// (connect.Options.OnAttempt).
type AttemptHook struct {
	f atomic.Pointer[func(ilms.Attempt)]
}

// Observe is an ilms.Options.OnAttempt hook.
func (h *AttemptHook) Observe(a ilms.Attempt) {
	if f := h.f.Load(); f != nil {
		(*f)(a)
	}
}

func (h *AttemptHook) set(f func(ilms.Attempt)) { h.f.Store(&f) }

// live is an import the page runs, as its progress page follows it.
type live struct {
	id     string
	input  string // the file it reads
	cancel context.CancelFunc
	meter  *pipeline.Meter
	mu     sync.Mutex
	done   bool
}

func (l *live) state() (pipeline.Progress, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.meter.Now(), l.done
}

// notConnected is what a page served without a connection says when
// asked to import or export.
const notConnected = "this page is not connected to iLMS: it was started without a connection, so it only checks files"

// connectFor gives a job the page's connection, counting its requests.
func (s *Server) connectFor(onAttempt func(ilms.Attempt)) (*connect.Conn, error) {
	if s.opts.Conn == nil {
		return nil, errors.New(notConnected)
	}
	s.opts.Hook.set(onAttempt)
	return s.opts.Conn.Borrowed(), nil
}

// uploaded is the file a validation folder holds.
func uploaded(dir string) (string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, uploadDir))
	if err == nil && len(entries) == 1 && !entries[0].IsDir() {
		return filepath.Join(dir, uploadDir, entries[0].Name()), nil
	}
	return "", errors.New("the uploaded file is not in its run folder any more: choose it again")
}

// uploadDir is the folder of a run folder that holds the file uploaded,
// apart from the sheets a check writes beside it (errors.csv and the
// like, which an upload may be named too).
const uploadDir = "upload"

// runOfUpload is the run folder an uploaded file lives in.
func runOfUpload(path string) string { return filepath.Dir(filepath.Dir(path)) }

// importJob is an import of a kind of file at path as the page runs it:
// the command line's defaults (the safety limits included), the reading
// the columns page chose for an upload, and the options a run kept
// (args, which from names) for one that finishes, re-tries or applies
// it. A run goes on as it was begun, on the command line or here; its
// pace is the page's.
func (s *Server) importJob(kind mapping.Kind, path, out string, args []string, from string) (*pipeline.Job, error) {
	set := pipeline.NewSettings(kind)
	if err := set.SetArgs(args, from); err != nil {
		return nil, err
	}
	runs, _ := filepath.Abs(s.opts.RunsDir)
	abs, _ := filepath.Abs(path)
	if rel, err := filepath.Rel(runs, abs); err == nil && filepath.Base(filepath.Dir(abs)) == uploadDir && !strings.HasPrefix(rel, "..") {
		rd := readingOf(runOfUpload(abs)) // an upload: what the columns page chose, unless the run kept its own
		for _, o := range [][2]string{{"sheet", rd.Sheet}, {"encoding", rd.Encoding}, {"header-row", headerRowText(rd)}, {"mapping", rd.Mapping}, {"date-format", rd.DateFormat}} {
			if o[1] != "" && !set.Flags().Changed(o[0]) {
				set.Set(o[0], o[1])
			}
		}
	}
	job, err := set.Job(kind)
	if err != nil {
		return nil, err
	}
	job.Path, job.Out, job.Connect, job.Words = path, out, s.connectFor, pageWords
	return job, nil
}

// planOption is an option of an import the page offers when it plans:
// its flag (as a run keeps it, see pipeline.Settings.Args), the remedy it
// is, the kinds of file it is for (nil: every kind) and how the page says
// it.
type planOption struct {
	Flag   string
	Option remedy.Option
	Kinds  []mapping.Kind
	Bool   bool
	Label  string
}

// planOptions are the import's options the plan form sets.
var planOptions = []planOption{
	{"create-hierarchy", remedy.CreateHierarchy, []mapping.Kind{mapping.Users}, true, "Create the regions, divisions and departments the file names that iLMS lacks"},
	{"allow-identity-change", remedy.IdentityChange, []mapping.Kind{mapping.Users}, true, "Let a row change a user's names and email, or employee ID, as the same person"},
	{"enroll-missing", remedy.EnrollMissing, []mapping.Kind{mapping.Transcripts}, true, "Enroll people who are not enrolled yet, then set their transcript"},
	{"max-creates", remedy.MaxCreates, nil, false, "At most this many new users"},
	{"max-updates", remedy.MaxUpdates, nil, false, "At most this many rows updated"},
	{"max-deactivations", remedy.MaxDeactivations, nil, false, "At most this many users inactivated"},
	{"max-cleared", remedy.MaxCleared, nil, false, "At most this many fields cleared"},
}

// replanLabel is the control of the plan page that applies a plan with
// its rows changed in iLMS since planned again (remedy.Replan).
const replanLabel = "Plan again, and run, the rows iLMS has changed since"

// planWords names an option of the plan form, or of running a plan, as
// its control; ok is false for any other option.
func planWords(h remedy.Hint) (string, bool) {
	if h.Option == remedy.Replan {
		return fmt.Sprintf("the plan page's %q", replanLabel), true
	}
	for _, o := range planOptions {
		if o.Option == h.Option {
			if h.Value != "" && !o.Bool {
				return fmt.Sprintf("the plan form's %q set to %s", o.Label, h.Value), true
			}
			return fmt.Sprintf("the plan form's %q", o.Label), true
		}
	}
	return "", false
}

// planOptionsFor are the plan form's options for a kind of file.
func planOptionsFor(kind mapping.Kind) []planOption {
	var out []planOption
	for _, o := range planOptions {
		if o.Kinds == nil || slices.Contains(o.Kinds, kind) {
			out = append(out, o)
		}
	}
	return out
}

// planArgs are the options the plan form gives, as a run keeps them
// (--name=value), each checked as the command line checks its flag.
func planArgs(kind mapping.Kind, form url.Values) ([]string, error) {
	var args []string
	for _, o := range planOptionsFor(kind) {
		v := strings.TrimSpace(form.Get(o.Flag))
		switch {
		case o.Bool && v != "":
			v = "true"
		case o.Bool, v == "":
			continue
		}
		if err := pipeline.NewSettings(kind).Set(o.Flag, v); err != nil {
			return nil, fmt.Errorf("%q: %s is not a value it takes (%v)", o.Label, validate.Quote(v), err)
		}
		args = append(args, "--"+o.Flag+"="+v)
	}
	return args, nil
}

// plan makes the plan of the file checked in run id: a dry run that saves
// its plan (plan.json) in a run folder of its own, with the options the
// plan form gives, which running the plan keeps.
func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	dir := s.runDir(r.PathValue("id"))
	if dir == "" {
		s.fail(w, http.StatusNotFound, "There is no such run.")
		return
	}
	path, err := uploaded(dir)
	if err != nil {
		s.fail(w, http.StatusNotFound, say(err))
		return
	}
	var kind mapping.Kind
	sum, err := report.ReadSummary(filepath.Join(dir, report.SummaryJSON))
	if err == nil {
		kind, err = mapping.ParseKind(sum.Kind)
	}
	if err != nil {
		s.fail(w, http.StatusBadRequest, "The file has not been checked: check it first.")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, http.StatusBadRequest, "The form did not arrive: send it again.")
		return
	}
	args, err := planArgs(kind, r.PostForm)
	if err != nil {
		s.fail(w, http.StatusBadRequest, "The plan's options: "+err.Error())
		return
	}
	id, out, err := s.newRun("dry-run")
	if err != nil {
		s.fail(w, http.StatusInternalServerError, say(err))
		return
	}
	job, err := s.importJob(kind, path, out, args, "the plan form")
	if err != nil {
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	job.Command, job.Import.DryRun, job.PlanOut = "import", true, filepath.Join(out, pipeline.PlanJSON)
	if rep, err := job.Run(r.Context()); rep == nil && err != nil {
		os.RemoveAll(out)
		s.fail(w, http.StatusBadRequest, "The file cannot be planned: "+say(err))
		return
	}
	http.Redirect(w, r, "/runs/"+id, http.StatusSeeOther)
}

// apply runs the plan of run id, in the background: one run changes the
// organization at a time.
func (s *Server) apply(w http.ResponseWriter, r *http.Request) {
	dir := s.runDir(r.PathValue("id"))
	if dir == "" {
		s.fail(w, http.StatusNotFound, "There is no such plan.")
		return
	}
	plan, err := pipeline.OpenPlan(filepath.Join(dir, pipeline.PlanJSON))
	if err != nil {
		s.fail(w, http.StatusNotFound, say(err))
		return
	}
	id, out, err := s.newRun("import")
	if err != nil {
		plan.Close()
		s.fail(w, http.StatusInternalServerError, say(err))
		return
	}
	job, err := s.importJob(plan.Import, plan.Input.Path, out, plan.Args, "the plan")
	if err != nil {
		plan.Close()
		os.RemoveAll(out)
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	r.ParseForm()
	job.Command, job.Apply = "apply", &pipeline.Apply{Plan: plan, MaxAge: 24 * time.Hour, Replan: r.PostForm.Get("replan") != ""}
	if err := s.start(id, job, func() { plan.Close() }); err != nil {
		plan.Close()
		os.RemoveAll(out)
		s.fail(w, http.StatusConflict, say(err))
		return
	}
	http.Redirect(w, r, "/runs/"+id, http.StatusSeeOther)
}

// stop ends a run as Ctrl-C does: the requests in flight finish, the rest
// wait for a resume.
func (s *Server) stop(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	l := s.lives[id]
	s.mu.Unlock()
	if l != nil {
		l.cancel()
	}
	http.Redirect(w, r, "/runs/"+id, http.StatusSeeOther)
}

// event is what a progress page hears: the counts, and in words the
// rate, the time left and the rate iLMS accepts.
type event struct {
	Rows     int    `json:"rows"`
	Failed   int    `json:"failed"`
	Done     int64  `json:"done"`
	Size     int64  `json:"size"`
	Line     string `json:"line"`
	Pace     string `json:"pace,omitempty"`
	Finished bool   `json:"finished"`
}

// events streams a run's progress as server-sent events, until it ends;
// a page reloaded, or opened in a second tab, picks it up again.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	l := s.lives[r.PathValue("id")]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	flusher, _ := w.(http.Flusher)
	send := func(e event) {
		b, _ := json.Marshal(e)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		if l == nil {
			send(event{Finished: true})
			return
		}
		p, done := l.state()
		e := event{Rows: p.Rows, Failed: p.Failed, Done: p.Done, Size: p.Size, Line: l.meter.Line(), Finished: done}
		if c := s.opts.Conn; c != nil {
			e.Pace = report.PaceOf(c.Client.Pacer(), c.Rate).In(pageWords)
		}
		send(e)
		if done {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

// planRow is a line of a plan's table.
type planRow struct {
	Row              int
	Key, Outcome     string
	What, Field, Old string
	New              string
}

// planSheet downloads a plan as the sheet to sign off: a line per
// change, as plan show -o writes it.
func (s *Server) planSheet(w http.ResponseWriter, r *http.Request) {
	dir := s.runDir(r.PathValue("id"))
	if dir == "" {
		s.fail(w, http.StatusNotFound, "There is no such plan.")
		return
	}
	p, err := pipeline.OpenPlan(filepath.Join(dir, pipeline.PlanJSON))
	if err != nil {
		s.fail(w, http.StatusNotFound, "There is no such plan.")
		return
	}
	defer p.Close()
	w.Header().Set("Content-Disposition", `attachment; filename="plan.xlsx"`)
	if _, err := p.WriteSheet(w, report.XLSX); err != nil {
		fmt.Fprintf(w, "\n(the plan could not be written: %v)", err)
	}
}

// readPlan reads the plan's changes, skipping skip and keeping n, and
// counts them.
func readPlan(path string, skip, n int) ([]planRow, int, error) {
	p, err := pipeline.OpenPlan(path)
	if err != nil {
		return nil, 0, err
	}
	defer p.Close()
	var out []planRow
	count := 0
	for {
		r, err := p.Next()
		if err == io.EOF {
			return out, count, nil
		} else if err != nil {
			return nil, 0, err
		}
		for _, a := range r.Actions {
			lines := []planRow{{Row: r.Line, Key: r.Key, Outcome: string(r.Outcome.Planned()), What: a.What}}
			if len(a.Changes) > 0 && a.Op == pipeline.OpUpdate {
				lines = lines[:0]
				for _, c := range a.Changes {
					if c.Old != c.New {
						lines = append(lines, planRow{Row: r.Line, Key: r.Key, Outcome: string(r.Outcome.Planned()), What: "update", Field: c.Field + " " + c.Name, Old: blank(c.Old), New: blank(c.New)})
					}
				}
			}
			for _, l := range lines {
				if count >= skip && len(out) < n {
					out = append(out, l)
				}
				count++
			}
		}
	}
}

func blank(v string) string {
	if strings.TrimSpace(v) == "" {
		return "(blank)"
	}
	return v
}
