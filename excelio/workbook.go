package excelio

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"path"
	"strings"
)

// sheetPart is a worksheet as the workbook lists it: its name and the zip
// entry holding its XML.
type sheetPart struct {
	Name string
	File *zip.File
}

// maxMetaBytes bounds the small XML parts read whole here (relationships,
// workbook, document properties); real ones are a few kilobytes.
const maxMetaBytes = 8 << 20

type relationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type workbookXML struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		RID  string `xml:"id,attr"` // r:id; matched in any namespace, so strict OOXML works too
	} `xml:"sheets>sheet"`
}

// zipFiles indexes a zip's entries by lower-case name: OPC part names are
// case-insensitive.
func zipFiles(zr *zip.Reader) map[string]*zip.File {
	m := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		m[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	return m
}

// workbookParts are the parts of a workbook that reading needs.
type workbookParts struct {
	sheets        []sheetPart // in workbook order
	sharedStrings *zip.File   // nil when the workbook has none
}

// readWorkbook lists the worksheets in workbook order and finds the shared
// strings, following the package relationships rather than guessing
// "xl/worksheets/sheet1.xml".
func readWorkbook(where string, zr *zip.Reader) (workbookParts, error) {
	files := zipFiles(zr)
	book := "xl/workbook.xml"
	var root relationships
	if err := decodePart(files, "_rels/.rels", &root); err != nil {
		return workbookParts{}, damaged(where)
	}
	for _, r := range root.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			book = partPath("", r.Target)
		}
	}
	var wb workbookXML
	var rels relationships
	dir := path.Dir(book)
	if decodePart(files, book, &wb) != nil || decodePart(files, path.Join(dir, "_rels", path.Base(book)+".rels"), &rels) != nil {
		return workbookParts{}, notXLSX(where)
	}
	var parts workbookParts
	for _, s := range wb.Sheets {
		for _, r := range rels.Rels {
			if r.ID != s.RID || !strings.HasSuffix(r.Type, "/worksheet") {
				continue
			}
			if f := files[strings.ToLower(partPath(dir, r.Target))]; f != nil {
				parts.sheets = append(parts.sheets, sheetPart{Name: s.Name, File: f})
			}
		}
	}
	if len(parts.sheets) == 0 {
		return workbookParts{}, notXLSX(where)
	}
	for _, r := range rels.Rels {
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			parts.sharedStrings = files[strings.ToLower(partPath(dir, r.Target))]
		}
	}
	if parts.sharedStrings == nil {
		// Where excelize looked, whatever the relationships say.
		parts.sharedStrings = files["xl/sharedstrings.xml"]
	}
	return parts, nil
}

// partPath resolves a relationship target: absolute from the package root
// when it starts with "/", else relative to dir.
func partPath(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join(dir, target)), "/")
}

// decodePart decodes a small XML part. A missing part is an error.
func decodePart(files map[string]*zip.File, name string, v any) error {
	f := files[strings.ToLower(name)]
	if f == nil {
		return io.ErrUnexpectedEOF
	}
	if f.UncompressedSize64 > maxMetaBytes {
		return zip.ErrFormat
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}
