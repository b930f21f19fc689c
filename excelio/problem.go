package excelio

import (
	"fmt"
	"strings"

	"github.com/lantu/lantu/apperr"
)

// Problem is one thing wrong with an uploaded file, where it is and what to
// do, for the user.
type Problem struct {
	Where  string // "数据!I7", "values.csv:12", or the file for the whole file
	ZH, EN string
}

// Problems is the error a reader returns for a file it refuses: every
// problem found, so that the user can fix them all before uploading again.
// It also reads as an *apperr.Error with code Invalid (see As).
type Problems []Problem

// maxProblems keeps the list readable; a file with a million bad cells
// needs fixing at the source, not a million lines of advice.
const maxProblems = 100

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.line(p.ZH, "：")
		if p.EN != "" {
			lines[i] += " (" + p.EN + ")"
		}
	}
	return strings.Join(lines, "\n")
}

// As lets apperr.Code and apperr.Message treat Problems as invalid input
// whose message, in either language, lists every problem.
func (ps Problems) As(target any) bool {
	t, ok := target.(**apperr.Error)
	if !ok {
		return false
	}
	zh := make([]string, len(ps))
	en := make([]string, len(ps))
	for i, p := range ps {
		zh[i], en[i] = p.line(p.ZH, "："), p.line(p.EN, ": ")
	}
	*t = apperr.New(apperr.Invalid, strings.Join(zh, "\n"), strings.Join(en, "\n"))
	return true
}

// line puts the place before the message, with the colon of the message's
// language: "数据!I7：森林覆盖率 …", "数据!I7: forest cover …".
func (p Problem) line(msg, colon string) string {
	if p.Where == "" {
		return msg
	}
	return p.Where + colon + msg
}

// problems collects Problems up to maxProblems and counts the rest.
type problems struct {
	list Problems
	more int
}

func (ps *problems) add(where, zh, en string) {
	if len(ps.list) >= maxProblems {
		ps.more++
		return
	}
	ps.list = append(ps.list, Problem{Where: where, ZH: zh, EN: en})
}

// err returns nil when nothing was found, never an empty Problems.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	if ps.more > 0 {
		return append(ps.list, Problem{
			ZH: fmt.Sprintf("另有 %d 个问题未列出", ps.more),
			EN: fmt.Sprintf("%d more problems not listed", ps.more),
		})
	}
	return ps.list
}

// refuse is a Problems error holding one problem.
func refuse(where, zh, en string) error {
	return Problems{{Where: where, ZH: zh, EN: en}}
}

// sizeText writes a byte count for people: "20 MiB", "512 KiB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
