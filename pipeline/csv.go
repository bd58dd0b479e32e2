package pipeline

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/ilms-bulk/ilms-bulk/internal/fastcsv"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// csvSource reads a CSV file as encoding/csv does (with fastcsv), and
// accounts for every physical line of it: each is the header's, a row's,
// blank, or above the header. A record a stray quote ruined (a quote that
// never closes takes in the lines after it) is cut back to its first line,
// which becomes one unreadable row, and parsing starts again at the next
// line, as if the file had been opened there: no line is lost and none is
// read twice.
type csvSource struct {
	path     string
	f        *os.File
	raw      io.Reader // the file's bytes, through the hash
	hash     hash.Hash
	size     int64
	tape     *tape
	scan     *scanner
	br       *bufio.Reader // the parser's buffer over the tape
	r        records
	delim    rune
	header   []string
	checkUTF bool // the text is UTF-8 and must be checked as such
	cp1252   bool // the text was decoded from Windows-1252
	done     bool

	// The parser is started again after a broken record, so its own line
	// numbers count from lineBase and its offsets from base.
	base      int64 // text offset of the parser's first byte
	lineBase  int   // physical lines before the parser's first line
	recStart  int64 // text offset after the last record read
	nextLine  int   // the parser's number for the line at recStart
	extra     int   // lines after the first of each multi-line record so far
	replayed  int64 // text parsed a second time, after broken records
	lines     Lines
	headerEnd int // the header's last physical line
}

// Progress reports the bytes of text parsed so far and the file's size.
func (s *csvSource) Progress() (int64, int64) { return s.recStart, s.size }

// Lines reports how the physical lines read so far were used.
func (s *csvSource) Lines() Lines {
	l := s.lines
	l.Read = s.tape.lines()
	return l
}

// scanner watches the text as the CSV parser reads it and notes the byte
// ranges holding a NUL byte, invalid UTF-8 (for UTF-8 input) or any
// non-ASCII text (for Windows-1252 input), so that cells are checked one
// by one only in rows that overlap such a range. A multi-byte character
// cut by a chunk boundary looks invalid here; the rows around it are then
// checked cell by cell and pass.
type scanner struct {
	r        io.Reader
	off      int64
	checkUTF bool
	cp1252   bool
	dirty    [][2]int64
	// sawUTF8 is set once valid multi-byte UTF-8 has gone by: a file that
	// holds some is UTF-8, and a bad byte in it is a typo, not a sign
	// that the whole file is in another encoding.
	sawUTF8 bool
}

func (s *scanner) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		chunk := p[:n]
		suspect := bytes.IndexByte(chunk, 0) >= 0
		if s.checkUTF || s.cp1252 {
			if ascii := asciiPrefix(chunk); ascii < len(chunk) {
				switch {
				case s.cp1252:
					suspect = true
				case utf8.Valid(chunk):
					s.sawUTF8 = true
				default:
					suspect = true
					s.sawUTF8 = s.sawUTF8 || hasMultibyte(chunk[ascii:])
				}
			}
		}
		if suspect {
			s.dirty = append(s.dirty, [2]int64{s.off - 4, s.off + int64(n) + 4})
		}
		s.off += int64(n)
	}
	return n, err
}

// hasMultibyte reports whether b holds a valid multi-byte UTF-8 character.
func hasMultibyte(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError && n > 1 {
			return true
		}
		i += max(n, 1)
	}
	return false
}

func asciiPrefix(b []byte) int {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return i
		}
	}
	return len(b)
}

// suspect reports whether bytes [from, to) overlap a noted range, and
// forgets the ranges before from.
func (s *scanner) suspect(from, to int64) bool {
	for len(s.dirty) > 0 && s.dirty[0][1] <= from {
		s.dirty = s.dirty[1:]
	}
	return len(s.dirty) > 0 && s.dirty[0][0] < to
}

