/*
 * revenue.c — time-sliced revenue with revenue shares (doc/design.md,
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
 * The split itself generalises prorate_split() (src/prorate.c) to several
 * share terms: one flow can owe one holder under several clauses (a share
 * before an amendment and a winding-down one after it), each restricted to
 * its own validity.  Per (flow, holder) the share is the exact total over
 * the period of the sum of the terms' daily rates, rounded once half to
 * even, split over the slices by largest remainder, ties to the earliest.
 * With one term valid everywhere this is exactly prorate_split()'s rule.
 * (Kept here while prorate.c is owned by another branch; it is meant to
 * move there as prorate_split_terms().)
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "nodes/execnodes.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rangetypes.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "calendar.h"
#include "endpoint.h"
#include "endpoint_set.h"
#include "exact.h"
#include "money.h"
#include "products.h"
#include "prorate.h"
#include "rate_schedule.h"
#include "revenue.h"
#include "visibility.h"

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

/* One slice of one flow; the rem and hshare fields are scratch. */
typedef struct RevPart
{
	DateADT		start;			/* first day of the slice */
	DateADT		end;			/* last day of the slice (inclusive) */
	int128		gross;
	int128		share;			/* sum over holders */
	int128		hshare;			/* one holder's part, while it is split */
	int128		rem_num;
	int128		rem_den;
} RevPart;

/* A share term: a schedule applied on the days [lo, hi) (may be infinite). */
typedef struct ShareTerm
{
	const RateSchedule *rate;
	DateADT		lo;
	DateADT		hi;
} ShareTerm;

/*
 * A set of share terms prepared for exact sums without any gcd: every sum
 * over a day range is an integer numerator over one fixed denominator
 * D = (RATE_SCALE / g) * M, where g divides RATE_SCALE and every rate of
 * the terms, and M is the lcm of 2 * length over the ramps (1 without
 * ramps).  M = 0 when that denominator would be too large: sums then go
 * through rate_schedule_sum() and fractions in lowest terms.
 */
typedef struct TermSet
{
	const ShareTerm *terms;
	int			nterms;
	int64		g;				/* rate divisor */
	int128		M;				/* 0: use the general path */
	int128		D;
} TermSet;

#define TERMSET_MAX_DEN ((int128) 1 << 80)

static void
termset_prepare(TermSet *ts, const ShareTerm *terms, int nterms)
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
static void
split_gross(int128 a, DateADT lo, DateADT hi, RevPart *parts, int n)
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
static void
split_share(int128 a, DateADT lo, DateADT hi, RevPart *parts, int n, const TermSet *ts)
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

/* ------------------------------------------------------------------------
 * Per-call cache: clauses, the (seller, product, channel) -> terms map,
 * scratch buffers.  Lives in fn_mcxt, so it is built once per query (and
 * once per parallel worker).  What was read from the clause table lives in
 * its own context and is read again whenever the call would see other rows
 * (src/visibility.h): another role (row-level security), another snapshot
 * or command (a clause inserted by the same PL/pgSQL block), another
 * subtransaction.  A PL/pgSQL expression keeps fn_mcxt for the whole
 * transaction, so without that check revenue_split in a loop would answer
 * bob from alice's clauses and never see a clause inserted meanwhile.
 * ------------------------------------------------------------------------ */

typedef struct RevClause
{
	char	   *holder;
	char	   *grantor;
	char	   *products;
	struct varlena *scope;		/* NULL = every channel */
	ShareTerm	term;
} RevClause;

typedef struct HolderTerms
{
	const char *holder;
	int			nterms;
	ShareTerm  *terms;
	TermSet		ts;				/* prepared once the terms are complete */
} HolderTerms;

/*
 * The clauses that apply to a flow, grouped per holder.  Many keys match the
 * same clauses: each distinct set is built once and shared, so the sets
 * stay few and hot in the cache however many keys there are.
 */
typedef struct ClauseMatch
{
	int			nclauses;
	int		   *clauses;		/* indexes into RevCache.clauses, ascending */
	int			nholders;
	HolderTerms *holders;
} ClauseMatch;

/* One (seller, product, channel) seen: its bytes and its clauses. */
typedef struct KeyRec
{
	const ClauseMatch *match;
	int			sp_id;			/* id of (seller, provider of the channel) */
	int			seller_len;
	int			product_len;	/* -1: NULL product */
	int			channel_len;
	char		key[FLEXIBLE_ARRAY_MEMBER];	/* seller, product, channel bytes */
} KeyRec;

/* A slot of the open-addressing table: 16 bytes, so that probing stays cheap. */
typedef struct KeySlot
{
	uint64		hash;
	KeyRec	   *rec;			/* NULL: free */
} KeySlot;

#define KEYED_MAX_CURRENCIES 16

typedef struct RevCache
{
	MemoryContext mcxt;
	bool		clauses_loaded;
	bool		per_execution;	/* an aggregate's: one plan execution */
	VisibilityKey clauses_seen; /* what the clause read saw */
	MemoryContext clause_cxt;	/* clauses, grantors, matches, keys */
	int			nclauses;
	RevClause  *clauses;
	KeySlot    *tab;
	int			tabsize;		/* power of two */
	int			tabused;
	int			ngrantors;		/* the clauses' distinct grantors ... */
	char	  **grantors;
	int		   *grantor_first;	/* ... and where their clauses start in */
	int		   *grantor_clauses;	/* this list of clause indexes */
	/* (seller, provider) pairs seen, numbered from 0, for keyed states */
	int			nsp;
	int			sp_tabsize;		/* power of two */
	int		   *sp_tab;			/* 1 + id, 0 = free */
	uint64	   *sp_hash;		/* per id */
	char	  **sp_key;			/* per id: seller bytes, then provider bytes */
	int		   *sp_seller_len;
	int		   *sp_provider_len;
	/* currencies seen, numbered from 0 (more are looked up each time, in spare) */
	int			ncur;
	int			last_cur;
	Currency	curs[KEYED_MAX_CURRENCIES];
	Currency	spare;
	ClauseMatch **matches;		/* the distinct clause sets seen */
	int			nmatches;
	RevPart    *parts;
	int			partcap;
	TypeCacheEntry *rngtype;
	Oid			celltype;		/* slice_total */
	TupleDesc	celldesc;
	Oid			keyedtype;		/* keyed_slice_total */
	TupleDesc	keyeddesc;
	/* the last window seen (revenue_provider_agg), as bytes and bounds */
	struct varlena *win;
	bool		win_lo_inf;
	bool		win_hi_inf;
	DateADT		win_lo;
	DateADT		win_hi;
	/* the last grain and currency seen, to skip parsing them again */
	bool		have_grain;
	CalGrain	grain;
	int			grain_len;
	char		grain_name[8];
} RevCache;

static RevCache *
get_cache(FunctionCallInfo fcinfo)
{
	RevCache   *c = (RevCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		c = palloc0(sizeof(RevCache));
		c->mcxt = fcinfo->flinfo->fn_mcxt;
		/*
		 * An aggregate's support functions belong to one execution of its
		 * plan node, under one snapshot and one role (a cursor's later
		 * fetches go on with what it started with, as its scans do): no
		 * need to compare keys on every row there.
		 */
		c->per_execution = fcinfo->context != NULL &&
			(IsA(fcinfo->context, AggState) || IsA(fcinfo->context, WindowAggState));
		c->partcap = 64;
		c->parts = palloc(c->partcap * sizeof(RevPart));
		fcinfo->flinfo->fn_extra = c;
		MemoryContextSwitchTo(old);
	}
	return c;
}

/* Schema of the extension: the schema of the function being called. */
static char *
ext_schema(FunctionCallInfo fcinfo)
{
	char	   *nsp = get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid));

	if (nsp == NULL)
		elog(ERROR, "dealscope: schema of function %u not found", fcinfo->flinfo->fn_oid);
	return nsp;
}

static DateADT
bound_date(Datum d, bool isnull, DateADT infinite)
{
	return isnull ? infinite : DatumGetDateADT(d);
}

/*
 * Index the clauses by grantor, so that matching a new key against the
 * clauses looks only at its seller's (keys run to tens of thousands).
 * Within a grantor the indexes stay ascending, i.e. in holder order.
 */
