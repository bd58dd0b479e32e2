package pipeline

import (
	"archive/zip"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// xlsxSource streams one worksheet of a workbook. excelize's Rows()
// iterator returns values only, and the reader needs each cell's type and
// number format (to give a date cell as an ISO date, to keep text
// "00123" apart from the number 123), so it decodes the sheet XML itself,
// row by row, from the zip; excelize turns serial numbers into dates.
type xlsxSource struct {
	path    string
	file    *os.File
	zr      *zip.Reader
	counted *countingReader // the sheet's XML, for progress
	rc      io.ReadCloser
	dec     *xml.Decoder
	sst     []string
	dateXF  []bool // by style index: a date number format
	// padXF holds, by style index, a number format that pads whole
	// numbers with zeros (a zip code's 00000, 000-00-0000), or "".
	padXF    []string
	date1904 bool
	header   []string
	width    int
	lastLine int
	prevLine int // the last row number accounted for
	done     bool
	sheet    string       // the sheet read
	sheets   []string     // every sheet, the one read first
	others   []otherSheet // the sheets not read
	lines    Lines
}

// otherSheet is a sheet of the workbook that is not read.
type otherSheet struct {
	name, part string
	hidden     bool
}

// sheetsWithValues names the sheets not read that hold a value, the
// hidden ones too when asked.
func (s *xlsxSource) sheetsWithValues(hidden bool) []string {
	var out []string
	for _, o := range s.others {
		if (hidden || !o.hidden) && sheetHasValue(s.zr, o.part) {
			out = append(out, o.name)
		}
	}
	return out
}

// openXLSX reads a workbook from f, which it closes when it fails and
// when the source is closed.
func openXLSX(path string, f *os.File, size int64, opts ReadOptions) (*xlsxSource, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		f.Close()
		return nil, &FileError{Path: path, Err: damaged(err)}
	}
	s := &xlsxSource{path: path, file: f, zr: zr}
	fail := func(err error) (*xlsxSource, error) {
		f.Close()
		return nil, &FileError{Path: path, Err: err}
	}
	sheetPath, err := s.findSheet(opts.Sheet)
	if err != nil {
		return fail(err)
	}
	if s.sst, err = readSharedStrings(zr); err != nil {
		return fail(damaged(fmt.Errorf("its shared strings: %w", err)))
	}
	if s.dateXF, s.padXF, err = readDateStyles(zr); err != nil {
		return fail(damaged(fmt.Errorf("its styles: %w", err)))
	}
	part := zipFile(zr, sheetPath)
	if part == nil {
		return fail(fmt.Errorf("the workbook names sheet %s but does not hold it", sheetPath))
	}
	if s.rc, err = part.Open(); err != nil {
		return fail(damaged(err))
	}
	s.counted = &countingReader{r: s.rc, size: int64(part.UncompressedSize64)}
	s.dec = xml.NewDecoder(s.counted)
	// The header is the first row with a value, or the row asked for.
	for {
		row, err := s.readRow()
		if err == io.EOF {
			var other []string
			if opts.Sheet == "" && opts.HeaderRow <= 1 {
				other = s.sheetsWithValues(true)
			}
			s.Close()
			if opts.HeaderRow > 1 {
				return nil, &FileError{Path: path, Err: fmt.Errorf("sheet %q has no row %d to read the header from", s.sheet, opts.HeaderRow)}
			}
			err := fmt.Errorf("sheet %q is empty: it has no header row", s.sheet)
			if opts.Sheet == "" {
				if len(other) > 0 {
					return nil, &FileError{Path: path, Err: fmt.Errorf("%w; the data may be on sheet %s", err, strings.Join(quoteAll(other), ", ")), Hint: &remedy.Hint{Option: remedy.Sheet, Value: other[0]}}
				}
			}
			return nil, &FileError{Path: path, Err: err}
		}
		if err != nil {
			s.Close()
			return nil, &FileError{Path: path, Err: err}
		}
		s.gap(row.Line)
		if opts.HeaderRow > 0 && row.Line < opts.HeaderRow {
			if isBlank(row.Cells) {
				s.lines.Blank++
			} else {
				s.lines.Above++
			}
			continue
		}
		if isBlank(row.Cells) {
			s.lines.Blank++
			continue
		}
		s.lines.Header = 1
		s.width = len(row.Cells)
		for s.width > 0 && strings.TrimSpace(row.Cells[s.width-1]) == "" {
			s.width--
		}
		s.header = make([]string, s.width)
		for i := range s.header {
			s.header[i] = strings.TrimSpace(row.Cells[i])
		}
		return s, nil
	}
}

