/*
 * rate_schedule_io.c — the rate_schedule type's text and binary forms
 * (doc/design.md, "Types"): the text parser, the canonical text output and
 * binary send/recv.  The model, the arithmetic and the operators are in
 * rate_schedule.c.
 *
 * The canonical text: a single constant segment unbounded at both ends
 * prints as the bare rate ("20%"); otherwise "{[lo,hi) r, [lo,hi) r0->r1}",
 * rates as percents with the fewest decimals, dates as YYYY-MM-DD whatever
 * DateStyle is.  Text input and binary input accept exactly the same values
 * (both check segments with rate_schedule_segment_problem()).
 */
#include "postgres.h"

#include <ctype.h>
#include <stdarg.h>

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "endpoint.h"
#include "rate_schedule.h"
#include "rate_schedule_internal.h"

#define RATE_SCHEDULE_BINARY_VERSION 1
/* bytes of one segment in the binary format: lo, hi (int32), r0, r1 (int64) */
#define RATE_SEGMENT_WIRE_BYTES 24
/* at most this many segments, so that sizes stay far from MaxAllocSize */
#define RATE_SCHEDULE_MAX_SEGMENTS 1000000

#define PERCENT_DIGITS (RATE_SCALE_DIGITS - 2)	/* decimals allowed in a percent */
/* ------------------------------------------------------------------------
 * Small helpers: dates and rates as text
 * ------------------------------------------------------------------------
 */

/* Append a date as YYYY-MM-DD (independent of DateStyle) or +-infinity. */
void
rate_schedule_append_date(StringInfo s, DateADT d)
{
	int			y,
				m,
				dd;

	if (d == DATEVAL_NOBEGIN)
	{
		appendStringInfoString(s, "-infinity");
		return;
	}
	if (d == DATEVAL_NOEND)
	{
		appendStringInfoString(s, "infinity");
		return;
	}
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	appendStringInfo(s, "%04d-%02d-%02d", y, m, dd);
}

/* A date as a palloc'd string, for messages. */
static char *
date_text(DateADT d)
{
	StringInfoData s;

	initStringInfo(&s);
	rate_schedule_append_date(&s, d);
	return s.data;
}

/* Append a rate (units of 1/RATE_SCALE) as a percent with minimal decimals. */
static void
append_rate(StringInfo s, int64 r)
{
	int64		unit = RATE_SCALE / 100;	/* 1% */
	int64		whole = r / unit;
	int64		frac = r % unit;

	appendStringInfo(s, INT64_FORMAT, whole);
	if (frac != 0)
	{
		char		digits[PERCENT_DIGITS + 1];
		int			n = PERCENT_DIGITS;

		snprintf(digits, sizeof(digits), "%0*" INT64_MODIFIER "d",
				 PERCENT_DIGITS, frac);
		while (n > 0 && digits[n - 1] == '0')
			n--;
		digits[n] = '\0';
		appendStringInfo(s, ".%s", digits);
	}
	appendStringInfoChar(s, '%');
}
/* ------------------------------------------------------------------------
 * Text form: parser and canonical output
 * ------------------------------------------------------------------------
 */

/* Text-input parser state. */
typedef struct RateParser
{
	const char *input;			/* the whole input, for messages */
	const char *p;				/* current position */
	int			segno;			/* 1-based number of the segment being read, 0 outside */
	const char *segstart;		/* where that segment starts */
	bool		segment_empty;	/* the problem is that the segment is empty */
} RateParser;

/*
 * The text of the segment starting at start, for messages: up to the next
 * "," or "}" that is not inside brackets, trailing space removed.
 */
static char *
segment_text(const char *start)
{
	const char *e = start;
	int			depth = 0;

	while (*e)
	{
		/* a wrong opening bracket such as "]" still opens the range */
		if (*e == '[' || *e == '(' || (e == start && *e == ']'))
			depth++;
		else if ((*e == ']' || *e == ')') && depth > 0)
			depth--;
		else if ((*e == ',' && depth == 0) || *e == '}')
			break;
		e++;
	}
	while (e > start && isspace((unsigned char) e[-1]))
		e--;
	return pnstrdup(start, e - start);
}

