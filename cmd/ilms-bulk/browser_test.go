package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshots is where the browser tests keep the pictures of each step:
// ILMS_SCREENSHOTS=docs/web (from the repository's root) renews the
// README's; otherwise a folder of the test's own.
func screenshots(t *testing.T) string {
	if d := os.Getenv("ILMS_SCREENSHOTS"); d != "" {
		if !filepath.IsAbs(d) {
			d = filepath.Join("..", "..", d)
		}
		return d
	}
	return t.TempDir()
}

// startServe runs the built binary's serve --sandbox and returns the URL
// it prints, token included, the environment it runs in (the sandbox's
// state is kept there) and a func that stops it, the state saved.
func startServe(t *testing.T, args ...string) (string, []string, func()) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--sandbox", "--addr", "127.0.0.1:0"}, args...)...)
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CACHE_HOME=" + home, "XDG_CONFIG_HOME=" + home, "PATH=" + os.Getenv("PATH")}
	cmd.Env = env
	cmd.Dir = t.TempDir()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	}
	t.Cleanup(stop)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), "open "); ok {
				found <- u
			}
		}
	}()
	select {
	case u := <-found:
		return u, env, stop
	case <-time.After(30 * time.Second):
		t.Fatal("serve printed no address")
	}
	return "", nil, nil
}

