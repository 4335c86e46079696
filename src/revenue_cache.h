/*
 * revenue_cache.h — the revenue functions' per-call cache, RevCache
 * (src/revenue_clauses.c), for the other revenue files.  Internal to the
 * revenue files: not an API of the extension (src/distributed.c uses
 * revenue.h's revenue_cache_set_clauses).
 */
#ifndef DEALSCOPE_REVENUE_CACHE_H
#define DEALSCOPE_REVENUE_CACHE_H

#include "postgres.h"
#include "fmgr.h"
#include "access/tupdesc.h"
#include "utils/date.h"
#include "utils/typcache.h"

#include "calendar.h"
#include "money.h"
#include "prorate.h"
#include "revenue_split.h"
#include "visibility.h"

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
	bool		clauses_given;	/* clauses passed as an argument (*_dist): never read */
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
	ProratePart *parts;
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

/* The cache of the calls through fcinfo->flinfo (made on the first call). */
extern RevCache *rev_get_cache(FunctionCallInfo fcinfo);

/*
 * The key record of (seller, product, channel): its clauses and its
 * (seller, provider) id.  Reads the clauses first when they are not loaded
 * or the call would see other rows.
 */
extern const KeyRec *rev_lookup_key(RevCache *c, FunctionCallInfo fcinfo, const text *seller,
									const text *product, const struct varlena *channel);

static inline const ClauseMatch *
lookup_terms(RevCache *c, FunctionCallInfo fcinfo, const text *seller,
			 const text *product, const struct varlena *channel)
{
	return rev_lookup_key(c, fcinfo, seller, product, channel)->match;
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

#endif