// Encodings a CSV file may be read in, by the names --encoding accepts.
var encodingNames = map[string]string{
	"": "utf-8", "utf-8": "utf-8", "utf8": "utf-8",
	"windows-1252": "windows-1252", "cp1252": "windows-1252", "1252": "windows-1252",
}

// openCSV opens a CSV file: UTF-8 with or without a BOM, UTF-16 LE or BE
// with a BOM, or Windows-1252 when asked; the delimiter sniffed from the
// header line among , ; tab and |, unless given.
// It reads f, which it closes when it fails and when the source is closed.
func openCSV(path string, f *os.File, size int64, opts ReadOptions) (*csvSource, error) {
	enc, ok := encodingNames[strings.ToLower(strings.ReplaceAll(strings.TrimSpace(opts.Encoding), "_", "-"))]
	if !ok {
		f.Close()
		return nil, &FileError{Path: path, Err: fmt.Errorf("encoding %q is not supported; use utf-8 (the default, UTF-16 is recognised by its BOM) or windows-1252", opts.Encoding)}
	}
	s := &csvSource{path: path, f: f, size: size, hash: sha256.New()}
	s.raw = io.TeeReader(f, s.hash)
	// br is small: it serves the BOM's peek, and past that a read into
	// the parser's larger buffer goes straight to the file, without a
	// copy through br's.
	br := bufio.NewReaderSize(s.raw, 4<<10)
	bom, _ := br.Peek(3)
	var text io.Reader = br
	switch {
	case bytes.HasPrefix(bom, []byte{0xFF, 0xFE}), bytes.HasPrefix(bom, []byte{0xFE, 0xFF}):
		// A UTF-16 byte-order mark is definite.
		text = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case enc == "windows-1252":
		// Asked for by name, it wins over a UTF-8 BOM, which some tools
		// put before any text; the BOM itself is not text.
		if bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
		text = transform.NewReader(br, charmap.Windows1252.NewDecoder())
		s.cp1252 = true
	default:
		if bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
		s.checkUTF = true
	}
	s.scan = &scanner{r: text, checkUTF: s.checkUTF, cp1252: s.cp1252}
	s.tape = &tape{src: s.scan}
	s.br = bufio.NewReaderSize(s.tape, 64<<10)
	s.delim = opts.Delimiter
	if s.delim == 0 {
		s.delim = sniffDelimiter(s.br)
	}
	s.r = newCSVReader(s.br, s.delim)
	s.nextLine = 1
	if err := s.readHeader(opts.HeaderRow); err != nil {
		f.Close()
		return nil, &FileError{Path: path, Err: err}
	}
	return s, nil
}

// records is what csvSource reads records with: a fastcsv.Reader, or,
// for a delimiter fastcsv does not read, an encoding/csv Reader (the same
// records, slower). ReadInto reads a record into dst's storage.
type records interface {
	ReadInto(dst []string) ([]string, error)
	FieldPos(field int) (line, column int)
	InputOffset() int64
}

// stdRecords is an encoding/csv Reader as records: it reads a record and
// copies its cells into dst.
type stdRecords struct{ *csv.Reader }

func (r stdRecords) ReadInto(dst []string) ([]string, error) {
	rec, err := r.Read()
	return append(dst[:0], rec...), err
}

func newCSVReader(r *bufio.Reader, delim rune) records {
	if fr, err := fastcsv.NewReader(r, delim); err == nil {
		return fr
	}
	cr := csv.NewReader(r)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return stdRecords{cr}
}