static void
index_grantors(RevCache *c)
{
	int			i,
				g,
				k = 0;

	c->grantors = palloc(Max(c->nclauses, 1) * sizeof(char *));
	c->grantor_first = palloc((c->nclauses + 1) * sizeof(int));
	c->grantor_clauses = palloc(Max(c->nclauses, 1) * sizeof(int));
	c->ngrantors = 0;
	for (i = 0; i < c->nclauses; i++)
	{
		for (g = 0; g < c->ngrantors; g++)
			if (strcmp(c->grantors[g], c->clauses[i].grantor) == 0)
				break;
		if (g == c->ngrantors)
			c->grantors[c->ngrantors++] = c->clauses[i].grantor;
	}
	for (g = 0; g < c->ngrantors; g++)
	{
		c->grantor_first[g] = k;
		for (i = 0; i < c->nclauses; i++)
			if (strcmp(c->grantors[g], c->clauses[i].grantor) == 0)
				c->grantor_clauses[k++] = i;
	}
	c->grantor_first[c->ngrantors] = k;
}

/*
 * Forget the clauses and everything built from them (their own context is
 * reset), and note under which role and snapshot the next ones are read.
 */
static void
reset_clauses(RevCache *c)
{
	if (c->clause_cxt == NULL)
		c->clause_cxt = AllocSetContextCreate(c->mcxt, "dealscope revenue clauses",
											  ALLOCSET_DEFAULT_SIZES);
	else
		MemoryContextReset(c->clause_cxt);
	c->clauses_loaded = false;
	c->nclauses = 0;
	c->clauses = NULL;
	c->ngrantors = 0;
	c->tab = NULL;
	c->tabsize = 0;
	c->tabused = 0;
	c->matches = NULL;
	c->nmatches = 0;
	visibility_key_current(&c->clauses_seen);
}

/*
 * Read every revenue_share clause (SPI), sorted by holder, forgetting what
 * an earlier read built from them.
 */
static void
load_clauses(RevCache *c, FunctionCallInfo fcinfo)
{
	char	   *sql;
	uint64		i;
	MemoryContext old;

	/*
	 * A query a Citus coordinator sent to a worker (its connections are named
	 * so) would read the worker's own clause table, not the coordinator's
	 * (or fail on a reference table): refuse rather than give shares of 0.
	 */
	if (application_name && strncmp(application_name, "citus_internal", 14) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the revenue_share clauses cannot be read on a Citus worker"),
				 errdetail("revenue_agg, revenue_provider_agg, exposure_agg and revenue_split read the clause table of the node that runs them; this query came from a Citus coordinator."),
				 errhint("Use revenue_agg_dist, revenue_provider_agg_dist or exposure_agg_dist, which take the clauses as an argument, or the *_dist reports.")));

	reset_clauses(c);

	sql = psprintf("SELECT holder, grantor, products, scope, "
				   "pg_catalog.lower(valid), pg_catalog.upper(valid), rate "
				   "FROM %s.clause WHERE kind OPERATOR(pg_catalog.=) 'revenue_share' "
				   "ORDER BY holder COLLATE pg_catalog.\"C\", id COLLATE pg_catalog.\"C\"",
				   quote_identifier(ext_schema(fcinfo)));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "dealscope: SPI_connect failed");
	if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "dealscope: reading revenue_share clauses failed");

	old = MemoryContextSwitchTo(c->clause_cxt);
	c->nclauses = (int) SPI_processed;
	c->clauses = palloc0(sizeof(RevClause) * Max(c->nclauses, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		RevClause  *cl = &c->clauses[i];
		bool		isnull;
		Datum		d;

		d = SPI_getbinval(tup, desc, 1, &isnull);
		cl->holder = TextDatumGetCString(d);	/* NOT NULL by CHECK */
		d = SPI_getbinval(tup, desc, 2, &isnull);
		cl->grantor = TextDatumGetCString(d);
		d = SPI_getbinval(tup, desc, 3, &isnull);
		cl->products = isnull ? pstrdup("*") : TextDatumGetCString(d);
		d = SPI_getbinval(tup, desc, 4, &isnull);
		cl->scope = isnull ? NULL : (struct varlena *) PG_DETOAST_DATUM_COPY(d);
		d = SPI_getbinval(tup, desc, 5, &isnull);
		cl->term.lo = bound_date(d, isnull, DATEVAL_NOBEGIN);
		d = SPI_getbinval(tup, desc, 6, &isnull);
		cl->term.hi = bound_date(d, isnull, DATEVAL_NOEND);
		d = SPI_getbinval(tup, desc, 7, &isnull);
		cl->term.rate = (const RateSchedule *) PG_DETOAST_DATUM_COPY(d);
	}
	index_grantors(c);
	MemoryContextSwitchTo(old);
	SPI_finish();
	c->clauses_loaded = true;
}

/*
 * For src/distributed.c (revenue.h): the cache of calls through flinfo
 * takes its revenue_share clauses from these rows, sorted as load_clauses
 * sorts them, instead of reading the clause table: on a Citus worker the
 * table cannot be read from inside a shard's query.
 */
void
revenue_cache_set_clauses(FmgrInfo *flinfo, const RevenueClause *rows, int n)
{
	LOCAL_FCINFO(fcinfo, 0);
	RevCache   *c;
	MemoryContext old;
	int			i;

	InitFunctionCallInfoData(*fcinfo, flinfo, 0, InvalidOid, NULL, NULL);
	c = get_cache(fcinfo);
	reset_clauses(c);
	old = MemoryContextSwitchTo(c->clause_cxt);
	c->nclauses = n;
	c->clauses = palloc0(sizeof(RevClause) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		RevClause  *cl = &c->clauses[i];

		cl->holder = pstrdup(rows[i].holder);
		cl->grantor = pstrdup(rows[i].grantor);
		cl->products = pstrdup(rows[i].products);
		cl->scope = rows[i].scope ? (struct varlena *) PG_DETOAST_DATUM_COPY(PointerGetDatum(rows[i].scope)) : NULL;
		cl->term.lo = rows[i].lo;
		cl->term.hi = rows[i].hi;
		cl->term.rate = (const RateSchedule *) PG_DETOAST_DATUM_COPY(PointerGetDatum(rows[i].rate));
	}
	index_grantors(c);
	MemoryContextSwitchTo(old);
	c->clauses_loaded = true;
}

/* A fast non-cryptographic hash of len bytes, chained on h. */
static inline uint64
hash_mix(uint64 h, const char *p, int len)
{
	const uint64 k = UINT64CONST(0x9E3779B97F4A7C15);
	uint64		w;

	for (; len >= 8; p += 8, len -= 8)
	{
		memcpy(&w, p, 8);
		h = (h ^ w) * k;
		h ^= h >> 32;
	}
	w = (uint64) len << 56;
	if (len > 0)
	{
		uint64		t = 0;

		memcpy(&t, p, len);
		w ^= t;
	}
	h = (h ^ w) * k;
	return h ^ (h >> 29);
}

/* The shared ClauseMatch for these clause indexes (built when new). */
static const ClauseMatch *
intern_match(RevCache *c, const int *idx, int n)
{
	ClauseMatch *m;
	MemoryContext old;
	int			i;

	for (i = 0; i < c->nmatches; i++)
		if (c->matches[i]->nclauses == n &&
			memcmp(c->matches[i]->clauses, idx, n * sizeof(int)) == 0)
			return c->matches[i];

	old = MemoryContextSwitchTo(c->clause_cxt);
	m = palloc0(sizeof(ClauseMatch));
	m->nclauses = n;
	m->clauses = palloc(Max(n, 1) * sizeof(int));
	memcpy(m->clauses, idx, n * sizeof(int));
	m->holders = palloc(Max(n, 1) * sizeof(HolderTerms));
	for (i = 0; i < n; i++)
	{
		RevClause  *cl = &c->clauses[idx[i]];
		HolderTerms *ht;

		/* clauses are sorted by holder: extend the last group or start one */
		if (m->nholders > 0 && strcmp(m->holders[m->nholders - 1].holder, cl->holder) == 0)
			ht = &m->holders[m->nholders - 1];
		else
		{
			ht = &m->holders[m->nholders++];
			ht->holder = cl->holder;
			ht->nterms = 0;
			ht->terms = palloc(n * sizeof(ShareTerm));
		}
		ht->terms[ht->nterms++] = cl->term;
	}
	for (i = 0; i < m->nholders; i++)
		termset_prepare(&m->holders[i].ts, m->holders[i].terms, m->holders[i].nterms);

	c->matches = c->matches
		? repalloc(c->matches, (c->nmatches + 1) * sizeof(ClauseMatch *))
		: palloc(sizeof(ClauseMatch *));
	c->matches[c->nmatches++] = m;
	MemoryContextSwitchTo(old);
	return m;
}

