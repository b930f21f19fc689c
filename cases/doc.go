// Package cases holds the cases with legal clocks (事项): deputies'
// suggestions, CPPCC proposals, petitions and their 复查/复核, 12345
// requests and licence applications. It knows neither HTTP nor SQL: a
// service loads a Case, calls Register, FollowUp or Apply with the actor,
// the time and the working-day calendar, and stores the new Case and its
// Event together, refusing the write if the stored version moved.
//
// # Types as data
//
// Each kind of case is a Type: its clocks (per category for 12345), its
// windows and limits, its result classes and its transition table (Flow).
// The defaults (defaults.go) say in comments where each number comes from
// and which are local practice. A city puts its own set in force as JSON
// (ValidateTypes, DecodeTypes; casework keeps it in the settings, `lantu
// cases types` loads it). A case keeps a copy of its type as registered,
// so a new set moves no running deadline.
//
// # The path
//
//	登记 registered → (受理 accepted | 不予受理 rejected, with its notice: petitions, licences)
//	  → 交办 assigned (lead and co-handlers, each co-handler with a sub-deadline)
//	  → 签收 handling | 退回 returned within the window → 交办 again
//	  → co-handlers' opinions → 拟定答复 drafted (result class, 承诺事项)
//	  → 审核 approved by the lead's head (refused: back to handling)
//	  → 答复 answered → 评价 rated → 办结 closed, or 重办 (不满意) → handling, next round
//	暂停/恢复计时 (补正), 申请/审批延期: the state stays
//	承诺事项: kept one by one, after the answer, even once closed
//	逾期视为准予: a licence type that says so, when its statutory clock runs out
//
// Every action, the states it is allowed in, who may take it and where it
// leads are one row of the type's Flow; Apply refuses anything else.
//
// # How days are counted
//
// Dates are Beijing dates (indicator.Beijing); a deadline is a date, met
// by anything done before that date ends.
//
//   - The start day is not counted (次日起算): 民法典第二百零一条 (按照年、
//     月、日计算期间的，开始的当日不计入，自下一日开始计算), 民事诉讼法第八
//     十五条 (期间开始的时和日，不计算在期间内; 第八十二条 before the 2021
//     amendment, unverified for the 2023 text). For working days the
//     calendar package's AddWorkingDays does the same (受理之日起N个工作日).
//   - Months end on the corresponding day, or the month's last day if it
//     has none: 民法典第二百零二条.
//   - A calendar-day or month limit whose last day is not a working day
//     moves to the next working day: 民法典第二百零三条 (期间的最后一日是
//     法定休假日的，以法定休假日结束的次日为期间的最后一日), 民事诉讼法第八
//     十五条 (期间届满的最后一日是法定休假日的，以法定休假日后的第一日为
//     期间届满的日期). 法定休假日 is read as every day not worked: the
//     statutory holidays and the weekends (民法通则第一百五十四条 said
//     "星期日或者其他法定休假日"; a Supreme People's Court document of
//     2014-12-12 on computing trial periods, title unverified, lists 星期六、
//     星期日 among them), while a make-up workday (调休上班日) is a working
//     day and does not move the deadline. Limits set by a rule without a law behind them may
//     choose otherwise: Limit.RollOver is per limit, and a 12345 urgent
//     request's same-day limit does not roll.
//   - Working days skip weekends and holidays and count make-up workdays;
//     a licence's limits are in working days by 行政许可法第八十二条.
//   - A pause stops every clock from the day after it starts up to and
//     including the day it ends (the day the documents arrive), so counting
//     goes on the next day, as it starts. It adds the working days (for a
//     working-day clock) or the calendar days (else) in that span to the
//     end; for working days this is the same as counting N + paused
//     working days from the start.
//   - An extension lengthens the period: its days are added to the
//     unrolled end, so 60 + 30 days is day 90 from acceptance, rolled over
//     once at the end. It never lengthens a promised (承诺) clock.
//
// # Metrics
//
// Metrics are pure functions over cases and a Period; each gives its
// formula in words and both terms with the cases behind them. See
// metrics.go for each definition and its edge cases.
package cases
