package web

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/casework"
	"github.com/lantu/lantu/excelio"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/storage"
)

// The cases in files: the register (事项登记表) in which the NPC and CPPCC
// offices keep their suggestions and proposals, imported all or nothing by
// casework.RegisterAll, its blank template, and any list of cases as an
// .xlsx. No file holds a submitter: the export leaves the column out for
// every type, so a petitioner's name and phone never leave in one.

func (s *Server) caseFileRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/cases.xlsx", Name: "cases_xlsx",
			Summary:    "the list of /cases (same ?state=all) as .xlsx: number, type, category, title, state, office, lead, co-handlers, deadline with how it was computed, working days left, light, answer result; never a submitter (audited download)",
			Permission: auth.Export, Handle: s.casesFile},
		// The blank register holds no case, only the public department
		// codes; it is for those who register cases, so it asks what the
		// import asks rather than Export.
		{Method: "GET", Pattern: "/cases/register.xlsx", Name: "case_register_xlsx",
			Summary:    "the blank case register (.xlsx) to fill in: its header, and a sheet of instructions with the case types, their categories and the department codes",
			Permission: auth.RespondOrders, Handle: s.caseRegisterTemplate},
		{Method: "POST", Pattern: "/cases/register", Name: "case_register_import",
			Summary:    "imports a case register .xlsx for the visitor's office all or nothing: every problem named by its cell and nothing written if there is one; the cases registered, and assigned where a lead is given, in one audited transaction",
			Permission: auth.RespondOrders, Handle: s.importCaseRegister, MaxBody: caseRegisterMaxBytes + 1<<20},
	}
}

const (
	caseRegisterSheet        = "事项登记"
	caseRegisterHelpSheet    = "填写说明"
	caseRegisterMaxBytes     = 4 << 20
	caseXLSXContentType      = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	maxCaseRegisterProblems  = 100
	caseRegisterCoSeparators = "、,，;；"
)

// caseRegisterLimits bound an uploaded register: an NPC session brings a
// few hundred suggestions.
func caseRegisterLimits() excelio.Limits {
	return excelio.Limits{MaxFileBytes: caseRegisterMaxBytes, MaxZipEntries: 200, MaxUncompressedBytes: 40 << 20, MaxRows: 5000, MaxCols: 30}
}

// caseRegisterColumn is a column of the register: its key, the Chinese name
// the template writes, and other names offices give it.
type caseRegisterColumn struct {
	key, zh string
	aliases []string
}

var caseRegisterColumns = []caseRegisterColumn{
	{"type", "类型", []string{"事项类型"}},
	{"number", "编号", []string{"建议编号", "提案编号", "事项编号", "建议提案编号"}},
	{"title", "标题", []string{"案由", "标题/案由", "题目"}},
	{"submitter", "领衔代表/提案人", []string{"领衔代表", "提案人", "提出人", "领衔人"}},
	{"contact", "联系方式", []string{"联系电话"}},
	{"category", "类别", nil},
	{"received", "登记日期", []string{"收到日期"}},
	{"lead_dept", "主办单位编码", []string{"主办单位"}},
	{"co_depts", "协办单位编码", []string{"协办单位"}},
	{"consent", "同意公开答复", []string{"是否同意公开", "同意公开"}},
}

// caseRegisterRequired are the columns a register must have.
var caseRegisterRequired = []string{"number", "title"}

func caseRegisterHeader() []string {
	h := make([]string, len(caseRegisterColumns))
	for i, c := range caseRegisterColumns {
		h[i] = c.zh + "\n" + c.key
	}
	return h
}

// caseRegisterColumnKey reads a header cell: the key, the Chinese name or
// an alias, or both as the template writes them.
func caseRegisterColumnKey(cell string) string {
	s := strings.TrimSpace(norm.NFKC.String(cell))
	if s == "" {
		return ""
	}
	for _, f := range append([]string{s}, strings.Fields(s)...) {
		for _, c := range caseRegisterColumns {
			if strings.EqualFold(f, c.key) || f == norm.NFKC.String(c.zh) || slices.ContainsFunc(c.aliases, func(a string) bool { return f == norm.NFKC.String(a) }) {
				return c.key
			}
		}
	}
	return ""
}

