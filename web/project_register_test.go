package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// projectRegisterMatrixCases are the authorization matrix's entries for the
// routes of project_register.go.
var projectRegisterMatrixCases = map[string]matrixCase{
	"project_register_xlsx":   get("/projects/register.xlsx"),
	"project_register_import": emptyPost("/projects/register"),
}

// registerSnapshot is every project and this year's monthly plans, to
// compare before and after an upload.
func registerSnapshot(t *testing.T, db *storage.DB, year int) string {
	t.Helper()
	ctx := context.Background()
	list, err := db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Project project.Project
		Plans   []project.MonthlyPlan
	}
	var all []entry
	for _, p := range list {
		plans, err := db.MonthlyPlans(ctx, p.Code, year)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, entry{p, plans})
	}
	b, err := json.MarshalIndent(all, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// registerRowOf is the register's row of a project, by its code.
func registerRowOf(t *testing.T, f *excelize.File, code string) (int, []string) {
	t.Helper()
	rows, err := f.GetRows(registerSheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if len(row) > 0 && row[0] == code {
			return i + 1, row
		}
	}
	t.Fatalf("the register has no row for %s", code)
	return 0, nil
}

func openRegister(t *testing.T, body string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func registerBytes(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestProjectRegister: the register exports with formula-like text made
// harmless and the monthly plans only in scope; the exported file
// re-imports unchanged; a file with a bad stage and a negative investment
// is refused with both cells named and nothing written; a good change is
// written.
func TestProjectRegister(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		ctx := context.Background()
		d := newWatchDates()
		seedWatch(t, db, d)
		const hostile = `=HYPERLINK("http://x.example","点我")`
		p, err := db.Project(ctx, watchedProject)
		if err != nil {
			t.Fatal(err)
		}
		planned := 5000.0
		p.Leader, p.PlannedInvestment = hostile, &planned
		if err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error { return tx.PutProject(ctx, p) }); err != nil {
			t.Fatal(err)
		}
		office := signInAs(t, accounts, auth.Supervisor)
		forestry := signInAs(t, accounts, auth.Reporter)

		status, body := do(t, ts.URL, office, matrixRequest{method: "GET", path: "/projects/register.xlsx"})
		if status != http.StatusOK {
			t.Fatalf("download: %d", status)
		}
		f := openRegister(t, body)
		n, row := registerRowOf(t, f, watchedProject)
		if len(row) != 26 || row[1] != "新建汽车客运站" || row[2] != watchedDept || row[9] != "在建" || row[10] != "5000" || row[14] != "100" || row[25] != "100" {
			t.Errorf("coach station's row: %q", row)
		}
		leader, _ := excelize.CoordinatesToCellName(5, n)
		if formula, _ := f.GetCellFormula(registerSheet, leader); formula != "" || row[4] != "'"+hostile {
			t.Errorf("the leader cell %s is %q, formula %q: not neutralised", leader, row[4], formula)
		}
		entries, err := db.AuditEntries(ctx, storage.AuditFilter{Action: audit.Download, ObjectType: "project_register"})
		if err != nil || len(entries) != 1 || entries[0].Actor != "m-supervisor" {
			t.Errorf("the download is not in the audit trail: %+v %v", entries, err)
		}

		// A department's export leaves other departments' monthly plans out.
		_, other := do(t, ts.URL, forestry, matrixRequest{method: "GET", path: "/projects/register.xlsx"})
		if _, row := registerRowOf(t, openRegister(t, other), watchedProject); len(row) > 14 {
			t.Errorf("forestry's register holds transport's monthly plans: %q", row[14:])
		}

		// The exported file re-imports unchanged.
		before := registerSnapshot(t, db, d.year)
		status, page := uploadFile(t, ts.URL, office, "/projects/register", "register.xlsx", []byte(body), nil)
		if status != http.StatusOK || !strings.Contains(page, "没有需要更新") {
			t.Fatalf("re-import: %d %s", status, problemsOf(page))
		}
		if after := registerSnapshot(t, db, d.year); after != before {
			t.Errorf("re-importing the export changed the projects:\n%s\nwant\n%s", after, before)
		}

		// A bad stage and a negative investment: both named, nothing written.
		bad := openRegister(t, body)
		n, _ = registerRowOf(t, bad, watchedProject)
		wind, _ := registerRowOf(t, bad, "cpi-chakou-wind")
		stageCell, _ := excelize.CoordinatesToCellName(10, n)
		investCell, _ := excelize.CoordinatesToCellName(11, wind)
		if err := bad.SetCellStr(registerSheet, stageCell, "完工"); err != nil {
			t.Fatal(err)
		}
		if err := bad.SetCellInt(registerSheet, investCell, -5); err != nil {
			t.Fatal(err)
		}
		status, page = uploadFile(t, ts.URL, office, "/projects/register", "register.xlsx", registerBytes(t, bad), nil)
		text := problemsOf(page)
		if status != http.StatusBadRequest || !strings.Contains(text, "项目!"+stageCell) || !strings.Contains(text, "阶段「完工」无效") ||
			!strings.Contains(text, "项目!"+investCell) || !strings.Contains(text, "总投资 -5 万元不能为负数") {
			t.Errorf("bad register: %d %s", status, text)
		}
		if after := registerSnapshot(t, db, d.year); after != before {
			t.Error("a refused register changed the projects")
		}

		// A good change is written: a stage, a month, and a new project.
		good := openRegister(t, body)
		n, _ = registerRowOf(t, good, watchedProject)
		rows, err := good.GetRows(registerSheet)
		if err != nil {
			t.Fatal(err)
		}
		last := len(rows) + 1
		set := func(col int, row int, v string) {
			cell, _ := excelize.CoordinatesToCellName(col, row)
			if err := good.SetCellStr(registerSheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
		set(10, n, "竣工")
		set(15, n, "150")
		for col, v := range map[int]string{1: "gujiao-logistics-park", 2: "古交物流园", 3: watchedDept, 7: "gujiao", 10: "前期", 11: "12000"} {
			set(col, last, v)
		}
		status, page = uploadFile(t, ts.URL, office, "/projects/register", "register.xlsx", registerBytes(t, good), nil)
		if status != http.StatusOK || !strings.Contains(page, "已导入") {
			t.Fatalf("good register: %d %s", status, problemsOf(page))
		}
		if p, _ := db.Project(ctx, watchedProject); p.Stage != project.Completed || p.Leader != hostile {
			t.Errorf("coach station after import: %+v", p)
		}
		if plans, _ := db.MonthlyPlans(ctx, watchedProject, d.year); len(plans) != 12 || plans[0].Amount != 150 || plans[1].Amount != 100 {
			t.Errorf("monthly plans after import: %+v", plans)
		}
		if p, err := db.Project(ctx, "gujiao-logistics-park"); err != nil || p.NameZH != "古交物流园" || p.Stage != project.Preparation ||
			p.PlannedInvestment == nil || *p.PlannedInvestment != 12000 || p.Position <= 18 {
			t.Errorf("new project: %+v %v", p, err)
		}

		// Only the office imports.
		if status, _ := uploadFile(t, ts.URL, forestry, "/projects/register", "register.xlsx", []byte(body), nil); status != http.StatusForbidden {
			t.Errorf("a department imported the register: %d", status)
		}
	})
}

// TestProjectRegisterRefusesBadFiles: what is not a workbook, or holds a
// formula, is refused before anything is compared.
func TestProjectRegisterRefusesBadFiles(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		office := signInAs(t, accounts, auth.Supervisor)
		_, body := do(t, ts.URL, office, matrixRequest{method: "GET", path: "/projects/register.xlsx"})
		withFormula := openRegister(t, body)
		if err := withFormula.SetCellFormula(registerSheet, "K3", "1+1"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name    string
			content []byte
			want    string
		}{
			{"register.csv", []byte("code,name\n"), "须为 .xlsx"},
			{"register.xlsx", []byte("not a zip at all"), "register.xlsx"},
			{"register.xlsx", registerBytes(t, withFormula), "项目!K3 单元格含公式"},
			{"register.xlsx", sheet(t, [][]string{{"indicator", "org_unit", "period", "value"}, {"forest-cover", "gujiao", "2021", "1"}}), "表头缺少必填列"},
		} {
			status, page := uploadFile(t, ts.URL, office, "/projects/register", c.name, c.content, nil)
			if status != http.StatusBadRequest || !strings.Contains(problemsOf(page), c.want) {
				t.Errorf("%s %.20q: %d, want 400 naming %q: %s", c.name, c.content, status, c.want, problemsOf(page))
			}
		}
	})
}

