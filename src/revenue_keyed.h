/*
 * revenue_keyed.h — keyed states (src/revenue_keyed.c), for exposure_agg
 * (src/revenue_exposure.c).  Internal to the revenue files.
 */
#ifndef DEALSCOPE_REVENUE_KEYED_H
#define DEALSCOPE_REVENUE_KEYED_H

#include "postgres.h"
#include "fmgr.h"

#include "money.h"
#include "revenue_args.h"
#include "revenue_cache.h"

typedef struct KeyedState KeyedState;

/*
 * Read the flow from the arguments a, a + 1, ... (amount, currency, period,
 * grain, fy_start, window) into f; the state of argument 0, made or
 * checked; NULL when the row adds nothing.
 */
extern KeyedState *rev_keyed_flow(FunctionCallInfo fcinfo, RevCache *c, int a, FlowArgs *f);

/* Add the flow just split into c->parts to bucket (kind, party, provider, cur). */
extern void rev_keyed_add(KeyedState *ks, RevCache *c, int n, int16 kind, const char *party,
						  int party_len, const char *provider, int provider_len,
						  const Currency *cur);

#endif
