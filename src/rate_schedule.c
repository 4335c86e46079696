/*
 * rate_schedule.c — the rate_schedule type: a piecewise-linear rate over
 * dates (doc/design.md, "Types"), used for revenue shares that wind down.
 *
 * A value is a sorted list of non-overlapping half-open segments [lo, hi),
 * each with a constant rate or a linear ramp r0->r1; days outside every
 * segment have rate 0.  Rates are exact integers in units of 10^-12, so every
 * computation here is exact: daily rates and their sums are rationals held in
 * int128 and reduced to lowest terms, and a decimal is produced only at the
 * very end (exact when it terminates, else rounded to RATE_NUMERIC_SCALE
 * places).
 *
 * The stored form is canonical (a ramp with equal ends is a constant, with
 * r1 == r0), so equality is byte equality and the hash hashes the bytes.
 */
#include "postgres.h"

#include <ctype.h>
#include <stdarg.h>

#include "common/hashfn.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"

#include "endpoint.h"
#include "rate_schedule.h"

#ifndef HAVE_INT128
#error "dealscope needs a compiler with a 128-bit integer type"
#endif

#define RATE_SCHEDULE_BINARY_VERSION 1
/* bytes of one segment in the binary format: lo, hi (int32), r0, r1 (int64) */
#define RATE_SEGMENT_WIRE_BYTES 24
/* at most this many segments, so that sizes stay far from MaxAllocSize */
#define RATE_SCHEDULE_MAX_SEGMENTS 1000000

#define PERCENT_DIGITS (RATE_SCALE_DIGITS - 2)	/* decimals allowed in a percent */

/* ------------------------------------------------------------------------
 * Small helpers: dates, rates and int128 arithmetic
 * ------------------------------------------------------------------------
 */

/* First and last date the text form can write (0001-01-01 .. the PG max). */
static DateADT
min_finite_date(void)
{
	return (DateADT) (date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE);
}

/* A finite date as the text form writes it, or +-infinity. */
static bool
rate_date_ok(DateADT d)
{
	return d >= min_finite_date() && IS_VALID_DATE(d);
}

/* Append a date as YYYY-MM-DD (independent of DateStyle) or +-infinity. */
static void
append_date(StringInfo s, DateADT d)
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
	append_date(&s, d);
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

static uint128
gcd128(uint128 a, uint128 b)
{
	while (b != 0)
	{
		uint128		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Overflow of the exact arithmetic: never return a wrong value. */
static void
pg_attribute_noreturn()
rate_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("rate_schedule arithmetic out of range"),
			 errdetail("The exact value needs integers wider than 128 bits.")));
}

static int128
mul128(int128 a, int128 b)
{
	int128		r;

	if (__builtin_mul_overflow(a, b, &r))
		rate_overflow();
	return r;
}

static int128
add128(int128 a, int128 b)
{
	int128		r;

	if (__builtin_add_overflow(a, b, &r))
		rate_overflow();
	return r;
}

/* Reduce num/den (den > 0, num >= 0) to lowest terms. */
static void
reduce(int128 *num, int128 *den)
{
	uint128		g = gcd128((uint128) *num, (uint128) *den);

	if (g > 1)
	{
		*num /= (int128) g;
		*den /= (int128) g;
	}
}

/* *num / *den += n / d, all non-negative, denominators positive. */
static void
frac_add(int128 *num, int128 *den, int128 n, int128 d)
{
	int128		g;

	reduce(&n, &d);
	if (n == 0)
		return;
	if (*num == 0)
	{
		*num = n;
		*den = d;
		return;
	}
	g = (int128) gcd128((uint128) *den, (uint128) d);
	/* a/b + c/d = (a*(d/g) + c*(b/g)) / (b*(d/g)) */
	*num = add128(mul128(*num, d / g), mul128(n, *den / g));
	*den = mul128(*den, d / g);
	reduce(num, den);
}

/* Append a non-negative int128 in decimal. */
static void
append_int128(StringInfo s, uint128 v)
{
	char		buf[48];
	int			i = sizeof(buf) - 1;

	buf[i] = '\0';
	do
	{
		buf[--i] = '0' + (int) (v % 10);
		v /= 10;
	} while (v != 0);
	appendStringInfoString(s, buf + i);
}

/*
 * The exact decimal of num/den (num >= 0, den > 0) as a numeric Datum when it
 * terminates; otherwise rounded to RATE_NUMERIC_SCALE decimal places (the
 * value then never lies exactly halfway, so the rounding direction is
 * unambiguous).  Long division is done so that nothing can overflow, even
 * for denominators close to 2^127.
 */
