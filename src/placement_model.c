/*
 * placement_model.c — the placement model (placement_model.h): the
 * queries through the extension's catalog entry, loading their rows into
 * plain C structures, and the model built from them once per call.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "access/detoast.h"

#include "endpoint.h"
#include "guard.h"
#include "placement_model.h"
#include "placement_reasons.h"
#include "placement_rules.h"

static const char *const verdict_names[] = {"allowed", "conditional", "blocked"};

const char *const placement_kind_names[] = {
	"exclusivity", "rofr", "first_launch", "residency",
	"revenue_share", "primary_partner", "commitment"
};

/* Copy a varlena out of SPI memory, detoasted. */
static struct varlena *
copy_varlena(Datum d)
{
	struct varlena *v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(d));
	struct varlena *copy;

	if (v != (struct varlena *) DatumGetPointer(d))
		return v;
	copy = palloc(VARSIZE_ANY(v));
	memcpy(copy, v, VARSIZE_ANY(v));
	return copy;
}

/* ------------------------------------------------------------ SPI loading */

enum
{
	Q_WORKLOADS_ALL,
	Q_WORKLOAD_ONE,
	Q_CLAUSES_ALL,
	Q_CLAUSES_GRANTOR,
	Q_EVENTS_ALL,
	Q_EVENTS_ONE,
	Q_REGIONS_ALL,
	Q_REGION_ONE,
	Q_JURIS,
	Q_CANDIDATES_DEFAULT,
	NQUERIES
};

/*
 * Every table and operator is schema-qualified so that no search_path can
 * redirect these queries.  The tables are named in the extension's own
 * schema, found through its catalog entry (guard.c): @extschema@ below is
 * replaced by that name, quoted, and the texts and plans are rebuilt should
 * it ever change.  Text ordering is bytewise (COLLATE "C") because the C
 * code merges and binary-searches these lists with strcmp.
 */
#define WORKLOAD_COLS "SELECT id, owner, product, data_class, requested_on FROM @extschema@.workload "
#define CLAUSE_COLS \
	"SELECT id, kind, holder, grantor, products, scope, " \
	"pg_catalog.lower(valid), pg_catalog.upper(valid), " \
	"pg_catalog.lower_inc(valid), pg_catalog.upper_inc(valid), " \
	"window_days, lag_days, data_class, jurisdictions, amount, currency, min_share " \
	"FROM @extschema@.clause WHERE valid OPERATOR(pg_catalog.@>) $1 "
#define EVENT_COLS \
	"SELECT workload_id, kind, holder, at, on_date FROM @extschema@.placement_event " \
	"WHERE on_date OPERATOR(pg_catalog.<=) $1 "

static const char *const query_template[NQUERIES] = {
	WORKLOAD_COLS "ORDER BY id COLLATE pg_catalog.\"C\"",
	WORKLOAD_COLS "WHERE id OPERATOR(pg_catalog.=) $1",
	CLAUSE_COLS "ORDER BY grantor COLLATE pg_catalog.\"C\", id COLLATE pg_catalog.\"C\"",
	CLAUSE_COLS "AND grantor OPERATOR(pg_catalog.=) $2 ORDER BY id COLLATE pg_catalog.\"C\"",
	EVENT_COLS "ORDER BY workload_id COLLATE pg_catalog.\"C\"",
	EVENT_COLS "AND workload_id OPERATOR(pg_catalog.=) $2",
	"SELECT provider, region, country FROM @extschema@.region",
	"SELECT provider, region, country FROM @extschema@.region "
	"WHERE provider OPERATOR(pg_catalog.=) $1 AND region OPERATOR(pg_catalog.=) $2",
	"SELECT code, countries FROM @extschema@.jurisdiction",
	"SELECT @extschema@.endpoint(provider, region) AS e FROM @extschema@.region ORDER BY e",
};

static const int query_nargs[NQUERIES] = {0, 1, 1, 2, 1, 2, 0, 2, 0, 0};
static const Oid query_argtypes[NQUERIES][2] = {
	{0, 0}, {TEXTOID, 0}, {DATEOID, 0}, {DATEOID, TEXTOID}, {DATEOID, 0},
	{DATEOID, TEXTOID}, {0, 0}, {TEXTOID, TEXTOID}, {0, 0}, {0, 0}
};

/*
 * Plans are prepared once per backend; the plan cache revalidates them.
 * query_text[] holds the templates with the schema filled in, for the name
 * of generation query_generation (guard.h).
 */
static SPIPlanPtr query_plans[NQUERIES];
static char *query_text[NQUERIES];
static uint64 query_generation;

