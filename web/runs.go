package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/export"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// runEntry is a line of the runs list.
type runEntry struct {
	ID, Command, File string
	Total             int
	Outcomes          string
	Interrupted       bool
	Resumable         bool
	Live              bool
}

// runs lists the run folders, the command line's and the page's alike,
// newest first, with their summaries.
func (s *Server) runs(w http.ResponseWriter, r *http.Request) {
	entries, err := os.ReadDir(s.opts.RunsDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		s.fail(w, http.StatusInternalServerError, "The runs cannot be listed: "+say(err))
		return
	}
	var list []runEntry
	for _, e := range entries {
		if !e.IsDir() || !runID.MatchString(e.Name()) {
			continue
		}
		dir := filepath.Join(s.opts.RunsDir, e.Name())
		en := runEntry{ID: e.Name(), Command: "(no summary yet)"}
		if sum, err := report.ReadSummary(filepath.Join(dir, report.SummaryJSON)); err == nil {
			en.Command, en.File, en.Total, en.Interrupted = sum.Command, filepath.Base(sum.Input.Path), sum.Total, sum.Interrupted
			en.Outcomes = report.CountsText(sum.ByOutcome)
			_, jerr := os.Stat(filepath.Join(dir, pipeline.JournalFile))
			en.Resumable = sum.Interrupted && jerr == nil
		}
		s.mu.Lock()
		en.Live = s.active != nil && s.active.id == e.Name()
		s.mu.Unlock()
		list = append(list, en)
	}
	slices.Reverse(list) // names start with the time
	s.render(w, "runs.html", "Runs", list)
}

// remove deletes a run folder, the uploaded file in it included.
func (s *Server) remove(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	dir := s.runDir(id)
	s.mu.Lock()
	busy := s.active != nil && (s.active.id == id || dir != "" && strings.HasPrefix(s.active.input, dir+string(filepath.Separator)))
	s.mu.Unlock()
	switch {
	case dir == "":
		s.fail(w, http.StatusNotFound, "There is no such run.")
	case busy:
		s.fail(w, http.StatusConflict, "A run is changing the organization now with this run's file or folder: stop it, or wait for it to finish, first.")
	default:
		if err := os.RemoveAll(dir); err != nil {
			s.fail(w, http.StatusInternalServerError, "The run folder cannot be deleted: "+say(err))
			return
		}
		http.Redirect(w, r, "/runs", http.StatusSeeOther)
	}
}

