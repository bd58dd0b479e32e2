package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
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

// TestReadmeAsPrinted runs the README on a fresh machine, as a newcomer
// would: the command at the top, then every command of the walkthrough
// (the lines starting with "$ "), in order, in a folder with the
// repository's testdata and a cache of its own. Each must succeed and
// print the lines the README shows under it, in order. The test command at
// the top is the one .ci/run runs.
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

	dir := t.TempDir()
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(testdata, filepath.Join(dir, "testdata")); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"PATH=" + filepath.Dir(binary) + string(os.PathListSeparator) + os.Getenv("PATH")}
	sh := func(command string) string {
		t.Helper()
		cmd := exec.Command("sh", "-c", command)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("$ %s: %v\n%s", command, err, out)
		}
		return string(out)
	}

	// The built binary stands for go run: the same program.
	out := sh("ilms-bulk " + strings.TrimPrefix(top[0], goRun))
	if !strings.Contains(out, "— 24 created, 1 updated") {
		t.Errorf("the first command should import 24 new hires and one promotion; it printed\n%s", out)
	}

	commands := 0
	for _, b := range blocks[1:] {
		for i := 0; i < len(b); i++ {
			command, ok := strings.CutPrefix(b[i], "$ ")
			if !ok {
				continue
			}
			commands++
			var want []string
			for i+1 < len(b) && !strings.HasPrefix(b[i+1], "$ ") {
				i++
				if b[i] != "…" {
					want = append(want, b[i])
				}
			}
			out := sh(command)
			got := strings.Split(strings.TrimRight(out, "\n"), "\n")
			j := 0
			for _, w := range want {
				re := expectLine(w)
				for j < len(got) && !re.MatchString(got[j]) {
					j++
				}
				if j == len(got) {
					t.Errorf("$ %s\nprinted no line %q (after the ones before it); it printed:\n%s", command, w, out)
					break
				}
				j++
			}
		}
	}
	if commands < 10 {
		t.Errorf("only %d commands in the README's walkthrough", commands)
	}
}
