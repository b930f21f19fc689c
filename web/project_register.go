package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/excelio"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
)

// The project register (项目登记表): one sheet, a project a row, that the
// office keeps in Excel and uploads back.

func (s *Server) projectRegisterRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/projects/register.xlsx", Name: "project_register_xlsx",
			Summary:    "the project register as .xlsx: every key project's code, name, owner department, leaders, location, category, stage, investment and years, with this year's 12 monthly plan amounts for the projects in the visitor's scope (audited download)",
			Permission: auth.Export, Handle: s.projectRegisterFile},
		{Method: "POST", Pattern: "/projects/register", Name: "project_register_import",
			Summary:    "imports the project register .xlsx all or nothing: every problem named by its cell and nothing written if there is one; new and changed projects and monthly plans in one audited transaction",
			Permission: auth.Supervise, Handle: s.importProjectRegister, MaxBody: registerMaxBytes + 1<<20},
	}
}

const (
	registerSheet    = "项目"
	registerMaxBytes = 4 << 20
)

// registerLimits bound an uploaded register: a city's key projects are a
// few hundred rows.
func registerLimits() excelio.Limits {
	return excelio.Limits{MaxFileBytes: registerMaxBytes, MaxZipEntries: 200, MaxUncompressedBytes: 40 << 20, MaxRows: 5000, MaxCols: 60}
}

// registerColumns are the register's columns before the months, A to N.
// The name columns of the department and the place are for people; an
// upload reads the codes.
var registerColumns = []struct{ key, zh string }{
	{"code", "项目编码"}, {"name", "项目名称"}, {"owner_dept", "责任部门编码"}, {"owner_dept_name", "责任部门"},
	{"leader", "责任领导"}, {"city_leader", "联系市领导"}, {"location", "地点编码"}, {"location_name", "地点"},
	{"category", "类别"}, {"stage", "阶段"}, {"planned_investment", "总投资（万元）"}, {"annual_investment", "年度计划投资（万元）"},
	{"start_year", "起始年份"}, {"end_year", "结束年份"},
}

// registerRequired are the columns an upload must have; a column left out
// leaves that field of every project as it is.
var registerRequired = []string{"code", "name", "owner_dept", "location", "stage"}

func registerHeader(year int) []string {
	var h []string
	for _, c := range registerColumns {
		h = append(h, c.zh+"\n"+c.key)
	}
	for m := 1; m <= 12; m++ {
		h = append(h, fmt.Sprintf("%d年%d月计划投资（万元）\n%d-%02d", year, m, year, m))
	}
	return h
}