// caseImportPage is the report of an upload of a register.
type caseImportPage struct {
	File     string
	Problems excelio.Problems
	Rows     []caseImportRow // the cases registered
}

type caseImportRow struct {
	Case cases.Case
	Lead named
	Co   []named
}

func (s *Server) importCaseRegister(w http.ResponseWriter, r *http.Request) error {
	file, header, err := r.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return apperr.Invalidf("请选择要上传的事项登记表（.xlsx）", "choose the case register (.xlsx) to upload")
	}
	defer file.Close()
	page := caseImportPage{File: header.Filename}
	cr, entries, err := s.readCaseRegister(r, header.Filename, file, header.Size)
	if err != nil {
		return s.caseRegisterRefused(w, r, page, err)
	}
	registered, err := s.caseService().RegisterAll(r.Context(), subjectOf(r), entries)
	if err != nil {
		// Someone registered one of the numbers since the check.
		if err = cr.domain(err); err == nil {
			err = cr.refusal()
		}
		return s.caseRegisterRefused(w, r, page, err)
	}
	for _, c := range registered {
		row := caseImportRow{Case: c}
		if a, ok := c.Assignment(); ok {
			row.Lead = cr.names.dept(a.LeadDept)
			for _, h := range a.CoHandlers {
				row.Co = append(row.Co, cr.names.dept(h.Dept))
			}
		}
		page.Rows = append(page.Rows, row)
	}
	return s.renderPrivate(w, r, http.StatusOK, "case_import", page)
}

// readCaseRegister reads an uploaded register into entries and checks them
// as casework will register them; any problem, of the file or of an entry,
// each named by its cell, refuses the whole file.
func (s *Server) readCaseRegister(r *http.Request, name string, file io.ReaderAt, size int64) (*caseRegisterReader, []casework.Entry, error) {
	n, err := s.names(r.Context())
	if err != nil {
		return nil, nil, err
	}
	cr := &caseRegisterReader{names: n, named: map[string]bool{}}
	if cr.types, err = s.registrableTypes(r.Context()); err != nil {
		return nil, nil, err
	}
	if cr.defaultType, err = caseTypeOf(cr.types, r.FormValue("type")); err != nil {
		return nil, nil, err
	}
	upload := sheetUpload{zh: "事项登记表", en: "the case register", sheet: caseRegisterSheet, limits: caseRegisterLimits()}
	sheet, rows, err := upload.read(name, file, size)
	var probs excelio.Problems
	switch {
	case errors.As(err, &probs) && rows != nil:
		cr.formulas(sheet, probs) // and the other problems of the file are found too
	case err != nil:
		return nil, nil, err
	}
	entries, err := cr.read(sheet, rows)
	if err != nil {
		return nil, nil, err
	}
	if err := cr.domain(s.caseService().CheckAll(r.Context(), subjectOf(r), entries)); err != nil {
		return nil, nil, err
	}
	if len(cr.list) > 0 {
		return nil, nil, cr.refusal()
	}
	return cr, entries, nil
}

// caseRegisterRefused shows the problems of a refused register; an error
// that is not about the file is the error page's.
func (s *Server) caseRegisterRefused(w http.ResponseWriter, r *http.Request, page caseImportPage, err error) error {
	var probs excelio.Problems
	switch {
	case errors.As(err, &probs):
		page.Problems = probs
	case userError(err):
		page.Problems = excelio.Problems{{Where: page.File, ZH: apperr.Message(err, zh), EN: apperr.Message(err, en)}}
	default:
		return err
	}
	return s.renderPrivate(w, r, http.StatusBadRequest, "case_import", page)
}

