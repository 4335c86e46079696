/*
 * revenue_clauses.c — the revenue aggregates' per-call cache (RevCache,
 * revenue_cache.h): the revenue_share clauses read from the clause table
 * (or handed over by src/distributed.c), indexed by grantor, and the map
 * from a flow's (seller, product, channel) to the share terms per holder
 * that apply to it (doc/design.md, "Caches and row-level security").
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "endpoint.h"
#include "endpoint_set.h"
#include "products.h"
#include "revenue.h"
#include "revenue_cache.h"
#include "revenue_split.h"
#include "visibility.h"

RevCache *
rev_get_cache(FunctionCallInfo fcinfo)
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
		c->parts = palloc(c->partcap * sizeof(ProratePart));
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
	c = rev_get_cache(fcinfo);
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
	/* the caller's clauses stand for the whole aggregation, whatever the
	 * role or snapshot later: the table is never read in their place */
	c->clauses_given = true;
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
		rev_termset_prepare(&m->holders[i].ts, m->holders[i].terms, m->holders[i].nterms);

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
const KeyRec *
rev_lookup_key(RevCache *c, FunctionCallInfo fcinfo, const text *seller,
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
		(!c->per_execution && !c->clauses_given && !visibility_key_matches(&c->clauses_seen)))
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
