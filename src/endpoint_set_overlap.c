/*
 * endpoint_set_overlap.c — endpoint_set && endpoint_set, exact, negated
 * patterns included.  The stored form is described at the top of
 * endpoint_set.c.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "endpoint.h"
#include "endpoint_set.h"
#include "endpoint_set_internal.h"

/* A candidate segment value used by the overlap test; none = "no service". */
typedef struct Witness
{
	bool		none;
	int			len;
	char		buf[ENDPOINT_SEGMENT_MAX + 1];
} Witness;

/* Characters a segment may hold; the first 36 may also start one. */
static const char segment_chars[] = "0123456789abcdefghijklmnopqrstuvwxyz-._";
#define SEGMENT_START_CHARS 36
#define SEGMENT_ALL_CHARS 39

/* ---------------------------------------------------------------------
 * Overlap (&&), exact.
 *
 * A ∩ B = (positive boxes of A ∩ positive boxes of B) minus every negative
 * pattern of either set, where a set with only negatives has the universe
 * as its one positive box.  For each pair of positive boxes we intersect
 * them segment-wise and ask whether the resulting box escapes the union of
 * the negatives.  That is decided one segment at a time: the negatives'
 * segments split the box's segment into finitely many cells (which
 * negatives contain a value depends only on which literals it equals and
 * which prefixes it extends), we take one witness value per cell, keep the
 * negatives that contain it and recurse on the next segment.
 * ---------------------------------------------------------------------
 */

/* Does the segment set seg contain witness w? */
static bool
segment_contains_witness(const SetSegment *seg, const Witness *w)
{
	if (seg->kind == SEG_ANY)
		return true;
	if (w->none)
		return false;
	if (seg->kind == SEG_LITERAL)
		return w->len == seg->len && memcmp(w->buf, seg->str, w->len) == 0;
	return w->len >= seg->len && memcmp(w->buf, seg->str, seg->len) == 0;
}

/* Does segment set x (literal or prefix) lie inside box segment box? */
static bool
segment_within(const SetSegment *x, const SetSegment *box)
{
	if (box->kind == SEG_ANY)
		return true;
	if (box->kind == SEG_LITERAL)
		return x->kind == SEG_LITERAL && x->len == box->len &&
			memcmp(x->str, box->str, x->len) == 0;
	return x->len >= box->len && memcmp(x->str, box->str, box->len) == 0;
}

/* Segment-wise intersection of two box segments; false when empty. */
static bool
segment_intersect(const SetSegment *a, const SetSegment *b, SetSegment *out)
{
	if (a->kind == SEG_ANY)
		*out = *b;
	else if (b->kind == SEG_ANY)
		*out = *a;
	else if (a->kind == SEG_LITERAL && b->kind == SEG_LITERAL)
	{
		if (a->len != b->len || memcmp(a->str, b->str, a->len) != 0)
			return false;
		*out = *a;
	}
	else if (a->kind == SEG_LITERAL)
	{
		if (a->len < b->len || memcmp(a->str, b->str, b->len) != 0)
			return false;
		*out = *a;
	}
	else if (b->kind == SEG_LITERAL)
	{
		if (b->len < a->len || memcmp(b->str, a->str, a->len) != 0)
			return false;
		*out = *b;
	}
	else
	{
		const SetSegment *shorter = a->len <= b->len ? a : b;
		const SetSegment *longer = a->len <= b->len ? b : a;

		if (memcmp(longer->str, shorter->str, shorter->len) != 0)
			return false;
		*out = *longer;
	}
	return true;
}

/* Is buf[0..len) equal to one of the segments in list? */
static bool
equals_one_of(const char *buf, int len, const SetSegment *const *list, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (list[i]->len == len && memcmp(list[i]->str, buf, len) == 0)
			return true;
	return false;
}

