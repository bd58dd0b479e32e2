package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

func tableNames() map[string][]string {
	var countries, states, zones, languages []string
	for _, e := range validate.Countries {
		countries = append(countries, e.Name)
	}
	for _, e := range append(append([]validate.Entry(nil), validate.USStates...), validate.CanadianProvinces...) {
		states = append(states, e.Name)
	}
	for _, z := range validate.TimeZones {
		zones = append(zones, z.FullName)
	}
	for _, l := range validate.Languages {
		languages = append(languages, l.Name)
	}
	return map[string][]string{"Country": countries, "State (US or Canada)": states, "Time Zone": zones, "User Language": languages}
}

var listRef = regexp.MustCompile(`^'?Lists'?!\$([A-Z]+)\$2:\$([A-Z]+)\$(\d+)$`)

// TestTemplatesOfferTheTables reads each XLSX template back: its
// drop-downs offer exactly the document's tables, every column has a note
// with its rules, the header is frozen, and the example row validates.
func TestTemplatesOfferTheTables(t *testing.T) {
	tables := tableNames()
	for name, size := range map[string]int{"Country": 234, "State (US or Canada)": 72, "Time Zone": 91, "User Language": 22} {
		if len(tables[name]) != size {
			t.Fatalf("%s: %d values in the tables, the document has %d", name, len(tables[name]), size)
		}
	}
	want := map[string]map[string][]string{
		"users": {"Country": tables["Country"], "State (US or Canada)": tables["State (US or Canada)"], "Time Zone": tables["Time Zone"],
			"User Language": tables["User Language"], "Status": {"active", "inactive"}},
		"enrollments": {"Action": {"enroll", "unenroll"}},
		"transcripts": {"Status": {"not started", "pass", "fail", "waived"}, "Requirement Type": {"mandatory", "optional"}},
	}
	for kind, lists := range want {
		t.Run(kind, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), kind+".xlsx")
			if code, _, stderr := runCmd(t, "template", kind, "-o", path); code != ExitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sheet := f.GetSheetName(0)
			if v, _ := f.GetSheetVisible("Lists"); v {
				t.Error("the Lists sheet is visible")
			}
			header, _ := f.GetRows(sheet)
			if len(header) != 1 {
				t.Fatalf("want the header alone on the sheet to fill in, got %d rows", len(header))
			}
			example, _ := f.GetRows(report.ExampleSheet)
			if len(example) != 2 || !slices.Equal(example[0], header[0]) || f.GetSheetName(1) != report.ExampleSheet {
				t.Fatalf("want the Example sheet second, with the header and one example row, got %q", example)
			}
			dvs, err := f.GetDataValidations(sheet)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, dv := range dvs {
				from, _, _ := strings.Cut(dv.Sqref, ":")
				col, _, err := excelize.SplitCellName(from)
				if err != nil {
					t.Fatal(err)
				}
				n, _ := excelize.ColumnNameToNumber(col)
				m := listRef.FindStringSubmatch(dv.Formula1)
				if dv.Type != "list" || m == nil {
					t.Errorf("%s: validation %s %q", col, dv.Type, dv.Formula1)
					continue
				}
				last, _ := strconv.Atoi(m[3])
				var values []string
				for r := 2; r <= last; r++ {
					v, _ := f.GetCellValue("Lists", m[1]+strconv.Itoa(r))
					values = append(values, v)
				}
				got[header[0][n-1]] = values
			}
			if len(got) != len(lists) {
				t.Errorf("drop-downs on %v, want %d", keys(got), len(lists))
			}
			for col, values := range lists {
				if !slices.Equal(got[col], values) {
					t.Errorf("%s offers %d values, want the %d of the table", col, len(got[col]), len(values))
				}
			}
			comments, _ := f.GetComments(sheet)
			if len(comments) != len(header[0]) {
				t.Errorf("%d notes for %d columns", len(comments), len(header[0]))
			}
			for _, c := range comments {
				if kind == "users" && c.Cell == "A1" && !strings.Contains(c.Paragraph[0].Text, "Required. At most 200 characters. Not allowed: < > \" % ; +") {
					t.Errorf("First Name's note: %q", c.Paragraph[0].Text)
				}
			}
			if panes, _ := f.GetPanes(sheet); !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("header not frozen: %+v", panes)
			}

			// The example row validates; so does a row filled in from the
			// drop-downs' last values.
			if code, _, stderr := runCmd(t, "validate", path, "--sheet", report.ExampleSheet, "--out", t.TempDir()); code != ExitOK || !strings.Contains(stderr, "1 valid") {
				t.Errorf("the template's example row does not validate: exit %d\n%s", code, stderr)
			}
			if kind == "users" {
				filled := filepath.Join(t.TempDir(), "filled.xlsx")
				row := map[string]string{"First Name": "Émile", "Last Name": "Tremblay", "Email ID": "emile.tremblay@example.com", "Employee ID": "E200001",
					"Country": "Canada", "State (US or Canada)": "Yukon", "Time Zone": lists["Time Zone"][len(lists["Time Zone"])-1],
					"User Language": lists["User Language"][len(lists["User Language"])-1], "Region": "Canada", "Division": "Retail", "Department": "Stores", "Status": "inactive"}
				for i, h := range header[0] {
					cell, _ := excelize.CoordinatesToCellName(i+1, 2)
					f.SetCellValue(sheet, cell, row[h])
				}
				if err := f.SaveAs(filled); err != nil {
					t.Fatal(err)
				}
				if code, _, stderr := runCmd(t, "validate", filled, "--out", t.TempDir()); code != ExitOK {
					t.Errorf("a row filled in from the lists does not validate: exit %d\n%s", code, stderr)
				}
			}
		})
	}
}

