package docx_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/docx"
)

// TestPackage opens a written document as a reader would: a zip whose XML
// parts all parse, whose content types cover every part, and whose
// relationships lead to parts that exist.
func TestPackage(t *testing.T) {
	d, _ := sample()
	names, files := parts(t, write(t, d))

	t.Run("WellFormed", func(t *testing.T) {
		if names[0] != "[Content_Types].xml" {
			t.Errorf("first entry %s, want [Content_Types].xml", names[0])
		}
		for _, name := range names {
			dec := xml.NewDecoder(bytes.NewReader(files[name]))
			for {
				_, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Errorf("%s: %v", name, err)
					break
				}
			}
		}
	})

	t.Run("ContentTypes", func(t *testing.T) {
		var types struct {
			Defaults []struct {
				Extension   string `xml:",attr"`
				ContentType string `xml:",attr"`
			} `xml:"Default"`
			Overrides []struct {
				PartName    string `xml:",attr"`
				ContentType string `xml:",attr"`
			} `xml:"Override"`
		}
		unmarshal(t, files, "[Content_Types].xml", &types)
		typeOf := map[string]string{}
		for _, o := range types.Overrides {
			name := strings.TrimPrefix(o.PartName, "/")
			if _, ok := files[name]; !ok {
				t.Errorf("content type for %s, which is not in the package", o.PartName)
			}
			typeOf[name] = o.ContentType
		}
		for _, name := range names {
			if name == "[Content_Types].xml" || typeOf[name] != "" {
				continue
			}
			for _, def := range types.Defaults {
				if strings.EqualFold(path.Ext(name), "."+def.Extension) {
					typeOf[name] = def.ContentType
				}
			}
			if typeOf[name] == "" {
				t.Errorf("%s has no content type", name)
			}
		}
		want := map[string]string{
			"word/document.xml":            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
			"word/styles.xml":              "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
			"word/settings.xml":            "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
			"docProps/core.xml":            "application/vnd.openxmlformats-package.core-properties+xml",
			"docProps/app.xml":             "application/vnd.openxmlformats-officedocument.extended-properties+xml",
			"_rels/.rels":                  "application/vnd.openxmlformats-package.relationships+xml",
			"word/_rels/document.xml.rels": "application/vnd.openxmlformats-package.relationships+xml",
		}
		for name, ct := range want {
			if typeOf[name] != ct {
				t.Errorf("%s: content type %q, want %q", name, typeOf[name], ct)
			}
		}
	})

	t.Run("Relationships", func(t *testing.T) {
		const rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
		targets := func(relsPart, base string) map[string]string {
			var r struct {
				Relationships []struct {
					ID     string `xml:"Id,attr"`
					Type   string `xml:",attr"`
					Target string `xml:",attr"`
				} `xml:"Relationship"`
			}
			unmarshal(t, files, relsPart, &r)
			byType, ids := map[string]string{}, map[string]bool{}
			for _, rel := range r.Relationships {
				target := path.Join(base, rel.Target)
				if _, ok := files[target]; !ok {
					t.Errorf("%s: %s leads to %s, which is not in the package", relsPart, rel.ID, target)
				}
				if ids[rel.ID] {
					t.Errorf("%s: id %s twice", relsPart, rel.ID)
				}
				ids[rel.ID] = true
				byType[path.Base(rel.Type)] = target
			}
			return byType
		}
		pkg := targets("_rels/.rels", "")
		for typ, want := range map[string]string{"officeDocument": "word/document.xml", "core-properties": "docProps/core.xml", "extended-properties": "docProps/app.xml"} {
			if pkg[typ] != want {
				t.Errorf("package relationship %s leads to %q, want %q", typ, pkg[typ], want)
			}
		}
		doc := targets("word/_rels/document.xml.rels", "word")
		for typ, want := range map[string]string{"styles": "word/styles.xml", "settings": "word/settings.xml"} {
			if doc[typ] != want {
				t.Errorf("document relationship %s%s leads to %q, want %q", rels, typ, doc[typ], want)
			}
		}
	})

	t.Run("Styles", func(t *testing.T) {
		styles := parseStyles(t, files)
		for _, id := range usedStyles(t, files["word/document.xml"]) {
			if _, ok := styles.byID[id]; !ok {
				t.Errorf("document.xml uses style %s, which styles.xml does not define", id)
			}
		}
		if f := styles.defaultFonts; f.ASCII != "Times New Roman" || f.HAnsi != "Times New Roman" || f.EastAsia != "SimSun" {
			t.Errorf("default fonts %+v, want Times New Roman with SimSun for East Asian text", f)
		}
		if styles.defaultLang != "zh-CN" {
			t.Errorf("default East Asian language %q, want zh-CN", styles.defaultLang)
		}
		for _, id := range []string{"Heading1", "Heading2", "Heading3"} {
			s := styles.byID[id]
			if s.Fonts.EastAsia != "SimHei" {
				t.Errorf("%s: East Asian font %q, want SimHei", id, s.Fonts.EastAsia)
			}
			if want := "heading " + id[len(id)-1:]; s.Name != want {
				t.Errorf("%s is named %q, want Word's built-in %q", id, s.Name, want)
			}
		}
	})

	t.Run("Properties", func(t *testing.T) {
		var core struct {
			Title    string `xml:"title"`
			Creator  string `xml:"creator"`
			Language string `xml:"language"`
			Created  string `xml:"created"`
		}
		unmarshal(t, files, "docProps/core.xml", &core)
		if core.Title != "督查通报 <测试>" || core.Creator != "古交市人民政府督查室" || core.Language != "zh-CN" || core.Created != "" {
			t.Errorf("core properties %+v", core)
		}
		d := docx.New(docx.Options{Lang: "en-GB", Created: time.Date(2024, 5, 10, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))})
		_, files := parts(t, write(t, d))
		unmarshal(t, files, "docProps/core.xml", &core)
		if core.Created != "2024-05-10T01:30:00Z" || core.Language != "en-GB" {
			t.Errorf("core properties %+v, want created 2024-05-10T01:30:00Z in en-GB", core)
		}
	})
}