/* Every clause whose grantor, products and scope fit the flow (scratch in the caller's context). */
static const ClauseMatch *
match_clauses(RevCache *c, const text *seller, const text *product,
			  const struct varlena *channel)
{
	char	   *sellerstr = text_to_cstring(seller);
	char	   *prodstr = product ? text_to_cstring(product) : NULL;
	int			prodlen = prodstr ? strlen(prodstr) : 0;
	EndpointView view = endpoint_view(channel);
	int		   *idx = palloc(Max(c->nclauses, 1) * sizeof(int));
	int			n = 0,
				g,
				j;

	for (g = 0; g < c->ngrantors; g++)
		if (strcmp(c->grantors[g], sellerstr) == 0)
			break;
	for (j = g < c->ngrantors ? c->grantor_first[g] : 0;
		 g < c->ngrantors && j < c->grantor_first[g + 1]; j++)
	{
		RevClause  *cl = &c->clauses[c->grantor_clauses[j]];

		if (!products_match(cl->products, prodstr, prodlen))
			continue;
		if (cl->scope && !endpoint_set_contains(cl->scope, &view))
			continue;
		idx[n++] = c->grantor_clauses[j];
	}
	return intern_match(c, idx, n);
}

/*
 * The id of (seller, provider of channel): keyed states find a flow's
 * bucket by (this id, currency id) in an array rather than by hashing text.
 */
static int
seller_provider_id(RevCache *c, const char *sp, int sl, const struct varlena *channel)
{
	EndpointView v = endpoint_view(channel);
	uint64		h = hash_mix(hash_mix(0, sp, sl), v.provider, v.provider_len);
	int			mask,
				i,
				id;
	MemoryContext old;

	if (c->sp_tab == NULL)
	{
		c->sp_tabsize = 64;
		c->sp_tab = MemoryContextAllocZero(c->mcxt, c->sp_tabsize * sizeof(int));
	}
	mask = c->sp_tabsize - 1;
	for (i = h & mask; c->sp_tab[i] != 0; i = (i + 1) & mask)
	{
		id = c->sp_tab[i] - 1;
		if (c->sp_hash[id] == h && c->sp_seller_len[id] == sl &&
			c->sp_provider_len[id] == v.provider_len &&
			memcmp(c->sp_key[id], sp, sl) == 0 &&
			memcmp(c->sp_key[id] + sl, v.provider, v.provider_len) == 0)
			return id;
	}
	old = MemoryContextSwitchTo(c->mcxt);
	id = c->nsp++;
	if ((id & (id - 1)) == 0)	/* 0, 1, 2, 4, ...: grow the per-id arrays */
	{
		int			cap = Max(id * 2, 1);

		c->sp_hash = c->sp_hash ? repalloc(c->sp_hash, cap * sizeof(uint64)) : palloc(cap * sizeof(uint64));
		c->sp_key = c->sp_key ? repalloc(c->sp_key, cap * sizeof(char *)) : palloc(cap * sizeof(char *));
		c->sp_seller_len = c->sp_seller_len ? repalloc(c->sp_seller_len, cap * sizeof(int)) : palloc(cap * sizeof(int));
		c->sp_provider_len = c->sp_provider_len ? repalloc(c->sp_provider_len, cap * sizeof(int)) : palloc(cap * sizeof(int));
	}
	c->sp_hash[id] = h;
	c->sp_seller_len[id] = sl;
	c->sp_provider_len[id] = v.provider_len;
	c->sp_key[id] = palloc(Max(sl + v.provider_len, 1));
	memcpy(c->sp_key[id], sp, sl);
	memcpy(c->sp_key[id] + sl, v.provider, v.provider_len);
	c->sp_tab[i] = id + 1;
	if (c->nsp * 2 > c->sp_tabsize)
	{
		int			j;

		pfree(c->sp_tab);
		c->sp_tabsize *= 2;
		c->sp_tab = palloc0(c->sp_tabsize * sizeof(int));
		mask = c->sp_tabsize - 1;
		for (j = 0; j < c->nsp; j++)
		{
			for (i = c->sp_hash[j] & mask; c->sp_tab[i] != 0; i = (i + 1) & mask)
				;
			c->sp_tab[i] = j + 1;
		}
	}
	MemoryContextSwitchTo(old);
	return id;
}

/*
 * The share terms per holder that apply to a flow of seller with product
 * (NULL allowed) through channel, from the per-query map.  This runs for
 * every flow of a report: the key is hashed and compared where it lies,
 * and copied only the first time it is seen.
 */
static const KeyRec *
lookup_key(RevCache *c, FunctionCallInfo fcinfo, const text *seller,
		   const text *product, const struct varlena *channel)
{
	const char *sp = VARDATA_ANY(seller);
	int			sl = VARSIZE_ANY_EXHDR(seller);
	const char *pp = product ? VARDATA_ANY(product) : NULL;
	int			pl = product ? (int) VARSIZE_ANY_EXHDR(product) : -1;
	const char *cp = VARDATA_ANY(channel);
	int			cl = VARSIZE_ANY_EXHDR(channel);
	int			pn = Max(pl, 0);
	uint64		h;
	int			mask,
				i;
	KeySlot    *slot;
	KeyRec	   *r;
	const ClauseMatch *match;
	MemoryContext old;

	if (!c->clauses_loaded ||
		(!c->per_execution && !visibility_key_matches(&c->clauses_seen)))
		load_clauses(c, fcinfo);

	h = hash_mix(hash_mix(hash_mix(0, sp, sl), pp, pn) + (pl < 0), cp, cl);
	if (c->tab == NULL)
	{
		c->tabsize = 256;
		c->tab = MemoryContextAllocZero(c->clause_cxt, c->tabsize * sizeof(KeySlot));
	}
	mask = c->tabsize - 1;
	for (i = h & mask;; i = (i + 1) & mask)
	{
		slot = &c->tab[i];
		r = slot->rec;
		if (r == NULL)
			break;
		if (slot->hash == h && r->seller_len == sl && r->product_len == pl &&
			r->channel_len == cl && memcmp(r->key, sp, sl) == 0 &&
			(pn == 0 || memcmp(r->key + sl, pp, pn) == 0) &&
			memcmp(r->key + sl + pn, cp, cl) == 0)
			return r;
	}

	/* miss: match every clause against this flow */
	match = match_clauses(c, seller, product, channel);
	old = MemoryContextSwitchTo(c->clause_cxt);
	r = palloc(offsetof(KeyRec, key) + sl + pn + cl);
	r->seller_len = sl;
	r->product_len = pl;
	r->channel_len = cl;
	memcpy(r->key, sp, sl);
	if (pn > 0)
		memcpy(r->key + sl, pp, pn);
	memcpy(r->key + sl + pn, cp, cl);
	r->match = match;
	r->sp_id = seller_provider_id(c, sp, sl, channel);
	slot->hash = h;
	slot->rec = r;

	/* grow at half load */
	if (++c->tabused * 2 > c->tabsize)
	{
		KeySlot    *oldtab = c->tab;
		int			oldsize = c->tabsize,
					j;

		c->tabsize *= 2;
		c->tab = palloc0(c->tabsize * sizeof(KeySlot));
		mask = c->tabsize - 1;
		for (j = 0; j < oldsize; j++)
		{
			if (oldtab[j].rec == NULL)
				continue;
			for (i = oldtab[j].hash & mask; c->tab[i].rec != NULL; i = (i + 1) & mask)
				;
			c->tab[i] = oldtab[j];
		}
		pfree(oldtab);
	}
	MemoryContextSwitchTo(old);
	return r;
}

static inline const ClauseMatch *
lookup_terms(RevCache *c, FunctionCallInfo fcinfo, const text *seller,
			 const text *product, const struct varlena *channel)
{
	return lookup_key(c, fcinfo, seller, product, channel)->match;
}

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
static void
read_period(RevCache *c, RangeType *period, DateADT *lo, DateADT *hi)
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
	read_period(c, DatumGetRangeTypeP(d), lo, hi);
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