func keys(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestTemplateCSV(t *testing.T) {
	for _, kind := range []string{"users", "enrollments", "transcripts"} {
		dir := t.TempDir()
		path := filepath.Join(dir, kind+".csv")
		if code, _, stderr := runCmd(t, "template", kind, "-o", path); code != ExitOK {
			t.Fatalf("%s: exit %d\n%s", kind, code, stderr)
		}
		rows := readCSV(t, path)
		if len(rows) != 1 {
			t.Fatalf("%s: %q, want the header alone", kind, rows)
		}
		if code, _, stderr := runCmd(t, "validate", path, "--out", t.TempDir()); code != ExitOK {
			t.Errorf("%s: the CSV template does not validate: exit %d\n%s", kind, code, stderr)
		}
	}
	code, stdout, _ := runCmd(t, "template", "users", "-o", "-", "--format", "csv")
	if code != ExitOK || !strings.HasPrefix(stdout, "First Name,Middle Name,Last Name,") {
		t.Errorf("template to stdout: exit %d, %q", code, stdout[:min(60, len(stdout))])
	}
	if code, _, stderr := runCmd(t, "template", "users", "-o", "-", "--format", "xlsx"); code != ExitUsage || !strings.Contains(stderr, "XLSX cannot go to standard output") {
		t.Errorf("xlsx to stdout: exit %d %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, "template", "groups"); code != ExitUsage || !strings.Contains(stderr, "give one of users, enrollments, transcripts") {
		t.Errorf("unknown kind: exit %d %q", code, stderr)
	}
}

// TestUntouchedTemplateImportsNothing imports each template as it was
// written: its example row must not become a person, an enrollment or a
// transcript line, and nothing is sent.
func TestUntouchedTemplateImportsNothing(t *testing.T) {
	for _, kind := range []string{"users", "enrollments", "transcripts"} {
		for _, format := range []string{"xlsx", "csv"} {
			t.Run(kind+"."+format, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, kind+"-template."+format)
				if r := runBinary(t, nil, "template", kind, "-o", path); r.code != 0 {
					t.Fatalf("template: exit %d %s", r.code, r.stderr)
				}
				env, requests := countingServer(t)
				out := filepath.Join(dir, "run")
				r := runBinary(t, env, "import", kind, path, "--out", out)
				if r.code != 0 || !strings.Contains(r.stderr, "nothing to do") {
					t.Errorf("import of the untouched template: exit %d, stderr %q; want 0 and nothing to do", r.code, r.stderr)
				}
				if n := requests.Load(); n != 0 {
					t.Errorf("the import sent %d requests", n)
				}
				if rows := readCSV(t, filepath.Join(out, "results.csv")); len(rows) != 1 {
					t.Errorf("results.csv %q, want its header alone", rows)
				}
				var s report.Summary
				b, err := os.ReadFile(filepath.Join(out, "summary.json"))
				if err != nil || json.Unmarshal(b, &s) != nil || s.Total != 0 {
					t.Errorf("summary.json %s (%v)", b, err)
				}
			})
		}
	}
}