// readHeader reads the header: the first record, or the one on
// spreadsheet row headerRow; the records above it are accounted for.
func (s *csvSource) readHeader(headerRow int) error {
	for {
		rec, err := s.r.ReadInto(nil)
		if err == io.EOF {
			if headerRow > 1 {
				return remedy.Errorf("the file has no row %d to read the header from (%s)", headerRow, remedy.Of(remedy.HeaderRow, strconv.Itoa(headerRow)))
			}
			return errors.New("the file is empty: it has no header row")
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("the header row (line %d) cannot be read: %s; fix the quotes in it", s.lineBase+pe.StartLine, quoteProblem(pe))
			}
			return readFailure(err)
		}
		first, last := s.advance(rec)
		phys := s.lineBase + first
		span := last - first + 1
		row := phys - s.extra
		s.extra += span - 1
		if headerRow > 1 && row < headerRow {
			s.lines.Above += span
			continue
		}
		s.header = make([]string, len(rec))
		for i, h := range rec {
			if strings.IndexByte(h, 0) >= 0 {
				return errors.New("the header row holds NUL bytes: the file is binary, or UTF-16 without a byte-order mark")
			}
			if s.checkUTF && !utf8.ValidString(h) {
				return &hinted{errors.New("the header row is not UTF-8 text: the file may have been saved by Excel on Windows"), remedy.Hint{Option: remedy.Encoding, Value: "windows-1252"}}
			}
			if strings.Count(h, "\r") > strings.Count(h, "\r\n") {
				return errors.New("the header row runs into the next line: the file's lines end with a carriage return alone (as old Mac programs wrote them), which CSV does not read; save it again as CSV (comma delimited) from Excel, or convert its line endings to CRLF or LF")
			}
			s.header[i] = strings.TrimSpace(h)
		}
		s.lines.Header = span
		s.headerEnd = phys + span - 1
		return nil
	}
}

// advance notes that the parser read rec: it returns the record's first
// and last line (the parser's numbers), counts the blank lines the parser
// skipped before it, and lets the tape forget the text before the next
// record.
func (s *csvSource) advance(rec []string) (first, last int) {
	first, _ = s.r.FieldPos(0)
	// A quoted newline: the lines up to the last cell's start, and any
	// inside the last cell.
	last, _ = s.r.FieldPos(len(rec) - 1)
	last += strings.Count(rec[len(rec)-1], "\n")
	s.lines.Blank += first - s.nextLine
	s.nextLine = last + 1
	s.moved()
	return first, last
}

// moved lets the tape forget what the parser has parsed.
func (s *csvSource) moved() {
	s.recStart = s.base + s.r.InputOffset()
	pending, _ := s.br.Peek(s.br.Buffered())
	s.tape.keep(s.recStart, pending)
}

// readFailure words an error reading the file itself.
func readFailure(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the file ends in the middle of a character: it is cut short or not text")
	}
	return fmt.Errorf("the file cannot be read: %w", err)
}

// sniffDelimiter counts the candidate delimiters outside quotes on the
// first line and picks the most frequent; a comma when there is none.
func sniffDelimiter(r *bufio.Reader) rune {
	head, _ := r.Peek(64 << 10)
	counts := map[byte]int{}
	inQuote := false
	for _, b := range head {
		if b == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if b == '\n' {
			break
		}
		switch b {
		case ',', ';', '\t', '|':
			counts[b]++
		}
	}
	best, n := byte(','), 0
	for _, c := range []byte{',', ';', '\t', '|'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}

func (s *csvSource) Header() []string { return s.header }
func (s *csvSource) Format() string   { return "csv" }
func (s *csvSource) Close() error     { return s.f.Close() }

// SHA256 returns the hex SHA-256 of the file: of the bytes read, and of
// the rest of the file when it has not been read to its end.
func (s *csvSource) SHA256() (string, error) {
	if _, err := io.Copy(io.Discard, s.raw); err != nil {
		return "", err
	}
	return hex.EncodeToString(s.hash.Sum(nil)), nil
}

func (s *csvSource) Next() (Row, error) { return s.nextInto(nil) }

// nextInto is Next with the cells copied into dst when it has room, so a
// caller that reads in batches allocates no cells per row.
func (s *csvSource) nextInto(dst []string) (Row, error) {
	for {
		if s.done {
			return Row{}, io.EOF
		}
		start := s.recStart
		rec, err := s.r.ReadInto(dst)
		if err == io.EOF {
			s.done = true
			return Row{}, s.finish()
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return Row{}, &FileError{Path: s.path, Err: readFailure(err)}
			}
			return s.broken(pe, start)
		}
		first, last := s.advance(rec)
		phys := s.lineBase + first
		span := last - first + 1
		line := phys - s.extra
		s.extra += span - 1
		if isEmpty(rec) {
			s.lines.Blank += span
			continue
		}
		s.lines.Rows += span
		row := Row{Line: line, Phys: phys, Span: span, Cells: rec, End: s.recStart}
		row.Err = s.check(row, s.scan.suspect(start, s.recStart))
		return row, nil
	}
}

