/*
 * revenue_agg.c — time-sliced revenue with revenue shares (doc/design.md,
 * "Money and exactness" and "Reports"): the aggregates prorate_agg() and
 * revenue_agg() that the reports are built on, the per-flow revenue_split()
 * behind revenue_slices(), and prorate_within(), the part of a flow earned
 * inside a date range.
 *
 * Why aggregates: a report over ten million flows must cost little more
 * than a scan.  Each group's state holds, per slice, the sums of the parts
 * in minor units (int128), so memory grows with groups x slices and never
 * with rows; states combine and serialize, so PostgreSQL (and Citus) can
 * run them in parallel.
 *
 * The revenue files, one concept each:
 *   revenue_split.c    the share of one flow with several share terms (its
 *                      gross and largest-remainder step: src/prorate.c)
 *   revenue_clauses.c  the per-call cache: clauses, (seller, product,
 *                      channel) -> terms map (revenue_cache.h)
 *   revenue_args.c     a flow read from the arguments, and split
 *   revenue_state.c    the slice state, its combine and serialized form
 *   revenue_output.c   the composite rows returned
 *   revenue_agg.c      this file: the SQL-callable functions over one state
 *   revenue_keyed.c    keyed states: revenue_provider_agg, keyed_agg_*
 *   revenue_exposure.c exposure_agg
 * What one of them offers the others is named rev_* and declared in its
 * own header (revenue_split.h, revenue_cache.h, ...); everything else is
 * static.  revenue.h is what they offer the rest of the extension.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#include "endpoint.h"
#include "money.h"
#include "prorate.h"
#include "revenue.h"
#include "revenue_args.h"
#include "revenue_cache.h"
#include "revenue_output.h"
#include "revenue_split.h"
#include "revenue_state.h"

/* Add the flow just split into c->parts to the group's state. */
static RevAggState *
accumulate(FunctionCallInfo fcinfo, RevAggState *st, RevCache *c, int n, const FlowArgs *f)
{
	if (st == NULL)
		st = rev_state_new(rev_agg_context(fcinfo, "dealscope aggregate"), f->grain, f->fy_start, f->cur, n);
	else
		rev_state_check(st, f->grain, f->fy_start, f->cur);
	rev_add_parts(st, c, n);
	return st;
}

/*
 * prorate_agg(amount, period, currency, grain, fy_start, share) transition:
 * the model-free aggregate, usable on any table of flows.
 */
PG_FUNCTION_INFO_V1(prorate_agg_trans);
Datum
prorate_agg_trans(PG_FUNCTION_ARGS)
{
	RevAggState *st = PG_ARGISNULL(0) ? NULL : (RevAggState *) PG_GETARG_POINTER(0);
	RevCache   *c = rev_get_cache(fcinfo);
	FlowArgs	f;
	int			n;

	(void) rev_agg_context(fcinfo, "prorate_agg_trans");
	if (!rev_read_flow_args(fcinfo, c, 1, 2, 3, 4, 5, &f))
		PG_RETURN_POINTER(st);
	n = rev_split_flow(c, &f, NULL, NULL,
				   PG_ARGISNULL(6) ? NULL : PG_GETARG_RATE_SCHEDULE_P(6));
	PG_RETURN_POINTER(accumulate(fcinfo, st, c, n, &f));
}

/*
 * revenue_agg(seller, product, channel, amount, currency, period, grain,
 * fy_start, holder) transition: the share is what seller owes under the
 * revenue_share clauses of the deal model (all holders, or only holder).
 */
PG_FUNCTION_INFO_V1(revenue_agg_trans);
Datum
revenue_agg_trans(PG_FUNCTION_ARGS)
{
	RevAggState *st = PG_ARGISNULL(0) ? NULL : (RevAggState *) PG_GETARG_POINTER(0);
	RevCache   *c = rev_get_cache(fcinfo);
	FlowArgs	f;
	const ClauseMatch *e;
	int			n;

	(void) rev_agg_context(fcinfo, "revenue_agg_trans");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);
	if (!rev_read_flow_args(fcinfo, c, 4, 6, 5, 7, 8, &f))
		PG_RETURN_POINTER(st);
	e = lookup_terms(c, fcinfo, PG_GETARG_TEXT_PP(1),
					 PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2),
					 PG_GETARG_ENDPOINT_P(3));
	n = rev_split_flow(c, &f, e,
				   PG_ARGISNULL(9) ? NULL : PG_GETARG_TEXT_PP(9), NULL);
	PG_RETURN_POINTER(accumulate(fcinfo, st, c, n, &f));
}

