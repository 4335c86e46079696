/*
 * placement_rules.c — the per-kind rules of placement: the residency
 * lookup (region catalog, countries and jurisdictions), which clauses an
 * endpoint is inside of, what each applicable clause says about a
 * workload, and the verdict of a pair (placement_model.h).
 *
 * Semantics (doc/design.md, "Placement"), with the edge cases decided here:
 *  - a clause applies when grantor = owner, the product matches one of the
 *    comma-separated globs in products ('*' = any characters; white space
 *    around a glob ignored; case-sensitive; products.h, shared with the
 *    revenue reports), and d lies in valid; rofr and first_launch also need
 *    requested_on in valid; residency needs the workload's data_class to
 *    equal the clause's;
 *  - only events with on_date <= d count;
 *  - every obstacle also lifts when its clause stops applying, on the first
 *    day after valid; so each lift date is capped by that day, and an
 *    obstacle lifts at no known date only when valid has no (finite) end;
 *  - rofr: the state is given by the latest offer/decline/accept to the
 *    clause's holder (same day: offer, then decline, then accept);
 *    an offer made on day O is pending while d < O + window_days, lapsed
 *    (allowed) from then on; an accept blocks until the clause ends;
 *  - first_launch: the earliest launch inside the scope counts;
 *  - residency: the endpoint's region is looked up in the region catalog;
 *    a jurisdictions entry is a country code or a jurisdiction code (both,
 *    when it is both), compared case-insensitively; an uncatalogued region
 *    is blocked ("unknown region");
 *  - the verdict is the worst over the clauses; eligible_from is d when
 *    allowed, else the latest lift date of the non-allowed clauses, NULL when
 *    any of them has none.
 */
#include "postgres.h"

#include "utils/date.h"
#include "utils/memutils.h"

#include "endpoint.h"
#include "endpoint_set.h"
#include "placement_model.h"
#include "placement_reasons.h"
#include "placement_rules.h"
#include "products.h"

/* Does the clause's products list cover the workload's product? */
static bool
clause_matches_product(const PClause *cl, const char *product)
{
	return products_match(cl->products, product, strlen(product));
}

static bool
clause_valid_contains(const PClause *cl, DateADT d)
{
	if (cl->has_lo && (cl->lo_inc ? d < cl->lo : d <= cl->lo))
		return false;
	if (cl->has_hi && (cl->hi_inc ? d > cl->hi : d >= cl->hi))
		return false;
	return true;
}

static int
cmp_int(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
}

/* ------------------------------------------------------- residency lookup */

static int
region_country(Model *m, const EndpointView *v)
{
	int			i;

	for (i = 0; i < m->nregions; i++)
	{
		const PRegion *r = &m->regions[i];

		if ((int) strlen(r->provider) == v->provider_len &&
			memcmp(r->provider, v->provider, v->provider_len) == 0 &&
			(int) strlen(r->region) == v->region_len &&
			memcmp(r->region, v->region, v->region_len) == 0)
			return r->country;
	}
	return -1;
}

/* The allowed countries of a residency clause: codes and jurisdictions. */
static void
resolve_residency(Model *m, PClause *cl)
{
	int			cap = 8,
				n = 0,
				j,
				k;
	int		   *codes = palloc(sizeof(int) * cap);

	for (j = 0; j < cl->njur; j++)
	{
		int			c = country_code(cl->jur[j], strlen(cl->jur[j]));

		if (c >= 0)
		{
			if (n == cap)
				codes = repalloc(codes, sizeof(int) * (cap *= 2));
			codes[n++] = c;
		}
		for (k = 0; k < m->njuris; k++)
		{
			int			x;

			if (pg_strcasecmp(m->juris[k].code, cl->jur[j]) != 0)
				continue;
			for (x = 0; x < m->juris[k].ncountries; x++)
			{
				if (n == cap)
					codes = repalloc(codes, sizeof(int) * (cap *= 2));
				codes[n++] = m->juris[k].countries[x];
			}
		}
	}
	qsort(codes, n, sizeof(int), cmp_int);
	cl->countries = codes;
	cl->ncountries = n;
}

static bool
residency_allows(const PClause *cl, int country)
{
	if (country < 0)
		return false;
	return bsearch(&country, cl->countries, cl->ncountries, sizeof(int), cmp_int) != NULL;
}

/* ----------------------------------------------------- model preparation */

/*
 * Resolve every residency clause's allowed countries, once per model, before
 * any candidate is prepared.
 */
void
placement_prepare_clauses(Model *m)
{
	int			i;

	for (i = 0; i < m->nclauses; i++)
	{
		PClause    *cl = &m->clauses[i];

		cl->has_effect = cl->kind == CK_EXCLUSIVITY || cl->kind == CK_ROFR ||
			cl->kind == CK_FIRST_LAUNCH || cl->kind == CK_RESIDENCY;
		if (cl->kind == CK_RESIDENCY)
			resolve_residency(m, cl);
	}
}

