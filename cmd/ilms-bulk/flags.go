package main

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// rateFlag is a --rate: requests a second, a positive number, or
// unlimited. Zero is refused: "no limit" is said in so many words.
type rateFlag float64

// unlimited is the rate of no limit, as the client takes it.
const unlimited rateFlag = 0

func (r *rateFlag) Set(s string) error {
	if strings.EqualFold(strings.TrimSpace(s), "unlimited") {
		*r = unlimited
		return nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return errors.New("give a positive number of requests a second, such as 10 or 2.5, or unlimited")
	}
	*r = rateFlag(v)
	return nil
}

func (r *rateFlag) String() string {
	if *r == unlimited {
		return "unlimited"
	}
	return strconv.FormatFloat(float64(*r), 'g', -1, 64)
}

func (r *rateFlag) Type() string { return "R|unlimited" }

// perSecond is the rate as the client takes it: 0 for no limit.
func (r rateFlag) perSecond() float64 { return float64(r) }

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
	want := ""
	switch fl.Value.Type() {
	case "int", "int64", "int32":
		want = "give a whole number"
	case "uint", "uint64", "uint32":
		want = "give a whole number, 0 or more"
	case "float64", "float32":
		want = "give a number"
	case "bool":
		want = "give true or false"
	case "duration":
		want = "give a duration such as 50ms, 2s or 1m30s"
	default:
		// The flag's own type explains itself.
		want = errors.Unwrap(ive).Error()
	}
	return usagef("--%s %q: %s", fl.Name, ive.GetValue(), want)
}

// optionFlags are the command line's names of the options the library
// checks (validate.OptionError.Option).
var optionFlags = map[string]string{
	validate.OptionMode:   "--mode",
	validate.OptionMatch:  "--match",
	validate.OptionSearch: "--where",
}

func optionFlag(option string) string {
	if f, ok := optionFlags[option]; ok {
		return f
	}
	return "--" + option
}

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
		if len(args) > 0 {
			return unknownCommand(c, args[0])
		}
		return nil
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

func subcommandNames(c *cobra.Command) []string {
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	return names
}

func unknownCommand(c *cobra.Command, arg string) error {
	msg := fmt.Sprintf("unknown command %q for %q", arg, c.CommandPath())
	if s := c.SuggestionsFor(arg); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	} else {
		msg += "; give one of: " + strings.Join(subcommandNames(c), ", ")
	}
	return &usageError{errors.New(msg)}
}

// oneOf checks a command's one argument against its ValidArgs, with a
// suggestion for a near miss: template users|enrollments|transcripts.
func oneOf(c *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usagef("%s takes one of: %s", commandName(c), strings.Join(c.ValidArgs, ", "))
	}
	for _, v := range c.ValidArgs {
		if args[0] == v {
			return nil
		}
	}
	msg := fmt.Sprintf("%s %q: give one of %s", commandName(c), args[0], strings.Join(c.ValidArgs, ", "))
	if s := validate.Suggest(args[0], c.ValidArgs); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return &usageError{errors.New(msg)}
}

// outputFormat settles the format of a file a command writes (what names
// it in messages): --format when given, else -o's extension, which must
// then be one of formats (the first is the default for standard output,
// - or ""). A file named u.pdf never receives CSV.
func outputFormat(what, output, format string, formats []string) (string, error) {
	exts := make([]string, len(formats))
	for i, f := range formats {
		exts[i] = "." + f
	}
	ext := strings.ToLower(filepath.Ext(output))
	format = strings.ToLower(strings.TrimSpace(format))
	switch {
	case format != "" && !slices.Contains(formats, format):
		if len(formats) == 1 {
			return "", usagef("--format %q: %s is %s only", format, what, strings.ToUpper(formats[0]))
		}
		return "", usagef("--format %q: give %s", format, strings.Join(formats, " or "))
	case format == "" && stdout(output):
		format = formats[0]
	case format == "" && slices.Contains(exts, ext):
		format = ext[1:]
	case format == "" && len(formats) == 1:
		return "", usagef("-o %s: %s is %s only; give a file name ending in %s", output, what, strings.ToUpper(formats[0]), exts[0])
	case format == "":
		return "", usagef("-o %s: the format follows the file name; give a name ending in %s, or say --format %s", output, strings.Join(exts, " or "), strings.Join(formats, " or --format "))
	case slices.Contains([]string{".csv", ".xlsx"}, ext) && ext != "."+format:
		return "", usagef("-o %s is the name of %s file, but --format is %s; give one or the other", output, map[string]string{".csv": "a CSV", ".xlsx": "an XLSX"}[ext], format)
	}
	if format == "xlsx" && stdout(output) {
		return "", usagef("XLSX cannot go to standard output; give -o FILE.xlsx")
	}
	return format, nil
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
