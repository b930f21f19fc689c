package rules

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/plan"
)

// maxSourceLength bounds an expression; a real rule is a line or two.
const maxSourceLength = 2000

// codeFunctions are the functions whose argument is an indicator code.
var codeFunctions = []string{"v", "prev", "target", "present"}

func compile(src string, kind resultKind) (*Program, error) {
	if strings.TrimSpace(src) == "" {
		return nil, apperr.Invalidf("表达式不能为空", "expression is required")
	}
	if n := utf8.RuneCountInString(src); n > maxSourceLength {
		return nil, apperr.Invalidf("表达式过长（%d 个字符，最多 %d）",
			"expression too long (%d characters, at most %d)", n, maxSourceLength)
	}
	// Parse on our own first, so that a code that is not a quoted literal
	// is reported as such before the type checker complains about it.
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, compileError(src, err, kind)
	}
	refs, err := collectRefs(src, tree.Node)
	if err != nil {
		return nil, err
	}
	program, err := expr.Compile(src, options(kind)...)
	if err != nil {
		return nil, compileError(src, err, kind)
	}
	if err := fixedTypes(src, program.Node()); err != nil {
		return nil, err
	}
	return &Program{source: src, kind: kind, refs: refs, program: program}, nil
}

// collectRefs walks the AST for the codes given to v, prev, target and
// present. It refuses anything that would let an expression read a value
// without naming its code literally: a computed argument, the function
// used as a value (let f = v), or $env.
func collectRefs(src string, root ast.Node) ([]string, error) {
	w := &refWalker{callees: map[ast.Node]bool{}}
	ast.Walk(&root, w)
	if w.err != nil {
		return nil, positioned(src, w.errAt, w.err)
	}
	for _, id := range w.identifiers {
		if w.callees[id] {
			continue
		}
		name := id.Value
		if name == "$env" {
			return nil, positioned(src, id.Location().From, apperr.Invalidf(
				"不能使用 $env，请用 v(\"编码\") 等函数读取数值",
				"$env is not allowed: read values with v(\"code\") and the like"))
		}
		return nil, positioned(src, id.Location().From, apperr.Invalidf(
			"函数 %s 只能直接调用，例如 %s(\"forest-cover\")",
			"function %s can only be called directly, e.g. %s(\"forest-cover\")", name, name))
	}
	slices.Sort(w.refs)
	return slices.Compact(w.refs), nil
}

type refWalker struct {
	refs        []string
	callees     map[ast.Node]bool
	identifiers []*ast.IdentifierNode // uses of a code function or $env
	err         *apperr.Error
	errAt       int
}

func (w *refWalker) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.NilNode:
		if w.err == nil {
			w.err = apperr.Invalidf("不能使用 nil；要判断有无数值，请用 present(\"编码\")",
				"nil is not allowed: to ask whether there is a value, use present(\"code\")")
			w.errAt = n.Location().From
		}
	case *ast.IdentifierNode:
		if n.Value == "$env" || slices.Contains(codeFunctions, n.Value) {
			w.identifiers = append(w.identifiers, n)
		}
	case *ast.CallNode:
		callee, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || !slices.Contains(codeFunctions, callee.Value) {
			return
		}
		w.callees[callee] = true
		if w.err != nil {
			return
		}
		code, ok := literalCode(n)
		if !ok {
			w.err = apperr.Invalidf("%s 的参数必须是用引号括起的指标编码，例如 %s(\"forest-cover\")",
				"the argument of %s must be a quoted indicator code, e.g. %s(\"forest-cover\")", callee.Value, callee.Value)
			w.errAt = n.Location().From
			return
		}
		if err := plan.CheckCode("指标 indicator", code); err != nil {
			w.err = asAppErr(err)
			w.errAt = n.Arguments[0].Location().From
			return
		}
		w.refs = append(w.refs, code)
	}
}

// fixedTypes refuses an expression with a part whose type the checker
// could not fix, such as present("a") ? v("a") : true. expr accepts those
// (the result is "any", which AsBool and AsFloat64 let through) and they
// would fail, or compare a number with true, only when run.
func fixedTypes(src string, root ast.Node) error {
	callees := calleeSet{}
	ast.Walk(&root, callees)
	w := typeWalker{callees: callees}
	ast.Walk(&root, &w)
	if w.loose == nil {
		return nil
	}
	at := w.loose.Location().From
	if n, ok := w.loose.(*ast.ConditionalNode); ok {
		// expr places a ternary at its end; its first branch says more.
		at = n.Exp1.Location().From
	}
	return positioned(src, at, apperr.Invalidf(
		"此处可能得出数值，也可能得出“是/否”：请让 ?: 与 ?? 的两边同为数值或同为“是/否”",
		"the type here is not fixed: both sides of ?: and ?? must be numbers, or both true or false"))
}

