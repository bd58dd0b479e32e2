package report

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
)

// htmlPage is the one-page compliance summary for people who will not
// open a workbook: printable, with no external assets and no links out.
var htmlPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font: 11pt/1.4 system-ui, sans-serif; color: #111; margin: 1.5cm; }
h1 { font-size: 18pt; margin: 0 0 .2em; }
h2 { font-size: 13pt; margin: 1.2em 0 .4em; }
p.meta { margin: 0; color: #333; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { border-bottom: 1px solid #bbb; padding: .15em .5em; text-align: left; }
thead th { border-bottom: 2px solid #333; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid #333; }
svg text { font: 9pt system-ui, sans-serif; fill: #111; }
@page { size: A4 landscape; margin: 1.2cm; }
@media print { body { margin: 0; } section { break-inside: avoid; } }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{range .Meta}}<p class="meta">{{.}}</p>
{{end}}
<section>
<h2>Completion by course</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Chart.Width}}" height="{{.Chart.Height}}" role="img" aria-label="Completion by course">
{{range .Chart.Bars}}<text x="{{$.Chart.LabelWidth}}" y="{{.TextY}}" text-anchor="end" dx="-6">{{.Label}}</text>
<rect x="{{$.Chart.LabelWidth}}" y="{{.Y}}" width="{{.W}}" height="{{$.Chart.Bar}}" fill="#2E75B6"></rect>
<text x="{{.ValueX}}" y="{{.TextY}}" dx="4">{{.Value}}</text>
{{end}}</svg>
</section>
<section>
<h2>Summary</h2>
<table>
<thead><tr><th>Course ID</th><th>Course Name</th><th>Type</th><th class="num">Enrolled</th><th class="num">Not Started</th><th class="num">In Progress</th><th class="num">Passed</th><th class="num">Failed</th><th class="num">Waived</th><th class="num">Completion</th><th class="num">Overdue</th></tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Total}} class="total"{{end}}><td>{{.ID}}</td><td>{{.Name}}</td><td>{{.Type}}</td><td class="num">{{.Enrolled}}</td><td class="num">{{.NotStarted}}</td><td class="num">{{.InProgress}}</td><td class="num">{{.Passed}}</td><td class="num">{{.Failed}}</td><td class="num">{{.Waived}}</td><td class="num">{{.Completion}}</td><td class="num">{{.Overdue}}</td></tr>
{{end}}</tbody>
</table>
</section>
<section>
<h2>Departments with the most overdue</h2>
<table><thead><tr><th>Region / Division / Department</th><th class="num">Overdue enrollments</th></tr></thead><tbody>
{{range .Depts}}<tr><td>{{index . 0}}</td><td class="num">{{index . 1}}</td></tr>
{{else}}<tr><td colspan="2">Nobody is overdue.</td></tr>{{end}}</tbody></table>
<h2>Supervisors to chase</h2>
<table><thead><tr><th>Supervisor</th><th>Email</th><th class="num">People overdue</th><th class="num">Overdue enrollments</th></tr></thead><tbody>
{{range .Sups}}<tr><td>{{index . 0}}</td><td>{{index . 1}}</td><td class="num">{{index . 2}}</td><td class="num">{{index . 3}}</td></tr>
{{else}}<tr><td colspan="4">Nobody is overdue.</td></tr>{{end}}</tbody></table>
</section>
{{with .Changes}}<section>
<h2>Since {{.Since}}</h2>
<p class="meta">{{.Note}}</p>
<table><thead><tr><th>Course</th><th class="num">Then</th><th class="num">Now</th><th class="num">Change</th></tr></thead><tbody>
{{range .Courses}}<tr><td>{{index . 0}}</td><td class="num">{{index . 1}}</td><td class="num">{{index . 2}}</td><td class="num">{{index . 3}}</td></tr>
{{end}}</tbody></table>
<table><tbody>
{{range .Counts}}<tr><th>{{index . 0}}</th><td class="num">{{index . 1}}</td></tr>
{{end}}</tbody></table>
</section>{{end}}
</body>
</html>
`))

type htmlRow struct {
	ID, Name, Type                                                    string
	Enrolled, NotStarted, InProgress, Passed, Failed, Waived, Overdue int
	Completion                                                        string
	Total                                                             bool
}

type htmlBar struct {
	Label, Value        string
	Y, TextY, W, ValueX int
}

type htmlChart struct {
	Width, Height, LabelWidth, Bar int
	Bars                           []htmlBar
}

type htmlChanges struct {
	Since, Note string
	Courses     [][4]string
	Counts      [][2]any
}

func percent(t *tally) string {
	if t.enrolled == 0 {
		return noCompletion
	}
	return fmt.Sprintf("%.1f%%", 100*t.completion())
}

// WriteHTML writes the one-page summary: the title block, the chart as
// inline SVG, the Summary table, the departments and supervisors with the
// most overdue, and with Compare the changes since.
func (c *Compliance) WriteHTML(w io.Writer) error {
	defer c.f.Close()
	var meta []string
	for _, line := range c.titleBlock()[1:] {
		meta = append(meta, fmt.Sprint(line[0]))
	}
	labels := c.chartLabels()
	const labelWidth, bar, gap, span = 260, 14, 6, 420
	chart := htmlChart{Width: labelWidth + span + 60, Height: len(c.courses)*(bar+gap) + gap, LabelWidth: labelWidth, Bar: bar}
	var rows []htmlRow
	var sum tally
	for i, ci := range c.courses {
		t := c.byID[ci.ID]
		sum.add(t)
		rows = append(rows, htmlRow{ID: ci.ID, Name: ci.Name, Type: ci.Type, Enrolled: t.enrolled, NotStarted: t.notStarted, InProgress: t.inProgress,
			Passed: t.passed, Failed: t.failed, Waived: t.waived, Overdue: t.overdue, Completion: percent(t)})
		y := gap + i*(bar+gap)
		width := int(float64(span) * t.completion())
		chart.Bars = append(chart.Bars, htmlBar{Label: labels[i], Value: percent(t), Y: y, TextY: y + bar - 3, W: width, ValueX: labelWidth + width})
	}
	rows = append(rows, htmlRow{ID: "Total", Name: fmt.Sprintf("%d courses and curricula", len(c.courses)), Enrolled: sum.enrolled, NotStarted: sum.notStarted,
		InProgress: sum.inProgress, Passed: sum.passed, Failed: sum.failed, Waived: sum.waived, Overdue: sum.overdue, Completion: percent(&sum), Total: true})
	var depts [][2]any
	for d, courses := range c.depts {
		n := 0
		for _, t := range courses {
			n += t.overdue
		}
		if n > 0 {
			depts = append(depts, [2]any{d, n})
		}
	}
	sort.Slice(depts, func(i, j int) bool {
		if depts[i][1].(int) != depts[j][1].(int) {
			return depts[i][1].(int) > depts[j][1].(int)
		}
		return depts[i][0].(string) < depts[j][0].(string)
	})
	var sups [][4]any
	for s, ch := range c.chase {
		name := s[0]
		if s == ([2]string{}) {
			name = "(no supervisor in iLMS)"
		}
		sups = append(sups, [4]any{name, s[1], len(ch.people), ch.enrollments})
	}
	sort.Slice(sups, func(i, j int) bool {
		if sups[i][3].(int) != sups[j][3].(int) {
			return sups[i][3].(int) > sups[j][3].(int)
		}
		return sups[i][0].(string) < sups[j][0].(string)
	})
	data := map[string]any{"Title": c.title(), "Meta": meta, "Chart": chart, "Rows": rows,
		"Depts": depts[:min(10, len(depts))], "Sups": sups[:min(10, len(sups))]}
	if c.prev != nil {
		data["Changes"] = c.htmlChanges()
	}
	return htmlPage.Execute(w, data)
}

// htmlChanges is the comparison in short: completion then → now by
// course, and how many people are in each list of the Changes sheet.
func (c *Compliance) htmlChanges() htmlChanges {
	ch := htmlChanges{Since: c.prev.AsOf.Format("2006-01-02")}
	if c.prev.Filters != c.filters() {
		ch.Note = fmt.Sprintf("The two were made with different filters: then %q, now %q.", c.prev.Filters, c.filters())
	}
	then, now := completionOf(c.prev.rows, func(e *enrolled) string { return e.course }), completionOf(c.now, func(e *enrolled) string { return e.course })
	names := map[string]string{}
	for _, m := range []map[string]*enrolled{c.prev.rows, c.now} {
		for _, e := range m {
			names[e.course] = e.courseName
		}
	}
	keys := map[string]bool{}
	for k := range then {
		keys[k] = true
	}
	for k := range now {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	rate := func(n [2]int, ok bool) (string, float64, bool) {
		if !ok || n[0] == 0 {
			return noCompletion, 0, false
		}
		f := float64(n[1]) / float64(n[0])
		return fmt.Sprintf("%.1f%%", 100*f), f, true
	}
	for _, k := range sorted {
		t, okT := then[k]
		n, okN := now[k]
		a, fa, oka := rate(t, okT)
		b, fb, okb := rate(n, okN)
		d := noCompletion
		if oka && okb {
			d = fmt.Sprintf("%+.1f", 100*(fb-fa))
		}
		ch.Courses = append(ch.Courses, [4]string{strings.TrimSpace(names[k] + " (" + k + ")"), a, b, d})
	}
	count := func(keep func(t, n *enrolled) bool) int {
		seen, x := map[string]bool{}, 0
		for _, m := range []map[string]*enrolled{c.prev.rows, c.now} {
			for k := range m {
				if !seen[k] {
					seen[k] = true
					if keep(c.prev.rows[k], c.now[k]) {
						x++
					}
				}
			}
		}
		return x
	}
	for _, l := range changeLists {
		ch.Counts = append(ch.Counts, [2]any{l.title, count(l.keep)})
	}
	return ch
}
