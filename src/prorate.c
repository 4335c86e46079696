/*
 * prorate.c — exact proration of a flow over calendar or fiscal slices
 * (doc/design.md, "Money and exactness"): the C core prorate_split() (see
 * prorate.h for the rule) and the SQL function prorate().
 *
 * Everything is integer arithmetic on minor units.  Gross parts share one
 * denominator (the period's days), so their remainders compare as plain
 * integers.  Share parts have one denominator per slice (the schedule's
 * exact sum over the slice's days is a fraction), so their remainders are
 * compared exactly with a continued-fraction walk that cannot overflow.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/memutils.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#include "calendar.h"
#include "exact.h"
#include "money.h"
#include "prorate.h"
#include "rate_schedule.h"

/* Index arrays up to this size live on the stack while remainders are ranked. */
#define PRORATE_STACK_SLICES 256

/* Exactness is never traded for an answer: overflow is an error. */
void
exact_share_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("revenue share out of range for exact arithmetic"),
			 errdetail("The amount times the exact sum of the daily rates needs more than 128 bits."),
			 errhint("Schedules whose ramps have many different lengths need large common denominators; use fewer distinct ramp lengths.")));
}

/*
 * Sign of a/b - c/d for 0 <= a/b, c/d (b, d > 0), without forming any
 * product: compare whole parts, then the reciprocals of what is left.
 */
int
exact_frac_cmp(int128 a, int128 b, int128 c, int128 d)
{
	int			sign = 1;

	if (b == d)
		return (a > c) - (a < c);
	if (b <= PG_INT64_MAX && d <= PG_INT64_MAX && a <= PG_INT64_MAX && c <= PG_INT64_MAX)
	{
		/* the usual case: the cross products fit in int128 */
		int128		l = a * d;
		int128		r = c * b;

		return (l > r) - (l < r);
	}
	for (;;)
	{
		int128		qa = a / b;
		int128		qc = c / d;
		int128		t;

		if (qa != qc)
			return qa < qc ? -sign : sign;
		a -= qa * b;
		c -= qc * d;
		if (a == 0 || c == 0)
			return a == 0 ? (c == 0 ? 0 : -sign) : sign;
		/* a/b < c/d  <=>  b/a > d/c */
		t = a;
		a = b;
		b = t;
		t = c;
		c = d;
		d = t;
		sign = -sign;
	}
}

/* Does part i rank before part j: larger remainder, then earlier slice? */
static inline bool
rank_before(const ProratePart *parts, int i, int j)
{
	int			c = exact_frac_cmp(parts[i].rem_num, parts[i].rem_den,
							 parts[j].rem_num, parts[j].rem_den);

	return c > 0 || (c == 0 && i < j);
}

/*
 * Reorder idx[0..n-1] so that idx[0..k-1] are the k parts ranking first
 * (quickselect under the strict order rank_before: linear on average).
 */
static void
select_best(int *idx, int n, int k, const ProratePart *parts)
{
	int			lo = 0,
				hi = n - 1,
				target = k - 1;

	while (lo < hi)
	{
		int			pivot = idx[lo + (hi - lo) / 2];
		int			i = lo,
					j = hi;

		while (i <= j)
		{
			while (rank_before(parts, idx[i], pivot))
				i++;
			while (rank_before(parts, pivot, idx[j]))
				j--;
			if (i <= j)
			{
				int			t = idx[i];

				idx[i++] = idx[j];
				idx[j--] = t;
			}
		}
		if (target <= j)
			hi = j;
		else if (target >= i)
			lo = i;
		else
			break;
	}
}

/*
 * Give k missing share units (0 <= k <= n) one each to the parts with the
 * largest remainders, ties to the earliest.  Remainders have one
 * denominator per slice here, so they are compared as fractions.
 */