/*
 * Which clauses candidate c is inside of (in the scope; for residency: in
 * an allowed country), computed once per candidate and model, so a pair
 * costs one lookup per applicable clause.
 */
void
placement_prepare_candidate(Model *m, PCandidate *c)
{
	int			i;

	c->inside = MemoryContextAllocZero(m->cxt, sizeof(bool) * Max(m->nclauses, 1));
	c->res_reason = NULL;
	c->country = m->any_residency ? region_country(m, &c->view) : -1;
	for (i = 0; i < m->nclauses; i++)
	{
		PClause    *cl = &m->clauses[i];

		switch (cl->kind)
		{
			case CK_EXCLUSIVITY:
			case CK_ROFR:
			case CK_FIRST_LAUNCH:
				c->inside[i] = cl->scope != NULL &&
					endpoint_set_contains(cl->scope, &c->view);
				break;
			case CK_RESIDENCY:
				if (c->res_reason == NULL)
					c->res_reason = MemoryContextAlloc(m->cxt, sizeof(int) * m->nclauses);
				c->inside[i] = residency_allows(cl, c->country);
				c->res_reason[i] = placement_intern_reason(m, i, R_RES, c->country);
				break;
			default:
				break;
		}
	}
}

/* ------------------------------------------------------------ evaluation */

/* The clauses in force on d of one grantor: [first, first + n). */
static int
grantor_run(Model *m, const char *grantor, int *n)
{
	int			lo = 0,
				hi = m->nclauses;
	int			first;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (strcmp(m->clauses[mid].grantor, grantor) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (hi < m->nclauses && strcmp(m->clauses[hi].grantor, grantor) == 0)
		hi++;
	*n = hi - first;
	return first;
}

static void
set_lift(Applied *ap, const PClause *cl, bool known, DateADT when)
{
	/* an obstacle lifts at the latest when its clause stops applying */
	if (known && cl->end_known)
	{
		ap->out_lift_known = true;
		ap->out_lift = Min(when, cl->end);
	}
	else if (known)
	{
		ap->out_lift_known = true;
		ap->out_lift = when;
	}
	else
	{
		ap->out_lift_known = cl->end_known;
		ap->out_lift = cl->end;
	}
}

/*
 * What every clause that applies to workload w says, for endpoints inside
 * it and outside it.  Returns the number of entries written to m->applied.
 */
int
placement_apply_workload(Model *m, const PWorkload *w)
{
	int			n,
				first = grantor_run(m, w->owner, &n);
	int			i,
				k = 0;
	const PEvent *evs = m->events + w->first_event;

	for (i = first; i < first + n; i++)
	{
		PClause    *cl = &m->clauses[i];
		Applied    *ap = &m->applied[k];

		if (!clause_matches_product(cl, w->product))
			continue;
		ap->cl = cl;
		ap->clause_index = i;
		ap->out_verdict = VERDICT_ALLOWED;
		ap->out_lift_known = false;
		ap->out_lift = 0;
		switch (cl->kind)
		{
			case CK_EXCLUSIVITY:
				ap->out_verdict = VERDICT_BLOCKED;
				set_lift(ap, cl, false, 0);
				ap->out_reason = placement_intern_reason(m, i, R_EXCL_OUT, 0);
				ap->in_reason = placement_intern_reason(m, i, R_EXCL_IN, 0);
				break;
			case CK_ROFR:
				{
					int			latest = -1;
					int			e;
					DateADT		due;

					if (!clause_valid_contains(cl, w->requested_on))
						continue;
					for (e = 0; e < w->nevents; e++)
					{
						const PEvent *ev = &evs[e];

						if (ev->kind == EV_LAUNCH || ev->holder == NULL ||
							strcmp(ev->holder, cl->holder) != 0)
							continue;
						if (latest < 0 || ev->on > evs[latest].on ||
							(ev->on == evs[latest].on && ev->kind > evs[latest].kind))
							latest = e;
					}
					ap->in_reason = placement_intern_reason(m, i, R_ROFR_IN, 0);
					if (latest < 0)
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, false, 0);
						ap->out_reason = placement_intern_reason(m, i, R_ROFR_NO_OFFER, 0);
					}
					else if (evs[latest].kind == EV_DECLINE)
						ap->out_reason = placement_intern_reason(m, i, R_ROFR_DECLINED, evs[latest].on);
					else if (evs[latest].kind == EV_ACCEPT)
					{
						ap->out_verdict = VERDICT_BLOCKED;
						set_lift(ap, cl, false, 0);
						ap->out_reason = placement_intern_reason(m, i, R_ROFR_ACCEPTED, evs[latest].on);
					}
					else if (!date_add_days(evs[latest].on, cl->window_days, &due))
					{
						/* the window outlasts the calendar: pending for good */
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, false, 0);
						ap->out_reason = placement_intern_reason(m, i, R_ROFR_PENDING, evs[latest].on);
					}
					else if (m->d < due)
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, true, due);
						ap->out_reason = placement_intern_reason(m, i, R_ROFR_PENDING, evs[latest].on);
					}
					else
						ap->out_reason = placement_intern_reason(m, i, R_ROFR_LAPSED, evs[latest].on);
				}
				break;
			case CK_FIRST_LAUNCH:
				{
					int			launch = -1;
					int			e;
					DateADT		ready;

					if (!clause_valid_contains(cl, w->requested_on))
						continue;
					for (e = 0; e < w->nevents; e++)
					{
						const PEvent *ev = &evs[e];
						EndpointView v;

						if (ev->kind != EV_LAUNCH || ev->at == NULL || cl->scope == NULL)
							continue;
						if (launch >= 0 && ev->on > evs[launch].on)
							continue;
						v = endpoint_view(ev->at);
						if (!endpoint_set_contains(cl->scope, &v))
							continue;
						if (launch >= 0 && ev->on == evs[launch].on)
						{
							EndpointView lv = endpoint_view(evs[launch].at);

							if (endpoint_compare_views(&v, &lv) >= 0)
								continue;
						}
						launch = e;
					}
					ap->in_reason = placement_intern_reason(m, i, R_FL_IN, 0);
					if (launch < 0)
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, false, 0);
						ap->out_reason = placement_intern_reason(m, i, R_FL_NOT_LAUNCHED, 0);
						break;
					}
					ap->out_reason = placement_intern_reason(m, i, R_FL_LAUNCHED,
												   (int32) (w->first_event + launch));
					if (!date_add_days(evs[launch].on, cl->lag_days, &ready))
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, false, 0);
					}
					else if (m->d < ready)
					{
						ap->out_verdict = VERDICT_CONDITIONAL;
						set_lift(ap, cl, true, ready);
					}
				}
				break;
			case CK_RESIDENCY:
				if (w->data_class == NULL || strcmp(w->data_class, cl->data_class) != 0)
					continue;
				ap->out_verdict = VERDICT_BLOCKED;
				set_lift(ap, cl, false, 0);
				ap->out_reason = -1;
				ap->in_reason = -1;
				break;
			default:
				ap->out_reason = ap->in_reason = placement_intern_reason(m, i, R_NO_EFFECT, 0);
				break;
		}
		k++;
	}
	return k;
}