static void
ensure_query_texts(void)
{
	uint64		generation;
	const char *nsp = dealscope_schema_name(&generation);
	int			q;

	if (query_text[0] != NULL && generation == query_generation)
		return;
	for (q = 0; q < NQUERIES; q++)
	{
		StringInfoData buf;
		const char *t = query_template[q];
		const char *hit;

		if (query_plans[q] != NULL)
		{
			SPI_freeplan(query_plans[q]);
			query_plans[q] = NULL;
		}
		if (query_text[q] != NULL)
			pfree(query_text[q]);
		initStringInfo(&buf);
		while ((hit = strstr(t, "@extschema@")) != NULL)
		{
			appendBinaryStringInfo(&buf, t, hit - t);
			appendStringInfoString(&buf, nsp);
			t = hit + strlen("@extschema@");
		}
		appendStringInfoString(&buf, t);
		query_text[q] = MemoryContextStrdup(TopMemoryContext, buf.data);
		pfree(buf.data);
	}
	query_generation = generation;
}

static SPITupleTable *
run_query(int q, Datum *args)
{
	int			rc;

	ensure_query_texts();
	if (query_plans[q] == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(query_text[q], query_nargs[q],
									   (Oid *) query_argtypes[q]);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s",
				 query_text[q], SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		query_plans[q] = plan;
	}
	rc = SPI_execute_plan(query_plans[q], args, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed for \"%s\": %s",
			 query_text[q], SPI_result_code_string(rc));
	return SPI_tuptable;
}

/* Text of column col (1-based) in model memory, or NULL. */
static char *
get_text(SPITupleTable *tt, uint64 row, int col)
{
	return SPI_getvalue(tt->vals[row], tt->tupdesc, col);
}

static Datum
get_datum(SPITupleTable *tt, uint64 row, int col, bool *isnull)
{
	return SPI_getbinval(tt->vals[row], tt->tupdesc, col, isnull);
}

static ClauseKind
kind_from_text(const char *s)
{
	int			i;

	for (i = 0; i <= CK_COMMITMENT; i++)
		if (strcmp(s, placement_kind_names[i]) == 0)
			return (ClauseKind) i;
	elog(ERROR, "unexpected clause kind \"%s\"", s);
	return CK_EXCLUSIVITY;		/* keep compiler quiet */
}

