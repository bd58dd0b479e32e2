package main

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command has its long help, and every help file is a command's.
func TestEveryCommandHasHelp(t *testing.T) {
	root := newRootCmd(&IOStreams{}, &globalOptions{})
	names := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" || strings.HasPrefix(c.CommandPath(), "ilms-bulk completion") {
			return
		}
		if strings.TrimSpace(c.Long) == "" {
			t.Errorf("%s has no long help", c.CommandPath())
		}
		name := strings.TrimPrefix(strings.TrimPrefix(strings.ReplaceAll(c.CommandPath(), " ", "-"), "ilms-bulk"), "-")
		if name == "" {
			name = "ilms-bulk"
		}
		names[name] = true
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	files, _ := fs.Glob(helpFiles, "help/*.txt")
	if len(files) == 0 {
		t.Fatal("no help files are embedded")
	}
	for _, f := range files {
		if name := strings.TrimSuffix(strings.TrimPrefix(f, "help/"), ".txt"); !names[name] {
			t.Errorf("%s is the help of no command", f)
		}
	}
}
