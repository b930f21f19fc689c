package watch

// Level is a rung of the coordination ladder (协调层级): who must step in
// for a project that stays red.
type Level int

const (
	LevelNone           Level = iota // not escalated
	LevelLeaderInCharge              // 分管领导
	LevelDeptHead                    // 单位主要领导, head of the owner department
	LevelCityLeader                  // 联系市领导, the city leader in contact
	LevelMayor                       // 市长督办
)

// Ladder returns the level a project has reached after its lights, oldest
// first: none unless the newest is red; otherwise one level for the first
// red week and one more for each further k consecutive red weeks,
// 1 + (streak−1)/k, up to LevelMayor. Any other colour ends a streak.
// k < 1 is taken as 1.
func Ladder(lights []Color, k int) Level {
	k = max(k, 1)
	streak := 0
	for i := len(lights) - 1; i >= 0 && lights[i] == Red; i-- {
		streak++
	}
	if streak == 0 {
		return LevelNone
	}
	return min(Level(1+(streak-1)/k), LevelMayor)
}

// LabelZH returns the Chinese label.
func (l Level) LabelZH() string {
	return map[Level]string{LevelNone: "无", LevelLeaderInCharge: "分管领导", LevelDeptHead: "单位主要领导",
		LevelCityLeader: "联系市领导", LevelMayor: "市长督办"}[l]
}

// LabelEN returns the English label.
func (l Level) LabelEN() string {
	return map[Level]string{LevelNone: "none", LevelLeaderInCharge: "leader in charge", LevelDeptHead: "head of the owner department",
		LevelCityLeader: "city leader in contact", LevelMayor: "the mayor"}[l]
}

// Holders names who stands at each level of the ladder for a project.
type Holders struct {
	LeaderInCharge string // 分管领导
	DeptHead       string // 单位主要领导
	CityLeader     string // 联系市领导
	Mayor          string // 市长
}

// Holder returns who holds level l, or "" for LevelNone.
func (h Holders) Holder(l Level) string {
	switch l {
	case LevelLeaderInCharge:
		return h.LeaderInCharge
	case LevelDeptHead:
		return h.DeptHead
	case LevelCityLeader:
		return h.CityLeader
	case LevelMayor:
		return h.Mayor
	}
	return ""
}
