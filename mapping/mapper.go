package mapping

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/internal/files"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Spec is a mapping file (JSON): how the columns of a file that does not
// use iLMS's names map to fields, and how its values translate.
//
//	{
//	  "kind": "users",
//	  "columns":   {"Work Email": "F015", "Dept": "Department"},
//	  "ignore":    ["Notes"],
//	  "values":    {"Country": {"USA": "US"}, "Status": {"Y": "active", "N": "inactive"}},
//	  "defaults":  {"User Language": "English"},
//	  "constants": {"Region": "North America"}
//	}
//
// Fields are named as in a header: by code (F015), by the document's name
// (Email ID) or by an alias (Email). Column names and values are compared
// without regard to case or surrounding spaces. A default fills a blank
// cell (or every row, when the file has no such column); a constant gives
// a field the file has no column for.
type Spec struct {
	Kind      string                       `json:"kind,omitempty"`
	Columns   map[string]string            `json:"columns,omitempty"`
	Ignore    []string                     `json:"ignore,omitempty"`
	Values    map[string]map[string]string `json:"values,omitempty"`
	Defaults  map[string]string            `json:"defaults,omitempty"`
	Constants map[string]string            `json:"constants,omitempty"`
	// Only, when set, are the fields (by ID) read: the columns of any
	// other are ignored, with a note (import leavers reads the keys).
	Only []string `json:"only,omitempty"`
}

// LoadSpec reads a mapping file; an unknown key is an error, so that a
// misspelt "colums" is not silently ignored.
func LoadSpec(path string) (*Spec, error) {
	var s Spec
	if err := files.ReadJSON(path, &s); err != nil {
		return nil, fmt.Errorf("mapping file: %w", err)
	}
	return &s, nil
}

// HeaderProblem is one thing wrong with a header row.
type HeaderProblem struct {
	Column     string // as the file writes it ("" for a mapping-file entry)
	Index      int    // 0-based column, -1 for a mapping-file entry
	Detail     string
	Suggestion string
	// said, when the detail names options, is the detail as a Text
	// that words them for a front door.
	said remedy.Text
}

func (p HeaderProblem) String() string { return p.In(nil) }

// In writes the problem with the options it names in w's words.
func (p HeaderProblem) In(w remedy.Words) string {
	var b strings.Builder
	if p.Index >= 0 {
		fmt.Fprintf(&b, "column %d %s: ", p.Index+1, validate.Quote(p.Column))
	}
	if p.said.IsZero() {
		b.WriteString(p.Detail)
	} else {
		b.WriteString(p.said.In(w))
	}
	if p.Suggestion != "" {
		fmt.Fprintf(&b, "; did you mean %s?", p.Suggestion)
	}
	return b.String()
}

// HeaderError is a header row (with its mapping file) that cannot be
// mapped: unknown columns, two columns for one field, mapping-file entries
// naming no field.
type HeaderError struct {
	Kind     Kind
	Problems []HeaderProblem
}

// Input marks the error as input that cannot be read: nothing was sent.
func (e *HeaderError) Input() bool { return true }

func (e *HeaderError) Error() string { return e.In(nil) }

// In writes the error, one problem a line, the options it names in w's
// words.
func (e *HeaderError) In(w remedy.Words) string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.In(w)
	}
	return fmt.Sprintf("the header row does not fit a %s file:\n  %s", e.Kind, strings.Join(lines, "\n  "))
}

// Record is one row's values by field.
type Record struct {
	Values []string
	// Given tells whether the file gives the field at all: a column, a
	// default or a constant. A blank cell in a given column is "".
	Given []bool
}

// Mapper turns rows of one file into records.
type Mapper struct {
	kind       Kind
	fields     []Field
	header     []string
	fieldCol   []int
	valueMaps  []map[string]string
	defaults   []string
	hasDefault []bool
	constants  []string
	hasConst   []bool
	// Notes are what the user should know about the header: columns
	// ignored, read-only columns not imported.
	Notes []string

	// What Map does for every row, worked out once.
	cols        []colField // fields read from a column
	base        []string   // every field's value before a row's cells: constants and defaults
	baseGiven   []bool     // the fields a row gives: by a column, a constant or a default
	fillBlanks  []int      // fields whose blank cells take the default
	translating []int      // fields with a value map
}

