/*
 * endpoint_set.c — a scope of endpoints (doc/design.md, "Types"):
 * comma-separated patterns [!]provider[/region[/service]], each segment a
 * literal, '*' or a prefix glob such as 'eu-*'.
 *
 * Values are stored canonical (positives then negatives, each sorted,
 * duplicates removed, trailing '*' segments dropped), so equality is byte
 * equality and the hash is a hash of the payload.  The payload is
 *
 *     uint8 npos_lo, npos_hi, nneg_lo, nneg_hi      (two little-endian uint16)
 *     then npos positive patterns, then nneg negative patterns, each:
 *         uint8 nseg                                (0..3 after canonicalising)
 *         nseg times: uint8 kind, uint8 len, len bytes
 *
 * where kind is SEG_LITERAL (the bytes are the segment), SEG_PREFIX (the
 * bytes are the prefix, without its '*') or SEG_ANY (len 0).  Segments past
 * nseg are '*'.  endpoint_set_contains walks these bytes in place.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "endpoint.h"
#include "endpoint_set.h"

#define ENDPOINT_SET_BINARY_VERSION 1
#define ENDPOINT_SET_HEADER_BYTES 4
#define ENDPOINT_SET_MAX_PATTERNS 65535

#define SEG_LITERAL 0
#define SEG_PREFIX 1
#define SEG_ANY 2

static const char *const segment_names[] = {"provider", "region", "service"};

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

/* Make s the '*' segment (also what a missing trailing segment means). */
static void
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

/* Does a pattern segment match an endpoint segment (present = false: no service)? */
static inline bool
segment_matches(const SetSegment *s, const char *v, int vlen, bool present)
{
	switch (s->kind)
	{
		case SEG_ANY:
			return true;
		case SEG_LITERAL:
			return present && vlen == s->len && memcmp(v, s->str, vlen) == 0;
		default:
			return present && vlen >= s->len && memcmp(v, s->str, s->len) == 0;
	}
}

/* Does a whole pattern match an endpoint (segments past nseg are '*')? */
static inline bool
pattern_matches(const SetPattern *pat, const EndpointView *e)
{
	return segment_matches(&pat->seg[0], e->provider, e->provider_len, true) &&
		segment_matches(&pat->seg[1], e->region, e->region_len, true) &&
		segment_matches(&pat->seg[2], e->service, e->service_len, e->service != NULL);
}

/*
 * Membership, walking the stored bytes without allocating: placement and
 * revenue call this once per (endpoint, clause) pair.
 */
bool
endpoint_set_contains(const struct varlena *set, const EndpointView *e)
{
	const uint8 *p = (const uint8 *) VARDATA_ANY(set);
	int			npos = p[0] | (p[1] << 8);
	int			nneg = p[2] | (p[3] << 8);
	bool		in = (npos == 0 && nneg > 0);
	SetPattern	pat;
	int			i;

	p += ENDPOINT_SET_HEADER_BYTES;
	for (i = 0; i < npos; i++)
	{
		read_pattern(&p, &pat, false);
		if (!in && pattern_matches(&pat, e))
			in = true;
	}
	if (!in)
		return false;
	for (i = 0; i < nneg; i++)
	{
		read_pattern(&p, &pat, true);
		if (pattern_matches(&pat, e))
			return false;
	}
	return true;
}

/* Decode a whole stored set into an array (for output and overlap). */
static SetPatterns
decode_set(const struct varlena *set)
{
	const uint8 *p = (const uint8 *) VARDATA_ANY(set);
	SetPatterns s;
	int			i;

	s.npos = p[0] | (p[1] << 8);
	s.nneg = p[2] | (p[3] << 8);
	s.patterns = palloc(sizeof(SetPattern) * Max(s.npos + s.nneg, 1));
	p += ENDPOINT_SET_HEADER_BYTES;
	for (i = 0; i < s.npos + s.nneg; i++)
		read_pattern(&p, &s.patterns[i], i >= s.npos);
	return s;
}

/* The text of one segment as written: literal, "prefix*" or "*". */
static int
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

/*
 * Canonical order of patterns: positives first, then segment texts compared
 * left to right ('*' taken as text), a dropped trailing segment first.
 */
