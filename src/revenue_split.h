/*
 * revenue_split.h — the split of one flow with several share terms
 * (src/revenue_split.c), for the other revenue files.  Internal to the
 * revenue files: not an API of the extension.
 */
#ifndef DEALSCOPE_REVENUE_SPLIT_H
#define DEALSCOPE_REVENUE_SPLIT_H

#include "postgres.h"
#include "utils/date.h"

#include "prorate.h"
#include "rate_schedule.h"

/* A share term: a schedule applied on the days [lo, hi) (may be infinite). */
typedef struct ShareTerm
{
	const RateSchedule *rate;
	DateADT		lo;
	DateADT		hi;
} ShareTerm;

/*
 * A set of share terms prepared for exact sums without any gcd: every sum
 * over a day range is an integer numerator over one fixed denominator
 * D = (RATE_SCALE / g) * M, where g divides RATE_SCALE and every rate of
 * the terms, and M is the lcm of 2 * length over the ramps (1 without
 * ramps).  M = 0 when that denominator would be too large: sums then go
 * through rate_schedule_sum() and fractions in lowest terms.
 */
typedef struct TermSet
{
	const ShareTerm *terms;
	int			nterms;
	int64		g;				/* rate divisor */
	int128		M;				/* 0: use the general path */
	int128		D;
} TermSet;

/* Prepare ts for the terms (which must outlive it). */
extern void rev_termset_prepare(TermSet *ts, const ShareTerm *terms, int nterms);

/*
 * Add to the parts' share (ProratePart, prorate.h: one slice of one flow;
 * its share is the sum over holders) one holder's part of a >= 0 under the
 * terms ts.  The gross is prorate_split_gross()'s.
 */
extern void rev_split_share(int128 a, DateADT lo, DateADT hi, ProratePart *parts, int n,
							const TermSet *ts);

#endif
