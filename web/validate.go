package web

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("POST /upload", s.upload)
	s.mux.HandleFunc("GET /runs/{id}", s.run)
	s.mux.HandleFunc("GET /runs/{id}/files/{name}", s.file)
	s.mux.HandleFunc("POST /runs/{id}/plan", s.plan)
	s.mux.HandleFunc("POST /runs/{id}/apply", s.apply)
	s.mux.HandleFunc("POST /runs/{id}/stop", s.stop)
	s.mux.HandleFunc("GET /runs/{id}/events", s.events)
	s.mux.HandleFunc("GET /runs", s.runs)
	s.mux.HandleFunc("POST /runs/{id}/delete", s.remove)
	s.mux.HandleFunc("POST /runs/{id}/resume", s.resume)
	s.mux.HandleFunc("POST /runs/{id}/retry", s.retry)
	s.mux.HandleFunc("GET /export", s.exportPage)
	s.mux.HandleFunc("POST /export", s.exportFile)
	s.mux.HandleFunc("GET /templates/{name}", s.template)
	s.mux.HandleFunc("GET /runs/{id}/columns", s.mappingPage)
	s.mux.HandleFunc("GET /runs/{id}/plan.xlsx", s.planSheet)
	s.mux.HandleFunc("POST /runs/{id}/columns", s.saveMapping)
}

// template downloads a blank import file: users.xlsx, enrollments.csv, …
func (s *Server) template(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	kind, format, _ := strings.Cut(name, ".")
	t, err := report.TemplateFor(kind)
	if err != nil || format != "csv" && format != report.XLSX {
		s.fail(w, http.StatusNotFound, "There is no such template: users, enrollments or transcripts, as .xlsx or .csv.")
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", kind+"-template."+format))
	if err := t.Write(w, format); err != nil {
		fmt.Fprintf(w, "\n(the template could not be written: %v)", err)
	}
}

// home is the page the token opens: choosing a file comes first.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, "import.html", "Import a file", map[string]any{"MaxUpload": int(s.opts.MaxUpload >> 20)})
}

// problemsFile is a web run's table of problems, one JSON line each.
const problemsFile = "problems.jsonl"

// problem is a line of the table.
type problem struct {
	Row int `json:"row"`
	pipeline.Problem
}

// problemLog is the Sink that writes a run's problems as rows finish.
type problemLog struct{ enc *json.Encoder }

func (l *problemLog) Row(r *pipeline.RowResult) error {
	for _, p := range r.Problems {
		if err := l.enc.Encode(problem{Row: r.Line, Problem: p}); err != nil {
			return err
		}
	}
	return nil
}

// upload streams the chosen file into a run folder of its own (uploads
// hold personal data and live only there), then validates it.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		s.fail(w, http.StatusBadRequest, "The file did not arrive as a form upload: choose it again and press Check the file.")
		return
	}
	part, err := mr.NextPart()
	for err == nil && part.FormName() != "file" {
		part, err = mr.NextPart()
	}
	if err != nil {
		s.fail(w, http.StatusBadRequest, "No file was chosen: choose a CSV or XLSX file first.")
		return
	}
	name := filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
	if ext := strings.ToLower(filepath.Ext(name)); ext != ".csv" && ext != ".xlsx" || name == "." {
		s.fail(w, http.StatusBadRequest, fmt.Sprintf("%q is not a CSV or XLSX file: save it from Excel as .xlsx or .csv and choose it again.", name))
		return
	}
	id, dir, err := s.newRun("validate")
	if err != nil {
		s.fail(w, http.StatusInternalServerError, say(err))
		return
	}
	path := filepath.Join(dir, uploadDir, name)
	if err := os.Mkdir(filepath.Join(dir, uploadDir), 0o700); err != nil {
		s.fail(w, http.StatusInternalServerError, say(err))
		return
	}
	if err := save(path, part); err != nil {
		os.RemoveAll(dir)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The file is larger than this page takes (%d MiB); validate it with ilms-bulk validate instead.", s.opts.MaxUpload>>20))
			return
		}
		s.fail(w, http.StatusBadRequest, "The upload was cut off: "+say(err))
		return
	}
	if _, _, _, ok, err := columns(path, pipeline.ReadOptions{}); err != nil || !ok {
		// Some column maps to nothing, or the file cannot be read as it
		// is (its encoding, a title above the header): the columns page
		// says why, with the controls to say what it is.
		http.Redirect(w, r, "/runs/"+id+"/columns", http.StatusSeeOther)
		return
	}
	if err := s.validate(r, path, dir); err != nil {
		s.render(w, "import.html", "Import a file", map[string]any{"MaxUpload": int(s.opts.MaxUpload >> 20), "Error": strings.TrimPrefix(sayOf(err, path), name+": "), "File": name})
		os.RemoveAll(dir)
		return
	}
	http.Redirect(w, r, "/runs/"+id, http.StatusSeeOther)
}

