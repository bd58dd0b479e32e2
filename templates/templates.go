// Package templates holds the files the tool hands to its users: example
// mapping and settings files, and the blank import templates.
package templates

import "embed"

// Files are the example files, by name.
//
//go:embed *.json
var Files embed.FS
