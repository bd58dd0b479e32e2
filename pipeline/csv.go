package pipeline

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

type csvSource struct {
	path   string
	f      *os.File
	r      *csv.Reader
	header []string
	// extra counts the physical lines taken by newlines inside quoted
	// fields so far: a spreadsheet shows such a record as one row.
	extra    int
	checkUTF bool
	done     bool
	scan     *scanner
	rowStart int64
	size     int64
}

// Progress reports the bytes of text parsed so far and the file's size.
func (s *csvSource) Progress() (int64, int64) { return s.rowStart, s.size }

// scanner watches the text as the CSV parser reads it and notes the byte
// ranges holding a NUL byte or, for UTF-8 input, invalid UTF-8, so that
// cells are checked one by one only in rows that overlap such a range.
// A multi-byte character cut by a chunk boundary looks invalid here; the
// rows around it are then checked cell by cell and pass.
type scanner struct {
	r        io.Reader
	off      int64
	checkUTF bool
	dirty    [][2]int64
}

func (s *scanner) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		chunk := p[:n]
		if bytes.IndexByte(chunk, 0) >= 0 || s.checkUTF && !utf8.Valid(chunk) {
			s.dirty = append(s.dirty, [2]int64{s.off - 4, s.off + int64(n) + 4})
		}
		s.off += int64(n)
	}
	return n, err
}

// suspect reports whether bytes [from, to) overlap a noted range, and
// forgets the ranges before from.
func (s *scanner) suspect(from, to int64) bool {
	for len(s.dirty) > 0 && s.dirty[0][1] <= from {
		s.dirty = s.dirty[1:]
	}
	return len(s.dirty) > 0 && s.dirty[0][0] < to
}

// openCSV opens a CSV file: UTF-8 with or without a BOM, UTF-16 LE or BE
// with a BOM, or Windows-1252 when asked; the delimiter sniffed from the
// header line among , ; tab and |, unless given.
func openCSV(path string, opts ReadOptions) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{path, err}
	}
	s := &csvSource{path: path, f: f}
	if st, err := f.Stat(); err == nil {
		s.size = st.Size()
	}
	br := bufio.NewReaderSize(f, 64<<10)
	bom, _ := br.Peek(3)
	var text io.Reader = br
	enc := strings.ToLower(strings.ReplaceAll(opts.Encoding, "_", "-"))
	switch enc {
	case "", "utf-8", "utf8", "windows-1252", "cp1252", "1252":
	default:
		f.Close()
		return nil, &FileError{path, fmt.Errorf("encoding %q is not supported; use utf-8 (the default, UTF-16 is recognised by its BOM) or windows-1252", opts.Encoding)}
	}
	// A byte-order mark is definite; it wins over --encoding.
	switch {
	case bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		s.checkUTF = true
	case bytes.HasPrefix(bom, []byte{0xFF, 0xFE}), bytes.HasPrefix(bom, []byte{0xFE, 0xFF}):
		text = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case enc == "windows-1252" || enc == "cp1252" || enc == "1252":
		text = transform.NewReader(br, charmap.Windows1252.NewDecoder())
	default:
		s.checkUTF = true
	}
	s.scan = &scanner{r: text, checkUTF: s.checkUTF}
	tr := bufio.NewReaderSize(s.scan, 64<<10)
	delim := opts.Delimiter
	if delim == 0 {
		delim = sniffDelimiter(tr)
	}
	r := csv.NewReader(tr)
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	s.r = r
	header, err := r.Read()
	switch {
	case err == io.EOF:
		f.Close()
		return nil, &FileError{path, errors.New("the file is empty: it has no header row")}
	case err != nil:
		f.Close()
		return nil, &FileError{path, fmt.Errorf("the header row cannot be read: %v", err)}
	}
	s.header = make([]string, len(header))
	for i, h := range header {
		if strings.IndexByte(h, 0) >= 0 {
			f.Close()
			return nil, &FileError{path, errors.New("the header row holds NUL bytes: the file is binary, or UTF-16 without a byte-order mark")}
		}
		if s.checkUTF && !utf8.ValidString(h) {
			f.Close()
			return nil, &FileError{path, errors.New("the header row is not UTF-8 text; if the file was saved by Excel on Windows, use --encoding windows-1252")}
		}
		s.header[i] = strings.TrimSpace(h)
		s.extra += strings.Count(h, "\n")
	}
	s.rowStart = r.InputOffset()
	return s, nil
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

func (s *csvSource) Next() (Row, error) { return s.nextInto(nil) }

// nextInto is Next with the cells copied into dst when it has room, so a
// caller that reads in batches allocates no cells per row.
func (s *csvSource) nextInto(dst []string) (Row, error) {
	for {
		if s.done {
			return Row{}, io.EOF
		}
		rec, err := s.r.Read()
		start := s.rowStart
		s.rowStart = s.r.InputOffset()
		if err == io.EOF {
			s.done = true
			return Row{}, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return Row{}, &FileError{s.path, err}
			}
			line := pe.StartLine - s.extra
			s.extra += pe.Line - pe.StartLine
			if errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine {
				// A quote that never closes swallowed the rest of the file.
				s.done = true
				return Row{Line: line, Err: &RowError{Line: line, Err: ErrQuote, Detail: fmt.Sprintf("a quoted cell opened on this row never closes, so the rest of the file (physical lines %d to %d) could not be read; close the quote and import again", pe.StartLine, pe.Line)}}, nil
			}
			return Row{Line: line, Err: &RowError{Line: line, Err: ErrQuote, Detail: fmt.Sprintf("a quote in the middle of a cell (column %d) makes the row unreadable; put the cell in double quotes and double the quote inside (\"\")", pe.Column)}}, nil
		}
		startLine, _ := s.r.FieldPos(0)
		line := startLine - s.extra
		// Newlines inside quoted cells: the lines between the first and
		// the last cell's start, and any inside the last cell.
		lastLine, _ := s.r.FieldPos(len(rec) - 1)
		s.extra += lastLine - startLine + strings.Count(rec[len(rec)-1], "\n")
		blank := true
		for _, c := range rec {
			if c != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		row := Row{Line: line, Cells: append(dst[:0], rec...)}
		row.Err = s.check(row, s.scan.suspect(start, s.rowStart))
		return row, nil
	}
}

// check finds what makes a row unreadable as it stands; the cells are
// searched for NUL bytes and bad text only when the scanner suspects them.
func (s *csvSource) check(row Row, suspect bool) error {
	for i, c := range row.Cells {
		if !suspect {
			break
		}
		if strings.IndexByte(c, 0) >= 0 {
			return &RowError{Line: row.Line, Column: s.column(i), Err: ErrNUL, Detail: "holds a NUL byte; the file may be binary, or UTF-16 without a byte-order mark"}
		}
		if s.checkUTF && !utf8.ValidString(c) {
			return &RowError{Line: row.Line, Column: s.column(i), Err: ErrEncoding, Detail: "is not UTF-8 text; if the file was saved by Excel on Windows, read it with --encoding windows-1252"}
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
			return &RowError{Line: row.Line, Err: ErrRagged, Detail: fmt.Sprintf("has %d cells but the header has %d columns; a delimiter is missing or extra, or a cell with a delimiter is not quoted", n, len(s.header))}
		}
	}
	return nil
}

func (s *csvSource) column(i int) string {
	if i < len(s.header) {
		return s.header[i]
	}
	return fmt.Sprintf("column %d", i+1)
}
