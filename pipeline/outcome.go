package pipeline

// Outcome is what became of a row, as the results sheet says it: every
// row of every run has exactly one.
type Outcome string

// Outcomes of a row.
const (
	Created    Outcome = "created"
	Updated    Outcome = "updated"
	Unchanged  Outcome = "unchanged"
	Enrolled   Outcome = "enrolled"
	Unenrolled Outcome = "unenrolled"
	Skipped    Outcome = "skipped"
	Failed     Outcome = "failed"
	Invalid    Outcome = "invalid"
	// Conflict is a users row whose match key names someone else in
	// iLMS: updating would turn that person into this row's.
	Conflict Outcome = "conflict"
	// Pending is a row an interrupted run did not finish; a resume does.
	Pending Outcome = "pending"
	// Valid is a row a validation found nothing wrong with.
	Valid Outcome = "valid"
	// Stale is a row of a saved plan that iLMS has changed under since
	// the plan was made: applying the plan left it alone.
	Stale Outcome = "stale"
	// Blocked is a row of a run a safety limit stopped before its first
	// write: nothing was sent.
	Blocked Outcome = "blocked"
	// Deactivated is an active user in the scope of --deactivate-missing
	// whom the file does not name, inactivated: not a row of the file.
	Deactivated Outcome = "deactivated"
	// Deleted is a leaver deleted (import leavers --delete).
	Deleted Outcome = "deleted"
)

// Planned says an outcome as a plan says it, before anything is sent:
// create for created, update for updated, and so on.
func (o Outcome) Planned() Outcome {
	switch o {
	case Created:
		return "create"
	case Updated:
		return "update"
	case Enrolled:
		return "enroll"
	case Unenrolled:
		return "unenroll"
	case Deactivated:
		return "deactivate"
	case Deleted:
		return "delete"
	case Undone:
		return "undo"
	case Skipped:
		return "skip"
	case Failed:
		return "fail"
	}
	return o // unchanged, invalid, conflict
}

// Sends reports whether a plan with the outcome sends its steps: only the
// outcomes of writes do. A row found invalid, in conflict, unchanged,
// skipped or failed sends nothing, whatever was planned for it before
// that was found (a user's create, before the row's unknown group).
func (o Outcome) Sends() bool {
	switch o {
	case Created, Updated, Enrolled, Unenrolled, Deactivated, Deleted, Undone,
		CannotUndo: // what can be reversed is
		return true
	}
	return false
}

// Succeeded reports whether an outcome is a success: nothing to fix.
func (o Outcome) Succeeded() bool {
	switch o {
	case Created, Updated, Unchanged, Enrolled, Unenrolled, Skipped, Valid, Deactivated, Deleted, Undone:
		return true
	}
	return false
}

// ToFix reports whether a row with the outcome belongs in the errors
// sheet: it failed, was invalid, or conflicts with someone in iLMS.
func (o Outcome) ToFix() bool { return !o.Succeeded() && o != Pending && o != Blocked }
