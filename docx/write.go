package docx

import (
	"archive/zip"
	"fmt"
	"io"
	"time"
)

// part is one file of the package.
type part struct {
	name string
	data []byte
}

// Write writes the document as a .docx file. It first checks the whole
// document, and writes nothing if a block is wrong. The same document
// always gives the same bytes.
func (d *Document) Write(w io.Writer) error {
	if err := d.check(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	zw := zip.NewWriter(w)
	// A fixed time (the zip format's earliest) rather than the clock's, so
	// that output is deterministic.
	modified := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range d.parts() {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return fmt.Errorf("docx: writing %s: %w", p.name, err)
		}
		if _, err := f.Write(p.data); err != nil {
			return fmt.Errorf("docx: writing %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: writing the zip directory: %w", err)
	}
	return nil
}

// parts returns the files of the package, [Content_Types].xml first as
// some readers expect.
func (d *Document) parts() []part {
	return []part{
		{"[Content_Types].xml", []byte(contentTypesXML)},
		{"_rels/.rels", []byte(packageRelsXML)},
		{"docProps/core.xml", d.coreXML()},
		{"docProps/app.xml", []byte(appXML)},
		{"word/document.xml", d.documentXML()},
		{"word/styles.xml", d.stylesXML()},
		{"word/settings.xml", []byte(settingsXML)},
		{"word/_rels/document.xml.rels", []byte(documentRelsXML)},
	}
}

// documentXML is the body: the blocks, then the page setup.
func (d *Document) documentXML() []byte {
	var b xmlBuffer
	b.raw(xmlHeader + `<w:document xmlns:w="` + nsW + `"><w:body>` + "\n")
	width := d.opts.Page.textWidth()
	for i, blk := range d.blocks {
		blk.render(&b, width)
		if _, isTable := blk.(*table); isTable {
			// Two tables in a row would merge into one, and the body
			// must end with a paragraph: an empty one keeps them apart.
			if i+1 == len(d.blocks) {
				b.raw("<w:p/>\n")
			} else if _, next := d.blocks[i+1].(*table); next {
				b.raw("<w:p/>\n")
			}
		}
	}
	p := d.opts.Page
	orient := ""
	if p.Width > p.Height {
		orient = ` w:orient="landscape"` // else Word prints it upright
	}
	b.rawf(`<w:sectPr><w:pgSz w:w="%d" w:h="%d"%s/>`, twips(p.Width), twips(p.Height), orient)
	// header and footer distances and the gutter are required attributes.
	b.rawf(`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="992" w:gutter="0"/>`,
		twips(p.Top), twips(p.Right), twips(p.Bottom), twips(p.Left))
	b.raw("<w:cols w:space=\"425\"/></w:sectPr>\n</w:body></w:document>\n")
	return b.buf.Bytes()
}

func (d *Document) coreXML() []byte {
	var b xmlBuffer
	b.raw(xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	element := func(name, value string) {
		if value != "" {
			b.raw("<" + name + ">")
			b.text(value)
			b.raw("</" + name + ">")
		}
	}
	element("dc:title", d.opts.Title)
	element("dc:creator", d.opts.Author)
	element("dc:language", d.opts.Lang)
	if !d.opts.Created.IsZero() {
		at := d.opts.Created.UTC().Format(time.RFC3339)
		b.rawf(`<dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created>`, at)
		b.rawf(`<dcterms:modified xsi:type="dcterms:W3CDTF">%s</dcterms:modified>`, at)
	}
	b.raw("</cp:coreProperties>\n")
	return b.buf.Bytes()
}
