package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the standard streams of a run. Tests swap in buffers.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// StderrTTY tells whether ErrOut is a terminal that can redraw a
	// progress bar.
	StderrTTY bool
}

func systemStreams() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, StderrTTY: term.IsTerminal(int(os.Stderr.Fd()))}
}
