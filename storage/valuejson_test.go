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
	nums := []float64{0, math.Copysign(0, -1), 1, -1, 18.77, 1e21, 1e20, 123456789012345678, 1e-6, 1e-7, -3.2e-9, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1 + 0.2}
	times := []time.Time{{}, time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 8, 0, 0, 123456000, time.UTC),
		time.Date(2024, 3, 1, 16, 0, 0, 0, time.FixedZone("CST", 8*3600))}
	periods := []period.Period{{}, period.MustParse("2021"), period.MustParse("2021Q3"), period.MustParse("2024-03"), period.MustParse("2021W18")}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	pickT := func() time.Time { return times[rng.IntN(len(times))] }
	random := func(i int) indicator.Value {
		v := indicator.Value{IndicatorCode: pick(strs), OrgUnitCode: pick(strs), Period: periods[rng.IntN(len(periods))],
			Number: nums[rng.IntN(len(nums))], Qualifier: indicator.Qualifier(pick(strs)), Status: indicator.Status(pick(strs)),
			EnteredBy: pick(strs), EnteredAt: pickT(), ApprovedBy: pick(strs), ApprovedAt: pickT(), PublishedAt: pickT(),
			Source: pick(strs), Quote: pick(strs), Note: pick(strs), Sample: rng.IntN(2) == 0, SubmittedBy: pick(strs), SubmittedAt: pickT(),
			Explanation: pick(strs), ReviewComment: pick(strs), Computed: rng.IntN(2) == 0}
		if i%7 == 0 {
			v.Number = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		}
		return v
	}
	for i := range 5000 {
		v := random(i)
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
	// A difference unmarshalled over its reference gives the value back,
	// also where the value is zero and the reference is not.
	for i := range 5000 {
		v, ref := random(i), random(i+1)
		if i%3 == 0 { // mostly alike, as an import's figures are
			ref = v
			ref.IndicatorCode, ref.Number = "other", 1
		}
		diff, err := appendValueDiff(nil, v, ref)
		if err != nil {
			t.Fatal(err)
		}
		refJSON, _ := json.Marshal(ref)
		var got indicator.Value
		if err := json.Unmarshal(refJSON, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(diff, &got); err != nil {
			t.Fatalf("%s: %v", diff, err)
		}
		// compared through JSON both ways: invalid UTF-8 comes back as U+FFFD
		var whole indicator.Value
		vJSON, _ := json.Marshal(v)
		if err := json.Unmarshal(vJSON, &whole); err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(whole)
		if string(a) != string(b) {
			t.Fatalf("value %d: diff %s over %s gives\n%s, want\n%s", i, diff, refJSON, a, b)
		}
	}
	same, _ := appendValueDiff(nil, indicator.Value{IndicatorCode: "a", OrgUnitCode: "city", Status: indicator.Draft, Number: 2},
		indicator.Value{IndicatorCode: "b", OrgUnitCode: "city", Status: indicator.Draft, Number: 1})
	if string(same) != `{"IndicatorCode":"a","Number":2}` {
		t.Errorf("difference of alike figures = %s", same)
	}
}