// gap counts the rows the sheet leaves out before row line as blank.
func (s *xlsxSource) gap(line int) {
	if missing := line - s.prevLine - 1; missing > 0 {
		s.lines.Blank += missing
	}
	s.prevLine = max(s.prevLine, line)
}

// Lines reports how the sheet's rows read so far were used.
func (s *xlsxSource) Lines() Lines {
	l := s.lines
	l.Read = s.prevLine
	return l
}

// damaged words an error of the zip or XML layer: the workbook is not
// whole.
func damaged(err error) error {
	return &damage{err}
}

type damage struct{ err error }

func (d *damage) Error() string {
	return "the workbook is damaged or incomplete (it may have been cut short while copying or downloading); open it in Excel and save it again"
}
func (d *damage) Unwrap() error { return d.err }

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}

func zipFile(zr *zip.Reader, name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

func decodeZipXML(zr *zip.Reader, name string, v any) (bool, error) {
	f := zipFile(zr, name)
	if f == nil {
		return false, nil
	}
	rc, err := f.Open()
	if err != nil {
		return true, err
	}
	defer rc.Close()
	return true, xml.NewDecoder(rc).Decode(v)
}

// findSheet resolves a sheet name (the first sheet when empty) to its part
// in the zip, through the workbook and its relationships.
func (s *xlsxSource) findSheet(name string) (string, error) {
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string `xml:"name,attr"`
			ID    string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			State string `xml:"state,attr"` // hidden, veryHidden; "" visible
		} `xml:"sheets>sheet"`
	}
	if ok, err := decodeZipXML(s.zr, "xl/workbook.xml", &wb); !ok {
		return "", fmt.Errorf("not an XLSX workbook (it has no xl/workbook.xml)")
	} else if err != nil {
		return "", damaged(err)
	}
	s.date1904 = wb.Pr.Date1904 == "1" || strings.EqualFold(wb.Pr.Date1904, "true")
	if len(wb.Sheets) == 0 {
		return "", errors.New("the workbook has no sheets")
	}
	// The sheet named, or the first visible one (Excel's first tab): a
	// hidden sheet is read only when named.
	hidden := func(i int) bool { return wb.Sheets[i].State == "hidden" || wb.Sheets[i].State == "veryHidden" }
	pick := -1
	var names []string
	for i, sh := range wb.Sheets {
		names = append(names, fmt.Sprintf("%q", sh.Name))
		if name == "" && pick < 0 && !hidden(i) || name != "" && strings.EqualFold(strings.TrimSpace(sh.Name), strings.TrimSpace(name)) {
			pick = i
		}
	}
	if name == "" && pick < 0 {
		pick = 0 // every sheet hidden
	}
	if pick < 0 {
		return "", fmt.Errorf("no sheet named %q; the workbook has %s", name, strings.Join(names, ", "))
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if ok, err := decodeZipXML(s.zr, "xl/_rels/workbook.xml.rels", &rels); !ok || err != nil {
		return "", errors.New("the workbook's relationships (xl/_rels/workbook.xml.rels) are missing")
	}
	partOf := func(i int) string {
		for _, r := range rels.Rels {
			if r.ID == wb.Sheets[i].ID {
				if strings.HasPrefix(r.Target, "/") {
					return strings.TrimPrefix(r.Target, "/")
				}
				return path.Join("xl", r.Target)
			}
		}
		return ""
	}
	s.sheet = wb.Sheets[pick].Name
	s.sheets = []string{s.sheet}
	for i, sh := range wb.Sheets {
		if i != pick {
			s.sheets = append(s.sheets, sh.Name)
			s.others = append(s.others, otherSheet{name: sh.Name, part: partOf(i), hidden: hidden(i)})
		}
	}
	if part := partOf(pick); part != "" {
		return part, nil
	}
	return "", fmt.Errorf("sheet %q has no part in the workbook", wb.Sheets[pick].Name)
}