func isEmpty(rec []string) bool {
	for _, c := range rec {
		if c != "" {
			return false
		}
	}
	return true
}

// finish accounts for the blank lines after the last record and checks
// that every line of the file is accounted for.
func (s *csvSource) finish() error {
	read := s.tape.lines()
	s.lines.Blank += read - (s.lineBase + s.nextLine - 1)
	l := s.Lines()
	if l.Header+l.Above+l.Rows+l.Blank != l.Read {
		return &FileError{Path: s.path, Err: fmt.Errorf("the lines of the file do not add up (%d read: %d header, %d above it, %d in rows, %d blank); this is a defect in ilms-bulk, please report it with the file", l.Read, l.Header, l.Above, l.Rows, l.Blank)}
	}
	return io.EOF
}

// broken makes one unreadable row of a record the parser refused, keeping
// the cells of its first line as a person would read them. A record that
// took in more than one line is cut back to its first line, and parsing
// starts again at the line after it.
func (s *csvSource) broken(pe *csv.ParseError, start int64) (Row, error) {
	text := s.tape.kept(start)
	skip := pe.StartLine - s.nextLine // blank lines before the record
	off := 0
	for i := 0; i < skip && text != nil; i++ {
		j := bytes.IndexByte(text[off:], '\n')
		if j < 0 {
			text = nil
			break
		}
		off += j + 1
	}
	phys := s.lineBase + pe.StartLine
	line := phys - s.extra
	if text == nil {
		return Row{}, &FileError{Path: s.path, Err: fmt.Errorf("row %d (line %d): a quote opens a cell that runs on for more than %d MiB; close the quote and read the file again", line, phys, maxKept>>20)}
	}
	s.lines.Blank += skip
	s.lines.Rows++
	first := text[off:]
	end := bytes.IndexByte(first, '\n')
	if end >= 0 {
		first = first[:end]
	}
	first = bytes.TrimSuffix(first, []byte{'\r'})
	cells := splitLine(string(first), s.delim)
	row := Row{Line: line, Phys: phys, Span: 1, Cells: cellTexts(cells), End: s.recStart}
	re := &RowError{Line: line, Err: ErrQuote, Index: -1}
	row.Err = re
	if pe.Line == pe.StartLine || end < 0 {
		// The parser stopped at the end of the record's only line, and
		// goes on from the next.
		s.nextLine = pe.Line + 1
		s.moved()
		re.Index = firstBroken(cells)
		if re.Index < 0 {
			re.Index = cellAt(cells, int(pe.Column)-1)
		}
		re.Column = s.columnName(re.Index)
		switch c := cells[re.Index]; {
		case strings.HasPrefix(c.text, `"`):
			re.Detail = fmt.Sprintf("a quote opened here (%s) does not close just before a delimiter or the end of the line, which makes the row unreadable; remove the stray quote, or put the whole cell in quotes and double each quote inside (\"\")", validate.Quote(c.text))
		default:
			re.Detail = fmt.Sprintf("has a quote in the middle of the cell (%s), which makes the row unreadable; put the whole cell in double quotes and double the quote inside (%s)", validate.Quote(c.text), validate.Quote(`"`+strings.ReplaceAll(c.text, `"`, `""`)+`"`))
		}
		return row, nil
	}
	// The record took in the lines after its first: cut it back and start
	// the parser again at the next line.
	toEnd := s.tape.eof && len(s.tape.replay) == 0 && s.br.Buffered() == 0
	at := start + int64(off+end+1)
	s.replayed += int64(s.tape.rewind(at))
	re.Index = firstBroken(cells)
	re.Column = s.columnName(re.Index)
	if toEnd {
		re.Detail = "a quote opened here never closes: it would take in every line after it, to the end of the file"
	} else {
		re.Detail = fmt.Sprintf("a quote opened here does not close on its line: it would take in the lines after it, to line %d", s.lineBase+pe.Line)
	}
	re.Detail += "; the row is read as this line alone and the lines after it as rows of their own; remove the stray quote, or close it"
	if s.replayed > 2*s.size+64<<20 {
		return Row{}, &FileError{Path: s.path, Err: fmt.Errorf("row %d (line %d): %s; so many quotes in the file fail to close that it cannot be read reliably: fix the quotes and read it again", line, phys, re.Error())}
	}
	s.br = bufio.NewReaderSize(s.tape, 64<<10)
	s.r = newCSVReader(s.br, s.delim)
	s.base, s.recStart, s.lineBase, s.nextLine = at, at, phys, 1
	return row, nil
}

