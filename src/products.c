/*
 * products.c — the products list of a clause: comma-separated globs over
 * product names such as api/gpt-5 (see products.h).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "products.h"

/* White space around a glob is not part of it (lists are often wrapped). */
static inline bool
glob_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * '*' matches any run of characters; everything else matches itself.
 * Greedy with one backtrack point, so linear in practice and never
 * exponential.
 */
static bool
glob_match(const char *p, int plen, const char *s, int slen)
{
	int			pi = 0,
				si = 0,
				star = -1,
				mark = 0;

	while (si < slen)
	{
		if (pi < plen && p[pi] == '*')
		{
			star = pi++;
			mark = si;
		}
		else if (pi < plen && p[pi] == s[si])
		{
			pi++;
			si++;
		}
		else if (star >= 0)
		{
			pi = star + 1;
			si = ++mark;
		}
		else
			return false;
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
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
