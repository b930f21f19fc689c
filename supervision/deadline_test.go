package supervision_test

import (
	"testing"

	"github.com/lantu/lantu/supervision"
)

// Expected dates are counted by hand from the State Council's 2024 notice:
// Spring Festival off Sat Feb 10 – Sat Feb 17, worked Sun Feb 4 and Sun
// Feb 18; National Day off Tue Oct 1 – Mon Oct 7, worked Sun Sep 29 and
// Sat Oct 12. Feb 9 (除夕, Fri) is a working day. The issue date itself is
// never counted.
func TestIssueDeadline(t *testing.T) {
	cases := []struct {
		name     string
		issuedAt string
		days     int
		want     string
	}{
		// Feb 9 Fri =1, Feb 10–17 off, Feb 18 Sun make-up =2, Feb 19 =3, Feb 20 =4, Feb 21 =5.
		{"SpringFestival", "2024-02-08 09:30", 5, "2024-02-21"},
		// Sep 28 Sat off, Sep 29 Sun make-up =1, Sep 30 =2, Oct 1–7 off, Oct 8 =3.
		{"NationalDay", "2024-09-27 16:00", 3, "2024-10-08"},
		// Issued on a holiday: Feb 11–17 off, Feb 18 Sun make-up =1.
		{"IssuedOnHoliday", "2024-02-10 10:00", 1, "2024-02-18"},
		// Issued on the make-up Sunday Feb 4: Feb 5 Mon =1.
		{"IssuedOnMakeUpSunday", "2024-02-04 10:00", 1, "2024-02-05"},
		// Oct 1–7 off, Oct 8 Tue =1.
		{"IssuedBeforeNationalDay", "2024-09-30 17:00", 1, "2024-10-08"},
		// Oct 12 Sat is a make-up workday =1.
		{"MakeUpSaturday", "2024-10-11 10:00", 1, "2024-10-12"},
		// Mar 5 =1, Mar 6 =2, Mar 7 =3, Mar 8 Fri =4: no holiday.
		{"PlainWeek", "2024-03-04 10:00", 4, "2024-03-08"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, e, err := supervision.Issue(draft(c.days), office, at(c.issuedAt), cal)
			if err != nil {
				t.Fatal(err)
			}
			if date(o.Deadline) != c.want || date(o.OriginalDeadline) != c.want || date(e.NewDeadline) != c.want {
				t.Errorf("deadline %s, original %s, event %s; want %s", date(o.Deadline), date(o.OriginalDeadline), date(e.NewDeadline), c.want)
			}
			if o.State != supervision.Assigned || o.Version != 1 || o.IssuedBy != office.Name || o.ReturnWindowDays != supervision.DefaultReturnWindowDays {
				t.Errorf("issued order = %+v", o)
			}
			if e.Kind != supervision.Assign || e.ToState != supervision.Assigned || e.Version != 1 || e.ByRole != supervision.Office {
				t.Errorf("event = %+v", e)
			}
		})
	}
}

// The issue date is the date in Beijing, whatever zone the clock reads in.
func TestIssueDeadlineCountsBeijingDate(t *testing.T) {
	// 2024-02-08 17:00 UTC is Fri Feb 9 01:00 in Beijing: Feb 10–17 off,
	// Feb 18 Sun make-up =1.
	o, _, err := supervision.Issue(draft(1), office, at("2024-02-09 01:00").UTC(), cal)
	if err != nil {
		t.Fatal(err)
	}
	if got := date(o.Deadline); got != "2024-02-18" {
		t.Errorf("deadline = %s, want 2024-02-18", got)
	}
}

func TestIssueRefused(t *testing.T) {
	t.Run("ErrNotOffice", func(t *testing.T) {
		_, _, err := supervision.Issue(draft(5), lead, at("2024-02-08 09:30"), cal)
		refused(t, err, "forbidden", "督查室")
	})
	t.Run("ErrDeadlineDays", func(t *testing.T) {
		_, _, err := supervision.Issue(draft(0), office, at("2024-02-08 09:30"), cal)
		refused(t, err, "invalid", "办理时限")
	})
	t.Run("ErrTitle", func(t *testing.T) {
		d := draft(5)
		d.Title = "  "
		_, _, err := supervision.Issue(d, office, at("2024-02-08 09:30"), cal)
		refused(t, err, "invalid", "标题")
	})
}

