/*
 * revenue_split.c — the share of one flow with several share terms
 * (doc/design.md, "Money and exactness").
 *
 * This generalises prorate_split()'s share (src/prorate.c) to several
 * share terms: one flow can owe one holder under several clauses (a share
 * before an amendment and a winding-down one after it), each restricted to
 * its own validity.  Per (flow, holder) the share is the exact total over
 * the period of the sum of the terms' daily rates, rounded once half to
 * even, split over the slices by largest remainder, ties to the earliest.
 * With one term valid everywhere this is exactly prorate_split()'s rule.
 * The gross split and the largest-remainder step are prorate.c's own
 * (prorate_split_gross, prorate_distribute), on the same parts
 * (ProratePart).  Integers of minor units only: no catalog access, no
 * per-call state.
 */
#include "postgres.h"

#include "exact.h"
#include "prorate.h"
#include "rate_schedule.h"
#include "revenue_split.h"

/* ------------------------------------------------------------------------
 * Exact integer arithmetic
 * ------------------------------------------------------------------------ */


/* *num / *den += n / d, kept in lowest terms (all denominators > 0). */
static void
frac_add(int128 *num, int128 *den, int128 n, int128 d)
{
	int128		g = gcd128(*den, d);
	int128		l = mul128(*den / g, d);

	*num = add128(mul128(*num, l / *den), mul128(n, l / d));
	*den = l;
	g = gcd128(*num, *den);
	if (g > 1)
	{
		*num /= g;
		*den /= g;
	}
}

/* ------------------------------------------------------------------------
 * The split of one flow
 * ------------------------------------------------------------------------ */

#define TERMSET_MAX_DEN ((int128) 1 << 80)

void
rev_termset_prepare(TermSet *ts, const ShareTerm *terms, int nterms)
{
	int64		g = RATE_SCALE;
	int128		M = 1;
	int			i,
				j;

	ts->terms = terms;
	ts->nterms = nterms;
	for (i = 0; i < nterms; i++)
	{
		const RateSchedule *rs = terms[i].rate;

		for (j = 0; j < rs->nsegments; j++)
		{
			const RateSegment *sg = &rs->segments[j];

			g = (int64) gcd128(g, sg->r0);
			g = (int64) gcd128(g, sg->r1);
			if (sg->r0 != sg->r1)
			{
				int128		len2 = 2 * ((int128) sg->hi - sg->lo);
				int128		gg = gcd128(M, len2);

				M = (M / gg) * len2;
				if (M > TERMSET_MAX_DEN)
				{
					ts->M = 0;
					return;
				}
			}
		}
	}
	if (g == 0)
		g = RATE_SCALE;
	ts->g = g;
	ts->M = M;
	ts->D = (int128) (RATE_SCALE / g) * M;
	if (ts->D > TERMSET_MAX_DEN)
		ts->M = 0;
}

/* Numerator over ts->D of the terms' rate sum over the days [x, y). */
static int128
termset_sum_fixed(const TermSet *ts, DateADT x, DateADT y)
{
	int128		total = 0;
	int			i,
				j;

	for (i = 0; i < ts->nterms; i++)
	{
		const ShareTerm *t = &ts->terms[i];
		DateADT		from = Max(x, t->lo);
		DateADT		to = Min(y, t->hi);

		if (from >= to)
			continue;
		for (j = 0; j < t->rate->nsegments; j++)
		{
			const RateSegment *sg = &t->rate->segments[j];
			DateADT		u = Max(from, sg->lo);
			DateADT		v = Min(to, sg->hi);
			int128		n;

			if (sg->lo >= to)
				break;
			if (u >= v)
				continue;
			n = (int128) v - u;
			if (sg->r0 == sg->r1)
				total = add128(total, mul128(mul128(sg->r0 / ts->g, n), ts->M));
			else
			{
				int128		len2 = 2 * ((int128) sg->hi - sg->lo);
				int128		r0 = sg->r0 / ts->g;
				int128		dr = (sg->r1 - sg->r0) / ts->g;
				/* sum over d in [u, v) of 2 L r0 + dr * 2 (d - lo) */
				int128		inner = add128(mul128(mul128(len2, r0), n),
										   mul128(dr, ((int128) u - sg->lo + v - 1 - sg->lo) * n));

				total = add128(total, mul128(inner, ts->M / len2));
			}
		}
	}
	return total;
}

/* Exact sum over the days [x, y) of the terms' daily rates. */
static void
terms_sum(const ShareTerm *t, int nt, DateADT x, DateADT y, int128 *num, int128 *den)
{
	int			i;

	*num = 0;
	*den = 1;
	for (i = 0; i < nt; i++)
	{
		DateADT		from = Max(x, t[i].lo);
		DateADT		to = Min(y, t[i].hi);
		int128		n,
					d;

		if (from >= to)
			continue;
		rate_schedule_sum(t[i].rate, from, to, &n, &d);
		if (n == 0)
			continue;
		if (*num == 0)
		{
			*num = n;
			*den = d;
		}
		else
			frac_add(num, den, n, d);
	}
}

/* num / den and num % den, in 64 bits when both fit. */
static inline void
divmod128(int128 num, int128 den, int128 *q, int128 *r)
{
	if (num <= PG_INT64_MAX && den <= PG_INT64_MAX)
	{
		*q = (int64) num / (int64) den;
		*r = (int64) num % (int64) den;
	}
	else
	{
		*q = num / den;
		*r = num % den;
	}
}

/*
 * Add to the parts' share what one holder is owed under its terms: the
 * exact total over [lo, hi) rounded once half to even, split by largest
 * remainder (prorate_distribute).  a >= 0.
 */
void
rev_split_share(int128 a, DateADT lo, DateADT hi, ProratePart *parts, int n, const TermSet *ts)
{
	int64		nd = (int64) hi - lo;
	bool		fixed = ts->M > 0;
	int128		tn = 0,
				td,
				total,
				d,
				sum = 0;
	int			i;

	if (a == 0)
		return;
	if (n == 1 || !fixed)
	{
		if (fixed)
		{
			tn = termset_sum_fixed(ts, lo, hi);
			td = ts->D;
		}
		else
			terms_sum(ts->terms, ts->nterms, lo, hi, &tn, &td);
	}
	else
	{
		/*
		 * One denominator: the period's sum is the sum of the slices' sums
		 * (kept in rem_num until they are divided below).
		 */
		for (i = 0; i < n; i++)
		{
			parts[i].rem_num = termset_sum_fixed(ts, Max(parts[i].slice_start, lo),
												 Min(parts[i].slice_end + 1, hi));
			tn = add128(tn, parts[i].rem_num);
		}
		td = ts->D;
	}
	if (tn == 0)
		return;
	d = mul128(td, nd);
	total = round_half_even(mul128(a, tn), d);
	if (n == 1)					/* one slice: it gets the rounded total */
	{
		parts[0].share += total;
		return;
	}
	for (i = 0; i < n; i++)
	{
		ProratePart *p = &parts[i];
		int128		sn,
					sd,
					q;

		if (fixed)
		{
			sn = p->rem_num;
			sd = td;
		}
		else
		{
			terms_sum(ts->terms, ts->nterms, Max(p->slice_start, lo), Min(p->slice_end + 1, hi),
					  &sn, &sd);
			d = mul128(sd, nd);
		}
		divmod128(mul128(a, sn), d, &q, &p->rem_num);
		p->rem_den = d;
		p->share += q;
		sum += q;
	}
	prorate_distribute(parts, n, total - sum, true, fixed);
}
