package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
)

// caseAnswerRoutes are the answers to deputies' suggestions and CPPCC
// members' proposals that their submitters agreed to publish (建议提案答复
// 公开): the matter, the lead department and the answers, never the
// submitter.
func (s *Server) caseAnswerRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/answers", Name: "case_answers", Summary: "public: the answers of a year to suggestions and proposals whose submitters agreed to their publication — number, type, matter, lead department, each answer's date, result class and text; never the submitter or a contact", Permission: auth.Public, Handle: s.caseAnswers},
	}
}

type caseAnswersPage struct {
	Year    int
	Years   []int
	Answers []publishedAnswer
}

// publishedAnswer is a case as the public sees it: what the page may show
// and nothing else, so that a template cannot reach the rest.
type publishedAnswer struct {
	Number, TypeZH, TypeEN, Title string
	Lead                          named
	Answers                       []publishedRound
	last                          time.Time
}

type publishedRound struct {
	Round              int
	AnsweredAt         time.Time
	ResultZH, ResultEN string
	Text               string
}

// published reports whether the case's answers are public: a type that
// publishes answers, the submitter's consent, and an answer sent.
func published(c cases.Case) bool {
	return c.Type.PublishAnswers && c.PublishConsent && len(c.Answers) > 0
}

func (s *Server) caseAnswers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := s.now().In(indicator.Beijing)
	var page caseAnswersPage
	var err error
	if page.Year, page.Years, err = yearParam(r, now); err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	types, err := s.caseService().Types(ctx)
	if err != nil {
		return err
	}
	for _, t := range types {
		if !t.PublishAnswers {
			continue
		}
		list, err := s.db.Cases(ctx, storage.CaseFilter{TypeCode: t.Code})
		if err != nil {
			return err
		}
		for _, c := range list {
			if !published(c) {
				continue
			}
			last, _ := c.LastAnswer()
			if last.AnsweredAt.In(indicator.Beijing).Year() != page.Year {
				continue
			}
			p := publishedAnswer{Number: c.Number, TypeZH: c.Type.NameZH, TypeEN: c.Type.NameEN, Title: c.Title, last: last.AnsweredAt}
			if a, ok := c.Assignment(); ok {
				p.Lead = n.dept(a.LeadDept)
			}
			for _, a := range c.Answers {
				round := publishedRound{Round: a.Round, AnsweredAt: a.AnsweredAt, Text: a.Text}
				for _, res := range c.Type.Results {
					if res.Code == a.Result {
						round.ResultZH, round.ResultEN = res.NameZH, res.NameEN
					}
				}
				p.Answers = append(p.Answers, round)
			}
			page.Answers = append(page.Answers, p)
		}
	}
	slices.SortStableFunc(page.Answers, func(a, b publishedAnswer) int { return b.last.Compare(a.last) })
	return s.render(w, r, "case_answers", page)
}
