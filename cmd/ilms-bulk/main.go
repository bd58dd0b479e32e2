// Command ilms-bulk moves people and training records between spreadsheets
// and an iLMS organization through the iLMS REST API.
//
// This package is the command line only: flag parsing and wiring (cobra),
// progress drawn on the terminal, and the one place where the library's
// kinds of error become exit codes (exitcode.go). The work is done by the
// packages below it, which a web page could call as well.
package main

import "os"

func main() { os.Exit(int(run(os.Args[1:], systemStreams()))) }
