// Command ilms-bulk moves people and training records between spreadsheets
// and an iLMS organization through the iLMS REST API.
package main

import "os"

func main() { os.Exit(int(run(os.Args[1:], systemStreams()))) }