/* Raise 22P02 for the input; the detail names the segment being read. */
static void
pg_attribute_noreturn()
pg_attribute_printf(2, 3)
parse_fail(RateParser *ps, const char *fmt,...)
{
	StringInfoData problem;

	initStringInfo(&problem);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&problem, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&problem, needed);
	}

	if (ps->segno > 0 && ps->segment_empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type rate_schedule: \"%s\"", ps->input),
				 errdetail("Segment %d is empty.", ps->segno)));
	if (ps->segno > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type rate_schedule: \"%s\"", ps->input),
				 errdetail("Segment %d \"%s\": %s.", ps->segno,
						   segment_text(ps->segstart), problem.data)));
	/* outside a segment: the problem is already a sentence, capitalise it */
	if (problem.len > 0 && problem.data[0] >= 'a' && problem.data[0] <= 'z')
		problem.data[0] += 'A' - 'a';
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type rate_schedule: \"%s\"", ps->input),
			 errdetail("%s.", problem.data)));
}

static void
skip_space(RateParser *ps)
{
	while (*ps->p && isspace((unsigned char) *ps->p))
		ps->p++;
}

/* The character at p quoted for a message ("end of input" at the end). */
static char *
quote_char(const char *p)
{
	if (*p == '\0')
		return pstrdup("end of input");
	return psprintf("\"%s\"", pnstrdup(p, pg_mblen(p)));
}

/*
 * The "word" at p, for quoting something that is not a rate: everything up
 * to white space or a delimiter of the list syntax.
 */
static char *
word_text(const char *p)
{
	const char *e = p;

	while (*e && !isspace((unsigned char) *e) && *e != ',' && *e != '{' &&
		   *e != '}' && *e != '[' && *e != ']' && *e != '(' && *e != ')' &&
		   !(e > p && e[0] == '-' && e[1] == '>'))
		e++;
	if (e == p)
		return quote_char(p);
	return psprintf("\"%s\"", pnstrdup(p, e - p));
}

/*
 * Read a rate: an exact decimal, as a percent ("12.5%") or a fraction
 * ("0.125").  Trailing zeros beyond the allowed decimals are harmless (the
 * value stays exact); any other extra digit is an error, never rounded.
 */
static int64
parse_rate(RateParser *ps, bool after_arrow)
{
	const char *start = ps->p;
	const char *s = ps->p;
	bool		negative = false;
	bool		percent;
	const char *int_start,
			   *int_end,
			   *frac_start = NULL,
			   *frac_end = NULL;
	int			max_decimals;
	int64		unit;
	int64		value = 0;
	int			nfrac;
	char	   *token;
	const char *q;

	if (*s == '-' && (isdigit((unsigned char) s[1]) || s[1] == '.'))
	{
		negative = true;
		s++;
	}
	int_start = s;
	while (isdigit((unsigned char) *s))
		s++;
	int_end = s;
	if (*s == '.')
	{
		s++;
		frac_start = s;
		while (isdigit((unsigned char) *s))
			s++;
		frac_end = s;
	}
	if (int_end == int_start && (frac_start == NULL || frac_end == frac_start))
	{
		if (*start == '\0' || *start == ',' || *start == '}')
			parse_fail(ps, after_arrow ? "the rate after \"->\" is missing" : "the rate is missing");
		parse_fail(ps, "%s is not a rate; write a percent such as 12.5%% or a fraction such as 0.125",
				   word_text(start));
	}
	/* a "%" may follow after white space */
	q = s;
	while (*q && isspace((unsigned char) *q))
		q++;
	percent = (*q == '%');
	if (percent)
		s = q + 1;
	token = pnstrdup(start, s - start);
	ps->p = s;

	/* the rate must end here: anything glued to it is a typo */
	if (*s && !isspace((unsigned char) *s) && *s != ',' && *s != '}' &&
		!(s[0] == '-' && s[1] == '>'))
		parse_fail(ps, "unexpected %s after the rate \"%s\"", quote_char(s), token);

	if (negative)
		parse_fail(ps, "rate \"%s\" is negative", token);

	max_decimals = percent ? PERCENT_DIGITS : RATE_SCALE_DIGITS;
	unit = percent ? RATE_SCALE / 100 : RATE_SCALE;

	/* fractional digits, ignoring trailing zeros */
	if (frac_start)
		while (frac_end > frac_start && frac_end[-1] == '0')
			frac_end--;
	nfrac = frac_start ? (int) (frac_end - frac_start) : 0;
	if (nfrac > max_decimals)
		parse_fail(ps, "rate \"%s\" has more than %d decimal places (a percent may have 10, a fraction 12)",
				   token, max_decimals);

	/* integer part: anything with more than 3 significant digits is too big */
	while (int_start < int_end && *int_start == '0')
		int_start++;
	if (int_end - int_start > 3)
		value = RATE_SCALE + 1;
	else
	{
		const char *c;
		int64		f = unit;
		int			i;

		for (c = int_start; c < int_end; c++)
			value = value * 10 + (*c - '0');
		value *= unit;
		for (i = 0; i < nfrac; i++)
		{
			f /= 10;
			value += (frac_start[i] - '0') * f;
		}
	}
	if (value > RATE_SCALE)
	{
		if (percent)
			parse_fail(ps, "rate \"%s\" is greater than 100%%", token);
		parse_fail(ps, "rate \"%s\" is greater than 1; write %s%% for a percent",
				   token, token);
	}
	return value;
}