type colField struct{ col, field int }

// errorColumn is the column ilms-bulk adds to an errors sheet.
const errorColumn = "error"

// readOnly fields are exported by iLMS but cannot be written.
var readOnly = map[string]bool{"F031": true, "F032": true}

// New maps a header row for a kind of file. With ignoreUnknown, unknown
// columns are noted and left out instead of failing the file.
func New(kind Kind, header []string, spec *Spec, ignoreUnknown bool) (*Mapper, error) {
	if spec == nil {
		spec = &Spec{}
	}
	fields := FieldsOf(kind)
	m := &Mapper{
		kind: kind, fields: fields, header: header,
		fieldCol: make([]int, len(fields)), valueMaps: make([]map[string]string, len(fields)),
		defaults: make([]string, len(fields)), hasDefault: make([]bool, len(fields)),
		constants: make([]string, len(fields)), hasConst: make([]bool, len(fields)),
	}
	for i := range m.fieldCol {
		m.fieldCol[i] = -1
	}
	var problems []HeaderProblem
	renames := map[string]string{}
	for from, to := range spec.Columns {
		renames[normalize(from)] = to
	}
	ignored := map[string]bool{}
	for _, c := range spec.Ignore {
		ignored[normalize(c)] = true
	}
	var readOnlyCols, notRead []string
	for col, name := range header {
		key := normalize(name)
		f := -1
		switch to, renamed := renames[key]; {
		case ignored[key]:
			m.Notes = append(m.Notes, fmt.Sprintf("column %s is ignored, as the mapping file says", validate.Quote(name)))
			continue
		case key == errorColumn && Resolve(kind, name) < 0:
			// The error column of an errors sheet being imported again.
			m.Notes = append(m.Notes, fmt.Sprintf("column %q (an errors sheet's messages) is ignored", name))
			continue
		case renamed:
			if f = Resolve(kind, to); f < 0 {
				problems = append(problems, HeaderProblem{Column: name, Index: col, Detail: fmt.Sprintf("the mapping file maps it to %q, which is not a field of a %s file", to, kind), Suggestion: quoted(Suggest(kind, to))})
				continue
			}
		case key == "":
			if ignoreUnknown {
				m.Notes = append(m.Notes, fmt.Sprintf("column %d has no header and is ignored", col+1))
				continue
			}
			problems = append(problems, HeaderProblem{Column: name, Index: col, Detail: "has no header; name it, or delete the column"})
			continue
		default:
			if f = Resolve(kind, name); f < 0 {
				if ignoreUnknown {
					m.Notes = append(m.Notes, fmt.Sprintf("column %s is not a field of a %s file and is ignored", validate.Quote(name), kind))
					continue
				}
				said := remedy.Sprintf("is not a field of a %s file (rename it, map it in a mapping file, or pass %s)", kind, remedy.Of(remedy.IgnoreUnknown))
				problems = append(problems, HeaderProblem{Column: name, Index: col, Detail: said.String(), said: said, Suggestion: quoted(Suggest(kind, name))})
				continue
			}
		}
		if len(spec.Only) > 0 && !slices.Contains(spec.Only, fields[f].ID) {
			notRead = append(notRead, validate.Quote(name))
			continue
		}
		if prev := m.fieldCol[f]; prev >= 0 {
			problems = append(problems, HeaderProblem{Column: name, Index: col, Detail: fmt.Sprintf("maps to %s, as column %d %q does; keep one of them", describe(fields[f]), prev+1, header[prev])})
			continue
		}
		if readOnly[fields[f].ID] {
			readOnlyCols = append(readOnlyCols, validate.Quote(name))
			continue
		}
		m.fieldCol[f] = col
	}
	switch len(notRead) {
	case 0:
	case 1:
		m.Notes = append(m.Notes, fmt.Sprintf("column %s is not read: only who each row is matters here", notRead[0]))
	default:
		m.Notes = append(m.Notes, fmt.Sprintf("columns %s are not read: only who each row is matters here", strings.Join(notRead, ", ")))
	}
	if len(readOnlyCols) > 0 {
		m.Notes = append(m.Notes, fmt.Sprintf("columns %s are read only in iLMS and are not imported", strings.Join(readOnlyCols, ", ")))
	}
	entry := func(section, ref string) int {
		f := Resolve(kind, ref)
		if f < 0 {
			problems = append(problems, HeaderProblem{Index: -1, Detail: fmt.Sprintf("mapping file %s: %q is not a field of a %s file", section, ref, kind), Suggestion: quoted(Suggest(kind, ref))})
		}
		return f
	}
	for ref, vm := range spec.Values {
		if f := entry("values", ref); f >= 0 {
			m.valueMaps[f] = map[string]string{}
			for from, to := range vm {
				m.valueMaps[f][valueKey(from)] = to
			}
		}
	}
	for ref, v := range spec.Defaults {
		if f := entry("defaults", ref); f >= 0 {
			m.defaults[f], m.hasDefault[f] = v, true
		}
	}
	for ref, v := range spec.Constants {
		if f := entry("constants", ref); f >= 0 {
			if col := m.fieldCol[f]; col >= 0 {
				problems = append(problems, HeaderProblem{Index: -1, Detail: fmt.Sprintf("mapping file constants: %s is also column %d %q; use a default to fill blanks, or drop the column", describe(fields[f]), col+1, header[col])})
				continue
			}
			m.constants[f], m.hasConst[f] = v, true
		}
	}
	if len(problems) > 0 {
		return nil, &HeaderError{Kind: kind, Problems: problems}
	}
	m.prepare()
	return m, nil
}