// caseRegisterReader turns the rows of a register into casework entries,
// collecting every problem with its cell: its own (a type or date it
// cannot read, a formula) and casework's (an unknown department, a number
// already registered).
type caseRegisterReader struct {
	sheet       string
	names       names
	types       []cases.Type // the types an office registers, in force
	defaultType *cases.Type
	cols        map[string]int // column index by key
	header      int            // the header's row number
	rows        []int          // the row number of each entry
	list        []caseRegisterProblem
	// named are the cells the reader itself refused (a formula, a date it
	// cannot read): casework, given what was left of them, is not heard
	// on them too.
	named map[string]bool
}

// caseRegisterProblem is a problem and where it is, to sort them by row
// and column.
type caseRegisterProblem struct {
	row, col int
	excelio.Problem
}

func (cr *caseRegisterReader) where(col, row int) string {
	if col < 0 {
		return fmt.Sprintf("%s!%d:%d", cr.sheet, row, row)
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, row)
	return cr.sheet + "!" + cell
}

func (cr *caseRegisterReader) problem(col, row int, zhText, enText string) {
	where := cr.where(col, row)
	if !cr.named[where] {
		cr.list = append(cr.list, caseRegisterProblem{row: row, col: col, Problem: excelio.Problem{Where: where, ZH: zhText, EN: enText}})
	}
}

// refuse records a problem of the reader's own, at a cell casework then
// says nothing more about.
func (cr *caseRegisterReader) refuse(col, row int, zhText, enText string) {
	cr.problem(col, row, zhText, enText)
	cr.named[cr.where(col, row)] = true
}

// refusal is the problems found, by row and column, at most
// maxCaseRegisterProblems of them.
func (cr *caseRegisterReader) refusal() excelio.Problems {
	slices.SortStableFunc(cr.list, func(a, b caseRegisterProblem) int {
		return cmp.Or(cmp.Compare(a.row, b.row), cmp.Compare(a.col, b.col))
	})
	out := make(excelio.Problems, 0, min(len(cr.list), maxCaseRegisterProblems+1))
	for i, p := range cr.list {
		if i == maxCaseRegisterProblems {
			out = append(out, excelio.Problem{ZH: fmt.Sprintf("另有 %d 个问题未列出", len(cr.list)-i), EN: fmt.Sprintf("%d more problems not listed", len(cr.list)-i)})
			break
		}
		out = append(out, p.Problem)
	}
	return out
}

// formulas records the formula cells the upload refused; their values are
// not read.
func (cr *caseRegisterReader) formulas(sheet string, probs excelio.Problems) {
	cr.sheet = sheet
	for _, p := range probs {
		_, cell, _ := strings.Cut(p.Where, "!")
		col, row, err := excelize.CellNameToCoordinates(cell)
		if err != nil {
			col, row = 0, 0
		}
		cr.named[p.Where] = true
		cr.list = append(cr.list, caseRegisterProblem{row: row, col: col - 1, Problem: p})
	}
}

// cell is the text of the row's cell in the column key; col is -1 when
// the register has no such column.
func (cr *caseRegisterReader) cell(row sheetRow, key string) (text string, col int) {
	col, ok := cr.cols[key]
	if !ok {
		return "", -1
	}
	if cr.named[cr.where(col, row.n)] {
		return "", col // a formula: its cached value is not read
	}
	return row.cellText(col), col
}

// read reads the header and the rows; a register without a usable header
// or without rows is refused at once, the rest is collected.
func (cr *caseRegisterReader) read(sheet string, rows []sheetRow) ([]casework.Entry, error) {
	cr.sheet = sheet
	first := slices.IndexFunc(rows, func(row sheetRow) bool { return !row.blank() })
	if first < 0 {
		return nil, excelio.Problems{{Where: sheet, ZH: fmt.Sprintf("工作表「%s」是空的", sheet), EN: fmt.Sprintf("sheet %s is empty", sheet)}}
	}
	if probs := cr.readHeader(rows[first]); len(probs) > 0 {
		return nil, probs
	}
	var entries []casework.Entry
	for _, row := range rows[first+1:] {
		if row.blank() {
			continue
		}
		entries = append(entries, cr.entry(row))
		cr.rows = append(cr.rows, row.n)
	}
	if len(entries) == 0 {
		return nil, excelio.Problems{{Where: sheet, ZH: "表头下面没有事项", EN: "there are no cases below the header"}}
	}
	return entries, nil
}