static void
distribute_share(ProratePart *parts, int n, int128 k)
{
	int			stackidx[PRORATE_STACK_SLICES];
	int		   *idx;
	int			i;

	if (k < 0 || k > n)
		elog(ERROR, "prorate: %d share units to distribute over %d slices", (int) k, n);
	if (k == 0)
		return;
	idx = n <= PRORATE_STACK_SLICES ? stackidx : palloc(n * sizeof(int));
	for (i = 0; i < n; i++)
		idx[i] = i;
	select_best(idx, n, (int) k, parts);
	for (i = 0; i < k; i++)
		parts[idx[i]].share++;
	if (idx != stackidx)
		pfree(idx);
}

/*
 * The k-th largest (k >= 1) of v[0..n-1], reordering v: Hoare's quickselect,
 * linear on average, so the gross path never sorts.
 */
static int64
kth_largest(int64 *v, int n, int k)
{
	int			lo = 0,
				hi = n - 1,
				target = k - 1;

	while (lo < hi)
	{
		int64		pivot = v[lo + (hi - lo) / 2];
		int			i = lo,
					j = hi;

		while (i <= j)
		{
			while (v[i] > pivot)
				i++;
			while (v[j] < pivot)
				j--;
			if (i <= j)
			{
				int64		t = v[i];

				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (target <= j)
			hi = j;
		else if (target >= i)
			lo = i;
		else
			return v[target];	/* between j and i: all equal to pivot */
	}
	return v[target];
}

/*
 * Gross parts share one denominator, so their remainders (< ndays, int64)
 * compare as integers: find the k-th largest remainder t, give a unit to
 * every part above t and to the earliest parts equal to t until k are given.
 */
static void
distribute_gross(ProratePart *parts, int n, int64 k)
{
	int64		stackv[PRORATE_STACK_SLICES];
	int64	   *v;
	int64		t;
	int64		left;
	int			i;

	if (k < 0 || k > n)
		elog(ERROR, "prorate: " INT64_FORMAT " units to distribute over %d slices", k, n);
	if (k == 0)
		return;
	v = n <= PRORATE_STACK_SLICES ? stackv : palloc(n * sizeof(int64));
	for (i = 0; i < n; i++)
		v[i] = (int64) parts[i].rem_num;
	t = kth_largest(v, n, (int) k);
	left = k;
	for (i = 0; i < n; i++)
		if (parts[i].rem_num > t)
		{
			parts[i].gross++;
			left--;
		}
	for (i = 0; i < n && left > 0; i++)
		if (parts[i].rem_num == t)
		{
			parts[i].gross++;
			left--;
		}
	if (v != stackv)
		pfree(v);
}

/* A flow's period must not be longer than the splits can afford (see prorate.h). */
void
prorate_check_period_length(DateADT lo, DateADT hi, Datum period)
{
	if ((int64) hi - lo <= PRORATE_MAX_PERIOD_DAYS)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("period \"%s\" is longer than %d days",
					DatumGetCString(OidFunctionCall1(F_RANGE_OUT, period)),
					PRORATE_MAX_PERIOD_DAYS),
			 errdetail("It spans %lld days; a flow's period may span at most %d days (about 273 years), so that splitting one flow stays cheap.",
					   (long long) ((int64) hi - lo), PRORATE_MAX_PERIOD_DAYS),
			 errhint("Record a longer flow as several consecutive flows.")));
}

/* How many parts prorate_split needs (see prorate.h). */
int
prorate_slice_count(DateADT lo, DateADT hi, CalGrain grain, int fy_start)
{
	CalCursor	c;
	int			n = 1;

	calendar_cursor_init(&c, lo, grain, fy_start);
	if (grain == CAL_DAY)
		return hi - lo;
	while (c.next < hi)
	{
		CHECK_FOR_INTERRUPTS();
		calendar_cursor_advance(&c);
		n++;
	}
	return n;
}

