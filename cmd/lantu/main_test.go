package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/storage/storagetest"
)

// lantu runs the command in-process with only the given environment.
func lantu(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(env["STDIN"]), &out, &errb, func(k string) string { return env[k] })
	return out.String(), errb.String(), code
}

func TestHelp(t *testing.T) {
	out, _, code := lantu(t, nil, "--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, c.name) {
			t.Errorf("--help does not list %s", c.name)
		}
		_, errOut, code := lantu(t, nil, c.name, "--help")
		if code != 0 {
			t.Errorf("%s --help exit %d: %s", c.name, code, errOut)
		}
	}
	if _, errOut, code := lantu(t, nil, "frobnicate"); code != 2 || !strings.Contains(errOut, "未知命令") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
}

func TestVersion(t *testing.T) {
	out, _, code := lantu(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "lantu ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// The flags and the LANTU_* variables name the same settings; a flag wins.
func TestEnvironmentVariables(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := lantu(t, map[string]string{"LANTU_DATA": dir}, "migrate")
	if code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if !strings.Contains(out, filepath.Join(dir, "lantu.db")) {
		t.Errorf("LANTU_DATA ignored: %s", out)
	}
	other := t.TempDir()
	out, _, _ = lantu(t, map[string]string{"LANTU_DATA": dir}, "migrate", "--data", other)
	if !strings.Contains(out, filepath.Join(other, "lantu.db")) {
		t.Errorf("--data did not win over LANTU_DATA: %s", out)
	}
	if pg := storagetest.PostgresURL(t); pg != "" {
		out, errOut, code := lantu(t, map[string]string{"LANTU_DB": pg}, "migrate")
		if code != 0 || !strings.Contains(out, "(postgres)") {
			t.Errorf("LANTU_DB: exit %d, %s %s", code, out, errOut)
		}
	}
	if _, errOut, code := lantu(t, nil, "migrate", "--db", "mysql://x"); code != 1 || !strings.Contains(errOut, "postgres://") {
		t.Errorf("bad --db: exit %d, %s", code, errOut)
	}
}

// serve on an empty database loads Gujiao and answers on its address; the
// dataset it then exports imports into another empty database and exports
// again to the same bytes.
func TestServeThenDatasetRoundTrip(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { serveThenRoundTrip(t, map[string]string{"LANTU_DATA": t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) {
		if storagetest.PostgresURL(t) == "" {
			t.Skip("NOTICE: PostgreSQL not configured (set LANTU_TEST_POSTGRES); skipped")
		}
		serveThenRoundTrip(t, map[string]string{"LANTU_DB": storagetest.PostgresSchemaURL(t)})
	})
}

func serveThenRoundTrip(t *testing.T, env map[string]string) {
	base := serve(t, env)

	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	for _, goal := range []string{"富强古交", "绿色古交", "宜居古交", "平安古交", "法治古交"} {
		if !bytes.Contains(body, []byte(goal)) {
			t.Errorf("home page lacks %s", goal)
		}
	}

	dirA, dirB := t.TempDir(), t.TempDir()
	if _, errOut, code := lantu(t, env, "dataset", "export", dirA); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	other := map[string]string{"LANTU_DATA": t.TempDir()}
	if _, errOut, code := lantu(t, other, "dataset", "import", dirA); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if _, errOut, code := lantu(t, other, "dataset", "export", dirB); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	for _, name := range []string{"values.csv", "indicators.csv", "projects.csv", "org_units.csv", "goals.csv"} {
		a, _ := os.ReadFile(filepath.Join(dirA, name))
		b, _ := os.ReadFile(filepath.Join(dirB, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs after export → import → export", name)
		}
	}
}

func TestDatasetImportRefusesBadBundle(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "manifest.csv"), []byte("key,value\nformat,lantu-dataset\nversion,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plans.csv"), []byte("code,name_zh,base_year,start_year,end_year\np,规划,2020,2021,二〇二五\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"LANTU_DATA": t.TempDir()}
	_, errOut, code := lantu(t, env, "dataset", "import", dir)
	if code != 1 || !strings.Contains(errOut, "plans.csv:2: end_year") {
		t.Errorf("exit %d, stderr %s", code, errOut)
	}
	out, _, _ := lantu(t, env, "dataset", "export", t.TempDir())
	if !strings.Contains(out, "0 个指标，0 条数据，0 个项目") {
		t.Errorf("refused import left data: %s", out)
	}
}

func TestCalendarCommand(t *testing.T) {
	env := map[string]string{"LANTU_DATA": t.TempDir(), "USER": "admin"}
	out, errOut, code := lantu(t, env, "calendar", "show", "2024-10")
	if code != 0 {
		t.Fatal(errOut)
	}
	// 2024-10-01 is National Day; Saturday 2024-10-12 is a make-up workday.
	for _, want := range []string{"2024-10-01 Tue 休 法定节假日 国庆节", "2024-10-12 Sat 班 调休上班日"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar show lacks %q:\n%s", want, out)
		}
	}
	if _, errOut, code := lantu(t, env, "calendar", "set", "2024-10-14", "--off", "--name", "防汛", "--reason", "暴雨"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ = lantu(t, env, "calendar", "show", "2024-10")
	if !strings.Contains(out, "2024-10-14 Mon 休 本地调整 防汛") {
		t.Errorf("override not shown:\n%s", out)
	}
	if _, errOut, code := lantu(t, env, "calendar", "set", "2024-10-15", "--off"); code != 1 || !strings.Contains(errOut, "--reason") {
		t.Errorf("set without reason: exit %d %s", code, errOut)
	}
	if _, errOut, code := lantu(t, env, "calendar", "unset", "2024-10-14", "--reason", "撤销"); code != 0 {
		t.Fatal(errOut)
	}
}

// serve starts `lantu serve` on a free port in-process and returns its base
// URL once it answers; the server stops when the test ends.
func serve(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, io.Discard, func(k string) string { return env[k] })
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := addr.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			return "http://" + m[1]
		}
	}
	t.Fatal("serve exited without printing its address")
	return ""
}

// lantu audit verify finds an edited audit row, whichever engine.
func TestAuditVerifyFindsAnEditedRow(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		data := t.TempDir()
		auditTamperScenario(t, map[string]string{"LANTU_DATA": data, "USER": "ops"}, func() *sql.DB {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "lantu.db"))
			if err != nil {
				t.Fatal(err)
			}
			return db
		}, []string{"DROP TRIGGER audit_log_no_update"})
	})
	t.Run("postgres", func(t *testing.T) {
		if storagetest.PostgresURL(t) == "" {
			t.Skip("NOTICE: PostgreSQL not configured (set LANTU_TEST_POSTGRES); skipped")
		}
		url := storagetest.PostgresSchemaURL(t)
		auditTamperScenario(t, map[string]string{"LANTU_DB": url, "USER": "ops"}, func() *sql.DB {
			db, err := sql.Open("pgx", url)
			if err != nil {
				t.Fatal(err)
			}
			return db
		}, []string{"DROP TRIGGER audit_log_no_change ON audit_log"})
	})
}