// quoteProblem words a parser's quote error for a person.
func quoteProblem(pe *csv.ParseError) string {
	switch {
	case pe.Line > pe.StartLine:
		return fmt.Sprintf("a quote opened on line %d does not close on its line", pe.StartLine)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("a quote in the middle of a cell (at character %d)", pe.Column)
	}
	return fmt.Sprintf("a quote inside a quoted cell is not doubled (at character %d)", pe.Column)
}

// lineCell is one cell of a line cut as a person reads it.
type lineCell struct {
	text       string
	start, end int  // bytes of the line the cell takes, delimiter excluded
	open       bool // the cell starts with a quote that does not close
	// broken is set when the cell's quotes make it unreadable: it starts
	// with a quote that does not close just before a delimiter or the
	// line's end, or has a quote in the middle of unquoted text.
	broken bool
}

func cellTexts(cells []lineCell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c.text
	}
	return out
}

// splitLine cuts one physical line into cells when its quotes are broken:
// a cell in quotes that close before a delimiter or the line's end loses
// its quotes (and "" inside becomes "); any other quote is kept as it is,
// so the person who fixes the row sees what they typed.
func splitLine(line string, delim rune) []lineCell {
	d := string(delim)
	var cells []lineCell
	for i := 0; ; {
		c := lineCell{start: i}
		rest := line[i:]
		if strings.HasPrefix(rest, `"`) {
			if j, ok := closingQuote(rest); ok && (j+1 == len(rest) || strings.HasPrefix(rest[j+1:], d)) {
				c.text = strings.ReplaceAll(rest[1:j], `""`, `"`)
				c.end = i + j + 1
			} else {
				c.open = !ok
			}
		}
		if c.end == 0 {
			c.broken = strings.Contains(rest[:max(0, indexOr(rest, d))], `"`)
			k := strings.Index(rest, d)
			if c.open || k < 0 {
				if c.open && k >= 0 {
					// An open quote: the cell runs to the next delimiter.
					c.end = i + k
				} else {
					c.end = len(line)
				}
			} else {
				c.end = i + k
			}
			c.text = line[i:c.end]
		}
		cells = append(cells, c)
		if c.end >= len(line) {
			return cells
		}
		i = c.end + len(d)
	}
}

// indexOr returns the index of sep in s, or len(s).
func indexOr(s, sep string) int {
	if i := strings.Index(s, sep); i >= 0 {
		return i
	}
	return len(s)
}

// closingQuote finds the quote that closes a cell starting with one, past
// doubled quotes.
func closingQuote(s string) (int, bool) {
	for j := 1; j < len(s); j++ {
		if s[j] != '"' {
			continue
		}
		if j+1 < len(s) && s[j+1] == '"' {
			j++
			continue
		}
		return j, true
	}
	return 0, false
}

// cellAt returns the cell that byte i of the line falls in.
func cellAt(cells []lineCell, i int) int {
	for k, c := range cells {
		if i < c.end || k == len(cells)-1 {
			return k
		}
	}
	return -1
}