// browser starts headless Chromium, Debian's.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("the browser tests need Debian's chromium (.ci/run installs it): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1280, 800))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestBrowserImportsACohort drives the page as a person does, in
// Chromium: a request without the token, or under another Host, is
// refused; the token opens the page, the messy cohort is chosen and
// checked, its invalid rows are in the table under their spreadsheet
// rows, and the errors sheet downloads with them; the sheet fixed is
// checked clean, planned (every create shown), and run, its progress
// followed to the end; the results sheet and the sandbox hold the people.
func TestBrowserImportsACohort(t *testing.T) {
	url, env, stop := startServe(t, "--rate", "3") // a run slow enough to watch: about 3 s of writes
	base, _, _ := strings.Cut(url, "/?token=")
	ctx := browser(t)
	shots := screenshots(t)
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG; less is JPEG
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name), png, 0o644)
		})
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return s
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	if why := text("#why"); !strings.Contains(why, "Open the address ilms-bulk serve printed") {
		t.Errorf("without the token the page says %q", why)
	}

	// The server reached under another name (DNS rebinding) is refused,
	// the token notwithstanding.
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Host = "ilms.example.com"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a foreign Host: %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}

	cohort, _ := filepath.Abs("../../testdata/messy-cohort.csv")
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible("#file"), chromedp.SetUploadFiles("#file", []string{cohort}), shot("1-file-chosen.png")); err != nil {
		t.Fatal(err)
	}
	if banner := text("header"); !strings.Contains(banner, "SANDBOX") || !strings.Contains(banner, "99999") {
		t.Errorf("the banner does not say which organization: %q", banner)
	}
	if err := chromedp.Do(ctx, chromedp.Click("#check"), chromedp.WaitVisible("#problems, #error, #why, pre")); err != nil {
		t.Fatal(err)
	}
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#problems") !== null`)); err != nil || !ok {
		t.Fatalf("no table of problems (%v); the page says:\n%s", err, text("body"))
	}
	if err := chromedp.Do(ctx, shot("2-problems.png")); err != nil {
		t.Fatal(err)
	}
	if rows, invalid := text("#rows"), text("#invalid"); rows != "10" || invalid != "8" {
		t.Errorf("counts: %s rows, %s invalid; want 10 and 8", rows, invalid)
	}
	if table := text("#problems tbody"); !strings.Contains(table, "Untied States") || !strings.Contains(table, "United States") {
		t.Errorf("the table lacks row 3's country and its suggestion:\n%s", table)
	}
	// The rows of the table are the spreadsheet's rows 3 to 10: row 9's
	// first cell holds a line break, and the file's line 11 is row 10.
	rowsShown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll("#problems tbody tr td:first-child")].map(td => td.textContent))]`))
	if err != nil || strings.Join(rowsShown, " ") != "3 4 5 6 7 8 9 10" {
		t.Errorf("the table's rows %v (%v), want 3 to 10", rowsShown, err)
	}

	// The errors sheet, as the page's link downloads it (fetched in the
	// page, with its cookie).
	link, err := chromedp.Run(ctx, chromedp.AttributeValue(`#file-errors\.csv`, "href"))
	if err != nil || link.Value == "" {
		t.Fatalf("no link to the errors sheet: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+strconvQuote(link.Value)+`).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(got, "\ufeff"))).ReadAll()
	if err != nil || len(sheet) != 9 || sheet[0][len(sheet[0])-1] != "error" {
		t.Fatalf("errors.csv: %v, %d rows (want a header and 8):\n%s", err, len(sheet), got)
	}
	if strings.Contains(got, "Welcome-2024") {
		t.Error("a password is in the errors sheet")
	}

	// The errors sheet, fixed (testdata/messy-cohort.fixed.csv is it, each
	// row corrected as its error column says), checked again: clean.
	fixed, _ := filepath.Abs("../../testdata/messy-cohort.fixed.csv")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#file"), chromedp.SetUploadFiles("#file", []string{fixed}),
		chromedp.Click("#check"), chromedp.WaitVisible("#problems")); err != nil {
		t.Fatal(err)
	}
	if rows, invalid := text("#rows"), text("#invalid"); rows != "8" || invalid != "0" {
		t.Fatalf("the fixed file: %s rows, %s invalid; want 8 and 0", rows, invalid)
	}
	// The plan: every person a create; nothing sent yet.
	if err := chromedp.Do(ctx, chromedp.Click("#plan"), chromedp.WaitVisible("#changes"), shot("3-plan.png")); err != nil {
		t.Fatalf("%v\n%s", err, text("body"))
	}
	if n := text("#count-create"); n != "8" {
		t.Errorf("the plan creates %s, want 8:\n%s", n, text("body"))
	}
	// Run it and follow it to the end: the page counts the rows as they
	// are done, then shows the results.
	if err := chromedp.Do(ctx, chromedp.Click("#run"), chromedp.WaitVisible("#progress")); err != nil {
		t.Fatalf("%v\n%s", err, text("body"))
	}
	line, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
		const rows = document.getElementById("done-rows");
		return rows !== null && !["0", ""].includes(rows.textContent) && document.getElementById("line").textContent;
	})()`))
	if err != nil {
		t.Fatalf("the progress never showed: %v\n%s", err, text("body"))
	}
	if !strings.Contains(line, "rows/s") {
		t.Errorf("the progress says %q", line)
	}
	// The picture of the run as it goes; the page may have moved on to
	// the results already (it reloads when the run ends), which is fine.
	if err := chromedp.Do(ctx, shot("4-running.png")); err != nil {
		t.Logf("no picture of the running page: %v", err)
	}
	// The page reloads when the run ends: a query cut by the reload is
	// asked again.
	err = nil
	for try := 0; try < 5; try++ {
		if err = chromedp.Do(ctx, chromedp.WaitVisible("#finished")); err == nil {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if err == nil {
		err = chromedp.Do(ctx, shot("5-finished.png"))
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, text("body"))
	}
	if n := text("#count-created"); n != "8" || !strings.Contains(text("#finished"), "finished") {
		t.Errorf("after the run: %s created, %q\n%s", n, text("#finished"), text("body"))
	}
	link, err = chromedp.Run(ctx, chromedp.AttributeValue(`#file-results\.csv`, "href"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+strconvQuote(link.Value)+`).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || strings.Count(res, ",created,") != 8 {
		t.Errorf("results.csv: %v\n%s", err, res)
	}
	// The sandbox holds them: read back once serve has saved its state.
	stop()
	export := exec.Command(binary, "export", "users", "--sandbox", "--rate", "unlimited", "-o", "-")
	export.Env = env
	out, err := export.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"bob.untied@example.com", "carla.mendes@example.com", "ian.wright@example.com", "hana.kato@example.com"} {
		if !strings.Contains(string(out), email) {
			t.Errorf("the sandbox has no %s after the run", email)
		}
	}
}

func strconvQuote(s string) string { return strconv.Quote(s) }
