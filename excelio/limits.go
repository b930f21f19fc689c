package excelio

// Limits bound what a reader accepts, so that a hostile or broken upload is
// refused quickly and with little memory.
type Limits struct {
	MaxFileBytes         int64 // the file as uploaded
	MaxZipEntries        int   // parts of an .xlsx
	MaxUncompressedBytes int64 // sum of the parts' declared sizes
	MaxRows, MaxCols     int   // rows (header included) and columns with content
}

// DefaultLimits fit a million values in one file, as one CSV or one
// narrow sheet.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:         20 << 20,
		MaxZipEntries:        1000,
		MaxUncompressedBytes: 200 << 20,
		MaxRows:              1_100_000,
		MaxCols:              50,
	}
}

// orDefault fills the fields left at zero (or below) from DefaultLimits,
// so that Limits{MaxRows: 10} means "the defaults, but ten rows".
func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxZipEntries <= 0 {
		l.MaxZipEntries = d.MaxZipEntries
	}
	if l.MaxUncompressedBytes <= 0 {
		l.MaxUncompressedBytes = d.MaxUncompressedBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxCols <= 0 {
		l.MaxCols = d.MaxCols
	}
	return l
}