// sheetHasValue reports whether the sheet part holds a cell with a value
// (a <v> or an inline string), reading no further than the first.
func sheetHasValue(zr *zip.Reader, part string) bool {
	f := zipFile(zr, part)
	if f == nil {
		return false
	}
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	inSheetData := false
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sheetData":
				inSheetData = true
			case "v", "is":
				if inSheetData {
					return true
				}
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				return false
			}
		}
	}
}

// SheetNote says which sheets of a workbook a source did not read, when
// it chose the sheet itself (no sheet was named): the visible sheets
// that hold values, and the hidden ones; "" when there are none, or for
// a CSV file. words names the option to read another.
func SheetNote(src Source, words remedy.Words) string {
	x, ok := src.(*xlsxSource)
	if !ok {
		return ""
	}
	with := x.sheetsWithValues(false)
	var hidden []string
	for _, o := range x.others {
		if o.hidden {
			hidden = append(hidden, o.name)
		}
	}
	var says []string
	if len(with) > 0 {
		says = append(says, fmt.Sprintf("the workbook has other sheets with values (%s), not read", strings.Join(quoteAll(with), ", ")))
	}
	if len(hidden) > 0 {
		says = append(says, fmt.Sprintf("hidden sheet %s not read", strings.Join(quoteAll(hidden), ", ")))
	}
	if len(says) == 0 {
		return ""
	}
	other := cmp.Or(append(with, hidden...)...)
	return fmt.Sprintf("this read sheet %q; %s: to read another, use %s", x.sheet, strings.Join(says, "; "), words.Of(remedy.Of(remedy.Sheet, other)))
}

// readSharedStrings loads the shared string table: the text of each <si>,
// its runs joined, phonetic hints left out.
func readSharedStrings(zr *zip.Reader) ([]string, error) {
	f := zipFile(zr, "xl/sharedStrings.xml")
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var out []string
	var b strings.Builder
	inT, inPh := false, false
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				b.Reset()
			case "t":
				inT = true
			case "rPh":
				inPh = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				out = append(out, b.String())
			case "t":
				inT = false
			case "rPh":
				inPh = false
			}
		case xml.CharData:
			if inT && !inPh {
				b.Write(t)
			}
		}
	}
}

// readDateStyles tells, for each cell style, whether its number format
// shows a date or time.
func readDateStyles(zr *zip.Reader) ([]bool, []string, error) {
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if ok, err := decodeZipXML(zr, "xl/styles.xml", &st); !ok || err != nil {
		return nil, nil, err
	}
	custom := map[int]string{}
	for _, n := range st.NumFmts {
		custom[n.ID] = n.Code
	}
	out := make([]bool, len(st.Xfs))
	var pad []string
	for i, xf := range st.Xfs {
		if code, ok := custom[xf.NumFmtID]; ok {
			out[i] = isDateFormat(code)
			if p := zeroPattern(code); p != "" {
				if pad == nil {
					pad = make([]string, len(st.Xfs))
				}
				pad[i] = p
			}
		} else {
			out[i] = isBuiltinDate(xf.NumFmtID)
		}
	}
	return out, pad, nil
}

// zeroPattern is a number format that shows a whole number padded with
// zeros, with literal separators (00000, 00000-0000, 000-00-0000, as
// Excel's zip code and social security formats), as the digit slots (0)
// and separators it shows; "" for any other format.
func zeroPattern(code string) string {
	var b strings.Builder
	zeros := 0
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == ';':
			i = len(code) // the positive section only
		case c == '0':
			b.WriteByte('0')
			zeros++
		case c == '\\' && i+1 < len(code) && strings.IndexByte("- ()./", code[i+1]) >= 0:
			i++
			b.WriteByte(code[i])
		case c == '"':
			end := strings.IndexByte(code[i+1:], '"')
			if end < 0 || strings.ContainsAny(code[i+1:i+1+end], "0123456789") {
				return ""
			}
			b.WriteString(code[i+1 : i+1+end])
			i += end + 1
		case strings.IndexByte("- ()", c) >= 0:
			b.WriteByte(c)
		default:
			return ""
		}
	}
	if zeros < 2 {
		return ""
	}
	return b.String()
}