// resume finishes an interrupted import in its own folder, in the
// background, as --resume does.
func (s *Server) resume(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	dir := s.runDir(id)
	if dir == "" {
		s.fail(w, http.StatusNotFound, "There is no such run.")
		return
	}
	sum, err := report.ReadSummary(filepath.Join(dir, report.SummaryJSON))
	if err != nil {
		s.fail(w, http.StatusNotFound, "This run has no summary: it cannot be resumed from here.")
		return
	}
	kind, _ := mapping.ParseKind(sum.Kind)
	res, err := pipeline.OpenResume(dir, kind)
	if err != nil {
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	job, err := s.importJob(kind, res.File(), dir, res.State.Header.Args, "the run")
	if err != nil {
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	job.Command, job.Resume = sum.Command, res
	if err := s.start(id, job, nil); err != nil {
		s.fail(w, http.StatusConflict, say(err))
		return
	}
	http.Redirect(w, r, "/runs/"+id, http.StatusSeeOther)
}

// start runs job in the background as run id, one at a time; done, when
// set, is called at the end.
func (s *Server) start(id string, job *pipeline.Job, done func()) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.active; a != nil {
		return fmt.Errorf("Run %s is changing the organization now: one run at a time. Wait for it to finish, or stop it.", a.id)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &live{id: id, input: job.Path, cancel: cancel, meter: pipeline.NewMeter(job.Command, "rows")}
	s.active, s.lives[id] = l, l
	job.Progress = l.meter.Update
	go func() {
		_, err := job.Run(ctx)
		if err != nil && !errors.Is(err, context.Canceled) {
			os.WriteFile(filepath.Join(job.Out, "web-error.txt"), []byte(say(err)+"\n"), 0o644)
		}
		if done != nil {
			done()
		}
		l.mu.Lock()
		l.done = true
		l.mu.Unlock()
		s.mu.Lock()
		s.active = nil
		s.mu.Unlock()
	}()
	return nil
}

// retry re-runs the rows of a finished run that failed for a reason that
// may pass now, in a run folder of its own (--only-failed).
func (s *Server) retry(w http.ResponseWriter, r *http.Request) {
	dir := s.runDir(r.PathValue("id"))
	if dir == "" {
		s.fail(w, http.StatusNotFound, "There is no such run.")
		return
	}
	sum, err := report.ReadSummary(filepath.Join(dir, report.SummaryJSON))
	if err != nil {
		s.fail(w, http.StatusNotFound, "There is no such run.")
		return
	}
	kind, _ := mapping.ParseKind(sum.Kind)
	retry, err := pipeline.OpenRetry(dir, kind, "")
	if err != nil {
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	if len(retry.Lines) == 0 {
		s.fail(w, http.StatusBadRequest, "No row of this run failed for a reason that may pass now: fix the rows of its errors sheet and check that file instead.")
		return
	}
	id, out, err := s.newRun("retry")
	if err != nil {
		s.fail(w, http.StatusInternalServerError, say(err))
		return
	}
	job, err := s.importJob(kind, retry.File(), out, retry.State.Header.Args, "the run")
	if err != nil {
		os.RemoveAll(out)
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	job.Command, job.Retry = sum.Command, retry
	if err := s.start(id, job, nil); err != nil {
		os.RemoveAll(out)
		s.fail(w, http.StatusConflict, say(err))
		return
	}
	http.Redirect(w, r, "/runs/"+id, http.StatusSeeOther)
}

// exportKinds are the exports the page offers.
var exportKinds = []string{"users", "enrollments", "transcripts", "summary", "compliance"}

// exportPage offers the exports, with drop-downs filled from the org.
func (s *Server) exportPage(w http.ResponseWriter, r *http.Request) {
	if s.opts.Conn == nil {
		s.fail(w, http.StatusServiceUnavailable, notConnected)
		return
	}
	ctx, c := r.Context(), s.opts.Conn.Client
	data := map[string]any{"Kinds": exportKinds, "Today": time.Now().Format("2006-01-02")}
	var groups, courses, curricula [][2]string
	for g, err := range c.Groups.List("").All(ctx) {
		if err != nil {
			s.fail(w, http.StatusBadGateway, "The groups cannot be read from iLMS: "+say(err))
			return
		}
		groups = append(groups, [2]string{fmt.Sprint(g.ID), g.Name})
	}
	for co, err := range c.Courses.List(ilms.CourseListOptions{}).All(ctx) {
		if err != nil {
			s.fail(w, http.StatusBadGateway, "The courses cannot be read from iLMS: "+say(err))
			return
		}
		courses = append(courses, [2]string{co.ID, co.Name})
	}
	for cu, err := range c.Curricula.List("").All(ctx) {
		if err != nil {
			s.fail(w, http.StatusBadGateway, "The curricula cannot be read from iLMS: "+say(err))
			return
		}
		curricula = append(curricula, [2]string{cu.ID, cu.Name})
	}
	data["Groups"], data["Courses"], data["Curricula"] = groups, courses, curricula
	s.render(w, "export.html", "Export", data)
}

// exportFile runs the export the form asks for and sends the file.
func (s *Server) exportFile(w http.ResponseWriter, r *http.Request) {
	if s.opts.Conn == nil {
		s.fail(w, http.StatusServiceUnavailable, "This page is not connected to iLMS.")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, http.StatusBadRequest, "The form did not arrive: send it again.")
		return
	}
	f := r.PostForm
	format := f.Get("format")
	if format != report.XLSX {
		format = "csv"
	}
	reading := export.Reading{Workers: 8}
	var job export.Job
	switch kind := f.Get("kind"); kind {
	case "users":
		job = &export.UsersOptions{Reading: reading}
	case "enrollments":
		job = &export.EnrollmentsOptions{Reading: reading}
	case "transcripts":
		job = &export.TranscriptsOptions{Reading: reading}
	case "summary":
		job = &export.SummaryOptions{Reading: reading}
	case "compliance":
		asOf, err := export.ParseAsOf(f.Get("as-of"))
		if err != nil {
			s.fail(w, http.StatusBadRequest, say(err))
			return
		}
		job, format = &export.ComplianceWorkbook{ComplianceOptions: export.ComplianceOptions{Reading: reading}, AsOf: asOf}, report.XLSX
	default:
		s.fail(w, http.StatusBadRequest, fmt.Sprintf("%q is not an export: choose one of %s.", kind, strings.Join(exportKinds, ", ")))
		return
	}
	fs := pflag.NewFlagSet("export", pflag.ContinueOnError)
	job.AddFlags(fs)
	if err := export.SetForm(fs, f); err != nil {
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	switch j := job.(type) {
	case *export.UsersOptions:
		j.Headers = export.HeaderNames // a person reads the sheet
	case *export.EnrollmentsOptions:
		j.All = len(j.Courses)+len(j.Curricula) == 0
	}
	if err := job.Check(); err != nil {
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	// Written whole to a file first: a failed export is an error page,
	// not half a download.
	tmp, err := os.CreateTemp("", "ilms-bulk-export-*")
	if err != nil {
		s.fail(w, http.StatusInternalServerError, say(err))
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := job.Write(r.Context(), s.opts.Conn.Client, tmp, export.Sheet{Format: format, BOM: format == "csv"}); err != nil && !errors.As(err, new(*export.UnknownUsersError)) {
		s.fail(w, http.StatusBadGateway, "The export failed: "+say(err))
		return
	}
	name := job.About().Name + "-" + time.Now().Format("2006-01-02") + "." + format
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	http.ServeContent(w, r, name, time.Now(), tmp)
}
