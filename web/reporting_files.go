package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/excelio"
	"github.com/lantu/lantu/reporting"
)

// maxUpload bounds an uploaded workbook or CSV: the reader's own limits
// (excelio.DefaultLimits) are checked after, with the file in hand.
const maxUpload = 32 << 20

// maxBulk bounds the bulk API's body: a million figures as CSV (about
// 40 MB) with room to spare.
const maxBulk = 256 << 20

// bulkLimits are the reader's limits for the bulk API: a file of a million
// figures, as CSV or as .xlsx (about 240 MB unzipped).
func bulkLimits() excelio.Limits {
	return excelio.Limits{MaxFileBytes: maxBulk, MaxUncompressedBytes: 1 << 30}
}

func (s *Server) reportingFileRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/reporting/rounds/{id}/departments/{dept}/template.xlsx", Name: "reporting_template",
			Summary: "the department's Excel template for the round: its indicators, last values, targets, the cells to fill (audited download)", Permission: auth.WriteValues, Handle: s.reportingTemplate},
		{Method: "POST", Pattern: "/reporting/rounds/{id}/departments/{dept}/upload", Name: "reporting_upload",
			Summary: "imports a filled template, any sheet with the documented columns, or a CSV (UTF-8 or GB18030), all or nothing; with dry_run only reports what would change", Permission: auth.WriteValues, Handle: s.reportingUpload, MaxBody: maxUpload + 1<<20},
		{Method: "POST", Pattern: "/api/v1/values/import", Name: "api_import",
			Summary: "bulk import of figures as JSON or CSV, all or nothing, with ?dry_run=1 and ?submit=1; answers the import report", Permission: auth.WriteValues, Handle: s.apiImport, MaxBody: maxBulk},
	}
}

func roundID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("填报轮次不存在", "reporting round not found")
	}
	return id, nil
}

