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
 * The gross split and the largest-remainder step (prorate_split_gross,
 * prorate_distribute) are also those of the revenue split with several
 * share terms (src/revenue_split.c).
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
 * Give k units (0 <= k <= n) one each to the parts with the largest
 * remainders, ties to the earliest; into gross or into share (see
 * prorate.h).  A few units are placed by a linear scan (comparing
 * numerators only when every remainder has the same denominator, as
 * gross's and a fixed-denominator share's have); many (day grain over a
 * long period) by a quickselect of the k first.
 */
void
prorate_distribute(ProratePart *parts, int n, int128 k, bool to_share, bool same_den)
{
	int			i;

	if (k < 0 || k > n)
		elog(ERROR, "prorate: %d units to distribute over %d slices", (int) k, n);
	if (k == 0)
		return;
	if (same_den && k > 2 && n <= 64)
	{
		/*
		 * One denominator, several units: rank the slices by numerator
		 * (insertion sort, stable, so ties keep the earliest first) and
		 * serve the first k.
		 */
		int			idx[64];

		for (i = 0; i < n; i++)
		{
			int			j = i;

			while (j > 0 && parts[idx[j - 1]].rem_num < parts[i].rem_num)
			{
				idx[j] = idx[j - 1];
				j--;
			}
			idx[j] = i;
		}
		for (i = 0; i < k; i++)
		{
			if (to_share)
				parts[idx[i]].share++;
			else
				parts[idx[i]].gross++;
		}
	}
	else if (k * n <= 256 && same_den)
	{
		/* one denominator: compare the numerators (served ones are set to -1) */
		while (k-- > 0)
		{
			int			best = 0;

			for (i = 1; i < n; i++)
				if (parts[i].rem_num > parts[best].rem_num)
					best = i;
			if (to_share)
				parts[best].share++;
			else
				parts[best].gross++;
			parts[best].rem_num = -1;
		}
	}
	else if (k * n <= 256)
	{
		while (k-- > 0)
		{
			int			best = -1;

			for (i = 0; i < n; i++)
			{
				if (parts[i].rem_num < 0)	/* already served */
					continue;
				if (best < 0 || exact_frac_cmp(parts[i].rem_num, parts[i].rem_den,
										 parts[best].rem_num, parts[best].rem_den) > 0)
					best = i;
			}
			if (to_share)
				parts[best].share++;
			else
				parts[best].gross++;
			parts[best].rem_num = -1;
		}
	}
	else
	{
		int			stackidx[256];
		int		   *idx = n <= 256 ? stackidx : palloc(n * sizeof(int));

		for (i = 0; i < n; i++)
			idx[i] = i;
		select_best(idx, n, (int) k, parts);
		for (i = 0; i < k; i++)
		{
			if (to_share)
				parts[idx[i]].share++;
			else
				parts[idx[i]].gross++;
		}
		if (idx != stackidx)
			pfree(idx);
	}
}

/* The gross split of a >= 0 over the parts (see prorate.h). */
void
prorate_split_gross(int128 a, DateADT lo, DateADT hi, ProratePart *parts, int n)
{
	int64		nd = (int64) hi - lo;
	int128		q;
	int64		r;
	int128		sum = 0;
	int			i;

	if (n == 1)					/* one slice: it gets everything */
	{
		parts[0].gross = a;
		return;
	}
	if (a <= PG_INT64_MAX)
	{
		q = (int64) a / nd;
		r = (int64) a % nd;
	}
	else
	{
		q = a / nd;
		r = (int64) (a % nd);
	}
	for (i = 0; i < n; i++)
	{
		ProratePart *p = &parts[i];
		int64		days = (int64) Min(p->slice_end + 1, hi) - Max(p->slice_start, lo);
		int64		t = r * days;	/* < nd^2 < 2^63 */

		p->gross = q * days + t / nd;
		p->rem_num = t % nd;
		p->rem_den = nd;
		sum += p->gross;
	}
	prorate_distribute(parts, n, a - sum, false, true);
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
 * The split itself (see prorate.h): the slices, then their gross by
 * prorate_split_gross, then the share.
 */
int
prorate_split(int128 amount, DateADT lo, DateADT hi, CalGrain grain, int fy_start,
			  const RateSchedule *share, ProratePart *parts, int max_parts)
{
	bool		neg = amount < 0;
	int128		a = neg ? -amount : amount;
	int64		ndays = (int64) hi - lo;
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

			p->slice_start = c.start;
			p->slice_end = c.next - 1;
			p->days = (int32) ((int64) Min(c.next, hi) - Max(c.start, lo));
			p->gross = 0;
			p->share = 0;
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
	prorate_split_gross(a, lo, hi, parts, n);

	if (share != NULL)
	{
		int128		total = prorate_share_total(a, lo, hi, share);

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
		prorate_distribute(parts, n, total - sum, true, false);
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