static void
load_workloads(Model *m, SPITupleTable *tt)
{
	uint64		i;

	m->nworkloads = (int) SPI_processed;
	m->workloads = palloc0(sizeof(PWorkload) * Max(m->nworkloads, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		PWorkload  *w = &m->workloads[i];
		bool		isnull;

		w->id = get_text(tt, i, 1);
		w->owner = get_text(tt, i, 2);
		w->product = get_text(tt, i, 3);
		w->data_class = get_text(tt, i, 4);
		w->requested_on = DatumGetDateADT(get_datum(tt, i, 5, &isnull));
	}
}

static void
load_clauses(Model *m, SPITupleTable *tt)
{
	uint64		i;

	m->nclauses = (int) SPI_processed;
	m->clauses = palloc0(sizeof(PClause) * Max(m->nclauses, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		PClause    *cl = &m->clauses[i];
		bool		isnull;
		Datum		d;

		cl->id = get_text(tt, i, 1);
		cl->kind = kind_from_text(get_text(tt, i, 2));
		cl->kind_datum = get_datum(tt, i, 2, &isnull);
		cl->holder = get_text(tt, i, 3);
		cl->grantor = get_text(tt, i, 4);
		cl->products = get_text(tt, i, 5);
		d = get_datum(tt, i, 6, &isnull);
		if (!isnull)
		{
			cl->scope = copy_varlena(d);
			cl->scope_text = get_text(tt, i, 6);
		}
		d = get_datum(tt, i, 7, &isnull);
		cl->has_lo = !isnull;
		if (!isnull)
			cl->lo = DatumGetDateADT(d);
		d = get_datum(tt, i, 8, &isnull);
		cl->has_hi = !isnull;
		if (!isnull)
			cl->hi = DatumGetDateADT(d);
		cl->lo_inc = DatumGetBool(get_datum(tt, i, 9, &isnull));
		cl->hi_inc = DatumGetBool(get_datum(tt, i, 10, &isnull));
		/* the first day the clause no longer applies, when it is a date */
		cl->end_known = cl->has_hi && !DATE_NOT_FINITE(cl->hi);
		if (cl->end_known)
		{
			cl->end = cl->hi;
			if (cl->hi_inc && !date_add_days(cl->hi, 1, &cl->end))
				cl->end_known = false;
		}
		d = get_datum(tt, i, 11, &isnull);
		cl->window_days = isnull ? 0 : DatumGetInt32(d);
		d = get_datum(tt, i, 12, &isnull);
		cl->lag_days = isnull ? 0 : DatumGetInt32(d);
		cl->data_class = get_text(tt, i, 13);
		d = get_datum(tt, i, 14, &isnull);
		if (!isnull)
		{
			ArrayType  *arr = DatumGetArrayTypePCopy(d);
			Datum	   *elems;
			bool	   *nulls;
			int			n,
						j;
			StringInfoData buf;

			deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT,
							  &elems, &nulls, &n);
			cl->jur = palloc(sizeof(char *) * Max(n, 1));
			cl->njur = 0;
			initStringInfo(&buf);
			for (j = 0; j < n; j++)
			{
				if (nulls[j])
					continue;
				cl->jur[cl->njur] = TextDatumGetCString(elems[j]);
				if (cl->njur > 0)
					appendStringInfoString(&buf, ", ");
				appendStringInfoString(&buf, cl->jur[cl->njur]);
				cl->njur++;
			}
			cl->jur_text = buf.data;
		}
		cl->amount_text = get_text(tt, i, 15);
		cl->currency_text = get_text(tt, i, 16);
		cl->min_share_text = get_text(tt, i, 17);
		if (cl->kind == CK_RESIDENCY)
			m->any_residency = true;
	}
}

static void
load_events(Model *m, SPITupleTable *tt)
{
	uint64		i;

	m->nevents = (int) SPI_processed;
	m->events = palloc0(sizeof(PEvent) * Max(m->nevents, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		PEvent	   *e = &m->events[i];
		const char *kind = get_text(tt, i, 2);
		bool		isnull;
		Datum		d;

		e->workload_id = get_text(tt, i, 1);
		if (strcmp(kind, "offer") == 0)
			e->kind = EV_OFFER;
		else if (strcmp(kind, "decline") == 0)
			e->kind = EV_DECLINE;
		else if (strcmp(kind, "accept") == 0)
			e->kind = EV_ACCEPT;
		else
			e->kind = EV_LAUNCH;
		e->holder = get_text(tt, i, 3);
		d = get_datum(tt, i, 4, &isnull);
		e->at = isnull ? NULL : copy_varlena(d);
		e->on = DatumGetDateADT(get_datum(tt, i, 5, &isnull));
	}
}

/* char(2)[] of country codes into sorted packed codes. */
static int *
country_array(Datum d, int *count)
{
	ArrayType  *arr = DatumGetArrayTypePCopy(d);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				j,
				k = 0;
	int		   *codes;

	deconstruct_array(arr, ARR_ELEMTYPE(arr), -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	codes = palloc(sizeof(int) * Max(n, 1));
	for (j = 0; j < n; j++)
	{
		struct varlena *v;
		int			c;

		if (nulls[j])
			continue;
		v = (struct varlena *) DatumGetPointer(elems[j]);
		c = country_code(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
		if (c >= 0)
			codes[k++] = c;
	}
	*count = k;
	return codes;
}

static int
bpchar_country(Datum d)
{
	struct varlena *v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(d));

	return country_code(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
}

static void
load_regions(Model *m, SPITupleTable *tt)
{
	uint64		i;

	m->nregions = (int) SPI_processed;
	m->regions = palloc0(sizeof(PRegion) * Max(m->nregions, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d;

		m->regions[i].provider = get_text(tt, i, 1);
		m->regions[i].region = get_text(tt, i, 2);
		d = get_datum(tt, i, 3, &isnull);
		m->regions[i].country = isnull ? -1 : bpchar_country(d);
	}
}

static void
load_juris(Model *m, SPITupleTable *tt)
{
	uint64		i;

	m->njuris = (int) SPI_processed;
	m->juris = palloc0(sizeof(PJuris) * Max(m->njuris, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d;

		m->juris[i].code = get_text(tt, i, 1);
		d = get_datum(tt, i, 2, &isnull);
		if (!isnull)
			m->juris[i].countries = country_array(d, &m->juris[i].ncountries);
	}
}

/* ---------------------------------------------------- building the model */

/* Give each workload its slice of the (workload_id-sorted) events. */
static void
attach_events(Model *m)
{
	int			w = 0,
				e = 0;

	while (w < m->nworkloads && e < m->nevents)
	{
		int			c = strcmp(m->workloads[w].id, m->events[e].workload_id);

		if (c < 0)
			w++;
		else if (c > 0)
			e++;
		else
		{
			m->workloads[w].first_event = e;
			while (e < m->nevents && strcmp(m->workloads[w].id, m->events[e].workload_id) == 0)
				e++;
			m->workloads[w].nevents = e - m->workloads[w].first_event;
			w++;
		}
	}
}

Model *
placement_model_create(DateADT d)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "dealscope placement",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Model	   *m = palloc0(sizeof(Model));
	int			v;

	m->cxt = cxt;
	m->d = d;
	placement_reasons_init(m);
	for (v = 0; v < 3; v++)
		m->verdict_text[v] = CStringGetTextDatum(verdict_names[v]);
	MemoryContextSwitchTo(old);
	return m;
}

/* The error for a workload id that names no workload. */
void
placement_workload_missing(text *id)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("workload \"%s\" does not exist", text_to_cstring(id))));
}

/*
 * Read everything one call needs.  wid: one workload (placement_check and
 * placement_reasons; error when missing) or NULL for all; the candidates
 * must already be set, or NULL for the default (every catalogued region).
 */
void
placement_model_load(Model *m, text *wid, bool default_candidates)
{
	MemoryContext old;
	Datum		args[2];
	SPITupleTable *tt;
	int			c;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	old = MemoryContextSwitchTo(m->cxt);

	args[0] = wid ? PointerGetDatum(wid) : DateADTGetDatum(m->d);
	tt = run_query(wid ? Q_WORKLOAD_ONE : Q_WORKLOADS_ALL, args);
	MemoryContextSwitchTo(m->cxt);
	if (wid && SPI_processed == 0)
		placement_workload_missing(wid);
	load_workloads(m, tt);

	args[0] = DateADTGetDatum(m->d);
	if (wid)
	{
		args[1] = CStringGetTextDatum(m->workloads[0].owner);
		tt = run_query(Q_CLAUSES_GRANTOR, args);
	}
	else
		tt = run_query(Q_CLAUSES_ALL, args);
	MemoryContextSwitchTo(m->cxt);
	load_clauses(m, tt);

	if (m->nclauses > 0)
	{
		args[1] = wid ? PointerGetDatum(wid) : (Datum) 0;
		tt = run_query(wid ? Q_EVENTS_ONE : Q_EVENTS_ALL, args);
		MemoryContextSwitchTo(m->cxt);
		load_events(m, tt);
		attach_events(m);
	}

	if (default_candidates)
	{
		uint64		i;

		tt = run_query(Q_CANDIDATES_DEFAULT, args);
		MemoryContextSwitchTo(m->cxt);
		m->ncands = (int) SPI_processed;
		m->cands = palloc0(sizeof(PCandidate) * Max(m->ncands, 1));
		for (i = 0; i < SPI_processed; i++)
		{
			bool		isnull;

			m->cands[i].ep = copy_varlena(get_datum(tt, i, 1, &isnull));
			m->cands[i].view = endpoint_view(m->cands[i].ep);
		}
	}

	if (m->any_residency)
	{
		if (wid && m->ncands == 1)
		{
			EndpointView *v = &m->cands[0].view;

			args[0] = PointerGetDatum(cstring_to_text_with_len(v->provider, v->provider_len));
			args[1] = PointerGetDatum(cstring_to_text_with_len(v->region, v->region_len));
			tt = run_query(Q_REGION_ONE, args);
		}
		else
			tt = run_query(Q_REGIONS_ALL, args);
		MemoryContextSwitchTo(m->cxt);
		load_regions(m, tt);
		tt = run_query(Q_JURIS, args);
		MemoryContextSwitchTo(m->cxt);
		load_juris(m, tt);
	}

	MemoryContextSwitchTo(old);
	SPI_finish();

	old = MemoryContextSwitchTo(m->cxt);
	placement_prepare_clauses(m);
	for (c = 0; c < m->ncands; c++)
		placement_prepare_candidate(m, &m->cands[c]);
	m->applied = palloc(sizeof(Applied) * Max(m->nclauses, 1));
	m->scratch_b = palloc(sizeof(int) * Max(m->nclauses, 1));
	m->scratch_c = palloc(sizeof(int) * Max(m->nclauses, 1));
	m->scratch_ids = palloc(sizeof(int) * Max(m->nclauses, 1));
	MemoryContextSwitchTo(old);
}

/* Candidates from an endpoint[] (NULL elements skipped). */
void
placement_model_set_candidates(Model *m, ArrayType *arr)
{
	MemoryContext old = MemoryContextSwitchTo(m->cxt);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign,
					  &elems, &nulls, &n);
	m->cands = palloc0(sizeof(PCandidate) * Max(n, 1));
	m->ncands = 0;
	for (i = 0; i < n; i++)
	{
		PCandidate *c;

		if (nulls[i])
			continue;
		c = &m->cands[m->ncands++];
		c->ep = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(elems[i]));
		c->view = endpoint_view(c->ep);
	}
	MemoryContextSwitchTo(old);
}

void
placement_model_set_one_candidate(Model *m, struct varlena *ep)
{
	MemoryContext old = MemoryContextSwitchTo(m->cxt);

	m->cands = palloc0(sizeof(PCandidate));
	m->ncands = 1;
	m->cands[0].ep = ep;
	m->cands[0].view = endpoint_view(ep);
	MemoryContextSwitchTo(old);
}
