package main

import (
	"fmt"
	"os/exec"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/web"
)

func newServeCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var addr string
	var open bool
	var p connect.Options
	hook := &web.AttemptHook{}
	cmd := &cobra.Command{Use: "serve", Short: "Serve the web page for HR staff on this computer (loopback)", Args: cobra.NoArgs}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := p.CheckPace(); err != nil {
			return err
		}
		p.OnAttempt = hook.Observe
		conn, err := g.connect(cmd.Context(), ios, p)
		if err != nil {
			return err
		}
		defer conn.Close()
		return web.Serve(cmd.Context(), addr, conn, hook, func(url string) {
			fmt.Fprintf(ios.Out, "ilms-bulk serve: open %s\nPress Ctrl-C to stop.\n", url)
			if open {
				exec.Command("xdg-open", url).Start()
			}
		})
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8090", "address to listen on (loopback unless you mean otherwise)")
	cmd.Flags().BoolVar(&open, "open", false, "open the page in the browser")
	p.AddPaceFlags(cmd.Flags())
	return cmd
}