func (m *Mapper) prepare() {
	m.base, m.baseGiven = make([]string, len(m.fields)), make([]bool, len(m.fields))
	for f := range m.fields {
		switch {
		case m.fieldCol[f] >= 0:
			m.cols = append(m.cols, colField{m.fieldCol[f], f})
			m.baseGiven[f] = true
			if m.hasDefault[f] {
				m.fillBlanks = append(m.fillBlanks, f)
			}
		case m.hasConst[f]:
			m.base[f], m.baseGiven[f] = m.constants[f], true
		case m.hasDefault[f]:
			m.base[f], m.baseGiven[f] = m.defaults[f], true
		}
		if m.valueMaps[f] != nil {
			m.translating = append(m.translating, f)
		}
	}
}

func quoted(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf("%q", s)
}

func describe(f Field) string {
	if f.Name != f.ID {
		return fmt.Sprintf("%s (%s)", f.Name, f.ID)
	}
	return f.Name
}

func valueKey(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

// Kind returns the kind of file the mapper reads.
func (m *Mapper) Kind() Kind { return m.kind }

// Fields returns the fields of the records, in order.
func (m *Mapper) Fields() []Field { return m.fields }

// Header returns the file's header row.
func (m *Mapper) Header() []string { return m.header }

// Index returns the position of a field by ID in the records, or -1.
func (m *Mapper) Index(id string) int {
	for i, f := range m.fields {
		if f.ID == id {
			return i
		}
	}
	return -1
}

// Has reports whether the file gives a field (column, default or
// constant).
func (m *Mapper) Has(id string) bool {
	i := m.Index(id)
	return i >= 0 && (m.fieldCol[i] >= 0 || m.hasDefault[i] || m.hasConst[i])
}

// Mapped counts the columns of the file that map to a field.
func (m *Mapper) Mapped() int {
	n := 0
	for _, c := range m.fieldCol {
		if c >= 0 {
			n++
		}
	}
	return n
}

// ColumnOf returns the column a field comes from, or -1.
func (m *Mapper) ColumnOf(id string) int {
	if i := m.Index(id); i >= 0 {
		return m.fieldCol[i]
	}
	return -1
}

// Column names a field as the user knows it: the header of its column,
// else the field's name.
func (m *Mapper) Column(id string) string {
	i := m.Index(id)
	if i < 0 {
		return id
	}
	if c := m.fieldCol[i]; c >= 0 {
		return m.header[c]
	}
	return m.fields[i].Name
}

// NewRecord returns an empty record sized for the mapper's fields.
func (m *Mapper) NewRecord() *Record {
	return &Record{Values: make([]string, len(m.fields)), Given: make([]bool, len(m.fields))}
}

// Map fills rec from a row's cells: the cell of each field's column
// (blank cells take the default), translated by the value map, or the
// field's constant.
func (m *Mapper) Map(cells []string, rec *Record) {
	// Every field at once from the base (a column's is given, and its
	// value is the cell's below): one copy, not a store a field.
	copy(rec.Values, m.base)
	copy(rec.Given, m.baseGiven)
	for _, cf := range m.cols {
		v := ""
		if cf.col < len(cells) {
			v = cells[cf.col]
			if len(v) > 1 && v[0] == '\'' {
				v = unneutralize(v)
			}
		}
		rec.Values[cf.field] = v
	}
	for _, f := range m.fillBlanks {
		if strings.TrimSpace(rec.Values[f]) == "" {
			rec.Values[f] = m.defaults[f]
		}
	}
	for _, f := range m.translating {
		if v := rec.Values[f]; v != "" {
			if to, ok := m.valueMaps[f][valueKey(v)]; ok {
				rec.Values[f] = to
			}
		}
	}
}

// unneutralize undoes the leading apostrophe that ilms-bulk's own sheets
// put before a value starting with = + - @, a tab or a carriage return, so
// that a spreadsheet never runs it as a formula; an errors sheet imports
// as it was.
func unneutralize(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.IndexByte("=+-@\t\r", v[1]) >= 0 {
		return v[1:]
	}
	return v
}

// Infer guesses the kind of a file from its header: a course, curriculum
// or session column makes it an enrollments file, or a transcripts file if
// it also has a status, score, requirement type or a date; a users file
// otherwise.
func Infer(header []string, spec *Spec) Kind {
	if spec != nil && spec.Kind != "" {
		if k, err := ParseKind(spec.Kind); err == nil {
			return k
		}
	}
	names := append([]string(nil), header...)
	if spec != nil {
		for i, h := range names {
			if to, ok := spec.Columns[h]; ok {
				names[i] = to
			}
		}
	}
	target, transcript := false, false
	for _, h := range names {
		if f := Resolve(Enrollments, h); f >= 0 {
			switch enrollmentFields[f].ID {
			case Course, CourseName, Curriculum, CurriculumName, Session:
				target = true
			}
		}
		if f := Resolve(Transcripts, h); f >= 0 {
			switch id := transcriptFields[f].ID; id {
			case Status, Score, RequirementType, "EnrollmentDate", "StartDate", "DueDate", "CompletionDate", "LicenseExpirationDate", "CertificationExpirationDate":
				transcript = true
			}
		}
	}
	switch {
	case target && transcript:
		return Transcripts
	case target:
		return Enrollments
	}
	return Users
}

// HeaderLike reports whether a row reads as a header: at least two of its
// cells name fields (of any kind of file, or through the mapping file's
// renames), and they are at least half of the cells with a value.
func HeaderLike(row []string, spec *Spec) bool {
	named, filled := 0, 0
	for _, c := range row {
		if strings.TrimSpace(c) == "" {
			continue
		}
		filled++
		if spec != nil {
			if _, ok := spec.Columns[c]; ok {
				named++
				continue
			}
		}
		for _, k := range []Kind{Users, Enrollments, Transcripts} {
			if Resolve(k, c) >= 0 {
				named++
				break
			}
		}
	}
	return named >= 2 && 2*named >= filled
}
