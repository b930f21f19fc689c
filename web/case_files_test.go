package web

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/casework"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/internal/officetest"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// caseFileMatrixCases are the authorization matrix's entries for the
// routes of case_files.go.
var caseFileMatrixCases = map[string]matrixCase{
	"cases_xlsx":           get("/cases.xlsx?state=all"),
	"case_register_xlsx":   get("/cases/register.xlsx"),
	"case_register_import": emptyPost("/cases/register"),
}

// caseFileNow is Friday 27 September 2024, before the National Day
// holiday: the working days after it are 29 (a make-up workday) and 30
// September, then 8, 9, 10 October.
var caseFileNow = time.Date(2024, 9, 27, 10, 0, 0, 0, indicator.Beijing)

// caseFileServer is gujiaoServer with its clock at caseFileNow.
func caseFileServer(t *testing.T, db *storage.DB) (string, clockedAccounts) {
	t.Helper()
	srv, ts, accounts := gujiaoServer(t, db)
	srv.now = func() time.Time { return caseFileNow }
	return ts.URL, accounts
}

// caseRegisterFile is the blank register downloaded, opened to be filled.
func caseRegisterFile(t *testing.T, base string, v visitorCase) *excelize.File {
	t.Helper()
	status, body := do(t, base, v, matrixRequest{method: "GET", path: "/cases/register.xlsx"})
	if status != http.StatusOK {
		t.Fatalf("the blank register: %d", status)
	}
	return openRegister(t, body)
}

