/*
 * rate_schedule.c — the rate_schedule type: a piecewise-linear rate over
 * dates (doc/design.md, "Types"), used for revenue shares that wind down.
 *
 * A value is a sorted list of non-overlapping half-open segments [lo, hi),
 * each with a constant rate or a linear ramp r0->r1; days outside every
 * segment have rate 0.  Rates are exact integers in units of 10^-12, so every
 * computation here is exact: daily rates and their sums are rationals held in
 * int128 and reduced to lowest terms, and a decimal is produced only at the
 * very end (exact when it terminates, else rounded to RATE_NUMERIC_SCALE
 * places).
 *
 * The stored form is canonical (a ramp with equal ends is a constant, with
 * r1 == r0), so equality is byte equality and the hash hashes the bytes.
 *
 * This file holds the model (construction and validation of a value), the
 * exact arithmetic behind rate_at and average_rate, and the comparison and
 * hash operators; rate_schedule_io.c holds the text form (parser and
 * canonical output) and the binary send/recv.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"

#include "rate_schedule.h"
#include "rate_schedule_internal.h"

#ifndef HAVE_INT128
#error "dealscope needs a compiler with a 128-bit integer type"
#endif

/* ------------------------------------------------------------------------
 * Construction and validation
 * ------------------------------------------------------------------------
 */

/* First and last date the text form can write (0001-01-01 .. the PG max). */
static DateADT
min_finite_date(void)
{
	return (DateADT) (date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE);
}

/* A finite date as the text form writes it, or +-infinity. */
static bool
rate_date_ok(DateADT d)
{
	return d >= min_finite_date() && IS_VALID_DATE(d);
}
RateSchedule *
rate_schedule_alloc(int nsegments)
{
	Size		size = offsetof(RateSchedule, segments) +
		(Size) nsegments * sizeof(RateSegment);
	RateSchedule *rs = (RateSchedule *) palloc0(size);

	SET_VARSIZE(rs, size);
	rs->nsegments = nsegments;
	return rs;
}

/*
 * Why a segment is not acceptable on its own, or NULL.  Shared by text input
 * and binary input so that both accept exactly the same values.
 */
const char *
rate_schedule_segment_problem(const RateSegment *seg)
{
	if (seg->lo == DATEVAL_NOEND)
		return "lower bound cannot be infinity";
	if (seg->hi == DATEVAL_NOBEGIN)
		return "upper bound cannot be -infinity";
	if (seg->lo != DATEVAL_NOBEGIN && !rate_date_ok(seg->lo))
		return "lower bound is not a valid date";
	if (seg->hi != DATEVAL_NOEND && !rate_date_ok(seg->hi))
		return "upper bound is not a valid date";
	if (seg->lo >= seg->hi)
		return seg->lo == seg->hi ? "range is empty" : "lower bound is after upper bound";
	if (seg->r0 < 0 || seg->r1 < 0)
		return "rate is negative";
	if (seg->r0 > RATE_SCALE || seg->r1 > RATE_SCALE)
		return "rate is greater than 100%";
	if (seg->r0 != seg->r1 &&
		(seg->lo == DATEVAL_NOBEGIN || seg->hi == DATEVAL_NOEND))
		return "ramp has an infinite bound";
	return NULL;
}

/* ------------------------------------------------------------------------
 * Exact int128 arithmetic
 * ------------------------------------------------------------------------
 */

static uint128
gcd128(uint128 a, uint128 b)
{
	while (b != 0)
	{
		uint128		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Overflow of the exact arithmetic: never return a wrong value. */
static void
pg_attribute_noreturn()
rate_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("rate_schedule arithmetic out of range"),
			 errdetail("The exact value needs integers wider than 128 bits.")));
}

static int128
mul128(int128 a, int128 b)
{
	int128		r;

	if (__builtin_mul_overflow(a, b, &r))
		rate_overflow();
	return r;
}

static int128
add128(int128 a, int128 b)
{
	int128		r;

	if (__builtin_add_overflow(a, b, &r))
		rate_overflow();
	return r;
}

/* Reduce num/den (den > 0, num >= 0) to lowest terms. */
static void
reduce(int128 *num, int128 *den)
{
	uint128		g = gcd128((uint128) *num, (uint128) *den);

	if (g > 1)
	{
		*num /= (int128) g;
		*den /= (int128) g;
	}
}