func save(path string, from io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, from); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// newRun makes a run folder in RunsDir, named as the command line names
// its own: <time>-<what>.
func (s *Server) newRun(what string) (id, dir string, err error) {
	if err := os.MkdirAll(s.opts.RunsDir, 0o755); err != nil {
		return "", "", fmt.Errorf("the run folder cannot be made: %w", err)
	}
	base := time.Now().Format("20060102-150405") + "-" + what
	for i := 0; ; i++ {
		id = base
		if i > 0 {
			id = fmt.Sprintf("%s-%d", base, i+1)
		}
		dir = filepath.Join(s.opts.RunsDir, id)
		if err := os.Mkdir(dir, 0o755); err == nil {
			return id, dir, nil
		} else if !errors.Is(err, os.ErrExist) {
			return "", "", fmt.Errorf("the run folder cannot be made: %w", err)
		}
	}
}

// validate runs the validation of path into dir, writing the table of
// problems beside the sheets.
func (s *Server) validate(r *http.Request, path, dir string) error {
	in, check, err := readingOf(dir).Options(nil)
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, problemsFile))
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 64<<10)
	log := &problemLog{enc: json.NewEncoder(bw)}
	job := pipeline.Job{Command: "validate", Path: path, Input: in, Check: check, Out: dir, Also: log, Words: pageWords}
	if _, err := job.Run(r.Context()); err != nil {
		return err
	}
	return bw.Flush()
}

// runID is a run folder's name as the command line and the page make it.
var runID = regexp.MustCompile(`^[0-9]{8}-[0-9]{6}-[a-z0-9-]+$`)

// runDir returns the folder of run id, or "" when there is none.
func (s *Server) runDir(id string) string {
	if !runID.MatchString(id) {
		return ""
	}
	dir := filepath.Join(s.opts.RunsDir, id)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

const perPage = 50

// run shows a run: its counts, then its problems, a page at a time,
// filtered on the server.
func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	dir := s.runDir(id)
	if dir == "" {
		s.fail(w, http.StatusNotFound, "There is no such run.")
		return
	}
	s.mu.Lock()
	l := s.lives[id]
	s.mu.Unlock()
	if l != nil {
		if _, done := l.state(); !done {
			s.render(w, "progress.html", "Running", map[string]any{"ID": id})
			return
		}
	}
	sum, err := report.ReadSummary(filepath.Join(dir, report.SummaryJSON))
	if _, uerr := uploaded(dir); err != nil && uerr == nil {
		http.Redirect(w, r, "/runs/"+id+"/columns", http.StatusSeeOther) // not checked yet
		return
	} else if err != nil {
		s.fail(w, http.StatusNotFound, "This run has no summary yet: it may still be running, or it stopped.")
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pageNo = max(pageNo, 1)
	var files []string
	for _, name := range sheetFiles {
		_, err := os.Stat(filepath.Join(dir, name))
		if _, csvErr := os.Stat(filepath.Join(dir, report.ErrorsCSV)); err == nil || name == "errors.xlsx" && csvErr == nil {
			files = append(files, name)
		}
	}
	if sum.Command != "validate" {
		s.importRun(w, id, dir, sum, files, pageNo)
		return
	}
	rows, matched, err := readProblems(filepath.Join(dir, problemsFile), q, (pageNo-1)*perPage, perPage)
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "The table of problems cannot be read: "+say(err))
		return
	}
	pages := max(1, (matched+perPage-1)/perPage)
	ambiguous := hasRule(filepath.Join(dir, problemsFile), validate.ErrAmbiguousDate.Error())
	kind, _ := mapping.ParseKind(sum.Kind)
	s.render(w, "run.html", "Checked: "+filepath.Base(sum.Input.Path), map[string]any{
		"ID": id, "Summary": sum, "Problems": rows, "Matched": matched, "Query": q,
		"Page": pageNo, "Pages": pages, "Prev": pageNo - 1, "Next": pageNo + 1, "Files": files, "Ambiguous": ambiguous,
		"PlanOptions": planOptionsFor(kind),
	})
}