func (cr *caseRegisterReader) readHeader(row sheetRow) excelio.Problems {
	cr.cols, cr.header = map[string]int{}, row.n
	var probs excelio.Problems
	for i, c := range row.cells {
		key := caseRegisterColumnKey(c)
		if key == "" {
			continue
		}
		if j, dup := cr.cols[key]; dup {
			probs = append(probs, excelio.Problem{Where: cr.where(i, row.n),
				ZH: fmt.Sprintf("表头中「%s」列出现了两次（%s 和 %s）", strings.TrimSpace(c), cr.where(j, row.n), cr.where(i, row.n)),
				EN: fmt.Sprintf("column %s appears twice in the header", key)})
			continue
		}
		cr.cols[key] = i
	}
	var missingZH, missingEN []string
	for _, c := range caseRegisterColumns {
		if _, ok := cr.cols[c.key]; !ok && slices.Contains(caseRegisterRequired, c.key) {
			missingZH, missingEN = append(missingZH, c.zh), append(missingEN, c.key)
		}
	}
	if len(missingZH) > 0 {
		probs = append(probs, excelio.Problem{Where: cr.where(-1, row.n),
			ZH: "表头缺少必填列：" + strings.Join(missingZH, "、"), EN: "the header lacks required columns: " + strings.Join(missingEN, ", ")})
	}
	return probs
}

// entry reads one row as it is; what casework checks (numbers, titles,
// departments, categories) it leaves to casework, and what it cannot read
// it names.
func (cr *caseRegisterReader) entry(row sheetRow) casework.Entry {
	e := casework.Entry{Source: cr.where(cr.cols["number"], row.n)}
	text := func(key string) string { t, _ := cr.cell(row, key); return t }
	typeText, typeCol := cr.cell(row, "type")
	if t, err := caseTypeOf(cr.types, typeText); err != nil {
		cr.refuse(typeCol, row.n, apperr.Message(err, zh), apperr.Message(err, en))
	} else if t != nil {
		e.Draft.Type = *t
	} else if cr.defaultType != nil {
		e.Draft.Type = *cr.defaultType
	} else {
		cr.refuse(typeCol, row.n, "请填写类型，或在上传时选择默认的事项类型", "give the case type, or choose a default type when uploading")
	}
	e.Draft.Number, e.Draft.Title = text("number"), text("title")
	e.Draft.Submitter, e.Draft.SubmitterContact = text("submitter"), text("contact")
	e.Draft.Category = caseCategoryOf(e.Draft.Type, text("category"))
	if day, col := cr.cell(row, "received"); day != "" {
		at, ok := caseRegisterDate(day)
		if !ok {
			cr.refuse(col, row.n, fmt.Sprintf("登记日期「%s」不是有效日期，应为 2024-03-05 这样的日期", day),
				fmt.Sprintf("the date received, %q, is not a date such as 2024-03-05", day))
		}
		e.ReceivedAt = at
	}
	if yes, col := cr.cell(row, "consent"); yes != "" {
		consent, ok := caseRegisterYesNo(yes)
		if !ok {
			cr.refuse(col, row.n, fmt.Sprintf("同意公开答复「%s」应为“是”或“否”", yes), fmt.Sprintf("consent to publish, %q, must be yes or no", yes))
		}
		e.Draft.PublishConsent = consent
	}
	e.LeadDept = cr.dept(text("lead_dept"))
	for _, d := range strings.FieldsFunc(text("co_depts"), func(r rune) bool {
		return strings.ContainsRune(caseRegisterCoSeparators, r) || r == ' ' || r == '\n' || r == '\t' || r == '\u3000'
	}) {
		e.CoDepts = append(e.CoDepts, cr.dept(d))
	}
	return e
}

