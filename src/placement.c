/*
 * placement.c — may a workload be served on an endpoint on a date, and if
 * not, why not and from when?  (placement_check, placement_reasons,
 * placement_matrix, placement_summary; doc/design.md, "Placement".)
 *
 * Design.  Every entry point reads what it needs ONCE per call through SPI
 * (clauses in force on the day, the workloads, their events up to the day,
 * the region and jurisdiction catalogs) into plain C structures, and then
 * evaluates every (workload, endpoint) pair in C without any SQL per pair:
 *
 *  - clauses are sorted by (grantor, id), so the clauses that may apply to
 *    a workload are one contiguous run found by binary search on its owner;
 *  - for every candidate endpoint, whether it is "inside" each clause (in
 *    its scope; for residency: in an allowed country) is computed once per
 *    call, a candidates x clauses bitmap, not once per workload;
 *  - for each workload, what every applicable clause says about endpoints
 *    outside it depends only on the workload's events, so it is computed
 *    once per workload ("applied" clauses), and a pair is then a loop over
 *    the few applied clauses testing one bit each;
 *  - reason texts are interned, and the text[] of reasons for a given list
 *    of reasons is built once and reused.
 *
 * placement_matrix is the exception to "one call": it is an SQL function
 * (src/placement.sql) that PostgreSQL inlines into the calling query, a
 * join of workloads and candidates whose per-pair columns come from the
 * placement_pair_* helpers here.  Their model is built once per query and
 * day and shared by the three of them (see "per-pair helpers" below).
 * Returning rows from a C set-returning function in FROM would put every
 * row through a tuplestore, which cost 87 % of the time at 3 million rows.
 *
 * Semantics (doc/design.md, "Placement"), with the edge cases decided here:
 *  - a clause applies when grantor = owner, the product matches one of the
 *    comma-separated globs in products ('*' = any characters; white space
 *    around a glob ignored; case-sensitive; products.h, shared with the
 *    revenue reports), and d lies in valid; rofr and first_launch also need
 *    requested_on in valid; residency needs the workload's data_class to
 *    equal the clause's;
 *  - only events with on_date <= d count;
 *  - every obstacle also lifts when its clause stops applying, on the first
 *    day after valid; so each lift date is capped by that day, and an
 *    obstacle lifts at no known date only when valid has no (finite) end;
 *  - rofr: the state is given by the latest offer/decline/accept to the
 *    clause's holder (same day: offer, then decline, then accept);
 *    an offer made on day O is pending while d < O + window_days, lapsed
 *    (allowed) from then on; an accept blocks until the clause ends;
 *  - first_launch: the earliest launch inside the scope counts;
 *  - residency: the endpoint's region is looked up in the region catalog;
 *    a jurisdictions entry is a country code or a jurisdiction code (both,
 *    when it is both), compared case-insensitively; an uncatalogued region
 *    is blocked ("unknown region");
 *  - the verdict is the worst over the clauses; eligible_from is d when
 *    allowed, else the latest lift date of the non-allowed clauses, NULL when
 *    any of them has none.
 */
#include "postgres.h"

#include <ctype.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "access/detoast.h"
#include "common/hashfn.h"
#include "utils/tuplestore.h"

#include "endpoint.h"
#include "endpoint_set.h"
#include "guard.h"
#include "products.h"
#include "visibility.h"

typedef enum Verdict
{
	VERDICT_ALLOWED = 0,
	VERDICT_CONDITIONAL = 1,
	VERDICT_BLOCKED = 2
} Verdict;

static const char *const verdict_names[] = {"allowed", "conditional", "blocked"};

typedef enum ClauseKind
{
	CK_EXCLUSIVITY,
	CK_ROFR,
	CK_FIRST_LAUNCH,
	CK_RESIDENCY,
	CK_REVENUE_SHARE,
	CK_PRIMARY_PARTNER,
	CK_COMMITMENT
} ClauseKind;

static const char *const kind_names[] = {
	"exclusivity", "rofr", "first_launch", "residency",
	"revenue_share", "primary_partner", "commitment"
};

typedef enum EventKind
{
	EV_OFFER = 0,				/* order matters: same-day precedence */
	EV_DECLINE = 1,
	EV_ACCEPT = 2,
	EV_LAUNCH = 3
} EventKind;

/* Reason codes; a reason is (clause, code, a) interned to one text. */
typedef enum ReasonCode
{
	R_EXCL_IN,
	R_EXCL_OUT,
	R_ROFR_IN,
	R_ROFR_NO_OFFER,
	R_ROFR_PENDING,				/* a = offer day */
	R_ROFR_DECLINED,			/* a = decline day */
	R_ROFR_LAPSED,				/* a = offer day */
	R_ROFR_ACCEPTED,			/* a = accept day */
	R_FL_IN,
	R_FL_NOT_LAUNCHED,
	R_FL_LAUNCHED,				/* a = event index */
	R_RES,						/* a = country code, -1 unknown region */
	R_NO_EFFECT
} ReasonCode;

