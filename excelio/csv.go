package excelio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// maxLineBytes bounds one CSV record: a long note is a few kilobytes.
const maxLineBytes = 64 << 10

var utf8BOM = []byte("\uFEFF")

// ReadCSV reads an uploaded CSV file, in UTF-8 (with or without BOM) or in
// GB18030, as Excel on Chinese Windows saves it. Problems name the lines as
// "CSV:12"; Read names them after the file.
func ReadCSV(r io.Reader, lim Limits) ([]Record, error) {
	return readCSV("CSV", r, lim)
}

func readCSV(name string, r io.Reader, lim Limits) ([]Record, error) {
	lim = lim.orDefault()
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("excelio: reading %s: %w", name, err)
	}
	if int64(len(data)) > lim.MaxFileBytes {
		return nil, refuse(name,
			fmt.Sprintf("文件超过 %s 的上限，请拆分后分别上传", sizeText(lim.MaxFileBytes)),
			fmt.Sprintf("the file is larger than the limit of %s; split it and upload the parts", sizeText(lim.MaxFileBytes)))
	}
	text, err := decodeText(name, data)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1 // rows may stop early: trailing empty cells are often left out
	cr.ReuseRecord = true
	var (
		out      []Record
		head     layout
		rows     int
		haveHead bool
	)
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvSyntax(name, err)
		}
		line, _ := cr.FieldPos(0)
		where := name + ":" + strconv.Itoa(line)
		if rows++; rows > lim.MaxRows {
			return nil, refuse(where,
				fmt.Sprintf("行数超过 %d 行的上限，请拆分成几个文件上传", lim.MaxRows),
				fmt.Sprintf("more than %d rows; split the file into several", lim.MaxRows))
		}
		if err := checkLine(where, cells, lim); err != nil {
			return nil, err
		}
		if !haveHead {
			if strings.TrimSpace(strings.Join(cells, "")) == "" {
				continue
			}
			l, ps, _ := readHeader(cells, where, columnLetter)
			if len(ps) > 0 {
				return nil, Problems(ps)
			}
			head, haveHead = l, true
			continue
		}
		rec, ok := head.record(cells)
		if !ok {
			continue
		}
		rec.Sheet, rec.Row, rec.ValueCell = name, line, where
		out = append(out, rec)
	}
	if !haveHead {
		return nil, refuse(name, "文件是空的", "the file is empty")
	}
	if len(out) == 0 {
		return nil, refuse(name, "表头下面没有数据行", "there are no data rows below the header")
	}
	return out, nil
}

func checkLine(where string, cells []string, lim Limits) error {
	if len(cells) > lim.MaxCols {
		return refuse(where,
			fmt.Sprintf("这一行超过 %d 列的上限：请删去多余的列", lim.MaxCols),
			fmt.Sprintf("the line goes beyond the limit of %d columns; delete the extra columns", lim.MaxCols))
	}
	n := 0
	for _, c := range cells {
		n += len(c)
	}
	if n > maxLineBytes {
		return refuse(where,
			fmt.Sprintf("这一行超过 %s 的上限", sizeText(maxLineBytes)),
			fmt.Sprintf("the line is longer than the limit of %s", sizeText(maxLineBytes)))
	}
	return nil
}

func csvSyntax(name string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("excelio: reading %s: %w", name, err)
	}
	where := name + ":" + strconv.Itoa(pe.Line)
	if errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote) {
		return refuse(where, "CSV 格式错误：引号不配对（含引号的内容须整格用双引号括起，内部的引号写两遍）",
			`CSV syntax error: unbalanced quotes (a field holding quotes must be quoted as a whole, with inner quotes doubled)`)
	}
	return refuse(where, "CSV 格式错误", "CSV syntax error: "+pe.Err.Error())
}

// decodeText tells the encoding of an uploaded text file and returns it as
// UTF-8. Valid UTF-8 is UTF-8; anything else is read as GB18030, and
// refused if that gives replacement characters, C1 controls or private-use
// characters, which real Chinese text does not hold and mojibake does.
func decodeText(name string, data []byte) (string, error) {
	unknown := refuse(name, "文件编码无法识别，请另存为 UTF-8", "unknown encoding; save as UTF-8")
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		if !utf8.Valid(data[len(utf8BOM):]) {
			return "", unknown
		}
		return checkControls(name, string(data[len(utf8BOM):]))
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "", refuse(name, "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8（逗号分隔）”",
			`the file is in UTF-16 (Excel's "Unicode text"); save it as "CSV UTF-8 (comma delimited)"`)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "", refuse(name, "这是 .xlsx 文件，文件名却以 .csv 结尾：请改正扩展名后再上传",
			"this is an .xlsx file named .csv; correct the extension and upload again")
	case utf8.Valid(data):
		return checkControls(name, string(data))
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().String(string(data))
	if err != nil || strings.ContainsFunc(text, func(r rune) bool {
		return r == utf8.RuneError || (r >= 0x80 && r <= 0x9F) || unicode.Is(unicode.Co, r)
	}) {
		return "", unknown
	}
	return checkControls(name, text)
}

// checkControls refuses C0 control characters other than tab and line
// ends: a text file has none, a binary file renamed .csv has many.
func checkControls(name, text string) (string, error) {
	if strings.ContainsFunc(text, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }) {
		return "", refuse(name, "文件含控制字符，不是文本文件", "the file holds control characters; it is not a text file")
	}
	return text, nil
}

func columnLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return name
}
