package remedy

import (
	"errors"
	"fmt"
	"testing"
)

// flags words an option as a command line would.
func flags(h Hint) string {
	if h.Value == "" {
		return "--" + string(h.Option)
	}
	return "--" + string(h.Option) + " " + h.Value
}

// control words an option as a web page would: the label of its control.
func control(h Hint) string { return fmt.Sprintf("the %q box", h.Option) }

func TestAMessageNamesItsOptionsInEachFrontDoorsWords(t *testing.T) {
	t.Parallel()
	text := Sprintf("%s makes a run of its own: not with %s or a plan (%d rows)", Of(OnlyFailed, "runs/1"), Of(Resume), 3)
	for _, tc := range []struct {
		words Words
		want  string
	}{
		{nil, "the only-failed option set to runs/1 makes a run of its own: not with the resume option or a plan (3 rows)"},
		{flags, "--only-failed runs/1 makes a run of its own: not with --resume or a plan (3 rows)"},
		{control, `the "only-failed" box makes a run of its own: not with the "resume" box or a plan (3 rows)`},
	} {
		if got := text.In(tc.words); got != tc.want {
			t.Errorf("In: %q, want %q", got, tc.want)
		}
	}
	if text.String() != text.In(nil) || text.IsZero() || !(Text{}).IsZero() {
		t.Errorf("String %q, IsZero %v", text, text.IsZero())
	}
}

// An error wrapped in more words, or joined with others, is rendered where
// it is; its neutral message is what Error says.
func TestRenderFindsTheWordedErrorsInAChain(t *testing.T) {
	t.Parallel()
	inner := Errorf("the plan is older than %s allows", Of(MaxAge, "24h"))
	other := Errorf("give %s with %s", Of(DryRun), Of(PlanOut))
	err := fmt.Errorf("apply p.json: %w", errors.Join(inner, errors.New("plain"), other))
	want := "apply p.json: the plan is older than --max-age 24h allows\nplain\ngive --dry-run with --plan-out"
	if got := Render(err, flags); got != want {
		t.Errorf("Render:\n%q\nwant\n%q", got, want)
	}
	if got := err.Error(); got != "apply p.json: the plan is older than the max-age option set to 24h allows\nplain\ngive the dry-run option with the plan-out option" {
		t.Errorf("Error: %q", got)
	}
	if got := Render(err, nil); got != err.Error() {
		t.Errorf("Render with no words: %q", got)
	}
	plain := errors.New("no options here")
	if Render(plain, flags) != "no options here" {
		t.Error("a plain error changed")
	}
	var w Worded
	if !errors.As(err, &w) || w.In(flags) != "the plan is older than --max-age 24h allows" {
		t.Errorf("errors.As Worded: %v", w)
	}
}

func TestSayWordsARemedy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		h    Hint
		want string
	}{
		{Of(HeaderRow, "2"), "row 2 looks like the header; use --header-row 2"},
		{Of(Sheet, "People"), `sheet "People" has a header row; use --sheet People`},
		{Of(Encoding, "windows-1252"), "read it with --encoding windows-1252"},
		{Of(Mode, "create-only"), "use --mode create-only"},
	} {
		if got := Words(flags).Say(tc.h); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.h, got, tc.want)
		}
	}
	if got := Words(nil).Say(Of(HeaderRow, "2")); got != "row 2 looks like the header; use the header-row option set to 2" {
		t.Errorf("neutral: %q", got)
	}
}
