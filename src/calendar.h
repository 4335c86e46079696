/*
 * calendar.h — calendar and fiscal slices of time (doc/design.md,
 * "Calendars"): the day, ISO week, month, quarter, half or year holding a
 * date, with fiscal years that start in any month and are named by the
 * calendar year in which they end.
 *
 * A slice is the closed day range [start, end]: end is the LAST day of the
 * slice, inclusive (so a month slice of May 2026 is 2026-05-01..2026-05-31).
 * The next slice starts on end + 1.  Every function here works on finite
 * DateADT values only and does no catalog access, so it is cheap enough to
 * call per row from an aggregate.
 */
#ifndef DEALSCOPE_CALENDAR_H
#define DEALSCOPE_CALENDAR_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/date.h"

typedef enum CalGrain
{
	CAL_DAY = 0,
	CAL_WEEK,
	CAL_MONTH,
	CAL_QUARTER,
	CAL_HALF,
	CAL_YEAR
} CalGrain;

/* Longest label ever written, NUL included ("FY-4713-Q1", "5874897-W52"). */
#define CALENDAR_LABEL_MAX 24

/*
 * Parse a grain name (exact lower-case name: day, week, month, quarter,
 * half, year; len bytes, not necessarily NUL-terminated).  Anything else
 * raises 22023 naming the argument "grain" and quoting the value.
 */
extern CalGrain calendar_grain_parse(const char *name, int len);
extern CalGrain calendar_grain_from_text(const text *name);
extern const char *calendar_grain_name(CalGrain grain);
/* Months in a slice of a month-based grain; 0 for day and week. */
extern int	cal_grain_months(CalGrain grain);

/* Raise 22023 naming "fy_start" unless 1 <= fy_start <= 12. */
extern void calendar_check_fy_start(int32 fy_start);

/*
 * The slice holding day d: its first day, and (when end is not NULL) its
 * last day.  d must be finite (22023 otherwise); a slice reaching outside
 * the range of type date raises 22008.
 */
extern DateADT calendar_slice_start(DateADT d, CalGrain grain, int fy_start);
extern void calendar_slice(DateADT d, CalGrain grain, int fy_start,
						   DateADT *start, DateADT *end);

/*
 * The first day of the slice after the one starting on start (start must be
 * a slice start of that grain and fy_start).  The result may lie one slice
 * beyond the range of type date; it is only ever compared with or
 * subtracted from other days (callers that hand it to users check it).
 */
extern DateADT calendar_next_start(DateADT start, CalGrain grain, int fy_start);

/*
 * A cursor walking consecutive slices (the cheap way to enumerate the
 * slices of a period: no date decomposition per step).  After
 * calendar_cursor_init(c, d, ...) the cursor is on the slice holding d:
 * [c->start, c->next - 1]; calendar_cursor_advance() moves to the next
 * slice.  No range check: c->next may lie beyond the range of type date
 * (check with IS_VALID_DATE(c->next - 1) before handing a day to users).
 */
typedef struct CalCursor
{
	CalGrain	grain;
	int			months;			/* months per slice (month-based grains) */
	int			next_mi;		/* month index of next (month-based grains) */
	DateADT		start;			/* first day of the current slice */
	DateADT		next;			/* first day of the following slice */
} CalCursor;

extern void calendar_cursor_init(CalCursor *c, DateADT d, CalGrain grain, int fy_start);
extern void calendar_cursor_advance(CalCursor *c);

/*
 * Write the label of the slice starting on start into buf (at least
 * CALENDAR_LABEL_MAX bytes); returns the label's length.
 */
extern int	calendar_label(DateADT start, CalGrain grain, int fy_start, char *buf);

#endif
