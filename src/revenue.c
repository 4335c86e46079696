/*
 * revenue.c — time-sliced revenue with revenue shares (SPEC 3, 4, 5): the
 * aggregates prorate_agg() and revenue_agg() that the reports are built on,
 * the per-flow revenue_split() behind revenue_slices(), and
 * prorate_within(), the part of a flow earned inside a date range.
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
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
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
#include "rate_schedule.h"

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

static int64
gcd64(int64 a, int64 b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b != 0)
	{
		int64		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

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

			g = gcd64(g, sg->r0);
			g = gcd64(g, sg->r1);
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
 * linear scan; many (day grain over a long period) by ranking once.
 */
static void
distribute(RevPart *parts, int n, int128 k, bool to_share)
{
	int			i;

	if (k < 0 || k > n)
		elog(ERROR, "revenue split: %d units to distribute over %d slices", (int) k, n);
	if (k * n <= 256)
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
	int128		q = a / nd;
	int64		r = (int64) (a % nd);
	int128		sum = 0;
	int			i;

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
	distribute(parts, n, a - sum, false);
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
	int128		tn,
				td,
				total,
				sum = 0;
	int			i;

	if (a == 0)
		return;
	if (ts->M > 0)
	{
		tn = termset_sum_fixed(ts, lo, hi);
		td = ts->D;
	}
	else
		terms_sum(ts->terms, ts->nterms, lo, hi, &tn, &td);
	if (tn == 0)
		return;
	total = round_half_even(mul128(a, tn), mul128(td, nd));
	for (i = 0; i < n; i++)
	{
		RevPart    *p = &parts[i];
		int128		sn,
					sd,
					x,
					d;

		if (ts->M > 0)
		{
			sn = termset_sum_fixed(ts, Max(p->start, lo), Min(p->end + 1, hi));
			sd = ts->D;
		}
		else
			terms_sum(ts->terms, ts->nterms, Max(p->start, lo), Min(p->end + 1, hi), &sn, &sd);
		x = mul128(a, sn);
		d = mul128(sd, nd);
		divmod128(x, d, &p->hshare, &p->rem_num);
		p->rem_den = d;
		sum += p->hshare;
	}
	distribute(parts, n, total - sum, true);
	for (i = 0; i < n; i++)
		parts[i].share += parts[i].hshare;
}

/* ------------------------------------------------------------------------
 * Per-call cache: clauses, the (seller, product, channel) -> terms map,
 * scratch buffers.  Lives in fn_mcxt, so it is built once per query (and
 * once per parallel worker).
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

typedef struct KeyEntry
{
	uint32		hash;
	int			keylen;			/* 0 = free slot */
	char	   *key;
	int			nholders;
	HolderTerms *holders;
} KeyEntry;

typedef struct RevCache
{
	MemoryContext mcxt;
	bool		clauses_loaded;
	int			nclauses;
	RevClause  *clauses;
	KeyEntry   *tab;
	int			tabsize;		/* power of two */
	int			tabused;
	StringInfoData keybuf;
	RevPart    *parts;
	int			partcap;
	TypeCacheEntry *rngtype;
	Oid			celltype;		/* slice_total */
	TupleDesc	celldesc;
	/* the last grain and currency seen, to skip parsing them again */
	bool		have_grain;
	CalGrain	grain;
	int			grain_len;
	char		grain_name[8];
	/* the last currency seen, to skip re-validating it */
	Currency	cur;
	bool		have_cur;
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
		initStringInfo(&c->keybuf);
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

/* Read every revenue_share clause once (SPI), sorted by holder. */
static void
load_clauses(RevCache *c, FunctionCallInfo fcinfo)
{
	char	   *sql;
	uint64		i;
	MemoryContext old;

	sql = psprintf("SELECT holder, grantor, products, scope, "
				   "pg_catalog.lower(valid), pg_catalog.upper(valid), rate "
				   "FROM %s.clause WHERE kind OPERATOR(pg_catalog.=) 'revenue_share' "
				   "ORDER BY holder COLLATE pg_catalog.\"C\", id COLLATE pg_catalog.\"C\"",
				   quote_identifier(ext_schema(fcinfo)));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "dealscope: SPI_connect failed");
	if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "dealscope: reading revenue_share clauses failed");

	old = MemoryContextSwitchTo(c->mcxt);
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
	MemoryContextSwitchTo(old);
	SPI_finish();
	c->clauses_loaded = true;
}