static int
pattern_cmp(const void *va, const void *vb)
{
	const SetPattern *a = (const SetPattern *) va;
	const SetPattern *b = (const SetPattern *) vb;
	int			i;

	if (a->negated != b->negated)
		return a->negated ? 1 : -1;
	for (i = 0; i < Min(a->nseg, b->nseg); i++)
	{
		char		abuf[ENDPOINT_SEGMENT_MAX + 2];
		char		bbuf[ENDPOINT_SEGMENT_MAX + 2];
		int			alen = segment_text(&a->seg[i], abuf);
		int			blen = segment_text(&b->seg[i], bbuf);
		int			c = endpoint_segment_cmp(abuf, alen, bbuf, blen);

		if (c != 0)
			return c;
	}
	return (a->nseg > b->nseg) - (a->nseg < b->nseg);
}

/* Raise the 22P02 error for input, with a detail sentence. */
static void
pg_attribute_noreturn()
syntax_error(const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type endpoint_set: \"%s\"", input),
			 errdetail_internal("%s", detail)));
}

/*
 * Validate one segment of pattern number patno and fill seg.  folded is the
 * lower-cased text, orig the same bytes as the user wrote them (for
 * messages).
 */
static void
parse_segment(const char *input, int patno, const char *pattern_orig,
			  int segno, const char *folded, const char *orig, int len,
			  SetSegment *seg)
{
	char		badchar[8];
	const char *problem;
	const char *star;
	int			baselen;

	if (len == 0)
		syntax_error(input, psprintf("The %s segment of pattern %d \"%s\" is empty.",
									 segment_names[segno], patno, pattern_orig));
	if (len > ENDPOINT_SEGMENT_MAX)
		syntax_error(input, psprintf("The %s segment \"%s\" of pattern %d \"%s\" is longer than 63 characters.",
									 segment_names[segno], pnstrdup(orig, len),
									 patno, pattern_orig));
	if (len == 1 && folded[0] == '*')
	{
		set_any(seg);
		return;
	}
	star = memchr(folded, '*', len);
	if (star != NULL && star != folded + len - 1)
		syntax_error(input, psprintf("The %s segment \"%s\" of pattern %d \"%s\" has \"*\" before its end; a glob is a prefix followed by a single \"*\".",
									 segment_names[segno], pnstrdup(orig, len),
									 patno, pattern_orig));
	baselen = star ? len - 1 : len;
	problem = endpoint_segment_problem(folded, baselen, badchar, sizeof(badchar));
	if (problem != NULL)
	{
		if (strstr(problem, "character") != NULL)
			syntax_error(input, psprintf("The %s segment \"%s\" of pattern %d \"%s\" contains \"%s\"; segments use only a-z, 0-9, \".\", \"_\" and \"-\", and a glob ends in \"*\".",
										 segment_names[segno], pnstrdup(orig, len),
										 patno, pattern_orig, badchar));
		syntax_error(input, psprintf("The %s segment \"%s\" of pattern %d \"%s\" %s.",
									 segment_names[segno], pnstrdup(orig, len),
									 patno, pattern_orig, problem));
	}
	seg->kind = star ? SEG_PREFIX : SEG_LITERAL;
	seg->len = baselen;
	seg->str = folded;
}

/*
 * Parse one trimmed, non-empty pattern (folded and orig are the same bytes,
 * lower-cased and as written).
 */
static void
parse_pattern(const char *input, int patno, const char *folded,
			  const char *orig, int len, SetPattern *pat)
{
	char	   *pattern_orig = pnstrdup(orig, len);
	int			start = 0;
	int			i;

	pat->negated = false;
	if (folded[0] == '!')
	{
		pat->negated = true;
		start = 1;
		if (len == 1)
			syntax_error(input, psprintf("Pattern %d \"%s\" has nothing after \"!\".",
										 patno, pattern_orig));
	}

	pat->nseg = 0;
	i = start;
	for (;;)
	{
		const char *slash = memchr(folded + i, '/', len - i);
		int			seglen = slash ? (int) (slash - (folded + i)) : len - i;

		if (pat->nseg == 3)
			syntax_error(input, psprintf("Pattern %d \"%s\" has more than three segments; a pattern is written [!]provider[/region[/service]].",
										 patno, pattern_orig));
		parse_segment(input, patno, pattern_orig, pat->nseg, folded + i, orig + i,
					  seglen, &pat->seg[pat->nseg]);
		pat->nseg++;
		if (!slash)
			break;
		i += seglen + 1;
	}
	for (i = pat->nseg; i < 3; i++)
		set_any(&pat->seg[i]);
	/* missing trailing segments mean '*', so '*' trailing segments are dropped */
	while (pat->nseg > 0 && pat->seg[pat->nseg - 1].kind == SEG_ANY)
		pat->nseg--;
}

