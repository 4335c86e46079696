/*
 * placement_rules.h — what the clauses say about a workload and an
 * endpoint (placement_rules.c).
 */
#ifndef DEALSCOPE_PLACEMENT_RULES_H
#define DEALSCOPE_PLACEMENT_RULES_H

#include "placement_model.h"

/* Resolve the residency clauses' allowed countries, once per model. */
extern void placement_prepare_clauses(Model *m);
/* Which clauses candidate c is inside of, once per candidate and model. */
extern void placement_prepare_candidate(Model *m, PCandidate *c);
/* What every clause that applies to w says; the count written to m->applied. */
extern int	placement_apply_workload(Model *m, const PWorkload *w);
/* Keep only the applied clauses that hold back some endpoint. */
extern int	placement_obstacles_only(Model *m, int napplied);
/* Combine applied clauses for candidate c: worst verdict, lift date. */
extern void placement_eval_pair(Model *m, const Applied *applied, int napplied,
								const PCandidate *c, PairResult *r);
/* The reason an applied clause gives for candidate c. */
extern int	placement_applied_reason(const Applied *ap, const PCandidate *c, bool inside);
/* The reasons[] of a pair evaluated by placement_eval_pair. */
extern Datum placement_pair_reason_array(Model *m, const Applied *applied,
										 const PairResult *r, const PCandidate *c);

#endif
