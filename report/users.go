// Package report writes what a run produces for people: result and error
// sheets, exports of users, enrollments, transcripts and summaries, and the
// compliance workbook, as CSV or XLSX. It never calls the network.
package report

import (
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// User export columns besides the profile's field codes.
const (
	ColumnID         = "ID"
	ColumnUserStatus = "UserStatus"
)

// UserColumns are the columns of a users export: the ID, the status, and
// every profile field by its code except F016, the password, which the API
// never returns.
func UserColumns() []string {
	cols := []string{ColumnID, ColumnUserStatus}
	for _, f := range validate.Fields {
		if f.Code != "F016" {
			cols = append(cols, f.Code)
		}
	}
	return cols
}

// UserHeader names columns for a header: their codes, or with names the
// document's field names ("User ID" and "Status" for the two others).
func UserHeader(cols []string, names bool) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		switch {
		case !names:
			out[i] = c
		case c == ColumnID:
			out[i] = "User ID"
		case c == ColumnUserStatus:
			out[i] = "Status"
		default:
			out[i] = validate.FieldByCode(c).Name
		}
	}
	return out
}

// isDate reports whether a profile field holds a date: the document's
// DateTime fields, Hire Date (F005) and the read-only Registration Date
// (F032).
func isDate(code string) bool {
	return code == registrationDate || validate.FieldByCode(code).Kind == validate.KindDate
}

const registrationDate = "F032"

// UserValues returns u's values for cols, reusing vals' storage: the ID
// as a number, profile text as Cells, date fields (F005, F032) as Dates
// when the API gave one.
func UserValues(vals []any, u *ilms.User, cols []string) []any {
	vals = vals[:0]
	for _, c := range cols {
		switch c {
		case ColumnID:
			vals = append(vals, u.ID)
		case ColumnUserStatus:
			vals = append(vals, u.UserStatus)
		default:
			v := u.Profile.Get(c)
			if v != "" && isDate(c) {
				vals = append(vals, DateText(v))
				continue
			}
			vals = append(vals, Cell(v))
		}
	}
	return vals
}