static void
append_field(StringInfo buf, const char *p, int len)
{
	appendBinaryStringInfo(buf, (const char *) &len, sizeof(int));
	if (len > 0)
		appendBinaryStringInfo(buf, p, len);
}

/*
 * The share terms per holder that apply to a flow of seller with product
 * (NULL allowed) through channel, from the per-query map.
 */
static KeyEntry *
lookup_terms(RevCache *c, FunctionCallInfo fcinfo, const text *seller,
			 const text *product, const struct varlena *channel)
{
	StringInfo	kb = &c->keybuf;
	uint32		h;
	int			mask,
				i;
	KeyEntry   *e;
	MemoryContext old;
	EndpointView view;
	char	   *sellerstr;
	char	   *prodstr = NULL;
	int			prodlen = 0;
	int			j;

	if (!c->clauses_loaded)
		load_clauses(c, fcinfo);

	resetStringInfo(kb);
	append_field(kb, VARDATA_ANY(seller), VARSIZE_ANY_EXHDR(seller));
	if (product)
		append_field(kb, VARDATA_ANY(product), VARSIZE_ANY_EXHDR(product));
	else
		append_field(kb, NULL, -1);
	append_field(kb, VARDATA_ANY(channel), VARSIZE_ANY_EXHDR(channel));
	h = hash_bytes((const unsigned char *) kb->data, kb->len);

	if (c->tab == NULL)
	{
		c->tabsize = 256;
		c->tab = MemoryContextAllocZero(c->mcxt, c->tabsize * sizeof(KeyEntry));
	}
	mask = c->tabsize - 1;
	for (i = h & mask;; i = (i + 1) & mask)
	{
		e = &c->tab[i];
		if (e->keylen == 0)
			break;
		if (e->hash == h && e->keylen == kb->len && memcmp(e->key, kb->data, kb->len) == 0)
			return e;
	}

	/* miss: match every clause against this flow */
	old = MemoryContextSwitchTo(c->mcxt);
	e->hash = h;
	e->keylen = kb->len;
	e->key = palloc(kb->len);
	memcpy(e->key, kb->data, kb->len);
	e->nholders = 0;
	e->holders = NULL;

	sellerstr = text_to_cstring(seller);
	if (product)
	{
		prodstr = text_to_cstring(product);
		prodlen = strlen(prodstr);
	}
	view = endpoint_view(channel);
	for (j = 0; j < c->nclauses; j++)
	{
		RevClause  *cl = &c->clauses[j];
		HolderTerms *ht;

		if (strcmp(cl->grantor, sellerstr) != 0)
			continue;
		if (!products_match(cl->products, prodstr, prodlen))
			continue;
		if (cl->scope && !endpoint_set_contains(cl->scope, &view))
			continue;
		/* clauses are sorted by holder: extend the last group or start one */
		if (e->nholders > 0 && strcmp(e->holders[e->nholders - 1].holder, cl->holder) == 0)
			ht = &e->holders[e->nholders - 1];
		else
		{
			e->holders = e->holders
				? repalloc(e->holders, (e->nholders + 1) * sizeof(HolderTerms))
				: palloc(sizeof(HolderTerms));
			ht = &e->holders[e->nholders++];
			ht->holder = cl->holder;
			ht->nterms = 0;
			ht->terms = NULL;
		}
		ht->terms = ht->terms
			? repalloc(ht->terms, (ht->nterms + 1) * sizeof(ShareTerm))
			: palloc(sizeof(ShareTerm));
		ht->terms[ht->nterms++] = cl->term;
	}
	for (j = 0; j < e->nholders; j++)
		termset_prepare(&e->holders[j].ts, e->holders[j].terms, e->holders[j].nterms);
	MemoryContextSwitchTo(old);

	/* grow at half load */
	if (++c->tabused * 2 > c->tabsize)
	{
		KeyEntry   *oldtab = c->tab;
		int			oldsize = c->tabsize;

		c->tabsize *= 2;
		c->tab = MemoryContextAllocZero(c->mcxt, c->tabsize * sizeof(KeyEntry));
		mask = c->tabsize - 1;
		for (j = 0; j < oldsize; j++)
		{
			if (oldtab[j].keylen == 0)
				continue;
			for (i = oldtab[j].hash & mask; c->tab[i].keylen != 0; i = (i + 1) & mask)
				;
			c->tab[i] = oldtab[j];
			if (&oldtab[j] == e)
				e = &c->tab[i];
		}
		pfree(oldtab);
	}
	return e;
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
}

