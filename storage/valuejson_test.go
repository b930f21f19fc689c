package storage

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

func TestValueJSONMatchesEncodingJSON(t *testing.T) {
	strs := []string{"", "i0001", "森林覆盖率", `a"b\c`, "<script>&", "tab\there\nline", "\u2028\u2029", "bad\xffutf8", "\ufffd", "\x00\x1f", "😀 emoji"}
	nums := []float64{0, -0.0, 1, -1, 18.77, 1e21, 1e20, 123456789012345678, 1e-6, 1e-7, -3.2e-9, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1 + 0.2}
	times := []time.Time{{}, time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 8, 0, 0, 123456000, time.UTC),
		time.Date(2024, 3, 1, 16, 0, 0, 0, time.FixedZone("CST", 8*3600))}
	periods := []period.Period{{}, period.MustParse("2021"), period.MustParse("2021Q3"), period.MustParse("2024-03"), period.MustParse("2021W18")}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	pickT := func() time.Time { return times[rng.IntN(len(times))] }
	for i := range 5000 {
		v := indicator.Value{IndicatorCode: pick(strs), OrgUnitCode: pick(strs), Period: periods[rng.IntN(len(periods))],
			Number: nums[rng.IntN(len(nums))], Qualifier: indicator.Qualifier(pick(strs)), Status: indicator.Status(pick(strs)),
			EnteredBy: pick(strs), EnteredAt: pickT(), ApprovedBy: pick(strs), ApprovedAt: pickT(), PublishedAt: pickT(),
			Source: pick(strs), Quote: pick(strs), Note: pick(strs), Sample: rng.IntN(2) == 0, SubmittedBy: pick(strs), SubmittedAt: pickT(),
			Explanation: pick(strs), ReviewComment: pick(strs), Computed: rng.IntN(2) == 0}
		if i%7 == 0 {
			v.Number = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		}
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendValueJSON(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("value %d:\n got %s\nwant %s", i, got, want)
		}
	}
	if _, err := appendValueJSON(nil, indicator.Value{Number: math.NaN()}); err == nil {
		t.Error("NaN marshalled")
	}
}