// calleeSet holds the callees of calls: names, not values (and the one the
// / operator becomes carries no type).
type calleeSet map[ast.Node]bool

func (s calleeSet) Visit(node *ast.Node) {
	if call, ok := (*node).(*ast.CallNode); ok {
		s[call.Callee] = true
	}
}

// typeWalker finds the first node, innermost first, whose type is not
// fixed.
type typeWalker struct {
	callees calleeSet
	loose   ast.Node
}

func (w *typeWalker) Visit(node *ast.Node) {
	if w.loose == nil && !w.callees[*node] && (*node).Type().Kind() == reflect.Interface {
		w.loose = *node
	}
}

func literalCode(call *ast.CallNode) (string, bool) {
	if len(call.Arguments) != 1 {
		return "", false
	}
	s, ok := call.Arguments[0].(*ast.StringNode)
	if !ok {
		return "", false
	}
	return s.Value, true
}

// floatLiterals makes every integer literal a float64, so that all numbers
// in an expression have one type and the / overload always applies.
type floatLiterals struct{}

func (floatLiterals) Visit(node *ast.Node) {
	if n, ok := (*node).(*ast.IntegerNode); ok {
		ast.Patch(node, &ast.FloatNode{Value: float64(n.Value)})
	}
}

// compileError turns an error of expr's parser or compiler into an Invalid
// error naming the expression and the character (counted from 1) where it
// went wrong.
func compileError(src string, err error, kind resultKind) error {
	var fe *file.Error
	if !errors.As(err, &fe) {
		// Only the check of the result type fails without a position.
		return resultTypeError(src, err.Error(), kind)
	}
	return positioned(src, fe.From, apperr.New(apperr.Invalid, translate(fe.Message), fe.Message))
}

func positioned(src string, from int, e *apperr.Error) error {
	return apperr.New(apperr.Invalid,
		"表达式 "+src+" 第 "+strconv.Itoa(from+1)+" 个字符处有误："+e.ZH,
		"error at character "+strconv.Itoa(from+1)+" of expression "+src+": "+e.EN)
}

func resultTypeError(src, msg string, kind resultKind) error {
	got := "?"
	if _, after, ok := strings.Cut(msg, "but got "); ok {
		got = after
	}
	zhGot, enGot := typeName(got)
	if kind == yieldsBool {
		return apperr.New(apperr.Invalid,
			fmt.Sprintf("规则表达式 %s 必须得出“是”或“否”（例如 v(\"a\") <= 100），而它得出%s", src, zhGot),
			fmt.Sprintf("rule expression %s must yield true or false (e.g. v(\"a\") <= 100), but it yields %s", src, enGot))
	}
	return apperr.New(apperr.Invalid,
		fmt.Sprintf("公式 %s 必须得出数值，而它得出%s", src, zhGot),
		fmt.Sprintf("formula %s must yield a number, but it yields %s", src, enGot))
}

func typeName(t string) (zh, en string) {
	switch t {
	case "float64", "int":
		return "数值", "a number"
	case "bool":
		return "“是”或“否”", "true or false"
	case "string":
		return "文字", "text"
	}
	return t, t
}

// translate gives the Chinese for the messages of expr that users meet
// most; the rest stay in English.
func translate(msg string) string {
	switch {
	case msg == "unexpected token EOF":
		return "表达式不完整"
	case strings.HasPrefix(msg, "unknown name "):
		return "未知的名称 " + strings.TrimPrefix(msg, "unknown name ") +
			"（可用：v、prev、target、present、abs、min、max、round、floor、ceil）"
	case strings.HasPrefix(msg, "unexpected token "):
		return "此处不应出现 " + strings.TrimPrefix(msg, "unexpected token ")
	case strings.HasPrefix(msg, "invalid operation: "):
		return "运算的类型不匹配：" + strings.TrimPrefix(msg, "invalid operation: ")
	case strings.HasPrefix(msg, "cannot use "):
		return "函数参数的类型不对：" + msg
	}
	return msg
}

func asAppErr(err error) *apperr.Error {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e
	}
	// Not ours to show: keep internal detail away from users.
	return apperr.New(apperr.Internal, apperr.Message(err, "zh"), apperr.Message(err, "en"))
}