/* One flow's figures as the transition functions read them (read_flow_args). */
typedef struct FlowArgs
{
	int128		amount;
	DateADT		lo;
	DateADT		hi;
	const Currency *cur;
	CalGrain	grain;
	int32		fy_start;
} FlowArgs;

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
			c->parts = repalloc(c->parts, c->partcap * sizeof(RevPart));
		}
		c->parts[n].start = cc.start;
		c->parts[n].end = cc.next - 1;
		c->parts[n].gross = 0;
		c->parts[n].share = 0;
		n++;
	}
	if (!IS_VALID_DATE(c->parts[n - 1].end))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("slice of date \"%s\" reaches outside the range of type date",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(hi - 1))))));
	return n;
}

/* Is ht's holder the len bytes at name? */
static inline bool
holder_is(const HolderTerms *ht, const char *name, int len)
{
	return (int) strlen(ht->holder) == len && memcmp(ht->holder, name, len) == 0;
}

/*
 * Split one flow into c->parts: gross, and share = the sum over holders
 * (or only the holder named by holder_filter) of what each is owed.
 * terms_entry NULL and one_term NULL: no share.
 */
static int
split_flow(RevCache *c, const FlowArgs *f,
		   const ClauseMatch *terms_entry, const text *holder_filter, const RateSchedule *one_term)
{
	bool		neg = f->amount < 0;
	int128		a = neg ? -f->amount : f->amount;
	DateADT		lo = f->lo,
				hi = f->hi;
	int			n = make_slices(c, lo, hi, f->grain, f->fy_start);
	int			i;

	split_gross(a, lo, hi, c->parts, n);
	if (one_term)
	{
		ShareTerm	t = {one_term, DATEVAL_NOBEGIN, DATEVAL_NOEND};
		TermSet		ts;

		termset_prepare(&ts, &t, 1);
		split_share(a, lo, hi, c->parts, n, &ts);
	}
	if (terms_entry)
	{
		for (i = 0; i < terms_entry->nholders; i++)
		{
			const HolderTerms *ht = &terms_entry->holders[i];

			if (holder_filter && !holder_is(ht, VARDATA_ANY(holder_filter),
											VARSIZE_ANY_EXHDR(holder_filter)))
				continue;
			split_share(a, lo, hi, c->parts, n, &ht->ts);
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

/* ------------------------------------------------------------------------
 * Aggregate state: per slice sums for one group
 * ------------------------------------------------------------------------ */

/* One slice of a group's sums; one struct, so that adding to it touches one cache line. */
typedef struct RevSlice
{
	DateADT		start;
	DateADT		end;
	int64		flows;			/* parts added into the slice */
	int128		gross;
	int128		share;
} RevSlice;

typedef struct RevAggState
{
	CalGrain	grain;
	int32		fy_start;
	Currency	cur;
	int			n;
	int			cap;
	RevSlice   *sl;				/* in date order */
} RevAggState;

static RevAggState *
state_new(MemoryContext cxt, CalGrain grain, int32 fy_start, const Currency *cur, int cap)
{
	RevAggState *st = MemoryContextAllocZero(cxt, sizeof(RevAggState));

	st->grain = grain;
	st->fy_start = fy_start;
	st->cur = *cur;
	st->cap = Max(cap, 8);
	st->sl = MemoryContextAlloc(cxt, st->cap * sizeof(RevSlice));
	return st;
}

/* Insert an empty slice at position i (the array lives in the state's context). */
static void
state_insert(RevAggState *st, int i, DateADT start, DateADT end)
{
	if (st->n == st->cap)
	{
		st->cap *= 2;
		st->sl = repalloc(st->sl, st->cap * sizeof(RevSlice));
	}
	memmove(&st->sl[i + 1], &st->sl[i], (st->n - i) * sizeof(RevSlice));
	st->sl[i].start = start;
	st->sl[i].end = end;
	st->sl[i].flows = 0;
	st->sl[i].gross = 0;
	st->sl[i].share = 0;
	st->n++;
}

/* First index whose start >= s. */
static int
state_find(const RevAggState *st, DateADT s)
{
	int			lo = 0,
				hi = st->n;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (st->sl[mid].start < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
sum_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("revenue total out of range")));
}

/*
 * Bound of a slice's sums in minor units, 2^126 - 1 (about 8.5e37): with
 * |gross| and |share| within it, net = gross - share fits in int128 and
 * every sum can be negated and printed (INT128_MIN cannot).  One flow is
 * below 10^20 minor units, so only a forged state comes near it.
 */
#define REV_SUM_MAX ((int128) (((uint128) 1 << 126) - 1))

static inline bool
sum_in_range(int128 v)
{
	return v <= REV_SUM_MAX && v >= -REV_SUM_MAX;
}

/* Add a slice's figures; the slice is inserted when new. */
static inline void
state_add(RevAggState *st, DateADT start, DateADT end, int64 flows, int128 gross, int128 share, int *hint)
{
	int			i = *hint;
	RevSlice   *x;

	if (!(i < st->n && st->sl[i].start == start))
	{
		i = state_find(st, start);
		if (i >= st->n || st->sl[i].start != start)
			state_insert(st, i, start, end);
	}
	x = &st->sl[i];
	if (__builtin_add_overflow(x->flows, flows, &x->flows) ||
		__builtin_add_overflow(x->gross, gross, &x->gross) ||
		__builtin_add_overflow(x->share, share, &x->share) ||
		!sum_in_range(x->gross) || !sum_in_range(x->share))
		sum_overflow();
	*hint = i + 1;
}

static void
mixed_config(const char *what, const char *a, const char *b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot add up slices of different %s \"%s\" and \"%s\" in one group", what, a, b),
			 errhint("%s", strcmp(what, "currencies") == 0
					 ? "Group by currency: amounts of different currencies are never added together."
					 : "Pass the same grain and fy_start to every row of a group.")));
}

/* A group's rows must share currency (unless c1 is NULL), grain and fy_start. */
static void
config_check(CalGrain g1, int32 fy1, const Currency *c1,
			 CalGrain grain, int32 fy_start, const Currency *cur)
{
	if (c1 && memcmp(c1->code, cur->code, 3) != 0)
		mixed_config("currencies", c1->code, cur->code);
	if (g1 != grain)
		mixed_config("grains", calendar_grain_name(g1), calendar_grain_name(grain));
	if (fy1 != fy_start)
	{
		char		a[16],
					b[16];

		snprintf(a, sizeof(a), "%d", fy1);
		snprintf(b, sizeof(b), "%d", fy_start);
		mixed_config("fiscal year starts", a, b);
	}
}

static void
state_check(const RevAggState *st, CalGrain grain, int32 fy_start, const Currency *cur)
{
	config_check(st->grain, st->fy_start, &st->cur, grain, fy_start, cur);
}

static MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", name);
	return aggcxt;
}

/* Add the flow just split into c->parts to a state's slices. */
static void
add_parts(RevAggState *st, const RevCache *c, int n)
{
	int			hint = 0;
	int			i;

	for (i = 0; i < n; i++)
		state_add(st, c->parts[i].start, c->parts[i].end, 1,
				  c->parts[i].gross, c->parts[i].share, &hint);
}

/* Add the flow just split into c->parts to the group's state. */
static RevAggState *
accumulate(FunctionCallInfo fcinfo, RevAggState *st, RevCache *c, int n, const FlowArgs *f)
{
	if (st == NULL)
		st = state_new(agg_context(fcinfo, "dealscope aggregate"), f->grain, f->fy_start, f->cur, n);
	else
		state_check(st, f->grain, f->fy_start, f->cur);
	add_parts(st, c, n);
	return st;
}

/* Add every slice of b into a (combine). */
static void
state_merge(RevAggState *a, const RevAggState *b)
{
	int			hint = 0;
	int			i;

	for (i = 0; i < b->n; i++)
		state_add(a, b->sl[i].start, b->sl[i].end, b->sl[i].flows, b->sl[i].gross, b->sl[i].share, &hint);
}

