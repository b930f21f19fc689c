// Command lantu is the whole of Lantu in one binary: the web server, the
// database migrations and the dataset tools.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
}

// environment is what every command gets: where to print and how to read
// the LANTU_* variables.
type environment struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

func commands() []command {
	return []command{
		{"serve", "启动网页服务 (run the web server)", runServe},
		{"migrate", "升级数据库结构 (bring the database schema up to date)", runMigrate},
		{"dataset", "导入、导出数据包 (import or export a dataset bundle: export DIR | import DIR | remove-samples)", runDataset},
		{"calendar", "查看、调整工作日历 (working-day calendar: show | set | unset)", runCalendar},
		{"cases", "事项类型的规则 (case types: show, or put a city's own in force)", runCases},
		{"user", "管理用户 (users: add | passwd | disable | enable | list)", runUser},
		{"audit", "检查审计记录 (audit trail: verify)", runAudit},
		{"db", "数据库权限 (database: grant-app ROLE, PostgreSQL)", runDB},
		{"version", "显示版本 (print the version)", runVersion},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	env := &environment{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(ctx, env, args[1:]); err != nil {
				if err == errHelp {
					return 0
				}
				fmt.Fprintln(stderr, "lantu "+c.name+": "+describe(err))
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "lantu: 未知命令 %q (unknown command)\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `蓝图 Lantu — 规划实施监测系统 (development plan monitoring)

用法 Usage: lantu COMMAND [flags]

命令 Commands:`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
每个命令都可用 --help 查看参数 (each command takes --help).
公共参数 Common flags (also as environment variables):
  --addr HOST:PORT  LANTU_ADDR  listen address (default 127.0.0.1:8080)
  --data DIR        LANTU_DATA  where the SQLite file lives (default ./lantu-data)
  --db URL          LANTU_DB    postgres://… selects PostgreSQL instead of SQLite`)
}
