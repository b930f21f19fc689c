package excelio

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Read reads an upload by the extension of its name, .xlsx or .csv.
// Problems name the file for what concerns all of it.
func Read(name string, r io.ReaderAt, size int64, lim Limits) ([]Record, error) {
	base := name[strings.LastIndexAny(name, `/\`)+1:] // browsers on Windows may send a whole path
	if base == "" {
		base = "upload"
	}
	ext := strings.ToLower(filepath.Ext(base))
	switch ext {
	case ".xlsx":
		return readXLSX(base, r, size, lim)
	case ".csv":
		return readCSV(base, io.NewSectionReader(r, 0, size), lim)
	case ".xls", ".et", ".ods", ".xlsm", ".xlsb":
		return nil, refuse(base,
			fmt.Sprintf("不支持 %s 文件，请另存为 .xlsx（Excel 工作簿）或 .csv 后再上传", ext),
			fmt.Sprintf("%s files are not supported; save as .xlsx (Excel workbook) or .csv and upload again", ext))
	}
	return nil, refuse(base,
		fmt.Sprintf("不支持的文件类型 %q：请上传 .xlsx 或 .csv 文件", ext),
		fmt.Sprintf("unsupported file type %q: upload an .xlsx or .csv file", ext))
}
