// Package ilmsbulk holds what the whole tool shares at build time: the
// sandbox's seed organization (testdata/org.json) and the tool's version.
// The command is in cmd/ilms-bulk; the packages are described in
// docs and in each package's own documentation.
package ilmsbulk

import (
	_ "embed"
	"runtime/debug"
)

// SeedOrg is testdata/org.json: the organization an in-process sandbox
// starts from. It holds every example entity of the API document and a
// realistic staff; ilms/sandbox's tests keep it equal to GenerateOrg.
//
//go:embed testdata/org.json
var SeedOrg []byte

// Version is the tool's version, as run summaries record it: the one set
// with -ldflags "-X github.com/ilms-bulk/ilms-bulk.Version=v1.2.3", else
// the one the build recorded (see buildVersion).
var Version string

func init() {
	if Version == "" {
		Version = buildVersion(debug.ReadBuildInfo())
	}
}

// buildVersion reads a build's version: the main module's, which go
// install module@version sets, and go build sets from the repository's
// tag or commit (v0.0.0-20261201093355-ae942e3c1f0a, +dirty when the tree
// had changes); else the commit the build recorded, with +dirty likewise;
// else (devel), as Go says of a build it knows nothing of.
func buildVersion(info *debug.BuildInfo, ok bool) string {
	const devel = "(devel)"
	if !ok {
		return devel
	}
	if v := info.Main.Version; v != "" && v != devel {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision":
			rev = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "+dirty"
		}
	}
	if rev == "" {
		return devel
	}
	return rev + dirty
}