func TestDeadlineExplained(t *testing.T) {
	o := issued(t, "2024-02-08 09:30", 5)
	zh, en := o.DeadlineExplained()
	// Feb 9 =1, Feb 18 =2, Feb 19 =3, Feb 20 =4, Feb 21 =5.
	if zh != "交办 2024-02-08 + 5 个工作日 = 2024-02-21" || en != "issued 2024-02-08 + 5 working days = 2024-02-21" {
		t.Errorf("explained = %q, %q", zh, en)
	}
	o, _ = step(t, o, supervision.Action{Kind: supervision.Sign}, lead, "2024-02-09 10:00")
	o, _ = step(t, o, supervision.Action{Kind: supervision.RequestExtension, Note: "设备到货推迟", NewDeadline: at("2024-02-28")}, lead, "2024-02-19 10:00")
	o, _ = step(t, o, supervision.Action{Kind: supervision.DecideExtension, Accept: true}, office, "2024-02-20 10:00")
	zh, en = o.DeadlineExplained()
	if zh != "交办 2024-02-08 + 5 个工作日 = 2024-02-21，延期至 2024-02-28" || en != "issued 2024-02-08 + 5 working days = 2024-02-21, extended to 2024-02-28" {
		t.Errorf("explained after extension = %q, %q", zh, en)
	}
	o, _ = step(t, o, supervision.Action{Kind: supervision.RequestExtension, Note: "再次推迟", NewDeadline: at("2024-03-06")}, lead, "2024-02-27 10:00")
	o, _ = step(t, o, supervision.Action{Kind: supervision.DecideExtension, Accept: true}, office, "2024-02-27 11:00")
	if zh, _ = o.DeadlineExplained(); zh != "交办 2024-02-08 + 5 个工作日 = 2024-02-21，经 2 次延期至 2024-03-06" {
		t.Errorf("explained after two extensions = %q", zh)
	}
}

func TestReturnWindow(t *testing.T) {
	cases := []struct {
		name     string
		issuedAt string
		askedAt  string
		wantEnd  string
		ok       bool
	}{
		// Window of 2: Feb 9 Fri =1, Feb 10–17 off, Feb 18 Sun make-up =2.
		{"OKDuringSpringFestival", "2024-02-08 09:30", "2024-02-17 10:00", "2024-02-18", true},
		{"OKLastDay", "2024-02-08 09:30", "2024-02-18 23:59", "2024-02-18", true},
		{"ErrDayAfter", "2024-02-08 09:30", "2024-02-19 00:00", "2024-02-18", false},
		// Sep 28 Sat off, Sep 29 Sun make-up =1, Sep 30 =2: over before the holiday.
		{"ErrOnNationalDay", "2024-09-27 16:00", "2024-10-01 10:00", "2024-09-30", false},
		// Oct 1–7 off, Oct 8 =1, Oct 9 =2.
		{"OKDuringNationalDay", "2024-09-30 17:00", "2024-10-05 10:00", "2024-10-09", true},
		{"OKAfterNationalDay", "2024-09-30 17:00", "2024-10-09 18:00", "2024-10-09", true},
		{"ErrAfterNationalDay", "2024-09-30 17:00", "2024-10-10 08:00", "2024-10-09", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := issued(t, c.issuedAt, 10)
			if got := date(o.ReturnWindowEnd(cal)); got != c.wantEnd {
				t.Errorf("window ends %s, want %s", got, c.wantEnd)
			}
			a := supervision.Action{Kind: supervision.RequestReturn, Note: "不属于本单位职责", ExpectedVersion: o.Version}
			got, e, err := supervision.Apply(o, a, lead, at(c.askedAt), cal)
			if !c.ok {
				refused(t, err, "conflict", o.Number, c.wantEnd, "退办")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.State != supervision.ReturnRequested || got.PendingReturn == nil || got.PendingReturn.From != supervision.Assigned || e.Note != a.Note {
				t.Errorf("order %+v, event %+v", got, e)
			}
		})
	}
}