/* The one rounding of the share (see prorate.h). */
int128
prorate_share_total(int128 amount, DateADT lo, DateADT hi, const RateSchedule *share)
{
	int128		a = amount < 0 ? -amount : amount;
	int128		num,
				den;
	int128		r;

	rate_schedule_sum(share, lo, hi, &num, &den);
	r = round_half_even(mul128(a, num), mul128(den, hi - lo));
	return amount < 0 ? -r : r;
}

/*
 * The split itself (see prorate.h).  Gross: with a = q * ndays + r, slice
 * i's exact part is q * days_i + r * days_i / ndays, so every product stays
 * in int64 except one int128 division per flow.
 */
int
prorate_split(int128 amount, DateADT lo, DateADT hi, CalGrain grain, int fy_start,
			  const RateSchedule *share, ProratePart *parts, int max_parts)
{
	bool		neg = amount < 0;
	int128		a = neg ? -amount : amount;
	int64		ndays = (int64) hi - lo;
	int128		q = a / ndays;	/* a = q * ndays + r: keeps products small */
	int64		r = (int64) (a % ndays);
	int128		sum = 0;
	CalCursor	c;
	int			n = 0;
	int			i;

	Assert(lo < hi);
	calendar_cursor_init(&c, lo, grain, fy_start);
	for (;;)
	{
		if (n < max_parts)
		{
			ProratePart *p = &parts[n];
			int64		days = (int64) Min(c.next, hi) - Max(c.start, lo);
			int64		t = r * days;	/* < ndays^2 < 2^63 */

			p->slice_start = c.start;
			p->slice_end = c.next - 1;
			p->days = (int32) days;
			p->gross = q * days + t / ndays;
			p->share = 0;
			p->rem_num = t % ndays;
			p->rem_den = ndays;
			sum += p->gross;
		}
		n++;
		if (c.next >= hi)
			break;
		CHECK_FOR_INTERRUPTS();
		calendar_cursor_advance(&c);
	}
	if (n > max_parts)
		return n;
	if (!IS_VALID_DATE(parts[n - 1].slice_end))
	{
		DateADT		dummy;

		calendar_slice(hi - 1, grain, fy_start, &dummy, &dummy);	/* raises 22008 */
	}
	distribute_gross(parts, n, (int64) (a - sum));

	if (share != NULL)
	{
		int128		total = prorate_share_total(a, lo, hi, share);

		sum = 0;
		for (i = 0; i < n; i++)
		{
			ProratePart *p = &parts[i];
			int128		num,
						den,
						x,
						d;

			rate_schedule_sum(share, Max(p->slice_start, lo),
							  Min(p->slice_end + 1, hi), &num, &den);
			x = mul128(a, num);
			d = mul128(den, ndays);
			p->share = x / d;
			p->rem_num = x % d;
			p->rem_den = d;
			sum += p->share;
		}
		distribute_share(parts, n, total - sum);
	}

	if (neg)
	{
		for (i = 0; i < n; i++)
		{
			parts[i].gross = -parts[i].gross;
			parts[i].share = -parts[i].share;
		}
	}
	return n;
}

/* State of one prorate() call between the rows it returns. */
typedef struct ProrateState
{
	ProratePart *parts;
	int			nparts;
	CalGrain	grain;
	int			fy_start;
	Currency	cur;
	TupleDesc	tupdesc;
} ProrateState;

/*
 * prorate() computes every slice before returning the first row; more than
 * this many would not fit in one allocation (a day grain over ~46,000 years).
 */
#define PRORATE_MAX_SLICES (MaxAllocSize / sizeof(ProratePart))

/* Periods are validated here, by the SQL entry point, before any work. */
static void
bad_period(RangeType *period, const char *detail)
{
	Datum		txt = OidFunctionCall1(F_RANGE_OUT, RangeTypePGetDatum(period));

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid period \"%s\"", DatumGetCString(txt)),
			 errdetail("%s", detail)));
}