// dept reads a department by its code, its name or its short name; an
// unknown one is kept as written, for casework to refuse.
func (cr *caseRegisterReader) dept(text string) string {
	code := strings.TrimSpace(norm.NFKC.String(text))
	if code == "" {
		return ""
	}
	if _, ok := cr.names.depts[code]; ok {
		return code
	}
	for _, d := range cr.names.depts {
		if code == d.NameZH || code == d.ShortZH || strings.EqualFold(code, d.NameEN) {
			return d.Code
		}
	}
	return code
}

// domain adds casework's problems of the entries at their cells; an error
// that is not about the entries is returned.
func (cr *caseRegisterReader) domain(err error) error {
	if err == nil {
		return nil
	}
	var probs casework.EntryProblems
	if !errors.As(err, &probs) {
		if userError(err) {
			cr.problem(-1, cr.header, apperr.Message(err, zh), apperr.Message(err, en))
			return nil
		}
		return err
	}
	for _, p := range probs {
		col := -1
		if key := caseEntryColumn[p.Field]; key != "" {
			if c, ok := cr.cols[key]; ok {
				col = c
			}
		}
		cr.problem(col, cr.rows[p.Entry], p.ZH, p.EN)
	}
	return nil
}

// caseEntryColumn is the register's column of each field casework names.
var caseEntryColumn = map[string]string{
	casework.FieldType: "type", casework.FieldNumber: "number", casework.FieldTitle: "title", casework.FieldCategory: "category",
	casework.FieldReceived: "received", casework.FieldLead: "lead_dept", casework.FieldCo: "co_depts", casework.FieldConsent: "consent",
}

// caseRegisterYesNo reads a yes or no as offices write them.
func caseRegisterYesNo(text string) (yes, ok bool) {
	switch strings.ToLower(strings.TrimSpace(norm.NFKC.String(text))) {
	case "是", "同意", "yes", "y", "1", "true":
		return true, true
	case "否", "不同意", "no", "n", "0", "false":
		return false, true
	}
	return false, false
}

// caseTypeOf finds one of the types by its code or name; nil for an
// empty text.
func caseTypeOf(types []cases.Type, text string) (*cases.Type, error) {
	text = strings.TrimSpace(norm.NFKC.String(text))
	if text == "" {
		return nil, nil
	}
	for i, t := range types {
		if strings.EqualFold(text, t.Code) || text == t.NameZH || strings.EqualFold(text, t.NameEN) {
			return &types[i], nil
		}
	}
	var zhNames, enNames []string
	for _, t := range types {
		zhNames, enNames = append(zhNames, t.NameZH+"（"+t.Code+"）"), append(enNames, t.Code)
	}
	return nil, apperr.New(apperr.Invalid, fmt.Sprintf("事项类型「%s」无效，应为：%s", text, strings.Join(zhNames, "、")),
		fmt.Sprintf("case type %q is not valid: %s", text, strings.Join(enNames, ", ")))
}

// caseCategoryOf reads a category of t by its code or name; anything else
// is kept as written, for casework to refuse.
func caseCategoryOf(t cases.Type, text string) string {
	text = strings.TrimSpace(norm.NFKC.String(text))
	for _, c := range t.Categories {
		if strings.EqualFold(text, c.Code) || text == c.NameZH || strings.EqualFold(text, c.NameEN) {
			return c.Code
		}
	}
	return text
}

