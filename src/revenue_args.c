/*
 * revenue_args.c — a flow as the revenue functions read it from their
 * arguments (amount, period, currency, grain, fy_start: FlowArgs), and its
 * split into the per-call cache's slices (rev_split_flow).
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#include "calendar.h"
#include "money.h"
#include "prorate.h"
#include "revenue_args.h"
#include "revenue_cache.h"
#include "revenue_split.h"

/* ------------------------------------------------------------------------
 * Reading a flow's arguments
 * ------------------------------------------------------------------------ */

static void
bad_period(RangeType *period, const char *detail)
{
	Datum		txt = OidFunctionCall1(F_RANGE_OUT, RangeTypePGetDatum(period));

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid period \"%s\"", DatumGetCString(txt)),
			 errdetail("%s", detail)));
}

/* A flow's period as [lo, hi): non-empty, finite bounds. */
void
rev_read_period(RevCache *c, RangeType *period, DateADT *lo, DateADT *hi)
{
	RangeBound	lower,
				upper;
	bool		empty;

	if (c->rngtype == NULL || c->rngtype->type_id != RangeTypeGetOid(period))
		c->rngtype = lookup_type_cache(RangeTypeGetOid(period), TYPECACHE_RANGE_INFO);
	range_deserialize(c->rngtype, period, &lower, &upper, &empty);
	if (empty)
		bad_period(period, "A flow's period must contain at least one day.");
	if (lower.infinite || upper.infinite ||
		DATE_NOT_FINITE(DatumGetDateADT(lower.val)) ||
		DATE_NOT_FINITE(DatumGetDateADT(upper.val)))
		bad_period(period, "A flow's period must have finite lower and upper bounds.");
	*lo = DatumGetDateADT(lower.val);
	*hi = DatumGetDateADT(upper.val);
	prorate_check_period_length(*lo, *hi, RangeTypePGetDatum(period));
}

/*
 * The same straight from the datum.  A daterange with two finite bounds is
 * stored canonical, [lower, upper), as 13 bytes after the varlena header:
 * type oid, lower, upper, flags = RANGE_LB_INC (the on-disk format of
 * ranges, fixed for pg_upgrade).  Reading those bytes in place spares the
 * detoasted copy and range_deserialize on every flow of a report; any other
 * shape takes the general path.
 */
static inline void
read_period_datum(RevCache *c, Datum d, DateADT *lo, DateADT *hi)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	if (!VARATT_IS_EXTERNAL(v) && !VARATT_IS_COMPRESSED(v) &&
		VARSIZE_ANY_EXHDR(v) == sizeof(Oid) + 2 * sizeof(DateADT) + 1)
	{
		const char *p = VARDATA_ANY(v);

		if (p[sizeof(Oid) + 2 * sizeof(DateADT)] == RANGE_LB_INC)
		{
			memcpy(lo, p + sizeof(Oid), sizeof(DateADT));
			memcpy(hi, p + sizeof(Oid) + sizeof(DateADT), sizeof(DateADT));
			if (!DATE_NOT_FINITE(*lo) && !DATE_NOT_FINITE(*hi) && *lo < *hi &&
				(int64) *hi - *lo <= PRORATE_MAX_PERIOD_DAYS)
				return;
		}
	}
	rev_read_period(c, DatumGetRangeTypeP(d), lo, hi);
}

/*
 * The currency of a row, validated once per distinct code and query: rows
 * come in random currency order, and a lookup in the ISO table per row
 * showed in the profile.
 */
static const Currency *
read_currency(RevCache *c, const text *code)
{
	const char *p = VARDATA_ANY(code);
	int			i;

	if (VARSIZE_ANY_EXHDR(code) == 3)
	{
		const char *k = c->curs[c->last_cur].code;

		if (c->ncur > 0 && k[0] == p[0] && k[1] == p[1] && k[2] == p[2])
			return &c->curs[c->last_cur];
		for (i = 0; i < c->ncur; i++)
		{
			k = c->curs[i].code;
			if (k[0] == p[0] && k[1] == p[1] && k[2] == p[2])
			{
				c->last_cur = i;
				return &c->curs[i];
			}
		}
	}
	c->spare = money_currency(p, VARSIZE_ANY_EXHDR(code));	/* raises on a bad code */
	if (c->ncur == KEYED_MAX_CURRENCIES)
		return &c->spare;
	c->curs[c->ncur] = c->spare;
	c->last_cur = c->ncur;
	return &c->curs[c->ncur++];
}