// fill writes rows from row 2 on, a cell a column letter; a value
// starting with "=" is a formula, a time.Time a real date.
func fill(t *testing.T, f *excelize.File, rows map[int]map[string]any) []byte {
	t.Helper()
	for n, cells := range rows {
		for col, v := range cells {
			cell := col + strconv.Itoa(n)
			var err error
			switch v := v.(type) {
			case string:
				if strings.HasPrefix(v, "=") {
					err = f.SetCellFormula(caseRegisterSheet, cell, v[1:])
				} else {
					err = f.SetCellStr(caseRegisterSheet, cell, v)
				}
			default:
				err = f.SetCellValue(caseRegisterSheet, cell, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return registerBytes(t, f)
}

func countCases(t *testing.T, db *storage.DB) int {
	t.Helper()
	list, err := db.Cases(context.Background(), storage.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func caseByNumber(t *testing.T, db *storage.DB, number string) cases.Case {
	t.Helper()
	list, err := db.Cases(context.Background(), storage.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Number == number {
			return c
		}
	}
	t.Fatalf("no case %s stored", number)
	return cases.Case{}
}

func dateIs(t time.Time, want string) bool {
	return t.In(indicator.Beijing).Format(time.DateOnly) == want
}

// The NPC office fills in the blank register with three suggestions — one
// with a lead and two co-handlers (one by its name), one with a lead, one
// to be assigned later — and a blank row, and uploads it: the three cases
// are registered and two assigned, with the return window and the
// co-handlers' sub-deadline counted on the working-day calendar, all
// audited.
func TestCaseRegisterImport(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		base, accounts := caseFileServer(t, db)
		ctx := context.Background()
		office, _ := signInAsIn(t, accounts, auth.CaseOfficer, "npc-office", "rd-officer")

		blank := caseRegisterFile(t, base, office)
		header, err := blank.GetRows(caseRegisterSheet)
		if err != nil || len(header) != 1 || !slices.Equal(header[0], caseRegisterHeader()) {
			t.Fatalf("the blank register's sheet: %q, %v", header, err)
		}
		help, err := blank.GetRows(caseRegisterHelpSheet)
		if err != nil || !slices.ContainsFunc(help, func(row []string) bool {
			return len(row) > 1 && row[0] == "housing" && row[1] == "古交市住房和城乡建设管理局"
		}) {
			t.Errorf("the instructions do not list the housing bureau's code: %v", err)
		}

		file := fill(t, blank, map[int]map[string]any{
			2: {"B": "建议〔2024〕1号", "C": "改造东曲小区供暖管网", "D": "王代表", "E": "13800000001", "G": time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC),
				"H": "housing", "I": "交通局、water"},
			3: {"B": "建议〔2024〕2号", "C": "增开城乡公交线路", "G": "2024/9/23", "H": "transport", "J": "是"},
			5: {"A": "人大代表建议", "B": "建议〔2024〕3号", "C": "加强河道治理", "J": "否"},
		})
		before := countCases(t, db)
		status, page := uploadFile(t, base, office, "/cases/register", "register.xlsx", file, map[string]string{"type": "npc_suggestion"})
		if status != http.StatusOK || !strings.Contains(problemsOf(page), "已登记 3 件事项") {
			t.Fatalf("the upload: %d %s", status, problemsOf(page))
		}
		if got := countCases(t, db); got != before+3 {
			t.Fatalf("%d cases stored, want %d", got, before+3)
		}
		first := caseByNumber(t, db, "建议〔2024〕1号")
		if !strings.Contains(page, `href="/cases/`) || !strings.Contains(page, "住建局") && !strings.Contains(page, "古交市住房和城乡建设管理局") {
			t.Errorf("the report does not link the cases and their leads: %s", problemsOf(page))
		}
		a, ok := first.Assignment()
		switch {
		case first.State != cases.Assigned || first.OfficeDept != "npc-office" || first.Type.Code != "npc_suggestion" || !ok:
			t.Errorf("first case: %s %s %s", first.State, first.OfficeDept, first.Type.Code)
		case !dateIs(first.ReceivedAt, "2024-09-20"):
			t.Errorf("received %s, want the register's date cell 2024-09-20", first.ReceivedAt)
		case a.LeadDept != "housing" || !dateIs(a.AssignedAt, "2024-09-27"):
			t.Errorf("assignment %+v", a)
		// 5 working days after Friday 27 September: 29, 30 September, 8, 9, 10 October.
		case !dateIs(a.SignBy, "2024-10-10"):
			t.Errorf("sign by %s, want 2024-10-10", a.SignBy)
		// A month: Sunday 27 October, rolled over to Monday.
		case len(a.CoHandlers) != 2 || a.CoHandlers[0].Dept != "transport" || a.CoHandlers[1].Dept != "water" || !dateIs(a.CoHandlers[0].Deadline, "2024-10-28"):
			t.Errorf("co-handlers %+v, want transport and water by 2024-10-28", a.CoHandlers)
		}
		if name, phone, err := db.CaseSubmitter(ctx, first.ID, storage.GrantSubmitter(true)); err != nil || name != "王代表" || phone != "13800000001" {
			t.Errorf("the deputy: %q %q %v", name, phone, err)
		}
		if second := caseByNumber(t, db, "建议〔2024〕2号"); second.State != cases.Assigned || !dateIs(second.ReceivedAt, "2024-09-23") || !second.PublishConsent {
			t.Errorf("second case: %s received %s, consent %v", second.State, second.ReceivedAt, second.PublishConsent)
		}
		if first.PublishConsent || caseByNumber(t, db, "建议〔2024〕3号").PublishConsent {
			t.Error("consent recorded where the register gives none or says no")
		}
		if third := caseByNumber(t, db, "建议〔2024〕3号"); third.State != cases.Registered || !dateIs(third.ReceivedAt, "2024-09-27") {
			t.Errorf("third case: %s received %s", third.State, third.ReceivedAt)
		}
		rows, err := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "case", Actor: "rd-officer"})
		if err != nil || len(rows) != 5 {
			t.Errorf("%d audit rows of the import, want 3 registrations and 2 assignments: %v", len(rows), err)
		}

		// The same file again: every number is taken, nothing is written.
		status, page = uploadFile(t, base, office, "/cases/register", "register.xlsx", file, map[string]string{"type": "npc_suggestion"})
		if text := problemsOf(page); status != http.StatusBadRequest || !strings.Contains(text, "事项登记!B2") || !strings.Contains(text, "事项登记!B5") || !strings.Contains(text, "已经登记") {
			t.Errorf("the same register again: %d %s", status, text)
		}
		if got := countCases(t, db); got != before+3 {
			t.Errorf("%d cases after the second upload, want %d", got, before+3)
		}

		// Only those who register cases import; a viewer is refused.
		viewer, _ := signInAsIn(t, accounts, auth.Viewer, "npc-office", "rd-viewer")
		if status, _ := uploadFile(t, base, viewer, "/cases/register", "register.xlsx", file, nil); status != http.StatusForbidden {
			t.Errorf("a viewer's upload: %d", status)
		}
	})
}

// A register with problems in several cells is refused whole: each
// problem is named by its cell, in Chinese and English, and no case is
// written. Files that are not workbooks are refused before any row is read.
func TestCaseRegisterImportRefusesProblems(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		base, accounts := caseFileServer(t, db)
		office, sub := signInAsIn(t, accounts, auth.CaseOfficer, "npc-office", "rd-officer")
		svc := casework.New(db)
		svc.Now = func() time.Time { return caseFileNow }
		if _, err := svc.Register(context.Background(), sub, cases.Case{Number: "建议〔2024〕9号", Type: cases.NPCSuggestion(), Title: "已登记"}); err != nil {
			t.Fatal(err)
		}
		file := fill(t, caseRegisterFile(t, base, office), map[int]map[string]any{
			2:  {"B": "建议〔2024〕1号", "C": "主办单位不存在", "H": "no-such-bureau"},
			3:  {"B": "建议〔2024〕2号", "H": "housing"},
			4:  {"B": "建议〔2024〕1号", "C": "文件内重复的编号"},
			5:  {"B": "建议〔2024〕5号", "C": "=CONCAT(\"公\",\"式\")"},
			6:  {"B": "建议〔2024〕6号", "C": "日期不对", "G": "2024-13-45"},
			7:  {"B": "建议〔2024〕9号", "C": "已经登记过的编号"},
			8:  {"A": "复议", "B": "建议〔2024〕8号", "C": "类型不对"},
			9:  {"B": "建议〔2024〕10号", "C": "协办单位不存在", "H": "housing", "I": "water、nowhere"},
			10: {"B": "建议〔2024〕11号", "C": "同意公开填错", "J": "也许"},
		})
		before := countCases(t, db)
		status, page := uploadFile(t, base, office, "/cases/register", "register.xlsx", file, map[string]string{"type": "npc_suggestion"})
		text := problemsOf(page)
		if status != http.StatusBadRequest {
			t.Fatalf("a register with problems: %d %s", status, text)
		}
		for cell, problem := range map[string]string{
			"事项登记!H2":  "主办单位编码「no-such-bureau」不存在",
			"事项登记!C3":  "请填写标题",
			"事项登记!B4":  "编号「建议〔2024〕1号」与 事项登记!B2 重复",
			"事项登记!C5":  "单元格含公式",
			"事项登记!G6":  "登记日期「2024-13-45」不是有效日期",
			"事项登记!B7":  "编号「建议〔2024〕9号」的事项已经登记",
			"事项登记!J10": "同意公开答复「也许」应为“是”或“否”",
			"事项登记!A8":  "事项类型「复议」无效",
			"事项登记!I9":  "协办单位编码「nowhere」不存在",
		} {
			if !regexp.MustCompile(regexp.QuoteMeta(cell) + `\s+` + regexp.QuoteMeta(problem)).MatchString(text) {
				t.Errorf("the report does not name %s: %s", cell, problem)
			}
		}
		if !strings.Contains(text, "未登记任何事项") {
			t.Errorf("the report does not say nothing was registered: %s", text)
		}
		// In English, the same cells.
		if _, page := uploadFile(t, base, office, "/cases/register?lang=en", "register.xlsx", file, map[string]string{"type": "npc_suggestion"}); !strings.Contains(problemsOf(page), "there is no department \"no-such-bureau\" to lead") {
			t.Errorf("the English report: %s", problemsOf(page))
		}
		if got := countCases(t, db); got != before {
			t.Errorf("%d cases after a refused register, want %d", got, before)
		}

		good := fill(t, caseRegisterFile(t, base, office), map[int]map[string]any{2: {"B": "建议〔2024〕1号", "C": "好的"}})
		for _, c := range []struct {
			name    string
			content []byte
			want    string
		}{
			{"register.csv", []byte("number,title\n1,x\n"), "事项登记表须为 .xlsx 文件"},
			{"register.xlsx", []byte("not a zip at all"), "不是有效的 .xlsx 文件"},
			{"register.xlsx", good[:len(good)/2], "不是有效的 .xlsx 文件"},
			{"register.xlsx", sheet(t, [][]string{{"题目", "联系方式"}, {"x", "y"}}), "表头缺少必填列：编号"},
			{"register.xlsx", fill(t, caseRegisterFile(t, base, office), nil), "表头下面没有事项"},
		} {
			status, page := uploadFile(t, base, office, "/cases/register", c.name, c.content, map[string]string{"type": "npc_suggestion"})
			if status != http.StatusBadRequest || !strings.Contains(problemsOf(page), c.want) {
				t.Errorf("%s %.20q: %d, want 400 naming %q: %s", c.name, c.content, status, c.want, problemsOf(page))
			}
		}
		if status, page := uploadFile(t, base, office, "/cases/register", "register.xlsx", good, map[string]string{"type": "no-such-type"}); status != http.StatusBadRequest ||
			!strings.Contains(problemsOf(page), "事项类型「no-such-type」无效") {
			t.Errorf("a bad default type: %d %s", status, problemsOf(page))
		}
		if got := countCases(t, db); got != before {
			t.Errorf("%d cases after refused files, want %d", got, before)
		}
	})
}