typedef struct PClause
{
	const char *id;
	ClauseKind	kind;
	Datum		kind_datum;		/* the clause_kind enum value */
	const char *holder;			/* may be NULL (residency) */
	const char *grantor;
	const char *products;		/* comma-separated globs (products.h) */
	struct varlena *scope;		/* NULL when absent */
	const char *scope_text;
	/* valid as bounds; lo/hi absent = unbounded */
	bool		has_lo,
				has_hi,
				lo_inc,
				hi_inc;
	DateADT		lo,
				hi;
	bool		end_known;		/* first day after valid is a finite date */
	DateADT		end;
	int32		window_days;
	int32		lag_days;
	const char *data_class;
	const char *jur_text;		/* jurisdictions joined with ", " */
	char	  **jur;
	int			njur;
	int		   *countries;		/* residency: allowed country codes */
	int			ncountries;
	const char *amount_text;
	const char *currency_text;
	const char *min_share_text;
	bool		has_effect;		/* exclusivity, rofr, first_launch, residency */
} PClause;

typedef struct PEvent
{
	const char *workload_id;
	EventKind	kind;
	const char *holder;
	struct varlena *at;
	DateADT		on;
} PEvent;

typedef struct PWorkload
{
	const char *id;
	const char *owner;
	const char *product;
	const char *data_class;
	DateADT		requested_on;
	int			first_event;
	int			nevents;
} PWorkload;

typedef struct PRegion
{
	const char *provider;
	const char *region;
	int			country;
} PRegion;

typedef struct PJuris
{
	const char *code;
	int		   *countries;
	int			ncountries;
} PJuris;

typedef struct PCandidate
{
	struct varlena *ep;
	EndpointView view;
	int			country;		/* -1: region not in the catalog */
	/* per clause (indexed like Model.clauses) */
	bool	   *inside;			/* in the clause's scope / allowed country */
	int		   *res_reason;		/* residency clauses: the reason */
} PCandidate;

/* What an applicable clause says about one workload. */
typedef struct Applied
{
	PClause    *cl;
	int			clause_index;
	Verdict		out_verdict;	/* for endpoints not inside the clause */
	bool		out_lift_known;
	DateADT		out_lift;
	int			out_reason;		/* -1: per candidate (residency) */
	int			in_reason;		/* -1: per candidate (residency) */
} Applied;

typedef struct ReasonKey
{
	int32		clause;
	int32		code;
	int32		a;
} ReasonKey;

typedef struct ReasonEntry
{
	ReasonKey	key;
	int			index;
} ReasonEntry;

#define ARRKEY_MAX 8
typedef struct ArrKey
{
	int32		n;
	int32		ids[ARRKEY_MAX];
} ArrKey;

typedef struct ArrEntry
{
	ArrKey		key;
	Datum		array;
} ArrEntry;

typedef struct Model
{
	MemoryContext cxt;
	DateADT		d;
	PClause    *clauses;
	int			nclauses;
	PWorkload  *workloads;
	int			nworkloads;
	PEvent	   *events;
	int			nevents;
	PRegion    *regions;
	int			nregions;
	PJuris	   *juris;
	int			njuris;
	PCandidate *cands;
	int			ncands;
	bool		any_residency;
	/* interned reasons */
	HTAB	   *reason_hash;
	char	  **reason_str;
	Datum	   *reason_text;
	int			nreasons;
	int			reasons_cap;
	HTAB	   *array_hash;
	Datum		empty_array;
	Datum		verdict_text[3];
	/* scratch, sized nclauses */
	Applied    *applied;
	int		   *scratch_b;
	int		   *scratch_c;
	int		   *scratch_ids;
} Model;

/* The result for one pair. */
typedef struct PairResult
{
	Verdict		verdict;
	bool		lift_known;
	DateADT		lift;
	int			nblocked;		/* indexes into the Applied list */
	int			nconditional;
	int		   *blocked;
	int		   *conditional;
} PairResult;

/* ---------------------------------------------------------------- helpers */

/* ISO date text, independent of the DateStyle setting (reasons are data). */
static void
format_date(DateADT d, char *buf, size_t size)
{
	int			y,
				m,
				day;

	if (DATE_IS_NOBEGIN(d))
		snprintf(buf, size, "-infinity");
	else if (DATE_IS_NOEND(d))
		snprintf(buf, size, "infinity");
	else
	{
		j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
		if (y > 0)
			snprintf(buf, size, "%04d-%02d-%02d", y, m, day);
		else
			snprintf(buf, size, "%04d-%02d-%02d BC", 1 - y, m, day);
	}
}

/* d + n days, or false when that is past the last representable date. */
static bool
date_add_days(DateADT d, int32 n, DateADT *result)
{
	int64		r = (int64) d + n;

	if (DATE_NOT_FINITE(d) || r >= (int64) (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE))
		return false;
	*result = (DateADT) r;
	return true;
}

/* A two-letter code packed into an int (upper-cased), or -1. */
static int
country_code(const char *s, int len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len != 2)
		return -1;
	return (pg_toupper((unsigned char) s[0]) << 8) | pg_toupper((unsigned char) s[1]);
}

/* Does the clause's products list cover the workload's product? */
static bool
clause_matches_product(const PClause *cl, const char *product)
{
	return products_match(cl->products, product, strlen(product));
}

static bool
clause_valid_contains(const PClause *cl, DateADT d)
{
	if (cl->has_lo && (cl->lo_inc ? d < cl->lo : d <= cl->lo))
		return false;
	if (cl->has_hi && (cl->hi_inc ? d > cl->hi : d >= cl->hi))
		return false;
	return true;
}