// padded shows n as pattern does (see zeroPattern), or "" when n has more
// digits than the pattern has slots.
func padded(pattern string, n int64) string {
	digits := strconv.FormatInt(n, 10)
	slots := strings.Count(pattern, "0")
	if n < 0 || len(digits) > slots {
		return ""
	}
	digits = strings.Repeat("0", slots-len(digits)) + digits
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == '0' {
			b.WriteByte(digits[0])
			digits = digits[1:]
		} else {
			b.WriteByte(pattern[i])
		}
	}
	return b.String()
}

// isBuiltinDate reports the built-in number formats that show dates or
// times (ECMA-376 18.8.30, with the East Asian ones).
func isBuiltinDate(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// isDateFormat reports whether a custom format code shows a date or time:
// a y, m, d, h or s outside quoted text, escapes and [colour] brackets.
func isDateFormat(code string) bool {
	// Only the first section (positive numbers) matters.
	inQuote, inBracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			inQuote = c != '"'
		case inBracket:
			if c == ']' {
				inBracket = false
			} else if strings.ContainsRune("hHmMsS", rune(c)) && i > 0 && code[i-1] == '[' {
				return true // elapsed time: [h], [mm], [ss]
			}
		case c == '"':
			inQuote = true
		case c == '[':
			inBracket = true
		case c == '\\' || c == '_' || c == '*':
			i++
		case c == ';':
			return false
		case strings.IndexByte("yYmMdDhHsS", c) >= 0:
			return true
		}
	}
	return false
}

func (s *xlsxSource) Header() []string { return s.header }
func (s *xlsxSource) Format() string   { return "xlsx" }

func (s *xlsxSource) Close() error {
	if s.rc != nil {
		s.rc.Close()
	}
	return s.file.Close()
}

// Progress reports the bytes of the sheet's XML decoded so far and its
// size.
func (s *xlsxSource) Progress() (int64, int64) { return s.counted.n, s.counted.size }

// SHA256 returns the hex SHA-256 of the workbook file, read through the
// file the source already has open.
func (s *xlsxSource) SHA256() (string, error) {
	st, err := s.file.Stat()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(s.file, 0, st.Size())); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r    io.Reader
	n    int64
	size int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (s *xlsxSource) Next() (Row, error) {
	for {
		if s.done {
			return Row{}, io.EOF
		}
		row, err := s.readRow()
		if err == io.EOF {
			s.done = true
			return Row{}, io.EOF
		}
		if err != nil {
			return Row{}, &FileError{Path: s.path, Err: err}
		}
		s.gap(row.Line)
		if isBlank(row.Cells) {
			s.lines.Blank++
			continue
		}
		s.lines.Rows++
		row.Phys, row.Span, row.End = row.Line, 1, s.counted.n
		if len(row.Cells) > s.width {
			for i := s.width; i < len(row.Cells); i++ {
				if strings.TrimSpace(row.Cells[i]) != "" {
					row.Err = &RowError{Line: row.Line, Index: -1, Column: excelColumn(i), Err: ErrRagged,
						Detail: fmt.Sprintf("has a value (%s) in a column without a header; give the column a header or clear it", validate.Quote(row.Cells[i]))}
					break
				}
			}
			row.Cells, row.Kinds = row.Cells[:s.width], row.Kinds[:s.width]
		}
		for len(row.Cells) < s.width {
			row.Cells = append(row.Cells, "")
			row.Kinds = append(row.Kinds, CellText)
		}
		return row, nil
	}
}

// readRow decodes the next <row> of the sheet.
func (s *xlsxSource) readRow() (Row, error) {
	var row Row
	inRow := false
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			if err == io.EOF {
				if inRow {
					return row, nil
				}
				return row, err
			}
			return row, damaged(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				inRow = true
				row.Line = 0
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						row.Line, _ = strconv.Atoi(a.Value)
					}
				}
			case "c":
				if err := s.readCell(&row, t); err != nil {
					return row, err
				}
			}
		case xml.EndElement:
			if t.Name.Local == "row" {
				if row.Line == 0 {
					row.Line = s.lastLine + 1 // the r attribute is optional
				}
				s.lastLine = row.Line
				return row, nil
			}
			if t.Name.Local == "sheetData" {
				return row, io.EOF
			}
		}
	}
}

