// Package docx writes Word documents (.docx, Office Open XML
// WordprocessingML) such as the weekly supervision bulletin (督查通报) and
// the annual report. It knows nothing of the plan, storage or HTTP: a
// caller builds a Document of headings, paragraphs, tables and page breaks
// and writes it. Only what Lantu's documents need is supported, written so
// that Microsoft Word, WPS and LibreOffice open it without complaint.
//
// Any Go string is safe to put in a document: text is escaped for XML,
// characters XML 1.0 forbids (and other control characters) are dropped,
// "\n" becomes a line break and "\t" a tab, and spaces are kept.
//
// Output is deterministic (fixed zip timestamps, no clock read), so a
// document can be compared with a golden file. The date in the document's
// properties is the caller's (Options.Created).
//
// Mistakes in building a document (a heading level 4, a colour "red", a
// table whose column widths do not match its columns) are reported by
// Write, naming the block, rather than by each building call: a bulletin
// is either written whole and as asked, or not at all.
package docx
