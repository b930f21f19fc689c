// Package excelio writes and reads the spreadsheet files of a reporting
// round: the .xlsx template a department fills in, the .xlsx or .csv file
// it uploads back, and table exports that are safe to open in Excel. It
// knows nothing of storage or HTTP. Reading turns a file into Records:
// strings, each with the cell it came from, which the caller checks against
// the indicators and imports all or nothing.
//
// Uploads come from outside, so reading is defensive. An .xlsx is checked
// as a zip (file size, number of entries, declared sizes, compression
// ratio) before any of its XML is parsed; the data sheet is then read in
// one pass over its XML as it inflates, by a small tokeniser of its own
// (excelize, through encoding/xml and reflection, took twenty times as
// long), which refuses at the first offending cell a sheet too wide or too
// long, and notes the formulas. Excelize only writes. A CSV is read whole
// (it is at most MaxFileBytes) so that its encoding can be told before
// parsing.
//
// Duplicate rows (the same indicator, org unit and period twice) are
// returned as they are, both of them: the caller reports them once it has
// parsed the periods, since "2021q3" and "2021Q3" are the same period.
package excelio