/* The currency of a row, validated once per distinct code in a row. */
static const Currency *
read_currency(RevCache *c, const text *code)
{
	int			len = VARSIZE_ANY_EXHDR(code);

	if (!(c->have_cur && len == 3 && memcmp(VARDATA_ANY(code), c->cur.code, 3) == 0))
	{
		c->cur = money_currency(VARDATA_ANY(code), len);
		c->have_cur = true;
	}
	return &c->cur;
}


/*
 * Fill c->parts with the slices [lo, hi) touches; returns their number.
 * The first slice comes from the calendar; the next ones by plain month or
 * day arithmetic, which is what the calendar does, minus a date
 * conversion per slice (this runs for every flow of a report).
 */
static int
make_slices(RevCache *c, DateADT lo, DateADT hi, CalGrain grain, int fy_start)
{
	DateADT		s = calendar_slice_start(lo, grain, fy_start);
	int			months = cal_grain_months(grain);
	int			step = grain == CAL_DAY ? 1 : 7;
	int			y = 0,
				m = 0,
				d = 0,
				n = 0;

	if (months > 0)
		j2date(s + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	while (s < hi)
	{
		DateADT		next;

		if (months > 0)
		{
			m += months;
			if (m > 12)
			{
				y += (m - 1) / 12;
				m = (m - 1) % 12 + 1;
			}
			next = date2j(y, m, 1) - POSTGRES_EPOCH_JDATE;
		}
		else
			next = s + step;
		if (n == c->partcap)
		{
			c->partcap *= 2;
			c->parts = repalloc(c->parts, c->partcap * sizeof(RevPart));
		}
		c->parts[n].start = s;
		c->parts[n].end = next - 1;
		c->parts[n].gross = 0;
		c->parts[n].share = 0;
		n++;
		s = next;
	}
	if (!IS_VALID_DATE(c->parts[n - 1].end))
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
static int
split_flow(RevCache *c, int128 amount, DateADT lo, DateADT hi, CalGrain grain, int fy_start,
		   const KeyEntry *terms_entry, const text *holder_filter, const RateSchedule *one_term)
{
	bool		neg = amount < 0;
	int128		a = neg ? -amount : amount;
	int			n = make_slices(c, lo, hi, grain, fy_start);
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

			if (holder_filter)
			{
				int			len = VARSIZE_ANY_EXHDR(holder_filter);

				if ((int) strlen(ht->holder) != len ||
					memcmp(ht->holder, VARDATA_ANY(holder_filter), len) != 0)
					continue;
			}
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

typedef struct RevAggState
{
	CalGrain	grain;
	int32		fy_start;
	Currency	cur;
	int			n;
	int			cap;
	DateADT    *start;
	DateADT    *end;
	int64	   *flows;			/* parts added into the slice */
	int128	   *gross;
	int128	   *share;
} RevAggState;

static RevAggState *
state_new(MemoryContext cxt, CalGrain grain, int32 fy_start, const Currency *cur, int cap)
{
	RevAggState *st = MemoryContextAllocZero(cxt, sizeof(RevAggState));

	st->grain = grain;
	st->fy_start = fy_start;
	st->cur = *cur;
	st->cap = Max(cap, 8);
	st->start = MemoryContextAlloc(cxt, st->cap * sizeof(DateADT));
	st->end = MemoryContextAlloc(cxt, st->cap * sizeof(DateADT));
	st->flows = MemoryContextAlloc(cxt, st->cap * sizeof(int64));
	st->gross = MemoryContextAlloc(cxt, st->cap * sizeof(int128));
	st->share = MemoryContextAlloc(cxt, st->cap * sizeof(int128));
	return st;
}

/* Insert an empty slice at position i (the arrays live in the state's context). */
static void
state_insert(RevAggState *st, int i, DateADT start, DateADT end)
{
	if (st->n == st->cap)
	{
		st->cap *= 2;
		st->start = repalloc(st->start, st->cap * sizeof(DateADT));
		st->end = repalloc(st->end, st->cap * sizeof(DateADT));
		st->flows = repalloc(st->flows, st->cap * sizeof(int64));
		st->gross = repalloc(st->gross, st->cap * sizeof(int128));
		st->share = repalloc(st->share, st->cap * sizeof(int128));
	}
	memmove(&st->start[i + 1], &st->start[i], (st->n - i) * sizeof(DateADT));
	memmove(&st->end[i + 1], &st->end[i], (st->n - i) * sizeof(DateADT));
	memmove(&st->flows[i + 1], &st->flows[i], (st->n - i) * sizeof(int64));
	memmove(&st->gross[i + 1], &st->gross[i], (st->n - i) * sizeof(int128));
	memmove(&st->share[i + 1], &st->share[i], (st->n - i) * sizeof(int128));
	st->start[i] = start;
	st->end[i] = end;
	st->flows[i] = 0;
	st->gross[i] = 0;
	st->share[i] = 0;
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

		if (st->start[mid] < s)
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

/* Add a slice's figures; the slice is inserted when new. */
static void
state_add(RevAggState *st, DateADT start, DateADT end, int64 flows, int128 gross, int128 share, int *hint)
{
	int			i = *hint;

	if (!(i < st->n && st->start[i] == start))
	{
		i = state_find(st, start);
		if (i >= st->n || st->start[i] != start)
			state_insert(st, i, start, end);
	}
	st->flows[i] += flows;
	if (__builtin_add_overflow(st->gross[i], gross, &st->gross[i]) ||
		__builtin_add_overflow(st->share[i], share, &st->share[i]))
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

static void
state_check(const RevAggState *st, CalGrain grain, int32 fy_start, const Currency *cur)
{
	if (memcmp(st->cur.code, cur->code, 3) != 0)
		mixed_config("currencies", st->cur.code, cur->code);
	if (st->grain != grain)
		mixed_config("grains", calendar_grain_name(st->grain), calendar_grain_name(grain));
	if (st->fy_start != fy_start)
	{
		char		a[16],
					b[16];

		snprintf(a, sizeof(a), "%d", st->fy_start);
		snprintf(b, sizeof(b), "%d", fy_start);
		mixed_config("fiscal year starts", a, b);
	}
}

static MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", name);
	return aggcxt;
}

/* Add the flow just split into c->parts to the group's state. */
static RevAggState *
accumulate(FunctionCallInfo fcinfo, RevAggState *st, RevCache *c, int n,
		   CalGrain grain, int32 fy_start, const Currency *cur)
{
	int			hint = 0;
	int			i;

	if (st == NULL)
		st = state_new(agg_context(fcinfo, "dealscope aggregate"), grain, fy_start, cur, n);
	else
		state_check(st, grain, fy_start, cur);
	for (i = 0; i < n; i++)
		state_add(st, c->parts[i].start, c->parts[i].end, 1,
				  c->parts[i].gross, c->parts[i].share, &hint);
	return st;
}

/* Common reading of (amount, period, currency, grain, fy_start) args. */
static bool
read_flow_args(FunctionCallInfo fcinfo, RevCache *c, int a_amount, int a_period, int a_cur,
			   int a_grain, int a_fy, int128 *amount, DateADT *lo, DateADT *hi,
			   const Currency **cur, CalGrain *grain, int32 *fy_start)
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
		*grain = c->grain;
	}
	*fy_start = PG_GETARG_INT32(a_fy);
	calendar_check_fy_start(*fy_start);
	*cur = read_currency(c, PG_GETARG_TEXT_PP(a_cur));
	*amount = money_to_minor(PG_GETARG_NUMERIC(a_amount), *cur);
	read_period(c, PG_GETARG_RANGE_P(a_period), lo, hi);
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
	int128		amount;
	DateADT		lo,
				hi;
	const Currency *cur;
	CalGrain	grain;
	int32		fy_start;
	int			n;

	(void) agg_context(fcinfo, "prorate_agg_trans");
	if (!read_flow_args(fcinfo, c, 1, 2, 3, 4, 5, &amount, &lo, &hi, &cur, &grain, &fy_start))
		PG_RETURN_POINTER(st);
	n = split_flow(c, amount, lo, hi, grain, fy_start, NULL, NULL,
				   PG_ARGISNULL(6) ? NULL : PG_GETARG_RATE_SCHEDULE_P(6));
	PG_RETURN_POINTER(accumulate(fcinfo, st, c, n, grain, fy_start, cur));
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
	int128		amount;
	DateADT		lo,
				hi;
	const Currency *cur;
	CalGrain	grain;
	int32		fy_start;
	KeyEntry   *e;
	int			n;

	(void) agg_context(fcinfo, "revenue_agg_trans");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);
	if (!read_flow_args(fcinfo, c, 4, 6, 5, 7, 8, &amount, &lo, &hi, &cur, &grain, &fy_start))
		PG_RETURN_POINTER(st);
	e = lookup_terms(c, fcinfo, PG_GETARG_TEXT_PP(1),
					 PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2),
					 PG_GETARG_ENDPOINT_P(3));
	n = split_flow(c, amount, lo, hi, grain, fy_start, e,
				   PG_ARGISNULL(9) ? NULL : PG_GETARG_TEXT_PP(9), NULL);
	PG_RETURN_POINTER(accumulate(fcinfo, st, c, n, grain, fy_start, cur));
}

