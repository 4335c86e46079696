/*
 * revenue_keyed.c — keyed states (KeyedState): per-slice sums kept apart by
 * a key the aggregate computes itself; revenue_provider_agg,
 * revenue_holder_agg, and the keyed_agg_* support functions they share with
 * exposure_agg (src/revenue_exposure.c).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#include "endpoint.h"
#include "revenue.h"
#include "revenue_args.h"
#include "revenue_cache.h"
#include "revenue_keyed.h"
#include "revenue_output.h"
#include "revenue_state.h"

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

struct KeyedState
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
};

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
	rev_config_check(ks->grain, ks->fy_start, NULL, grain, fy_start, NULL);
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
	b->st = rev_state_new(ks->cxt, ks->grain, ks->fy_start, cur, 8);
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
KeyedState *
rev_keyed_flow(FunctionCallInfo fcinfo, RevCache *c, int a, FlowArgs *f)
{
	KeyedState *ks = PG_ARGISNULL(0) ? NULL : (KeyedState *) PG_GETARG_POINTER(0);
	MemoryContext aggcxt = rev_agg_context(fcinfo, "dealscope keyed aggregate");

	if (!rev_read_flow_args(fcinfo, c, a, a + 2, a + 1, a + 3, a + 4, f) ||
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
	RevCache   *c = rev_get_cache(fcinfo);
	KeyedState *ks;
	FlowArgs	f;
	text	   *seller;
	struct varlena *channel;
	const KeyRec *r;
	RevAggState *st;
	int			n;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || (ks = rev_keyed_flow(fcinfo, c, 4, &f)) == NULL)
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	seller = PG_GETARG_TEXT_PP(1);
	channel = PG_GETARG_ENDPOINT_P(3);
	r = rev_lookup_key(c, fcinfo, seller, PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2), channel);
	n = rev_split_flow(c, &f, r->match, NULL, NULL);
	st = keyed_direct(ks, c, r->sp_id, f.cur);
	if (st == NULL)
	{
		EndpointView view = endpoint_view(channel);
		bool		made;

		st = keyed_bucket(ks, 0, VARDATA_ANY(seller), VARSIZE_ANY_EXHDR(seller),
						  view.provider, view.provider_len, f.cur, &made);
		keyed_direct_set(ks, c, r->sp_id, f.cur, st);
	}
	rev_add_parts(st, c, n);
	PG_RETURN_POINTER(ks);
}

/*
 * revenue_holder_agg(seller, product, channel, amount, currency, period,
 * grain, fy_start, window, holder) transition: for each holder of the
 * seller's revenue_share clauses that apply to the flow (only holder when
 * it is not NULL), the flow split with that holder's share alone, kept
 * apart per (holder, currency) as kind 5 when the flow owes the holder a
 * nonzero share in total (its gross then counts in every slice); each
 * share rounded once per (flow, holder), as revenue_agg does.  What
 * share_report is built on (grouped by seller).
 */
PG_FUNCTION_INFO_V1(revenue_holder_agg_trans);
Datum
revenue_holder_agg_trans(PG_FUNCTION_ARGS)
{
	RevCache   *c = rev_get_cache(fcinfo);
	KeyedState *ks;
	FlowArgs	f;
	const ClauseMatch *m;
	const char *hp = NULL;
	int			hl = 0,
				i;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || (ks = rev_keyed_flow(fcinfo, c, 4, &f)) == NULL)
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	m = lookup_terms(c, fcinfo, PG_GETARG_TEXT_PP(1), PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2),
					 PG_GETARG_ENDPOINT_P(3));
	if (!PG_ARGISNULL(10))
	{
		text	   *h = PG_GETARG_TEXT_PP(10);

		hp = VARDATA_ANY(h);
		hl = VARSIZE_ANY_EXHDR(h);
	}
	for (i = 0; i < m->nholders; i++)
	{
		const HolderTerms *ht = &m->holders[i];
		ClauseMatch one = {0, NULL, 1, (HolderTerms *) ht};
		bool		owing = false;
		int			n,
					j;

		if (hp != NULL && !holder_is(ht, hp, hl))
			continue;
		n = rev_split_flow(c, &f, &one, NULL, NULL);
		for (j = 0; j < n && !owing; j++)
			owing = c->parts[j].share != 0;
		if (owing)
			rev_keyed_add(ks, c, n, 5, ht->holder, strlen(ht->holder), "", 0, f.cur);
	}
	PG_RETURN_POINTER(ks);
}