// readCell decodes one <c> into the row at its column.
func (s *xlsxSource) readCell(row *Row, start xml.StartElement) error {
	col := len(row.Cells)
	typ, style := "", 0
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "r":
			if c := columnIndex(a.Value); c >= 0 {
				col = c
			}
		case "t":
			typ = a.Value
		case "s":
			style, _ = strconv.Atoi(a.Value)
		}
	}
	var value, inline, formula strings.Builder
	in, hasFormula := "", false
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			return damaged(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			in = t.Name.Local
			hasFormula = hasFormula || in == "f"
		case xml.CharData:
			switch in {
			case "v":
				value.Write(t)
			case "t":
				inline.Write(t)
			case "f":
				formula.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "c" {
				v, kind, err := s.cellValue(typ, style, value.String(), inline.String())
				if err != nil {
					return fmt.Errorf("row %d, %s: %v", row.Line, excelColumn(col), err)
				}
				if hasFormula && value.Len() == 0 && typ != "inlineStr" && row.Err == nil {
					// Read as blank, it would be a value lost in silence.
					row.Err = &RowError{Line: row.Line, Index: -1, Column: excelColumn(col), Err: ErrNoValue,
						Detail: fmt.Sprintf("the cell holds a formula (=%s) and no value saved with it: open the workbook in Excel and save it again, so that its values are saved", formula.String())}
				}
				for len(row.Cells) < col {
					row.Cells = append(row.Cells, "")
					row.Kinds = append(row.Kinds, CellText)
				}
				if col < len(row.Cells) {
					row.Cells[col], row.Kinds[col] = v, kind
				} else {
					row.Cells = append(row.Cells, v)
					row.Kinds = append(row.Kinds, kind)
				}
				return nil
			}
			in = ""
		}
	}
}

func (s *xlsxSource) cellValue(typ string, style int, v, inline string) (string, CellKind, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(s.sst) {
			return "", CellText, fmt.Errorf("shared string %q does not exist", v)
		}
		return s.sst[i], CellText, nil
	case "inlineStr":
		return inline, CellText, nil
	case "str":
		return v, CellText, nil
	case "b":
		if v == "1" {
			return "true", CellBool, nil
		}
		return "false", CellBool, nil
	case "e":
		return v, CellError, nil
	case "d":
		return v, CellDate, nil
	}
	if v == "" {
		return "", CellText, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v, CellText, nil
	}
	if style < len(s.dateXF) && s.dateXF[style] {
		t, err := excelize.ExcelDateToTime(f, s.date1904)
		if err != nil {
			return v, CellNumber, nil
		}
		if f == float64(int64(f)) {
			return t.Format("2006-01-02"), CellDate, nil
		}
		return t.Round(time.Second).Format("2006-01-02T15:04:05"), CellDate, nil
	}
	if f == float64(int64(f)) && f < 1e15 && f > -1e15 {
		if style < len(s.padXF) && s.padXF[style] != "" {
			if shown := padded(s.padXF[style], int64(f)); shown != "" {
				return shown, CellText, nil // as Excel shows it: 01056
			}
		}
		return strconv.FormatInt(int64(f), 10), CellNumber, nil
	}
	return strconv.FormatFloat(f, 'f', -1, 64), CellNumber, nil
}

// columnIndex reads the column of a cell reference such as "AB12" (0 for
// A), or -1.
func columnIndex(ref string) int {
	n := 0
	i := 0
	for ; i < len(ref); i++ {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		n = n*26 + int(c-'A'+1)
	}
	if i == 0 {
		return -1
	}
	return n - 1
}

// excelColumn names a column by its letters: 0 is A, 27 is AB.
func excelColumn(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return "column " + name
}

func isBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// SheetsOf names the sheets of the workbook a source reads, the one it
// reads first; nil for a CSV file.
func SheetsOf(src Source) []string {
	if x, ok := src.(*xlsxSource); ok {
		return x.sheets
	}
	return nil
}
