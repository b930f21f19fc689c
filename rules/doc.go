// Package rules holds what the planning office writes as expressions over
// indicator codes: validation rules that check reported figures, formulas
// that compute indicators from others, and the aggregation that adds both
// up over places and periods without averaging rates.
//
// # The expression language
//
// Expressions use github.com/expr-lang/expr. Indicator codes contain dashes
// (forest-cover), so an expression reaches them through functions whose
// argument must be a quoted code:
//
//	v("forest-cover")        this period's value at this place
//	prev("forest-cover")     the previous period's value
//	target("forest-cover")   the target for this period
//	present("forest-cover")  true when this period has a value
//
// with arithmetic, comparisons, &&, ||, !, the ternary a ? b : c, and the
// functions abs, min, max, round, floor and ceil. Every other builtin of
// expr (now, date, len, map, …) is switched off: a rule must depend on the
// figures alone. Every number is a float64, integer literals included, so
// that 1 and 1.0 are the same and % (integers only in expr) is refused.
//
// An expression is compiled and type-checked when it is saved, so a rule
// that yields a number, or adds a number to text, is refused then rather
// than failing each time it runs. expr lets through a part whose type it
// cannot fix (present("a") ? v("a") : true) as "any"; this package refuses
// it, and nil, for the same reason.
//
// # Missing values
//
// A rule about figures that have not been reported does not apply. v, prev
// and target panic with a sentinel error when the value is missing. The
// panic stops the run at once, however deep the call sits; expr's VM
// recovers it into an error wrapping the sentinel, and Eval recognises it
// with errors.Is and reports skipped (Eval also recovers the sentinel
// itself, should the VM ever let it through). The panic never leaves this
// package. Returning (float64, error) instead would work the same way, but
// expr calls such functions through reflection, which made checking rules
// twice as slow, while func(string) float64 has a direct path in its VM.
//
// Because && || and ?: short-circuit, a rule that wants to speak
// about a missing value guards with present():
//
//	present("forest-cover")                                // required
//	!present("a") || v("a") <= 100                         // only if reported
//
// Division by zero is not a missing value: it is an error that names the
// position of the division, because a rule silently passing (or failing)
// on an infinite ratio would mislead.
package rules