Datum
rate_fraction_to_numeric(int128 num, int128 den)
{
	uint128		n,
				d,
				m,
				q,
				rem;
	int			twos = 0,
				fives = 0,
				places,
				i;
	bool		terminates;
	char	   *digits;
	StringInfoData s;

	Assert(num >= 0 && den > 0);
	reduce(&num, &den);
	n = (uint128) num;
	d = (uint128) den;

	m = d;
	while (m % 2 == 0)
	{
		m /= 2;
		twos++;
	}
	while (m % 5 == 0)
	{
		m /= 5;
		fives++;
	}
	terminates = (m == 1);
	places = terminates ? Max(twos, fives) : RATE_NUMERIC_SCALE + 1;

	q = n / d;
	rem = n % d;
	digits = palloc(places + 1);
	for (i = 0; i < places; i++)
	{
		/* digit = floor(10 * rem / d), rem = 10 * rem mod d, without overflow */
		uint128		acc = 0;
		int			digit = 0,
					k;

		for (k = 0; k < 10; k++)
		{
			if (acc >= d - rem)
			{
				acc -= d - rem;
				digit++;
			}
			else
				acc += rem;
		}
		digits[i] = '0' + digit;
		rem = acc;
	}

	if (!terminates)
	{
		/* round half up on the extra digit, carrying as far as needed */
		bool		up = digits[RATE_NUMERIC_SCALE] >= '5';

		places = RATE_NUMERIC_SCALE;
		for (i = places - 1; up && i >= 0; i--)
		{
			if (digits[i] == '9')
				digits[i] = '0';
			else
			{
				digits[i]++;
				up = false;
			}
		}
		if (up)
			q++;
	}
	digits[places] = '\0';

	initStringInfo(&s);
	append_int128(&s, q);
	if (places > 0)
		appendStringInfo(&s, ".%s", digits);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(s.data),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* ------------------------------------------------------------------------
 * Construction, validation and text form
 * ------------------------------------------------------------------------
 */

static RateSchedule *
rate_schedule_alloc(int nsegments)
{
	Size		size = offsetof(RateSchedule, segments) +
		(Size) nsegments * sizeof(RateSegment);
	RateSchedule *rs = (RateSchedule *) palloc0(size);

	SET_VARSIZE(rs, size);
	rs->nsegments = nsegments;
	return rs;
}

/*
 * Why a segment is not acceptable on its own, or NULL.  Shared by text input
 * and binary input so that both accept exactly the same values.
 */
static const char *
segment_problem(const RateSegment *seg)
{
	if (seg->lo == DATEVAL_NOEND)
		return "lower bound cannot be infinity";
	if (seg->hi == DATEVAL_NOBEGIN)
		return "upper bound cannot be -infinity";
	if (seg->lo != DATEVAL_NOBEGIN && !rate_date_ok(seg->lo))
		return "lower bound is not a valid date";
	if (seg->hi != DATEVAL_NOEND && !rate_date_ok(seg->hi))
		return "upper bound is not a valid date";
	if (seg->lo >= seg->hi)
		return seg->lo == seg->hi ? "range is empty" : "lower bound is after upper bound";
	if (seg->r0 < 0 || seg->r1 < 0)
		return "rate is negative";
	if (seg->r0 > RATE_SCALE || seg->r1 > RATE_SCALE)
		return "rate is greater than 100%";
	if (seg->r0 != seg->r1 &&
		(seg->lo == DATEVAL_NOBEGIN || seg->hi == DATEVAL_NOEND))
		return "ramp has an infinite bound";
	return NULL;
}

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
	problem = segment_problem(&seg);
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
static char *
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
		append_date(&s, seg->lo);
		appendStringInfoChar(&s, ',');
		append_date(&s, seg->hi);
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
 * Evaluation (C API, see rate_schedule.h)
 * ------------------------------------------------------------------------
 */

/* Index of the first segment whose hi is after day d (nsegments if none). */
static int
first_segment_ending_after(const RateSchedule *rs, DateADT d)
{
	int			lo = 0,
				hi = rs->nsegments;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (rs->segments[mid].hi > d)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * Exact sum of the daily rate over [from, to).  For the days [x, y) of a
 * ramp [a, b): sum = k*r0 + (r1 - r0) * S / (b - a) with k = y - x and
 * S = sum_{d=x}^{y-1} (d - a) = k * ((x - a) + (y - 1 - a)) / 2; all terms
 * are below 2^105, so only the additions across segments can overflow.
 */
void
rate_schedule_sum(const RateSchedule *rs, DateADT from, DateADT to,
				  int128 *num, int128 *den)
{
	int			i;

	*num = 0;
	*den = 1;
	if (from >= to)
		return;
	for (i = first_segment_ending_after(rs, from); i < rs->nsegments; i++)
	{
		const RateSegment *seg = &rs->segments[i];
		int64		x = Max(from, seg->lo);
		int64		y = Min(to, seg->hi);
		int64		k;

		if (seg->lo >= to)
			break;
		if (x >= y)
			continue;
		k = y - x;
		if (seg->r0 == seg->r1)
			frac_add(num, den, (int128) k * seg->r0, RATE_SCALE);
		else
		{
			int64		len = (int64) seg->hi - seg->lo;
			int128		twice_s = (int128) k * ((x - seg->lo) + (y - 1 - seg->lo));
			int128		n = (int128) k * seg->r0 * 2 * len +
				(int128) (seg->r1 - seg->r0) * twice_s;

			frac_add(num, den, n, (int128) 2 * len * RATE_SCALE);
		}
	}
}

/*
 * The exact rate on day d as *num / *den (lowest terms).  An infinite day
 * takes the rate of a segment unbounded on that side, else 0.
 */
void
rate_schedule_rate_at(const RateSchedule *rs, DateADT d, int128 *num, int128 *den)
{
	const RateSegment *seg = NULL;

	*num = 0;
	*den = 1;
	if (rs->nsegments == 0)
		return;
	if (d == DATEVAL_NOBEGIN)
	{
		if (rs->segments[0].lo == DATEVAL_NOBEGIN)
			seg = &rs->segments[0];
	}
	else if (d == DATEVAL_NOEND)
	{
		if (rs->segments[rs->nsegments - 1].hi == DATEVAL_NOEND)
			seg = &rs->segments[rs->nsegments - 1];
	}
	else
	{
		int			i = first_segment_ending_after(rs, d);

		if (i < rs->nsegments && rs->segments[i].lo <= d)
			seg = &rs->segments[i];
	}
	if (seg == NULL)
		return;
	if (seg->r0 == seg->r1)
	{
		*num = seg->r0;
		*den = RATE_SCALE;
	}
	else
	{
		int64		len = (int64) seg->hi - seg->lo;

		*num = (int128) seg->r0 * len + (int128) (seg->r1 - seg->r0) * ((int64) d - seg->lo);
		*den = (int128) len * RATE_SCALE;
	}
	reduce(num, den);
}

/* ------------------------------------------------------------------------
 * SQL-callable functions
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
		problem = segment_problem(seg);
		if (problem == NULL && i > 0 && seg->lo < rs->segments[i - 1].hi)
			problem = "segment is out of order or overlaps the previous one";
		if (problem)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary rate_schedule: segment %d: %s", i + 1, problem)));
	}
	PG_RETURN_POINTER(rs);
}

PG_FUNCTION_INFO_V1(rate_schedule_rate_at_sql);
/* rate_at(schedule, day): exact when the decimal terminates, else 20 places. */
Datum
rate_schedule_rate_at_sql(PG_FUNCTION_ARGS)
{
	RateSchedule *rs = PG_GETARG_RATE_SCHEDULE_P(0);
	DateADT		d = PG_GETARG_DATEADT(1);
	int128		num,
				den;

	rate_schedule_rate_at(rs, d, &num, &den);
	PG_RETURN_DATUM(rate_fraction_to_numeric(num, den));
}

/* The text of a daterange's bounds, for messages. */
static char *
daterange_text(RangeBound *lower, RangeBound *upper)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoChar(&s, lower->inclusive ? '[' : '(');
	if (!lower->infinite)
		append_date(&s, DatumGetDateADT(lower->val));
	appendStringInfoChar(&s, ',');
	if (!upper->infinite)
		append_date(&s, DatumGetDateADT(upper->val));
	appendStringInfoChar(&s, upper->inclusive ? ']' : ')');
	return s.data;
}

PG_FUNCTION_INFO_V1(rate_schedule_average_rate);
/* average_rate(schedule, during): the exact mean daily rate over the days. */
Datum
rate_schedule_average_rate(PG_FUNCTION_ARGS)
{
	RateSchedule *rs = PG_GETARG_RATE_SCHEDULE_P(0);
	RangeType  *r = PG_GETARG_RANGE_P(1);
	TypeCacheEntry *typcache;
	RangeBound	lower,
				upper;
	bool		empty;
	DateADT		from,
				to;
	int128		num,
				den,
				ndays,
				g;

	typcache = range_get_typcache(fcinfo, RangeTypeGetOid(r));
	range_deserialize(typcache, r, &lower, &upper, &empty);
	if (empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"during\" of average_rate must not be empty"),
				 errdetail("The mean rate over no days is undefined.")));
	if (lower.infinite || upper.infinite ||
		DATE_NOT_FINITE(DatumGetDateADT(lower.val)) ||
		DATE_NOT_FINITE(DatumGetDateADT(upper.val)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"during\" of average_rate must be bounded: \"%s\"",
						daterange_text(&lower, &upper)),
				 errdetail("Both ends must be finite dates.")));
	/* daterange is canonical: [from, to) */
	from = DatumGetDateADT(lower.val) + (lower.inclusive ? 0 : 1);
	to = DatumGetDateADT(upper.val) + (upper.inclusive ? 1 : 0);

	rate_schedule_sum(rs, from, to, &num, &den);
	ndays = (int128) to - from;
	g = (int128) gcd128((uint128) num, (uint128) ndays);
	if (g > 1)
	{
		num /= g;
		ndays /= g;
	}
	PG_RETURN_DATUM(rate_fraction_to_numeric(num, mul128(den, ndays)));
}

