package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// mappingFile is a run's mapping, as the page saves it: a mapping file the
// command line reads as well (--mapping).
const mappingFile = "mapping.json"

// column is a line of the mapping step: a column of the file, the field it
// maps to ("" when none), and the field suggested for it.
type column struct {
	Index             int
	Header, Field     string
	Suggestion, Found string
}

// choice is a field a column may map to.
type choice struct{ ID, Label string }

// readingFile keeps how the page reads an upload: the sheet, the text's
// encoding, the header's row and the date format chosen on the columns
// page.
const readingFile = "reading.json"

// encodings are the encodings the columns page offers for a CSV file, by
// the names the reader takes, and how the page says each.
var encodings = []choice{{"", "UTF-8 (or UTF-16 with a byte-order mark)"}, {"windows-1252", "Windows-1252 (Excel on Windows)"}}

// The columns page's controls of how a file is read, as pageWords names
// them.
const (
	encodingControl  = "The file's text is written in"
	headerRowControl = "The header is on row"
)

// readingForm is how the columns page's request says to read the file:
// its query (the reading form) or its posted form, over what the run
// folder keeps.
func readingForm(dir string, form url.Values) (pipeline.Reading, error) {
	rd := readingOf(dir)
	if form.Has("sheet") {
		rd.Sheet = form.Get("sheet")
	}
	if form.Has("encoding") {
		rd.Encoding = form.Get("encoding")
		if !slices.ContainsFunc(encodings, func(c choice) bool { return c.ID == rd.Encoding }) {
			return rd, fmt.Errorf("%q is not an encoding the page offers: choose UTF-8 or Windows-1252", rd.Encoding)
		}
	}
	if form.Has("header-row") {
		rd.HeaderRow = 0
		if v := strings.TrimSpace(form.Get("header-row")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return rd, fmt.Errorf("%q is not a row number: give the number of the row that holds the header, 1 for the first", v)
			}
			rd.HeaderRow = n
		}
	}
	return rd, nil
}

// headerRowText is a reading's header row as the form and the flag write
// it: "" for the first row with a value.
func headerRowText(rd pipeline.Reading) string {
	if rd.HeaderRow > 0 {
		return strconv.Itoa(rd.HeaderRow)
	}
	return ""
}

// readOptions are the options a run folder's reading reads its file with.
func readOptions(rd pipeline.Reading) pipeline.ReadOptions {
	return pipeline.ReadOptions{Sheet: rd.Sheet, Encoding: rd.Encoding, HeaderRow: rd.HeaderRow}
}

// columns reads the header of the file as opts say (the sheet of a
// workbook, a CSV file's encoding, the header's row) and says how each
// column maps, and the workbook's sheets; ok is false when some column
// maps to nothing, or the workbook has sheets to choose from.
func columns(path string, opts pipeline.ReadOptions) (cols []column, sheets []string, kind mapping.Kind, ok bool, err error) {
	src, err := pipeline.Open(path, opts)
	if err != nil {
		return nil, nil, 0, false, err
	}
	defer src.Close()
	header := src.Header()
	sheets = pipeline.SheetsOf(src)
	kind = mapping.Infer(header, nil)
	ok = len(sheets) < 2
	fields := mapping.FieldsOf(kind)
	for i, h := range header {
		c := column{Index: i, Header: h}
		if f := mapping.Resolve(kind, h); f >= 0 {
			c.Field, c.Found = fields[f].ID, fields[f].Name
		} else if h != "" && h != "error" {
			ok = false
			c.Suggestion = mapping.Suggest(kind, h)
		}
		cols = append(cols, c)
	}
	return cols, sheets, kind, ok, nil
}