func unmarshal(t *testing.T, files map[string][]byte, name string, v any) {
	t.Helper()
	if err := xml.Unmarshal(files[name], v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

type fonts struct {
	ASCII    string `xml:"ascii,attr"`
	HAnsi    string `xml:"hAnsi,attr"`
	EastAsia string `xml:"eastAsia,attr"`
}

type styleSheet struct {
	defaultFonts fonts
	defaultLang  string
	byID         map[string]style
}

type style struct {
	Name  string
	Fonts fonts
}

func parseStyles(t *testing.T, files map[string][]byte) styleSheet {
	t.Helper()
	var s struct {
		Defaults struct {
			Fonts fonts `xml:"rPrDefault>rPr>rFonts"`
			Lang  struct {
				EastAsia string `xml:"eastAsia,attr"`
			} `xml:"rPrDefault>rPr>lang"`
		} `xml:"docDefaults"`
		Styles []struct {
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
			Fonts fonts `xml:"rPr>rFonts"`
		} `xml:"style"`
	}
	unmarshal(t, files, "word/styles.xml", &s)
	sheet := styleSheet{defaultFonts: s.Defaults.Fonts, defaultLang: s.Defaults.Lang.EastAsia, byID: map[string]style{}}
	for _, st := range s.Styles {
		sheet.byID[st.ID] = style{st.Name.Val, st.Fonts}
	}
	return sheet
}

// usedStyles lists the paragraph styles document.xml refers to.
func usedStyles(t *testing.T, doc []byte) []string {
	t.Helper()
	var ids []string
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "pStyle" {
			for _, a := range se.Attr {
				if a.Name.Local == "val" && !slices.Contains(ids, a.Value) {
					ids = append(ids, a.Value)
				}
			}
		}
	}
	if len(ids) == 0 {
		t.Fatal("document.xml uses no style: the sample should have headings and a table")
	}
	return ids
}

// TestDeterministic: the same document gives the same bytes, so golden
// files and caches can rely on them.
func TestDeterministic(t *testing.T) {
	d1, _ := sample()
	d2, _ := sample()
	a, b := write(t, d1), write(t, d2)
	if !bytes.Equal(a, b) {
		t.Error("two writes of the same document differ")
	}
	if c := write(t, d1); !bytes.Equal(a, c) {
		t.Error("writing a document twice gives different bytes")
	}
}