/* The group's slices as slice_total[], in date order. */
PG_FUNCTION_INFO_V1(revenue_agg_final);
Datum
revenue_agg_final(PG_FUNCTION_ARGS)
{
	RevAggState *st = PG_ARGISNULL(0) ? NULL : (RevAggState *) PG_GETARG_POINTER(0);
	RevCache   *c;
	Datum	   *elems;
	int			i;

	(void) rev_agg_context(fcinfo, "revenue_agg_final");
	if (st == NULL)
		PG_RETURN_NULL();
	c = rev_get_cache(fcinfo);
	rev_cell_type(c, fcinfo);
	elems = palloc(Max(st->n, 1) * sizeof(Datum));
	for (i = 0; i < st->n; i++)
		elems[i] = rev_make_cell(c, st->sl[i].start, st->sl[i].end, st->grain, st->fy_start,
							 &st->cur, st->sl[i].gross, st->sl[i].share);
	PG_RETURN_DATUM(rev_cells_array(c, elems, st->n));
}

/*
 * revenue_split(seller, product, channel, amount, currency, period, grain,
 * fy_start, holder): one flow's slices as slice_total[] — the per-flow
 * figures that revenue_agg adds up, for revenue_slices().
 */
PG_FUNCTION_INFO_V1(revenue_split);
Datum
revenue_split(PG_FUNCTION_ARGS)
{
	RevCache   *c = rev_get_cache(fcinfo);
	FlowArgs	f;
	const ClauseMatch *e;
	Datum	   *elems;
	int			n,
				i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	if (!rev_read_flow_args(fcinfo, c, 3, 5, 4, 6, 7, &f))
		PG_RETURN_NULL();
	e = lookup_terms(c, fcinfo, PG_GETARG_TEXT_PP(0),
					 PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1),
					 PG_GETARG_ENDPOINT_P(2));
	n = rev_split_flow(c, &f, e,
				   PG_ARGISNULL(8) ? NULL : PG_GETARG_TEXT_PP(8), NULL);
	rev_cell_type(c, fcinfo);
	elems = palloc(n * sizeof(Datum));
	for (i = 0; i < n; i++)
		elems[i] = rev_make_cell(c, c->parts[i].slice_start, c->parts[i].slice_end, f.grain, f.fy_start, f.cur,
							 c->parts[i].gross, c->parts[i].share);
	PG_RETURN_DATUM(rev_cells_array(c, elems, n));
}

/*
 * prorate_within(amount, period, currency, during): the part of a flow
 * earned on the days inside during.  The flow is split exactly at during's
 * bounds by the same largest-remainder rule (ties to the earliest part), so
 * the parts before, inside and after during sum to the amount.
 */
PG_FUNCTION_INFO_V1(prorate_within);
Datum
prorate_within(PG_FUNCTION_ARGS)
{
	RevCache   *c = rev_get_cache(fcinfo);
	Currency	cur = money_currency_from_text(PG_GETARG_TEXT_PP(2));
	int128		amount = money_to_minor(PG_GETARG_NUMERIC(0), &cur);
	RangeType  *during = PG_GETARG_RANGE_P(3);
	TypeCacheEntry *tc;
	RangeBound	dl,
				du;
	bool		empty;
	DateADT		lo,
				hi,
				cut[4];
	int			n = 0,
				i,
				inside = -1;
	bool		neg = amount < 0;
	int128		a = neg ? -amount : amount;
	ProratePart parts[3];

	rev_read_period(c, PG_GETARG_RANGE_P(1), &lo, &hi);
	tc = lookup_type_cache(RangeTypeGetOid(during), TYPECACHE_RANGE_INFO);
	range_deserialize(tc, during, &dl, &du, &empty);
	if (empty)
		PG_RETURN_NUMERIC(money_from_minor(0, &cur));
	cut[0] = lo;
	cut[1] = (dl.infinite || DatumGetDateADT(dl.val) == DATEVAL_NOBEGIN) ? lo
		: Min(Max(DatumGetDateADT(dl.val), lo), hi);
	cut[2] = (du.infinite || DatumGetDateADT(du.val) == DATEVAL_NOEND) ? hi
		: Max(Min(DatumGetDateADT(du.val), hi), cut[1]);
	cut[3] = hi;
	for (i = 0; i < 3; i++)
	{
		if (cut[i] >= cut[i + 1])
			continue;
		if (i == 1)
			inside = n;
		parts[n].slice_start = cut[i];
		parts[n].slice_end = cut[i + 1] - 1;
		n++;
	}
	if (inside < 0)
		PG_RETURN_NUMERIC(money_from_minor(0, &cur));
	prorate_split_gross(a, lo, hi, parts, n);
	PG_RETURN_NUMERIC(money_from_minor(neg ? -parts[inside].gross : parts[inside].gross, &cur));
}
