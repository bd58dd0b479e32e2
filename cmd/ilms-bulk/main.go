// Command ilms-bulk moves people and training records between spreadsheets
// and an iLMS organization through the iLMS REST API.
//
// This package is the command line only: flag parsing and wiring (cobra),
// progress drawn on the terminal, and the one place where the library's
// kinds of error become exit codes (exitcode.go). The work is done by the
// packages below it, which a web page could call as well.
package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	ilmsbulk "github.com/ilms-bulk/ilms-bulk"
	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
)

func main() { os.Exit(int(run(os.Args[1:], systemStreams()))) }

// IOStreams are the standard streams of a run. Tests swap in buffers.
type IOStreams struct {
	In          io.Reader
	Out, ErrOut io.Writer
	// StderrTTY tells whether ErrOut is a terminal that can redraw a
	// progress bar.
	StderrTTY bool
}

func systemStreams() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, StderrTTY: term.IsTerminal(int(os.Stderr.Fd()))}
}

// globalOptions are the flags every command has.
type globalOptions struct {
	BaseURL, OrgID, ConfigPath string
	Sandbox, Quiet             bool

	// resolvedURL is the base URL in use, for error messages.
	resolvedURL string
	// started is set once cobra has accepted the command line and the
	// command's own work begins.
	started bool
	// runF, set by tests, hears the library call a command would make
	// (a *pipeline.Job, an export's options, a sandbox's options)
	// instead of it being made: flag parsing is tested with no file read
	// and no server.
	runF func(call any) error
}

// run executes one command line and returns its exit code. All errors end
// here, as one line on stderr.
func run(args []string, ios *IOStreams) ExitCode {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g := &globalOptions{}
	root := newRootCmd(ios, g)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	var ue *usageError
	if err != nil && !g.started && !errors.As(err, &ue) {
		// Cobra's own errors (unknown command, bad arguments) are usage
		// errors: nothing was sent.
		err = &usageError{err}
	}
	code, msg := classify(err, g.resolvedURL)
	if msg != "" {
		fmt.Fprintf(ios.ErrOut, "ilms-bulk: %s\n", msg)
		if code == ExitUsage && cmd != nil && !isKind[inputKind](err, inputKind.Input) {
			fmt.Fprintf(ios.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
	}
	return code
}

func newRootCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	root := &cobra.Command{Use: "ilms-bulk", Short: "Move people and training records between spreadsheets and iLMS",
		Version: ilmsbulk.Version, SilenceUsage: true, SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error { g.started = true; return nil }}
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(flagError)
	pf := root.PersistentFlags()
	pf.StringVar(&g.BaseURL, "base-url", "", "iLMS API base URL (env ILMS_BASE_URL; default "+ilms.DefaultBaseURL+")")
	pf.StringVar(&g.OrgID, "org", "", "organization ID (env ILMS_ORG_ID)")
	pf.StringVar(&g.ConfigPath, "config", "", "config file with base_url, org_id, api_login_id, transaction_key (default "+connect.DefaultConfigPath()+")")
	pf.BoolVar(&g.Sandbox, "sandbox", false, "run against a built-in sandbox organization (state kept in "+connect.SandboxStatePath()+")")
	pf.BoolVarP(&g.Quiet, "quiet", "q", false, "no progress and no summary chatter; errors still print")

	group(root,
		group(&cobra.Command{Use: "import", Short: "Create and update users, enrollments and transcripts from a spreadsheet"},
			narrow(newImportCmd(ios, g, mapping.Users, &importOptions{}), "import users (import leavers reads a file of leavers)", "leave"), newImportCmd(ios, g, mapping.Enrollments, &importOptions{}), newImportCmd(ios, g, mapping.Transcripts, &importOptions{}), newLeaversCmd(ios, g)),
		newApplyCmd(ios, g), newPlanCmd(ios, g), newUndoCmd(ios, g), newValidateCmd(ios, g), newGenerateCmd(ios, g),
		group(&cobra.Command{Use: "export", Short: "Export users, enrollments, transcripts and reports to CSV or XLSX"},
			newExportCmds(ios, g)...),
		newTemplateCmd(ios, g), newSandboxCmd(ios, g), newServeCmd(ios, g))
	return withHelp(root)
}

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
