/*
 * distributed.c — the revenue aggregates in a form that a distributed
 * planner (Citus) can split between its workers and its coordinator
 * (doc/design.md, "Distributed flow tables"; src/distributed.sql).
 *
 * prorate_agg, revenue_agg, revenue_provider_agg and exposure_agg keep
 * their state as type internal, and Citus never splits such an aggregate:
 * it ships every row to the coordinator instead.  Their revenue shares are
 * also read from the clause table (SPI) by whichever process runs them,
 * which on a Citus worker is either another database's empty table (shares
 * silently 0) or a query Citus refuses inside a shard's query.
 *
 * The *_dist variants here run the same transition, combine and final
 * functions (src/revenue_*.c), with two differences:
 *   - the state type is bytea.  In memory the state is an expanded object
 *     (utils/expandeddatum.h): the transition function updates it in place
 *     and returns the same read-write pointer, so neither PostgreSQL's nor
 *     Citus's aggregate machinery copies it per row; only where a state
 *     leaves its process (a parallel worker, a Citus worker) is it
 *     flattened into bytes — exactly the bytes of the internal aggregates'
 *     serialize functions — and expanded again by the combine function;
 *   - the revenue_share clauses come as an argument, an array of
 *     dealscope.clause rows, read once per state, never from a table.
 * The expanded state also holds what the revenue files keep per call (the clause
 * map, the (seller, product, channel) keys seen): Citus's worker-side
 * wrapper calls the transition function with a fresh FmgrInfo per row, so
 * nothing can live in fn_extra.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/execnodes.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/expandeddatum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rangetypes.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "revenue.h"

/* Which internal state a bytea state holds: the revenue files' two kinds. */
typedef enum DistFamily
{
	FAM_SLICES = 0,				/* RevAggState: prorate_agg, revenue_agg */
	FAM_KEYED = 1				/* KeyedState: revenue_provider_agg, exposure_agg */
} DistFamily;

/* The first four bytes of the revenue files' serialized states. */
#define REV_SER_MAGIC	0x44535231	/* "DSR1" */
#define KEYED_SER_MAGIC 0x44534B32	/* "DSK2" */
/* A state that has seen no flow yet: this magic, then the family byte. */
#define DIST_EMPTY_MAGIC 0x44534530 /* "DSE0" */

typedef struct DistState
{
	ExpandedObjectHeader hdr;
	DistFamily	family;
	Datum		inner;			/* RevAggState * or KeyedState *; 0: no flow yet */
	fmNodePtr	aggnode;		/* the aggregate's executor node, for revenue_*.c's
								 * functions, which insist on an aggregate context */
	bool		have_trans;
	FmgrInfo	trans;			/* the inner transition function; its fn_extra,
								 * revenue_clauses.c's cache, lives in this object */
	int			clauses_arg;	/* argument number of the clauses, -1: none */
	bool		clauses_fixed;	/* a constant of the query: not compared per row */
	struct varlena *clauses;	/* the clauses as first read, flat; NULL: none */
	bytea	   *flat;			/* serialized inner, until it changes */
} DistState;

static Size dist_get_flat_size(ExpandedObjectHeader *eohptr);
static void dist_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods dist_methods = {
	dist_get_flat_size,
	dist_flatten_into
};

static MemoryContext
dist_agg_context(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", name);
	return aggcxt;
}

static DistState *
dist_new(FunctionCallInfo fcinfo, DistFamily family)
{
	MemoryContext aggcxt = dist_agg_context(fcinfo, "dealscope distributed aggregate");
	MemoryContext cxt = AllocSetContextCreate(aggcxt, "dealscope distributed state",
											  ALLOCSET_SMALL_SIZES);
	DistState  *st = MemoryContextAllocZero(cxt, sizeof(DistState));

	EOH_init_header(&st->hdr, &dist_methods, cxt);
	st->family = family;
	st->aggnode = fcinfo->context;
	st->clauses_arg = -1;
	return st;
}

static void
bad_dist_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized revenue aggregate state"),
			 errdetail("%s", detail)));
}