/* *num / *den += n / d, all non-negative, denominators positive. */
static void
frac_add(int128 *num, int128 *den, int128 n, int128 d)
{
	int128		g;

	reduce(&n, &d);
	if (n == 0)
		return;
	if (*num == 0)
	{
		*num = n;
		*den = d;
		return;
	}
	g = (int128) gcd128((uint128) *den, (uint128) d);
	/* a/b + c/d = (a*(d/g) + c*(b/g)) / (b*(d/g)) */
	*num = add128(mul128(*num, d / g), mul128(n, *den / g));
	*den = mul128(*den, d / g);
	reduce(num, den);
}

/* Append a non-negative int128 in decimal. */
static void
append_int128(StringInfo s, uint128 v)
{
	char		buf[48];
	int			i = sizeof(buf) - 1;

	buf[i] = '\0';
	do
	{
		buf[--i] = '0' + (int) (v % 10);
		v /= 10;
	} while (v != 0);
	appendStringInfoString(s, buf + i);
}

/*
 * The exact decimal of num/den (num >= 0, den > 0) as a numeric Datum when it
 * terminates; otherwise rounded to RATE_NUMERIC_SCALE decimal places (the
 * value then never lies exactly halfway, so the rounding direction is
 * unambiguous).  Long division is done so that nothing can overflow, even
 * for denominators close to 2^127.
 */
Datum
rate_fraction_to_numeric(int128 num, int128 den)
{
	uint128		n,
				d,
				m,
				q,
				rem;
	int			twos = 0,
				fives = 0,
				places,
				i;
	bool		terminates;
	char	   *digits;
	StringInfoData s;

	Assert(num >= 0 && den > 0);
	reduce(&num, &den);
	n = (uint128) num;
	d = (uint128) den;

	m = d;
	while (m % 2 == 0)
	{
		m /= 2;
		twos++;
	}
	while (m % 5 == 0)
	{
		m /= 5;
		fives++;
	}
	terminates = (m == 1);
	places = terminates ? Max(twos, fives) : RATE_NUMERIC_SCALE + 1;

	q = n / d;
	rem = n % d;
	digits = palloc(places + 1);
	for (i = 0; i < places; i++)
	{
		/* digit = floor(10 * rem / d), rem = 10 * rem mod d, without overflow */
		uint128		acc = 0;
		int			digit = 0,
					k;

		for (k = 0; k < 10; k++)
		{
			if (acc >= d - rem)
			{
				acc -= d - rem;
				digit++;
			}
			else
				acc += rem;
		}
		digits[i] = '0' + digit;
		rem = acc;
	}

	if (!terminates)
	{
		/* round half up on the extra digit, carrying as far as needed */
		bool		up = digits[RATE_NUMERIC_SCALE] >= '5';

		places = RATE_NUMERIC_SCALE;
		for (i = places - 1; up && i >= 0; i--)
		{
			if (digits[i] == '9')
				digits[i] = '0';
			else
			{
				digits[i]++;
				up = false;
			}
		}
		if (up)
			q++;
	}
	digits[places] = '\0';

	initStringInfo(&s);
	append_int128(&s, q);
	if (places > 0)
		appendStringInfo(&s, ".%s", digits);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(s.data),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}
/* ------------------------------------------------------------------------
 * Evaluation (C API, see rate_schedule.h)
 * ------------------------------------------------------------------------
 */

