package excelio

import (
	"archive/zip"
	"io"
	"math"
	"strings"
)

// sharedStrings is a workbook's shared string table, which the cells with
// t="s" index: Excel, WPS and LibreOffice keep every text there. The texts
// are one string, so that a cell's value is a slice of it, not a copy.
type sharedStrings struct {
	text string
	ends []uint32 // where each item ends in text
}

// at returns item i, and false when there is none: the file is damaged.
func (s *sharedStrings) at(i int) (string, bool) {
	if i < 0 || i >= len(s.ends) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.text[start:s.ends[i]], true
}

// readSharedStrings reads the shared string table in one pass. An item's
// text is that of its <t>, or of its runs' <t> for rich text; phonetic
// runs (<rPh>, the furigana of Japanese) are not part of it. Its size is
// bounded by the part's, which openZip checked.
func readSharedStrings(f *zip.File) (*sharedStrings, error) {
	if f == nil || f.UncompressedSize64 == 0 {
		return &sharedStrings{}, nil // excelize took an empty part for an empty table
	}
	rc, err := inflate(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return parseSharedStrings(rc)
}

func parseSharedStrings(part io.Reader) (*sharedStrings, error) {
	sst := &sharedStrings{}
	x := newXMLReader(part)
	var (
		text                        strings.Builder
		item                        []byte
		ok                          bool
		itemDepth, runDepth, tDepth int
	)
	for {
		tok, err := x.next()
		if err != nil {
			return nil, err
		}
		switch tok {
		case xmlEOF:
			sst.text = text.String()
			return sst, nil
		case xmlStart:
			d := x.depth()
			switch {
			case itemDepth == 0 && d == 2 && string(x.local) == "si":
				itemDepth, item = d, item[:0]
			case itemDepth > 0 && d == itemDepth+1 && string(x.local) == "r":
				runDepth = d
			case itemDepth > 0 && string(x.local) == "t" && (d == itemDepth+1 || runDepth > 0 && d == runDepth+1):
				tDepth = d
			}
		case xmlText:
			if tDepth > 0 && x.depth() == tDepth {
				if item, ok = appendText(item, x.text, x.cdata); !ok {
					return nil, errXMLSyntax
				}
			}
		case xmlEnd:
			switch d := x.depth() + 1; d {
			case tDepth:
				tDepth = 0
			case runDepth:
				runDepth = 0
			case itemDepth:
				itemDepth = 0
				text.Write(decodeEscapes(item))
				end := text.Len()
				if end < 0 || end > math.MaxUint32 {
					return nil, errXMLSyntax
				}
				sst.ends = append(sst.ends, uint32(end))
			}
		}
	}
}
