package reporting

// SetImportBatch makes imports hand figures to the writing n at a time, so
// that a test sees the writing start before the checking ends.
func SetImportBatch(n int) (restore func()) {
	old := importBatch
	importBatch = n
	return func() { importBatch = old }
}