// importRun shows a plan (a dry run's), or a run that changed the
// organization, when it has finished.
func (s *Server) importRun(w http.ResponseWriter, id, dir string, sum *report.Summary, files []string, pageNo int) {
	data := map[string]any{"ID": id, "Summary": sum, "Files": files, "Page": pageNo, "Prev": pageNo - 1, "Next": pageNo + 1}
	if b, err := os.ReadFile(filepath.Join(dir, "web-error.txt")); err == nil {
		data["Error"] = strings.TrimSpace(string(b))
	}
	if sum.Plan != nil && strings.HasPrefix(sum.Plan.Decision, "blocked") {
		data["Blocked"] = strings.TrimPrefix(sum.Plan.Decision, "blocked: ")
	}
	if filepath.Base(filepath.Dir(sum.Input.Path)) == uploadDir {
		data["Checked"] = filepath.Base(runOfUpload(sum.Input.Path)) // where the plan form is
	}
	data["ReplanLabel"] = replanLabel
	if !sum.DryRun {
		s.render(w, "done.html", "Imported: "+filepath.Base(sum.Input.Path), data)
		return
	}
	rows, n, err := readPlan(filepath.Join(dir, pipeline.PlanJSON), (pageNo-1)*perPage, perPage)
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "The plan cannot be read: "+say(err))
		return
	}
	data["Changes"], data["Count"], data["Pages"] = rows, n, max(1, (n+perPage-1)/perPage)
	s.render(w, "plan.html", "The plan: "+filepath.Base(sum.Input.Path), data)
}

// hasRule reports whether a problem of the table is of rule.
func hasRule(path, rule string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 64<<10))
	for {
		var p problem
		if dec.Decode(&p) != nil {
			return false
		}
		if p.Rule == rule {
			return true
		}
	}
}

// readProblems reads the problems matching q (all when ""), skipping the
// first skip and keeping at most n; it returns them and how many match.
func readProblems(path, q string, skip, n int) ([]problem, int, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	} else if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	q = strings.ToLower(q)
	var out []problem
	matched := 0
	dec := json.NewDecoder(bufio.NewReaderSize(f, 64<<10))
	for {
		var p problem
		if err := dec.Decode(&p); err == io.EOF {
			return out, matched, nil
		} else if err != nil {
			return nil, 0, err
		}
		if q != "" && !strings.Contains(strings.ToLower(strings.Join([]string{strconv.Itoa(p.Row), p.Column, p.Value, p.Rule, p.Detail, p.Suggestion}, "\x00")), q) {
			continue
		}
		if matched >= skip && len(out) < n {
			out = append(out, p)
		}
		matched++
	}
}

