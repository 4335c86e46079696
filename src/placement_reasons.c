/*
 * placement_reasons.c — the one-line texts that say why a pair is not (yet)
 * allowed, interned per model (placement_model.h), and the text[] of a
 * list of them, built once per distinct list.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "endpoint.h"
#include "placement_model.h"
#include "placement_reasons.h"

typedef struct ReasonKey
{
	int32		clause;
	int32		code;
	int32		a;
} ReasonKey;

typedef struct ReasonEntry
{
	ReasonKey	key;
	int			index;
} ReasonEntry;

#define ARRKEY_MAX 8
typedef struct ArrKey
{
	int32		n;
	int32		ids[ARRKEY_MAX];
} ArrKey;

typedef struct ArrEntry
{
	ArrKey		key;
	Datum		array;
} ArrEntry;

/* ISO date text, independent of the DateStyle setting (reasons are data). */
static void
format_date(DateADT d, char *buf, size_t size)
{
	int			y,
				m,
				day;

	if (DATE_IS_NOBEGIN(d))
		snprintf(buf, size, "-infinity");
	else if (DATE_IS_NOEND(d))
		snprintf(buf, size, "infinity");
	else
	{
		j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
		if (y > 0)
			snprintf(buf, size, "%04d-%02d-%02d", y, m, day);
		else
			snprintf(buf, size, "%04d-%02d-%02d BC", 1 - y, m, day);
	}
}

static char *
endpoint_view_text(const EndpointView *v)
{
	if (v->service)
		return psprintf("%.*s/%.*s/%.*s", v->provider_len, v->provider,
						v->region_len, v->region, v->service_len, v->service);
	return psprintf("%.*s/%.*s", v->provider_len, v->provider,
					v->region_len, v->region);
}