// mappingPage shows the columns of an uploaded file and what each maps
// to, with a control to map or leave out each that maps to nothing, and
// the controls of how the file is read (its sheet, its text's encoding,
// the header's row). A file that cannot be read as they say shows why,
// with the controls to read it otherwise.
func (s *Server) mappingPage(w http.ResponseWriter, r *http.Request) {
	dir := s.runDir(r.PathValue("id"))
	path, err := uploaded(dir)
	if dir == "" || err != nil {
		s.fail(w, http.StatusNotFound, "There is no such upload.")
		return
	}
	rd, err := readingForm(dir, r.URL.Query())
	if err != nil {
		s.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	cols, sheets, kind, ok, err := columns(path, readOptions(rd))
	var problem string
	if err != nil {
		problem = sayOf(err, path)
	} else if !ok {
		// A title above the header, or the header on another sheet.
		var says []string
		for _, h := range pipeline.SuggestHeader(path, readOptions(rd), nil) {
			says = append(says, h.Say(pageWords(h)))
		}
		problem = strings.Join(says, "; ")
	}
	var choices []choice
	for _, f := range mapping.FieldsOf(kind) {
		choices = append(choices, choice{f.ID, f.Name + " (" + f.ID + ")"})
	}
	sheet := rd.Sheet
	if sheet == "" && len(sheets) > 0 {
		sheet = sheets[0]
	}
	s.render(w, "mapping.html", "Columns of "+filepath.Base(path), map[string]any{"ID": r.PathValue("id"), "Columns": cols, "Choices": choices, "Kind": kind.String(),
		"Sheets": sheets, "Sheet": sheet, "DateFormats": dateFormats, "DateFormat": rd.DateFormat, "Problem": problem,
		"CSV": strings.EqualFold(filepath.Ext(path), ".csv"), "Encodings": encodings, "Encoding": rd.Encoding, "HeaderRow": headerRowText(rd),
		"EncodingControl": encodingControl, "HeaderRowControl": headerRowControl})
}

// saveMapping saves the columns as the form maps them (a mapping file in
// the run folder) and checks the file with it.
func (s *Server) saveMapping(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	dir := s.runDir(id)
	path, err := uploaded(dir)
	if dir == "" || err != nil {
		s.fail(w, http.StatusNotFound, "There is no such upload.")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, http.StatusBadRequest, "The form did not arrive: send it again.")
		return
	}
	rd, err := readingForm(dir, r.PostForm)
	if err != nil {
		s.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	cols, _, kind, _, err := columns(path, readOptions(rd))
	if err != nil {
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	dateFormat := r.PostForm.Get("date-format")
	if dateFormat != "" && !slices.Contains(dateFormats, dateFormat) {
		s.fail(w, http.StatusBadRequest, fmt.Sprintf("%q is not a date format the page offers: choose one of %s.", dateFormat, strings.Join(dateFormats, ", ")))
		return
	}
	rb, _ := json.Marshal(pipeline.Reading{Sheet: rd.Sheet, Encoding: rd.Encoding, HeaderRow: rd.HeaderRow, DateFormat: dateFormat})
	if err := os.WriteFile(filepath.Join(dir, readingFile), rb, 0o644); err != nil {
		s.fail(w, http.StatusInternalServerError, say(err))
		return
	}
	spec := mapping.Spec{Kind: kind.String(), Columns: map[string]string{}}
	for _, c := range cols {
		switch v := r.PostForm.Get("col" + strconv.Itoa(c.Index)); {
		case c.Field != "" && (v == "" || v == c.Field):
		case v == "" || v == "ignore":
			spec.Ignore = append(spec.Ignore, c.Header)
		default:
			spec.Columns[c.Header] = v
		}
	}
	b, _ := json.MarshalIndent(spec, "", "  ")
	specPath := filepath.Join(dir, mappingFile)
	if err := os.WriteFile(specPath, append(b, '\n'), 0o644); err != nil {
		s.fail(w, http.StatusInternalServerError, say(err))
		return
	}
	for _, name := range []string{report.ResultsCSV, report.ErrorsCSV, report.ResultsXLSX, report.ErrorsXLSX, report.SummaryJSON, problemsFile} {
		os.Remove(filepath.Join(dir, name)) // the check before the mapping
	}
	if err := s.validate(r, path, dir); err != nil {
		s.fail(w, http.StatusBadRequest, say(err))
		return
	}
	http.Redirect(w, r, "/runs/"+id, http.StatusSeeOther)
}

// readingOf is how a run folder's file is read: with the mapping the page
// saved there, if any.
func readingOf(dir string) pipeline.Reading {
	var rd pipeline.Reading
	if b, err := os.ReadFile(filepath.Join(dir, readingFile)); err == nil {
		json.Unmarshal(b, &rd)
	}
	if _, err := os.Stat(filepath.Join(dir, mappingFile)); err == nil {
		rd.Mapping = filepath.Join(dir, mappingFile)
	}
	return pipeline.Reading{Sheet: rd.Sheet, Encoding: rd.Encoding, HeaderRow: rd.HeaderRow, Mapping: rd.Mapping, DateFormat: rd.DateFormat}
}

// dateFormats are the ways of writing a day the page offers, for dates
// such as 03/04/2024 that read two ways.
var dateFormats = []string{"dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "yyyy/MM/dd"}
