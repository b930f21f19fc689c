package excelio

import (
	"bytes"
	"fmt"
	"testing"
)

const benchRows = 100_000

func benchTable() ([]string, [][]string) {
	rows := make([][]string, benchRows)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("IND%03d", i%500), fmt.Sprintf("1401%02d", i%90), fmt.Sprint(2000 + i/500%30),
			fmt.Sprintf("%d.%02d", i, i%100), "说明"}
	}
	return []string{"指标编码", "地区编码", "期别", "本期数值", "说明"}, rows
}

func BenchmarkReadXLSX(b *testing.B) {
	header, rows := benchTable()
	var buf bytes.Buffer
	if err := WriteTable(&buf, DataSheet, header, rows); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		recs, err := readXLSXBytes(data, DefaultLimits())
		if err != nil || len(recs) != benchRows {
			b.Fatalf("%d records, %v", len(recs), err)
		}
	}
}

func BenchmarkReadCSV(b *testing.B) {
	header, rows := benchTable()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, header, rows); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		recs, err := ReadCSV(bytes.NewReader(data), DefaultLimits())
		if err != nil || len(recs) != benchRows {
			b.Fatalf("%d records, %v", len(recs), err)
		}
	}
}
