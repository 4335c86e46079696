/*
 * revenue_state.h — the slice state of prorate_agg and revenue_agg
 * (src/revenue_state.c): per slice sums for one group, and the pieces of
 * its serialized form that the keyed states reuse.  Internal to the
 * revenue files.
 */
#ifndef DEALSCOPE_REVENUE_STATE_H
#define DEALSCOPE_REVENUE_STATE_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/date.h"

#include "calendar.h"
#include "money.h"
#include "revenue_cache.h"

/* One slice of a group's sums; one struct, so that adding to it touches one cache line. */
typedef struct RevSlice
{
	DateADT		start;
	DateADT		end;
	int64		flows;			/* parts added into the slice */
	int128		gross;
	int128		share;
} RevSlice;

typedef struct RevAggState
{
	CalGrain	grain;
	int32		fy_start;
	Currency	cur;
	int			n;
	int			cap;
	RevSlice   *sl;				/* in date order */
} RevAggState;

/* A new empty state in cxt, room for cap slices. */
extern RevAggState *rev_state_new(MemoryContext cxt, CalGrain grain, int32 fy_start,
								  const Currency *cur, int cap);

/* A group's rows must share currency (unless c1 is NULL), grain and fy_start (22023). */
extern void rev_config_check(CalGrain g1, int32 fy1, const Currency *c1,
							 CalGrain grain, int32 fy_start, const Currency *cur);
extern void rev_state_check(const RevAggState *st, CalGrain grain, int32 fy_start,
							const Currency *cur);

/* The aggregate's memory context; an error outside an aggregate. */
extern MemoryContext rev_agg_context(FunctionCallInfo fcinfo, const char *name);

/* Add the flow just split into c->parts to a state's slices. */
extern void rev_add_parts(RevAggState *st, const RevCache *c, int n);

/* Add every slice of b into a (combine). */
extern void rev_state_merge(RevAggState *a, const RevAggState *b);

/* The serialized form's pieces (network byte order). */
extern void rev_send_slices(StringInfo buf, const RevAggState *st);
extern void rev_bad_state(const char *detail);
extern void rev_init_recv_buffer(StringInfo buf, bytea *b);
extern void rev_recv_config(StringInfo buf, uint32 magic, int minlen, CalGrain *grain,
							int32 *fy_start);
extern Currency rev_recv_currency(StringInfo buf);
extern RevAggState *rev_recv_slices(StringInfo buf, MemoryContext cxt, CalGrain grain,
									int32 fy_start, const Currency *cur);

#endif
