package web

// projectWatchMatrixCases are the authorization matrix's entries for the
// routes of project_watch.go.
var projectWatchMatrixCases = map[string]matrixCase{}
