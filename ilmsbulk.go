// Package ilmsbulk holds what the whole tool shares at build time: the
// sandbox's seed organization (testdata/org.json) and the tool's version.
// The command is in cmd/ilms-bulk; the packages are described in
// docs and in each package's own documentation.
package ilmsbulk

import _ "embed"

// SeedOrg is testdata/org.json: the organization an in-process sandbox
// starts from. It holds every example entity of the API document and a
// realistic staff; ilms/sandbox's tests keep it equal to GenerateOrg.
//
//go:embed testdata/org.json
var SeedOrg []byte

// Version is the tool's version, set at build time with
// -ldflags "-X github.com/ilms-bulk/ilms-bulk.Version=v1.2.3".
var Version = "dev"
