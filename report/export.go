package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"time"

	"github.com/gocarina/gocsv"
	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/ilms"
)

// Date is a date cell of an export: yyyy-MM-ddTHH:mm:ss in CSV, a date in
// XLSX; blank when the API said null. A date the API gave as profile text
// keeps that text in CSV.
type Date struct {
	t   *ilms.Date
	raw string
}

// DateText is a date given as text (a profile field): a date cell in XLSX
// when it reads as one, the text itself otherwise and in CSV.
func DateText(s string) Date {
	d := Date{raw: s}
	if t, err := ilms.ParseDate(s); err == nil && !t.IsZero() {
		d.t = &t
	}
	return d
}

// DateOf wraps a nullable API date.
func DateOf(d *ilms.Date) Date {
	if d == nil || d.IsZero() {
		return Date{}
	}
	return Date{t: d}
}

// MarshalCSV implements gocsv's TypeMarshaller.
func (d Date) MarshalCSV() (string, error) {
	if d.raw != "" {
		return Neutralize(d.raw), nil
	}
	if d.t == nil {
		return "", nil
	}
	return d.t.String(), nil
}

// Int is a number cell that may be blank (a score the API gave as null).
type Int struct {
	n  int
	ok bool
}

// IntOf wraps a nullable API number.
func IntOf(p *int) Int {
	if p == nil {
		return Int{}
	}
	return Int{*p, true}
}

// MarshalCSV implements gocsv's TypeMarshaller.
func (i Int) MarshalCSV() (string, error) {
	if !i.ok {
		return "", nil
	}
	return strconv.Itoa(i.n), nil
}

// MarshalCSV implements gocsv's TypeMarshaller: user data is neutralized.
func (c Cell) MarshalCSV() (string, error) { return Neutralize(string(c)), nil }

// Sink receives the rows of an export: a header, then rows of values
// (strings, Cells, numbers, Dates), streamed.
type Sink interface {
	Header(cols []string) error
	Row(values []any) error
	Close() error
}

// CSVSink writes an export as CSV, with a byte-order mark when bom (Excel
// then reads UTF-8). Every value is neutralized.
type CSVSink struct {
	bw  *bufio.Writer
	w   *csv.Writer
	rec []string
}

// NewCSVSink writes to w.
func NewCSVSink(w io.Writer, bom bool) *CSVSink {
	bw := bufio.NewWriterSize(w, bufSize)
	if bom {
		bw.WriteString("\ufeff")
	}
	return &CSVSink{bw: bw, w: csv.NewWriter(bw)}
}

// Header writes the header row.
func (s *CSVSink) Header(cols []string) error { return s.w.Write(cols) }

// Row writes a row.
func (s *CSVSink) Row(values []any) error {
	s.rec = s.rec[:0]
	for _, v := range values {
		s.rec = append(s.rec, Neutralize(text(v)))
	}
	return s.w.Write(s.rec)
}

// Close flushes.
func (s *CSVSink) Close() error {
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	return s.bw.Flush()
}

// text formats a value for CSV.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case Cell:
		return string(x)
	case Date:
		if x.raw != "" {
			return x.raw
		}
		s, _ := x.MarshalCSV()
		return s
	case Int:
		s, _ := x.MarshalCSV()
		return s
	case Percent:
		s, _ := x.MarshalCSV()
		return s
	case time.Time:
		return x.Format(ilms.DateLayout)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// XLSXSink streams an export into one sheet of a workbook: a frozen, bold
// header with filter buttons, dates as dates, numbers as numbers, text
// neutralized, and column widths fitted to the first rows (a stream cannot
// look ahead further).
type XLSXSink struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	sheet  string
	w      io.Writer // where Close writes the workbook; nil inside another writer's workbook
	cols   []string
	buf    [][]any // rows held until widths are known
	row    int     // rows written, header included: 0 until widths are known
	date   int
	head   int
	pct    int
	widths []float64
	closed bool
	// lead are lines of text above the header (a title block), a blank
	// line after them; total is a last row after the table, when set.
	lead  [][]any
	total []any
}

// headerRow is the row of the header: 1, or under the title block.
func (s *XLSXSink) headerRow() int {
	if len(s.lead) == 0 {
		return 1
	}
	return len(s.lead) + 2
}

// fitRows is how many rows the widths are fitted to.
const fitRows = 200

// NewXLSXSink writes a workbook with one sheet to w.
func NewXLSXSink(w io.Writer, sheet string) (*XLSXSink, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	s, err := sinkOn(f, sheet)
	if err != nil {
		return nil, err
	}
	s.w = w
	return s, nil
}

