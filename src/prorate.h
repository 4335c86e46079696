/*
 * prorate.h — exact proration of one flow over calendar slices
 * (doc/design.md, "Money and exactness").
 *
 * prorate_split() is the core that the SQL function prorate() and the
 * revenue reports share.  It works on integers of minor units only (see
 * money.h) and on a grain already parsed (calendar.h), does no catalog
 * access and allocates nothing on the no-share path, so an aggregate can
 * call it for every row of a large table.
 *
 * The rule (Hamilton's largest-remainder method):
 *   gross: slice i of a period of N days that holds n_i of them gets
 *          floor(A * n_i / N) minor units; the A - sum(floor) units still
 *          missing go one each to the slices with the largest remainders,
 *          ties to the earliest slice.
 *   share: the exact total A * sum(rate(d)) / N over the period's days is
 *          rounded once, half to even, to a whole minor unit R; slice i gets
 *          floor of its exact share A * sum_{d in slice i} rate(d) / N, and
 *          the units still missing to reach R go one each to the largest
 *          remainders (compared exactly), ties to the earliest slice.
 *   A negative amount is split as the negation of the split of -A.
 */
#ifndef DEALSCOPE_PRORATE_H
#define DEALSCOPE_PRORATE_H

#include "postgres.h"
#include "utils/date.h"

#include "calendar.h"
#include "rate_schedule.h"

/* One slice of one flow. */
typedef struct ProratePart
{
	DateADT		slice_start;	/* first day of the slice */
	DateADT		slice_end;		/* last day of the slice (inclusive) */
	int32		days;			/* days of the period inside the slice
								 * (set by prorate_split only) */
	int128		gross;			/* minor units */
	int128		share;			/* minor units (0 without a schedule) */
	/* scratch of the splits: the remainder of the rounding step */
	int128		rem_num;
	int128		rem_den;
} ProratePart;

/*
 * The longest period a flow may have, in days (about 273 years).  Every
 * split walks all the slices of the flow's period (largest remainder ranks
 * them all, wherever a report's window lies), so this bounds the work and
 * memory one flow can cost: 100,000 slices at day grain, about 10 MB and
 * 0.1 s.  revenue_flow's CHECK constraint
 * revenue_flow_period_at_most_100000_days rejects longer rows at insert.
 */
#define PRORATE_MAX_PERIOD_DAYS 100000

/*
 * Raises 54000 naming the limit when the days [lo, hi) are more than
 * PRORATE_MAX_PERIOD_DAYS; period (a daterange datum) is quoted.
 */
extern void prorate_check_period_length(DateADT lo, DateADT hi, Datum period);

/*
 * Number of slices of the grain that the days [lo, hi) touch (lo < hi, both
 * finite): the size parts must have.
 */
extern int	prorate_slice_count(DateADT lo, DateADT hi, CalGrain grain, int fy_start);

/*
 * Split amount (minor units, |amount| < 10^MONEY_MAX_MINOR_DIGITS) earned
 * evenly over the days [lo, hi) (lo < hi, both finite dates) into the
 * slices of grain / fy_start, in date order.  share may be NULL (no share).
 * Writes at most max_parts parts and returns the number of slices; when
 * that is more than max_parts nothing useful was written and the caller
 * should retry with an array of that size.
 *
 * Raises 22003 only if exact arithmetic would overflow int128 (possible
 * only with schedules whose rates need very large common denominators),
 * and 22008 if a slice reaches outside the range of type date.
 */
extern int	prorate_split(int128 amount, DateADT lo, DateADT hi,
						  CalGrain grain, int fy_start,
						  const RateSchedule *share,
						  ProratePart *parts, int max_parts);

/*
 * The two steps of the rule that the revenue split with several share
 * terms (src/revenue_split.c) shares, on parts whose slice_start and
 * slice_end are set (days [lo, hi), lo < hi, a >= 0):
 *   prorate_split_gross() sets every part's gross (and uses rem_num and
 *   rem_den as scratch);
 *   prorate_distribute() gives k units (0 <= k <= n) one each to the parts
 *   with the largest remainders rem_num / rem_den, ties to the earliest,
 *   into gross or (to_share) into share; same_den: every rem_den is the
 *   same, so numerators are compared as integers.  rem_num is scratch
 *   afterwards.
 */
extern void prorate_split_gross(int128 a, DateADT lo, DateADT hi, ProratePart *parts, int n);
extern void prorate_distribute(ProratePart *parts, int n, int128 k, bool to_share, bool same_den);

/*
 * Only the share's rounded total in minor units (the sum of the parts'
 * share), for callers that need the figure without the split.
 */
extern int128 prorate_share_total(int128 amount, DateADT lo, DateADT hi,
								  const RateSchedule *share);

#endif