/* Byte equality of two canonical values. */
static bool
rate_schedule_equal(FunctionCallInfo fcinfo)
{
	RateSchedule *a = PG_GETARG_RATE_SCHEDULE_P(0);
	RateSchedule *b = PG_GETARG_RATE_SCHEDULE_P(1);

	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

PG_FUNCTION_INFO_V1(rate_schedule_eq);
/* = : the same segments with the same rates. */
Datum
rate_schedule_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(rate_schedule_ne);
/* <> : negation of = */
Datum
rate_schedule_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!rate_schedule_equal(fcinfo));
}

/*
 * The btree order: that of the canonical text, compared bytewise (shorter
 * first on a common prefix), i.e. text order in collation "C".  The managed
 * edition's rate_schedule is that canonical text in collation "C", so both
 * editions sort schedules alike.  Consistent with = (equal values have equal
 * canonical text, and only they).  Formats both values: meant for sorting
 * clause tables, not millions of rows.
 */
static int
rate_schedule_order(FunctionCallInfo fcinfo)
{
	RateSchedule *a = PG_GETARG_RATE_SCHEDULE_P(0);
	RateSchedule *b = PG_GETARG_RATE_SCHEDULE_P(1);
	char	   *at;
	char	   *bt;
	int			c;

	if (VARSIZE(a) == VARSIZE(b) && memcmp(VARDATA(a), VARDATA(b), VARSIZE(a) - VARHDRSZ) == 0)
		return 0;
	at = rate_schedule_to_cstring(a);
	bt = rate_schedule_to_cstring(b);
	c = strcmp(at, bt);
	pfree(at);
	pfree(bt);
	return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_cmp);
