/*
 * exact.h — checked 128-bit integer arithmetic and exact fractions, shared
 * by proration (prorate.c) and the revenue reports (revenue_split.c).
 *
 * Money is split in whole minor units with exact fractions; when a value
 * would not fit in 128 bits the answer is an error (22003), never a wrong
 * figure.
 */
#ifndef DEALSCOPE_EXACT_H
#define DEALSCOPE_EXACT_H

#include "postgres.h"

/* Raises 22003: a revenue share's exact arithmetic needs more than 128 bits. */
extern void exact_share_overflow(void) pg_attribute_noreturn();

/* Sign of a/b - c/d for 0 <= a/b, c/d (b, d > 0), never overflowing. */
extern int	exact_frac_cmp(int128 a, int128 b, int128 c, int128 d);

/* a * b, or 22003. */
static inline int128
mul128(int128 a, int128 b)
{
	int128		r;

	/* two 64-bit factors cannot overflow: one multiply, no overflow test */
	if (a == (int64) a && b == (int64) b)
		return a * b;
	if (__builtin_mul_overflow(a, b, &r))
		exact_share_overflow();
	return r;
}

/* a + b, or 22003. */
static inline int128
add128(int128 a, int128 b)
{
	int128		r;

	if (__builtin_add_overflow(a, b, &r))
		exact_share_overflow();
	return r;
}

/* Greatest common divisor of |a| and |b|. */
static inline int128
gcd128(int128 a, int128 b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b != 0)
	{
		int128		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* num / den (num >= 0, den > 0) rounded half to even. */
static inline int128
round_half_even(int128 num, int128 den)
{
	int128		q,
				r;

	if (num == (int64) num && den == (int64) den)
	{
		/* the usual case, and a 64-bit division is several times faster */
		q = (int64) num / (int64) den;
		r = (int64) num % (int64) den;
	}
	else
	{
		q = num / den;
		r = num % den;
	}
	if (r > den - r || (r == den - r && (q & 1)))
		q++;
	return q;
}

#endif
