package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/report"
)

type exportOptions struct {
	Output   string
	Format   string
	PageSize int
	Status   []string
}

func newExportCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export users, enrollments, transcripts and reports to CSV or XLSX",
	}
	opts := &exportOptions{}
	users := &cobra.Command{
		Use:   "users",
		Short: "Export users, one column per profile field code",
		Example: `  ilms-bulk export users --sandbox -o users.csv
  ilms-bulk export users --status active,inactive -o -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Format != "csv" {
				return usagef("--format %q is not supported yet for users; use csv", opts.Format)
			}
			if opts.PageSize < 1 {
				return usagef("--page-size must be at least 1")
			}
			return exportUsers(cmd.Context(), ios, g, opts)
		},
	}
	f := users.Flags()
	f.StringVarP(&opts.Output, "output", "o", "-", "file to write, or - for standard output")
	f.StringVar(&opts.Format, "format", "csv", "output format: csv")
	f.IntVar(&opts.PageSize, "page-size", ilms.DefaultPerPage, "users per page request")
	f.StringSliceVar(&opts.Status, "status", nil, "user statuses to include: active, inactive, deleted (default active)")
	cmd.AddCommand(users)
	return cmd
}

func exportUsers(ctx context.Context, ios *IOStreams, g *globalOptions, opts *exportOptions) error {
	q := ilms.NewUserQuery().WithStatus(opts.Status...)
	if _, err := q.Values(); err != nil {
		return usagef("%v", strings.TrimPrefix(err.Error(), "ilms: "))
	}
	conn, err := g.connect(ctx, ios, connectOptions{PerPage: opts.PageSize})
	if err != nil {
		return err
	}
	defer conn.Close()
	n, err := writeOutput(opts.Output, ios.Out, func(w io.Writer) (int, error) {
		cw := csv.NewWriter(w)
		cols := report.UserColumns()
		if err := cw.Write(cols); err != nil {
			return 0, err
		}
		n := 0
		var rec []string
		for u, err := range conn.Client.Users.List(q).PerPage(opts.PageSize).All(ctx) {
			if err != nil {
				return n, err
			}
			rec = report.UserRecord(rec, &u, cols)
			if err := cw.Write(rec); err != nil {
				return n, err
			}
			n++
		}
		cw.Flush()
		return n, cw.Error()
	})
	if err != nil {
		return err
	}
	if err := conn.Close(); err != nil {
		return err
	}
	if !g.Quiet && opts.Output != "-" {
		fmt.Fprintf(ios.ErrOut, "exported %d users to %s\n", n, opts.Output)
	}
	return nil
}

// writeOutput streams write into path ("-" for stdout). A file is written
// under a temporary name and renamed when complete, so a failed export
// never leaves a file that looks whole.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) (int, error)) (int, error) {
	if path == "-" || path == "" {
		bw := bufio.NewWriterSize(stdout, 64<<10)
		n, err := write(bw)
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		return n, err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, &inputError{fmt.Errorf("cannot write %s: %w", path, err)}
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 64<<10)
	n, err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("cannot write %s: %w", path, err)
	}
	return n, nil
}