/*
 * Extend buf[0..len) (a prefix base, or a literal met on the way) to a
 * "fresh" string: one equal to no literal and extending no prefix base
 * longer than the base we started from.  Extensions that reach a base are
 * pruned (everything below them extends it); only extensions that hit a
 * literal need going deeper, so the search is bounded by the number of
 * literals.  Returns the fresh length, or 0 when every extension within 63
 * characters is taken.
 */
static int
fresh_extension(char *buf, int len, const SetSegment *const *lits, int nlits,
				const SetSegment *const *bases, int nbases)
{
	int			nchars = len == 0 ? SEGMENT_START_CHARS : SEGMENT_ALL_CHARS;
	int			c;

	/*
	 * Each call scans every literal and base 78 times, and the search may
	 * visit as many calls as there are literals: with tens of thousands of
	 * negations that is seconds, which statement_timeout must be able to
	 * stop.
	 */
	CHECK_FOR_INTERRUPTS();
	if (len >= ENDPOINT_SEGMENT_MAX)
		return 0;
	for (c = 0; c < nchars; c++)
	{
		buf[len] = segment_chars[c];
		if (!equals_one_of(buf, len + 1, bases, nbases) &&
			!equals_one_of(buf, len + 1, lits, nlits))
			return len + 1;
	}
	for (c = 0; c < nchars; c++)
	{
		int			found;

		buf[len] = segment_chars[c];
		if (equals_one_of(buf, len + 1, bases, nbases))
			continue;
		found = fresh_extension(buf, len + 1, lits, nlits, bases, nbases);
		if (found > 0)
			return found;
	}
	return 0;
}

/*
 * One witness per cell of the partition of box segment boxseg induced by
 * the given negatives' segment number level.  Returns the count; *out is
 * palloc'd.
 */
static int
collect_witnesses(const SetSegment *boxseg, int level,
				  SetPattern *const *negs, int nneg, Witness **out)
{
	const SetSegment **lits;
	const SetSegment **bases;
	int			nlits = 0;
	int			nbases = 0;
	Witness    *w;
	int			nw = 0;
	int			i;

	/* a literal box segment is a single cell */
	if (boxseg->kind == SEG_LITERAL)
	{
		w = palloc(sizeof(Witness));
		w[0].none = false;
		w[0].len = boxseg->len;
		memcpy(w[0].buf, boxseg->str, boxseg->len);
		*out = w;
		return 1;
	}

	/* at most nneg literals, nneg + 1 bases (two witnesses each), 2 more */
	w = palloc(sizeof(Witness) * (2 * nneg + 4));
	*out = w;
	lits = palloc(sizeof(SetSegment *) * (nneg + 1));
	bases = palloc(sizeof(SetSegment *) * (nneg + 1));

	if (boxseg->kind == SEG_PREFIX)
		bases[nbases++] = boxseg;
	for (i = 0; i < nneg; i++)
	{
		const SetSegment *s = &negs[i]->seg[level];

		if (s->kind == SEG_ANY)
			continue;
		if (s->kind == SEG_LITERAL)
			lits[nlits++] = s;
		else
			bases[nbases++] = s;
	}

	/* every literal inside the box segment */
	for (i = 0; i < nlits; i++)
	{
		if (!segment_within(lits[i], boxseg))
			continue;
		w[nw].none = false;
		w[nw].len = lits[i]->len;
		memcpy(w[nw].buf, lits[i]->str, lits[i]->len);
		nw++;
	}
	/* every prefix base inside the box segment: itself and a fresh extension */
	for (i = 0; i < nbases; i++)
	{
		int			len;

		CHECK_FOR_INTERRUPTS();	/* each base scans every literal and base */
		if (!segment_within(bases[i], boxseg))
			continue;
		w[nw].none = false;
		w[nw].len = bases[i]->len;
		memcpy(w[nw].buf, bases[i]->str, bases[i]->len);
		nw++;
		memcpy(w[nw].buf, bases[i]->str, bases[i]->len);
		len = fresh_extension(w[nw].buf, bases[i]->len, lits, nlits, bases, nbases);
		if (len > 0)
		{
			w[nw].none = false;
			w[nw].len = len;
			nw++;
		}
	}
	if (boxseg->kind == SEG_ANY)
	{
		int			len = fresh_extension(w[nw].buf, 0, lits, nlits, bases, nbases);

		if (len > 0)
		{
			w[nw].none = false;
			w[nw].len = len;
			nw++;
		}
		if (level == 2)
		{
			w[nw].none = true;
			w[nw].len = 0;
			nw++;
		}
	}
	pfree(lits);
	pfree(bases);
	return nw;
}