static char *
endpoint_view_text(const EndpointView *v)
{
	if (v->service)
		return psprintf("%.*s/%.*s/%.*s", v->provider_len, v->provider,
						v->region_len, v->region, v->service_len, v->service);
	return psprintf("%.*s/%.*s", v->provider_len, v->provider,
					v->region_len, v->region);
}

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

static int
cmp_int(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
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
		if (strcmp(s, kind_names[i]) == 0)
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

/* ------------------------------------------------------- model preparation */

static int
region_country(Model *m, const EndpointView *v)
{
	int			i;

	for (i = 0; i < m->nregions; i++)
	{
		const PRegion *r = &m->regions[i];

		if ((int) strlen(r->provider) == v->provider_len &&
			memcmp(r->provider, v->provider, v->provider_len) == 0 &&
			(int) strlen(r->region) == v->region_len &&
			memcmp(r->region, v->region, v->region_len) == 0)
			return r->country;
	}
	return -1;
}

/* The allowed countries of a residency clause: codes and jurisdictions. */
static void
resolve_residency(Model *m, PClause *cl)
{
	int			cap = 8,
				n = 0,
				j,
				k;
	int		   *codes = palloc(sizeof(int) * cap);

	for (j = 0; j < cl->njur; j++)
	{
		int			c = country_code(cl->jur[j], strlen(cl->jur[j]));

		if (c >= 0)
		{
			if (n == cap)
				codes = repalloc(codes, sizeof(int) * (cap *= 2));
			codes[n++] = c;
		}
		for (k = 0; k < m->njuris; k++)
		{
			int			x;

			if (pg_strcasecmp(m->juris[k].code, cl->jur[j]) != 0)
				continue;
			for (x = 0; x < m->juris[k].ncountries; x++)
			{
				if (n == cap)
					codes = repalloc(codes, sizeof(int) * (cap *= 2));
				codes[n++] = m->juris[k].countries[x];
			}
		}
	}
	qsort(codes, n, sizeof(int), cmp_int);
	cl->countries = codes;
	cl->ncountries = n;
}

static bool
residency_allows(const PClause *cl, int country)
{
	if (country < 0)
		return false;
	return bsearch(&country, cl->countries, cl->ncountries, sizeof(int), cmp_int) != NULL;
}

static int	intern_reason(Model *m, int clause, ReasonCode code, int32 a);

/*
 * Resolve every residency clause's allowed countries, once per model, before
 * any candidate is prepared.
 */
static void
prepare_clauses(Model *m)
{
	int			i;

	for (i = 0; i < m->nclauses; i++)
	{
		PClause    *cl = &m->clauses[i];

		cl->has_effect = cl->kind == CK_EXCLUSIVITY || cl->kind == CK_ROFR ||
			cl->kind == CK_FIRST_LAUNCH || cl->kind == CK_RESIDENCY;
		if (cl->kind == CK_RESIDENCY)
			resolve_residency(m, cl);
	}
}

/*
 * Which clauses candidate c is inside of (in the scope; for residency: in
 * an allowed country), computed once per candidate and model, so a pair
 * costs one lookup per applicable clause.
 */
static void
prepare_candidate(Model *m, PCandidate *c)
{
	int			i;

	c->inside = MemoryContextAllocZero(m->cxt, sizeof(bool) * Max(m->nclauses, 1));
	c->res_reason = NULL;
	c->country = m->any_residency ? region_country(m, &c->view) : -1;
	for (i = 0; i < m->nclauses; i++)
	{
		PClause    *cl = &m->clauses[i];

		switch (cl->kind)
		{
			case CK_EXCLUSIVITY:
			case CK_ROFR:
			case CK_FIRST_LAUNCH:
				c->inside[i] = cl->scope != NULL &&
					endpoint_set_contains(cl->scope, &c->view);
				break;
			case CK_RESIDENCY:
				if (c->res_reason == NULL)
					c->res_reason = MemoryContextAlloc(m->cxt, sizeof(int) * m->nclauses);
				c->inside[i] = residency_allows(cl, c->country);
				c->res_reason[i] = intern_reason(m, i, R_RES, c->country);
				break;
			default:
				break;
		}
	}
}

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

static Model *
model_create(DateADT d)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "dealscope placement",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Model	   *m = palloc0(sizeof(Model));
	HASHCTL		ctl;
	int			v;

	m->cxt = cxt;
	m->d = d;
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(ReasonKey);
	ctl.entrysize = sizeof(ReasonEntry);
	ctl.hcxt = cxt;
	m->reason_hash = hash_create("dealscope reasons", 256, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(ArrKey);
	ctl.entrysize = sizeof(ArrEntry);
	ctl.hcxt = cxt;
	m->array_hash = hash_create("dealscope reason arrays", 256, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	m->reasons_cap = 64;
	m->reason_str = palloc(sizeof(char *) * m->reasons_cap);
	m->reason_text = palloc(sizeof(Datum) * m->reasons_cap);
	m->empty_array = PointerGetDatum(construct_empty_array(TEXTOID));
	for (v = 0; v < 3; v++)
		m->verdict_text[v] = CStringGetTextDatum(verdict_names[v]);
	MemoryContextSwitchTo(old);
	return m;
}

/*
 * Read everything one call needs.  wid: one workload (placement_check and
 * placement_reasons; error when missing) or NULL for all; the candidates
 * must already be set, or NULL for the default (every catalogued region).
 */
static void
model_load(Model *m, text *wid, bool default_candidates)
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
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("workload \"%s\" does not exist", text_to_cstring(wid))));
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
	prepare_clauses(m);
	for (c = 0; c < m->ncands; c++)
		prepare_candidate(m, &m->cands[c]);
	m->applied = palloc(sizeof(Applied) * Max(m->nclauses, 1));
	m->scratch_b = palloc(sizeof(int) * Max(m->nclauses, 1));
	m->scratch_c = palloc(sizeof(int) * Max(m->nclauses, 1));
	m->scratch_ids = palloc(sizeof(int) * Max(m->nclauses, 1));
	MemoryContextSwitchTo(old);
}

