package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeBlock is a fenced code block of the README: its lines, unindented.
type readmeBlock []string

// readmeBlocks returns the README's fenced code blocks, in order.
func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []readmeBlock
	var cur readmeBlock
	in, indent := false, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case strings.HasPrefix(trimmed, "```") && !in:
			in, indent, cur = true, line[:len(line)-len(trimmed)], nil
		case strings.HasPrefix(trimmed, "```"):
			in = false
			blocks = append(blocks, cur)
		case in:
			cur = append(cur, strings.TrimPrefix(line, indent))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// expectLine turns a line of shown output into a pattern: … stands for
// text within one item of a list (no comma), or, at the end of the line,
// for the rest of it.
func expectLine(line string) *regexp.Regexp {
	parts := strings.Split(strings.TrimRight(line, " "), "…")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	pat := strings.Join(parts, "[^,]*")
	if strings.HasSuffix(line, "…") {
		pat = strings.Join(parts[:len(parts)-1], "[^,]*") + ".*"
	}
	return regexp.MustCompile("^" + pat + "$")
}

// readmeScriptPath is the README's walkthrough as a testscript, which
// TestScripts runs.
const readmeScriptPath = "../../testdata/script/readme.txtar"

// TestReadmeAsPrinted checks the README against what a newcomer would do
// with it: the two commands at the top, the second the one .ci/run runs,
// and testdata/script/readme.txtar the walkthrough exactly as printed (the
// command at the top, then every line starting with "$ ", in order, each
// with the lines the README shows under it). TestScripts runs that script
// in a folder with the repository's testdata and a cache of its own: each
// command must succeed and print the lines shown, in order. -update
// rewrites the script from the README.
func TestReadmeAsPrinted(t *testing.T) {
	blocks := readmeBlocks(t)
	if len(blocks) == 0 || len(blocks[0]) != 2 {
		t.Fatalf("the README does not start with the two commands of a newcomer: %q", blocks)
	}
	top := blocks[0]
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	ciLines := strings.Split(strings.TrimSpace(string(ci)), "\n")
	if last := ciLines[len(ciLines)-1]; top[1] != last {
		t.Errorf("the README's test command %q is not .ci/run's %q", top[1], last)
	}
	const goRun = "go run ./cmd/ilms-bulk "
	if !strings.HasPrefix(top[0], goRun) {
		t.Fatalf("the README's first command %q does not run ilms-bulk", top[0])
	}
	script, commands := readmeScript("ilms-bulk "+strings.TrimPrefix(top[0], goRun), blocks[1:])
	if commands < 10 {
		t.Errorf("only %d commands in the README's walkthrough", commands)
	}
	if *update {
		if err := os.WriteFile(readmeScriptPath, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(readmeScriptPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != script {
		t.Errorf("%s is not the README's walkthrough; run go test ./cmd/ilms-bulk -run TestReadmeAsPrinted -update\nwant:\n%s", readmeScriptPath, script)
	}
}

// readmeScript writes the README's walkthrough as a testscript: first the
// command at the top of the page (the built binary stands for go run),
// then each "$ " command of blocks, followed by a shown line with the
// lines the README prints under it. It returns the script and how many
// "$ " commands it holds.
func readmeScript(first string, blocks []readmeBlock) (string, int) {
	var b strings.Builder
	b.WriteString(`# The README's walkthrough, as printed. Written from README.md by
# TestReadmeAsPrinted (go test ./cmd/ilms-bulk -run TestReadmeAsPrinted
# -update rewrites it); do not edit. Each command must succeed and print
# the lines the README shows under it, in order (shown: … stands for what
# differs from run to run). It runs at the default rate, as printed.

# The command at the top of the page imports the cohort.
`)
	fmt.Fprintf(&b, "%s\nstderr '— 24 created, 1 updated'\n", scriptExec(first))
	commands := 0
	for _, blk := range blocks {
		for i := 0; i < len(blk); i++ {
			command, ok := strings.CutPrefix(blk[i], "$ ")
			if !ok {
				continue
			}
			commands++
			var want []string
			for i+1 < len(blk) && !strings.HasPrefix(blk[i+1], "$ ") {
				i++
				if blk[i] != "…" {
					want = append(want, scriptQuote(blk[i]))
				}
			}
			fmt.Fprintf(&b, "\n%s\n", scriptExec(command))
			if len(want) > 0 {
				fmt.Fprintf(&b, "shown %s\n", strings.Join(want, " "))
			}
		}
	}
	return b.String(), commands
}

// scriptExec runs a README command in a script: as it stands, or through
// sh when it needs a shell (a glob, a pipe, a quote).
func scriptExec(command string) string {
	if strings.ContainsAny(command, "*?[]$#'\"|&;<>()`\\~") {
		return "exec sh -c " + scriptQuote(command)
	}
	return "exec " + command
}

// scriptQuote quotes a word for a testscript: single quotes, a quote
// doubled.
func scriptQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