/* Common reading of (amount, period, currency, grain, fy_start) args. */
static bool
read_flow_args(FunctionCallInfo fcinfo, RevCache *c, int a_amount, int a_period, int a_cur,
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

/*
 * prorate_agg(amount, period, currency, grain, fy_start, share) transition:
 * the model-free aggregate, usable on any table of flows.
 */
PG_FUNCTION_INFO_V1(prorate_agg_trans);
Datum
prorate_agg_trans(PG_FUNCTION_ARGS)
{
	RevAggState *st = PG_ARGISNULL(0) ? NULL : (RevAggState *) PG_GETARG_POINTER(0);
	RevCache   *c = get_cache(fcinfo);
	FlowArgs	f;
	int			n;

	(void) agg_context(fcinfo, "prorate_agg_trans");
	if (!read_flow_args(fcinfo, c, 1, 2, 3, 4, 5, &f))
		PG_RETURN_POINTER(st);
	n = split_flow(c, &f, NULL, NULL,
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
	RevCache   *c = get_cache(fcinfo);
	FlowArgs	f;
	const ClauseMatch *e;
	int			n;

	(void) agg_context(fcinfo, "revenue_agg_trans");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);
	if (!read_flow_args(fcinfo, c, 4, 6, 5, 7, 8, &f))
		PG_RETURN_POINTER(st);
	e = lookup_terms(c, fcinfo, PG_GETARG_TEXT_PP(1),
					 PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2),
					 PG_GETARG_ENDPOINT_P(3));
	n = split_flow(c, &f, e,
				   PG_ARGISNULL(9) ? NULL : PG_GETARG_TEXT_PP(9), NULL);
	PG_RETURN_POINTER(accumulate(fcinfo, st, c, n, &f));
}

/* Merge two groups' states (parallel workers, Citus workers). */
PG_FUNCTION_INFO_V1(revenue_agg_combine);
Datum
revenue_agg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = agg_context(fcinfo, "revenue_agg_combine");
	RevAggState *a = PG_ARGISNULL(0) ? NULL : (RevAggState *) PG_GETARG_POINTER(0);
	RevAggState *b = PG_ARGISNULL(1) ? NULL : (RevAggState *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = state_new(aggcxt, b->grain, b->fy_start, &b->cur, b->n);
	else
		state_check(a, b->grain, b->fy_start, &b->cur);
	state_merge(a, b);
	PG_RETURN_POINTER(a);
}

#define REV_SER_MAGIC 0x44535231	/* "DSR1" */
#define REV_SER_HEADER (4 + 1 + 1 + 3 + 4)
#define REV_SER_SLICE (4 + 4 + 8 + 16 + 16)

static void
send_int128(StringInfo buf, int128 v)
{
	pq_sendint64(buf, (int64) (v >> 64));
	pq_sendint64(buf, (int64) (uint64) v);
}

static int128
get_int128(StringInfo buf)
{
	uint64		hi = (uint64) pq_getmsgint64(buf);
	uint64		lo = (uint64) pq_getmsgint64(buf);

	return (int128) (((uint128) hi << 64) | lo);
}

/* A state's slice count and slices, network byte order. */
static void
send_slices(StringInfo buf, const RevAggState *st)
{
	int			i;

	pq_sendint32(buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint32(buf, st->sl[i].start);
		pq_sendint32(buf, st->sl[i].end);
		pq_sendint64(buf, st->sl[i].flows);
		send_int128(buf, st->sl[i].gross);
		send_int128(buf, st->sl[i].share);
	}
}

/* The state as bytes: no pointers, no OIDs, network byte order. */
PG_FUNCTION_INFO_V1(revenue_agg_serialize);
Datum
revenue_agg_serialize(PG_FUNCTION_ARGS)
{
	RevAggState *st = (RevAggState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	(void) agg_context(fcinfo, "revenue_agg_serialize");
	pq_begintypsend(&buf);
	pq_sendint32(&buf, REV_SER_MAGIC);
	pq_sendbyte(&buf, (int) st->grain);
	pq_sendbyte(&buf, st->fy_start);
	pq_sendbytes(&buf, st->cur.code, 3);
	send_slices(&buf, st);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized revenue aggregate state"),
			 errdetail("%s", detail)));
}

/* The magic number, grain and fy_start every serialized state starts with. */
static void
recv_config(StringInfo buf, uint32 magic, int minlen, CalGrain *grain, int32 *fy_start)
{
	int			g,
				fy;

	if (buf->len < minlen)
		bad_state("The state is truncated.");
	if ((uint32) pq_getmsgint(buf, 4) != magic)
		bad_state("The state does not start with the expected magic number.");
	g = pq_getmsgbyte(buf);
	fy = pq_getmsgbyte(buf);
	if (g < CAL_DAY || g > CAL_YEAR)
		bad_state("The grain is out of range.");
	if (fy < 1 || fy > 12)
		bad_state("The fiscal year start is out of range.");
	*grain = (CalGrain) g;
	*fy_start = fy;
}

/* A currency code: three upper-case letters. */
static Currency
recv_currency(StringInfo buf)
{
	char		code[3];

	if (buf->len - buf->cursor < 3)
		bad_state("The state is truncated.");
	pq_copymsgbytes(buf, code, 3);
	if (!(code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z' &&
		  code[2] >= 'A' && code[2] <= 'Z'))
		bad_state("The currency code is malformed.");
	return money_currency(code, 3);
}

/* A slice count and the slices (send_slices) into a new state. */
static RevAggState *
recv_slices(StringInfo buf, MemoryContext cxt, CalGrain grain, int32 fy_start, const Currency *cur)
{
	RevAggState *st;
	int			n,
				i;

	if (buf->len - buf->cursor < 4)
		bad_state("The state is truncated.");
	n = (int) pq_getmsgint(buf, 4);
	if (n < 0 || (int64) buf->len - buf->cursor < (int64) n * REV_SER_SLICE)
		bad_state("The slice count does not match the length of the state.");
	st = state_new(cxt, grain, fy_start, cur, n);
	for (i = 0; i < n; i++)
	{
		DateADT		s = (DateADT) pq_getmsgint(buf, 4);
		DateADT		e = (DateADT) pq_getmsgint(buf, 4);

		if (!IS_VALID_DATE(s) || !IS_VALID_DATE(e) ||
			calendar_slice_start(s, st->grain, st->fy_start) != s ||
			calendar_next_start(s, st->grain, st->fy_start) != e + 1 ||
			(i > 0 && s <= st->sl[i - 1].start))
			bad_state("A slice is not a slice of the grain or is out of order.");
		st->sl[i].start = s;
		st->sl[i].end = e;
		st->sl[i].flows = pq_getmsgint64(buf);
		if (st->sl[i].flows < 0)
			bad_state("A slice has a negative flow count.");
		st->sl[i].gross = get_int128(buf);
		st->sl[i].share = get_int128(buf);
		if (!sum_in_range(st->sl[i].gross) || !sum_in_range(st->sl[i].share))
			bad_state("A slice's gross or share lies beyond 2^126 - 1 minor units either way.");
		st->n++;
	}
	return st;
}

static void
init_recv_buffer(StringInfo buf, bytea *b)
{
	buf->data = VARDATA_ANY(b);
	buf->len = VARSIZE_ANY_EXHDR(b);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}

/* Bytes back to a state, rejecting anything truncated or inconsistent. */
PG_FUNCTION_INFO_V1(revenue_agg_deserialize);
Datum
revenue_agg_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = agg_context(fcinfo, "revenue_agg_deserialize");
	StringInfoData buf;
	RevAggState *st;
	CalGrain	grain;
	int32		fy_start;
	Currency	cur;

	init_recv_buffer(&buf, PG_GETARG_BYTEA_PP(0));
	recv_config(&buf, REV_SER_MAGIC, REV_SER_HEADER, &grain, &fy_start);
	cur = recv_currency(&buf);
	st = recv_slices(&buf, aggcxt, grain, fy_start, &cur);
	if (buf.cursor != buf.len)
		bad_state("The slice count does not match the length of the state.");
	PG_RETURN_POINTER(st);
}

/* A composite type of the extension's schema, with its blessed descriptor. */
static void
ext_row_type(FunctionCallInfo fcinfo, MemoryContext cxt, const char *name,
			 Oid *type, TupleDesc *desc)
{
	MemoryContext old;

	if (*desc)
		return;
	*type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(name),
							ObjectIdGetDatum(get_func_namespace(fcinfo->flinfo->fn_oid)));
	if (!OidIsValid(*type))
		elog(ERROR, "dealscope: type %s not found", name);
	old = MemoryContextSwitchTo(cxt);
	*desc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(*type, -1));
	MemoryContextSwitchTo(old);
}

/* The slice_total composite type. */
static void
cell_type(RevCache *c, FunctionCallInfo fcinfo)
{
	ext_row_type(fcinfo, c->mcxt, "slice_total", &c->celltype, &c->celldesc);
}