/* Merge two groups' states (parallel workers, Citus workers). */
PG_FUNCTION_INFO_V1(revenue_agg_combine);
Datum
revenue_agg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = agg_context(fcinfo, "revenue_agg_combine");
	RevAggState *a = PG_ARGISNULL(0) ? NULL : (RevAggState *) PG_GETARG_POINTER(0);
	RevAggState *b = PG_ARGISNULL(1) ? NULL : (RevAggState *) PG_GETARG_POINTER(1);
	int			hint = 0;
	int			i;

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = state_new(aggcxt, b->grain, b->fy_start, &b->cur, b->n);
	else
		state_check(a, b->grain, b->fy_start, &b->cur);
	for (i = 0; i < b->n; i++)
		state_add(a, b->start[i], b->end[i], b->flows[i], b->gross[i], b->share[i], &hint);
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

/* The state as bytes: no pointers, no OIDs, network byte order. */
PG_FUNCTION_INFO_V1(revenue_agg_serialize);
Datum
revenue_agg_serialize(PG_FUNCTION_ARGS)
{
	RevAggState *st = (RevAggState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	(void) agg_context(fcinfo, "revenue_agg_serialize");
	pq_begintypsend(&buf);
	pq_sendint32(&buf, REV_SER_MAGIC);
	pq_sendbyte(&buf, (int) st->grain);
	pq_sendbyte(&buf, st->fy_start);
	pq_sendbytes(&buf, st->cur.code, 3);
	pq_sendint32(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint32(&buf, st->start[i]);
		pq_sendint32(&buf, st->end[i]);
		pq_sendint64(&buf, st->flows[i]);
		send_int128(&buf, st->gross[i]);
		send_int128(&buf, st->share[i]);
	}
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

/* Bytes back to a state, rejecting anything truncated or inconsistent. */
PG_FUNCTION_INFO_V1(revenue_agg_deserialize);
Datum
revenue_agg_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = agg_context(fcinfo, "revenue_agg_deserialize");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	RevAggState *st;
	int			grain,
				fy_start,
				n,
				i;
	char		code[3];
	Currency	cur;

	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < REV_SER_HEADER)
		bad_state("The state is truncated.");
	if ((uint32) pq_getmsgint(&buf, 4) != REV_SER_MAGIC)
		bad_state("The state does not start with the expected magic number.");
	grain = pq_getmsgbyte(&buf);
	fy_start = pq_getmsgbyte(&buf);
	pq_copymsgbytes(&buf, code, 3);
	n = (int) pq_getmsgint(&buf, 4);
	if (grain < CAL_DAY || grain > CAL_YEAR)
		bad_state("The grain is out of range.");
	if (fy_start < 1 || fy_start > 12)
		bad_state("The fiscal year start is out of range.");
	if (n < 0 || (int64) buf.len - buf.cursor != (int64) n * REV_SER_SLICE)
		bad_state("The slice count does not match the length of the state.");
	if (!(code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z' &&
		  code[2] >= 'A' && code[2] <= 'Z'))
		bad_state("The currency code is malformed.");
	cur = money_currency(code, 3);
	st = state_new(aggcxt, (CalGrain) grain, fy_start, &cur, n);
	for (i = 0; i < n; i++)
	{
		DateADT		s = (DateADT) pq_getmsgint(&buf, 4);
		DateADT		e = (DateADT) pq_getmsgint(&buf, 4);

		if (!IS_VALID_DATE(s) || !IS_VALID_DATE(e) ||
			calendar_slice_start(s, st->grain, st->fy_start) != s ||
			calendar_next_start(s, st->grain, st->fy_start) != e + 1 ||
			(i > 0 && s <= st->start[i - 1]))
			bad_state("A slice is not a slice of the grain or is out of order.");
		st->start[i] = s;
		st->end[i] = e;
		st->flows[i] = pq_getmsgint64(&buf);
		if (st->flows[i] < 0)
			bad_state("A slice has a negative flow count.");
		st->gross[i] = get_int128(&buf);
		st->share[i] = get_int128(&buf);
		st->n++;
	}
	PG_RETURN_POINTER(st);
}

