/*
 * placement_pairs.c — placement_matrix's per-pair helpers
 * (placement_pair_verdict, _eligible_from, _reasons) and the per-query
 * model they share (placement_model.h).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "access/detoast.h"
#include "common/hashfn.h"

#include "endpoint.h"
#include "placement_model.h"
#include "placement_rules.h"
#include "visibility.h"

/*
 * placement_matrix is an inlinable SQL function (src/placement.sql): a join
 * of the workloads and the candidates whose per-pair columns call the three
 * placement_pair_* functions below.  PostgreSQL folds its body into the
 * caller's query, so no tuplestore of 3 million rows is written, and a
 * column nobody reads is not computed.  What stays "once per call" is the
 * model: it is built on the first pair a query asks for and shared by every
 * placement_pair_* call of that query with the same on_date.
 *
 * A PairModel lives in a child context of the calling expression's fn_mcxt
 * (the executor's per-query context, shared by all three functions), and a
 * reset callback unlinks it from the backend's list when that context goes
 * away.  Because a per-query context can outlive one statement (PL/pgSQL
 * keeps simple expressions' state for the whole transaction), the model is
 * also keyed by what its reads saw (src/visibility.h): the current user
 * (row-level security: after SET ROLE another role must not be answered
 * from the first role's rows), the transaction and subtransaction, and the
 * active snapshot and command id.
 */
typedef struct BytesKey
{
	const char *p;
	int32		len;
} BytesKey;

typedef struct BytesEntry
{
	BytesKey	key;
	int			index;
} BytesEntry;

/*
 * Bytewise equality of two short keys, a word at a time, without a library
 * call: the per-pair lookups compare one workload id and one endpoint per
 * call.
 */
static inline bool
bytes_equal(const char *a, const char *b, int len)
{
	uint64		x,
				y;

	while (len >= 8)
	{
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
		a += 8;
		b += 8;
		len -= 8;
	}
	while (len-- > 0)
		if (*a++ != *b++)
			return false;
	return true;
}

/* A varlena argument, detoasted only when it must be (cf. PG_DETOAST_DATUM_PACKED). */
static inline struct varlena *
arg_packed(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	if (VARATT_IS_COMPRESSED(v) || VARATT_IS_EXTERNAL(v))
		return detoast_attr(v);
	return v;
}

/*
 * A workload as the per-pair helpers see it, in the order the query first
 * asked for it.  When workloads are the inner side of the join, each row
 * asks for another one: keeping what a pair needs (the id, the applied
 * clauses) in arrays laid out in that order turns what were random memory
 * reads over the whole model into sequential ones (at 10,000 workloads x
 * 300 candidates, workloads inner: 2.2 s before, 0.9-1.4 s after).
 */
typedef struct PairWorkload
{
	int			id;				/* offset of the id's bytes in id_pool */
	int			id_len;
	int			next;			/* the slot asked for after it last time, -1 */
	int			applied;		/* first entry in applied_pool */
	int			napplied;
} PairWorkload;

typedef struct PairModel
{
	Model	   *m;
	MemoryContext owner;		/* the fn_mcxt it was built for */
	VisibilityKey seen;			/* what its reads saw: role, snapshot, ... */
	HTAB	   *workload_hash;	/* id bytes -> index in m->workloads */
	int		   *slot_of;		/* index in m->workloads -> slot, -1: none yet */
	PairWorkload *slots;		/* the workloads asked for, in that order */
	int			nslots;
	char	   *id_pool;
	int			id_pool_used;
	int			id_pool_cap;
	Applied    *applied_pool;	/* each slot's applied clauses, obstacles only */
	int			applied_used;
	int			applied_cap;
	HTAB	   *cand_hash;		/* endpoint payload -> index in cands */
	PCandidate *cands;
	int			ncands;
	int			cands_cap;
	/*
	 * Lookups guess before they hash: the workload slot (candidate) of the
	 * last call, else the one that followed it last time (-1: none yet).
	 * The three helpers of one row ask for the same pair, and a join
	 * repeats its inner side in the same order, so nearly every guess is
	 * right.
	 */
	int			last_w;
	int			last_c;
	int		   *next_c;
	int			pair_w;			/* the pair evaluated last (slot, candidate), -1: none */
	int			pair_c;
	PairResult	pair;
	bool		pair_has_reasons;
	Datum		pair_reasons;
	MemoryContextCallback cb;
	struct PairModel *next;
} PairModel;