/* Read a bound: YYYY-MM-DD, -infinity (lower) or infinity (upper). */
static DateADT
parse_bound(RateParser *ps, bool upper)
{
	const char *start = ps->p;
	const char *e = start;
	char	   *tok;
	int			len;
	int			y = 0,
				m = 0,
				d = 0;
	int			ylen = 0;
	const char *c;
	DateADT		result;

	while (*e && (isalnum((unsigned char) *e) || *e == '-' || *e == '+' ||
				  *e == '.' || *e == '/' || *e == ':'))
		e++;
	len = (int) (e - start);
	if (len == 0)
		parse_fail(ps, "the %s bound is missing", upper ? "upper" : "lower");
	tok = pnstrdup(start, len);
	ps->p = e;

	if (pg_strcasecmp(tok, "-infinity") == 0)
	{
		if (upper)
			parse_fail(ps, "the upper bound cannot be -infinity");
		return DATEVAL_NOBEGIN;
	}
	if (pg_strcasecmp(tok, "infinity") == 0 || pg_strcasecmp(tok, "+infinity") == 0)
	{
		if (!upper)
			parse_fail(ps, "the lower bound cannot be infinity");
		return DATEVAL_NOEND;
	}

	/* YYYY-MM-DD: a year of 4 to 7 digits, two-digit month and day */
	c = tok;
	while (isdigit((unsigned char) *c) && ylen < 8)
	{
		y = y * 10 + (*c - '0');
		c++;
		ylen++;
	}
	if (ylen < 4 || ylen > 7 || c[0] != '-' ||
		!isdigit((unsigned char) c[1]) || !isdigit((unsigned char) c[2]) || c[3] != '-' ||
		!isdigit((unsigned char) c[4]) || !isdigit((unsigned char) c[5]) || c[6] != '\0')
		parse_fail(ps, "\"%s\" is not a date; write YYYY-MM-DD, -infinity or infinity", tok);
	m = (c[1] - '0') * 10 + (c[2] - '0');
	d = (c[4] - '0') * 10 + (c[5] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > day_tab[isleap(y)][m - 1] ||
		!IS_VALID_JULIAN(y, m, d))
		parse_fail(ps, "\"%s\" is not a valid date", tok);
	result = (DateADT) (date2j(y, m, d) - POSTGRES_EPOCH_JDATE);
	if (!IS_VALID_DATE(result))
		parse_fail(ps, "\"%s\" is out of the range of dates", tok);
	return result;
}