/* The model's (empty) tables of reasons and reason arrays. */
void
placement_reasons_init(Model *m)
{
	MemoryContext old = MemoryContextSwitchTo(m->cxt);
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(ReasonKey);
	ctl.entrysize = sizeof(ReasonEntry);
	ctl.hcxt = m->cxt;
	m->reason_hash = hash_create("dealscope reasons", 256, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(ArrKey);
	ctl.entrysize = sizeof(ArrEntry);
	ctl.hcxt = m->cxt;
	m->array_hash = hash_create("dealscope reason arrays", 256, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	m->reasons_cap = 64;
	m->reason_str = palloc(sizeof(char *) * m->reasons_cap);
	m->reason_text = palloc(sizeof(Datum) * m->reasons_cap);
	m->empty_array = PointerGetDatum(construct_empty_array(TEXTOID));
	MemoryContextSwitchTo(old);
}

/* --------------------------------------------------------------- reasons */

static const char *
kind_label(ClauseKind k)
{
	switch (k)
	{
		case CK_EXCLUSIVITY:
			return "exclusivity";
		case CK_ROFR:
			return "right of first refusal";
		case CK_FIRST_LAUNCH:
			return "first launch";
		case CK_RESIDENCY:
			return "residency";
		case CK_REVENUE_SHARE:
			return "revenue share";
		case CK_PRIMARY_PARTNER:
			return "primary partner";
		case CK_COMMITMENT:
			return "commitment";
	}
	return "clause";
}

static const char *
scope_words(const PClause *cl)
{
	return (cl->scope_text && cl->scope_text[0]) ? cl->scope_text : "no endpoint";
}

/* The one-line text for a reason; doc/reference.md, "Placement", lists the forms. */
static char *
format_reason(Model *m, const PClause *cl, ReasonCode code, int32 a)
{
	StringInfoData s;
	char		d1[32],
				d2[32],
				end[32];
	DateADT		x = 0;

	initStringInfo(&s);
	appendStringInfo(&s, "%s %s: ", kind_label(cl->kind), cl->id);
	if (cl->end_known)
		format_date(cl->end, end, sizeof(end));
	switch (code)
	{
		case R_EXCL_IN:
			appendStringInfo(&s, "inside %s's exclusive scope %s", cl->holder, scope_words(cl));
			break;
		case R_EXCL_OUT:
			if (cl->end_known)
				appendStringInfo(&s, "only %s until %s (exclusive to %s)",
								 scope_words(cl), end, cl->holder);
			else
				appendStringInfo(&s, "only %s, with no end date (exclusive to %s)",
								 scope_words(cl), cl->holder);
			break;
		case R_ROFR_IN:
			appendStringInfo(&s, "inside %s's scope %s", cl->holder, scope_words(cl));
			break;
		case R_ROFR_NO_OFFER:
			appendStringInfo(&s, "offer to %s first", cl->holder);
			if (cl->end_known)
				appendStringInfo(&s, " (the right ends on %s)", end);
			break;
		case R_ROFR_PENDING:
			format_date((DateADT) a, d1, sizeof(d1));
			appendStringInfo(&s, "offered to %s on %s", cl->holder, d1);
			if (date_add_days((DateADT) a, cl->window_days, &x))
			{
				format_date(x, d2, sizeof(d2));
				appendStringInfo(&s, ", answer due by %s", d2);
				if (cl->end_known && cl->end < x)
					appendStringInfo(&s, "; the right ends on %s", end);
			}
			else
			{
				appendStringInfoString(&s, ", no answer yet");
				if (cl->end_known)
					appendStringInfo(&s, "; the right ends on %s", end);
			}
			break;
		case R_ROFR_DECLINED:
			format_date((DateADT) a, d1, sizeof(d1));
			appendStringInfo(&s, "%s declined the offer on %s", cl->holder, d1);
			break;
		case R_ROFR_LAPSED:
			format_date((DateADT) a, d1, sizeof(d1));
			if (!date_add_days((DateADT) a, cl->window_days, &x))
				elog(ERROR, "lapsed offer with an unrepresentable due date");
			format_date(x, d2, sizeof(d2));
			appendStringInfo(&s, "%s did not answer the offer of %s by %s",
							 cl->holder, d1, d2);
			break;
		case R_ROFR_ACCEPTED:
			format_date((DateADT) a, d1, sizeof(d1));
			appendStringInfo(&s, "%s accepted the offer on %s, so only %s",
							 cl->holder, d1, scope_words(cl));
			if (cl->end_known)
				appendStringInfo(&s, " until %s", end);
			break;
		case R_FL_IN:
			appendStringInfo(&s, "inside %s's first-launch scope %s", cl->holder, scope_words(cl));
			break;
		case R_FL_NOT_LAUNCHED:
			appendStringInfo(&s, "launch on %s (%s) first", scope_words(cl), cl->holder);
			if (cl->end_known)
				appendStringInfo(&s, " (the clause ends on %s)", end);
			break;
		case R_FL_LAUNCHED:
			{
				const PEvent *ev = &m->events[a];
				EndpointView v = endpoint_view(ev->at);

				format_date(ev->on, d1, sizeof(d1));
				appendStringInfo(&s, "launched on %s on %s", endpoint_view_text(&v), d1);
				if (date_add_days(ev->on, cl->lag_days, &x))
				{
					format_date(x, d2, sizeof(d2));
					appendStringInfo(&s, ", elsewhere from %s", d2);
					if (cl->end_known && cl->end < x)
						appendStringInfo(&s, "; the clause ends on %s", end);
				}
				else
				{
					appendStringInfo(&s, ", elsewhere %d days later", cl->lag_days);
					if (cl->end_known)
						appendStringInfo(&s, "; the clause ends on %s", end);
				}
			}
			break;
		case R_RES:
			if (a < 0)
				appendStringInfoString(&s, "unknown region; ");
			appendStringInfo(&s, "%s data must stay in %s", cl->data_class,
							 cl->njur > 0 ? cl->jur_text : "no jurisdiction");
			if (cl->end_known)
				appendStringInfo(&s, " until %s", end);
			if (cl->holder)
				appendStringInfo(&s, " (required by %s)", cl->holder);
			if (a >= 0)
				appendStringInfo(&s, "; this endpoint is in %c%c", (char) (a >> 8), (char) (a & 0xff));
			break;
		case R_NO_EFFECT:
			appendStringInfoString(&s, "no effect on placement");
			if (cl->kind == CK_REVENUE_SHARE)
				appendStringInfo(&s, " (%s pays %s a share of revenue)", cl->grantor, cl->holder);
			else if (cl->kind == CK_PRIMARY_PARTNER)
				appendStringInfo(&s, " (%s is the primary partner, minimum share %s)",
								 cl->holder, cl->min_share_text);
			else if (cl->kind == CK_COMMITMENT)
				appendStringInfo(&s, " (%s committed %s %s to %s)", cl->grantor,
								 cl->amount_text, cl->currency_text, cl->holder);
			break;
	}
	return s.data;
}

/* Index of the interned reason, formatting it on first use. */
int
placement_intern_reason(Model *m, int clause, ReasonCode code, int32 a)
{
	ReasonKey	key;
	ReasonEntry *ent;
	bool		found;

	memset(&key, 0, sizeof(key));
	key.clause = clause;
	key.code = code;
	key.a = a;
	ent = hash_search(m->reason_hash, &key, HASH_ENTER, &found);
	if (!found)
	{
		MemoryContext old = MemoryContextSwitchTo(m->cxt);

		if (m->nreasons == m->reasons_cap)
		{
			m->reasons_cap *= 2;
			m->reason_str = repalloc(m->reason_str, sizeof(char *) * m->reasons_cap);
			m->reason_text = repalloc(m->reason_text, sizeof(Datum) * m->reasons_cap);
		}
		m->reason_str[m->nreasons] = format_reason(m, &m->clauses[clause], code, a);
		m->reason_text[m->nreasons] = CStringGetTextDatum(m->reason_str[m->nreasons]);
		ent->index = m->nreasons++;
		MemoryContextSwitchTo(old);
	}
	return ent->index;
}

/* The text[] of the given reasons, built once per distinct list. */
Datum
placement_reasons_array(Model *m, const int *ids, int n)
{
	ArrKey		key;
	ArrEntry   *ent;
	bool		found;
	Datum	   *elems;
	MemoryContext old;
	Datum		result;
	int			i;

	if (n == 0)
		return m->empty_array;
	if (n <= ARRKEY_MAX)
	{
		memset(&key, 0, sizeof(key));
		key.n = n;
		memcpy(key.ids, ids, sizeof(int32) * n);
		ent = hash_search(m->array_hash, &key, HASH_ENTER, &found);
		if (found)
			return ent->array;
	}
	old = MemoryContextSwitchTo(m->cxt);
	elems = palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
		elems[i] = m->reason_text[ids[i]];
	result = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
	MemoryContextSwitchTo(old);
	if (n <= ARRKEY_MAX)
		ent->array = result;
	return result;
}