/* Merge two keyed states bucket by bucket. */
PG_FUNCTION_INFO_V1(keyed_agg_combine);
Datum
keyed_agg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = rev_agg_context(fcinfo, "keyed_agg_combine");
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

		rev_state_merge(keyed_bucket(a, kb->kind, kb->key, kb->party_len, kb->key + kb->party_len,
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

	(void) rev_agg_context(fcinfo, "keyed_agg_serialize");
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
		rev_send_slices(&buf, b->st);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* A length-prefixed byte string of a serialized state. */
static const char *
recv_bytes(StringInfo buf, int *len)
{
	if (buf->len - buf->cursor < 4)
		rev_bad_state("The state is truncated.");
	*len = (int) pq_getmsgint(buf, 4);
	if (*len < 0 || *len > buf->len - buf->cursor)
		rev_bad_state("The state is truncated.");
	return pq_getmsgbytes(buf, *len);
}

/*
 * A bucket's key as keyed_bucket makes it: a party name is text (no NUL,
 * valid in the database's encoding: keyed_agg_final turns it into text
 * unchecked), a provider an endpoint's provider segment; kind 1 has no
 * party, kinds 2 to 5 no provider.
 */
static void
check_bucket_key(int16 kind, const char *party, int party_len,
				 const char *provider, int provider_len)
{
	char		bad[8];

	if (kind == 1 ? party_len != 0 : kind != 0 && provider_len != 0)
		rev_bad_state("A bucket's key does not fit its kind.");
	if (!pg_verify_mbstr(GetDatabaseEncoding(), party, party_len, true))
		rev_bad_state("A party name holds a NUL byte or is not valid in the database encoding.");
	if ((kind == 0 || kind == 1) &&
		endpoint_segment_problem(provider, provider_len, bad, sizeof(bad)) != NULL)
		rev_bad_state("A provider name is not a valid endpoint provider.");
}

/* Bytes back to a keyed state, rejecting anything truncated or inconsistent. */
PG_FUNCTION_INFO_V1(keyed_agg_deserialize);
Datum
keyed_agg_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = rev_agg_context(fcinfo, "keyed_agg_deserialize");
	StringInfoData buf;
	KeyedState *ks;
	CalGrain	grain;
	int32		fy_start;
	int			nb,
				i;

	rev_init_recv_buffer(&buf, PG_GETARG_BYTEA_PP(0));
	rev_recv_config(&buf, KEYED_SER_MAGIC, KEYED_SER_HEADER, &grain, &fy_start);
	nb = (int) pq_getmsgint(&buf, 4);
	if (nb < 0 || nb > buf.len)
		rev_bad_state("The bucket count does not match the length of the state.");
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
			rev_bad_state("The state is truncated.");
		kind = (int16) pq_getmsgint(&buf, 2);
		if (kind < 0 || kind > 5)
			rev_bad_state("A bucket's kind is out of range.");
		party = recv_bytes(&buf, &party_len);
		provider = recv_bytes(&buf, &provider_len);
		check_bucket_key(kind, party, party_len, provider, provider_len);
		cur = rev_recv_currency(&buf);
		st = rev_recv_slices(&buf, aggcxt, grain, fy_start, &cur);
		rev_state_merge(keyed_bucket(ks, kind, party, party_len, provider, provider_len, &cur, &made), st);
		if (!made)
			rev_bad_state("A bucket appears twice.");
		pfree(st->sl);			/* merged: the copy is not kept */
		pfree(st);
	}
	if (buf.cursor != buf.len)
		rev_bad_state("The bucket count does not match the length of the state.");
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

	(void) rev_agg_context(fcinfo, "keyed_agg_final");
	if (ks == NULL)
		PG_RETURN_NULL();
	c = rev_get_cache(fcinfo);
	rev_ext_row_type(fcinfo, c->mcxt, "keyed_slice_total", &c->keyedtype, &c->keyeddesc);
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
			rev_cell_values(v + 3, st->sl[j].start, st->sl[j].end, ks->grain, ks->fy_start,
						&st->cur, st->sl[j].gross, st->sl[j].share);
			elems[k++] = HeapTupleGetDatum(heap_form_tuple(c->keyeddesc, v, nulls));
		}
	}
	PG_RETURN_DATUM(rev_rows_array(c->keyedtype, elems, total));
}

/* Add the flow just split into c->parts to bucket (kind, party, provider, cur). */
void
rev_keyed_add(KeyedState *ks, RevCache *c, int n, int16 kind, const char *party, int party_len,
		  const char *provider, int provider_len, const Currency *cur)
{
	bool		made;

	rev_add_parts(keyed_bucket(ks, kind, party, party_len, provider, provider_len, cur, &made), c, n);
}