// sinkOn streams one sheet of a workbook another writer saves.
func sinkOn(f *excelize.File, sheet string) (*XLSXSink, error) {
	s := &XLSXSink{f: f, sheet: sheet}
	if err := s.styles(); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	s.sw = sw
	return s, nil
}

func (s *XLSXSink) styles() error {
	var err error
	if s.date, err = s.f.NewStyle(dateStyle()); err != nil {
		return err
	}
	if s.head, err = s.f.NewStyle(headerStyle()); err != nil {
		return err
	}
	s.pct, err = s.f.NewStyle(percentStyle())
	return err
}

// Header remembers the header; it is written with the first rows.
func (s *XLSXSink) Header(cols []string) error {
	s.cols = append([]string(nil), cols...)
	s.widths = make([]float64, len(cols))
	for i, c := range cols {
		s.widths[i] = width(c) + 2
	}
	return nil
}

func width(v string) float64 { return float64(len([]rune(v))) * 1.1 }

// Row adds a row.
func (s *XLSXSink) Row(values []any) error {
	if s.row == 0 {
		row := append([]any(nil), values...)
		for i, v := range row {
			if i < len(s.widths) {
				s.widths[i] = max(s.widths[i], min(width(text(v))+2, 60))
			}
		}
		s.buf = append(s.buf, row)
		if len(s.buf) < fitRows {
			return nil
		}
		return s.flushBuffered()
	}
	return s.write(values)
}

func (s *XLSXSink) flushBuffered() error {
	for i, w := range s.widths {
		if err := s.sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	hr := s.headerRow()
	panes := frozenHeader()
	if hr > 1 {
		panes = &excelize.Panes{Freeze: true, YSplit: hr, TopLeftCell: fmt.Sprintf("A%d", hr+1), ActivePane: "bottomLeft"}
	}
	if err := s.sw.SetPanes(panes); err != nil {
		return err
	}
	for i, line := range s.lead {
		if err := s.sw.SetRow(fmt.Sprintf("A%d", i+1), line); err != nil {
			return err
		}
	}
	head := make([]any, len(s.cols))
	for i, c := range s.cols {
		head[i] = excelize.Cell{StyleID: s.head, Value: c}
	}
	if err := s.sw.SetRow(fmt.Sprintf("A%d", hr), head); err != nil {
		return err
	}
	s.row = hr
	rows := s.buf
	s.buf = nil
	for _, r := range rows {
		if err := s.write(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *XLSXSink) write(values []any) error {
	s.row++
	cells := make([]any, len(values))
	for i, v := range values {
		cells[i] = s.cell(v)
	}
	name, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(name, cells)
}

// cell makes a typed cell of a value.
func (s *XLSXSink) cell(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return Neutralize(x)
	case Cell:
		return Neutralize(string(x))
	case Date:
		if x.t == nil {
			if x.raw != "" {
				return Neutralize(x.raw)
			}
			return nil
		}
		return excelize.Cell{StyleID: s.date, Value: x.t.Time}
	case Int:
		if !x.ok {
			return nil
		}
		return x.n
	case Percent:
		return excelize.Cell{StyleID: s.pct, Value: float64(x)}
	}
	return v
}

// Percent is a share from 0 to 1 shown as a percentage.
type Percent float64

// Close writes the workbook: a table over the rows gives the filter
// buttons.
func (s *XLSXSink) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	defer s.f.Close()
	if err := s.finish(); err != nil {
		return err
	}
	_, err := s.f.WriteTo(s.w)
	return err
}

func boolPtr(b bool) *bool { return &b }

// Columns returns the header of a record type: its fields' csv tags.
func Columns(record any) []string {
	t := reflect.TypeOf(record)
	cols := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("csv"); tag != "" && tag != "-" {
			cols = append(cols, tag)
		}
	}
	return cols
}

// Values returns a record's values in column order.
func Values(record any) []any {
	v := reflect.ValueOf(record)
	t := v.Type()
	out := make([]any, 0, t.NumField())
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("csv"); tag != "" && tag != "-" {
			out = append(out, v.Field(i).Interface())
		}
	}
	return out
}

// RecordCSV streams typed records to CSV through gocsv, the header taken
// from their csv tags; Cells are neutralized, Dates written in the API's
// form.
type RecordCSV struct {
	ch     chan any
	done   chan struct{} // closed when gocsv stops: Close was called, or a write failed
	err    error         // gocsv's error, read once done is closed
	closed bool
	bw     *bufio.Writer
	n      int
	zero   any
}