/* Candidates from an endpoint[] (NULL elements skipped). */
static void
model_set_candidates(Model *m, ArrayType *arr)
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

static void
model_set_one_candidate(Model *m, struct varlena *ep)
{
	MemoryContext old = MemoryContextSwitchTo(m->cxt);

	m->cands = palloc0(sizeof(PCandidate));
	m->ncands = 1;
	m->cands[0].ep = ep;
	m->cands[0].view = endpoint_view(ep);
	MemoryContextSwitchTo(old);
}

/* --------------------------------------------------------------- reasons */

static const char *
kind_label(ClauseKind k)
{
	switch (k)
	{
		case CK_EXCLUSIVITY:
			return "exclusivity";
		case CK_ROFR:
			return "right of first refusal";
		case CK_FIRST_LAUNCH:
			return "first launch";
		case CK_RESIDENCY:
			return "residency";
		case CK_REVENUE_SHARE:
			return "revenue share";
		case CK_PRIMARY_PARTNER:
			return "primary partner";
		case CK_COMMITMENT:
			return "commitment";
	}
	return "clause";
}

static const char *
scope_words(const PClause *cl)
{
	return (cl->scope_text && cl->scope_text[0]) ? cl->scope_text : "no endpoint";
}

/* The one-line text for a reason; see the README for the forms. */
static char *
format_reason(Model *m, const PClause *cl, ReasonCode code, int32 a)
{
	StringInfoData s;
	char		d1[32],
				d2[32],
				end[32];
	DateADT		x = 0;

	initStringInfo(&s);
	appendStringInfo(&s, "%s %s: ", kind_label(cl->kind), cl->id);
	if (cl->end_known)
		format_date(cl->end, end, sizeof(end));
	switch (code)
	{
		case R_EXCL_IN:
			appendStringInfo(&s, "inside %s's exclusive scope %s", cl->holder, scope_words(cl));
			break;
		case R_EXCL_OUT:
			if (cl->end_known)
				appendStringInfo(&s, "only %s until %s (exclusive to %s)",
								 scope_words(cl), end, cl->holder);
			else
				appendStringInfo(&s, "only %s, with no end date (exclusive to %s)",
								 scope_words(cl), cl->holder);
			break;
		case R_ROFR_IN:
			appendStringInfo(&s, "inside %s's scope %s", cl->holder, scope_words(cl));
			break;
		case R_ROFR_NO_OFFER:
			appendStringInfo(&s, "offer to %s first", cl->holder);
			if (cl->end_known)
				appendStringInfo(&s, " (the right ends on %s)", end);
			break;
		case R_ROFR_PENDING:
			format_date((DateADT) a, d1, sizeof(d1));
			appendStringInfo(&s, "offered to %s on %s", cl->holder, d1);
			if (date_add_days((DateADT) a, cl->window_days, &x))
			{
				format_date(x, d2, sizeof(d2));
				appendStringInfo(&s, ", answer due by %s", d2);
				if (cl->end_known && cl->end < x)
					appendStringInfo(&s, "; the right ends on %s", end);
			}
			else
			{
				appendStringInfoString(&s, ", no answer yet");
				if (cl->end_known)
					appendStringInfo(&s, "; the right ends on %s", end);
			}
			break;
		case R_ROFR_DECLINED:
			format_date((DateADT) a, d1, sizeof(d1));
			appendStringInfo(&s, "%s declined the offer on %s", cl->holder, d1);
			break;
		case R_ROFR_LAPSED:
			format_date((DateADT) a, d1, sizeof(d1));
			if (!date_add_days((DateADT) a, cl->window_days, &x))
				elog(ERROR, "lapsed offer with an unrepresentable due date");
			format_date(x, d2, sizeof(d2));
			appendStringInfo(&s, "%s did not answer the offer of %s by %s",
							 cl->holder, d1, d2);
			break;
		case R_ROFR_ACCEPTED:
			format_date((DateADT) a, d1, sizeof(d1));
			appendStringInfo(&s, "%s accepted the offer on %s, so only %s",
							 cl->holder, d1, scope_words(cl));
			if (cl->end_known)
				appendStringInfo(&s, " until %s", end);
			break;
		case R_FL_IN:
			appendStringInfo(&s, "inside %s's first-launch scope %s", cl->holder, scope_words(cl));
			break;
		case R_FL_NOT_LAUNCHED:
			appendStringInfo(&s, "launch on %s (%s) first", scope_words(cl), cl->holder);
			if (cl->end_known)
				appendStringInfo(&s, " (the clause ends on %s)", end);
			break;
		case R_FL_LAUNCHED:
			{
				const PEvent *ev = &m->events[a];
				EndpointView v = endpoint_view(ev->at);

				format_date(ev->on, d1, sizeof(d1));
				appendStringInfo(&s, "launched on %s on %s", endpoint_view_text(&v), d1);
				if (date_add_days(ev->on, cl->lag_days, &x))
				{
					format_date(x, d2, sizeof(d2));
					appendStringInfo(&s, ", elsewhere from %s", d2);
					if (cl->end_known && cl->end < x)
						appendStringInfo(&s, "; the clause ends on %s", end);
				}
				else
				{
					appendStringInfo(&s, ", elsewhere %d days later", cl->lag_days);
					if (cl->end_known)
						appendStringInfo(&s, "; the clause ends on %s", end);
				}
			}
			break;
		case R_RES:
			if (a < 0)
				appendStringInfoString(&s, "unknown region; ");
			appendStringInfo(&s, "%s data must stay in %s", cl->data_class,
							 cl->njur > 0 ? cl->jur_text : "no jurisdiction");
			if (cl->end_known)
				appendStringInfo(&s, " until %s", end);
			if (cl->holder)
				appendStringInfo(&s, " (required by %s)", cl->holder);
			if (a >= 0)
				appendStringInfo(&s, "; this endpoint is in %c%c", (char) (a >> 8), (char) (a & 0xff));
			break;
		case R_NO_EFFECT:
			appendStringInfoString(&s, "no effect on placement");
			if (cl->kind == CK_REVENUE_SHARE)
				appendStringInfo(&s, " (%s pays %s a share of revenue)", cl->grantor, cl->holder);
			else if (cl->kind == CK_PRIMARY_PARTNER)
				appendStringInfo(&s, " (%s is the primary partner, minimum share %s)",
								 cl->holder, cl->min_share_text);
			else if (cl->kind == CK_COMMITMENT)
				appendStringInfo(&s, " (%s committed %s %s to %s)", cl->grantor,
								 cl->amount_text, cl->currency_text, cl->holder);
			break;
	}
	return s.data;
}

