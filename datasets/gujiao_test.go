package datasets_test

import (
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/indicator"
)

// The figures the report states, typed by hand from the report (and from
// issue 2, which lists them): every one must be in the bundle with this
// number, unit and qualifier.
var reportFigures = []struct {
	code      string
	number    float64
	unit      string
	qualifier indicator.Qualifier
}{
	{"coal-capacity-cut", 159, "万吨", ""},
	{"coking-capacity-retired", 160, "万吨", ""},
	{"coal-washing-capacity-eliminated", 5396, "万吨", ""},
	{"approval-time-cut", 30, "%", indicator.AtLeast},
	{"small-to-above-scale", 13, "户", ""},
	{"investment-signed", 54.7, "亿元", ""},
	{"overlaid-resources-released", 1892, "公顷", ""},
	{"three-supplies-handover-households", 20000, "户", indicator.MoreThan},
	{"base-stations-5g", 90, "个", ""},
	{"old-compounds-renovated", 9, "个", ""},
	{"back-alleys-improved", 14, "条", ""},
	{"afforestation", 3.36, "万亩", ""},
	{"forest-cover", 18.77, "%", ""},
	{"five-waters-projects", 9, "个", ""},
	{"industrial-parks-10k-mu", 3, "个", ""},
	{"hazelnut-area-added", 4400, "亩", indicator.MoreThan},
	{"herb-area-added", 2800, "亩", indicator.MoreThan},
	{"sea-buckthorn-area", 5400, "亩", ""},
	{"abandoned-land-restored", 1.2, "万亩", ""},
	{"collective-economic-orgs", 145, "个", ""},
	{"revitalization-demo-villages", 4, "个", ""},
	{"beautiful-villages", 28, "个", ""},
	{"clean-villages", 108, "个", ""},
	{"rural-toilets-upgraded", 5425, "座", ""},
	{"vocational-training", 6000, "人次", indicator.MoreThan},
	{"urban-jobs-new", 3610, "人", ""},
	{"education-spending", 5.05, "亿元", ""},
	{"football-pitches", 3, "个", ""},
	{"urban-dibao-standard", 700, "元/月", ""},
	{"rural-dibao-standard", 580, "元/月", ""},
	{"assigned-petition-closure-rate", 100, "%", ""},
	{"petition-backlog-resolved", 146, "件", ""},
	{"gangs-broken-up", 1, "个", ""},
	{"anti-gang-criminal-cases-solved", 3, "起", ""},
	{"court-appearance-rate", 100, "%", ""},
	{"npc-suggestions-handled", 125, "件", ""},
	{"cppcc-proposals-handled", 170, "件", ""},
	{"three-public-expenses-cut", 37.18, "%", ""},
	// stated in words
	{"village-bus-service-rate", 100, "%", ""},
	{"major-work-safety-accidents", 0, "起", ""},
	{"ultra-low-emission-rate", 100, "%", ""},
}

func bundle(t *testing.T) dataset.Bundle {
	t.Helper()
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGujiaoHasEveryReportFigure(t *testing.T) {
	b := bundle(t)
	units := map[string]string{}
	for _, ind := range b.Indicators {
		units[ind.Code] = ind.Current().UnitZH
	}
	values := map[string]indicator.Value{}
	for _, v := range b.Values {
		values[v.IndicatorCode] = v
	}
	for _, f := range reportFigures {
		v, ok := values[f.code]
		if !ok {
			t.Errorf("%s: no value", f.code)
			continue
		}
		if v.Number != f.number || units[f.code] != f.unit || v.Qualifier != f.qualifier {
			t.Errorf("%s = %v %s (%q), want %v %s (%q)", f.code, v.Number, units[f.code], v.Qualifier, f.number, f.unit, f.qualifier)
		}
		if v.Period.String() != "2020" || v.Status != indicator.Published || v.Sample {
			t.Errorf("%s: period %s, status %s, sample %v; want 2020, published, real", f.code, v.Period, v.Status, v.Sample)
		}
	}
	if len(b.Plans) != 1 || b.Plans[0].BaseYear != 2020 || b.Plans[0].StartYear != 2021 || b.Plans[0].EndYear != 2025 {
		t.Errorf("plans = %+v, want 十四五 2021–2025 base 2020", b.Plans)
	}
	goals := make([]string, len(b.Goals))
	for _, g := range b.Goals {
		if g.Position < 1 || g.Position > len(goals) {
			t.Fatalf("goal %s has position %d", g.Code, g.Position)
		}
		goals[g.Position-1] = g.NameZH
	}
	if got := strings.Join(goals, "、"); got != "富强古交、绿色古交、宜居古交、平安古交、法治古交" {
		t.Errorf("goals = %s", got)
	}
}

// Every quote is the report's own words: it occurs verbatim in the source
// text (whose one page break inside a sentence is joined), and a value
// whose number does not appear in its quote explains the conversion in a
// note. Nothing is presented as the report's that it does not say.
func TestGujiaoQuotesAreVerbatim(t *testing.T) {
	raw, err := fs.ReadFile(datasets.Gujiao(), "source/report.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`\n+`).ReplaceAllString(string(raw), "\n")
	text = strings.ReplaceAll(text, "汾河三\n期", "汾河三期")
	b := bundle(t)
	check := func(what, quote string) {
		if quote == "" {
			t.Errorf("%s has no quote", what)
			return
		}
		if !strings.Contains(text, quote) {
			t.Errorf("%s: quote is not in the report: %q", what, quote)
		}
	}
	for _, v := range b.Values {
		check("value "+v.IndicatorCode, v.Quote)
		n := strconv.FormatFloat(v.Number, 'f', -1, 64)
		if !strings.Contains(v.Quote, n) && v.Note == "" {
			t.Errorf("value %s: %s is not in its quote and no note explains it", v.IndicatorCode, n)
		}
		if v.Source != "gujiao-2020-report" {
			t.Errorf("value %s: source %q", v.IndicatorCode, v.Source)
		}
	}
	for _, p := range b.Projects {
		check("project "+p.Code, p.Quote)
		if p.StageNoteZH == "" {
			t.Errorf("project %s: no stage note in the report's words", p.Code)
		} else if !strings.Contains(p.Quote, p.StageNoteZH) {
			t.Errorf("project %s: stage note %q is not in its quote", p.Code, p.StageNoteZH)
		}
	}
	for _, task := range b.Tasks {
		check("task "+task.Code, task.Quote)
	}
	if len(b.Targets) != 0 {
		t.Errorf("the report states no targets, but the bundle has %d", len(b.Targets))
	}
}

func TestGujiaoNamedProjectsAndPlaces(t *testing.T) {
	b := bundle(t)
	var names []string
	for _, p := range b.Projects {
		names = append(names, p.NameZH)
	}
	all := strings.Join(names, "|")
	for _, want := range []string{"岔口风电", "西北二环", "屯村", "古岔线", "汽车客运站", "火山片区", "汾河三期", "大川河", "矾石沟", "铁磨沟",
		"华通", "粉煤灰", "宝能", "职教中心", "917"} {
		if !strings.Contains(all, want) {
			t.Errorf("no project named like %q among %s", want, all)
		}
	}
	var places []string
	for _, o := range b.OrgUnits {
		places = append(places, o.NameZH)
	}
	for _, want := range []string{"古交市", "岔口乡", "关头村", "上雁门村"} {
		if !strings.Contains(strings.Join(places, "|"), want) {
			t.Errorf("no org unit %s", want)
		}
	}
}
