/*
 * revenue_state.c — the state of prorate_agg and revenue_agg (RevAggState,
 * revenue_state.h): per slice sums for one group, their combine, and the
 * serialized form (doc/design.md, "State formats"), whose pieces the keyed
 * states (src/revenue_keyed.c) reuse.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "calendar.h"
#include "money.h"
#include "revenue.h"
#include "revenue_cache.h"
#include "revenue_state.h"

RevAggState *
rev_state_new(MemoryContext cxt, CalGrain grain, int32 fy_start, const Currency *cur, int cap)
{
	RevAggState *st = MemoryContextAllocZero(cxt, sizeof(RevAggState));

	st->grain = grain;
	st->fy_start = fy_start;
	st->cur = *cur;
	st->cap = Max(cap, 8);
	st->sl = MemoryContextAlloc(cxt, st->cap * sizeof(RevSlice));
	return st;
}

/* Insert an empty slice at position i (the array lives in the state's context). */
static void
state_insert(RevAggState *st, int i, DateADT start, DateADT end)
{
	if (st->n == st->cap)
	{
		st->cap *= 2;
		st->sl = repalloc(st->sl, st->cap * sizeof(RevSlice));
	}
	memmove(&st->sl[i + 1], &st->sl[i], (st->n - i) * sizeof(RevSlice));
	st->sl[i].start = start;
	st->sl[i].end = end;
	st->sl[i].flows = 0;
	st->sl[i].gross = 0;
	st->sl[i].share = 0;
	st->n++;
}

/* First index whose start >= s. */
static int
state_find(const RevAggState *st, DateADT s)
{
	int			lo = 0,
				hi = st->n;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (st->sl[mid].start < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
sum_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("revenue total out of range")));
}

/*
 * Bound of a slice's sums in minor units, 2^126 - 1 (about 8.5e37): with
 * |gross| and |share| within it, net = gross - share fits in int128 and
 * every sum can be negated and printed (INT128_MIN cannot).  One flow is
 * below 10^20 minor units, so only a forged state comes near it.
 */
#define REV_SUM_MAX ((int128) (((uint128) 1 << 126) - 1))

static inline bool
sum_in_range(int128 v)
{
	return v <= REV_SUM_MAX && v >= -REV_SUM_MAX;
}

/* Add a slice's figures; the slice is inserted when new. */
static inline void
state_add(RevAggState *st, DateADT start, DateADT end, int64 flows, int128 gross, int128 share, int *hint)
{
	int			i = *hint;
	RevSlice   *x;

	if (!(i < st->n && st->sl[i].start == start))
	{
		i = state_find(st, start);
		if (i >= st->n || st->sl[i].start != start)
			state_insert(st, i, start, end);
	}
	x = &st->sl[i];
	if (__builtin_add_overflow(x->flows, flows, &x->flows) ||
		__builtin_add_overflow(x->gross, gross, &x->gross) ||
		__builtin_add_overflow(x->share, share, &x->share) ||
		!sum_in_range(x->gross) || !sum_in_range(x->share))
		sum_overflow();
	*hint = i + 1;
}

static void
mixed_config(const char *what, const char *a, const char *b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot add up slices of different %s \"%s\" and \"%s\" in one group", what, a, b),
			 errhint("%s", strcmp(what, "currencies") == 0
					 ? "Group by currency: amounts of different currencies are never added together."
					 : "Pass the same grain and fy_start to every row of a group.")));
}

/* A group's rows must share currency (unless c1 is NULL), grain and fy_start. */
void
rev_config_check(CalGrain g1, int32 fy1, const Currency *c1,
			 CalGrain grain, int32 fy_start, const Currency *cur)
{
	if (c1 && memcmp(c1->code, cur->code, 3) != 0)
		mixed_config("currencies", c1->code, cur->code);
	if (g1 != grain)
		mixed_config("grains", calendar_grain_name(g1), calendar_grain_name(grain));
	if (fy1 != fy_start)
	{
		char		a[16],
					b[16];

		snprintf(a, sizeof(a), "%d", fy1);
		snprintf(b, sizeof(b), "%d", fy_start);
		mixed_config("fiscal year starts", a, b);
	}
}