/* Index of the interned reason, formatting it on first use. */
static int
intern_reason(Model *m, int clause, ReasonCode code, int32 a)
{
	ReasonKey	key;
	ReasonEntry *ent;
	bool		found;

	memset(&key, 0, sizeof(key));
	key.clause = clause;
	key.code = code;
	key.a = a;
	ent = hash_search(m->reason_hash, &key, HASH_ENTER, &found);
	if (!found)
	{
		MemoryContext old = MemoryContextSwitchTo(m->cxt);

		if (m->nreasons == m->reasons_cap)
		{
			m->reasons_cap *= 2;
			m->reason_str = repalloc(m->reason_str, sizeof(char *) * m->reasons_cap);
			m->reason_text = repalloc(m->reason_text, sizeof(Datum) * m->reasons_cap);
		}
		m->reason_str[m->nreasons] = format_reason(m, &m->clauses[clause], code, a);
		m->reason_text[m->nreasons] = CStringGetTextDatum(m->reason_str[m->nreasons]);
		ent->index = m->nreasons++;
		MemoryContextSwitchTo(old);
	}
	return ent->index;
}

/* The text[] of the given reasons, built once per distinct list. */
static Datum
reasons_array(Model *m, const int *ids, int n)
{
	ArrKey		key;
	ArrEntry   *ent;
	bool		found;
	Datum	   *elems;
	MemoryContext old;
	Datum		result;
	int			i;

	if (n == 0)
		return m->empty_array;
	if (n <= ARRKEY_MAX)
	{
		memset(&key, 0, sizeof(key));
		key.n = n;
		memcpy(key.ids, ids, sizeof(int32) * n);
		ent = hash_search(m->array_hash, &key, HASH_ENTER, &found);
		if (found)
			return ent->array;
	}
	old = MemoryContextSwitchTo(m->cxt);
	elems = palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
		elems[i] = m->reason_text[ids[i]];
	result = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
	MemoryContextSwitchTo(old);
	if (n <= ARRKEY_MAX)
		ent->array = result;
	return result;
}

/* ------------------------------------------------------------ evaluation */

