package web

import "github.com/lantu/lantu/indicator"

// figure is a number ready to show: formatted with the indicator's
// decimals, with its qualifier, its unit and whether it is sample data.
type figure struct {
	Number    string
	Qualifier indicator.Qualifier
	UnitZH    string
	UnitEN    string
	Sample    bool
}

// Before is what precedes the number: "over", "at least" in English.
func (f figure) Before(lang string) string {
	if lang == en {
		return f.Qualifier.PrefixEN()
	}
	return ""
}

// AfterNumber is what follows the number in Chinese: 余 sits between the
// number and the unit (4400余亩).
func (f figure) AfterNumber(lang string) string {
	if lang == zh && f.Qualifier == indicator.MoreThan {
		return f.Qualifier.SuffixZH()
	}
	return ""
}

// AfterUnit is what follows the unit in Chinese: 以上 closes the figure
// (30%以上).
func (f figure) AfterUnit(lang string) string {
	if lang == zh && f.Qualifier == indicator.AtLeast {
		return f.Qualifier.SuffixZH()
	}
	return ""
}

// Tight reports whether the unit is written against the number: 18.77%.
func (f figure) Tight() bool {
	return f.UnitZH == "%" || f.UnitZH == "‰"
}

func newFigure(d indicator.Definition, n float64, q indicator.Qualifier, sample bool) figure {
	return figure{Number: indicator.FormatNumber(n, d.Decimals), Qualifier: q, UnitZH: d.UnitZH, UnitEN: d.UnitEN, Sample: sample}
}