void
rev_state_check(const RevAggState *st, CalGrain grain, int32 fy_start, const Currency *cur)
{
	rev_config_check(st->grain, st->fy_start, &st->cur, grain, fy_start, cur);
}

MemoryContext
rev_agg_context(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", name);
	return aggcxt;
}

/* Add the flow just split into c->parts to a state's slices. */
void
rev_add_parts(RevAggState *st, const RevCache *c, int n)
{
	int			hint = 0;
	int			i;

	for (i = 0; i < n; i++)
		state_add(st, c->parts[i].slice_start, c->parts[i].slice_end, 1,
				  c->parts[i].gross, c->parts[i].share, &hint);
}

/* Add every slice of b into a (combine). */
void
rev_state_merge(RevAggState *a, const RevAggState *b)
{
	int			hint = 0;
	int			i;

	for (i = 0; i < b->n; i++)
		state_add(a, b->sl[i].start, b->sl[i].end, b->sl[i].flows, b->sl[i].gross, b->sl[i].share, &hint);
}

/* Merge two groups' states (parallel workers, Citus workers). */
PG_FUNCTION_INFO_V1(revenue_agg_combine);
Datum
revenue_agg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = rev_agg_context(fcinfo, "revenue_agg_combine");
	RevAggState *a = PG_ARGISNULL(0) ? NULL : (RevAggState *) PG_GETARG_POINTER(0);
	RevAggState *b = PG_ARGISNULL(1) ? NULL : (RevAggState *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = rev_state_new(aggcxt, b->grain, b->fy_start, &b->cur, b->n);
	else
		rev_state_check(a, b->grain, b->fy_start, &b->cur);
	rev_state_merge(a, b);
	PG_RETURN_POINTER(a);
}

#define REV_SER_MAGIC 0x44535231	/* "DSR1" */
#define REV_SER_HEADER (4 + 1 + 1 + 3 + 4)
#define REV_SER_SLICE (4 + 4 + 8 + 16 + 16)

static void
send_int128(StringInfo buf, int128 v)
{
	pq_sendint64(buf, (int64) (v >> 64));
	pq_sendint64(buf, (int64) (uint64) v);
}

static int128
get_int128(StringInfo buf)
{
	uint64		hi = (uint64) pq_getmsgint64(buf);
	uint64		lo = (uint64) pq_getmsgint64(buf);

	return (int128) (((uint128) hi << 64) | lo);
}

/* A state's slice count and slices, network byte order. */
void
rev_send_slices(StringInfo buf, const RevAggState *st)
{
	int			i;

	pq_sendint32(buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint32(buf, st->sl[i].start);
		pq_sendint32(buf, st->sl[i].end);
		pq_sendint64(buf, st->sl[i].flows);
		send_int128(buf, st->sl[i].gross);
		send_int128(buf, st->sl[i].share);
	}
}

/* The state as bytes: no pointers, no OIDs, network byte order. */
PG_FUNCTION_INFO_V1(revenue_agg_serialize);
Datum
revenue_agg_serialize(PG_FUNCTION_ARGS)
{
	RevAggState *st = (RevAggState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	(void) rev_agg_context(fcinfo, "revenue_agg_serialize");
	pq_begintypsend(&buf);
	pq_sendint32(&buf, REV_SER_MAGIC);
	pq_sendbyte(&buf, (int) st->grain);
	pq_sendbyte(&buf, st->fy_start);
	pq_sendbytes(&buf, st->cur.code, 3);
	rev_send_slices(&buf, st);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

void
rev_bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized revenue aggregate state"),
			 errdetail("%s", detail)));
}