/* The seven fields of a slice_total: slice, label, currency, gross, share, net. */
static void
cell_values(Datum *v, DateADT start, DateADT end, CalGrain grain, int fy_start,
			const Currency *cur, int128 gross, int128 share)
{
	char		label[CALENDAR_LABEL_MAX];

	calendar_label(start, grain, fy_start, label);
	v[0] = DateADTGetDatum(start);
	v[1] = DateADTGetDatum(end);
	v[2] = CStringGetTextDatum(label);
	v[3] = DirectFunctionCall3(bpcharin, CStringGetDatum(cur->code),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(3 + VARHDRSZ));
	v[4] = NumericGetDatum(money_from_minor(gross, cur));
	v[5] = NumericGetDatum(money_from_minor(share, cur));
	v[6] = NumericGetDatum(money_from_minor(gross - share, cur));
}

static Datum
make_cell(RevCache *c, DateADT start, DateADT end, CalGrain grain, int fy_start,
		  const Currency *cur, int128 gross, int128 share)
{
	Datum		v[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};

	cell_values(v, start, end, grain, fy_start, cur, gross, share);
	return HeapTupleGetDatum(heap_form_tuple(c->celldesc, v, nulls));
}

static Datum
rows_array(Oid type, Datum *elems, int n)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_array(elems, n, type, typlen, typbyval, typalign));
}

static Datum
cells_array(RevCache *c, Datum *elems, int n)
{
	return rows_array(c->celltype, elems, n);
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

	(void) agg_context(fcinfo, "revenue_agg_final");
	if (st == NULL)
		PG_RETURN_NULL();
	c = get_cache(fcinfo);
	cell_type(c, fcinfo);
	elems = palloc(Max(st->n, 1) * sizeof(Datum));
	for (i = 0; i < st->n; i++)
		elems[i] = make_cell(c, st->sl[i].start, st->sl[i].end, st->grain, st->fy_start,
							 &st->cur, st->sl[i].gross, st->sl[i].share);
	PG_RETURN_DATUM(cells_array(c, elems, st->n));
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
	RevCache   *c = get_cache(fcinfo);
	FlowArgs	f;
	const ClauseMatch *e;
	Datum	   *elems;
	int			n,
				i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	if (!read_flow_args(fcinfo, c, 3, 5, 4, 6, 7, &f))
		PG_RETURN_NULL();
	e = lookup_terms(c, fcinfo, PG_GETARG_TEXT_PP(0),
					 PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1),
					 PG_GETARG_ENDPOINT_P(2));
	n = split_flow(c, &f, e,
				   PG_ARGISNULL(8) ? NULL : PG_GETARG_TEXT_PP(8), NULL);
	cell_type(c, fcinfo);
	elems = palloc(n * sizeof(Datum));
	for (i = 0; i < n; i++)
		elems[i] = make_cell(c, c->parts[i].start, c->parts[i].end, f.grain, f.fy_start, f.cur,
							 c->parts[i].gross, c->parts[i].share);
	PG_RETURN_DATUM(cells_array(c, elems, n));
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
	RevCache   *c = get_cache(fcinfo);
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
	RevPart		parts[3];

	read_period(c, PG_GETARG_RANGE_P(1), &lo, &hi);
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
		parts[n].start = cut[i];
		parts[n].end = cut[i + 1] - 1;
		n++;
	}
	if (inside < 0)
		PG_RETURN_NUMERIC(money_from_minor(0, &cur));
	split_gross(a, lo, hi, parts, n);
	PG_RETURN_NUMERIC(money_from_minor(neg ? -parts[inside].gross : parts[inside].gross, &cur));
}


/* ------------------------------------------------------------------------
 * Keyed states: per-slice sums kept apart by a key the aggregate computes
 * itself, (kind, party, provider, currency).  revenue_report aggregates the
 * whole table into one such state: no GROUP BY, so the executor hashes no
 * text key per row and calls no function to find the channel's provider;
 * the key is hashed here from bytes already at hand.
 * ------------------------------------------------------------------------ */

typedef struct KeyedBucket
{
	uint64		hash;
	int16		kind;
	int			party_len;
	int			provider_len;
	char	   *key;			/* party bytes, then provider bytes */
	RevAggState *st;			/* whose currency is the bucket's */
} KeyedBucket;

typedef struct KeyedState
{
	MemoryContext cxt;
	CalGrain	grain;
	int32		fy_start;
	int			n;
	int			cap;
	KeyedBucket *b;				/* in the order they were made */
	int		   *tab;			/* open addressing: 1 + index into b, 0 = free */
	int			tabsize;		/* power of two, at most half full */
	/*
	 * The transition function's shortcut: the buckets by (seller_provider_id,
	 * currency id) of the RevCache that numbered them (ids are per cache).
	 */
	const RevCache *direct_cache;
	RevAggState **direct;		/* [sp_id * KEYED_MAX_CURRENCIES + cur_id] */
	int			direct_nsp;
} KeyedState;

#define KEYED_SER_MAGIC 0x44534B32	/* "DSK2" */
#define KEYED_SER_HEADER (4 + 1 + 1 + 4)

static KeyedState *
keyed_new(MemoryContext cxt, CalGrain grain, int32 fy_start)
{
	KeyedState *ks = MemoryContextAllocZero(cxt, sizeof(KeyedState));

	ks->cxt = cxt;
	ks->grain = grain;
	ks->fy_start = fy_start;
	ks->cap = 16;
	ks->b = MemoryContextAlloc(cxt, ks->cap * sizeof(KeyedBucket));
	ks->tabsize = 64;
	ks->tab = MemoryContextAllocZero(cxt, ks->tabsize * sizeof(int));
	return ks;
}

static void
keyed_check(const KeyedState *ks, CalGrain grain, int32 fy_start)
{
	/* the currency is part of the key: only grain and fy_start must agree */
	config_check(ks->grain, ks->fy_start, NULL, grain, fy_start, NULL);
}

/*
 * The bucket of (kind, party, provider, currency); *made tells whether it
 * was made empty just now.
 */
static RevAggState *
keyed_bucket(KeyedState *ks, int16 kind, const char *party, int party_len,
			 const char *provider, int provider_len, const Currency *cur, bool *made)
{
	uint64		h = hash_mix(hash_mix((uint64) kind, party, party_len), provider, provider_len);
	int			mask,
				i;
	KeyedBucket *b;

	h = hash_mix(h, cur->code, 3);
	mask = ks->tabsize - 1;
	for (i = h & mask; ks->tab[i] != 0; i = (i + 1) & mask)
	{
		b = &ks->b[ks->tab[i] - 1];
		if (b->hash == h && b->kind == kind && b->party_len == party_len &&
			b->provider_len == provider_len && memcmp(b->st->cur.code, cur->code, 3) == 0 &&
			memcmp(b->key, party, party_len) == 0 &&
			memcmp(b->key + party_len, provider, provider_len) == 0)
		{
			*made = false;
			return b->st;
		}
	}

	if (ks->n == ks->cap)
	{
		ks->cap *= 2;
		ks->b = repalloc(ks->b, ks->cap * sizeof(KeyedBucket));
	}
	b = &ks->b[ks->n++];
	b->hash = h;
	b->kind = kind;
	b->party_len = party_len;
	b->provider_len = provider_len;
	b->key = MemoryContextAlloc(ks->cxt, Max(party_len + provider_len, 1));
	memcpy(b->key, party, party_len);
	memcpy(b->key + party_len, provider, provider_len);
	b->st = state_new(ks->cxt, ks->grain, ks->fy_start, cur, 8);
	ks->tab[i] = ks->n;
	*made = true;

	if (ks->n * 2 > ks->tabsize)
	{
		int			j;

		pfree(ks->tab);
		ks->tabsize *= 2;
		ks->tab = MemoryContextAllocZero(ks->cxt, ks->tabsize * sizeof(int));
		mask = ks->tabsize - 1;
		for (j = 0; j < ks->n; j++)
		{
			for (i = ks->b[j].hash & mask; ks->tab[i] != 0; i = (i + 1) & mask)
				;
			ks->tab[i] = j + 1;
		}
	}
	return b->st;
}

/* The id of a currency read by read_currency (-1: one of the spares). */
static inline int
currency_id(const RevCache *c, const Currency *cur)
{
	return (cur >= c->curs && cur < c->curs + c->ncur) ? (int) (cur - c->curs) : -1;
}

/* The bucket of (seller-provider id, currency) if the shortcut knows it, else NULL. */
static inline RevAggState *
keyed_direct(KeyedState *ks, RevCache *c, int sp_id, const Currency *cur)
{
	int			cid;

	if (ks->direct_cache != c || sp_id >= ks->direct_nsp)
		return NULL;
	cid = currency_id(c, cur);
	return cid < 0 ? NULL : ks->direct[sp_id * KEYED_MAX_CURRENCIES + cid];
}

