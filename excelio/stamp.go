package excelio

import (
	"io"
	"strings"
)

type customProperties struct {
	Props []struct {
		Name   string `xml:"name,attr"`
		Values []struct {
			Text string `xml:",chardata"`
		} `xml:",any"`
	} `xml:"property"`
}

// ReadStamp reads the department and period a template was made for, from
// its custom document properties. A workbook Lantu did not make (or whose
// properties were dropped) gives an empty Stamp, not an error: the caller
// decides whether to insist.
func ReadStamp(r io.ReaderAt, size int64, lim Limits) (Stamp, error) {
	zr, err := openZip("XLSX", r, size, lim.orDefault())
	if err != nil {
		return Stamp{}, err
	}
	var props customProperties
	if err := decodePart(zipFiles(zr), "docProps/custom.xml", &props); err != nil {
		return Stamp{}, nil
	}
	var s Stamp
	for _, p := range props.Props {
		if len(p.Values) == 0 {
			continue
		}
		v := strings.TrimSpace(p.Values[0].Text)
		switch p.Name {
		case stampDepartment:
			s.DepartmentCode = v
		case stampPeriod:
			s.Period = v
		}
	}
	return s, nil
}
