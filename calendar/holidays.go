package calendar

import (
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// holiday is one date of the national table: a day off or a make-up workday.
type holiday struct {
	working bool
	nameZH  string
	nameEN  string
}

// The years scanned for data. lunar-go's table starts at 2001-12-29 and is
// extended each year; scanning a wide window means a newer lunar-go needs
// no change here.
const (
	scanFirstYear = 1990
	scanLastYear  = 2100
)

// national is lunar-go's table, read once: scanning it takes about a
// millisecond, too much for every New. It is never written after loading,
// so all Calendars share it.
var national = sync.OnceValue(loadHolidays)

// nationalData is the national table and the years its festivals cover
// (0 and 0 if none).
type nationalData struct {
	table       map[dayNum]holiday
	first, last int
}

// loadHolidays copies lunar-go's table into a map, so that calendars do not
// depend on lunar-go's package state afterwards (HolidayUtil.Fix rewrites
// it in place, unsynchronised).
func loadHolidays() nationalData {
	table := make(map[dayNum]holiday)
	first, last := 0, 0
	for y := scanFirstYear; y <= scanLastYear; y++ {
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			day, err := time.Parse(time.DateOnly, h.GetDay())
			if err != nil {
				continue // cannot happen with lunar-go's own data
			}
			zh, en := holidayNames(h.GetName())
			table[dayOf(day)] = holiday{working: h.IsWork(), nameZH: zh, nameEN: en}
			// Count coverage by the festival, not the day: 2001-12-29 is a
			// make-up workday for New Year 2002 and says nothing of 2001.
			target, err := time.Parse(time.DateOnly, h.GetTarget())
			if err != nil {
				continue
			}
			if ty := target.Year(); first == 0 || ty < first {
				first = ty
			}
			if ty := target.Year(); ty > last {
				last = ty
			}
		}
	}
	return nationalData{table: table, first: first, last: last}
}

// holidayNames turns lunar-go's name into the wording of the State Council
// notices (元旦, not 元旦节) and an English name.
func holidayNames(lunar string) (zh, en string) {
	switch lunar {
	case "元旦节":
		return "元旦", "New Year's Day"
	case "春节":
		return "春节", "Spring Festival"
	case "清明节":
		return "清明节", "Qingming Festival"
	case "劳动节":
		return "劳动节", "Labour Day"
	case "端午节":
		return "端午节", "Dragon Boat Festival"
	case "中秋节":
		return "中秋节", "Mid-Autumn Festival"
	case "国庆节":
		return "国庆节", "National Day"
	case "国庆中秋":
		return "国庆节、中秋节", "National Day and Mid-Autumn Festival"
	case "抗战胜利日":
		// 2015 only: the 70th anniversary of victory in the War of
		// Resistance against Japanese Aggression.
		return "抗战胜利纪念日", "Victory Day"
	}
	return lunar, lunar // a name added by a newer lunar-go
}
