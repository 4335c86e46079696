/*
 * endpoint_set.h — a scope of endpoints: comma-separated patterns
 * [!]provider[/region[/service]], each segment a literal, '*' or a prefix
 * glob such as 'eu-*'.  See doc/design.md, "Types".
 */
#ifndef DEALSCOPE_ENDPOINT_SET_H
#define DEALSCOPE_ENDPOINT_SET_H

#include "postgres.h"
#include "fmgr.h"
#include "endpoint.h"

/*
 * True when endpoint e belongs to the set (already detoasted, short or long
 * header): it matches at least one positive pattern, or the set has only
 * negative patterns, and it matches no negative pattern.  The empty set ''
 * contains nothing.  Allocates nothing; cheap enough to call per pair.
 */
extern bool endpoint_set_contains(const struct varlena *set, const EndpointView *e);

#define DatumGetEndpointSetP(d) ((struct varlena *) PG_DETOAST_DATUM_PACKED(d))
#define PG_GETARG_ENDPOINT_SET_P(n) DatumGetEndpointSetP(PG_GETARG_DATUM(n))

#endif
