package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/period"
)

const bom = "\uFEFF"

// column is one column of a file; required columns must be in the header
// and non-empty in every row.
type column struct {
	name     string
	required bool
}

// row gives typed access to one CSV record and collects the problems of
// every cell it reads, so that one pass reports them all.
type row struct {
	file  string
	line  int
	cells map[string]string
	probs *Problems
}

func (r row) bad(col, zh, en string) {
	r.probs.add(r.file, r.line, col, zh, en)
}

func (r row) str(col string) string { return r.cells[col] }

func (r row) int(col string) int {
	s := r.cells[col]
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		r.bad(col, fmt.Sprintf("%q 不是整数", s), fmt.Sprintf("%q is not an integer", s))
	}
	return n
}

func (r row) float(col string) float64 {
	p := r.optFloat(col)
	if p == nil {
		return 0
	}
	return *p
}

func (r row) optFloat(col string) *float64 {
	s := r.cells[col]
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		r.bad(col, fmt.Sprintf("%q 不是有效数值（用小数点，不用千位分隔符）", s), fmt.Sprintf("%q is not a valid number (use a decimal point, no thousands separators)", s))
		return nil
	}
	return &f
}

func (r row) bool(col string) bool {
	switch strings.ToLower(r.cells[col]) {
	case "", "false", "0", "否", "no":
		return false
	case "true", "1", "是", "yes":
		return true
	}
	r.bad(col, fmt.Sprintf("%q 不是 true 或空", r.cells[col]), fmt.Sprintf("%q is not true or empty", r.cells[col]))
	return false
}

func (r row) date(col string) time.Time {
	s := r.cells[col]
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		r.bad(col, fmt.Sprintf("%q 不是日期（应为 YYYY-MM-DD）", s), fmt.Sprintf("%q is not a date (YYYY-MM-DD)", s))
	}
	return t
}

func (r row) time(col string) time.Time {
	s := r.cells[col]
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		r.bad(col, fmt.Sprintf("%q 不是时间（应为 RFC 3339，如 2021-03-15T08:00:00Z）", s), fmt.Sprintf("%q is not an RFC 3339 time", s))
	}
	return t.UTC()
}

func (r row) period(col string) period.Period {
	s := r.cells[col]
	if s == "" {
		return period.Period{}
	}
	p, err := period.Parse(s)
	if err != nil {
		r.bad(col, fmt.Sprintf("%q 不是有效期别（应为 2021、2021Q2、2021-05 或 2021W18）", s), fmt.Sprintf("%q is not a period (2021, 2021Q2, 2021-05 or 2021W18)", s))
	}
	return p
}

// readFile reads one CSV file of the bundle and calls each for every data
// row. A missing file is not a problem (it means "none") unless required.
func readFile(fsys fs.FS, name string, cols []column, required bool, probs *Problems, each func(row)) {
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		if required {
			probs.add(name, 0, "", "缺少此文件", "file is missing")
		}
		return
	}
	if err != nil {
		probs.add(name, 0, "", "无法读取："+err.Error(), "cannot read: "+err.Error())
		return
	}
	data = bytes.TrimPrefix(data, []byte(bom))
	if !utf8.Valid(data) {
		probs.add(name, 0, "", "文件不是 UTF-8 编码", "file is not UTF-8")
		return
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err == io.EOF {
		probs.add(name, 0, "", "文件为空，至少需要表头", "file is empty; a header row is needed")
		return
	}
	if err != nil {
		probs.add(name, 1, "", "表头无法解析："+err.Error(), "cannot parse header: "+err.Error())
		return
	}
	known := map[string]bool{}
	for _, c := range cols {
		known[c.name] = true
	}
	seen := map[string]bool{}
	for _, h := range header {
		h = strings.TrimSpace(h)
		switch {
		case !known[h]:
			probs.add(name, 1, h, "未知的列", "unknown column")
		case seen[h]:
			probs.add(name, 1, h, "列重复", "duplicate column")
		}
		seen[h] = true
	}
	for _, c := range cols {
		if c.required && !seen[c.name] {
			probs.add(name, 1, c.name, "缺少必需的列", "required column is missing")
		}
	}
	if len(*probs) > 0 && hasFileProblem(*probs, name) {
		return
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			probs.add(name, line, "", "无法解析："+err.Error(), "cannot parse: "+err.Error())
			return
		}
		cells := make(map[string]string, len(header))
		for i, h := range header {
			cells[strings.TrimSpace(h)] = strings.TrimSpace(rec[i])
		}
		r := row{file: name, line: line, cells: cells, probs: probs}
		for _, c := range cols {
			if c.required && cells[c.name] == "" {
				r.bad(c.name, "不能为空", "is required")
			}
		}
		each(r)
	}
}

func hasFileProblem(ps Problems, file string) bool {
	for _, p := range ps {
		if p.File == file && p.Line <= 1 {
			return true
		}
	}
	return false
}

// writeFile writes one CSV file with a byte-order mark, so that Excel reads
// the Chinese right, and a header of every column.
func writeFile(dir, name string, cols []column, rows [][]string) error {
	var buf bytes.Buffer
	buf.WriteString(bom)
	w := csv.NewWriter(&buf)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	if err := w.Write(header); err != nil {
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("dataset: write %s: %w", path, err)
	}
	return nil
}

func formatInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func formatOptFloat(p *float64) string {
	if p == nil {
		return ""
	}
	return formatFloat(*p)
}

func formatBool(b bool) string {
	if b {
		return "true"
	}
	return ""
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
