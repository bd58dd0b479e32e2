package pipeline

import (
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
)

// NeedsFor says what an import of a file reads from the organization.
func NeedsFor(m *mapping.Mapper) org.Needs {
	switch m.Kind() {
	case mapping.Users:
		// A Courses cell may name course/session.
		return org.Needs{Users: true, Hierarchy: true, Groups: m.Has(mapping.Groups), Courses: m.Has(mapping.Courses), Sessions: m.Has(mapping.Courses)}
	}
	return org.Needs{Users: true, Courses: true, Sessions: true}
}
