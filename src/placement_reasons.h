/*
 * placement_reasons.h — the reason texts of placement, interned per model
 * (placement_reasons.c).
 */
#ifndef DEALSCOPE_PLACEMENT_REASONS_H
#define DEALSCOPE_PLACEMENT_REASONS_H

#include "placement_model.h"

/* The model's (empty) tables of reasons and reason arrays, in m->cxt. */
extern void placement_reasons_init(Model *m);
/* Index of the interned reason (clause, code, a), formatting it on first use. */
extern int	placement_intern_reason(Model *m, int clause, ReasonCode code, int32 a);
/* The text[] of the given reasons, built once per distinct list. */
extern Datum placement_reasons_array(Model *m, const int *ids, int n);

#endif