/* Call one of revenue_*.c's functions of (internal[, internal]) or (bytea, internal). */
static Datum
call_inner(PGFunction fn, FunctionCallInfo outer, fmNodePtr context, int nargs,
		   Datum a0, bool a0null, Datum a1, bool a1null, bool *isnull)
{
	LOCAL_FCINFO(in, 2);
	Datum		r;

	InitFunctionCallInfoData(*in, outer ? outer->flinfo : NULL, nargs, InvalidOid, context, NULL);
	in->args[0].value = a0;
	in->args[0].isnull = a0null;
	in->args[1].value = a1;
	in->args[1].isnull = a1null;
	r = fn(in);
	*isnull = in->isnull;
	return r;
}

/*
 * The family and internal state held by flat bytes (a state from another
 * process); the internal state is made in the aggregate's memory.
 */
static Datum
inner_from_bytes(FunctionCallInfo fcinfo, bytea *b, DistFamily *family)
{
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(b);
	int			len = VARSIZE_ANY_EXHDR(b);
	uint32		magic;
	bool		isnull;
	Datum		r;

	if (len < 4)
		bad_dist_state("The state is truncated.");
	magic = ((uint32) p[0] << 24) | ((uint32) p[1] << 16) | ((uint32) p[2] << 8) | p[3];
	if (magic == DIST_EMPTY_MAGIC)
	{
		if (len != 5 || p[4] > FAM_KEYED)
			bad_dist_state("An empty state must hold only its family.");
		*family = (DistFamily) p[4];
		return (Datum) 0;
	}
	if (magic == REV_SER_MAGIC)
	{
		*family = FAM_SLICES;
		r = call_inner(revenue_agg_deserialize, fcinfo, fcinfo->context, 2,
					   PointerGetDatum(b), false, (Datum) 0, true, &isnull);
	}
	else if (magic == KEYED_SER_MAGIC)
	{
		*family = FAM_KEYED;
		r = call_inner(keyed_agg_deserialize, fcinfo, fcinfo->context, 2,
					   PointerGetDatum(b), false, (Datum) 0, true, &isnull);
	}
	else
		bad_dist_state("The state does not start with the expected magic number.");
	return isnull ? (Datum) 0 : r;
}

static bool
is_dist_state(Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &dist_methods;
}

static void
family_check(DistFamily have, DistFamily want)
{
	if (have != want)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid revenue aggregate state: it belongs to %s",
						have == FAM_SLICES ? "prorate_agg_dist or revenue_agg_dist"
						: "revenue_provider_agg_dist or exposure_agg_dist")));
}

/*
 * The state in argument argno to update in place: ours when it is our
 * read-write expanded object, else a new one (holding the state that flat
 * bytes carry); NULL when the argument is NULL.
 */
static DistState *
state_for_update(FunctionCallInfo fcinfo, int argno, DistFamily family)
{
	Datum		d;
	DistState  *st;
	DistFamily	fam;
	Datum		inner;

	if (PG_ARGISNULL(argno))
		return NULL;
	d = PG_GETARG_DATUM(argno);
	if (is_dist_state(d) && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		st = (DistState *) DatumGetEOHP(d);
		family_check(st->family, family);
		return st;
	}
	inner = inner_from_bytes(fcinfo, PG_GETARG_BYTEA_PP(argno), &fam);
	family_check(fam, family);
	st = dist_new(fcinfo, fam);
	st->inner = inner;
	return st;
}

/* The internal state in argument argno, read only (0: none), and its family. */
static Datum
inner_for_read(FunctionCallInfo fcinfo, int argno, DistFamily *family)
{
	Datum		d = PG_GETARG_DATUM(argno);

	if (is_dist_state(d))
	{
		DistState  *st = (DistState *) DatumGetEOHP(d);

		*family = st->family;
		return st->inner;
	}
	return inner_from_bytes(fcinfo, PG_GETARG_BYTEA_PP(argno), family);
}

static Datum
state_datum(DistState *st)
{
	return EOHPGetRWDatum(&st->hdr);
}

static void
state_changed(DistState *st)
{
	if (st->flat)
	{
		pfree(st->flat);
		st->flat = NULL;
	}
}