/* The one error for sets beyond what the stored form can count. */
static void
pg_attribute_noreturn()
too_many_patterns(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("endpoint_set has too many patterns"),
			 errdetail("An endpoint_set holds at most %d positive and %d negative patterns.",
					   ENDPOINT_SET_MAX_PATTERNS, ENDPOINT_SET_MAX_PATTERNS)));
}

/* Serialise sorted, deduplicated patterns into the stored form. */
static struct varlena *
build_set(const SetPattern *pats, int npos, int nneg)
{
	Size		size = VARHDRSZ + ENDPOINT_SET_HEADER_BYTES;
	struct varlena *result;
	uint8	   *p;
	int			i,
				j;

	if (npos > ENDPOINT_SET_MAX_PATTERNS || nneg > ENDPOINT_SET_MAX_PATTERNS)
		too_many_patterns();
	for (i = 0; i < npos + nneg; i++)
	{
		size += 1;
		for (j = 0; j < pats[i].nseg; j++)
			size += 2 + pats[i].seg[j].len;
	}
	result = (struct varlena *) palloc0(size);
	SET_VARSIZE(result, size);
	p = (uint8 *) VARDATA(result);
	p[0] = npos & 0xff;
	p[1] = (npos >> 8) & 0xff;
	p[2] = nneg & 0xff;
	p[3] = (nneg >> 8) & 0xff;
	p += ENDPOINT_SET_HEADER_BYTES;
	for (i = 0; i < npos + nneg; i++)
	{
		*p++ = (uint8) pats[i].nseg;
		for (j = 0; j < pats[i].nseg; j++)
		{
			*p++ = pats[i].seg[j].kind;
			*p++ = pats[i].seg[j].len;
			memcpy(p, pats[i].seg[j].str, pats[i].seg[j].len);
			p += pats[i].seg[j].len;
		}
	}
	return result;
}

/*
 * Parse the text form into the canonical stored form.  Any problem raises
 * 22P02 quoting the whole input; the detail names the pattern (position and
 * text) and the segment at fault.
 */
static struct varlena *
endpoint_set_parse(const char *input)
{
	int			inlen = strlen(input);
	char	   *folded = pnstrdup(input, inlen);
	SetPattern *pats;
	int			npats = 0;
	int			maxpats = 8;
	int			npos = 0;
	int			pos;
	int			patno;
	int			i;

	for (i = 0; i < inlen; i++)
		if (folded[i] >= 'A' && folded[i] <= 'Z')
			folded[i] += 'a' - 'A';

	/* only white space: the empty set */
	for (i = 0; i < inlen && isspace((unsigned char) input[i]); i++)
		;
	if (i == inlen)
		return build_set(NULL, 0, 0);

	pats = palloc(sizeof(SetPattern) * maxpats);
	pos = 0;
	for (patno = 1;; patno++)
	{
		const char *comma = memchr(folded + pos, ',', inlen - pos);
		int			end = comma ? (int) (comma - folded) : inlen;
		int			s = pos;
		int			e = end;

		while (s < e && isspace((unsigned char) folded[s]))
			s++;
		while (e > s && isspace((unsigned char) folded[e - 1]))
			e--;
		if (s == e)
			syntax_error(input, psprintf("Pattern %d is empty.", patno));
		if (npats == maxpats)
		{
			/* even with duplicates, more than this cannot fit once stored */
			if (maxpats >= 4 * ENDPOINT_SET_MAX_PATTERNS)
				too_many_patterns();
			maxpats *= 2;
			pats = repalloc(pats, sizeof(SetPattern) * maxpats);
		}
		parse_pattern(input, patno, folded + s, input + s, e - s, &pats[npats]);
		npats++;
		if (!comma)
			break;
		pos = end + 1;
	}

	qsort(pats, npats, sizeof(SetPattern), pattern_cmp);
	/* drop duplicates in place, then count the positives */
	if (npats > 1)
	{
		int			keep = 1;

		for (i = 1; i < npats; i++)
			if (pattern_cmp(&pats[keep - 1], &pats[i]) != 0)
				pats[keep++] = pats[i];
		npats = keep;
	}
	while (npos < npats && !pats[npos].negated)
		npos++;
	return build_set(pats, npos, npats - npos);
}

