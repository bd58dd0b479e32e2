package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/internal/synth"
)

const cohortPath = "../../testdata/cohort.xlsx"

// writeCohort builds testdata/cohort.xlsx, the README's first import: a
// cohort of new hires in the sandbox's departments, with groups and
// courses, and one change to a user the sandbox already has.
func writeCohort(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "New hires")
	header := append(append([]string(nil), synth.UserColumns...), "Groups", "Courses")
	rows := [][]string{header}
	collect := rowCollector(func(r []string) { rows = append(rows, append([]string(nil), r...)) })
	if err := synth.GenerateUsers(collect, 24, 0, 2026); err != nil {
		return err
	}
	rows = rows[1:] // GenerateUsers wrote its own header
	rows[0] = header
	groups := []string{"New Hires 2026", "New Hires 2026;Compliance Champions", "New Hires 2026"}
	courses := []string{"fO1uIKJO", "fO1uIKJO;Code of Conduct", "Privacy and GDPR", "fO1uIKJO;pyOgaoli/4901"}
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		panic(name)
	}
	for i := 1; i < len(rows); i++ {
		// Their own IDs and addresses, apart from the sandbox's staff.
		rows[i][col("Employee ID")] = fmt.Sprintf("NH26-%03d", i)
		rows[i][col("Email ID")] = strings.Replace(rows[i][col("Email ID")], "@", ".nh26@", 1)
		rows[i] = append(rows[i], groups[i%len(groups)], courses[i%len(courses)])
	}
	// John Doe of the document is promoted.
	promoted := map[string]string{
		"First Name": "John", "Last Name": "Doe", "Employee ID": "Emp001", "Email ID": "john.doe@email.com",
		"Job Title": "Senior Manager", "Region": "Region 1", "Division": "Division 1", "Department": "Department 1",
	}
	john := make([]string, len(header))
	for i, h := range header {
		john[i] = promoted[h]
	}
	rows = append(rows, john)
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	for r, row := range rows {
		vals := make([]any, len(row))
		for i, v := range row {
			vals[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow("New hires", cell, &vals); err != nil {
			return err
		}
	}
	f.SetColStyle("New hires", "D", text)
	return f.SaveAs(path)
}

type rowCollector func([]string)

func (c rowCollector) Write(r []string) error { c(r); return nil }

func TestCohortFixture(t *testing.T) {
	if *update {
		if err := writeCohort(cohortPath); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(cohortPath); err != nil {
		t.Fatalf("%v (go test ./cmd/ilms-bulk -run TestCohortFixture -update)", err)
	}
	code, _, stderr := runCmd(t, "validate", cohortPath, "--out", t.TempDir())
	if code != ExitOK {
		t.Errorf("the README's cohort does not validate: exit %d\n%s", code, stderr)
	}
}