/* Keep only the clauses that hold back some endpoint; order is kept. */
int
placement_obstacles_only(Model *m, int napplied)
{
	int			i,
				k = 0;

	for (i = 0; i < napplied; i++)
		if (m->applied[i].out_verdict != VERDICT_ALLOWED)
			m->applied[k++] = m->applied[i];
	return k;
}

/*
 * Combine the applied clauses (applied[0 .. napplied)) for candidate c:
 * worst verdict, lift date.
 */
void
placement_eval_pair(Model *m, const Applied *applied, int napplied, const PCandidate *c,
		  PairResult *r)
{
	int			i;

	r->verdict = VERDICT_ALLOWED;
	r->lift_known = true;
	r->lift = DATEVAL_NOBEGIN;
	r->nblocked = r->nconditional = 0;
	r->blocked = m->scratch_b;
	r->conditional = m->scratch_c;
	for (i = 0; i < napplied; i++)
	{
		const Applied *ap = &applied[i];

		if (ap->out_verdict == VERDICT_ALLOWED || !ap->cl->has_effect ||
			c->inside[ap->clause_index])
			continue;
		if (ap->out_verdict == VERDICT_BLOCKED)
			r->blocked[r->nblocked++] = i;
		else
			r->conditional[r->nconditional++] = i;
		if (ap->out_verdict > r->verdict)
			r->verdict = ap->out_verdict;
		if (!ap->out_lift_known)
			r->lift_known = false;
		else if (ap->out_lift > r->lift)
			r->lift = ap->out_lift;
	}
}

int
placement_applied_reason(const Applied *ap, const PCandidate *c, bool inside)
{
	if (ap->cl->kind == CK_RESIDENCY)
		return c->res_reason[ap->clause_index];
	return inside ? ap->in_reason : ap->out_reason;
}

/*
 * The reasons[] of a pair (r from placement_eval_pair over the same applied list):
 * blocking clauses, then conditional, by id.
 */
Datum
placement_pair_reason_array(Model *m, const Applied *applied, const PairResult *r,
			 const PCandidate *c)
{
	int			n = 0,
				i;

	for (i = 0; i < r->nblocked; i++)
		m->scratch_ids[n++] = placement_applied_reason(&applied[r->blocked[i]], c, false);
	for (i = 0; i < r->nconditional; i++)
		m->scratch_ids[n++] = placement_applied_reason(&applied[r->conditional[i]], c, false);
	return placement_reasons_array(m, m->scratch_ids, n);
}