/* Flattening: the inner state serialized by the revenue files, computed once per change. */
static Size
dist_get_flat_size(ExpandedObjectHeader *eohptr)
{
	DistState  *st = (DistState *) eohptr;

	if (st->flat == NULL)
	{
		bytea	   *b;

		if (st->inner == (Datum) 0)
		{
			b = palloc(VARHDRSZ + 5);
			SET_VARSIZE(b, VARHDRSZ + 5);
			((unsigned char *) VARDATA(b))[0] = (DIST_EMPTY_MAGIC >> 24) & 0xFF;
			((unsigned char *) VARDATA(b))[1] = (DIST_EMPTY_MAGIC >> 16) & 0xFF;
			((unsigned char *) VARDATA(b))[2] = (DIST_EMPTY_MAGIC >> 8) & 0xFF;
			((unsigned char *) VARDATA(b))[3] = DIST_EMPTY_MAGIC & 0xFF;
			((unsigned char *) VARDATA(b))[4] = (unsigned char) st->family;
		}
		else
		{
			bool		isnull;

			/* the aggregate's node is alive: only the executor sees our pointer */
			b = DatumGetByteaP(call_inner(st->family == FAM_SLICES ? revenue_agg_serialize
										   : keyed_agg_serialize,
										   NULL, st->aggnode, 1, st->inner, false,
										   (Datum) 0, true, &isnull));
		}
		st->flat = MemoryContextAlloc(st->hdr.eoh_context, VARSIZE(b));
		memcpy(st->flat, b, VARSIZE(b));
	}
	return VARSIZE(st->flat);
}

static void
dist_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	DistState  *st = (DistState *) eohptr;

	Assert(st->flat != NULL && allocated_size == VARSIZE(st->flat));
	memcpy(result, st->flat, allocated_size);
}

/* ------------------------------------------------------------------------
 * The clauses argument
 * ------------------------------------------------------------------------ */

typedef struct SortClause
{
	RevenueClause c;
	const char *id;				/* NULL sorts last, as in ORDER BY id */
} SortClause;

static int
clause_cmp(const void *x, const void *y)
{
	const SortClause *a = (const SortClause *) x;
	const SortClause *b = (const SortClause *) y;
	int			r = strcmp(a->c.holder, b->c.holder);

	if (r != 0)
		return r;
	if (a->id == NULL || b->id == NULL)
		return (a->id == NULL) - (b->id == NULL);
	return strcmp(a->id, b->id);
}

static int
attnum_of(TupleDesc td, const char *name)
{
	int			i;

	for (i = 0; i < td->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(td, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0)
			return a->attnum;
	}
	elog(ERROR, "dealscope: the clause type has no column %s", name);
	return 0;					/* not reached */
}

static void
bad_clause(const char *id, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid revenue_share clause \"%s\" in argument \"clauses\"", id ? id : "(no id)"),
			 errdetail("%s", detail)));
}

/*
 * Give the inner function's cache the revenue_share clauses of the array in
 * argument argno (rows of other kinds are ignored; NULL: none).
 */