// NewRecordCSV starts a CSV of records like zero on w.
func NewRecordCSV(w io.Writer, bom bool, zero any) *RecordCSV {
	bw := bufio.NewWriterSize(w, bufSize)
	if bom {
		bw.WriteString("\ufeff")
	}
	r := &RecordCSV{ch: make(chan any, 256), done: make(chan struct{}), bw: bw, zero: zero}
	go func() {
		defer close(r.done)
		r.err = gocsv.MarshalChan(r.ch, gocsv.NewSafeCSVWriter(csv.NewWriter(bw)))
	}()
	return r
}

// Write adds a record. It returns the error of an earlier record's
// write, which stopped the CSV.
func (r *RecordCSV) Write(rec any) error {
	if r.closed {
		return fmt.Errorf("csv: write after close")
	}
	select {
	case <-r.done: // rather than a send the stopped CSV would drop
		return r.err
	default:
	}
	select {
	case <-r.done:
		return r.err
	case r.ch <- rec:
		r.n++
		return nil
	}
}

// Close ends the CSV; with no record it still has its header.
func (r *RecordCSV) Close() error { return r.end(true) }

// abort ends the CSV of an export that failed: the records written are
// flushed, but without one no header is written, so that an export that
// could not start writes nothing.
func (r *RecordCSV) abort() error { return r.end(false) }

func (r *RecordCSV) end(header bool) error {
	if r.closed {
		return r.err
	}
	r.closed = true
	close(r.ch)
	<-r.done
	if r.n == 0 {
		// gocsv takes the header from the first record, and with none
		// says only that the channel is closed.
		r.err = nil
		if header {
			cw := csv.NewWriter(r.bw)
			cw.Write(Columns(r.zero))
			cw.Flush()
			r.err = cw.Error()
		}
	}
	if r.err == nil {
		r.err = r.bw.Flush()
	}
	return r.err
}

// Records is where typed export records go, one per row.
type Records interface {
	Write(rec any) error
	Close() error
}

// SinkRecords writes records like zero as rows of a sink (a sheet).
type SinkRecords struct {
	sink Sink
	vals []any
}

// NewSinkRecords writes the header of zero's type to sink.
func NewSinkRecords(sink Sink, zero any) (*SinkRecords, error) {
	if err := sink.Header(Columns(zero)); err != nil {
		return nil, err
	}
	return &SinkRecords{sink: sink}, nil
}

// Write adds a record.
func (r *SinkRecords) Write(rec any) error { return r.sink.Row(Values(rec)) }

// Close ends the sheet.
func (r *SinkRecords) Close() error { return r.sink.Close() }

// XLSX is the format name of a workbook; any other format is CSV.
const XLSX = "xlsx"

// NewSheet opens one export sheet on w: CSV (starting with a byte-order
// mark when bom, so that Excel reads UTF-8), or with format XLSX a
// workbook of that one sheet.
func NewSheet(w io.Writer, format, sheet string, bom bool) (Sink, error) {
	if format == XLSX {
		return NewXLSXSink(w, sheet)
	}
	return NewCSVSink(w, bom), nil
}

// NewRecords opens one export sheet of records like zero on w: CSV
// through gocsv, or with format XLSX a workbook of that one sheet with
// typed cells.
func NewRecords(w io.Writer, format, sheet string, bom bool, zero any) (Records, error) {
	if format != XLSX {
		return NewRecordCSV(w, bom, zero), nil
	}
	s, err := NewXLSXSink(w, sheet)
	if err != nil {
		return nil, err
	}
	return NewSinkRecords(s, zero)
}

// WriteSheet opens a sheet on w as NewSheet does, hands it to write, and
// closes it, keeping write's error first.
func WriteSheet(w io.Writer, format, sheet string, bom bool, write func(Sink) (int, error)) (int, error) {
	s, err := NewSheet(w, format, sheet, bom)
	if err != nil {
		return 0, err
	}
	return closing(s, write)
}

// WriteRecords opens a sheet of records like zero on w as NewRecords
// does, hands it to write, and closes it, keeping write's error first.
func WriteRecords(w io.Writer, format, sheet string, bom bool, zero any, write func(Records) (int, error)) (int, error) {
	r, err := NewRecords(w, format, sheet, bom, zero)
	if err != nil {
		return 0, err
	}
	return closing(r, write)
}

// closing hands c to write and closes it, keeping write's error first. A
// writer that can tell a failed export (abort) is closed as one.
func closing[C io.Closer](c C, write func(C) (int, error)) (int, error) {
	n, err := write(c)
	end := c.Close
	if a, ok := any(c).(interface{ abort() error }); ok && err != nil {
		end = a.abort
	}
	if cerr := end(); err == nil {
		err = cerr
	}
	return n, err
}