// sheetFiles are the files of a run folder a page offers to download.
var sheetFiles = []string{report.ErrorsCSV, report.ErrorsXLSX, report.ResultsCSV, report.ResultsXLSX, report.PlanCSV, report.SummaryJSON, mappingFile}

// file downloads one of a run's sheets.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	dir, name := s.runDir(r.PathValue("id")), r.PathValue("name")
	if dir == "" || !slices.Contains(sheetFiles, name) {
		s.fail(w, http.StatusNotFound, "There is no such file.")
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && name == "errors.xlsx" {
		// The errors sheet as a workbook, made from errors.csv when asked:
		// a CSV file's run writes no workbooks.
		if err := csvToXLSX(w, filepath.Join(dir, report.ErrorsCSV)); err != nil {
			s.fail(w, http.StatusNotFound, "There is no errors sheet: "+say(err))
		}
		return
	}
	http.ServeFile(w, r, path)
}

// csvToXLSX writes the CSV sheet at path as a workbook of one sheet.
func csvToXLSX(w http.ResponseWriter, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return err
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	var buf bytes.Buffer
	_, err = report.WriteSheet(&buf, report.XLSX, "Errors", false, func(s report.Sink) (int, error) {
		if err := s.Header(header); err != nil {
			return 0, err
		}
		n := 0
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return n, nil
			} else if err != nil {
				return n, err
			}
			row := make([]any, len(rec))
			for i, v := range rec {
				row[i] = v
			}
			if err := s.Row(row); err != nil {
				return n, err
			}
			n++
		}
	})
	if err != nil {
		return err
	}
	_, err = buf.WriteTo(w)
	return err
}

// fail shows a page that says what went wrong, in words.
// pageWords names an option as the page's control that sets it, where the
// page has one (the columns page's sheet, encoding, header row, date
// format, its "leave it out"; the plan form's options and limits; the
// buttons that finish and re-run a run); the options it has no control
// for, in the library's words.
func pageWords(h remedy.Hint) string {
	switch h.Option {
	case remedy.Sheet:
		return fmt.Sprintf("the sheet %q on the columns page (The workbook's sheet to read)", h.Value)
	case remedy.DateFormat:
		if h.Value != "" {
			return "the columns page's \"Dates such as 03/04/2024 are written\" as " + h.Value
		}
		return "the columns page's \"Dates such as 03/04/2024 are written\""
	case remedy.IgnoreUnknown:
		return "\"leave it out\" for each of them on the columns page"
	case remedy.Encoding:
		return fmt.Sprintf("the columns page's %q set to %s", encodingControl, h.Value)
	case remedy.HeaderRow:
		return fmt.Sprintf("the columns page's %q set to %s", headerRowControl, h.Value)
	case remedy.Rate:
		return fmt.Sprintf("the page's pace (%s, as it was started with)", h.Value)
	case remedy.OnlyFailed:
		return "\"Re-run the failures\" of the run"
	case remedy.Resume:
		return "\"Finish it\" on the Runs page"
	}
	if said, ok := planWords(h); ok {
		return said
	}
	return h.Control()
}

// say is an error's message for a page: the options it names, and the
// remedies it knows of, as the page's controls.
func say(err error) string {
	msg := remedy.Render(err, pageWords)
	for _, h := range pipeline.HintsOf(err) {
		msg += "; " + h.Say(pageWords(h))
	}
	return msg
}

// sayOf is say for an error about the uploaded file at path, which it
// names as the person named it, not by where the page keeps it.
func sayOf(err error, path string) string {
	return strings.ReplaceAll(say(err), path, filepath.Base(path))
}

func (s *Server) fail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	p := page{Site: s.opts.Site, OrgID: s.opts.OrgID, Sandbox: s.opts.Sandbox, CSRF: s.csrf, Title: "Something went wrong", Data: msg}
	s.pages.ExecuteTemplate(w, "error.html", p)
}
