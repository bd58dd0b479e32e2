package main

import (
	"embed"
	"strings"

	"github.com/spf13/cobra"
)

// helpFiles hold the long help of the commands, one file each, named by
// the command's path ("import-users.txt"); an "Examples:" line starts the
// examples. They are prose, kept apart from the wiring.
//
//go:embed help/*.txt
var helpFiles embed.FS

// withHelp gives the commands of a tree their help files.
func withHelp(c *cobra.Command) *cobra.Command {
	if b, err := helpFiles.ReadFile("help/" + strings.ReplaceAll(commandName(c), " ", "-") + ".txt"); err == nil {
		long, ex, _ := strings.Cut(string(b), "Examples:\n")
		c.Long, c.Example = strings.TrimSpace(long), strings.TrimRight(ex, "\n")
	}
	for _, sub := range c.Commands() {
		withHelp(sub)
	}
	return c
}