/* Read one segment "[lo,hi) rate" or "[lo,hi) r0->r1" at ps->p. */
static RateSegment
parse_segment(RateParser *ps, const RateSegment *prev, int prevno)
{
	RateSegment seg;
	const char *problem;

	if (*ps->p == ',' || *ps->p == '}')
	{
		ps->segment_empty = true;
		parse_fail(ps, "is empty");
	}
	if (*ps->p == '\0')
	{
		ps->segno = 0;
		parse_fail(ps, "the list is not closed with \"}\"");
	}
	if (*ps->p == '(' || *ps->p == ']')
		parse_fail(ps, "the range opens with \"%c\"; only half-open ranges written [lo,hi) are accepted",
				   *ps->p);
	if (*ps->p != '[')
		parse_fail(ps, "expected a range [lo,hi) before the rate, found %s", quote_char(ps->p));
	ps->p++;
	skip_space(ps);
	seg.lo = parse_bound(ps, false);
	skip_space(ps);
	if (*ps->p != ',')
		parse_fail(ps, "expected \",\" after the lower bound, found %s", quote_char(ps->p));
	ps->p++;
	skip_space(ps);
	seg.hi = parse_bound(ps, true);
	skip_space(ps);
	if (*ps->p == ']')
		parse_fail(ps, "the range closes with \"]\"; only half-open ranges written [lo,hi) are accepted");
	if (*ps->p != ')')
		parse_fail(ps, "expected \")\" after the upper bound, found %s", quote_char(ps->p));
	ps->p++;
	if (seg.lo == seg.hi)
		parse_fail(ps, "the range is empty (both bounds are %s)", date_text(seg.lo));
	if (seg.lo > seg.hi)
		parse_fail(ps, "the lower bound %s is after the upper bound %s",
				   date_text(seg.lo), date_text(seg.hi));
	skip_space(ps);
	seg.r0 = parse_rate(ps, false);
	seg.r1 = seg.r0;
	skip_space(ps);
	if (ps->p[0] == '-' && ps->p[1] == '>')
	{
		ps->p += 2;
		skip_space(ps);
		seg.r1 = parse_rate(ps, true);
		skip_space(ps);
	}
	if (seg.r0 != seg.r1 && (seg.lo == DATEVAL_NOBEGIN || seg.hi == DATEVAL_NOEND))
		parse_fail(ps, "a ramp needs finite bounds; only a constant rate may extend to -infinity or infinity");
	if (prev)
	{
		if (seg.lo < prev->lo)
			parse_fail(ps, "it starts on %s, before segment %d, which starts on %s; segments must be in ascending order",
					   date_text(seg.lo), prevno, date_text(prev->lo));
		if (seg.lo < prev->hi)
			parse_fail(ps, "it starts on %s, before segment %d ends on %s; segments must not overlap",
					   date_text(seg.lo), prevno, date_text(prev->hi));
	}
	/* defensive: the checks above already cover everything recv checks */
	problem = rate_schedule_segment_problem(&seg);
	if (problem)
		parse_fail(ps, "%s", problem);
	return seg;
}

/* Parse the whole text form; any problem raises 22P02. */
static RateSchedule *
rate_schedule_parse(const char *input)
{
	RateParser	ps;
	RateSegment *segs;
	int			nsegs = 0;
	int			cap = 8;
	RateSchedule *rs;

	ps.input = input;
	ps.p = input;
	ps.segno = 0;
	ps.segstart = NULL;
	ps.segment_empty = false;
	skip_space(&ps);

	if (*ps.p != '{')
	{
		RateSegment seg;

		if (*ps.p == '\0')
			parse_fail(&ps, "the input is empty; write a rate such as 20%% or a list of segments such as {[2026-01-01,2027-01-01) 20%%}");
		if (*ps.p == '[' || *ps.p == '(')
			parse_fail(&ps, "a list of segments must be enclosed in braces, as in {[2026-01-01,2027-01-01) 20%%}");
		seg.lo = DATEVAL_NOBEGIN;
		seg.hi = DATEVAL_NOEND;
		seg.r0 = seg.r1 = parse_rate(&ps, false);
		skip_space(&ps);
		if (ps.p[0] == '-' && ps.p[1] == '>')
			parse_fail(&ps, "a ramp needs a finite date range, as in {[2026-01-01,2027-01-01) 20%%->0%%}");
		if (*ps.p != '\0')
			parse_fail(&ps, "unexpected %s after the rate", word_text(ps.p));
		rs = rate_schedule_alloc(1);
		rs->segments[0] = seg;
		return rs;
	}

	ps.p++;
	skip_space(&ps);
	segs = palloc(cap * sizeof(RateSegment));
	if (*ps.p == '}')
		ps.p++;
	else
	{
		for (;;)
		{
			ps.segno = nsegs + 1;
			ps.segstart = ps.p;
			if (nsegs >= RATE_SCHEDULE_MAX_SEGMENTS)
				parse_fail(&ps, "a schedule has at most %d segments", RATE_SCHEDULE_MAX_SEGMENTS);
			if (nsegs == cap)
			{
				cap *= 2;
				segs = repalloc(segs, cap * sizeof(RateSegment));
			}
			segs[nsegs] = parse_segment(&ps, nsegs > 0 ? &segs[nsegs - 1] : NULL, nsegs);
			nsegs++;
			skip_space(&ps);
			if (*ps.p == ',')
			{
				ps.p++;
				skip_space(&ps);
				continue;
			}
			if (*ps.p == '}')
			{
				ps.p++;
				break;
			}
			if (*ps.p == '\0')
				parse_fail(&ps, "the list is not closed with \"}\"");
			parse_fail(&ps, "expected \",\" or \"}\" after the rate, found %s", word_text(ps.p));
		}
	}
	ps.segno = 0;
	skip_space(&ps);
	if (*ps.p != '\0')
		parse_fail(&ps, "unexpected %s after the closing \"}\"", word_text(ps.p));

	rs = rate_schedule_alloc(nsegs);
	if (nsegs > 0)
		memcpy(rs->segments, segs, nsegs * sizeof(RateSegment));
	return rs;
}

