/*
 * products.c — the products list of a clause: comma-separated globs over
 * product names such as api/gpt-5 (see products.h).
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "products.h"

/* White space around a glob is not part of it (lists are often wrapped). */
static inline bool
glob_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Interrupts are checked once per this many bytes scanned. */
#define GLOB_CHECK_INTERVAL (1 << 20)

/* Literal runs up to this long are searched for directly, longer ones by KMP. */
#define GLOB_SHORT_RUN 16

/* KMP failure tables up to this long live on the stack. */
#define GLOB_STACK_TABLE 256

/*
 * The leftmost occurrence of the literal run w (wlen > 0) in s[0..slen), or
 * -1.  Short runs are compared in place at each position where their first
 * byte occurs (at most GLOB_SHORT_RUN comparisons a position); long ones go
 * through Knuth-Morris-Pratt.  Either way the time is linear in slen + wlen,
 * whatever the bytes: a backtracking matcher on "*aaaa...ab" against a long
 * run of a's is quadratic.
 */
static int
find_run(const char *s, int slen, const char *w, int wlen)
{
	if (wlen > slen)
		return -1;
	if (wlen <= GLOB_SHORT_RUN)
	{
		const char *q = s;
		const char *last = s + slen - wlen;	/* the last possible start */
		const char *checked = s;

		while (q <= last)
		{
			q = memchr(q, (unsigned char) w[0], last - q + 1);
			if (q == NULL)
				return -1;
			if (memcmp(q, w, wlen) == 0)
				return (int) (q - s);
			q++;
			if (q - checked >= GLOB_CHECK_INTERVAL)
			{
				CHECK_FOR_INTERRUPTS();
				checked = q;
			}
		}
		return -1;
	}
	else
	{
		int			stack[GLOB_STACK_TABLE];
		int		   *fail = wlen <= GLOB_STACK_TABLE ? stack : palloc(wlen * sizeof(int));
		int			i,
					k = 0,
					found = -1;

		/* fail[i]: length of the longest proper border of w[0..i] */
		fail[0] = 0;
		for (i = 1; i < wlen; i++)
		{
			while (k > 0 && w[i] != w[k])
				k = fail[k - 1];
			if (w[i] == w[k])
				k++;
			fail[i] = k;
		}
		k = 0;
		for (i = 0; i < slen; i++)
		{
			if ((i & (GLOB_CHECK_INTERVAL - 1)) == GLOB_CHECK_INTERVAL - 1)
				CHECK_FOR_INTERRUPTS();
			while (k > 0 && s[i] != w[k])
				k = fail[k - 1];
			if (s[i] == w[k] && ++k == wlen)
			{
				found = i - wlen + 1;
				break;
			}
		}
		if (fail != stack)
			pfree(fail);
		return found;
	}
}

/*
 * '*' matches any run of characters; everything else matches itself.  The
 * glob is its literal runs between stars: the string must start with the
 * run before the first star and end with the run after the last one, and
 * the runs between them must occur in order in what is left.  Taking each
 * of those leftmost is never wrong (a later occurrence leaves less room
 * for the rest), so one left-to-right pass decides: linear in plen + slen.
 */
static bool
glob_match(const char *p, int plen, const char *s, int slen)
{
	const char *star = memchr(p, '*', plen);
	int			head,
				tail,
				lo,
				hi,
				i;

	if (star == NULL)
		return plen == slen && memcmp(p, s, slen) == 0;
	head = (int) (star - p);
	for (tail = 0; p[plen - 1 - tail] != '*'; tail++)
		;
	if (head + tail > slen || memcmp(s, p, head) != 0 ||
		memcmp(s + slen - tail, p + plen - tail, tail) != 0)
		return false;
	lo = head;
	hi = slen - tail;
	/* the runs between the first star and the last one (p[plen - tail - 1]) */
	for (i = head + 1; i < plen - tail;)
	{
		int			j = i;

		while (p[j] != '*')
			j++;
		if (j > i)
		{
			int			at = find_run(s + lo, hi - lo, p + i, j - i);

			if (at < 0)
				return false;
			lo += at + (j - i);
		}
		i = j + 1;
	}
	return true;
}

/*
 * A clause about particular products cannot be shown to cover a sale whose
 * product is unknown, so a NULL product matches only a glob of '*' alone.
 */
bool
products_match(const char *list, const char *product, int prodlen)
{
	const char *p = list;

	for (;;)
	{
		const char *end = strchr(p, ',');
		int			len = end ? (int) (end - p) : (int) strlen(p);
		const char *q = p;
		int			qlen = len;

		while (qlen > 0 && glob_space(*q))
			q++, qlen--;
		while (qlen > 0 && glob_space(q[qlen - 1]))
			qlen--;
		if (product == NULL)
		{
			int			k;

			for (k = 0; k < qlen && q[k] == '*'; k++)
				;
			if (qlen > 0 && k == qlen)
				return true;
		}
		else if (glob_match(q, qlen, product, prodlen))
			return true;
		CHECK_FOR_INTERRUPTS(); /* a long list against a long product */
		if (!end)
			return false;
		p = end + 1;
	}
}

/*
 * products_match(products text, product text) — the same test as SQL
 * function, so that users (and deal_lint) decide coverage exactly as
 * placement and the reports do.  Not strict: a NULL product is a flow whose
 * product is unknown; a NULL list gives NULL.
 */
PG_FUNCTION_INFO_V1(products_match_sql);
Datum
products_match_sql(PG_FUNCTION_ARGS)
{
	char	   *list;
	text	   *product;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	list = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (PG_ARGISNULL(1))
		PG_RETURN_BOOL(products_match(list, NULL, 0));
	product = PG_GETARG_TEXT_PP(1);
	PG_RETURN_BOOL(products_match(list, VARDATA_ANY(product), VARSIZE_ANY_EXHDR(product)));
}
