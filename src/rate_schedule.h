/*
 * rate_schedule.h — a piecewise-linear rate over dates (doc/design.md,
 * "Types"), used for revenue shares that wind down.
 *
 * Rates are exact decimals in [0, 1] held as integers in units of
 * 1 / RATE_SCALE.  Segments are half-open day ranges [lo, hi), sorted and
 * non-overlapping; lo may be DATEVAL_NOBEGIN and hi DATEVAL_NOEND (only for
 * constant segments: a ramp needs both ends).  Days outside every segment
 * have rate 0.
 */
#ifndef DEALSCOPE_RATE_SCHEDULE_H
#define DEALSCOPE_RATE_SCHEDULE_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/date.h"

#define RATE_SCALE_DIGITS 12
#define RATE_SCALE INT64CONST(1000000000000)	/* 10^12: 1.0 */

typedef struct RateSegment
{
	DateADT		lo;				/* first day, or DATEVAL_NOBEGIN */
	DateADT		hi;				/* first day after, or DATEVAL_NOEND */
	int64		r0;				/* rate on day lo, units of 1/RATE_SCALE */
	int64		r1;				/* rate approached at hi (== r0 when constant) */
} RateSegment;

typedef struct RateSchedule
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		nsegments;
	RateSegment segments[FLEXIBLE_ARRAY_MEMBER];
} RateSchedule;

#define DatumGetRateScheduleP(d) ((RateSchedule *) PG_DETOAST_DATUM(d))
#define PG_GETARG_RATE_SCHEDULE_P(n) DatumGetRateScheduleP(PG_GETARG_DATUM(n))

/*
 * Exact sum of the daily rate over the days [from, to) (from < to, both
 * finite), as the fraction *num / *den with *den > 0 and the fraction in
 * lowest terms; the value is in rate units (1.0 = 100%), i.e. RATE_SCALE is
 * already folded into *den.  Raises 22003 (numeric_value_out_of_range)
 * rather than ever returning a wrong value if int128 would overflow.
 */
extern void rate_schedule_sum(const RateSchedule *rs, DateADT from, DateADT to,
							  int128 *num, int128 *den);

/*
 * The exact rate on day d as *num / *den in lowest terms (0/1 outside every
 * segment).  An infinite d takes the rate of a segment unbounded on that
 * side, else 0.
 */
extern void rate_schedule_rate_at(const RateSchedule *rs, DateADT d,
								  int128 *num, int128 *den);

/*
 * num / den (num >= 0, den > 0) as a numeric Datum: the exact decimal when it
 * terminates, otherwise rounded to RATE_NUMERIC_SCALE decimal places.
 */
#define RATE_NUMERIC_SCALE 20
extern Datum rate_fraction_to_numeric(int128 num, int128 den);

#endif