/* Index of the first segment whose hi is after day d (nsegments if none). */
static int
first_segment_ending_after(const RateSchedule *rs, DateADT d)
{
	int			lo = 0,
				hi = rs->nsegments;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (rs->segments[mid].hi > d)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * Exact sum of the daily rate over [from, to).  For the days [x, y) of a
 * ramp [a, b): sum = k*r0 + (r1 - r0) * S / (b - a) with k = y - x and
 * S = sum_{d=x}^{y-1} (d - a) = k * ((x - a) + (y - 1 - a)) / 2; all terms
 * are below 2^105, so only the additions across segments can overflow.
 */
void
rate_schedule_sum(const RateSchedule *rs, DateADT from, DateADT to,
				  int128 *num, int128 *den)
{
	int			i;

	*num = 0;
	*den = 1;
	if (from >= to)
		return;
	for (i = first_segment_ending_after(rs, from); i < rs->nsegments; i++)
	{
		const RateSegment *seg = &rs->segments[i];
		int64		x = Max(from, seg->lo);
		int64		y = Min(to, seg->hi);
		int64		k;

		if (seg->lo >= to)
			break;
		if (x >= y)
			continue;
		k = y - x;
		if (seg->r0 == seg->r1)
			frac_add(num, den, (int128) k * seg->r0, RATE_SCALE);
		else
		{
			int64		len = (int64) seg->hi - seg->lo;
			int128		twice_s = (int128) k * ((x - seg->lo) + (y - 1 - seg->lo));
			int128		n = (int128) k * seg->r0 * 2 * len +
				(int128) (seg->r1 - seg->r0) * twice_s;

			frac_add(num, den, n, (int128) 2 * len * RATE_SCALE);
		}
	}
}

/*
 * The exact rate on day d as *num / *den (lowest terms).  An infinite day
 * takes the rate of a segment unbounded on that side, else 0.
 */
void
rate_schedule_rate_at(const RateSchedule *rs, DateADT d, int128 *num, int128 *den)
{
	const RateSegment *seg = NULL;

	*num = 0;
	*den = 1;
	if (rs->nsegments == 0)
		return;
	if (d == DATEVAL_NOBEGIN)
	{
		if (rs->segments[0].lo == DATEVAL_NOBEGIN)
			seg = &rs->segments[0];
	}
	else if (d == DATEVAL_NOEND)
	{
		if (rs->segments[rs->nsegments - 1].hi == DATEVAL_NOEND)
			seg = &rs->segments[rs->nsegments - 1];
	}
	else
	{
		int			i = first_segment_ending_after(rs, d);

		if (i < rs->nsegments && rs->segments[i].lo <= d)
			seg = &rs->segments[i];
	}
	if (seg == NULL)
		return;
	if (seg->r0 == seg->r1)
	{
		*num = seg->r0;
		*den = RATE_SCALE;
	}
	else
	{
		int64		len = (int64) seg->hi - seg->lo;

		*num = (int128) seg->r0 * len + (int128) (seg->r1 - seg->r0) * ((int64) d - seg->lo);
		*den = (int128) len * RATE_SCALE;
	}
	reduce(num, den);
}
/* ------------------------------------------------------------------------
 * SQL-callable functions: evaluation, comparison and hashing
 * ------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(rate_schedule_rate_at_sql);
/* rate_at(schedule, day): exact when the decimal terminates, else 20 places. */
Datum
rate_schedule_rate_at_sql(PG_FUNCTION_ARGS)
{
	RateSchedule *rs = PG_GETARG_RATE_SCHEDULE_P(0);
	DateADT		d = PG_GETARG_DATEADT(1);
	int128		num,
				den;

	rate_schedule_rate_at(rs, d, &num, &den);
	PG_RETURN_DATUM(rate_fraction_to_numeric(num, den));
}

/* The text of a daterange's bounds, for messages. */
static char *
daterange_text(RangeBound *lower, RangeBound *upper)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoChar(&s, lower->inclusive ? '[' : '(');
	if (!lower->infinite)
		rate_schedule_append_date(&s, DatumGetDateADT(lower->val));
	appendStringInfoChar(&s, ',');
	if (!upper->infinite)
		rate_schedule_append_date(&s, DatumGetDateADT(upper->val));
	appendStringInfoChar(&s, upper->inclusive ? ']' : ')');
	return s.data;
}