func (s *Server) reportingTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := roundID(r)
	if err != nil {
		return err
	}
	dept := r.PathValue("dept")
	round, tasks, err := s.reporting.Tasks(r.Context(), subjectOf(r), id, dept)
	if err != nil {
		return err
	}
	d, err := s.db.Department(r.Context(), dept)
	if err != nil {
		return err
	}
	unit, err := s.db.OrgUnit(r.Context(), firstOrgUnit(tasks))
	if err != nil && len(tasks) > 0 {
		return err
	}
	t := excelio.Template{DepartmentCode: dept, DepartmentName: d.NameZH, Period: round.Period.String(),
		DueDate: round.DueDate.Format("2006-01-02"), GeneratedAt: s.now()}
	for _, task := range tasks {
		def := task.Indicator.Current()
		row := excelio.TemplateRow{Indicator: task.Indicator.Code, IndicatorName: def.NameZH, Unit: def.UnitZH,
			OrgUnit: task.OrgUnit, OrgUnitName: unit.NameZH, Period: round.Period.String(), Decimals: def.Decimals, Locked: task.Locked()}
		if task.Last != nil {
			x := task.Last.Number
			row.LastValue, row.LastPeriod = &x, task.Last.Period.String()
		}
		if task.Target != nil {
			x := task.Target.Number
			row.Target = &x
		}
		if task.Value != nil {
			x := task.Value.Number
			row.Value, row.Note = &x, task.Value.Note
		}
		t.Rows = append(t.Rows, row)
	}
	var buf bytes.Buffer
	if err := excelio.WriteTemplate(&buf, t); err != nil {
		return err
	}
	s.audit(r, audit.Download, "round", strconv.FormatInt(id, 10), map[string]any{"file": "template.xlsx", "department": dept, "rows": len(t.Rows)})
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="lantu-%s-%s.xlsx"`, dept, round.Period.String()))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

func firstOrgUnit(tasks []reporting.Task) string {
	if len(tasks) == 0 {
		return ""
	}
	return tasks[0].OrgUnit
}

// importPage is the report of an upload, shown in place of the form.
type importPage struct {
	RoundID    int64
	Department string
	File       string
	Report     reporting.ImportReport
	Refused    bool
}

func (s *Server) reportingUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := roundID(r)
	if err != nil {
		return err
	}
	dept := r.PathValue("dept")
	// The department's tasks say whether this visitor may use this form.
	if _, _, err := s.reporting.Tasks(r.Context(), subjectOf(r), id, dept); err != nil {
		return err
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return apperr.Invalidf("请选择要上传的文件", "choose a file to upload")
	}
	defer file.Close()
	page := importPage{RoundID: id, Department: dept, File: header.Filename}
	round, err := s.db.Round(r.Context(), id)
	if err != nil {
		return err
	}
	records, err := excelio.Read(header.Filename, file, header.Size, excelio.DefaultLimits())
	if err == nil && strings.HasSuffix(strings.ToLower(header.Filename), ".xlsx") {
		err = checkStamp(file, header.Size, dept, round.Period.String())
	}
	status := http.StatusOK
	if err != nil {
		var probs excelio.Problems
		if !errors.As(err, &probs) {
			return err
		}
		page.Report.Problems, page.Refused, status = probs, true, http.StatusBadRequest
	} else {
		opts := reporting.ImportOptions{DryRun: r.PostFormValue("dry_run") != "", Submit: r.PostFormValue("submit") != ""}
		page.Report, err = s.reporting.Import(r.Context(), subjectOf(r), records, opts, clientOf(r).IP)
		var probs excelio.Problems
		switch {
		case errors.As(err, &probs):
			page.Refused, status = true, http.StatusBadRequest
		case err != nil:
			return err
		}
	}
	return s.renderPrivate(w, r, status, "reporting_import", page)
}

// checkStamp refuses a template made for another department or period: a
// file sent to the wrong form would otherwise be imported into it.
func checkStamp(r io.ReaderAt, size int64, dept, period string) error {
	st, err := excelio.ReadStamp(r, size, excelio.DefaultLimits())
	if err != nil || st == (excelio.Stamp{}) {
		return err // not one of our templates: its rows say what they are
	}
	if st.DepartmentCode != dept || st.Period != period {
		return excelio.Problems{{Where: "", ZH: fmt.Sprintf("这是 %s 部门 %s 的模板，不能上传到 %s 部门 %s 的填报表", st.DepartmentCode, st.Period, dept, period),
			EN: fmt.Sprintf("this template is for department %s, %s, not %s, %s", st.DepartmentCode, st.Period, dept, period)}}
	}
	return nil
}

// apiImportReport is the bulk API's answer.
type apiImportReport struct {
	DryRun    bool               `json:"dry_run"`
	Written   bool               `json:"written"`
	Rows      int                `json:"rows"`
	New       int                `json:"new"`
	Changed   int                `json:"changed"`
	Unchanged int                `json:"unchanged"`
	Warnings  []apiImportProblem `json:"warnings"`
	Problems  []apiImportProblem `json:"problems"`
}

type apiImportProblem struct {
	Where     string `json:"where"`
	MessageZH string `json:"message_zh"`
	MessageEN string `json:"message_en"`
}

func apiProblems(ps []excelio.Problem) []apiImportProblem {
	out := make([]apiImportProblem, 0, len(ps))
	for _, p := range ps {
		out = append(out, apiImportProblem{Where: p.Where, MessageZH: p.ZH, MessageEN: p.EN})
	}
	return out
}

// apiImport takes figures as a JSON array (numbers may be JSON numbers or
// strings) or as CSV with the documented columns, by Content-Type.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) error {
	var records []excelio.Record
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		records, err = excelio.ReadCSV(r.Body, bulkLimits())
	} else {
		records, err = decodeBulk(r.Body)
	}
	rep := reporting.ImportReport{}
	if err == nil {
		opts := reporting.ImportOptions{DryRun: r.URL.Query().Get("dry_run") == "1", Submit: r.URL.Query().Get("submit") == "1"}
		rep, err = s.reporting.Import(r.Context(), subjectOf(r), records, opts, clientOf(r).IP)
	}
	var probs excelio.Problems
	switch {
	case errors.As(err, &probs):
		rep.Problems = probs
	case err != nil:
		return err
	}
	status := http.StatusOK
	if len(rep.Problems) > 0 {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, apiImportReport{DryRun: rep.DryRun, Written: rep.Written, Rows: rep.Rows, New: rep.New, Changed: rep.Changed,
		Unchanged: rep.Unchanged, Warnings: apiProblems(rep.Warnings), Problems: apiProblems(rep.Problems)})
	return nil
}

// decodeBulk reads the JSON form into records; numbers are kept as
// written, so that the import names the one that is wrong.
func decodeBulk(body io.Reader) ([]excelio.Record, error) {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var raw []map[string]any
	if err := dec.Decode(&raw); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, apperr.Invalidf("请求应为 JSON 数组：[{\"indicator\",\"org_unit\",\"period\",\"value\",\"note\"}]",
			"the request must be a JSON array of {\"indicator\",\"org_unit\",\"period\",\"value\",\"note\"}")
	}
	records := make([]excelio.Record, 0, len(raw))
	for i, m := range raw {
		rec := excelio.Record{Sheet: "JSON", Row: i + 1, ValueCell: fmt.Sprintf("JSON[%d]", i)}
		for k, v := range m {
			text := fmt.Sprint(v)
			switch k {
			case "indicator":
				rec.Indicator = text
			case "org_unit":
				rec.OrgUnit = text
			case "period":
				rec.Period = text
			case "value":
				rec.Value = text
			case "note":
				rec.Note = text
			default:
				return nil, apperr.Invalidf("JSON[%d]：不允许设置字段 %s", "JSON[%d]: field %s may not be set", i, k)
			}
		}
		records = append(records, rec)
	}
	return records, nil
}
