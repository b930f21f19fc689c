package dataset

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a bundle, located as precisely as we can:
// file, line (1-based, 0 for the whole file) and column name.
type Problem struct {
	File   string
	Line   int
	Column string
	ZH     string
	EN     string
}

func (p Problem) where() string {
	s := p.File
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
	}
	if p.Column != "" {
		s += ": " + p.Column
	}
	return s
}

// String gives the problem in Chinese, then English.
func (p Problem) String() string {
	return p.where() + ": " + p.ZH + " (" + p.EN + ")"
}

// Problems is every problem found; it is an error when not empty. An import
// reports all of them at once and writes nothing.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "数据包有 %d 个问题，未导入任何数据 (dataset has %d problems; nothing was imported):", len(ps), len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

func (ps *Problems) add(file string, line int, column, zh, en string) {
	*ps = append(*ps, Problem{File: file, Line: line, Column: column, ZH: zh, EN: en})
}

func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}