// TestProjectRegisterThroughLibreOffice: the register saved again by a real
// office suite, with a leader's name that looks like a formula, still
// re-imports unchanged.
func TestProjectRegisterThroughLibreOffice(t *testing.T) {
	soffice := os.Getenv("LANTU_SOFFICE")
	for _, name := range []string{"soffice", "libreoffice"} {
		if soffice == "" {
			soffice, _ = exec.LookPath(name)
		}
	}
	if soffice == "" {
		if os.Getenv("LANTU_REQUIRE_LIBREOFFICE") == "1" {
			t.Fatal("LANTU_REQUIRE_LIBREOFFICE=1 but soffice not found")
		}
		t.Skip("NOTICE: soffice not found (apt-get install libreoffice-calc); LibreOffice test skipped")
	}
	db := storagetest.OpenSQLite(t, nil)
	_, ts, accounts := gujiaoServer(t, db)
	ctx := context.Background()
	d := newWatchDates()
	seedWatch(t, db, d)
	p, err := db.Project(ctx, watchedProject)
	if err != nil {
		t.Fatal(err)
	}
	p.Leader = "=1+1 王局长"
	if err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error { return tx.PutProject(ctx, p) }); err != nil {
		t.Fatal(err)
	}
	office := signInAs(t, accounts, auth.Supervisor)
	_, body := do(t, ts.URL, office, matrixRequest{method: "GET", path: "/projects/register.xlsx"})
	dir := t.TempDir()
	in := filepath.Join(dir, "register.xlsx")
	if err := os.WriteFile(in, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "saved")
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "xlsx", "--outdir", out, in) // #nosec G204 -- the test's own LibreOffice and temporary files
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v %s", err, b)
	}
	saved, err := os.ReadFile(filepath.Join(out, "register.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	before := registerSnapshot(t, db, d.year)
	status, page := uploadFile(t, ts.URL, office, "/projects/register", "register.xlsx", saved, nil)
	if status != http.StatusOK || !strings.Contains(page, "没有需要更新") {
		t.Fatalf("re-import of the file LibreOffice saved: %d %s", status, problemsOf(page))
	}
	if after := registerSnapshot(t, db, d.year); after != before {
		t.Errorf("the file LibreOffice saved changed the projects:\n%s\nwant\n%s", after, before)
	}
}
