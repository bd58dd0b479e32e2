package main

import (
	"bufio"
	"io"

	"github.com/ilms-bulk/ilms-bulk/report"
)

func stdout(path string) bool { return path == "" || path == "-" }

// writeOutput streams write into path, or "-" for stdout. A file is
// written whole or not at all (report.CreateFile), so a failed command
// never leaves a file that looks complete.
func writeOutput(path string, out io.Writer, write func(io.Writer) (int, error)) (int, error) {
	if stdout(path) {
		bw := bufio.NewWriterSize(out, 64<<10)
		n, err := write(bw)
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		return n, err
	}
	f, err := report.CreateFile(path)
	if err != nil {
		return 0, &inputError{err}
	}
	defer f.Close()
	n, err := write(f)
	if err != nil {
		return n, err
	}
	return n, f.Commit()
}