// casesExport downloads /cases.xlsx?state=all as the visitor and returns
// every cell of every sheet.
func casesExport(t *testing.T, base string, v visitorCase) (string, [][]string) {
	t.Helper()
	status, body := do(t, base, v, matrixRequest{method: "GET", path: "/cases.xlsx?state=all"})
	if status != http.StatusOK {
		t.Fatalf("the export as %s: %d", roleName(v.role), status)
	}
	f := openRegister(t, body)
	var all [][]string
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, rows...)
	}
	return body, all
}

func exportHas(rows [][]string, text string) bool {
	return slices.ContainsFunc(rows, func(row []string) bool {
		return slices.ContainsFunc(row, func(c string) bool { return strings.Contains(c, text) })
	})
}

// exportCases registers a petition with a petitioner, accepted and
// assigned to the housing bureau, and a suggestion the NPC office keeps
// to itself, with a title that looks like a formula.
func exportCases(t *testing.T, db *storage.DB) (petition, suggestion cases.Case) {
	t.Helper()
	ctx := context.Background()
	svc := casework.New(db)
	svc.Now = func() time.Time { return caseFileNow }
	bureau := auth.Subject{UserID: 1, Name: "xf", Role: auth.CaseOfficer, Department: "petition"}
	npc := auth.Subject{UserID: 2, Name: "rd", Role: auth.CaseOfficer, Department: "npc-office"}
	petition, err := svc.Register(ctx, bureau, cases.Case{Number: "信访〔2024〕7号", Type: cases.Petition(), Title: "楼道照明不亮",
		Submitter: "张三丰", SubmitterContact: "13912345678"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []cases.Action{{Kind: cases.Accept}, {Kind: cases.Assign, LeadDept: "housing"}} {
		a.ExpectedVersion = petition.Version
		if petition, err = svc.Act(ctx, bureau, petition.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	suggestion, err = svc.Register(ctx, npc, cases.Case{Number: "建议〔2024〕77号", Type: cases.NPCSuggestion(), Title: "=HYPERLINK(\"http://x.example\",\"点我\")",
		Submitter: "李代表", SubmitterContact: "13700000000"})
	if err != nil {
		t.Fatal(err)
	}
	return petition, suggestion
}

// The export holds the cases the visitor may see and never a submitter:
// not for the lead department, not for a city leader, not even for the
// petition bureau that registered the case.
func TestCaseExportHidesSubmitters(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		base, accounts := caseFileServer(t, db)
		petition, suggestion := exportCases(t, db)
		housing, _ := signInAsIn(t, accounts, auth.CaseOfficer, "housing", "zj-officer")
		bureau, _ := signInAsIn(t, accounts, auth.CaseOfficer, "petition", "xf-officer")
		leader := signInAs(t, accounts, auth.Leader)

		for who, c := range map[string]struct {
			v         visitorCase
			visible   []string
			invisible []string
		}{
			"housing": {housing, []string{petition.Number}, []string{suggestion.Number}},
			"bureau":  {bureau, []string{petition.Number}, []string{suggestion.Number}},
			"leader":  {leader, []string{petition.Number, suggestion.Number}, nil},
		} {
			body, rows := casesExport(t, base, c.v)
			if len(rows) == 0 || !strings.HasPrefix(rows[0][0], "编号") || len(rows) != 1+len(c.visible) {
				t.Errorf("%s's export: %d rows %q", who, len(rows), rows)
			}
			for _, n := range c.visible {
				if !exportHas(rows, n) {
					t.Errorf("%s's export lacks %s", who, n)
				}
			}
			for _, n := range c.invisible {
				if exportHas(rows, n) {
					t.Errorf("%s's export holds %s, a case it may not see", who, n)
				}
			}
			for _, secret := range []string{"张三丰", "13912345678", "李代表", "13700000000"} {
				if exportHas(rows, secret) || strings.Contains(body, secret) {
					t.Errorf("%s's export holds %q", who, secret)
				}
			}
		}
		// The petition's row: state, office, lead and its clock.
		_, rows := casesExport(t, base, housing)
		row := rows[1]
		if len(row) < 11 || row[4] != "已交办" || row[5] != "古交市信访局" || row[6] != "古交市住房和城乡建设管理局" || !strings.Contains(row[8], "2024-11-26") || row[10] != "绿灯" {
			t.Errorf("the petition's row: %q", row)
		}
		// A formula-like title stays text.
		status, body := do(t, base, leader, matrixRequest{method: "GET", path: "/cases.xlsx?state=all"})
		f := openRegister(t, body)
		for i := 2; status == http.StatusOK; i++ {
			number, _ := f.GetCellValue("事项", "A"+strconv.Itoa(i))
			if number == "" {
				t.Error("the suggestion is not in the leader's export")
				break
			}
			if number != suggestion.Number {
				continue
			}
			title, _ := f.GetCellValue("事项", "D"+strconv.Itoa(i))
			formula, _ := f.GetCellFormula("事项", "D"+strconv.Itoa(i))
			if formula != "" || title != "'"+suggestion.Title {
				t.Errorf("the title cell is %q, formula %q: not neutralised", title, formula)
			}
			break
		}
		entries, err := db.AuditEntries(context.Background(), storage.AuditFilter{Action: audit.Download, ObjectType: "cases"})
		if err != nil || len(entries) < 4 {
			t.Errorf("the downloads are not in the audit trail: %d %v", len(entries), err)
		}
		// A viewer reads cases but does not export them.
		viewer, _ := signInAsIn(t, accounts, auth.Viewer, "housing", "zj-viewer")
		if status, _ := do(t, base, viewer, matrixRequest{method: "GET", path: "/cases.xlsx"}); status != http.StatusForbidden {
			t.Errorf("a viewer's export: %d", status)
		}
	})
}

// The export opened by a real office suite shows the case numbers and no
// petitioner.
func TestCaseExportThroughLibreOffice(t *testing.T) {
	lo := officetest.New(t)
	db := storagetest.OpenSQLite(t, nil)
	base, accounts := caseFileServer(t, db)
	petition, _ := exportCases(t, db)
	leader := signInAs(t, accounts, auth.Leader)
	body, _ := casesExport(t, base, leader)
	dir := t.TempDir()
	in := filepath.Join(dir, "cases.xlsx")
	if err := os.WriteFile(in, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := lo.Convert("csv:Text - txt - csv (StarCalc):44,34,76", dir, in); err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile(officetest.Result(dir, in, "csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(csv, []byte(petition.Number)) || !bytes.Contains(csv, []byte("=HYPERLINK")) {
		t.Errorf("LibreOffice's reading of the export lacks the cases:\n%s", csv)
	}
	if bytes.Contains(csv, []byte("张三丰")) || bytes.Contains(csv, []byte("13912345678")) {
		t.Errorf("LibreOffice's reading of the export holds the petitioner:\n%s", csv)
	}
}
