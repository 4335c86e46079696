/*
 * endpoint_set_io.c — endpoint_set text input (validation, canonical
 * stored form) and canonical text output, and the binary send/recv built on
 * them.  The stored form is described at the top of endpoint_set.c.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "endpoint.h"
#include "endpoint_set.h"
#include "endpoint_set_internal.h"

#define ENDPOINT_SET_BINARY_VERSION 1
#define ENDPOINT_SET_MAX_PATTERNS 65535

static const char *const segment_names[] = {"provider", "region", "service"};

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

	qsort(pats, npats, sizeof(SetPattern), es_pattern_cmp);
	/* drop duplicates in place, then count the positives */
	if (npats > 1)
	{
		int			keep = 1;

		for (i = 1; i < npats; i++)
			if (es_pattern_cmp(&pats[keep - 1], &pats[i]) != 0)
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
	SetPatterns s = es_decode_set(set);
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
