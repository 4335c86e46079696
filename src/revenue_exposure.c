/*
 * revenue_exposure.c — exposure_agg, the one-pass aggregate behind
 * exposure() (src/exposure.sql): a keyed state (src/revenue_keyed.c) whose
 * buckets are the figures of exposure per counterparty.
 */
#include "postgres.h"

#include "fmgr.h"

#include "endpoint.h"
#include "revenue.h"
#include "revenue_args.h"
#include "revenue_cache.h"
#include "revenue_keyed.h"

/*
 * exposure_agg(party, seller, buyer, product, channel, amount, currency,
 * period, grain, fy_start, window) transition: one pass over the flows for
 * every figure of exposure(), kept apart by kind:
 *   1 revenue party earned, per provider of the channel (gross);
 *   2 share party owes, per holder other than party (share);
 *   3 share owed to party under seller's clauses, per seller (share);
 *   4 what party spent, per seller (gross).
 * Each share is split and rounded per (flow, holder), as revenue_agg does.
 */
PG_FUNCTION_INFO_V1(exposure_agg_trans);
Datum
exposure_agg_trans(PG_FUNCTION_ARGS)
{
	RevCache   *c = rev_get_cache(fcinfo);
	KeyedState *ks;
	FlowArgs	f;
	text	   *party,
			   *seller;
	const char *pp,
			   *sp;
	int			pl,
				sl,
				n,
				i;
	bool		is_seller,
				is_buyer;
	struct varlena *channel;
	const ClauseMatch *m;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (ks = rev_keyed_flow(fcinfo, c, 6, &f)) == NULL)
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	party = PG_GETARG_TEXT_PP(1);
	seller = PG_GETARG_TEXT_PP(2);
	pp = VARDATA_ANY(party);
	pl = VARSIZE_ANY_EXHDR(party);
	sp = VARDATA_ANY(seller);
	sl = VARSIZE_ANY_EXHDR(seller);
	is_seller = (sl == pl && memcmp(sp, pp, pl) == 0);
	is_buyer = false;
	if (!is_seller && !PG_ARGISNULL(3))
	{
		text	   *buyer = PG_GETARG_TEXT_PP(3);

		is_buyer = ((int) VARSIZE_ANY_EXHDR(buyer) == pl && memcmp(VARDATA_ANY(buyer), pp, pl) == 0);
	}

	if (is_buyer)
	{
		n = rev_split_flow(c, &f, NULL, NULL, NULL);
		rev_keyed_add(ks, c, n, 4, sp, sl, "", 0, f.cur);
	}
	/* revenue and shares need the channel (as revenue_agg does); spend does not */
	if (PG_ARGISNULL(5))
		PG_RETURN_POINTER(ks);
	channel = PG_GETARG_ENDPOINT_P(5);
	m = lookup_terms(c, fcinfo, seller, PG_ARGISNULL(4) ? NULL : PG_GETARG_TEXT_PP(4), channel);
	if (is_seller)
	{
		EndpointView view = endpoint_view(channel);

		n = rev_split_flow(c, &f, NULL, NULL, NULL);
		rev_keyed_add(ks, c, n, 1, "", 0, view.provider, view.provider_len, f.cur);
	}
	for (i = 0; i < m->nholders; i++)
	{
		const HolderTerms *ht = &m->holders[i];
		ClauseMatch one = {0, NULL, 1, (HolderTerms *) ht};
		bool		to_party = holder_is(ht, pp, pl);

		/* the party's own share to itself is no exposure */
		if (is_seller ? to_party : !to_party)
			continue;
		n = rev_split_flow(c, &f, &one, NULL, NULL);
		if (is_seller)
			rev_keyed_add(ks, c, n, 2, ht->holder, strlen(ht->holder), "", 0, f.cur);
		else
			rev_keyed_add(ks, c, n, 3, sp, sl, "", 0, f.cur);
	}
	PG_RETURN_POINTER(ks);
}
