package excelio

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gb18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadCSV(t *testing.T) {
	const header = "指标编码,地区编码,期别,本期数值,说明\r\n"
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want []Record
	}{
		{"UTF8", func(*testing.T) []byte { return []byte(header + "GDP,140181,2021Q3,18.77,初步\r\n") },
			[]Record{{Sheet: "CSV", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "18.77", Note: "初步", ValueCell: "CSV:2"}}},
		{"UTF8BOM", func(*testing.T) []byte { return []byte("\uFEFF" + header + "GDP,140181,2021Q3,18.77,初步\r\n") },
			[]Record{{Sheet: "CSV", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "18.77", Note: "初步", ValueCell: "CSV:2"}}},
		{"GB18030", func(t *testing.T) []byte {
			return gb18030(t, header+"GDP,140181,2021Q3,18.77,古交市初步核算数\r\n")
		},
			[]Record{{Sheet: "CSV", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "18.77", Note: "古交市初步核算数", ValueCell: "CSV:2"}}},
		{"FullWidth", func(*testing.T) []byte {
			return []byte(header + "ＧＤＰ,１４０１８１,２０２１Ｑ３,\u3000１８．７７ ,（初步）\n")
		},
			[]Record{{Sheet: "CSV", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "18.77", Note: "（初步）", ValueCell: "CSV:2"}}},
		{"QuotedNewlineEmptyLinesShortRows", func(*testing.T) []byte {
			return []byte("\n" + header + "GDP,140181,2021Q3,18.77,\"第一行\n第二行，含\"\"引号\"\"\"\n\n,,,,\nJOBS,140181,2021Q3\nJOBS,140181,2021Q3,\"1,000\"\n")
		}, []Record{
			{Sheet: "CSV", Row: 3, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "18.77", Note: "第一行\n第二行，含\"引号\"", ValueCell: "CSV:3"},
			{Sheet: "CSV", Row: 7, Indicator: "JOBS", OrgUnit: "140181", Period: "2021Q3", ValueCell: "CSV:7"},
			{Sheet: "CSV", Row: 8, Indicator: "JOBS", OrgUnit: "140181", Period: "2021Q3", Value: "1,000", ValueCell: "CSV:8"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(bytes.NewReader(tt.data(t)), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if d := diffRecords(tt.want, got); d != "" {
				t.Errorf("records (-want +got):\n%s", d)
			}
		})
	}
}

func TestReadCSVRefuses(t *testing.T) {
	random := func(*testing.T) []byte {
		r := rand.New(rand.NewPCG(1, 2))
		b := []byte("indicator,org_unit,period,value\n")
		for range 4000 {
			b = append(b, byte(0x80+r.IntN(0x80)))
		}
		return b
	}
	manyRows := func(*testing.T) []byte {
		return []byte("indicator,org_unit,period,value\n" + strings.Repeat("GDP,140181,2021,1\n", 5))
	}
	tests := []struct {
		name  string
		data  func(t *testing.T) []byte
		lim   Limits
		where string
		zh    string
	}{
		{"RandomHighBytes", random, Limits{}, "CSV", "文件编码无法识别，请另存为 UTF-8"},
		{"BOMButNotUTF8", func(t *testing.T) []byte { return append([]byte("\uFEFF"), gb18030(t, "指标编码")...) }, Limits{}, "CSV", "文件编码无法识别"},
		{"UTF16", func(*testing.T) []byte { return []byte{0xFF, 0xFE, 'a', 0, ',', 0} }, Limits{}, "CSV", "UTF-16"},
		{"Binary", func(*testing.T) []byte { return []byte("indicator,org_unit\x00\x01,period,value\n") }, Limits{}, "CSV", "控制字符"},
		{"BareQuote", func(*testing.T) []byte { return []byte("indicator,org_unit,period,value\nGDP,14\"0181,2021,1\n") }, Limits{}, "CSV:2", "引号不配对"},
		{"MissingColumn", func(*testing.T) []byte { return []byte("\n\nindicator,period,value\nGDP,2021,1\n") }, Limits{}, "CSV:3", "表头缺少必填列：地区编码"},
		{"TooManyRows", manyRows, Limits{MaxRows: 4}, "CSV:5", "行数超过 4 行的上限"},
		{"TooManyColumns", func(*testing.T) []byte {
			return []byte("indicator,org_unit,period,value\nGDP,140181,2021,1" + strings.Repeat(",", 60) + "\n")
		}, Limits{}, "CSV:2", "超过 50 列"},
		{"LongLine", func(*testing.T) []byte {
			return []byte("indicator,org_unit,period,value,note\nGDP,140181,2021,1," + strings.Repeat("长", 30000) + "\n")
		}, Limits{}, "CSV:2", "超过 64 KiB"},
		{"TooBig", manyRows, Limits{MaxFileBytes: 50}, "CSV", "超过 50 B"},
		{"Empty", func(*testing.T) []byte { return []byte("\n\n") }, Limits{}, "CSV", "文件是空的"},
		{"NoRows", func(*testing.T) []byte { return []byte("indicator,org_unit,period,value\n,,,\n") }, Limits{}, "CSV", "没有数据行"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(bytes.NewReader(tt.data(t)), tt.lim)
			wantProblem(t, err, tt.where, tt.zh)
		})
	}
}
