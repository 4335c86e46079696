/*
 * placement_model.h — the in-memory model of placement (the workloads,
 * the clauses in force on a day, the events, the region and jurisdiction
 * catalogs, the candidate endpoints) shared by the placement_*.c files.
 *
 * placement: may a workload be served on an endpoint on a date, and if
 * not, why not and from when?  (placement_check, placement_reasons,
 * placement_matrix, placement_summary; doc/design.md, "Placement".)
 * The code is split by concept:
 *   placement_model.c    the model: SPI loading, building the model
 *   placement_rules.c    residency lookup, per-kind rules, pair evaluation
 *   placement_reasons.c  reason texts, interned
 *   placement_check.c    placement_check, placement_reasons, placement_summary
 *   placement_pairs.c    the matrix's per-pair helpers and their per-query model
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
 * placement_pair_* helpers (placement_pairs.c).  Their model is built
 * once per query and day and shared by the three of them.
 * Returning rows from a C set-returning function in FROM would put every
 * row through a tuplestore, which cost 87 % of the time at 3 million rows.
 *
 * The semantics are described in placement_rules.c.
 */
#ifndef DEALSCOPE_PLACEMENT_MODEL_H
#define DEALSCOPE_PLACEMENT_MODEL_H

#include "postgres.h"

#include "utils/array.h"
#include "utils/date.h"
#include "utils/hsearch.h"

#include "endpoint.h"

typedef enum Verdict
{
	VERDICT_ALLOWED = 0,
	VERDICT_CONDITIONAL = 1,
	VERDICT_BLOCKED = 2
} Verdict;

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

/* Clause kind names, in ClauseKind order (the clause_kind enum labels). */
extern const char *const placement_kind_names[];

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

/* d + n days, or false when that is past the last representable date. */
static inline bool
date_add_days(DateADT d, int32 n, DateADT *result)
{
	int64		r = (int64) d + n;

	if (DATE_NOT_FINITE(d) || r >= (int64) (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE))
		return false;
	*result = (DateADT) r;
	return true;
}

/* A two-letter code packed into an int (upper-cased), or -1. */
static inline int
country_code(const char *s, int len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len != 2)
		return -1;
	return (pg_toupper((unsigned char) s[0]) << 8) | pg_toupper((unsigned char) s[1]);
}

/* placement_model.c */
extern Model *placement_model_create(DateADT d);
extern void placement_model_load(Model *m, text *wid, bool default_candidates);
extern void placement_model_set_candidates(Model *m, ArrayType *arr);
extern void placement_model_set_one_candidate(Model *m, struct varlena *ep);
extern void placement_workload_missing(text *id) pg_attribute_noreturn();

#endif