func (s *Server) projectRegisterFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	year := s.now().In(indicator.Beijing).Year()
	list, err := s.db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(list))
	for _, p := range list {
		row := []string{p.Code, p.NameZH, p.OwnerDept, n.dept(p.OwnerDept).NameZH, p.Leader, p.CityLeader, p.OrgUnitCode,
			n.unit(p.OrgUnitCode).NameZH, p.Category, p.Stage.LabelZH(), registerAmountCell(p.PlannedInvestment), registerAmountCell(p.AnnualInvestment),
			registerYearCell(p.StartYear), registerYearCell(p.EndYear)}
		months := make([]string, 12)
		// Monthly plans are internal: only for the projects of the
		// visitor's scope.
		if scopeOf(r).Covers(p.OwnerDept) {
			plans, err := s.db.MonthlyPlans(ctx, p.Code, year)
			if err != nil {
				return err
			}
			for _, m := range plans {
				months[m.Month-1] = indicator.FormatNumber(m.Amount, -1)
			}
		}
		rows = append(rows, append(row, months...))
	}
	var buf bytes.Buffer
	if err := excelio.WriteTable(&buf, registerSheet, registerHeader(year), rows); err != nil {
		return err
	}
	s.audit(r, audit.Download, "project_register", strconv.Itoa(year), map[string]any{"file": "register.xlsx", "rows": len(rows)})
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="lantu-projects-%d.xlsx"`, year))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

func registerAmountCell(v *float64) string {
	if v == nil {
		return ""
	}
	return indicator.FormatNumber(*v, -1)
}

func registerYearCell(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// projectRegisterPage is the report of an upload of the register.
type projectRegisterPage struct {
	File                            string
	Problems                        excelio.Problems
	New, Changed, Unchanged, Months int
	Codes                           []string // the projects added or changed
}

func (s *Server) importProjectRegister(w http.ResponseWriter, r *http.Request) error {
	file, header, err := r.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return apperr.Invalidf("请选择要上传的项目登记表（.xlsx）", "choose the project register (.xlsx) to upload")
	}
	defer file.Close()
	ctx := r.Context()
	page := projectRegisterPage{File: header.Filename}
	changes, err := s.readRegister(r, header.Filename, file, header.Size)
	var probs excelio.Problems
	if errors.As(err, &probs) {
		page.Problems = probs
		return s.renderPrivate(w, r, http.StatusBadRequest, "project_register", page)
	}
	if err != nil {
		return err
	}
	page.New, page.Changed, page.Unchanged, page.Months, page.Codes = changes.New, changes.Changed, changes.Unchanged, len(changes.months), changes.codes
	if len(changes.projects) > 0 || len(changes.months) > 0 {
		a := subjectOf(r).Actor("导入项目登记表 (import the project register)")
		a.IP = clientOf(r).IP
		err := s.db.Write(ctx, a, func(tx *storage.Tx) error {
			for _, p := range changes.projects {
				if err := tx.PutProject(ctx, p); err != nil {
					return err
				}
			}
			for _, m := range changes.months {
				if err := tx.PutMonthlyPlan(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return s.renderPrivate(w, r, http.StatusOK, "project_register", page)
}

// registerChanges is what an upload changes: the projects new or changed
// and the monthly plan amounts new or changed.
type registerChanges struct {
	projects                []project.Project
	months                  []project.MonthlyPlan
	codes                   []string
	New, Changed, Unchanged int
}

// readRegister reads and checks an uploaded register against the stored
// projects; any problem, each named by its cell, refuses the whole file.
func (s *Server) readRegister(r *http.Request, name string, file io.ReaderAt, size int64) (registerChanges, error) {
	upload := sheetUpload{zh: "项目登记表", en: "the project register", sheet: registerSheet, limits: registerLimits()}
	sheet, rows, err := upload.read(name, file, size)
	if err != nil {
		return registerChanges{}, err
	}
	return s.registerChanges(r, sheet, rows)
}

// registerReader checks the rows of an uploaded register, collecting every
// problem with its cell.
type registerReader struct {
	sheet    string
	cols     map[string]int // column index by key
	months   []registerMonthColumn
	names    names
	existing map[string]project.Project
	probs    excelio.Problems
}

// registerMonthColumn is a column of monthly plan amounts.
type registerMonthColumn struct{ col, year, month int }

var (
	registerMonthKey = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	registerMonthZH  = regexp.MustCompile(`^(\d{4})年(\d{1,2})月`)
)

// maxRegisterProblems keeps the list of problems readable.
const maxRegisterProblems = 100

func (rr *registerReader) where(col, row int) string {
	cell, _ := excelize.CoordinatesToCellName(col+1, row)
	return rr.sheet + "!" + cell
}

func (rr *registerReader) problem(col, row int, zh, en string) {
	rr.probs = append(rr.probs, excelio.Problem{Where: rr.where(col, row), ZH: zh, EN: en})
}

func (rr *registerReader) fail(col, row int, err error) {
	rr.problem(col, row, apperr.Message(err, zh), apperr.Message(err, en))
}

// cell is the text of the row's cell in the column key, trimmed, with the
// apostrophe that excelio.SafeCell put before a formula-like text removed;
// ok is false when the sheet has no such column.
func (rr *registerReader) cell(row sheetRow, key string) (text string, col int, ok bool) {
	col, ok = rr.cols[key]
	if !ok {
		return "", -1, false
	}
	return row.cellText(col), col, true
}

// code is a code cell as offices type it: full-width letters and digits
// read as their ASCII selves.
func (rr *registerReader) code(row sheetRow, key string) (string, int, bool) {
	text, col, ok := rr.cell(row, key)
	return strings.TrimSpace(norm.NFKC.String(text)), col, ok
}

// header finds the columns by their headers: the Chinese name, the key, or
// both as the register writes them.
func (rr *registerReader) header(row sheetRow) {
	rr.cols = map[string]int{}
	seen := map[string]int{}
	for i, c := range row.cells {
		key := registerColumnKey(c)
		if key == "" {
			continue
		}
		if j, dup := seen[key]; dup {
			rr.problem(i, row.n, fmt.Sprintf("表头中「%s」列出现了两次（%s 和 %s）", strings.TrimSpace(c), rr.where(j, row.n), rr.where(i, row.n)),
				fmt.Sprintf("column %s appears twice in the header", key))
			continue
		}
		seen[key] = i
		if m := registerMonthKey.FindStringSubmatch(key); m != nil {
			year, _ := strconv.Atoi(m[1])
			month, _ := strconv.Atoi(m[2])
			if year < 2000 || year > 2100 || month < 1 || month > 12 {
				rr.problem(i, row.n, fmt.Sprintf("表头「%s」不是有效的月份", strings.TrimSpace(c)), fmt.Sprintf("header %q is not a valid month", c))
				continue
			}
			rr.months = append(rr.months, registerMonthColumn{col: i, year: year, month: month})
			continue
		}
		rr.cols[key] = i
	}
	var missingZH, missingEN []string
	for _, k := range registerRequired {
		if _, ok := rr.cols[k]; !ok {
			missingZH, missingEN = append(missingZH, registerColumnZH(k)), append(missingEN, k)
		}
	}
	if len(missingZH) > 0 {
		rr.probs = append(rr.probs, excelio.Problem{Where: fmt.Sprintf("%s!%d:%d", rr.sheet, row.n, row.n),
			ZH: "表头缺少必填列：" + strings.Join(missingZH, "、"), EN: "the header lacks required columns: " + strings.Join(missingEN, ", ")})
	}
}

func registerColumnKey(cell string) string {
	s := strings.TrimSpace(norm.NFKC.String(cell))
	if s == "" {
		return ""
	}
	for _, f := range append([]string{s}, strings.Fields(s)...) {
		for _, c := range registerColumns {
			if strings.EqualFold(f, c.key) || f == norm.NFKC.String(c.zh) {
				return c.key
			}
		}
		if registerMonthKey.MatchString(f) {
			return f
		}
		if m := registerMonthZH.FindStringSubmatch(f); m != nil {
			return m[1] + "-" + m[2]
		}
	}
	return ""
}

func registerColumnZH(key string) string {
	for _, c := range registerColumns {
		if c.key == key {
			return c.zh
		}
	}
	return key
}

// row reads a project from a row: the stored project with the row's
// columns applied, or a new one placed at position next. ok is false when
// the row has a problem.
func (rr *registerReader) row(row sheetRow, next int) (project.Project, []project.MonthlyPlan, bool) {
	before := len(rr.probs)
	code, codeCol, _ := rr.code(row, "code")
	if err := plan.CheckCode("项目编码 project code", code); err != nil {
		rr.fail(codeCol, row.n, err)
		return project.Project{}, nil, false
	}
	p, found := rr.existing[code]
	if !found {
		p = project.Project{Code: code, Position: next}
	}
	if name, col, ok := rr.cell(row, "name"); ok {
		if err := plan.CheckName("项目 "+code, name); err != nil {
			rr.fail(col, row.n, err)
		}
		p.NameZH = name
	}
	if dept, col, ok := rr.code(row, "owner_dept"); ok {
		if _, known := rr.names.depts[dept]; !known {
			rr.problem(col, row.n, fmt.Sprintf("责任部门编码「%s」不存在", dept), fmt.Sprintf("there is no department %q", dept))
		}
		p.OwnerDept = dept
	}
	if place, col, ok := rr.code(row, "location"); ok {
		if _, known := rr.names.units[place]; !known {
			rr.problem(col, row.n, fmt.Sprintf("地点编码「%s」不存在", place), fmt.Sprintf("there is no place %q", place))
		}
		p.OrgUnitCode = place
	}
	for key, field := range map[string]*string{"leader": &p.Leader, "city_leader": &p.CityLeader, "category": &p.Category} {
		if text, _, ok := rr.cell(row, key); ok {
			*field = text
		}
	}
	if text, col, ok := rr.cell(row, "stage"); ok {
		st, known := parseProjectStage(text)
		if !known {
			rr.problem(col, row.n, fmt.Sprintf("阶段「%s」无效：应为%s", text, projectStageLabels(project.Stage.LabelZH, "、")),
				fmt.Sprintf("stage %q is not valid: %s", text, projectStageLabels(project.Stage.LabelEN, ", ")))
		}
		p.Stage = st
	}
	if v, ok := rr.amount(row, "planned_investment", "总投资", "planned investment"); ok {
		p.PlannedInvestment = v
	}
	if v, ok := rr.amount(row, "annual_investment", "年度计划投资", "annual investment"); ok {
		p.AnnualInvestment = v
	}
	if y, ok := rr.year(row, "start_year", "起始年份", "start year"); ok {
		p.StartYear = y
	}
	if y, ok := rr.year(row, "end_year", "结束年份", "end year"); ok {
		p.EndYear = y
		if p.StartYear != 0 && y != 0 && y < p.StartYear {
			rr.problem(rr.cols["end_year"], row.n, fmt.Sprintf("结束年份 %d 早于起始年份 %d", y, p.StartYear), fmt.Sprintf("end year %d is before start year %d", y, p.StartYear))
		}
	}
	var months []project.MonthlyPlan
	for _, mc := range rr.months {
		text := ""
		if mc.col < len(row.cells) {
			text = strings.TrimSpace(row.cells[mc.col])
		}
		if text == "" {
			continue // a month left blank keeps what is stored
		}
		x, ok := parseNumber(text)
		switch {
		case !ok:
			rr.problem(mc.col, row.n, fmt.Sprintf("%d年%d月计划投资「%s」不是有效数字", mc.year, mc.month, text), fmt.Sprintf("the plan for %d-%02d, %q, is not a number", mc.year, mc.month, text))
		case x < 0:
			rr.problem(mc.col, row.n, fmt.Sprintf("%d年%d月计划投资 %s 万元不能为负数", mc.year, mc.month, text), fmt.Sprintf("the plan for %d-%02d cannot be negative (%s)", mc.year, mc.month, text))
		default:
			months = append(months, project.MonthlyPlan{ProjectCode: code, Year: mc.year, Month: mc.month, Amount: x})
		}
	}
	if len(rr.probs) == before {
		if err := p.Validate(); err != nil {
			rr.fail(codeCol, row.n, err)
		}
	}
	return p, months, len(rr.probs) == before
}

// amount reads an investment in 万元; ok is false when the column is
// absent or the cell is refused. An empty cell is no figure.
func (rr *registerReader) amount(row sheetRow, key, zhName, enName string) (*float64, bool) {
	text, col, ok := rr.cell(row, key)
	if !ok {
		return nil, false
	}
	if text == "" {
		return nil, true
	}
	x, good := parseNumber(text)
	switch {
	case !good:
		rr.problem(col, row.n, fmt.Sprintf("%s「%s」不是有效数字", zhName, text), fmt.Sprintf("the %s %q is not a number", enName, text))
		return nil, false
	case x < 0:
		rr.problem(col, row.n, fmt.Sprintf("%s %s 万元不能为负数", zhName, text), fmt.Sprintf("the %s cannot be negative (%s)", enName, text))
		return nil, false
	}
	return &x, true
}

// year reads a year; an empty cell is 0, not known.
func (rr *registerReader) year(row sheetRow, key, zhName, enName string) (int, bool) {
	text, col, ok := rr.cell(row, key)
	if !ok {
		return 0, false
	}
	if text == "" {
		return 0, true
	}
	x, good := parseNumber(text)
	if !good || x != math.Trunc(x) || x < 1900 || x > 2100 {
		rr.problem(col, row.n, fmt.Sprintf("%s「%s」不是有效年份", zhName, text), fmt.Sprintf("the %s %q is not a year", enName, text))
		return 0, false
	}
	return int(x), true
}

// parseProjectStage reads a stage by its Chinese label, its code or its English
// label.
func parseProjectStage(text string) (project.Stage, bool) {
	for _, st := range project.Stages {
		if text == st.LabelZH() || strings.EqualFold(text, string(st)) || strings.EqualFold(text, st.LabelEN()) {
			return st, true
		}
	}
	return "", false
}

func projectStageLabels(label func(project.Stage) string, sep string) string {
	var out []string
	for _, st := range project.Stages {
		out = append(out, label(st))
	}
	return strings.Join(out, sep)
}

// sameProject reports whether two projects hold the same figures and text.
func sameProject(a, b project.Project) bool {
	same := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	if !same(a.PlannedInvestment, b.PlannedInvestment) || !same(a.AnnualInvestment, b.AnnualInvestment) {
		return false
	}
	a.PlannedInvestment, a.AnnualInvestment, b.PlannedInvestment, b.AnnualInvestment = nil, nil, nil, nil
	return a == b
}

// registerChanges checks every row and compares it with what is stored.
func (s *Server) registerChanges(r *http.Request, sheet string, rows []sheetRow) (registerChanges, error) {
	ctx := r.Context()
	var ch registerChanges
	first := slices.IndexFunc(rows, func(row sheetRow) bool { return !row.blank() })
	if first < 0 {
		return ch, excelio.Problems{{Where: sheet, ZH: fmt.Sprintf("工作表「%s」是空的", sheet), EN: fmt.Sprintf("sheet %s is empty", sheet)}}
	}
	n, err := s.names(ctx)
	if err != nil {
		return ch, err
	}
	list, err := s.db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return ch, err
	}
	rr := &registerReader{sheet: sheet, names: n, existing: map[string]project.Project{}}
	next := 1
	for _, p := range list {
		rr.existing[p.Code] = p
		next = max(next, p.Position+1)
	}
	rr.header(rows[first])
	if len(rr.probs) > 0 {
		return ch, rr.probs
	}
	seen := map[string]string{}
	stored := map[string]map[int]float64{} // "code year" → month → amount
	data := 0
	for _, row := range rows[first+1:] {
		if row.blank() {
			continue
		}
		data++
		p, months, ok := rr.row(row, next)
		if len(rr.probs) > maxRegisterProblems {
			break
		}
		if !ok {
			continue
		}
		if at, dup := seen[p.Code]; dup {
			rr.problem(rr.cols["code"], row.n, fmt.Sprintf("项目编码 %s 与 %s 重复", p.Code, at), fmt.Sprintf("project %s is already in %s", p.Code, at))
			continue
		}
		seen[p.Code] = rr.where(rr.cols["code"], row.n)
		old, found := rr.existing[p.Code]
		switch {
		case !found:
			ch.New++
			next++
		case sameProject(old, p):
			ch.Unchanged++
		default:
			ch.Changed++
		}
		if !found || !sameProject(old, p) {
			ch.projects = append(ch.projects, p)
			ch.codes = append(ch.codes, p.Code)
		}
		for _, m := range months {
			key := fmt.Sprintf("%s %d", m.ProjectCode, m.Year)
			if _, ok := stored[key]; !ok {
				stored[key] = map[int]float64{}
				plans, err := s.db.MonthlyPlans(ctx, m.ProjectCode, m.Year)
				if err != nil {
					return ch, err
				}
				for _, sp := range plans {
					stored[key][sp.Month] = sp.Amount
				}
			}
			if amount, ok := stored[key][m.Month]; !ok || amount != m.Amount {
				ch.months = append(ch.months, m)
			}
		}
	}
	if data == 0 {
		rr.probs = append(rr.probs, excelio.Problem{Where: sheet, ZH: "表头下面没有数据行", EN: "there are no data rows below the header"})
	}
	if len(rr.probs) > maxRegisterProblems {
		rr.probs = append(rr.probs[:maxRegisterProblems], excelio.Problem{ZH: "问题过多，其余未列出", EN: "too many problems; the rest are not listed"})
	}
	if len(rr.probs) > 0 {
		return registerChanges{}, rr.probs
	}
	return ch, nil
}
