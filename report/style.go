package report

import "github.com/xuri/excelize/v2"

// The look the workbooks share, named once: a header row is bold on a
// light blue fill and frozen; dates, percentages and text columns have
// these number formats; a streamed sheet's rows are a table of this style
// (its filter buttons).
const (
	headerFill    = "DDEBF7"
	faultFill     = "FFC7CE" // a cell at fault, and a row to fix
	faultFont     = "9C0006"
	dateFormat    = "yyyy-mm-dd hh:mm"
	percentFormat = 10 // Excel's built-in 0.00%
	textFormat    = 49 // Excel's built-in @: keeps 00123 and dates as typed
	tableStyle    = "TableStyleLight9"
)

// headerStyle is a header cell's style.
func headerStyle() *excelize.Style {
	return &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFill}}}
}

// faultStyle marks a cell at fault.
func faultStyle() *excelize.Style {
	return &excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{faultFill}}, Font: &excelize.Font{Color: faultFont}}
}

// wrappedHeaderStyle is a header cell's style for long names, wrapped.
func wrappedHeaderStyle() *excelize.Style {
	s := headerStyle()
	s.Alignment = &excelize.Alignment{WrapText: true, Vertical: "top"}
	return s
}

func percentStyle() *excelize.Style { return &excelize.Style{NumFmt: percentFormat} }

func dateStyle() *excelize.Style {
	format := dateFormat
	return &excelize.Style{CustomNumFmt: &format}
}

func textStyle() *excelize.Style { return &excelize.Style{NumFmt: textFormat} }

// frozenHeader freezes the first row.
func frozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
}