// firstBroken returns the first cell whose quotes make it unreadable, or
// -1.
func firstBroken(cells []lineCell) int {
	for k, c := range cells {
		if c.broken {
			return k
		}
	}
	return -1
}

// check finds what makes a row unreadable as it stands; the cells are
// searched for NUL bytes and bad text only when the scanner suspects them.
func (s *csvSource) check(row Row, suspect bool) error {
	for i, c := range row.Cells {
		if !suspect {
			break
		}
		if strings.IndexByte(c, 0) >= 0 {
			return &RowError{Line: row.Line, Column: s.columnName(i), Index: i, Err: ErrNUL, Detail: "holds a NUL byte; the file may be binary, or UTF-16 without a byte-order mark"}
		}
		if s.checkUTF && !utf8.ValidString(c) {
			return s.notUTF8(row, i, c)
		}
		if s.cp1252 {
			if u := mojibake(c); u != "" {
				return &RowError{Line: row.Line, Column: s.columnName(i), Index: i, Err: ErrEncoding,
					Detail: fmt.Sprintf("holds UTF-8 text (%s), which reads as %s in Windows-1252: the file mixes two encodings; retype the cell, or read the file as UTF-8 and fix the rows that are not", validate.Quote(u), validate.Quote(c))}
			}
		}
	}
	if n := len(row.Cells); n != len(s.header) {
		extraBlank := n > len(s.header)
		for _, c := range row.Cells[min(n, len(s.header)):] {
			if strings.TrimSpace(c) != "" {
				extraBlank = false
			}
		}
		if !extraBlank {
			return &RowError{Line: row.Line, Index: -1, Err: ErrRagged, Detail: fmt.Sprintf("has %d cells but the header has %d columns; a delimiter is missing or extra, or a cell with a delimiter is not quoted", n, len(s.header))}
		}
	}
	return nil
}

// notUTF8 explains a cell that is not UTF-8: the first bad byte and where
// it is, and the fix. When the file has shown UTF-8 text, the byte is a
// typo to fix; otherwise the file is likely Windows-1252, which the hint
// names.
func (s *csvSource) notUTF8(row Row, i int, c string) error {
	at := 0
	for at < len(c) {
		r, n := utf8.DecodeRuneInString(c[at:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		at += n
	}
	b := c[at]
	as1252, _ := charmap.Windows1252.NewDecoder().String(c[at : at+1])
	re := &RowError{Line: row.Line, Column: s.columnName(i), Index: i, Err: ErrEncoding}
	where := fmt.Sprintf("byte 0x%02X at character %d of %s", b, utf8.RuneCountInString(c[:at])+1, validate.Quote(strings.ToValidUTF8(c, "\uFFFD")))
	if s.scan.sawUTF8 {
		re.Detail = fmt.Sprintf("is not UTF-8 text (%s), though the rest of the file is; retype that character (in Windows-1252 it is %q)", where, as1252)
		return re
	}
	re.Detail = fmt.Sprintf("is not UTF-8 text (%s, %q in Windows-1252): the file may have been saved by Excel on Windows", where, as1252)
	re.Hint = &remedy.Hint{Option: remedy.Encoding, Value: "windows-1252"}
	return re
}

// mojibake returns the UTF-8 text a Windows-1252 cell was written in, when
// its bytes are valid multi-byte UTF-8 (José read as JosÃ©); "" otherwise.
func mojibake(c string) string {
	if asciiPrefix([]byte(c)) == len(c) {
		return ""
	}
	raw, err := charmap.Windows1252.NewEncoder().String(c)
	if err != nil || !utf8.ValidString(raw) || raw == c {
		return ""
	}
	return raw
}

// columnName names column i (0-based) by its header and position:
// `column 2 "Last Name"`.
func (s *csvSource) columnName(i int) string {
	if i < 0 {
		return ""
	}
	if i < len(s.header) && s.header[i] != "" {
		return s.header[i]
	}
	return ""
}