func auditTamperScenario(t *testing.T, env map[string]string, raw func() *sql.DB, dropGuards []string) {
	t.Helper()
	for _, name := range []string{"wang", "zhao", "qian"} {
		if _, errOut, code := lantu(t, env, "user", "add", name, "--role", "leader", "--display", "领导"); code != 0 {
			t.Fatal(errOut)
		}
	}
	out, errOut, code := lantu(t, env, "audit", "verify")
	if code != 0 || !strings.Contains(out, "审计记录完整：3 条") {
		t.Fatalf("verify before tampering: exit %d, %s %s", code, out, errOut)
	}
	db := raw()
	defer db.Close()
	for _, stmt := range append(dropGuards, `UPDATE audit_log SET actor = 'nobody' WHERE id = 2`) {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	_, errOut, code = lantu(t, env, "audit", "verify")
	if code != 1 || !strings.Contains(errOut, "第 2 条") || !strings.Contains(errOut, "记录被修改") {
		t.Errorf("verify after editing row 2: exit %d, %s", code, errOut)
	}
}

func TestUserCommands(t *testing.T) {
	env := map[string]string{"LANTU_DATA": t.TempDir(), "USER": "ops"}
	if _, errOut, code := lantu(t, env, "dataset", "import", "../../datasets/gujiao"); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := lantu(t, env, "user", "add", "Li.Si", "--role", "reporter", "--dept", "forestry", "--display", "李四")
	if code != 0 || !strings.Contains(out, "已创建用户 li.si") || !strings.Contains(out, "初始密码") {
		t.Fatalf("user add: %d %s %s", code, out, errOut)
	}
	if _, errOut, code := lantu(t, env, "user", "add", "nodept", "--role", "reporter"); code != 1 || !strings.Contains(errOut, "必须属于一个部门") {
		t.Errorf("reporter without department: %d %s", code, errOut)
	}
	env["STDIN"] = "123456\n"
	if _, errOut, code := lantu(t, env, "user", "passwd", "li.si", "--password-stdin"); code != 1 || !strings.Contains(errOut, "密码") {
		t.Errorf("a common password was accepted: %d %s", code, errOut)
	}
	env["STDIN"] = "a long and new passphrase\n"
	if out, errOut, code := lantu(t, env, "user", "passwd", "li.si", "--password-stdin"); code != 0 || strings.Contains(out, "新密码") {
		t.Errorf("passwd from stdin: %d %s %s", code, out, errOut)
	}
	if _, errOut, code := lantu(t, env, "user", "disable", "li.si"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ = lantu(t, env, "user", "list")
	if !strings.Contains(out, "li.si") || !strings.Contains(out, "停用 disabled") || !strings.Contains(out, "forestry") {
		t.Errorf("user list: %s", out)
	}
}

func TestCaseTypesCommand(t *testing.T) {
	env := map[string]string{"LANTU_DATA": t.TempDir(), "USER": "admin"}
	out, errOut, code := lantu(t, env, "cases", "types")
	if code != 0 || !strings.Contains(out, `"Code": "npc_suggestion"`) {
		t.Fatalf("cases types: exit %d %s\n%s", code, errOut, out)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "types.json")
	local := strings.Replace(out, `"YellowDays": 10`, `"YellowDays": 15`, 1)
	if err := os.WriteFile(file, []byte(local), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := lantu(t, env, "cases", "types", "--load", file); code != 1 || !strings.Contains(errOut, "--reason") {
		t.Errorf("load without a reason: exit %d %s", code, errOut)
	}
	if _, errOut, code := lantu(t, env, "cases", "types", "--load", file, "--reason", "本市办法"); code != 0 {
		t.Fatal(errOut)
	}
	if out, _, _ := lantu(t, env, "cases", "types"); !strings.Contains(out, `"YellowDays": 15`) {
		t.Errorf("the city's types are not in force:\n%s", out)
	}
	// A faulty file: refused, naming the fault; the types in force stay.
	if err := os.WriteFile(file, []byte(strings.Replace(local, `"YellowDays"`, `"YelowDays"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := lantu(t, env, "cases", "types", "--load", file, "--reason", "x"); code != 1 || !strings.Contains(errOut, "YelowDays") {
		t.Errorf("a faulty file: exit %d %s", code, errOut)
	}
	if out, _, _ := lantu(t, env, "cases", "types"); !strings.Contains(out, `"YellowDays": 15`) {
		t.Error("a faulty file changed the types in force")
	}
	if _, errOut, code := lantu(t, env, "cases", "types", "--defaults", "--reason", "恢复"); code != 0 {
		t.Fatal(errOut)
	}
	if out, _, _ := lantu(t, env, "cases", "types"); strings.Contains(out, `"YellowDays": 15`) {
		t.Error("the defaults are not back")
	}
}