/* The clauses in force on d of one grantor: [first, first + n). */
static int
grantor_run(Model *m, const char *grantor, int *n)
{
	int			lo = 0,
				hi = m->nclauses;
	int			first;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (strcmp(m->clauses[mid].grantor, grantor) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (hi < m->nclauses && strcmp(m->clauses[hi].grantor, grantor) == 0)
		hi++;
	*n = hi - first;
	return first;
}

static void
set_lift(Applied *ap, const PClause *cl, bool known, DateADT when)
{
	/* an obstacle lifts at the latest when its clause stops applying */
	if (known && cl->end_known)
	{
		ap->out_lift_known = true;
		ap->out_lift = Min(when, cl->end);
	}
	else if (known)
	{
		ap->out_lift_known = true;
		ap->out_lift = when;
	}
	else
	{
		ap->out_lift_known = cl->end_known;
		ap->out_lift = cl->end;
	}
}

/*
 * What every clause that applies to workload w says, for endpoints inside
 * it and outside it.  Returns the number of entries written to m->applied.
 */
static int
apply_workload(Model *m, const PWorkload *w)
{
	int			n,
				first = grantor_run(m, w->owner, &n);
	int			i,
				k = 0;
	const PEvent *evs = m->events + w->first_event;

	for (i = first; i < first + n; i++)
	{
		PClause    *cl = &m->clauses[i];
		Applied    *ap = &m->applied[k];

		if (!clause_matches_product(cl, w->product))
			continue;
		ap->cl = cl;
		ap->clause_index = i;
		ap->out_verdict = VERDICT_ALLOWED;
		ap->out_lift_known = false;
		ap->out_lift = 0;
		switch (cl->kind)
		{
			case CK_EXCLUSIVITY:
				ap->out_verdict = VERDICT_BLOCKED;
				set_lift(ap, cl, false, 0);
				ap->out_reason = intern_reason(m, i, R_EXCL_OUT, 0);
				ap->in_reason = intern_reason(m, i, R_EXCL_IN, 0);
				break;
			case CK_ROFR:
				{
					int			latest = -1;
					int			e;
					DateADT		due;

					if (!clause_valid_contains(cl, w->requested_on))
						continue;
					for (e = 0; e < w->nevents; e++)
					{
						const PEvent *ev = &evs[e];

						if (ev->kind == EV_LAUNCH || ev->holder == NULL ||
							strcmp(ev->holder, cl->holder) != 0)
							continue;
						if (latest < 0 || ev->on > evs[latest].on ||
							(ev->on == evs[latest].on && ev->kind > evs[latest].kind))
							latest = e;
					}
					ap->in_reason = intern_reason(m, i, R_ROFR_IN, 0);
					if (latest < 0)
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, false, 0);
						ap->out_reason = intern_reason(m, i, R_ROFR_NO_OFFER, 0);
					}
					else if (evs[latest].kind == EV_DECLINE)
						ap->out_reason = intern_reason(m, i, R_ROFR_DECLINED, evs[latest].on);
					else if (evs[latest].kind == EV_ACCEPT)
					{
						ap->out_verdict = VERDICT_BLOCKED;
						set_lift(ap, cl, false, 0);
						ap->out_reason = intern_reason(m, i, R_ROFR_ACCEPTED, evs[latest].on);
					}
					else if (!date_add_days(evs[latest].on, cl->window_days, &due))
					{
						/* the window outlasts the calendar: pending for good */
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, false, 0);
						ap->out_reason = intern_reason(m, i, R_ROFR_PENDING, evs[latest].on);
					}
					else if (m->d < due)
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, true, due);
						ap->out_reason = intern_reason(m, i, R_ROFR_PENDING, evs[latest].on);
					}
					else
						ap->out_reason = intern_reason(m, i, R_ROFR_LAPSED, evs[latest].on);
				}
				break;
			case CK_FIRST_LAUNCH:
				{
					int			launch = -1;
					int			e;
					DateADT		ready;

					if (!clause_valid_contains(cl, w->requested_on))
						continue;
					for (e = 0; e < w->nevents; e++)
					{
						const PEvent *ev = &evs[e];
						EndpointView v;

						if (ev->kind != EV_LAUNCH || ev->at == NULL || cl->scope == NULL)
							continue;
						if (launch >= 0 && ev->on > evs[launch].on)
							continue;
						v = endpoint_view(ev->at);
						if (!endpoint_set_contains(cl->scope, &v))
							continue;
						if (launch >= 0 && ev->on == evs[launch].on)
						{
							EndpointView lv = endpoint_view(evs[launch].at);

							if (endpoint_compare_views(&v, &lv) >= 0)
								continue;
						}
						launch = e;
					}
					ap->in_reason = intern_reason(m, i, R_FL_IN, 0);
					if (launch < 0)
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, false, 0);
						ap->out_reason = intern_reason(m, i, R_FL_NOT_LAUNCHED, 0);
						break;
					}
					ap->out_reason = intern_reason(m, i, R_FL_LAUNCHED,
												   (int32) (w->first_event + launch));
					if (!date_add_days(evs[launch].on, cl->lag_days, &ready))
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, false, 0);
					}
					else if (m->d < ready)
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, true, ready);
					}
				}
				break;
			case CK_RESIDENCY:
				if (w->data_class == NULL || strcmp(w->data_class, cl->data_class) != 0)
					continue;
				ap->out_verdict = VERDICT_BLOCKED;
				set_lift(ap, cl, false, 0);
				ap->out_reason = -1;
				ap->in_reason = -1;
				break;
			default:
				ap->out_reason = ap->in_reason = intern_reason(m, i, R_NO_EFFECT, 0);
				break;
		}
		k++;
	}
	return k;
}

/* Keep only the clauses that hold back some endpoint; order is kept. */
static int
obstacles_only(Model *m, int napplied)
{
	int			i,
				k = 0;

	for (i = 0; i < napplied; i++)
		if (m->applied[i].out_verdict != VERDICT_ALLOWED)
			m->applied[k++] = m->applied[i];
	return k;
}

/*
 * Combine the applied clauses (applied[0 .. napplied)) for candidate c:
 * worst verdict, lift date.
 */