/* Canonical text: patterns joined by ", ". */
static char *
endpoint_set_to_cstring(const struct varlena *set)
{
	SetPatterns s = decode_set(set);
	StringInfoData out;
	int			i,
				j;

	initStringInfo(&out);
	for (i = 0; i < s.npos + s.nneg; i++)
	{
		const SetPattern *pat = &s.patterns[i];

		if (i > 0)
			appendStringInfoString(&out, ", ");
		if (pat->negated)
			appendStringInfoChar(&out, '!');
		if (pat->nseg == 0)
			appendStringInfoChar(&out, '*');
		for (j = 0; j < pat->nseg; j++)
		{
			char		buf[ENDPOINT_SEGMENT_MAX + 2];

			if (j > 0)
				appendStringInfoChar(&out, '/');
			appendBinaryStringInfo(&out, buf, segment_text(&pat->seg[j], buf));
		}
	}
	return out.data;
}

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
	SetPatterns sa = decode_set(a);
	SetPatterns sb = decode_set(b);
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

PG_FUNCTION_INFO_V1(endpoint_set_in);
/* Text input: validates every pattern and stores the canonical form. */
Datum
endpoint_set_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(endpoint_set_parse(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(endpoint_set_out);
/* Text output, always canonical, so equal text means equal value. */
Datum
endpoint_set_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(endpoint_set_to_cstring(PG_GETARG_ENDPOINT_SET_P(0)));
}

PG_FUNCTION_INFO_V1(endpoint_set_send);
/* Binary output: a format version byte, then the canonical text. */
Datum
endpoint_set_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(versioned_text_send(ENDPOINT_SET_BINARY_VERSION,
										  endpoint_set_to_cstring(PG_GETARG_ENDPOINT_SET_P(0))));
}

PG_FUNCTION_INFO_V1(endpoint_set_recv);
/*
 * Binary input: checks the version and validates the text exactly as text
 * input does (the binary form never carries the stored bytes, which could
 * otherwise be forged).
 */
Datum
endpoint_set_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_POINTER(endpoint_set_parse(versioned_text_recv(buf, ENDPOINT_SET_BINARY_VERSION,
															 "endpoint_set")));
}

PG_FUNCTION_INFO_V1(endpoint_set_contains_endpoint);
/* endpoint_set @> endpoint */
Datum
endpoint_set_contains_endpoint(PG_FUNCTION_ARGS)
{
	struct varlena *set = PG_GETARG_ENDPOINT_SET_P(0);
	EndpointView e = endpoint_view(PG_GETARG_ENDPOINT_P(1));

	PG_RETURN_BOOL(endpoint_set_contains(set, &e));
}

PG_FUNCTION_INFO_V1(endpoint_contained_by_endpoint_set);
/* endpoint <@ endpoint_set */
Datum
endpoint_contained_by_endpoint_set(PG_FUNCTION_ARGS)
{
	EndpointView e = endpoint_view(PG_GETARG_ENDPOINT_P(0));
	struct varlena *set = PG_GETARG_ENDPOINT_SET_P(1);

	PG_RETURN_BOOL(endpoint_set_contains(set, &e));
}

PG_FUNCTION_INFO_V1(endpoint_set_overlaps);
/* endpoint_set && endpoint_set: exact, negated patterns included. */
Datum
endpoint_set_overlaps(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sets_overlap(PG_GETARG_ENDPOINT_SET_P(0),
								PG_GETARG_ENDPOINT_SET_P(1)));
}