/* The magic number, grain and fy_start every serialized state starts with. */
void
rev_recv_config(StringInfo buf, uint32 magic, int minlen, CalGrain *grain, int32 *fy_start)
{
	int			g,
				fy;

	if (buf->len < minlen)
		rev_bad_state("The state is truncated.");
	if ((uint32) pq_getmsgint(buf, 4) != magic)
		rev_bad_state("The state does not start with the expected magic number.");
	g = pq_getmsgbyte(buf);
	fy = pq_getmsgbyte(buf);
	if (g < CAL_DAY || g > CAL_YEAR)
		rev_bad_state("The grain is out of range.");
	if (fy < 1 || fy > 12)
		rev_bad_state("The fiscal year start is out of range.");
	*grain = (CalGrain) g;
	*fy_start = fy;
}

/* A currency code: three upper-case letters. */
Currency
rev_recv_currency(StringInfo buf)
{
	char		code[3];

	if (buf->len - buf->cursor < 3)
		rev_bad_state("The state is truncated.");
	pq_copymsgbytes(buf, code, 3);
	if (!(code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z' &&
		  code[2] >= 'A' && code[2] <= 'Z'))
		rev_bad_state("The currency code is malformed.");
	return money_currency(code, 3);
}

/* A slice count and the slices (rev_send_slices) into a new state. */
RevAggState *
rev_recv_slices(StringInfo buf, MemoryContext cxt, CalGrain grain, int32 fy_start, const Currency *cur)
{
	RevAggState *st;
	int			n,
				i;

	if (buf->len - buf->cursor < 4)
		rev_bad_state("The state is truncated.");
	n = (int) pq_getmsgint(buf, 4);
	if (n < 0 || (int64) buf->len - buf->cursor < (int64) n * REV_SER_SLICE)
		rev_bad_state("The slice count does not match the length of the state.");
	st = rev_state_new(cxt, grain, fy_start, cur, n);
	for (i = 0; i < n; i++)
	{
		DateADT		s = (DateADT) pq_getmsgint(buf, 4);
		DateADT		e = (DateADT) pq_getmsgint(buf, 4);

		if (!IS_VALID_DATE(s) || !IS_VALID_DATE(e) ||
			calendar_slice_start(s, st->grain, st->fy_start) != s ||
			calendar_next_start(s, st->grain, st->fy_start) != e + 1 ||
			(i > 0 && s <= st->sl[i - 1].start))
			rev_bad_state("A slice is not a slice of the grain or is out of order.");
		st->sl[i].start = s;
		st->sl[i].end = e;
		st->sl[i].flows = pq_getmsgint64(buf);
		if (st->sl[i].flows < 0)
			rev_bad_state("A slice has a negative flow count.");
		st->sl[i].gross = get_int128(buf);
		st->sl[i].share = get_int128(buf);
		if (!sum_in_range(st->sl[i].gross) || !sum_in_range(st->sl[i].share))
			rev_bad_state("A slice's gross or share lies beyond 2^126 - 1 minor units either way.");
		st->n++;
	}
	return st;
}

void
rev_init_recv_buffer(StringInfo buf, bytea *b)
{
	buf->data = VARDATA_ANY(b);
	buf->len = VARSIZE_ANY_EXHDR(b);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}

/* Bytes back to a state, rejecting anything truncated or inconsistent. */
PG_FUNCTION_INFO_V1(revenue_agg_deserialize);
Datum
revenue_agg_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = rev_agg_context(fcinfo, "revenue_agg_deserialize");
	StringInfoData buf;
	RevAggState *st;
	CalGrain	grain;
	int32		fy_start;
	Currency	cur;

	rev_init_recv_buffer(&buf, PG_GETARG_BYTEA_PP(0));
	rev_recv_config(&buf, REV_SER_MAGIC, REV_SER_HEADER, &grain, &fy_start);
	cur = rev_recv_currency(&buf);
	st = rev_recv_slices(&buf, aggcxt, grain, fy_start, &cur);
	if (buf.cursor != buf.len)
		rev_bad_state("The slice count does not match the length of the state.");
	PG_RETURN_POINTER(st);
}