/* Is box (three segments) minus the union of the negatives non-empty? */
static bool
box_escapes(const SetSegment *box, int level, SetPattern *const *negs, int nneg)
{
	Witness    *w;
	SetPattern **sub;
	int			nw;
	int			i;
	bool		escapes = false;

	if (nneg == 0)
		return true;			/* every box segment is non-empty */
	if (level == 3)
		return false;
	CHECK_FOR_INTERRUPTS();

	nw = collect_witnesses(&box[level], level, negs, nneg, &w);
	sub = palloc(sizeof(SetPattern *) * nneg);
	for (i = 0; i < nw && !escapes; i++)
	{
		int			nsub = 0;
		int			j;

		CHECK_FOR_INTERRUPTS();	/* each witness scans every negative */
		for (j = 0; j < nneg; j++)
			if (segment_contains_witness(&negs[j]->seg[level], &w[i]))
				sub[nsub++] = negs[j];
		escapes = box_escapes(box, level + 1, sub, nsub);
	}
	pfree(sub);
	pfree(w);
	return escapes;
}

/* True when some endpoint belongs to both sets. */
static bool
sets_overlap(const struct varlena *a, const struct varlena *b)
{
	SetPatterns sa = es_decode_set(a);
	SetPatterns sb = es_decode_set(b);
	SetPattern	universe;
	SetPattern **negs;
	const SetPattern *boxa;
	const SetPattern *boxb;
	int			nboxa,
				nboxb;
	int			nneg = 0;
	int			i,
				j;

	if (sa.npos + sa.nneg == 0 || sb.npos + sb.nneg == 0)
		return false;

	universe.negated = false;
	universe.nseg = 0;
	for (i = 0; i < 3; i++)
		set_any(&universe.seg[i]);
	boxa = sa.npos > 0 ? sa.patterns : &universe;
	nboxa = Max(sa.npos, 1);
	boxb = sb.npos > 0 ? sb.patterns : &universe;
	nboxb = Max(sb.npos, 1);

	negs = palloc(sizeof(SetPattern *) * Max(sa.nneg + sb.nneg, 1));
	for (i = 0; i < sa.nneg; i++)
		negs[nneg++] = &sa.patterns[sa.npos + i];
	for (i = 0; i < sb.nneg; i++)
		negs[nneg++] = &sb.patterns[sb.npos + i];

	for (i = 0; i < nboxa; i++)
	{
		CHECK_FOR_INTERRUPTS();	/* up to 65535 x 65535 pairs of boxes */
		for (j = 0; j < nboxb; j++)
		{
			SetSegment	box[3];

			if (segment_intersect(&boxa[i].seg[0], &boxb[j].seg[0], &box[0]) &&
				segment_intersect(&boxa[i].seg[1], &boxb[j].seg[1], &box[1]) &&
				segment_intersect(&boxa[i].seg[2], &boxb[j].seg[2], &box[2]) &&
				box_escapes(box, 0, negs, nneg))
				return true;
		}
	}
	return false;
}

/* ---------------------------------------------------------------------
 * SQL-callable functions
 * ---------------------------------------------------------------------
 */


PG_FUNCTION_INFO_V1(endpoint_set_overlaps);
/* endpoint_set && endpoint_set: exact, negated patterns included. */
Datum
endpoint_set_overlaps(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sets_overlap(PG_GETARG_ENDPOINT_SET_P(0),
								PG_GETARG_ENDPOINT_SET_P(1)));
}