/* The slice_total composite type, looked up in the extension's schema. */
static void
cell_type(RevCache *c, FunctionCallInfo fcinfo)
{
	MemoryContext old;

	if (c->celldesc)
		return;
	c->celltype = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
								  CStringGetDatum("slice_total"),
								  ObjectIdGetDatum(get_func_namespace(fcinfo->flinfo->fn_oid)));
	if (!OidIsValid(c->celltype))
		elog(ERROR, "dealscope: type slice_total not found");
	old = MemoryContextSwitchTo(c->mcxt);
	c->celldesc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(c->celltype, -1));
	MemoryContextSwitchTo(old);
}

static Datum
make_cell(RevCache *c, DateADT start, DateADT end, CalGrain grain, int fy_start,
		  const Currency *cur, int128 gross, int128 share)
{
	Datum		v[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
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
	return HeapTupleGetDatum(heap_form_tuple(c->celldesc, v, nulls));
}

static Datum
cells_array(RevCache *c, Datum *elems, int n)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(c->celltype, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_array(elems, n, c->celltype, typlen, typbyval, typalign));
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
		elems[i] = make_cell(c, st->start[i], st->end[i], st->grain, st->fy_start,
							 &st->cur, st->gross[i], st->share[i]);
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
	int128		amount;
	DateADT		lo,
				hi;
	const Currency *cur;
	CalGrain	grain;
	int32		fy_start;
	KeyEntry   *e;
	Datum	   *elems;
	int			n,
				i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	if (!read_flow_args(fcinfo, c, 3, 5, 4, 6, 7, &amount, &lo, &hi, &cur, &grain, &fy_start))
		PG_RETURN_NULL();
	e = lookup_terms(c, fcinfo, PG_GETARG_TEXT_PP(0),
					 PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1),
					 PG_GETARG_ENDPOINT_P(2));
	n = split_flow(c, amount, lo, hi, grain, fy_start, e,
				   PG_ARGISNULL(8) ? NULL : PG_GETARG_TEXT_PP(8), NULL);
	cell_type(c, fcinfo);
	elems = palloc(n * sizeof(Datum));
	for (i = 0; i < n; i++)
		elems[i] = make_cell(c, c->parts[i].start, c->parts[i].end, grain, fy_start, cur,
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