static void
eval_pair(Model *m, const Applied *applied, int napplied, const PCandidate *c,
		  PairResult *r)
{
	int			i;

	r->verdict = VERDICT_ALLOWED;
	r->lift_known = true;
	r->lift = DATEVAL_NOBEGIN;
	r->nblocked = r->nconditional = 0;
	r->blocked = m->scratch_b;
	r->conditional = m->scratch_c;
	for (i = 0; i < napplied; i++)
	{
		const Applied *ap = &applied[i];

		if (ap->out_verdict == VERDICT_ALLOWED || !ap->cl->has_effect ||
			c->inside[ap->clause_index])
			continue;
		if (ap->out_verdict == VERDICT_BLOCKED)
			r->blocked[r->nblocked++] = i;
		else
			r->conditional[r->nconditional++] = i;
		if (ap->out_verdict > r->verdict)
			r->verdict = ap->out_verdict;
		if (!ap->out_lift_known)
			r->lift_known = false;
		else if (ap->out_lift > r->lift)
			r->lift = ap->out_lift;
	}
}

static int
applied_reason(const Applied *ap, const PCandidate *c, bool inside)
{
	if (ap->cl->kind == CK_RESIDENCY)
		return c->res_reason[ap->clause_index];
	return inside ? ap->in_reason : ap->out_reason;
}

/*
 * The reasons[] of a pair (r from eval_pair over the same applied list):
 * blocking clauses, then conditional, by id.
 */
static Datum
pair_reasons(Model *m, const Applied *applied, const PairResult *r,
			 const PCandidate *c)
{
	int			n = 0,
				i;

	for (i = 0; i < r->nblocked; i++)
		m->scratch_ids[n++] = applied_reason(&applied[r->blocked[i]], c, false);
	for (i = 0; i < r->nconditional; i++)
		m->scratch_ids[n++] = applied_reason(&applied[r->conditional[i]], c, false);
	return reasons_array(m, m->scratch_ids, n);
}

/* ------------------------------------------------------- SQL entry points */

/* Set up materialize-mode output (works on PostgreSQL 13 to 17). */
static Tuplestorestate *
materialize_setup(FunctionCallInfo fcinfo, TupleDesc *tupdesc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	TupleDesc	td;
	Tuplestorestate *ts;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("materialize mode required, but it is not allowed in this context")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = CreateTupleDescCopy(td);
	ts = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0,
							   false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = ts;
	rsinfo->setDesc = td;
	MemoryContextSwitchTo(old);
	*tupdesc = td;
	return ts;
}

/* Model for one workload and one endpoint (placement_check, _reasons). */
static Model *
model_for_pair(FunctionCallInfo fcinfo)
{
	text	   *wid = PG_GETARG_TEXT_PP(0);
	struct varlena *ep = PG_GETARG_ENDPOINT_P(1);
	DateADT		d = PG_GETARG_DATEADT(2);
	Model	   *m = model_create(d);

	model_set_one_candidate(m, ep);
	model_load(m, wid, false);
	return m;
}

/*
 * placement_check(workload_id, e, on_date): the verdict for one pair, the
 * day it becomes allowed, and why not yet.
 */
PG_FUNCTION_INFO_V1(placement_check);
Datum
placement_check(PG_FUNCTION_ARGS)
{
	TupleDesc	td;
	Model	   *m;
	PairResult	r;
	int			n;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	HeapTuple	tup;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = BlessTupleDesc(td);
	m = model_for_pair(fcinfo);
	n = apply_workload(m, &m->workloads[0]);
	eval_pair(m, m->applied, n, &m->cands[0], &r);
	values[0] = m->verdict_text[r.verdict];
	if (r.verdict == VERDICT_ALLOWED)
		values[1] = DateADTGetDatum(m->d);
	else if (r.lift_known)
		values[1] = DateADTGetDatum(r.lift);
	else
		nulls[1] = true;
	values[2] = pair_reasons(m, m->applied, &r, &m->cands[0]);
	tup = heap_form_tuple(td, values, nulls);	/* copies out of m->cxt */
	MemoryContextDelete(m->cxt);
	PG_RETURN_DATUM(HeapTupleGetDatum(tup));
}

/*
 * placement_reasons(workload_id, e, on_date): one row per applicable clause,
 * allowed ones included, worst first then by clause id.
 */
PG_FUNCTION_INFO_V1(placement_reasons);
Datum
placement_reasons(PG_FUNCTION_ARGS)
{
	TupleDesc	td;
	Tuplestorestate *ts = materialize_setup(fcinfo, &td);
	Model	   *m = model_for_pair(fcinfo);
	int			n = apply_workload(m, &m->workloads[0]);
	int			pass,
				i;

	for (pass = VERDICT_BLOCKED; pass >= VERDICT_ALLOWED; pass--)
	{
		for (i = 0; i < n; i++)
		{
			const Applied *ap = &m->applied[i];
			bool		inside = !ap->cl->has_effect || m->cands[0].inside[ap->clause_index];
			Verdict		v = inside ? VERDICT_ALLOWED : ap->out_verdict;
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};

			if ((int) v != pass)
				continue;
			values[0] = CStringGetTextDatum(ap->cl->id);
			values[1] = ap->cl->kind_datum;
			values[2] = m->verdict_text[v];
			if (v == VERDICT_ALLOWED)
				values[3] = DateADTGetDatum(m->d);
			else if (ap->out_lift_known)
				values[3] = DateADTGetDatum(ap->out_lift);
			else
				nulls[3] = true;
			values[4] = m->reason_text[applied_reason(ap, &m->cands[0], inside)];
			tuplestore_putvalues(ts, td, values, nulls);
		}
	}
	MemoryContextDelete(m->cxt);
	return (Datum) 0;
}

