// Command csvfloor parses a CSV file with encoding/csv and nothing else:
// the floor the whole validate command is measured against in
// docs/benchmarks.md.
//
//	go build -o /tmp/csvfloor ./internal/csvfloor && /tmp/csvfloor FILE
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	rows := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		rows++
	}
	fmt.Println(rows)
}