/*
 * Stored forms are canonical, so equality is payload equality.  Like the
 * comparison below, it frees detoasted copies: sorts and merge joins call
 * these functions many times in one context that is not reset in between.
 */
static bool
endpoint_set_equal_args(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_ENDPOINT_SET_P(0);
	struct varlena *b = PG_GETARG_ENDPOINT_SET_P(1);
	bool		result;

	result = VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return result;
}

PG_FUNCTION_INFO_V1(endpoint_set_eq);
/* = on canonical form: same patterns after canonicalising. */
Datum
endpoint_set_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_set_equal_args(fcinfo));
}

PG_FUNCTION_INFO_V1(endpoint_set_ne);
/* <> on canonical form. */
Datum
endpoint_set_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!endpoint_set_equal_args(fcinfo));
}

/*
 * Total order for btree (sorting, count(DISTINCT), unique indexes): the
 * stored patterns compared one by one in canonical pattern order, a set
 * that is a leading part of another first.  Consistent with = because
 * stored forms are canonical.  Allocates nothing.
 */
static int
endpoint_set_cmp_internal(const struct varlena *a, const struct varlena *b)
{
	const uint8 *pa = (const uint8 *) VARDATA_ANY(a);
	const uint8 *pb = (const uint8 *) VARDATA_ANY(b);
	int			nposa = pa[0] | (pa[1] << 8);
	int			nposb = pb[0] | (pb[1] << 8);
	int			na = nposa + (pa[2] | (pa[3] << 8));
	int			nb = nposb + (pb[2] | (pb[3] << 8));
	int			i;

	pa += ENDPOINT_SET_HEADER_BYTES;
	pb += ENDPOINT_SET_HEADER_BYTES;
	for (i = 0; i < Min(na, nb); i++)
	{
		SetPattern	x,
					y;
		int			c;

		read_pattern(&pa, &x, i >= nposa);
		read_pattern(&pb, &y, i >= nposb);
		c = pattern_cmp(&x, &y);
		if (c != 0)
			return c;
	}
	return (na > nb) - (na < nb);
}

/*
 * Three-way comparison of the two endpoint_set arguments.  A sort calls it
 * O(n log n) times in its own context, so a detoasted (decompressed) copy
 * is freed at once rather than left for the end of the sort: without that,
 * sorting 20,000 compressed sets of 400 patterns peaked at 2.3 GB.
 */
static int
endpoint_set_cmp_args(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_ENDPOINT_SET_P(0);
	struct varlena *b = PG_GETARG_ENDPOINT_SET_P(1);
	int			result = endpoint_set_cmp_internal(a, b);

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return result;
}

PG_FUNCTION_INFO_V1(endpoint_set_cmp);
/* btree support: -1, 0 or 1. */
Datum
endpoint_set_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(endpoint_set_cmp_args(fcinfo));
}

PG_FUNCTION_INFO_V1(endpoint_set_lt);
Datum
endpoint_set_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_set_cmp_args(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(endpoint_set_le);
Datum
endpoint_set_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_set_cmp_args(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(endpoint_set_gt);
Datum
endpoint_set_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_set_cmp_args(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(endpoint_set_ge);
Datum
endpoint_set_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_set_cmp_args(fcinfo) >= 0);
}

PG_FUNCTION_INFO_V1(endpoint_set_hash);
/* hash support: equal sets have equal payload bytes. */
Datum
endpoint_set_hash(PG_FUNCTION_ARGS)
{
	struct varlena *set = PG_GETARG_ENDPOINT_SET_P(0);
	Datum		result = hash_any((const unsigned char *) VARDATA_ANY(set),
								  VARSIZE_ANY_EXHDR(set));

	PG_FREE_IF_COPY(set, 0);
	return result;
}

PG_FUNCTION_INFO_V1(endpoint_set_hash_extended);
/* extended (seeded, 64-bit) hash support, used by hash partitioning. */
Datum
endpoint_set_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *set = PG_GETARG_ENDPOINT_SET_P(0);
	Datum		result = hash_any_extended((const unsigned char *) VARDATA_ANY(set),
										   VARSIZE_ANY_EXHDR(set), PG_GETARG_INT64(1));

	PG_FREE_IF_COPY(set, 0);
	return result;
}