/* Model for every workload and the requested (or default) candidates. */
static Model *
model_for_matrix(FunctionCallInfo fcinfo)
{
	Model	   *m = model_create(PG_GETARG_DATEADT(0));

	if (!PG_ARGISNULL(1))
		model_set_candidates(m, PG_GETARG_ARRAYTYPE_P(1));
	model_load(m, NULL, PG_ARGISNULL(1));
	return m;
}

/* ------------------------------------------- per-pair helpers (matrix) */

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
	Model	   *m = model_create(d);
	PairModel  *pm;
	PairModel  *p;
	PairModel  *oldest = NULL;
	int			same_owner = 0;
	int			w;

	MemoryContextSwitchTo(old);
	model_load(m, NULL, false);
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
	int			n = obstacles_only(m, apply_workload(m, wl));
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
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("workload \"%s\" does not exist", text_to_cstring(id))));
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
		prepare_candidate(pm->m, cand);
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
	eval_pair(pm->m, pm->applied_pool + pm->slots[w].applied, pm->slots[w].napplied,
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
			pair_reasons(pm->m, pm->applied_pool + pm->slots[pm->pair_w].applied,
						 &pm->pair, &pm->cands[pm->pair_c]);
		pm->pair_has_reasons = true;
	}
	PG_RETURN_DATUM(pm->pair_reasons);
}

typedef struct SummaryCount
{
	int			applied;		/* index into m->applied */
	int			count;
} SummaryCount;

static const Applied *summary_sort_applied;	/* for the qsort comparator */

static int
cmp_summary(const void *a, const void *b)
{
	const SummaryCount *x = a;
	const SummaryCount *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(summary_sort_applied[x->applied].cl->id,
				  summary_sort_applied[y->applied].cl->id);
}

static void
append_counts(StringInfo s, const char *label, int total, SummaryCount *counts,
			  int n, const Applied *applied)
{
	int			i,
				k = 0;

	if (total == 0)
		return;
	for (i = 0; i < n; i++)
		if (counts[i].count > 0)
			counts[k++] = counts[i];
	summary_sort_applied = applied;
	qsort(counts, k, sizeof(SummaryCount), cmp_summary);
	appendStringInfo(s, "; %d %s: ", total, label);
	for (i = 0; i < k; i++)
		appendStringInfo(s, "%s%s %s (%d)", i > 0 ? ", " : "",
						 kind_names[applied[counts[i].applied].cl->kind],
						 applied[counts[i].applied].cl->id, counts[i].count);
}

/*
 * placement_summary(on_date, candidates): one line per workload, in the
 * manner of a scheduler's "0/9 nodes are available" message.  Per-clause
 * counts in the blocked part count the blocked endpoints each clause
 * blocks; in the conditional part, the conditional endpoints each clause
 * holds back.
 */
PG_FUNCTION_INFO_V1(placement_summary);
Datum
placement_summary(PG_FUNCTION_ARGS)
{
	TupleDesc	td;
	Tuplestorestate *ts = materialize_setup(fcinfo, &td);
	Model	   *m;
	int			w,
				c,
				i;
	SummaryCount *bcount,
			   *ccount;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	m = model_for_matrix(fcinfo);
	bcount = MemoryContextAlloc(m->cxt, sizeof(SummaryCount) * Max(m->nclauses, 1));
	ccount = MemoryContextAlloc(m->cxt, sizeof(SummaryCount) * Max(m->nclauses, 1));
	for (w = 0; w < m->nworkloads; w++)
	{
		int			n = obstacles_only(m, apply_workload(m, &m->workloads[w]));
		int			tally[3] = {0, 0, 0};
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		StringInfoData s;

		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < n; i++)
		{
			bcount[i].applied = ccount[i].applied = i;
			bcount[i].count = ccount[i].count = 0;
		}
		for (c = 0; c < m->ncands; c++)
		{
			PairResult	r;

			eval_pair(m, m->applied, n, &m->cands[c], &r);
			tally[r.verdict]++;
			if (r.verdict == VERDICT_BLOCKED)
				for (i = 0; i < r.nblocked; i++)
					bcount[r.blocked[i]].count++;
			else if (r.verdict == VERDICT_CONDITIONAL)
				for (i = 0; i < r.nconditional; i++)
					ccount[r.conditional[i]].count++;
		}
		initStringInfo(&s);
		appendStringInfo(&s, "%d/%d endpoints allowed", tally[VERDICT_ALLOWED], m->ncands);
		append_counts(&s, "blocked", tally[VERDICT_BLOCKED], bcount, n, m->applied);
		append_counts(&s, "conditional", tally[VERDICT_CONDITIONAL], ccount, n, m->applied);
		values[0] = CStringGetTextDatum(m->workloads[w].id);
		values[1] = Int32GetDatum(tally[VERDICT_ALLOWED]);
		values[2] = Int32GetDatum(tally[VERDICT_CONDITIONAL]);
		values[3] = Int32GetDatum(tally[VERDICT_BLOCKED]);
		values[4] = CStringGetTextDatum(s.data);
		tuplestore_putvalues(ts, td, values, nulls);
		pfree(s.data);
	}
	MemoryContextDelete(m->cxt);
	return (Datum) 0;
}
