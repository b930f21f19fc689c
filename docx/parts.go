package docx

import (
	"fmt"
	"strings"
)

// The fixed parts of the package and the pieces the others share.
const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsRels    = "http://schemas.openxmlformats.org/package/2006/relationships"
	relsBase  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	typesBase = "application/vnd.openxmlformats-officedocument."

	contentTypesXML = xmlHeader +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="` + typesBase + `wordprocessingml.document.main+xml"/>` +
		`<Override PartName="/word/styles.xml" ContentType="` + typesBase + `wordprocessingml.styles+xml"/>` +
		`<Override PartName="/word/settings.xml" ContentType="` + typesBase + `wordprocessingml.settings+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="` + typesBase + `extended-properties+xml"/>` +
		"</Types>\n"

	packageRelsXML = xmlHeader + `<Relationships xmlns="` + nsRels + `">` +
		`<Relationship Id="rId1" Type="` + relsBase + `officeDocument" Target="word/document.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`<Relationship Id="rId3" Type="` + relsBase + `extended-properties" Target="docProps/app.xml"/>` +
		"</Relationships>\n"

	documentRelsXML = xmlHeader + `<Relationships xmlns="` + nsRels + `">` +
		`<Relationship Id="rId1" Type="` + relsBase + `styles" Target="styles.xml"/>` +
		`<Relationship Id="rId2" Type="` + relsBase + `settings" Target="settings.xml"/>` +
		"</Relationships>\n"

	appXML = xmlHeader +
		`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
		"<Application>Lantu</Application></Properties>\n"

	// Settings are not required, but without a compatibility mode Word
	// opens the file as a Word 2007 document ("兼容模式"); compressed
	// punctuation is Word's default for Chinese text.
	settingsXML = xmlHeader + `<w:settings xmlns:w="` + nsW + `">` +
		`<w:defaultTabStop w:val="420"/>` +
		`<w:characterSpacingControl w:val="compressPunctuation"/>` +
		`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
		"</w:settings>\n"
)

// stylesXML holds the styles the body refers to. The default font sets an
// East Asian font (宋体) apart from the Latin one, which is what makes
// Chinese text come out in 宋体 rather than in whatever the reader picks;
// headings are in 黑体. The fonts are named in English, which Word, WPS
// and LibreOffice all resolve (Word itself writes 宋体 on a Chinese
// system; both names are the same font).
func (d *Document) stylesXML() []byte {
	var b strings.Builder
	b.WriteString(xmlHeader + `<w:styles xmlns:w="` + nsW + `">` + "\n")
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr>` +
		`<w:rFonts w:ascii="Times New Roman" w:eastAsia="SimSun" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>` +
		`<w:sz w:val="24"/><w:szCs w:val="24"/>` +
		// validLang has made Lang a plain attribute value.
		`<w:lang w:val="` + d.opts.Lang + `" w:eastAsia="` + d.opts.Lang + `" w:bidi="ar-SA"/>` +
		`</w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault>` +
		"</w:docDefaults>\n")
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` + "\n")
	b.WriteString(`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>` +
		`<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` + "\n")
	b.WriteString(`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>` +
		`<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
		`<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
		`<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` + "\n")
	// Heading sizes: 三号, 小三, 四号 (16, 15, 14 points). The names are
	// Word's built-in ones, lower case, so that Word and LibreOffice map
	// them to their own heading styles (and the navigation pane).
	for i, points := range []int{16, 15, 14} {
		fmt.Fprintf(&b, `<w:style w:type="paragraph" w:styleId="Heading%d"><w:name w:val="heading %d"/>`+
			`<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>`+
			`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="%d" w:after="120"/><w:outlineLvl w:val="%d"/></w:pPr>`+
			`<w:rPr><w:rFonts w:ascii="Arial" w:eastAsia="SimHei" w:hAnsi="Arial"/>`+
			`<w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr></w:style>`+"\n",
			i+1, i+1, 240-40*i, i, 2*points, 2*points)
	}
	// Table text: 五号 (10.5 points), single-spaced, for compact rows.
	b.WriteString(`<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/>` +
		`<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>` +
		`<w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>` + "\n")
	b.WriteString("</w:styles>\n")
	return []byte(b.String())
}
