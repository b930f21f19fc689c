package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/casework"
	"github.com/lantu/lantu/storage"
)

// The petitioner of the matrix's petition: the name and phone must reach
// no page, file or API answer of any visitor of the matrix, all of whom
// are outside the petition bureau — though the lead department, the
// visitors' own, sees the case itself.
const (
	matrixPetitioner, matrixPetitionerPhone = "司马青衫", "13700001234"
	matrixPetitionTitle                     = "矩阵信访事项供暖不达标"
	matrixBureau                            = "petition"
)

// seedPetition registers a petition at the bureau, accepts it and assigns
// it to the visitors' department. It is the database's first case: the
// matrix's /cases/1 paths are this case.
func seedPetition(t *testing.T, db *storage.DB) cases.Case {
	t.Helper()
	ctx := context.Background()
	svc := casework.New(db)
	bureau := auth.Subject{UserID: -2, Name: "matrix-xf", Role: auth.CaseOfficer, Department: matrixBureau}
	c, err := svc.Register(ctx, bureau, cases.Case{Number: "信访〔矩阵〕1号", Type: cases.Petition(), Title: matrixPetitionTitle,
		Submitter: matrixPetitioner, SubmitterContact: matrixPetitionerPhone})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []cases.Action{{Kind: cases.Accept}, {Kind: cases.Assign, LeadDept: ownDept}} {
		a.ExpectedVersion = c.Version
		if c, err = svc.Act(ctx, bureau, c.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	if c.ID != 1 {
		t.Fatalf("the matrix's petition is case %d, want 1", c.ID)
	}
	// The bureau itself sees the petitioner: the markers are real.
	got, err := svc.Case(ctx, bureau, c.ID)
	if err != nil || got.Submitter != matrixPetitioner || got.SubmitterContact != matrixPetitionerPhone {
		t.Fatalf("the bureau's view of its petition: %q %q, %v", got.Submitter, got.SubmitterContact, err)
	}
	return c
}

// readable is an answer's body as text to search: a zip file (.xlsx,
// .docx) is searched in every part it holds, decompressed.
func readable(t *testing.T, body string) string {
	t.Helper()
	if !strings.HasPrefix(body, "PK") {
		return body
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatalf("an answer that starts like a zip file is not one: %v", err)
	}
	var all strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	return all.String()
}

// petitionerLeaks names what of the petitioner a text shows.
func petitionerLeaks(text string) []string {
	var leaks []string
	for _, m := range []string{matrixPetitioner, matrixPetitionerPhone} {
		if strings.Contains(text, m) {
			leaks = append(leaks, m)
		}
	}
	return leaks
}