/* btree support: -1, 0 or 1 as the canonical texts compare bytewise */
Datum
rate_schedule_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(rate_schedule_order(fcinfo));
}

PG_FUNCTION_INFO_V1(rate_schedule_lt);
Datum
rate_schedule_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_order(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_le);
Datum
rate_schedule_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_order(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_gt);
Datum
rate_schedule_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_order(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_ge);
Datum
rate_schedule_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rate_schedule_order(fcinfo) >= 0);
}

PG_FUNCTION_INFO_V1(rate_schedule_hash);
/* hash support, consistent with = (hashes the canonical bytes) */
Datum
rate_schedule_hash(PG_FUNCTION_ARGS)
{
	RateSchedule *rs = PG_GETARG_RATE_SCHEDULE_P(0);

	return hash_any((const unsigned char *) VARDATA(rs), VARSIZE(rs) - VARHDRSZ);
}

PG_FUNCTION_INFO_V1(rate_schedule_hash_extended);
/* extended (seeded 64-bit) hash support */
Datum
rate_schedule_hash_extended(PG_FUNCTION_ARGS)
{
	RateSchedule *rs = PG_GETARG_RATE_SCHEDULE_P(0);

	return hash_any_extended((const unsigned char *) VARDATA(rs),
							 VARSIZE(rs) - VARHDRSZ, PG_GETARG_INT64(1));
}