/* Fill c->parts with the slices [lo, hi) touches; returns their number. */
static int
make_slices(RevCache *c, DateADT lo, DateADT hi, CalGrain grain, int fy_start)
{
	CalCursor	cc;
	int			n = 0;

	for (calendar_cursor_init(&cc, lo, grain, fy_start); cc.start < hi; calendar_cursor_advance(&cc))
	{
		CHECK_FOR_INTERRUPTS();
		if (n == c->partcap)
		{
			c->partcap *= 2;
			c->parts = repalloc(c->parts, c->partcap * sizeof(ProratePart));
		}
		c->parts[n].slice_start = cc.start;
		c->parts[n].slice_end = cc.next - 1;
		c->parts[n].gross = 0;
		c->parts[n].share = 0;
		n++;
	}
	if (!IS_VALID_DATE(c->parts[n - 1].slice_end))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("slice of date \"%s\" reaches outside the range of type date",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(hi - 1))))));
	return n;
}

/*
 * Split one flow into c->parts: gross, and share = the sum over holders
 * (or only the holder named by holder_filter) of what each is owed.
 * terms_entry NULL and one_term NULL: no share.
 */
int
rev_split_flow(RevCache *c, const FlowArgs *f,
		   const ClauseMatch *terms_entry, const text *holder_filter, const RateSchedule *one_term)
{
	bool		neg = f->amount < 0;
	int128		a = neg ? -f->amount : f->amount;
	DateADT		lo = f->lo,
				hi = f->hi;
	int			n = make_slices(c, lo, hi, f->grain, f->fy_start);
	int			i;

	prorate_split_gross(a, lo, hi, c->parts, n);
	if (one_term)
	{
		ShareTerm	t = {one_term, DATEVAL_NOBEGIN, DATEVAL_NOEND};
		TermSet		ts;

		rev_termset_prepare(&ts, &t, 1);
		rev_split_share(a, lo, hi, c->parts, n, &ts);
	}
	if (terms_entry)
	{
		for (i = 0; i < terms_entry->nholders; i++)
		{
			const HolderTerms *ht = &terms_entry->holders[i];

			if (holder_filter && !holder_is(ht, VARDATA_ANY(holder_filter),
											VARSIZE_ANY_EXHDR(holder_filter)))
				continue;
			rev_split_share(a, lo, hi, c->parts, n, &ht->ts);
		}
	}
	if (neg)
	{
		for (i = 0; i < n; i++)
		{
			c->parts[i].gross = -c->parts[i].gross;
			c->parts[i].share = -c->parts[i].share;
		}
	}
	return n;
}

/* Common reading of (amount, period, currency, grain, fy_start) args. */
bool
rev_read_flow_args(FunctionCallInfo fcinfo, RevCache *c, int a_amount, int a_period, int a_cur,
			   int a_grain, int a_fy, FlowArgs *f)
{
	if (PG_ARGISNULL(a_amount) || PG_ARGISNULL(a_period) || PG_ARGISNULL(a_cur) ||
		PG_ARGISNULL(a_grain) || PG_ARGISNULL(a_fy))
		return false;
	{
		text	   *g = PG_GETARG_TEXT_PP(a_grain);
		int			glen = VARSIZE_ANY_EXHDR(g);

		if (!(c->have_grain && glen == c->grain_len &&
			  memcmp(VARDATA_ANY(g), c->grain_name, glen) == 0))
		{
			c->grain = calendar_grain_parse(VARDATA_ANY(g), glen);
			c->grain_len = glen;
			memcpy(c->grain_name, VARDATA_ANY(g), glen);
			c->have_grain = true;
		}
		f->grain = c->grain;
	}
	f->fy_start = PG_GETARG_INT32(a_fy);
	calendar_check_fy_start(f->fy_start);
	f->cur = read_currency(c, PG_GETARG_TEXT_PP(a_cur));
	/* money_to_minor reads packed numerics: no detoasted copy per flow */
	f->amount = money_to_minor((Numeric) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(a_amount)), f->cur);
	read_period_datum(c, PG_GETARG_DATUM(a_period), &f->lo, &f->hi);
	return true;
}