PG_FUNCTION_INFO_V1(rate_schedule_average_rate);
/* average_rate(schedule, during): the exact mean daily rate over the days. */
Datum
rate_schedule_average_rate(PG_FUNCTION_ARGS)
{
	RateSchedule *rs = PG_GETARG_RATE_SCHEDULE_P(0);
	RangeType  *r = PG_GETARG_RANGE_P(1);
	TypeCacheEntry *typcache;
	RangeBound	lower,
				upper;
	bool		empty;
	DateADT		from,
				to;
	int128		num,
				den,
				ndays,
				g;

	typcache = range_get_typcache(fcinfo, RangeTypeGetOid(r));
	range_deserialize(typcache, r, &lower, &upper, &empty);
	if (empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"during\" of average_rate must not be empty"),
				 errdetail("The mean rate over no days is undefined.")));
	if (lower.infinite || upper.infinite ||
		DATE_NOT_FINITE(DatumGetDateADT(lower.val)) ||
		DATE_NOT_FINITE(DatumGetDateADT(upper.val)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"during\" of average_rate must be bounded: \"%s\"",
						daterange_text(&lower, &upper)),
				 errdetail("Both ends must be finite dates.")));
	/* daterange is canonical: [from, to) */
	from = DatumGetDateADT(lower.val) + (lower.inclusive ? 0 : 1);
	to = DatumGetDateADT(upper.val) + (upper.inclusive ? 1 : 0);

	rate_schedule_sum(rs, from, to, &num, &den);
	ndays = (int128) to - from;
	g = (int128) gcd128((uint128) num, (uint128) ndays);
	if (g > 1)
	{
		num /= g;
		ndays /= g;
	}
	PG_RETURN_DATUM(rate_fraction_to_numeric(num, mul128(den, ndays)));
}

/* Byte equality of two canonical values. */
static bool
rate_schedule_equal(FunctionCallInfo fcinfo)
{
	RateSchedule *a = PG_GETARG_RATE_SCHEDULE_P(0);
	RateSchedule *b = PG_GETARG_RATE_SCHEDULE_P(1);

	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

PG_FUNCTION_INFO_V1(rate_schedule_eq);
/* = : the same segments with the same rates. */
Datum
rate_schedule_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(rate_schedule_ne);
/* <> : negation of = */
Datum
rate_schedule_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!rate_schedule_equal(fcinfo));
}

/*
 * The btree order: that of the canonical text, compared bytewise (shorter
 * first on a common prefix), i.e. text order in collation "C".  The managed
 * edition's rate_schedule is that canonical text in collation "C", so both
 * editions sort schedules alike.  Consistent with = (equal values have equal
 * canonical text, and only they).  Formats both values: meant for sorting
 * clause tables, not millions of rows.
 */
static int
rate_schedule_order(FunctionCallInfo fcinfo)
{
	RateSchedule *a = PG_GETARG_RATE_SCHEDULE_P(0);
	RateSchedule *b = PG_GETARG_RATE_SCHEDULE_P(1);
	char	   *at;
	char	   *bt;
	int			c;

	if (VARSIZE(a) == VARSIZE(b) && memcmp(VARDATA(a), VARDATA(b), VARSIZE(a) - VARHDRSZ) == 0)
		return 0;
	at = rate_schedule_to_cstring(a);
	bt = rate_schedule_to_cstring(b);
	c = strcmp(at, bt);
	pfree(at);
	pfree(bt);
	return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_cmp);
/* btree support: -1, 0 or 1 as the canonical texts compare bytewise */
Datum
rate_schedule_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(rate_schedule_order(fcinfo));
}

PG_FUNCTION_INFO_V1(rate_schedule_lt);
Datum
rate_schedule_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_order(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_le);
Datum
rate_schedule_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_order(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_gt);
Datum
rate_schedule_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_order(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_ge);
Datum
rate_schedule_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_order(fcinfo) >= 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_hash);
/* hash support, consistent with = (hashes the canonical bytes) */
Datum
rate_schedule_hash(PG_FUNCTION_ARGS)
{
	RateSchedule *rs = PG_GETARG_RATE_SCHEDULE_P(0);

	return hash_any((const unsigned char *) VARDATA(rs), VARSIZE(rs) - VARHDRSZ);
}

PG_FUNCTION_INFO_V1(rate_schedule_hash_extended);
/* extended (seeded 64-bit) hash support */
Datum
rate_schedule_hash_extended(PG_FUNCTION_ARGS)
{
	RateSchedule *rs = PG_GETARG_RATE_SCHEDULE_P(0);

	return hash_any_extended((const unsigned char *) VARDATA(rs),
							 VARSIZE(rs) - VARHDRSZ, PG_GETARG_INT64(1));
}
