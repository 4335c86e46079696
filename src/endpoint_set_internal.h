/*
 * endpoint_set_internal.h — what the endpoint_set sources share: the
 * stored form (see the top of endpoint_set.c), its decoded structs and the
 * small readers of it.  Not for use outside src/endpoint_set*.c; other code
 * uses endpoint_set.h.
 *
 *   endpoint_set.c          model, membership (@>, <@), =, btree order, hash
 *   endpoint_set_io.c       text parser and canonical output, binary send/recv
 *   endpoint_set_overlap.c  the exact && test (witness search)
 */
#ifndef DEALSCOPE_ENDPOINT_SET_INTERNAL_H
#define DEALSCOPE_ENDPOINT_SET_INTERNAL_H

#include "postgres.h"

#include "endpoint.h"
#include "endpoint_set.h"

#define ENDPOINT_SET_HEADER_BYTES 4

#define SEG_LITERAL 0
#define SEG_PREFIX 1
#define SEG_ANY 2

/* One segment of a pattern; str points into the parse buffer or the datum. */
typedef struct SetSegment
{
	uint8		kind;
	uint8		len;			/* bytes of the literal or prefix; 0 for any */
	const char *str;
} SetSegment;

/* One pattern, segments past nseg filled in as SEG_ANY. */
typedef struct SetPattern
{
	bool		negated;
	int			nseg;
	SetSegment	seg[3];
} SetPattern;

/* A decoded endpoint_set: patterns[0..npos) positive, then nneg negative. */
typedef struct SetPatterns
{
	int			npos;
	int			nneg;
	SetPattern *patterns;
} SetPatterns;

/* Make s the '*' segment (also what a missing trailing segment means). */
static inline void
set_any(SetSegment *s)
{
	s->kind = SEG_ANY;
	s->len = 0;
	s->str = "";
}

/*
 * Read one stored pattern at *pp into pat (no allocation) and advance *pp
 * past it.  Used by the hot membership path and by every decoder.
 */
static inline void
read_pattern(const uint8 **pp, SetPattern *pat, bool negated)
{
	const uint8 *p = *pp;
	int			i;

	pat->negated = negated;
	pat->nseg = *p++;
	for (i = 0; i < 3; i++)
	{
		if (i < pat->nseg)
		{
			pat->seg[i].kind = p[0];
			pat->seg[i].len = p[1];
			pat->seg[i].str = (const char *) p + 2;
			p += 2 + p[1];
		}
		else
			set_any(&pat->seg[i]);
	}
	*pp = p;
}

/* The text of one segment as written: literal, "prefix*" or "*". */
static inline int
segment_text(const SetSegment *s, char *buf)
{
	if (s->kind == SEG_ANY)
	{
		buf[0] = '*';
		return 1;
	}
	memcpy(buf, s->str, s->len);
	if (s->kind == SEG_PREFIX)
	{
		buf[s->len] = '*';
		return s->len + 1;
	}
	return s->len;
}

/* Decode a whole stored set into a palloc'd array (endpoint_set.c). */
extern SetPatterns es_decode_set(const struct varlena *set);

/* Canonical pattern order, a qsort comparator (endpoint_set.c). */
extern int	es_pattern_cmp(const void *va, const void *vb);

#endif
