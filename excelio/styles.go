package excelio

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

type styleKind int

const (
	headerStyle styleKind = iota
	textStyle             // codes and labels, locked
	wrapStyle             // long labels, locked
	shownStyle            // last value and target: numbers to read, locked
	valueStyle            // the figure asked for
	noteStyle             // the department's note
	titleStyle            // instructions
	paragraphStyle
)

type styleKey struct {
	kind     styleKind
	decimals int
	suffix   string // shown after the number, e.g. the period of the last value
	locked   bool   // for values and notes of approved rows
}

// Fill colours tell at a glance what to do with a cell: yellow to fill in,
// green approved, grey for reference.
const (
	headerFill   = "DDEBF7"
	editFill     = "FFF2CC"
	approvedFill = "E2EFDA"
	shownFill    = "F2F2F2"
)

// styler makes each distinct cell style once.
type styler struct {
	f   *excelize.File
	ids map[styleKey]int
}

func (s *styler) apply(sheet, from, to string, k styleKey) error {
	id, ok := s.ids[k]
	if !ok {
		var err error
		if id, err = s.f.NewStyle(k.style()); err != nil {
			return err
		}
		s.ids[k] = id
	}
	return s.f.SetCellStyle(sheet, from, to, id)
}

func (k styleKey) style() *excelize.Style {
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	fill := func(color string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	locked := &excelize.Protection{Locked: true}
	switch k.kind {
	case headerStyle:
		return &excelize.Style{Border: border, Fill: fill(headerFill), Protection: locked, Font: &excelize.Font{Bold: true},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}
	case textStyle:
		return &excelize.Style{Border: border, Protection: locked, Alignment: &excelize.Alignment{Vertical: "top"}}
	case wrapStyle:
		return &excelize.Style{Border: border, Protection: locked, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}
	case shownStyle:
		return &excelize.Style{Border: border, Fill: fill(shownFill), Protection: locked, CustomNumFmt: numberFormat(k.decimals, k.suffix),
			Alignment: &excelize.Alignment{Vertical: "top"}}
	case valueStyle:
		color := editFill
		if k.locked {
			color = approvedFill
		}
		return &excelize.Style{Border: border, Fill: fill(color), Protection: &excelize.Protection{Locked: k.locked},
			CustomNumFmt: numberFormat(k.decimals, ""), Alignment: &excelize.Alignment{Vertical: "top"}}
	case noteStyle:
		color := editFill
		if k.locked {
			color = approvedFill
		}
		return &excelize.Style{Border: border, Fill: fill(color), Protection: &excelize.Protection{Locked: k.locked},
			NumFmt:    49, // text: a note such as "1/2" stays as typed
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}
	case titleStyle:
		return &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}
	}
	return &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}
}

// numberFormat shows decimals digits after the point, and suffix (such as
// the period of a last value) after the number, without changing it.
func numberFormat(decimals int, suffix string) *string {
	f := "0"
	if decimals > 0 {
		f += "." + strings.Repeat("0", decimals)
	}
	if suffix = strings.NewReplacer(`"`, "", `\`, "").Replace(suffix); suffix != "" {
		f += `" (` + suffix + `)"`
	}
	return &f
}