/*
 * prorate(amount, period, grain, fy_start, currency, share): one row per
 * slice the period touches.  All validation and the whole split happen on
 * the first call, so an error is raised before any row is returned.
 */
PG_FUNCTION_INFO_V1(prorate);
Datum
prorate(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	ProrateState *st;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcxt;
		RangeType  *period;
		TypeCacheEntry *typcache;
		RangeBound	lower,
					upper;
		bool		empty;
		int128		amount;
		DateADT		lo,
					hi;
		const RateSchedule *share = NULL;
		int			i;

		funcctx = SRF_FIRSTCALL_INIT();
		for (i = 0; i <= 4; i++)
			if (PG_ARGISNULL(i))
				SRF_RETURN_DONE(funcctx);

		oldcxt = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		st = palloc0(sizeof(ProrateState));
		st->grain = calendar_grain_from_text(PG_GETARG_TEXT_PP(2));
		st->fy_start = PG_GETARG_INT32(3);
		calendar_check_fy_start(st->fy_start);
		st->cur = money_currency_from_text(PG_GETARG_TEXT_PP(4));
		amount = money_to_minor(PG_GETARG_NUMERIC(0), &st->cur);

		period = PG_GETARG_RANGE_P(1);
		typcache = lookup_type_cache(RangeTypeGetOid(period), TYPECACHE_RANGE_INFO);
		range_deserialize(typcache, period, &lower, &upper, &empty);
		if (empty)
			bad_period(period, "A flow's period must contain at least one day.");
		if (lower.infinite || upper.infinite ||
			DATE_NOT_FINITE(DatumGetDateADT(lower.val)) ||
			DATE_NOT_FINITE(DatumGetDateADT(upper.val)))
			bad_period(period, "A flow's period must have finite lower and upper bounds.");
		/* daterange is canonical: [lo, hi) */
		lo = DatumGetDateADT(lower.val);
		hi = DatumGetDateADT(upper.val);
		prorate_check_period_length(lo, hi, RangeTypePGetDatum(period));

		if (!PG_ARGISNULL(5))
			share = PG_GETARG_RATE_SCHEDULE_P(5);

		st->nparts = prorate_slice_count(lo, hi, st->grain, st->fy_start);
		if ((Size) st->nparts > PRORATE_MAX_SLICES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("period \"%s\" has too many %s slices",
							DatumGetCString(OidFunctionCall1(F_RANGE_OUT, RangeTypePGetDatum(period))),
							calendar_grain_name(st->grain)),
					 errdetail("It touches %d slices; prorate returns at most %d.",
							   st->nparts, (int) PRORATE_MAX_SLICES),
					 errhint("Use a coarser grain or a shorter period.")));
		st->parts = palloc(st->nparts * sizeof(ProratePart));
		prorate_split(amount, lo, hi, st->grain, st->fy_start, share,
					  st->parts, st->nparts);

		if (get_call_result_type(fcinfo, NULL, &st->tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		st->tupdesc = BlessTupleDesc(st->tupdesc);
		funcctx->user_fctx = st;
		funcctx->max_calls = st->nparts;
		MemoryContextSwitchTo(oldcxt);
	}

	funcctx = SRF_PERCALL_SETUP();
	st = (ProrateState *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		const ProratePart *p = &st->parts[funcctx->call_cntr];
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};
		char		label[CALENDAR_LABEL_MAX];

		calendar_label(p->slice_start, st->grain, st->fy_start, label);
		values[0] = DateADTGetDatum(p->slice_start);
		values[1] = DateADTGetDatum(p->slice_end);
		values[2] = CStringGetTextDatum(label);
		values[3] = NumericGetDatum(money_from_minor(p->gross, &st->cur));
		values[4] = NumericGetDatum(money_from_minor(p->share, &st->cur));
		values[5] = NumericGetDatum(money_from_minor(p->gross - p->share, &st->cur));
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(st->tupdesc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
