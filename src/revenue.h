/*
 * revenue.h — what the revenue files (src/revenue_*.c; the list is in
 * src/revenue_agg.c) offer other C files: their aggregates'
 * SQL-callable functions, and a way to give their per-call cache the
 * revenue_share clauses as values instead of reading the clause table
 * (src/distributed.c, the aggregates that Citus runs on its workers).
 */
#ifndef DEALSCOPE_REVENUE_H
#define DEALSCOPE_REVENUE_H

#include "fmgr.h"
#include "utils/date.h"

#include "rate_schedule.h"

/* One revenue_share clause, as load_clauses reads it from the clause table. */
typedef struct RevenueClause
{
	const char *holder;
	const char *grantor;
	const char *products;		/* '*' where the column is NULL */
	const struct varlena *scope;	/* NULL = every channel */
	DateADT		lo;				/* valid: DATEVAL_NOBEGIN when unbounded */
	DateADT		hi;				/* exclusive; DATEVAL_NOEND when unbounded */
	const RateSchedule *rate;
} RevenueClause;

/*
 * Calls through flinfo use these clauses (sorted by holder, then clause id,
 * bytewise); copied into flinfo's memory context.
 */
extern void revenue_cache_set_clauses(FmgrInfo *flinfo, const RevenueClause *rows, int n);

/* The aggregates' support functions (src/revenue.sql). */
extern Datum prorate_agg_trans(PG_FUNCTION_ARGS);
extern Datum revenue_agg_trans(PG_FUNCTION_ARGS);
extern Datum revenue_provider_agg_trans(PG_FUNCTION_ARGS);
extern Datum exposure_agg_trans(PG_FUNCTION_ARGS);
extern Datum revenue_agg_combine(PG_FUNCTION_ARGS);
extern Datum revenue_agg_serialize(PG_FUNCTION_ARGS);
extern Datum revenue_agg_deserialize(PG_FUNCTION_ARGS);
extern Datum revenue_agg_final(PG_FUNCTION_ARGS);
extern Datum keyed_agg_combine(PG_FUNCTION_ARGS);
extern Datum keyed_agg_serialize(PG_FUNCTION_ARGS);
extern Datum keyed_agg_deserialize(PG_FUNCTION_ARGS);
extern Datum keyed_agg_final(PG_FUNCTION_ARGS);

#endif
