/*
 * revenue_split.c — the split of one flow over its slices with several
 * share terms (doc/design.md, "Money and exactness").
 *
 * This generalises prorate_split() (src/prorate.c) to several share terms:
 * one flow can owe one holder under several clauses (a share before an
 * amendment and a winding-down one after it), each restricted to its own
 * validity.  Per (flow, holder) the share is the exact total over the
 * period of the sum of the terms' daily rates, rounded once half to even,
 * split over the slices by largest remainder, ties to the earliest.  With
 * one term valid everywhere this is exactly prorate_split()'s rule.
 * Integers of minor units only: no catalog access, no per-call state.
 * (Kept apart from prorate.c while that is owned by another branch; it is
 * meant to move there as prorate_split_terms().)
 */
#include "postgres.h"

#include "exact.h"
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

/* Ranking order: larger remainder first, then the earlier slice. */
static int
rank_cmp(const void *x, const void *y, void *arg)
{
	const RevPart *parts = (const RevPart *) arg;
	int			i = *(const int *) x;
	int			j = *(const int *) y;
	int			c = exact_frac_cmp(parts[j].rem_num, parts[j].rem_den,
							 parts[i].rem_num, parts[i].rem_den);

	if (c != 0)
		return c;
	return (i > j) - (i < j);
}

/*
 * Give k units one each to the parts with the largest remainders, ties to
 * the earliest; into gross or into hshare.  A few units are placed by a
 * linear scan (comparing numerators only when every remainder has the same
 * denominator, as gross's and a fixed-denominator share's have); many (day
 * grain over a long period) by ranking once.
 */
static void
distribute(RevPart *parts, int n, int128 k, bool to_share, bool same_den)
{
	int			i;

	if (k < 0 || k > n)
		elog(ERROR, "revenue split: %d units to distribute over %d slices", (int) k, n);
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
				parts[idx[i]].hshare++;
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
				parts[best].hshare++;
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
				parts[best].hshare++;
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
		qsort_arg(idx, n, sizeof(int), rank_cmp, parts);
		for (i = 0; i < k; i++)
		{
			if (to_share)
				parts[idx[i]].hshare++;
			else
				parts[idx[i]].gross++;
		}
		if (idx != stackidx)
			pfree(idx);
	}
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

/* Split a >= 0 over the parts' days of [lo, hi) by largest remainder. */
void
rev_split_gross(int128 a, DateADT lo, DateADT hi, RevPart *parts, int n)
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
		RevPart    *p = &parts[i];
		int64		days = (int64) Min(p->end + 1, hi) - Max(p->start, lo);
		int64		t = r * days;	/* < nd^2 < 2^63 */

		p->gross = q * days + t / nd;
		p->rem_num = t % nd;
		p->rem_den = nd;
		sum += p->gross;
	}
	distribute(parts, n, a - sum, false, true);
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
 * remainder.  a >= 0.
 */
void
rev_split_share(int128 a, DateADT lo, DateADT hi, RevPart *parts, int n, const TermSet *ts)
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
		 * (kept in hshare until they are divided below).
		 */
		for (i = 0; i < n; i++)
		{
			parts[i].hshare = termset_sum_fixed(ts, Max(parts[i].start, lo),
												Min(parts[i].end + 1, hi));
			tn = add128(tn, parts[i].hshare);
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
		RevPart    *p = &parts[i];
		int128		sn,
					sd;

		if (fixed)
		{
			sn = p->hshare;
			sd = td;
		}
		else
		{
			terms_sum(ts->terms, ts->nterms, Max(p->start, lo), Min(p->end + 1, hi), &sn, &sd);
			d = mul128(sd, nd);
		}
		divmod128(mul128(a, sn), d, &p->hshare, &p->rem_num);
		p->rem_den = d;
		sum += p->hshare;
	}
	distribute(parts, n, total - sum, true, fixed);
	for (i = 0; i < n; i++)
		parts[i].share += parts[i].hshare;
}