static void
read_clauses(DistState *st, FunctionCallInfo fcinfo, int argno)
{
	MemoryContext old = MemoryContextSwitchTo(st->hdr.eoh_context);
	SortClause *rows = NULL;
	int			n = 0;
	RevenueClause *flat;
	int			i;

	if (!PG_ARGISNULL(argno))
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P_COPY(argno);
		Oid			elemtype = ARR_ELEMTYPE(arr);
		TupleDesc	td = lookup_rowtype_tupdesc_copy(elemtype, -1);
		int16		typlen;
		bool		typbyval;
		char		typalign;
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;
		int			a_id = attnum_of(td, "id"),
					a_kind = attnum_of(td, "kind"),
					a_holder = attnum_of(td, "holder"),
					a_grantor = attnum_of(td, "grantor"),
					a_products = attnum_of(td, "products"),
					a_scope = attnum_of(td, "scope"),
					a_valid = attnum_of(td, "valid"),
					a_rate = attnum_of(td, "rate");
		Oid			share_kind = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
												 ObjectIdGetDatum(TupleDescAttr(td, a_kind - 1)->atttypid),
												 CStringGetDatum("revenue_share"));

		st->clauses = (struct varlena *) arr;
		get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
		deconstruct_array(arr, elemtype, typlen, typbyval, typalign, &elems, &nulls, &nelems);
		rows = palloc0(sizeof(SortClause) * Max(nelems, 1));
		for (i = 0; i < nelems; i++)
		{
			HeapTupleHeader t;
			bool		isnull;
			Datum		d;
			SortClause *r = &rows[n];

			if (nulls[i])
				continue;
			t = DatumGetHeapTupleHeader(elems[i]);
			d = GetAttributeByNum(t, a_kind, &isnull);
			if (isnull || DatumGetObjectId(d) != share_kind)
				continue;
			d = GetAttributeByNum(t, a_id, &isnull);
			r->id = isnull ? NULL : TextDatumGetCString(d);
			d = GetAttributeByNum(t, a_holder, &isnull);
			if (isnull)
				bad_clause(r->id, "A revenue_share clause needs a holder.");
			r->c.holder = TextDatumGetCString(d);
			d = GetAttributeByNum(t, a_grantor, &isnull);
			if (isnull)
				bad_clause(r->id, "A clause needs a grantor.");
			r->c.grantor = TextDatumGetCString(d);
			d = GetAttributeByNum(t, a_products, &isnull);
			r->c.products = isnull ? "*" : TextDatumGetCString(d);
			d = GetAttributeByNum(t, a_scope, &isnull);
			r->c.scope = isnull ? NULL : (const struct varlena *) PG_DETOAST_DATUM_COPY(d);
			d = GetAttributeByNum(t, a_rate, &isnull);
			if (isnull)
				bad_clause(r->id, "A revenue_share clause needs a rate.");
			r->c.rate = (const RateSchedule *) PG_DETOAST_DATUM_COPY(d);
			d = GetAttributeByNum(t, a_valid, &isnull);
			{
				RangeType  *valid;
				TypeCacheEntry *tc;
				RangeBound	lo,
							hi;
				bool		empty;

				if (isnull)
					bad_clause(r->id, "A clause needs a valid date range.");
				valid = DatumGetRangeTypeP(d);
				tc = lookup_type_cache(RangeTypeGetOid(valid), TYPECACHE_RANGE_INFO);
				range_deserialize(tc, valid, &lo, &hi, &empty);
				if (empty)
					bad_clause(r->id, "A clause's valid range must not be empty.");
				/* as lower(valid) and upper(valid) read by revenue_clauses.c: NULL is unbounded */
				r->c.lo = lo.infinite ? DATEVAL_NOBEGIN : DatumGetDateADT(lo.val);
				r->c.hi = hi.infinite ? DATEVAL_NOEND : DatumGetDateADT(hi.val);
			}
			n++;
		}
		qsort(rows, n, sizeof(SortClause), clause_cmp);
	}
	flat = palloc(sizeof(RevenueClause) * Max(n, 1));
	for (i = 0; i < n; i++)
		flat[i] = rows[i].c;
	revenue_cache_set_clauses(&st->trans, flat, n);
	MemoryContextSwitchTo(old);
}

/*
 * Is argument argno of the aggregate a constant of the query (a Const or a
 * bound parameter)?  Seen through the Aggref being evaluated: ours, or the
 * one Citus wraps around it on a worker,
 *   worker_partial_agg('agg'::regprocedure, ROW(arg1, ..., argN)).
 */
