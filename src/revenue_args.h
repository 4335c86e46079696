/*
 * revenue_args.h — a flow read from a revenue function's arguments, and
 * its split (src/revenue_args.c).  Internal to the revenue files.
 */
#ifndef DEALSCOPE_REVENUE_ARGS_H
#define DEALSCOPE_REVENUE_ARGS_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/rangetypes.h"

#include "calendar.h"
#include "money.h"
#include "rate_schedule.h"
#include "revenue_cache.h"

/* One flow's figures as the transition functions read them (rev_read_flow_args). */
typedef struct FlowArgs
{
	int128		amount;
	DateADT		lo;
	DateADT		hi;
	const Currency *cur;
	CalGrain	grain;
	int32		fy_start;
} FlowArgs;

/* A flow's period as [lo, hi): non-empty, finite bounds (22023 otherwise). */
extern void rev_read_period(RevCache *c, RangeType *period, DateADT *lo, DateADT *hi);

/*
 * Read (amount, period, currency, grain, fy_start) from the arguments at
 * these positions into f; false when one of them is NULL.
 */
extern bool rev_read_flow_args(FunctionCallInfo fcinfo, RevCache *c, int a_amount, int a_period,
							   int a_cur, int a_grain, int a_fy, FlowArgs *f);

/*
 * Split one flow into c->parts (gross, and the share of the holders of
 * terms_entry, or of holder_filter alone, or under one_term); returns the
 * number of parts.
 */
extern int	rev_split_flow(RevCache *c, const FlowArgs *f, const ClauseMatch *terms_entry,
						   const text *holder_filter, const RateSchedule *one_term);

/* Is ht's holder the len bytes at name? */
static inline bool
holder_is(const HolderTerms *ht, const char *name, int len)
{
	return (int) strlen(ht->holder) == len && memcmp(ht->holder, name, len) == 0;
}

#endif