var caseRegisterDatePattern = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// caseRegisterDate reads a date cell, at midnight in Beijing: a real date
// (a serial number, as the sheet stores it) or text such as 2024-03-05,
// 2024/3/5 or 2024年3月5日.
func caseRegisterDate(text string) (time.Time, bool) {
	text = strings.TrimSpace(norm.NFKC.String(text))
	var y, m, d int
	if serial, err := strconv.ParseFloat(text, 64); err == nil {
		if serial < 1 || serial > 100000 {
			return time.Time{}, false
		}
		t, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			return time.Time{}, false
		}
		y, m, d = t.Year(), int(t.Month()), t.Day()
	} else if p := caseRegisterDatePattern.FindStringSubmatch(text); p != nil {
		y, _ = strconv.Atoi(p[1])
		m, _ = strconv.Atoi(p[2])
		d, _ = strconv.Atoi(p[3])
	} else {
		return time.Time{}, false
	}
	at := time.Date(y, time.Month(m), d, 0, 0, 0, 0, indicator.Beijing)
	if y < 2000 || y > 2100 || int(at.Month()) != m || at.Day() != d {
		return time.Time{}, false
	}
	return at, true
}

// caseRegisterTemplate writes the blank register: the header on the first
// sheet, with the columns typed so that Excel keeps numbers and phones as
// written, and the instructions, types and departments on the second.
func (s *Server) caseRegisterTemplate(w http.ResponseWriter, r *http.Request) error {
	depts, err := s.db.Departments(r.Context())
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := writeCaseRegisterSheet(f); err != nil {
		return err
	}
	types, err := s.registrableTypes(r.Context())
	if err != nil {
		return err
	}
	if err := writeCaseRegisterHelp(f, types, depts); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", caseXLSXContentType)
	h.Set("Content-Disposition", `attachment; filename="lantu-case-register.xlsx"`)
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

func writeCaseRegisterSheet(f *excelize.File) error {
	if err := f.SetSheetName("Sheet1", caseRegisterSheet); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF7"}}})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": kept as typed
	if err != nil {
		return err
	}
	dateFormat := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		return err
	}
	widths := map[string]float64{"type": 16, "number": 20, "title": 40, "submitter": 16, "contact": 16, "category": 10, "received": 13, "lead_dept": 16, "co_depts": 24}
	for i, c := range caseRegisterColumns {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		style := textStyle
		if c.key == "received" {
			style = dateStyle
		}
		if err := f.SetColStyle(caseRegisterSheet, col, style); err != nil {
			return err
		}
		if err := f.SetColWidth(caseRegisterSheet, col, col, widths[c.key]); err != nil {
			return err
		}
	}
	for i, h := range caseRegisterHeader() {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(caseRegisterSheet, cell, h); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(caseRegisterColumns), 1)
	if err := f.SetCellStyle(caseRegisterSheet, "A1", last, head); err != nil {
		return err
	}
	if err := f.SetRowHeight(caseRegisterSheet, 1, 32); err != nil {
		return err
	}
	return f.SetPanes(caseRegisterSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// caseRegisterHelp is the instructions sheet's text, a line a row.
var caseRegisterHelp = []string{
	"事项登记表填写说明（Case register: how to fill it in）",
	"每行登记一件事项；表头请勿修改，列的顺序可以调整。空白行会被跳过。One case a row; keep the header, the columns may be moved. Blank rows are skipped.",
	"必填：编号、标题。类型留空时按上传时选择的默认类型登记。Required: number and title. An empty type takes the default chosen when uploading.",
	"登记日期留空为上传当天，可填 2024-03-05 这样的日期。The date received defaults to the day of the upload.",
	"填写主办单位的，导入时即交办（信访事项先受理再交办），办理时限从交办之日起算；协办单位用「、」分隔。A case with a lead is assigned on import (a petition is accepted first); separate co-handlers with 、.",
	"主办、协办单位可填编码或名称（见下表）。Departments by code or name (below).",
	"同意公开答复：代表、委员同意公开答复的填“是”，答复后在门户网站公开（不含姓名和联系方式）；只适用于建议和提案。Consent: yes where the deputy or member agrees to the answer's publication on the portal (without name or contact); suggestions and proposals only.",
	"整张表全部检查通过才会导入；有任何问题，都不写入，并逐一列出问题所在的单元格。The register is imported only if every row passes; otherwise nothing is written and every problem is listed by its cell.",
	"不要使用公式，请粘贴为数值。No formulas: paste values.",
}

func writeCaseRegisterHelp(f *excelize.File, types []cases.Type, depts []plan.Department) error {
	sheet := caseRegisterHelpSheet
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	n := 0
	line := func(style int, cells ...string) error {
		n++
		for i, c := range cells {
			cell, _ := excelize.CoordinatesToCellName(i+1, n)
			if err := f.SetCellStr(sheet, cell, excelio.SafeCell(c)); err != nil {
				return err
			}
		}
		if style != 0 && len(cells) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(cells), n)
			return f.SetCellStyle(sheet, "A"+strconv.Itoa(n), last, style)
		}
		return nil
	}
	for i, text := range caseRegisterHelp {
		style := 0
		if i == 0 {
			style = bold
		}
		if err := line(style, text); err != nil {
			return err
		}
	}
	n++
	if err := line(bold, "类型编码 type", "类型 name", "类别 categories"); err != nil {
		return err
	}
	for _, t := range types {
		var cats []string
		for _, c := range t.Categories {
			cats = append(cats, c.NameZH+"（"+c.Code+"）")
		}
		if err := line(0, t.Code, t.NameZH+" "+t.NameEN, strings.Join(cats, "、")); err != nil {
			return err
		}
	}
	n++
	if err := line(bold, "单位编码 code", "单位名称 name"); err != nil {
		return err
	}
	for _, d := range depts {
		if err := line(0, d.Code, d.NameZH); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 26); err != nil {
		return err
	}
	return f.SetColWidth(sheet, "B", "C", 40)
}

