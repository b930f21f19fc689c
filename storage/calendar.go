package storage

import (
	"context"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
)

var overrides = table[calendar.Override]{
	name: "calendar_overrides", objectType: "calendar_override",
	key:  []string{"day"},
	cols: []string{"day", "working", "name_zh", "name_en", "reason"},
	args: func(o calendar.Override) []any {
		return []any{formatDate(o.Date), o.Working, o.NameZH, o.NameEN, o.Reason}
	},
	scan: func(r scanner) (o calendar.Override, err error) {
		var day string
		if err = r.Scan(&day, &o.Working, &o.NameZH, &o.NameEN, &o.Reason); err != nil {
			return o, err
		}
		o.Date, err = parseDate(day)
		return o, err
	},
	id: func(o calendar.Override) string { return formatDate(o.Date) },
}

// CalendarOverrides returns the local changes to the working-day calendar,
// by date.
func (db *DB) CalendarOverrides(ctx context.Context) ([]calendar.Override, error) {
	return overrides.list(ctx, db.read, "", "day")
}

// Calendar returns the working-day calendar with the local overrides.
func (db *DB) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	list, err := db.CalendarOverrides(ctx)
	if err != nil {
		return nil, err
	}
	return calendar.New(list), nil
}

// PutCalendarOverride sets a local override for one date.
func (tx *Tx) PutCalendarOverride(ctx context.Context, o calendar.Override) error {
	if o.Date.IsZero() {
		return apperr.Invalidf("工作日历调整缺少日期", "calendar override has no date")
	}
	y, m, d := o.Date.Date()
	o.Date = dateUTC(y, int(m), d)
	return overrides.put(ctx, tx, o)
}

// DeleteCalendarOverride removes the local override of one date.
func (tx *Tx) DeleteCalendarOverride(ctx context.Context, day string) error {
	found, err := overrides.remove(ctx, tx, day)
	if err == nil && !found {
		err = apperr.NotFoundf("%s 没有本地调整", "no local override on %s", day)
	}
	return err
}
