// Package report writes what a run produces for people: result and error
// sheets, exports of users, enrollments, transcripts and summaries, and the
// compliance workbook, as CSV or XLSX. It never calls the network.
package report

import (
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// UserColumns are the columns of a users export: the ID, the status, and
// every profile field by its code except F016, the password, which the API
// never returns.
func UserColumns() []string {
	cols := []string{"ID", "UserStatus"}
	for _, f := range validate.Fields {
		if f.Code != "F016" {
			cols = append(cols, f.Code)
		}
	}
	return cols
}

// UserRecord returns u's values for cols, reusing rec's storage.
func UserRecord(rec []string, u *ilms.User, cols []string) []string {
	rec = rec[:0]
	for _, c := range cols {
		switch c {
		case "ID":
			rec = append(rec, ilms.FormatID(u.ID))
		case "UserStatus":
			rec = append(rec, u.UserStatus)
		default:
			rec = append(rec, u.Profile.Get(c))
		}
	}
	return rec
}
