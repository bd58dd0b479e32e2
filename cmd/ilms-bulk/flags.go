package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// connect opens the connection of a command (connect.Open) with the
// global flags, and names them in its errors.
func (g *globalOptions) connect(ctx context.Context, ios *IOStreams, opts connect.Options) (*connect.Conn, error) {
	opts.BaseURL, opts.OrgID, opts.ConfigPath, opts.Sandbox = g.BaseURL, g.OrgID, g.ConfigPath, g.Sandbox
	opts.Warn = func(msg string) { fmt.Fprintf(ios.ErrOut, "ilms-bulk: warning: %s\n", msg) }
	conn, err := connect.Open(ctx, opts)
	switch {
	case errors.Is(err, connect.ErrNoOrg):
		return nil, usagef("%v; or give --org, or use --sandbox", err)
	case errors.Is(err, connect.ErrNoCredentials):
		return nil, usagef("%v; or use --sandbox", err)
	case err != nil:
		return nil, err
	}
	g.resolvedURL = conn.BaseURL
	return conn, nil
}

// flagOf names a remedy's option as the flag that sets it.
func flagOf(h remedy.Hint) string {
	if h.Value == "" {
		return optionFlag(string(h.Option))
	}
	return optionFlag(string(h.Option)) + " " + shellQuote(h.Value)
}

// renderHint says a remedy the way a command-line user applies it.
func renderHint(h remedy.Hint) string { return h.Say(flagOf(h)) }

// flagError turns pflag's errors into a line that names the flag and the
// values it takes, instead of Go's parse errors ("strconv.ParseInt: …").
func flagError(c *cobra.Command, err error) error {
	var ive *pflag.InvalidValueError
	var nee *pflag.NotExistError
	if errors.As(err, &nee) && nee.GetSpecifiedShortnames() == "" {
		var names []string
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, f.Name)
			}
		})
		if s := validate.Suggest(nee.GetSpecifiedName(), names); s != "" {
			return usagef("unknown flag: --%s; did you mean --%s?", nee.GetSpecifiedName(), s)
		}
	}
	if !errors.As(err, &ive) {
		return &usageError{err}
	}
	fl := ive.GetFlag()
	// A type of our own explains itself.
	want := cmp.Or(flagWants[strings.TrimRight(fl.Value.Type(), "0123456789")], errors.Unwrap(ive).Error())
	return usagef("--%s %q: %s", fl.Name, ive.GetValue(), want)
}

// flagWants are the values pflag's types take, in words (int32 is int).
var flagWants = map[string]string{
	"int": "give a whole number", "uint": "give a whole number, 0 or more", "float": "give a number",
	"bool": "give true or false", "duration": "give a duration such as 50ms, 2s or 1m30s",
}

// optionFlags are the command line's names of the options the library
// checks (validate.OptionError.Option) where they are not --option.
var optionFlags = map[string]string{validate.OptionSearch: "--where",
	connect.OptionBaseURL: "--base-url", connect.OptionAddr: "--addr", connect.OptionFailRate: "--fail-rate"}

func optionFlag(option string) string { return cmp.Or(optionFlags[option], "--"+option) }

// group makes c the command of subs: c only groups them (import,
// export, …), and refuses what is not one of them, where cobra would print
// the help and succeed, so that a misspelt "import user FILE" would import
// nothing and exit 0. The root, given nothing, still shows the help.
func group(c *cobra.Command, subs ...*cobra.Command) *cobra.Command {
	c.AddCommand(subs...)
	c.SuggestionsMinimumDistance = 2
	c.Args = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		} else if s := c.SuggestionsFor(args[0]); len(s) > 0 {
			return usagef("unknown command %q for %q; did you mean %s?", args[0], c.CommandPath(), strings.Join(s, " or "))
		}
		return usagef("unknown command %q for %q; give one of: %s", args[0], c.CommandPath(), subcommandNames(c))
	}
	c.RunE = func(c *cobra.Command, args []string) error {
		if !c.HasParent() {
			return c.Help()
		}
		return usagef("%s needs one of: %s", commandName(c), subcommandNames(c))
	}
	return c
}

// commandName is the command as typed after ilms-bulk: "import users".
func commandName(c *cobra.Command) string {
	return strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
}

// subcommandNames lists a command's subcommands: "users, enrollments".
func subcommandNames(c *cobra.Command) string {
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	return strings.Join(names, ", ")
}

// oneOf checks a command's one argument against its ValidArgs, with a
// suggestion for a near miss: template users|enrollments|transcripts.
func oneOf(c *cobra.Command, args []string) error {
	valid := strings.Join(c.ValidArgs, ", ")
	if len(args) != 1 {
		return usagef("%s takes one of: %s", commandName(c), valid)
	} else if slices.Contains(c.ValidArgs, args[0]) {
		return nil
	}
	oe := validate.OptionError{Value: args[0], Detail: "give one of " + valid, Suggestion: validate.Suggest(args[0], c.ValidArgs)}
	return usagef("%s", oe.Text(commandName(c)))
}

// fileArg takes a command's FILE: exactly one, or with optional at most
// one (import --resume finds it in the run folder).
func fileArg(optional bool) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) > 1 {
			return usagef("%s takes one FILE, a CSV or XLSX file; got %d: %s", commandName(c), len(args), strings.Join(args, " "))
		} else if len(args) == 0 && !optional {
			return usagef("%s takes one FILE, a CSV or XLSX file", commandName(c))
		}
		return nil
	}
}