#define PAIR_MODELS_PER_QUERY 4

static PairModel *pair_models = NULL;

/* dynahash callbacks for keys that are (pointer, length) byte strings */
static uint32
bytes_key_hash(const void *key, Size keysize)
{
	const BytesKey *k = key;

	return hash_bytes((const unsigned char *) k->p, k->len);
}

static int
bytes_key_match(const void *a, const void *b, Size keysize)
{
	const BytesKey *x = a;
	const BytesKey *y = b;

	return (x->len == y->len && memcmp(x->p, y->p, x->len) == 0) ? 0 : 1;
}

/* A hash table from byte strings (workload ids, endpoint payloads) to indexes. */
static HTAB *
bytes_hash_create(const char *name, long size, MemoryContext cxt)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(BytesKey);
	ctl.entrysize = sizeof(BytesEntry);
	ctl.hash = bytes_key_hash;
	ctl.match = bytes_key_match;
	ctl.hcxt = cxt;
	return hash_create(name, size, &ctl,
					   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/* The model's context is going away: forget the model. */
static void
pair_model_forget(void *arg)
{
	PairModel  *pm = arg;
	PairModel **link;

	for (link = &pair_models; *link != NULL; link = &(*link)->next)
		if (*link == pm)
		{
			*link = pm->next;
			break;
		}
}

/* Load the model for one query and day: every workload, no candidate yet. */
static PairModel *
pair_model_build(MemoryContext owner, DateADT d, const VisibilityKey *seen)
{
	MemoryContext old = MemoryContextSwitchTo(owner);
	Model	   *m = placement_model_create(d);
	PairModel  *pm;
	PairModel  *p;
	PairModel  *oldest = NULL;
	int			same_owner = 0;
	int			w;

	MemoryContextSwitchTo(old);
	placement_model_load(m, NULL, false);
	old = MemoryContextSwitchTo(m->cxt);
	pm = palloc0(sizeof(PairModel));
	pm->m = m;
	pm->owner = owner;
	pm->seen = *seen;
	pm->workload_hash = bytes_hash_create("dealscope placement workloads",
										  Max(m->nworkloads, 16), m->cxt);
	pm->slot_of = palloc(sizeof(int) * Max(m->nworkloads, 1));
	pm->slots = palloc(sizeof(PairWorkload) * Max(m->nworkloads, 1));
	pm->id_pool_cap = 1024;
	pm->id_pool = palloc(pm->id_pool_cap);
	pm->applied_cap = 1024;
	pm->applied_pool = palloc(sizeof(Applied) * pm->applied_cap);
	for (w = 0; w < m->nworkloads; w++)
	{
		BytesKey	key;
		BytesEntry *ent;
		bool		found;

		pm->slot_of[w] = -1;
		key.p = m->workloads[w].id;
		key.len = strlen(m->workloads[w].id);
		ent = hash_search(pm->workload_hash, &key, HASH_ENTER, &found);
		ent->index = w;
	}
	pm->cand_hash = bytes_hash_create("dealscope placement candidates", 256, m->cxt);
	pm->cands_cap = 64;
	pm->cands = palloc0(sizeof(PCandidate) * pm->cands_cap);
	pm->next_c = palloc(sizeof(int) * pm->cands_cap);
	pm->last_w = pm->last_c = -1;
	pm->pair_w = pm->pair_c = -1;
	MemoryContextSwitchTo(old);

	/* keep a few models per query (LATERAL over several days), newest first */
	for (p = pair_models; p != NULL; p = p->next)
		if (p->owner == owner)
		{
			same_owner++;
			oldest = p;
		}
	if (same_owner >= PAIR_MODELS_PER_QUERY)
		MemoryContextDelete(oldest->m->cxt);	/* unlinks it */
	pm->cb.func = pair_model_forget;
	pm->cb.arg = pm;
	MemoryContextRegisterResetCallback(m->cxt, &pm->cb);
	pm->next = pair_models;
	pair_models = pm;
	return pm;
}

/* The model of this query for day d, built on first use. */
static PairModel *
pair_model(FunctionCallInfo fcinfo, DateADT d)
{
	MemoryContext owner = fcinfo->flinfo->fn_mcxt;
	VisibilityKey now;
	PairModel  *pm;

	for (pm = pair_models; pm != NULL; pm = pm->next)
		if (pm->owner == owner && pm->m->d == d && visibility_key_matches(&pm->seen))
			return pm;
	visibility_key_current(&now);
	return pair_model_build(owner, d, &now);
}

/* Is workload slot s (-1 for none) the one with this id? */
static inline bool
workload_is(const PairModel *pm, int s, const char *p, int len)
{
	return s >= 0 && pm->slots[s].id_len == len &&
		bytes_equal(pm->id_pool + pm->slots[s].id, p, len);
}

/*
 * A slot for workload w on its first use: its id and its applied clauses
 * (what each clause says about endpoints outside it), appended to the pools.
 */
static int
pair_workload_slot(PairModel *pm, int w)
{
	Model	   *m = pm->m;
	const PWorkload *wl = &m->workloads[w];
	int			len = strlen(wl->id);
	int			n = placement_obstacles_only(m, placement_apply_workload(m, wl));
	PairWorkload *slot;

	while (pm->id_pool_used + len > pm->id_pool_cap)
	{
		pm->id_pool_cap *= 2;
		pm->id_pool = repalloc(pm->id_pool, pm->id_pool_cap);
	}
	while (pm->applied_used + n > pm->applied_cap)
	{
		pm->applied_cap *= 2;
		pm->applied_pool = repalloc(pm->applied_pool, sizeof(Applied) * pm->applied_cap);
	}
	slot = &pm->slots[pm->nslots];
	slot->id = pm->id_pool_used;
	slot->id_len = len;
	slot->next = -1;
	slot->applied = pm->applied_used;
	slot->napplied = n;
	memcpy(pm->id_pool + pm->id_pool_used, wl->id, len);
	pm->id_pool_used += len;
	memcpy(pm->applied_pool + pm->applied_used, m->applied, sizeof(Applied) * n);
	pm->applied_used += n;
	pm->slot_of[w] = pm->nslots;
	return pm->nslots++;
}

/* The slot of the workload with this id; an error when there is none. */
static int
pair_workload(PairModel *pm, text *id)
{
	const char *p = VARDATA_ANY(id);
	int			len = VARSIZE_ANY_EXHDR(id);
	int			last = pm->last_w;
	int			s;
	BytesKey	key;
	BytesEntry *ent;

	if (workload_is(pm, last, p, len))
		return last;
	if (last >= 0 && workload_is(pm, pm->slots[last].next, p, len))
		return pm->last_w = pm->slots[last].next;
	key.p = p;
	key.len = len;
	ent = hash_search(pm->workload_hash, &key, HASH_FIND, NULL);
	if (ent == NULL)
		placement_workload_missing(id);
	s = pm->slot_of[ent->index];
	if (s < 0)
	{
		MemoryContext old = MemoryContextSwitchTo(pm->m->cxt);

		s = pair_workload_slot(pm, ent->index);
		MemoryContextSwitchTo(old);
	}
	if (last >= 0)
		pm->slots[last].next = s;
	return pm->last_w = s;
}

/* Is candidate c (an index, -1 for none) this endpoint payload? */
static inline bool
candidate_is(const PairModel *pm, int c, const char *p, int len)
{
	const struct varlena *ep;

	if (c < 0)
		return false;
	ep = pm->cands[c].ep;
	return (int) VARSIZE_ANY_EXHDR(ep) == len && bytes_equal(VARDATA_ANY(ep), p, len);
}

/* Index of the candidate endpoint, prepared on first sight. */
static int
pair_candidate(PairModel *pm, struct varlena *ep)
{
	const char *p = VARDATA_ANY(ep);
	int			len = VARSIZE_ANY_EXHDR(ep);
	int			last = pm->last_c;
	int			c;
	BytesKey	key;
	BytesEntry *ent;
	bool		found;
	PCandidate *cand;
	MemoryContext old;

	if (candidate_is(pm, last, p, len))
		return last;
	if (last >= 0 && candidate_is(pm, pm->next_c[last], p, len))
		return pm->last_c = pm->next_c[last];
	key.p = p;
	key.len = len;
	ent = hash_search(pm->cand_hash, &key, HASH_FIND, NULL);
	if (ent != NULL)
		c = ent->index;
	else
	{
		/* first sight: copy it into the model and find its clauses */
		old = MemoryContextSwitchTo(pm->m->cxt);
		if (pm->ncands == pm->cands_cap)
		{
			pm->cands_cap *= 2;
			pm->cands = repalloc(pm->cands, sizeof(PCandidate) * pm->cands_cap);
			pm->next_c = repalloc(pm->next_c, sizeof(int) * pm->cands_cap);
		}
		c = pm->ncands;
		cand = &pm->cands[c];
		memset(cand, 0, sizeof(PCandidate));
		cand->ep = palloc(VARSIZE_ANY(ep));
		memcpy(cand->ep, ep, VARSIZE_ANY(ep));
		cand->view = endpoint_view(cand->ep);
		placement_prepare_candidate(pm->m, cand);
		pm->next_c[c] = -1;
		key.p = VARDATA_ANY(cand->ep);
		ent = hash_search(pm->cand_hash, &key, HASH_ENTER, &found);
		ent->index = c;
		pm->ncands++;
		MemoryContextSwitchTo(old);
	}
	if (last >= 0)
		pm->next_c[last] = c;
	return pm->last_c = c;
}

/*
 * The model and evaluated pair for a placement_pair_* call: arguments
 * (workload_id text, e endpoint, on_date date), all non-NULL (STRICT).
 */
static PairModel *
pair_evaluate(FunctionCallInfo fcinfo)
{
	PairModel  *pm = pair_model(fcinfo, PG_GETARG_DATEADT(2));
	int			w = pair_workload(pm, (text *) arg_packed(PG_GETARG_DATUM(0)));
	int			c = pair_candidate(pm, arg_packed(PG_GETARG_DATUM(1)));

	if (w == pm->pair_w && c == pm->pair_c)
		return pm;
	pm->pair_w = -1;			/* in case of an error below */
	placement_eval_pair(pm->m, pm->applied_pool + pm->slots[w].applied, pm->slots[w].napplied,
			  &pm->cands[c], &pm->pair);
	pm->pair_has_reasons = false;
	pm->pair_w = w;
	pm->pair_c = c;
	return pm;
}

/*
 * placement_pair_verdict(workload_id, e, on_date): the verdict column of
 * placement_matrix (= placement_check(...).verdict), from the per-query
 * model.
 */
PG_FUNCTION_INFO_V1(placement_pair_verdict);
Datum
placement_pair_verdict(PG_FUNCTION_ARGS)
{
	PairModel  *pm = pair_evaluate(fcinfo);

	PG_RETURN_DATUM(pm->m->verdict_text[pm->pair.verdict]);
}

/*
 * placement_pair_eligible_from(workload_id, e, on_date): the eligible_from
 * column of placement_matrix; NULL when an obstacle has no known end.
 */
PG_FUNCTION_INFO_V1(placement_pair_eligible_from);
Datum
placement_pair_eligible_from(PG_FUNCTION_ARGS)
{
	PairModel  *pm = pair_evaluate(fcinfo);

	if (pm->pair.verdict == VERDICT_ALLOWED)
		PG_RETURN_DATEADT(pm->m->d);
	if (!pm->pair.lift_known)
		PG_RETURN_NULL();
	PG_RETURN_DATEADT(pm->pair.lift);
}

/*
 * placement_pair_reasons(workload_id, e, on_date): the reasons column of
 * placement_matrix.  The arrays are interned per model, so this returns a
 * pointer into it (read-only, as every function result is).
 */
PG_FUNCTION_INFO_V1(placement_pair_reasons);
Datum
placement_pair_reasons(PG_FUNCTION_ARGS)
{
	PairModel  *pm = pair_evaluate(fcinfo);

	if (!pm->pair_has_reasons)
	{
		pm->pair_reasons = pm->pair.verdict == VERDICT_ALLOWED ? pm->m->empty_array :
			placement_pair_reason_array(pm->m, pm->applied_pool + pm->slots[pm->pair_w].applied,
						 &pm->pair, &pm->cands[pm->pair_c]);
		pm->pair_has_reasons = true;
	}
	PG_RETURN_DATUM(pm->pair_reasons);
}