/* Canonical text (see the file header comment). */
char *
rate_schedule_to_cstring(const RateSchedule *rs)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	if (rs->nsegments == 1 && rs->segments[0].lo == DATEVAL_NOBEGIN &&
		rs->segments[0].hi == DATEVAL_NOEND)
	{
		append_rate(&s, rs->segments[0].r0);
		return s.data;
	}
	appendStringInfoChar(&s, '{');
	for (i = 0; i < rs->nsegments; i++)
	{
		const RateSegment *seg = &rs->segments[i];

		if (i > 0)
			appendStringInfoString(&s, ", ");
		appendStringInfoChar(&s, '[');
		rate_schedule_append_date(&s, seg->lo);
		appendStringInfoChar(&s, ',');
		rate_schedule_append_date(&s, seg->hi);
		appendStringInfoString(&s, ") ");
		append_rate(&s, seg->r0);
		if (seg->r1 != seg->r0)
		{
			appendStringInfoString(&s, "->");
			append_rate(&s, seg->r1);
		}
	}
	appendStringInfoChar(&s, '}');
	return s.data;
}
/* ------------------------------------------------------------------------
 * SQL-callable functions: text and binary I/O
 * ------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(rate_schedule_in);
/* Text input: validates everything; 22P02 names the segment at fault. */
Datum
rate_schedule_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rate_schedule_parse(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(rate_schedule_out);
/* Text output, always canonical, independent of DateStyle. */
Datum
rate_schedule_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(rate_schedule_to_cstring(PG_GETARG_RATE_SCHEDULE_P(0)));
}

PG_FUNCTION_INFO_V1(rate_schedule_send);
/*
 * Binary output: a version byte, the segment count, then per segment lo, hi
 * (int32 days since 2000-01-01, infinities as PostgreSQL's date sentinels)
 * and r0, r1 (int64 units of 10^-12).
 */
Datum
rate_schedule_send(PG_FUNCTION_ARGS)
{
	RateSchedule *rs = PG_GETARG_RATE_SCHEDULE_P(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, RATE_SCHEDULE_BINARY_VERSION);
	pq_sendint32(&buf, rs->nsegments);
	for (i = 0; i < rs->nsegments; i++)
	{
		pq_sendint32(&buf, rs->segments[i].lo);
		pq_sendint32(&buf, rs->segments[i].hi);
		pq_sendint64(&buf, rs->segments[i].r0);
		pq_sendint64(&buf, rs->segments[i].r1);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(rate_schedule_recv);
/* Binary input: validates counts, ranges, order and rates exactly as input does. */
Datum
rate_schedule_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		n;
	RateSchedule *rs;
	int			i;

	/* the version first, so that text sent in binary format ("20%") is named as such */
	if (buf->len - buf->cursor >= 1 &&
		(unsigned char) buf->data[buf->cursor] != RATE_SCHEDULE_BINARY_VERSION)
		binary_version_error(buf, "rate_schedule", (unsigned char) buf->data[buf->cursor]);
	if (buf->len - buf->cursor < 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary rate_schedule: message is truncated")));
	(void) pq_getmsgbyte(buf);	/* the version, checked above */
	n = (int32) pq_getmsgint(buf, 4);
	if (n < 0 || n > RATE_SCHEDULE_MAX_SEGMENTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary rate_schedule: segment count %d out of range", n)));
	if ((int64) (buf->len - buf->cursor) != (int64) n * RATE_SEGMENT_WIRE_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary rate_schedule: segment count %d does not match the %d bytes that follow",
						n, buf->len - buf->cursor)));
	rs = rate_schedule_alloc(n);
	for (i = 0; i < n; i++)
	{
		RateSegment *seg = &rs->segments[i];
		const char *problem;

		seg->lo = (DateADT) pq_getmsgint(buf, 4);
		seg->hi = (DateADT) pq_getmsgint(buf, 4);
		seg->r0 = pq_getmsgint64(buf);
		seg->r1 = pq_getmsgint64(buf);
		problem = rate_schedule_segment_problem(seg);
		if (problem == NULL && i > 0 && seg->lo < rs->segments[i - 1].hi)
			problem = "segment is out of order or overlaps the previous one";
		if (problem)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary rate_schedule: segment %d: %s", i + 1, problem)));
	}
	PG_RETURN_POINTER(rs);
}
