package watch_test

import (
	"testing"

	"github.com/lantu/lantu/watch"
)

func TestLadder(t *testing.T) {
	const G, Y, R, U = watch.Green, watch.Yellow, watch.Red, watch.Unlit
	tests := []struct {
		name    string
		history []watch.Color // oldest first
		k       int
		levels  []watch.Level // after each week
	}{
		// Red streaks 1..7 give 1 + (streak−1)/2: 1,1,2,2,3,3,4.
		{"K2", []watch.Color{G, Y, R, R, R, R, R, R, R}, 2, []watch.Level{0, 0, 1, 1, 2, 2, 3, 3, 4}},
		// 1 + (streak−1)/1 = streak, capped at 4.
		{"K1", []watch.Color{R, R, R, R, R, R}, 1, []watch.Level{1, 2, 3, 4, 4, 4}},
		// 1 + (streak−1)/3: streaks 1..4 → 1,1,1,2.
		{"K3", []watch.Color{R, R, R, R}, 3, []watch.Level{1, 1, 1, 2}},
		// A yellow week ends the streak: the count starts again.
		{"StreakBroken", []watch.Color{R, R, R, Y, R, R, R}, 2, []watch.Level{1, 1, 2, 0, 1, 1, 2}},
		{"Unlit", []watch.Color{R, R, U}, 2, []watch.Level{1, 1, 0}},
		// Far past the top it stays at the mayor: streak 20 → 1 + 19/2 = 10 → 4.
		{"Cap", repeat(R, 20), 2, append(repeatLevel(0, 0), 1, 1, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.history {
				if got := watch.Ladder(tt.history[:i+1], tt.k); got != tt.levels[i] {
					t.Errorf("after week %d (%v): level %d, want %d", i+1, tt.history[:i+1], got, tt.levels[i])
				}
			}
		})
	}
	if got := watch.Ladder(nil, 2); got != watch.LevelNone {
		t.Errorf("empty history: %d", got)
	}
	// k < 1 is read as 1.
	if got := watch.Ladder([]watch.Color{R, R}, 0); got != watch.LevelDeptHead {
		t.Errorf("k = 0: %d, want %d", got, watch.LevelDeptHead)
	}
}

func repeat(c watch.Color, n int) []watch.Color {
	out := make([]watch.Color, n)
	for i := range out {
		out[i] = c
	}
	return out
}

func repeatLevel(l watch.Level, n int) []watch.Level {
	out := make([]watch.Level, n)
	for i := range out {
		out[i] = l
	}
	return out
}

func TestLevelHolders(t *testing.T) {
	h := watch.Holders{LeaderInCharge: "王副局长", DeptHead: "李局长", CityLeader: "张副市长", Mayor: "刘市长"}
	want := []struct {
		level    watch.Level
		zh, en   string
		holder   string
		levelInt int
	}{
		{watch.LevelNone, "无", "none", "", 0},
		{watch.LevelLeaderInCharge, "分管领导", "leader in charge", "王副局长", 1},
		{watch.LevelDeptHead, "单位主要领导", "head of the owner department", "李局长", 2},
		{watch.LevelCityLeader, "联系市领导", "city leader in contact", "张副市长", 3},
		{watch.LevelMayor, "市长督办", "the mayor", "刘市长", 4},
	}
	for _, w := range want {
		if int(w.level) != w.levelInt || w.level.LabelZH() != w.zh || w.level.LabelEN() != w.en || h.Holder(w.level) != w.holder {
			t.Errorf("level %d: %q %q %q, want %q %q %q", w.level, w.level.LabelZH(), w.level.LabelEN(), h.Holder(w.level), w.zh, w.en, w.holder)
		}
	}
}
