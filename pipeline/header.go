package pipeline

import (
	"errors"
	"io"
	"strconv"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// headerSearch is how many rows from the top of a sheet SuggestHeader
// looks at.
const headerSearch = 10

// SuggestHeader looks for the header where a file read with opts did not
// find one: a row further down (a title above the header) or, in a
// workbook, another sheet. It returns the options that would read it,
// nearest first; none when nothing looks like a header.
func SuggestHeader(path string, opts ReadOptions, spec *mapping.Spec) []remedy.Hint {
	var hints []remedy.Hint
	here := opts
	here.HeaderRow = 0
	if row := headerRowIn(path, here, spec); row > 1 && row != opts.HeaderRow {
		hints = append(hints, remedy.Hint{Option: remedy.HeaderRow, Value: strconv.Itoa(row)})
	}
	src, err := Open(path, here)
	if err != nil {
		return hints
	}
	x, ok := src.(*xlsxSource)
	src.Close()
	if !ok {
		return hints
	}
	for _, name := range x.sheets[1:] {
		other := ReadOptions{Sheet: name}
		if row := headerRowIn(path, other, spec); row > 0 {
			hints = append(hints, remedy.Hint{Option: remedy.Sheet, Value: name})
		}
	}
	return hints
}

// headerRowIn returns the spreadsheet row of the first header-like row
// among the top rows of a file, or 0.
func headerRowIn(path string, opts ReadOptions, spec *mapping.Spec) int {
	src, err := Open(path, opts)
	if err != nil {
		return 0
	}
	defer src.Close()
	if mapping.HeaderLike(src.Header(), spec) {
		return src.Lines().Blank + src.Lines().Above + 1
	}
	next := src.Next
	if x, ok := src.(*xlsxSource); ok {
		next = x.readRow // every cell, not only those under the header
	}
	for range headerSearch {
		row, err := next()
		if errors.Is(err, io.EOF) || err != nil {
			return 0
		}
		if (row.Err == nil || errors.Is(row.Err, ErrRagged)) && mapping.HeaderLike(row.Cells, spec) {
			return row.Line
		}
	}
	return 0
}