static bool
arg_is_fixed(FunctionCallInfo fcinfo, int argno)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	List	   *args;
	Node	   *arg;
	Oid			agg;
	HeapTuple	tup;
	Oid			transfn = InvalidOid;

	if (aggref == NULL || list_length(aggref->args) < 1)
		return false;
	args = NIL;
	agg = aggref->aggfnoid;
	if (list_length(aggref->args) == 2)
	{
		Node	   *first = (Node *) ((TargetEntry *) linitial(aggref->args))->expr;
		Node	   *second = (Node *) ((TargetEntry *) lsecond(aggref->args))->expr;

		if (IsA(first, Const) && !((Const *) first)->constisnull &&
			(((Const *) first)->consttype == REGPROCEDUREOID || ((Const *) first)->consttype == OIDOID) &&
			IsA(second, RowExpr))
		{
			agg = DatumGetObjectId(((Const *) first)->constvalue);
			args = ((RowExpr *) second)->args;
		}
	}
	tup = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(agg));
	if (HeapTupleIsValid(tup))
	{
		transfn = ((Form_pg_aggregate) GETSTRUCT(tup))->aggtransfn;
		ReleaseSysCache(tup);
	}
	if (transfn != fcinfo->flinfo->fn_oid)
		return false;
	if (args == NIL)
	{
		ListCell   *lc;

		foreach(lc, aggref->args)
			args = lappend(args, ((TargetEntry *) lfirst(lc))->expr);
	}
	/* the transition function's argument argno is the aggregate's argno - 1 */
	if (argno - 1 >= list_length(args))
		return false;
	arg = (Node *) list_nth(args, argno - 1);
	while (arg && IsA(arg, RelabelType))
		arg = (Node *) ((RelabelType *) arg)->arg;
	if (arg == NULL)
		return false;
	if (IsA(arg, Const))
		return true;
	if (IsA(arg, Param) && ((Param *) arg)->paramkind == PARAM_EXTERN)
		return true;
	/*
	 * The output of an uncorrelated subquery computed once for this node
	 * (an InitPlan of the aggregate's own plan node), as in
	 * revenue_agg_dist(..., (SELECT array_agg(c) FROM dealscope.clause c)):
	 * it changes only when the node is scanned again, with new states.
	 */
	if (IsA(arg, Param) && ((Param *) arg)->paramkind == PARAM_EXEC &&
		fcinfo->context && IsA(fcinfo->context, AggState))
	{
		ListCell   *lc;

		foreach(lc, ((AggState *) fcinfo->context)->ss.ps.initPlan)
		{
			SubPlanState *sps = (SubPlanState *) lfirst(lc);

			if (list_member_int(sps->subplan->setParam, ((Param *) arg)->paramid))
				return true;
		}
	}
	return false;
}

/* Every row of a group must give the same clauses (checked unless constant). */
static void
check_clauses(DistState *st, FunctionCallInfo fcinfo)
{
	int			argno = st->clauses_arg;
	struct varlena *v;
	bool		same;

	if (st->clauses_fixed)
		return;
	if (PG_ARGISNULL(argno))
		same = (st->clauses == NULL);
	else
	{
		v = (struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(argno));
		same = st->clauses != NULL &&
			VARSIZE_ANY_EXHDR(v) == VARSIZE_ANY_EXHDR(st->clauses) &&
			memcmp(VARDATA_ANY(v), VARDATA_ANY(st->clauses), VARSIZE_ANY_EXHDR(v)) == 0;
	}
	if (!same)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"clauses\" differs between rows of one group"),
				 errdetail("The clauses are read once per group: pass the same array for every row, "
						   "e.g. a query parameter or a one-row CTE.")));
}

/* ------------------------------------------------------------------------
 * The transition functions
 * ------------------------------------------------------------------------ */

/*
 * Run a revenue_*.c transition function fn (nargs arguments including the
 * state) on this row: the row's arguments 1 .. nargs - 1 are passed on;
 * argument clauses_arg (-1: none) is the clauses.
 */
static Datum
dist_trans(FunctionCallInfo fcinfo, DistFamily family, PGFunction fn, int nargs, int clauses_arg)
{
	DistState  *st = state_for_update(fcinfo, 0, family);
	LOCAL_FCINFO(in, 12);
	Datum		r;
	int			i;

	Assert(nargs <= 12);
	if (st == NULL)
		st = dist_new(fcinfo, family);
	st->aggnode = fcinfo->context;
	if (!st->have_trans)
	{
		/*
		 * The inner function sees the calling function's OID: revenue_output.c finds
		 * the extension's schema (for its row types) through it.
		 */
		MemSet(&st->trans, 0, sizeof(FmgrInfo));
		st->trans.fn_addr = fn;
		st->trans.fn_oid = fcinfo->flinfo->fn_oid;
		st->trans.fn_nargs = nargs;
		st->trans.fn_strict = false;
		st->trans.fn_mcxt = st->hdr.eoh_context;
		st->clauses_arg = clauses_arg;
		if (clauses_arg >= 0)
		{
			read_clauses(st, fcinfo, clauses_arg);
			st->clauses_fixed = arg_is_fixed(fcinfo, clauses_arg);
		}
		st->have_trans = true;
	}
	else if (clauses_arg >= 0)
		check_clauses(st, fcinfo);

	InitFunctionCallInfoData(*in, &st->trans, nargs, fcinfo->fncollation, fcinfo->context, NULL);
	in->args[0].value = st->inner;
	in->args[0].isnull = (st->inner == (Datum) 0);
	for (i = 1; i < nargs; i++)
		in->args[i] = fcinfo->args[i];
	r = FunctionCallInvoke(in);
	st->inner = in->isnull ? (Datum) 0 : r;
	state_changed(st);
	PG_RETURN_DATUM(state_datum(st));
}