// casesFile is the list of /cases as an .xlsx: the same cases, in the
// same order, with the same deadlines and lights, in the visitor's
// language, and no submitter.
func (s *Server) casesFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	all := r.URL.Query().Get("state") == "all"
	list, err := s.caseService().Cases(ctx, subjectOf(r), storage.CaseFilter{OpenOnly: !all})
	if err != nil {
		return err
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return err
	}
	rows, err := s.caseRows(r, list, cal)
	if err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	lang := languageOf(r)
	name := func(d named) string { return pick(lang, d.NameZH, d.NameEN) }
	table := make([][]string, 0, len(rows))
	for _, row := range rows {
		c := row.Case
		var co []string
		if a, ok := c.Assignment(); ok {
			for _, h := range a.CoHandlers {
				co = append(co, name(n.dept(h.Dept)))
			}
		}
		days, result := "", ""
		if row.Timed {
			days = strconv.Itoa(row.DaysLeft)
		}
		if ans, ok := c.LastAnswer(); ok {
			if res, ok := c.Type.Result(ans.Result); ok {
				result = pick(lang, res.NameZH, res.NameEN)
			}
		}
		lead := ""
		if row.Lead.Code != "" {
			lead = name(row.Lead)
		}
		table = append(table, []string{c.Number, pick(lang, c.Type.NameZH, c.Type.NameEN), row.Category, c.Title,
			pick(lang, c.State.LabelZH(), c.State.LabelEN()), name(n.dept(c.OfficeDept)), lead, strings.Join(co, pick(lang, "、", ", ")),
			row.Deadline, days, pick(lang, row.Light.LabelZH(), row.Light.LabelEN()), result})
	}
	header := []string{"编号\nnumber", "类型\ntype", "类别\ncategory", "标题\ntitle", "状态\nstate", "登记机构\noffice", "主办单位\nlead",
		"协办单位\nco-handlers", "办理期限（计算方法）\ndeadline", "剩余工作日\nworking days left", "灯色\nlight", "答复结果\nresult"}
	var buf bytes.Buffer
	if err := excelio.WriteTable(&buf, "事项", header, table); err != nil {
		return err
	}
	state := "open"
	if all {
		state = "all"
	}
	s.audit(r, audit.Download, "cases", state, map[string]any{"file": "cases.xlsx", "rows": len(table)})
	h := w.Header()
	h.Set("Content-Type", caseXLSXContentType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="lantu-cases-%s-%s.xlsx"`, state, s.now().In(indicator.Beijing).Format("20060102")))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}
