// Package supervision holds the supervision order (督办单): what the
// supervision office (督查室) asks of a department, by when, and the path
// the order takes from 交办 to 销号. It knows neither HTTP nor SQL: a
// service loads an Order, calls Issue or Apply with the actor and the
// clock, and stores the new Order and its Event (the history that
// department scores are computed from) together, refusing the write if
// the stored version moved meanwhile.
//
// The path:
//
//	交办 assigned → 签收 signed → 办理中 in_progress (progress feedback, repeatable)
//	  → 已报办结 reported → 审核: approve → 已销号 closed; reject → in_progress
//	退办: lead asks within the return window → return_requested
//	  → accepted: 已退办 returned (the office may issue a new order to someone else)
//	  → refused: back to the state it was in
//	延期: lead asks on or before the deadline date, the office decides; the state stays
//	催办, 升级: the office, in any open state; 升级 also automatically when overdue
//
// Every action, the states it is allowed in, who may take it and where it
// leads are one table (table.go); Apply refuses anything else.
//
// Dates are Beijing dates (indicator.Beijing): a deadline is a date, met
// by anything done before that date ends in Beijing, and deadlines in
// working days are counted on the calendar package's working-day calendar.
package supervision
