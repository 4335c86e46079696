/*
 * products.c — the products list of a clause: comma-separated globs over
 * product names such as api/gpt-5 (see products.h).
 */
#include "postgres.h"

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