/* Remember a bucket in the shortcut (the first cache to use a state owns it). */
static void
keyed_direct_set(KeyedState *ks, RevCache *c, int sp_id, const Currency *cur, RevAggState *st)
{
	int			cid = currency_id(c, cur);

	if (cid < 0)
		return;
	if (ks->direct_cache == NULL)
		ks->direct_cache = c;
	if (ks->direct_cache != c)
		return;
	if (sp_id >= ks->direct_nsp)
	{
		int			nsp = Max(c->nsp, sp_id + 1) * 2;
		Size		size = (Size) nsp * KEYED_MAX_CURRENCIES * sizeof(RevAggState *);

		if (ks->direct == NULL)
			ks->direct = MemoryContextAllocZero(ks->cxt, size);
		else
		{
			ks->direct = repalloc(ks->direct, size);
			memset(ks->direct + (Size) ks->direct_nsp * KEYED_MAX_CURRENCIES, 0,
				   (Size) (nsp - ks->direct_nsp) * KEYED_MAX_CURRENCIES * sizeof(RevAggState *));
		}
		ks->direct_nsp = nsp;
	}
	ks->direct[sp_id * KEYED_MAX_CURRENCIES + cid] = st;
}

/*
 * Does [lo, hi) overlap the window (a daterange argument, the same for
 * every row in practice: decoded once and then recognised by its bytes)?
 * A NULL window lets every flow in.
 */
static bool
in_window(RevCache *c, FunctionCallInfo fcinfo, int arg, DateADT lo, DateADT hi)
{
	struct varlena *w;

	if (PG_ARGISNULL(arg))
		return true;
	w = (struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(arg));
	if (c->win == NULL || VARSIZE_ANY(c->win) != VARSIZE_ANY(w) ||
		memcmp(c->win, w, VARSIZE_ANY(w)) != 0)
	{
		RangeType  *r = DatumGetRangeTypeP(PointerGetDatum(w));
		TypeCacheEntry *tc = lookup_type_cache(RangeTypeGetOid(r), TYPECACHE_RANGE_INFO);
		RangeBound	l,
					u;
		bool		empty;

		range_deserialize(tc, r, &l, &u, &empty);
		if (c->win)
			pfree(c->win);
		c->win = MemoryContextAlloc(c->mcxt, VARSIZE_ANY(w));
		memcpy(c->win, w, VARSIZE_ANY(w));
		if (empty)
		{
			/* nothing overlaps an empty window: [+inf, -inf) */
			c->win_lo_inf = c->win_hi_inf = false;
			c->win_lo = DATEVAL_NOEND;
			c->win_hi = DATEVAL_NOBEGIN;
		}
		else
		{
			c->win_lo_inf = l.infinite;
			c->win_hi_inf = u.infinite;
			c->win_lo = l.infinite ? 0 : DatumGetDateADT(l.val);
			c->win_hi = u.infinite ? 0 : DatumGetDateADT(u.val);
		}
	}
	return (c->win_hi_inf || lo < c->win_hi) && (c->win_lo_inf || c->win_lo < hi);
}

/*
 * The common start of the keyed transition functions: read the flow from
 * the arguments a, a + 1, ... (amount, currency, period, grain, fy_start,
 * window) into f, and return the state, made or checked; NULL when the row
 * adds nothing (a NULL argument, or outside the window).
 */
static KeyedState *
keyed_flow(FunctionCallInfo fcinfo, RevCache *c, int a, FlowArgs *f)
{
	KeyedState *ks = PG_ARGISNULL(0) ? NULL : (KeyedState *) PG_GETARG_POINTER(0);
	MemoryContext aggcxt = agg_context(fcinfo, "dealscope keyed aggregate");

	if (!read_flow_args(fcinfo, c, a, a + 2, a + 1, a + 3, a + 4, f) ||
		!in_window(c, fcinfo, a + 5, f->lo, f->hi))
		return NULL;
	if (ks == NULL)
		ks = keyed_new(aggcxt, f->grain, f->fy_start);
	else
		keyed_check(ks, f->grain, f->fy_start);
	return ks;
}

/*
 * revenue_provider_agg(seller, product, channel, amount, currency, period,
 * grain, fy_start, window) transition: revenue_agg for every holder, kept
 * apart per (seller, provider of the channel, currency), over the flows
 * whose period overlaps window.  What revenue_report is built on.
 */
PG_FUNCTION_INFO_V1(revenue_provider_agg_trans);
Datum
revenue_provider_agg_trans(PG_FUNCTION_ARGS)
{
	RevCache   *c = get_cache(fcinfo);
	KeyedState *ks;
	FlowArgs	f;
	text	   *seller;
	struct varlena *channel;
	const KeyRec *r;
	RevAggState *st;
	int			n;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || (ks = keyed_flow(fcinfo, c, 4, &f)) == NULL)
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	seller = PG_GETARG_TEXT_PP(1);
	channel = PG_GETARG_ENDPOINT_P(3);
	r = lookup_key(c, fcinfo, seller, PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2), channel);
	n = split_flow(c, &f, r->match, NULL, NULL);
	st = keyed_direct(ks, c, r->sp_id, f.cur);
	if (st == NULL)
	{
		EndpointView view = endpoint_view(channel);
		bool		made;

		st = keyed_bucket(ks, 0, VARDATA_ANY(seller), VARSIZE_ANY_EXHDR(seller),
						  view.provider, view.provider_len, f.cur, &made);
		keyed_direct_set(ks, c, r->sp_id, f.cur, st);
	}
	add_parts(st, c, n);
	PG_RETURN_POINTER(ks);
}

/* Merge two keyed states bucket by bucket. */
PG_FUNCTION_INFO_V1(keyed_agg_combine);
Datum
keyed_agg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = agg_context(fcinfo, "keyed_agg_combine");
	KeyedState *a = PG_ARGISNULL(0) ? NULL : (KeyedState *) PG_GETARG_POINTER(0);
	KeyedState *b = PG_ARGISNULL(1) ? NULL : (KeyedState *) PG_GETARG_POINTER(1);
	int			i;

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = keyed_new(aggcxt, b->grain, b->fy_start);
	else
		keyed_check(a, b->grain, b->fy_start);
	for (i = 0; i < b->n; i++)
	{
		const KeyedBucket *kb = &b->b[i];
		bool		made;

		state_merge(keyed_bucket(a, kb->kind, kb->key, kb->party_len, kb->key + kb->party_len,
								 kb->provider_len, &kb->st->cur, &made),
					kb->st);
	}
	PG_RETURN_POINTER(a);
}