PG_FUNCTION_INFO_V1(prorate_agg_dist_trans);
Datum
prorate_agg_dist_trans(PG_FUNCTION_ARGS)
{
	/* (state, amount, period, currency, grain, fy_start, share) */
	return dist_trans(fcinfo, FAM_SLICES, prorate_agg_trans, 7, -1);
}

PG_FUNCTION_INFO_V1(revenue_agg_dist_trans);
Datum
revenue_agg_dist_trans(PG_FUNCTION_ARGS)
{
	/* (state, seller, product, channel, amount, currency, period, grain, fy_start, holder, clauses) */
	return dist_trans(fcinfo, FAM_SLICES, revenue_agg_trans, 10, 10);
}

PG_FUNCTION_INFO_V1(revenue_provider_agg_dist_trans);
Datum
revenue_provider_agg_dist_trans(PG_FUNCTION_ARGS)
{
	/* (state, seller, product, channel, amount, currency, period, grain, fy_start, window, clauses) */
	return dist_trans(fcinfo, FAM_KEYED, revenue_provider_agg_trans, 10, 10);
}

PG_FUNCTION_INFO_V1(exposure_agg_dist_trans);
Datum
exposure_agg_dist_trans(PG_FUNCTION_ARGS)
{
	/*
	 * (state, party, seller, buyer, product, channel, amount, currency,
	 * period, grain, fy_start, window, clauses)
	 */
	return dist_trans(fcinfo, FAM_KEYED, exposure_agg_trans, 12, 12);
}

/* ------------------------------------------------------------------------
 * Combine and final functions
 * ------------------------------------------------------------------------ */

/* Adds state b into state a (either may be NULL, or flat bytes from another process). */
PG_FUNCTION_INFO_V1(dist_agg_combine);
Datum
dist_agg_combine(PG_FUNCTION_ARGS)
{
	DistState  *a;
	DistFamily	bfam;
	Datum		b;
	Datum		r;
	bool		isnull;

	(void) dist_agg_context(fcinfo, "dist_agg_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = inner_for_read(fcinfo, 1, &bfam);
	a = state_for_update(fcinfo, 0, bfam);
	if (a == NULL)
		a = dist_new(fcinfo, bfam);
	a->aggnode = fcinfo->context;
	if (b != (Datum) 0)
	{
		/* revenue_*.c's combine copies b into a (a new one when a has no flow yet) */
		r = call_inner(bfam == FAM_SLICES ? revenue_agg_combine : keyed_agg_combine,
					   fcinfo, fcinfo->context, 2,
					   a->inner, a->inner == (Datum) 0, b, false, &isnull);
		a->inner = isnull ? (Datum) 0 : r;
		state_changed(a);
	}
	PG_RETURN_DATUM(state_datum(a));
}

static Datum
dist_final(FunctionCallInfo fcinfo, DistFamily family, PGFunction fn)
{
	DistFamily	fam;
	Datum		inner;
	bool		isnull;
	Datum		r;

	(void) dist_agg_context(fcinfo, "dealscope distributed aggregate's final function");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	inner = inner_for_read(fcinfo, 0, &fam);
	family_check(fam, family);
	if (inner == (Datum) 0)
		PG_RETURN_NULL();
	r = call_inner(fn, fcinfo, fcinfo->context, 1, inner, false, (Datum) 0, true, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(r);
}

PG_FUNCTION_INFO_V1(dist_slices_final);
Datum
dist_slices_final(PG_FUNCTION_ARGS)
{
	return dist_final(fcinfo, FAM_SLICES, revenue_agg_final);
}

PG_FUNCTION_INFO_V1(dist_keyed_final);
Datum
dist_keyed_final(PG_FUNCTION_ARGS)
{
	return dist_final(fcinfo, FAM_KEYED, keyed_agg_final);
}
