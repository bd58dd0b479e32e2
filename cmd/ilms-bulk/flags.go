package main

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// rateFlag is a --rate: auto, a positive number or unlimited
// (ilms.ParseRate); a server's limit (serving) is not auto.
type rateFlag struct {
	ilms.Rate
	serving bool
}

func (r *rateFlag) Set(s string) error {
	v, err := ilms.ParseRate(s)
	if err == nil && v == ilms.Auto && r.serving {
		err = errServedAuto
	}
	if err == nil {
		r.Rate = v
	}
	return err
}

func (r *rateFlag) Type() string {
	if r.serving {
		return "R|unlimited"
	}
	return "auto|R|unlimited"
}

var errServedAuto = errors.New("a server's limit is a number of requests a second, such as 50, or unlimited (auto is how import and export find one)")

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
	want := cmp.Or(flagWants[fl.Value.Type()], errors.Unwrap(ive).Error())
	return usagef("--%s %q: %s", fl.Name, ive.GetValue(), want)
}

// flagWants are the values pflag's types take, in words.
var flagWants = map[string]string{
	"int": "give a whole number", "int32": "give a whole number", "int64": "give a whole number",
	"uint": "give a whole number, 0 or more", "uint32": "give a whole number, 0 or more", "uint64": "give a whole number, 0 or more",
	"float32": "give a number", "float64": "give a number", "bool": "give true or false",
	"duration": "give a duration such as 50ms, 2s or 1m30s",
}

// optionFlags are the command line's names of the options the library
// checks (validate.OptionError.Option); the others are --option.
var optionFlags = map[string]string{
	validate.OptionMode: "--mode", validate.OptionMatch: "--match", validate.OptionSearch: "--where",
	connect.OptionBaseURL: "--base-url", connect.OptionAddr: "--addr",
	connect.OptionLatency: "--latency", connect.OptionFailRate: "--fail-rate",
}

func optionFlag(option string) string { return cmp.Or(optionFlags[option], "--"+option) }

// requireSubcommands makes every command that only groups others (import,
// export, …) refuse what is not one of them: cobra would print the help
// and succeed, so a misspelt "import user FILE" would import nothing and
// exit 0. The root, given nothing, still shows the help.
func requireSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		requireSubcommands(sub)
	}
	if !c.HasSubCommands() || c.Runnable() {
		return
	}
	c.SuggestionsMinimumDistance = 2
	c.Args = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		if s := c.SuggestionsFor(args[0]); len(s) > 0 {
			return usagef("unknown command %q for %q; did you mean %s?", args[0], c.CommandPath(), strings.Join(s, " or "))
		}
		return usagef("unknown command %q for %q; give one of: %s", args[0], c.CommandPath(), strings.Join(subcommandNames(c), ", "))
	}
	c.RunE = func(c *cobra.Command, args []string) error {
		if !c.HasParent() {
			return c.Help()
		}
		return usagef("%s needs one of: %s", commandName(c), strings.Join(subcommandNames(c), ", "))
	}
}

// commandName is the command as typed after ilms-bulk: "import users".
func commandName(c *cobra.Command) string {
	return strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
}

func subcommandNames(c *cobra.Command) (names []string) {
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	return names
}

// oneOf checks a command's one argument against its ValidArgs, with a
// suggestion for a near miss: template users|enrollments|transcripts.
func oneOf(c *cobra.Command, args []string) error {
	valid := strings.Join(c.ValidArgs, ", ")
	if len(args) != 1 {
		return usagef("%s takes one of: %s", commandName(c), valid)
	}
	if slices.Contains(c.ValidArgs, args[0]) {
		return nil
	}
	oe := validate.OptionError{Value: args[0], Detail: "give one of " + valid, Suggestion: validate.Suggest(args[0], c.ValidArgs)}
	return usagef("%s", oe.Text(commandName(c)))
}

// fileArg takes a command's FILE: exactly one, or with optional at most
// one (import --resume finds it in the run folder).
func fileArg(optional bool) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		switch {
		case len(args) > 1:
			return usagef("%s takes one FILE, a CSV or XLSX file; got %d: %s", commandName(c), len(args), strings.Join(args, " "))
		case len(args) == 0 && !optional:
			return usagef("%s takes one FILE, a CSV or XLSX file", commandName(c))
		}
		return nil
	}
}