/* The keyed state as bytes: per bucket kind, party, provider, currency, slices. */
PG_FUNCTION_INFO_V1(keyed_agg_serialize);
Datum
keyed_agg_serialize(PG_FUNCTION_ARGS)
{
	KeyedState *ks = (KeyedState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	(void) agg_context(fcinfo, "keyed_agg_serialize");
	pq_begintypsend(&buf);
	pq_sendint32(&buf, KEYED_SER_MAGIC);
	pq_sendbyte(&buf, (int) ks->grain);
	pq_sendbyte(&buf, ks->fy_start);
	pq_sendint32(&buf, ks->n);
	for (i = 0; i < ks->n; i++)
	{
		const KeyedBucket *b = &ks->b[i];

		pq_sendint16(&buf, b->kind);
		pq_sendint32(&buf, b->party_len);
		pq_sendbytes(&buf, b->key, b->party_len);
		pq_sendint32(&buf, b->provider_len);
		pq_sendbytes(&buf, b->key + b->party_len, b->provider_len);
		pq_sendbytes(&buf, b->st->cur.code, 3);
		send_slices(&buf, b->st);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* A length-prefixed byte string of a serialized state. */
static const char *
recv_bytes(StringInfo buf, int *len)
{
	if (buf->len - buf->cursor < 4)
		bad_state("The state is truncated.");
	*len = (int) pq_getmsgint(buf, 4);
	if (*len < 0 || *len > buf->len - buf->cursor)
		bad_state("The state is truncated.");
	return pq_getmsgbytes(buf, *len);
}

/*
 * A bucket's key as keyed_bucket makes it: a party name is text (no NUL,
 * valid in the database's encoding: keyed_agg_final turns it into text
 * unchecked), a provider an endpoint's provider segment; kind 1 has no
 * party, kinds 2 to 4 no provider.
 */
static void
check_bucket_key(int16 kind, const char *party, int party_len,
				 const char *provider, int provider_len)
{
	char		bad[8];

	if (kind == 1 ? party_len != 0 : kind != 0 && provider_len != 0)
		bad_state("A bucket's key does not fit its kind.");
	if (!pg_verify_mbstr(GetDatabaseEncoding(), party, party_len, true))
		bad_state("A party name holds a NUL byte or is not valid in the database encoding.");
	if ((kind == 0 || kind == 1) &&
		endpoint_segment_problem(provider, provider_len, bad, sizeof(bad)) != NULL)
		bad_state("A provider name is not a valid endpoint provider.");
}

/* Bytes back to a keyed state, rejecting anything truncated or inconsistent. */
PG_FUNCTION_INFO_V1(keyed_agg_deserialize);
Datum
keyed_agg_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = agg_context(fcinfo, "keyed_agg_deserialize");
	StringInfoData buf;
	KeyedState *ks;
	CalGrain	grain;
	int32		fy_start;
	int			nb,
				i;

	init_recv_buffer(&buf, PG_GETARG_BYTEA_PP(0));
	recv_config(&buf, KEYED_SER_MAGIC, KEYED_SER_HEADER, &grain, &fy_start);
	nb = (int) pq_getmsgint(&buf, 4);
	if (nb < 0 || nb > buf.len)
		bad_state("The bucket count does not match the length of the state.");
	ks = keyed_new(aggcxt, grain, fy_start);
	for (i = 0; i < nb; i++)
	{
		int16		kind;
		int			party_len,
					provider_len;
		const char *party,
				   *provider;
		Currency	cur;
		RevAggState *st;
		bool		made;

		if (buf.len - buf.cursor < 2)
			bad_state("The state is truncated.");
		kind = (int16) pq_getmsgint(&buf, 2);
		if (kind < 0 || kind > 4)
			bad_state("A bucket's kind is out of range.");
		party = recv_bytes(&buf, &party_len);
		provider = recv_bytes(&buf, &provider_len);
		check_bucket_key(kind, party, party_len, provider, provider_len);
		cur = recv_currency(&buf);
		st = recv_slices(&buf, aggcxt, grain, fy_start, &cur);
		state_merge(keyed_bucket(ks, kind, party, party_len, provider, provider_len, &cur, &made), st);
		if (!made)
			bad_state("A bucket appears twice.");
		pfree(st->sl);			/* merged: the copy is not kept */
		pfree(st);
	}
	if (buf.cursor != buf.len)
		bad_state("The bucket count does not match the length of the state.");
	PG_RETURN_POINTER(ks);
}

/* The buckets' slices as keyed_slice_total[]: bucket by bucket, slices in date order. */
PG_FUNCTION_INFO_V1(keyed_agg_final);
Datum
keyed_agg_final(PG_FUNCTION_ARGS)
{
	KeyedState *ks = PG_ARGISNULL(0) ? NULL : (KeyedState *) PG_GETARG_POINTER(0);
	RevCache   *c;
	Datum	   *elems;
	int			total = 0,
				k = 0,
				i,
				j;

	(void) agg_context(fcinfo, "keyed_agg_final");
	if (ks == NULL)
		PG_RETURN_NULL();
	c = get_cache(fcinfo);
	ext_row_type(fcinfo, c->mcxt, "keyed_slice_total", &c->keyedtype, &c->keyeddesc);
	for (i = 0; i < ks->n; i++)
		total += ks->b[i].st->n;
	/* for the benchmark's memory figure: cells, never rows */
	elog(DEBUG1, "dealscope keyed state: %d keys, %d cells, %zu bytes",
		 ks->n, total, (size_t) MemoryContextMemAllocated(ks->cxt, true));
	elems = palloc(Max(total, 1) * sizeof(Datum));
	for (i = 0; i < ks->n; i++)
	{
		const KeyedBucket *b = &ks->b[i];
		const RevAggState *st = b->st;
		Datum		party = PointerGetDatum(cstring_to_text_with_len(b->key, b->party_len));
		Datum		provider = PointerGetDatum(cstring_to_text_with_len(b->key + b->party_len,
																		b->provider_len));

		for (j = 0; j < st->n; j++)
		{
			Datum		v[10];
			bool		nulls[10] = {false, false, false, false, false, false, false, false, false, false};

			v[0] = Int32GetDatum(b->kind);
			v[1] = party;
			v[2] = provider;
			cell_values(v + 3, st->sl[j].start, st->sl[j].end, ks->grain, ks->fy_start,
						&st->cur, st->sl[j].gross, st->sl[j].share);
			elems[k++] = HeapTupleGetDatum(heap_form_tuple(c->keyeddesc, v, nulls));
		}
	}
	PG_RETURN_DATUM(rows_array(c->keyedtype, elems, total));
}

/* Add the flow just split into c->parts to bucket (kind, party, provider, cur). */
static void
keyed_add(KeyedState *ks, RevCache *c, int n, int16 kind, const char *party, int party_len,
		  const char *provider, int provider_len, const Currency *cur)
{
	bool		made;

	add_parts(keyed_bucket(ks, kind, party, party_len, provider, provider_len, cur, &made), c, n);
}

/*
 * exposure_agg(party, seller, buyer, product, channel, amount, currency,
 * period, grain, fy_start, window) transition: one pass over the flows for
 * every figure of exposure(), kept apart by kind:
 *   1 revenue party earned, per provider of the channel (gross);
 *   2 share party owes, per holder other than party (share);
 *   3 share owed to party under seller's clauses, per seller (share);
 *   4 what party spent, per seller (gross).
 * Each share is split and rounded per (flow, holder), as revenue_agg does.
 */
PG_FUNCTION_INFO_V1(exposure_agg_trans);
Datum
exposure_agg_trans(PG_FUNCTION_ARGS)
{
	RevCache   *c = get_cache(fcinfo);
	KeyedState *ks;
	FlowArgs	f;
	text	   *party,
			   *seller;
	const char *pp,
			   *sp;
	int			pl,
				sl,
				n,
				i;
	bool		is_seller,
				is_buyer;
	struct varlena *channel;
	const ClauseMatch *m;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (ks = keyed_flow(fcinfo, c, 6, &f)) == NULL)
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	party = PG_GETARG_TEXT_PP(1);
	seller = PG_GETARG_TEXT_PP(2);
	pp = VARDATA_ANY(party);
	pl = VARSIZE_ANY_EXHDR(party);
	sp = VARDATA_ANY(seller);
	sl = VARSIZE_ANY_EXHDR(seller);
	is_seller = (sl == pl && memcmp(sp, pp, pl) == 0);
	is_buyer = false;
	if (!is_seller && !PG_ARGISNULL(3))
	{
		text	   *buyer = PG_GETARG_TEXT_PP(3);

		is_buyer = ((int) VARSIZE_ANY_EXHDR(buyer) == pl && memcmp(VARDATA_ANY(buyer), pp, pl) == 0);
	}

	if (is_buyer)
	{
		n = split_flow(c, &f, NULL, NULL, NULL);
		keyed_add(ks, c, n, 4, sp, sl, "", 0, f.cur);
	}
	/* revenue and shares need the channel (as revenue_agg does); spend does not */
	if (PG_ARGISNULL(5))
		PG_RETURN_POINTER(ks);
	channel = PG_GETARG_ENDPOINT_P(5);
	m = lookup_terms(c, fcinfo, seller, PG_ARGISNULL(4) ? NULL : PG_GETARG_TEXT_PP(4), channel);
	if (is_seller)
	{
		EndpointView view = endpoint_view(channel);

		n = split_flow(c, &f, NULL, NULL, NULL);
		keyed_add(ks, c, n, 1, "", 0, view.provider, view.provider_len, f.cur);
	}
	for (i = 0; i < m->nholders; i++)
	{
		const HolderTerms *ht = &m->holders[i];
		ClauseMatch one = {0, NULL, 1, (HolderTerms *) ht};
		bool		to_party = holder_is(ht, pp, pl);

		/* the party's own share to itself is no exposure */
		if (is_seller ? to_party : !to_party)
			continue;
		n = split_flow(c, &f, &one, NULL, NULL);
		if (is_seller)
			keyed_add(ks, c, n, 2, ht->holder, strlen(ht->holder), "", 0, f.cur);
		else
			keyed_add(ks, c, n, 3, sp, sl, "", 0, f.cur);
	}
	PG_RETURN_POINTER(ks);
}
