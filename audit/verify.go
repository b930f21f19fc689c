package audit

import "fmt"

// Head is what the database says the chain ends with.
type Head struct {
	Seq  int64
	Hash string
}

// Problem is the first row where the chain breaks, and how.
type Problem struct {
	ID     int64 // the row (or the missing row's number)
	ZH, EN string
}

func (p *Problem) Error() string {
	return fmt.Sprintf("第 %d 条：%s (row %d: %s)", p.ID, p.ZH, p.ID, p.EN)
}

// Verifier checks rows in id order; feed every row to Next, then call End.
type Verifier struct {
	prevHash string
	nextID   int64
	count    int64
}

// NewVerifier starts a check from the first row.
func NewVerifier() *Verifier { return &Verifier{nextID: 1} }

// Next checks one row; the first problem stops the check.
func (v *Verifier) Next(e Entry) *Problem {
	switch {
	case e.ID > v.nextID:
		return &Problem{ID: v.nextID, ZH: fmt.Sprintf("缺失（下一条是第 %d 条）：记录被删除", e.ID),
			EN: fmt.Sprintf("missing (the next is row %d): a row was deleted", e.ID)}
	case e.ID < v.nextID:
		return &Problem{ID: e.ID, ZH: "编号重复或顺序错乱", EN: "duplicate or out-of-order number"}
	case e.PrevHash != v.prevHash:
		return &Problem{ID: e.ID, ZH: "与上一条的链接不符：之前的记录被删除、替换或调换了顺序",
			EN: "does not link to the row before: an earlier row was deleted, replaced or reordered"}
	case e.ComputeHash() != e.Hash:
		return &Problem{ID: e.ID, ZH: "内容与其哈希不符：记录被修改", EN: "content does not match its hash: the row was edited"}
	}
	v.prevHash = e.Hash
	v.nextID++
	v.count++
	return nil
}

// End checks that the chain reaches the head: rows removed from the end are
// found here.
func (v *Verifier) End(h Head) *Problem {
	last := v.nextID - 1
	switch {
	case h.Seq > last:
		return &Problem{ID: last + 1, ZH: fmt.Sprintf("缺失：链头记到第 %d 条，但记录只到第 %d 条", h.Seq, last),
			EN: fmt.Sprintf("missing: the head counts %d rows but they end at %d", h.Seq, last)}
	case h.Seq < last || h.Hash != v.prevHash:
		return &Problem{ID: last, ZH: "链头与最后一条记录不符：链头被改动", EN: "the head does not match the last row: it was altered"}
	}
	return nil
}

// Count is the number of rows checked so far.
func (v *Verifier) Count() int64 { return v.count }
