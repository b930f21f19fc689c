package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/casework"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/notify"
	"github.com/lantu/lantu/oversight"
	"github.com/lantu/lantu/reporting"
	"github.com/lantu/lantu/scheduler"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/web"
)

func runServe(ctx context.Context, env *environment, args []string) error {
	var c common
	var empty bool
	var cookieSecure, node, baseURL string
	var mail notify.SMTP
	var mailTLS string
	fs := env.flags("serve", "serve [--addr HOST:PORT] [--data DIR] [--db URL] [--empty] [--cookie-secure auto|on|off] [--node NAME] [--base-url URL] [--smtp-host HOST ...]", &c)
	fs.BoolVar(&empty, "empty", false, "do not load the default city (Gujiao) into an empty database")
	fs.StringVar(&cookieSecure, "cookie-secure", envOr(env.getenv, "LANTU_COOKIE_SECURE", "auto"),
		"mark the session cookie Secure (__Host-): on, off, or auto = on unless listening on loopback (LANTU_COOKIE_SECURE)")
	host, _ := os.Hostname()
	fs.StringVar(&node, "node", envOr(env.getenv, "LANTU_NODE", host), "this server's name in the record of scheduled jobs, when several share a database (LANTU_NODE)")
	fs.StringVar(&baseURL, "base-url", envOr(env.getenv, "LANTU_BASE_URL", ""), "Lantu's address as users reach it, for links in e-mail and group-robot messages (LANTU_BASE_URL)")
	fs.StringVar(&mail.Host, "smtp-host", envOr(env.getenv, "LANTU_SMTP_HOST", ""), "mail submission server; empty: no e-mail (LANTU_SMTP_HOST)")
	fs.IntVar(&mail.Port, "smtp-port", 0, "its port: 0 for 587 (starttls), 465 (tls) or 25 (none)")
	fs.StringVar(&mail.Username, "smtp-user", envOr(env.getenv, "LANTU_SMTP_USER", ""), "SMTP user (LANTU_SMTP_USER); the password is read from LANTU_SMTP_PASSWORD only")
	fs.StringVar(&mail.From, "smtp-from", envOr(env.getenv, "LANTU_SMTP_FROM", ""), "the From of Lantu's mail, e.g. 蓝图 <lantu@gujiao.gov.cn> (LANTU_SMTP_FROM)")
	fs.StringVar(&mailTLS, "smtp-tls", envOr(env.getenv, "LANTU_SMTP_TLS", "starttls"), "starttls, tls or none (LANTU_SMTP_TLS)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	mail.Password, mail.TLS = env.getenv("LANTU_SMTP_PASSWORD"), notify.TLSMode(mailTLS)
	delivery := oversight.Delivery{BaseURL: baseURL, Senders: map[string]notify.Sender{
		notify.ChannelWeCom: &notify.WeCom{}, notify.ChannelDingTalk: &notify.DingTalk{}}}
	if mail.Host != "" {
		if err := mail.Validate(); err != nil {
			return err
		}
		delivery.Senders[notify.ChannelEmail] = &mail
	}
	logger := slog.New(slog.NewTextHandler(env.stderr, nil))
	db, err := c.open(ctx, env.stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if !empty {
		if err := seedIfEmpty(ctx, env, db); err != nil {
			return err
		}
	}
	accounts := account.New(db)
	if name, password, created, err := accounts.EnsureAdmin(ctx); err != nil {
		return err
	} else if created {
		fmt.Fprintf(env.stdout, "\n已创建管理员账号 (created the administrator):\n  用户名 user: %s\n  密码 password: %s\n"+
			"此密码只显示这一次，请立即登录修改并设置双因素验证。(Shown only this once: sign in, change it and set up the second factor.)\n\n", name, password)
	}
	secure, err := secureCookies(cookieSecure, c.addr)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{DB: db, Accounts: accounts, Logger: logger, SecureCookies: secure})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s (cannot listen): %w", c.addr, err)
	}
	httpServer := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(env.stdout, "蓝图 Lantu 已启动：http://%s/ (Lantu is serving; Ctrl-C stops it)\n", ln.Addr())
	// The scheduled jobs (lights, reminders, the bulletin, deliveries) run
	// inside the server; with several servers on one database each slot is
	// run by one of them.
	jobs, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	jobsList := append(oversight.New(db).Jobs(delivery), reportingReminders(reporting.New(db)), caseFigures(casework.New(db)))
	sched := &scheduler.Scheduler{DB: db, Node: node, Jobs: jobsList, Now: time.Now, Log: logger}
	go sched.Loop(jobs, time.Minute)
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(env.stdout, "已停止 (stopped)")
	return nil
}

// reportingReminders is the daily job, from 08:00 Beijing time, that
// reminds departments of figures still to send as a round's due date nears.
func reportingReminders(svc *reporting.Service) scheduler.Job {
	return scheduler.Job{Name: "reporting", Lease: 30 * time.Minute,
		Slot: func(now time.Time) string {
			if t := now.In(indicator.Beijing); t.Hour() >= 8 {
				return t.Format(time.DateOnly)
			}
			return ""
		},
		Run: func(ctx context.Context, now time.Time, _ string) (string, error) {
			n, err := svc.Remind(ctx, now)
			return fmt.Sprintf("提醒 %d (reminders)", n), err
		}}
}

// caseFigures is the nightly job, from 02:00 Beijing time, that computes
// the indicators fed by cases (办理建议/提案件数, 信访办结率, 化解积案,
// 审批承诺时限压缩率) for the current year, where the year has cases.
func caseFigures(svc *casework.Service) scheduler.Job {
	return scheduler.Job{Name: "case_figures", Lease: 30 * time.Minute,
		Slot: func(now time.Time) string {
			if t := now.In(indicator.Beijing); t.Hour() >= 2 {
				return t.Format(time.DateOnly)
			}
			return ""
		},
		Run: func(ctx context.Context, now time.Time, _ string) (string, error) {
			rep, err := svc.FeedIndicators(ctx, now.In(indicator.Beijing).Year(), now)
			return fmt.Sprintf("%d 项 (feeds)", len(rep.Lines)), err
		}}
}

// seedIfEmpty loads the embedded Gujiao bundle into a database that holds no
// plan and no org unit yet: a newcomer's first start shows a real city.
func seedIfEmpty(ctx context.Context, env *environment, db *storage.DB) error {
	isEmpty, err := dataset.IsEmpty(ctx, db)
	if err != nil || !isEmpty {
		return err
	}
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		return fmt.Errorf("内置数据包有误 (embedded dataset is broken): %w", err)
	}
	actor := audit.Actor{Name: "system:seed", Reason: "首次启动，载入内置古交市数据 (first start: load the embedded Gujiao dataset)"}
	if err := dataset.Load(ctx, db, actor, b); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已载入内置数据：%s（%d 个指标，%d 条数据，%d 个项目）(loaded the embedded dataset)\n",
		b.Manifest.NameZH, len(b.Indicators), len(b.Values), len(b.Projects))
	return nil
}

// secureCookies decides whether the session cookie is Secure: always when
// asked, and by default unless the server listens on loopback only, where
// plain HTTP is how a newcomer tries it out.
func secureCookies(setting, addr string) (bool, error) {
	switch setting {
	case "on", "true":
		return true, nil
	case "off", "false":
		return false, nil
	case "auto", "":
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return true, nil
		}
		ip := net.ParseIP(host)
		return !(host == "localhost" || (ip != nil && ip.IsLoopback())), nil
	}
	return false, fmt.Errorf("--cookie-secure 应为 auto、on 或 off (must be auto, on or off): %q", setting)
}
