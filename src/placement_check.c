/*
 * placement_check.c — the SQL entry points that evaluate one call's model
 * (placement_model.h): placement_check and placement_reasons (one
 * workload, one endpoint) and placement_summary (every workload, the
 * candidates).  placement_matrix's helpers are in placement_pairs.c.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "endpoint.h"
#include "placement_model.h"
#include "placement_rules.h"

/* ------------------------------------------------------- SQL entry points */

/* Set up materialize-mode output (works on PostgreSQL 13 to 17). */
static Tuplestorestate *
materialize_setup(FunctionCallInfo fcinfo, TupleDesc *tupdesc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	TupleDesc	td;
	Tuplestorestate *ts;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("materialize mode required, but it is not allowed in this context")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = CreateTupleDescCopy(td);
	ts = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0,
							   false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = ts;
	rsinfo->setDesc = td;
	MemoryContextSwitchTo(old);
	*tupdesc = td;
	return ts;
}

/* Model for one workload and one endpoint (placement_check, _reasons). */
static Model *
model_for_pair(FunctionCallInfo fcinfo)
{
	text	   *wid = PG_GETARG_TEXT_PP(0);
	struct varlena *ep = PG_GETARG_ENDPOINT_P(1);
	DateADT		d = PG_GETARG_DATEADT(2);
	Model	   *m = placement_model_create(d);

	placement_model_set_one_candidate(m, ep);
	placement_model_load(m, wid, false);
	return m;
}

/*
 * placement_check(workload_id, e, on_date): the verdict for one pair, the
 * day it becomes allowed, and why not yet.
 */
PG_FUNCTION_INFO_V1(placement_check);
Datum
placement_check(PG_FUNCTION_ARGS)
{
	TupleDesc	td;
	Model	   *m;
	PairResult	r;
	int			n;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	HeapTuple	tup;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = BlessTupleDesc(td);
	m = model_for_pair(fcinfo);
	n = placement_apply_workload(m, &m->workloads[0]);
	placement_eval_pair(m, m->applied, n, &m->cands[0], &r);
	values[0] = m->verdict_text[r.verdict];
	if (r.verdict == VERDICT_ALLOWED)
		values[1] = DateADTGetDatum(m->d);
	else if (r.lift_known)
		values[1] = DateADTGetDatum(r.lift);
	else
		nulls[1] = true;
	values[2] = placement_pair_reason_array(m, m->applied, &r, &m->cands[0]);
	tup = heap_form_tuple(td, values, nulls);	/* copies out of m->cxt */
	MemoryContextDelete(m->cxt);
	PG_RETURN_DATUM(HeapTupleGetDatum(tup));
}

/*
 * placement_reasons(workload_id, e, on_date): one row per applicable clause,
 * allowed ones included, worst first then by clause id.
 */
PG_FUNCTION_INFO_V1(placement_reasons);
Datum
placement_reasons(PG_FUNCTION_ARGS)
{
	TupleDesc	td;
	Tuplestorestate *ts = materialize_setup(fcinfo, &td);
	Model	   *m = model_for_pair(fcinfo);
	int			n = placement_apply_workload(m, &m->workloads[0]);
	int			pass,
				i;

	for (pass = VERDICT_BLOCKED; pass >= VERDICT_ALLOWED; pass--)
	{
		for (i = 0; i < n; i++)
		{
			const Applied *ap = &m->applied[i];
			bool		inside = !ap->cl->has_effect || m->cands[0].inside[ap->clause_index];
			Verdict		v = inside ? VERDICT_ALLOWED : ap->out_verdict;
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};

			if ((int) v != pass)
				continue;
			values[0] = CStringGetTextDatum(ap->cl->id);
			values[1] = ap->cl->kind_datum;
			values[2] = m->verdict_text[v];
			if (v == VERDICT_ALLOWED)
				values[3] = DateADTGetDatum(m->d);
			else if (ap->out_lift_known)
				values[3] = DateADTGetDatum(ap->out_lift);
			else
				nulls[3] = true;
			values[4] = m->reason_text[placement_applied_reason(ap, &m->cands[0], inside)];
			tuplestore_putvalues(ts, td, values, nulls);
		}
	}
	MemoryContextDelete(m->cxt);
	return (Datum) 0;
}

/* Model for every workload and the requested (or default) candidates. */
static Model *
model_for_matrix(FunctionCallInfo fcinfo)
{
	Model	   *m = placement_model_create(PG_GETARG_DATEADT(0));

	if (!PG_ARGISNULL(1))
		placement_model_set_candidates(m, PG_GETARG_ARRAYTYPE_P(1));
	placement_model_load(m, NULL, PG_ARGISNULL(1));
	return m;
}

/* ------------------------------------------------------ placement_summary */

typedef struct SummaryCount
{
	int			applied;		/* index into m->applied */
	int			count;
} SummaryCount;

static const Applied *summary_sort_applied;	/* for the qsort comparator */

static int
cmp_summary(const void *a, const void *b)
{
	const SummaryCount *x = a;
	const SummaryCount *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(summary_sort_applied[x->applied].cl->id,
				  summary_sort_applied[y->applied].cl->id);
}

static void
append_counts(StringInfo s, const char *label, int total, SummaryCount *counts,
			  int n, const Applied *applied)
{
	int			i,
				k = 0;

	if (total == 0)
		return;
	for (i = 0; i < n; i++)
		if (counts[i].count > 0)
			counts[k++] = counts[i];
	summary_sort_applied = applied;
	qsort(counts, k, sizeof(SummaryCount), cmp_summary);
	appendStringInfo(s, "; %d %s: ", total, label);
	for (i = 0; i < k; i++)
		appendStringInfo(s, "%s%s %s (%d)", i > 0 ? ", " : "",
						 placement_kind_names[applied[counts[i].applied].cl->kind],
						 applied[counts[i].applied].cl->id, counts[i].count);
}

/*
 * placement_summary(on_date, candidates): one line per workload, in the
 * manner of a scheduler's "0/9 nodes are available" message.  Per-clause
 * counts in the blocked part count the blocked endpoints each clause
 * blocks; in the conditional part, the conditional endpoints each clause
 * holds back.
 */
PG_FUNCTION_INFO_V1(placement_summary);
Datum
placement_summary(PG_FUNCTION_ARGS)
{
	TupleDesc	td;
	Tuplestorestate *ts = materialize_setup(fcinfo, &td);
	Model	   *m;
	int			w,
				c,
				i;
	SummaryCount *bcount,
			   *ccount;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	m = model_for_matrix(fcinfo);
	bcount = MemoryContextAlloc(m->cxt, sizeof(SummaryCount) * Max(m->nclauses, 1));
	ccount = MemoryContextAlloc(m->cxt, sizeof(SummaryCount) * Max(m->nclauses, 1));
	for (w = 0; w < m->nworkloads; w++)
	{
		int			n = placement_obstacles_only(m, placement_apply_workload(m, &m->workloads[w]));
		int			tally[3] = {0, 0, 0};
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		StringInfoData s;

		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < n; i++)
		{
			bcount[i].applied = ccount[i].applied = i;
			bcount[i].count = ccount[i].count = 0;
		}
		for (c = 0; c < m->ncands; c++)
		{
			PairResult	r;

			placement_eval_pair(m, m->applied, n, &m->cands[c], &r);
			tally[r.verdict]++;
			if (r.verdict == VERDICT_BLOCKED)
				for (i = 0; i < r.nblocked; i++)
					bcount[r.blocked[i]].count++;
			else if (r.verdict == VERDICT_CONDITIONAL)
				for (i = 0; i < r.nconditional; i++)
					ccount[r.conditional[i]].count++;
		}
		initStringInfo(&s);
		appendStringInfo(&s, "%d/%d endpoints allowed", tally[VERDICT_ALLOWED], m->ncands);
		append_counts(&s, "blocked", tally[VERDICT_BLOCKED], bcount, n, m->applied);
		append_counts(&s, "conditional", tally[VERDICT_CONDITIONAL], ccount, n, m->applied);
		values[0] = CStringGetTextDatum(m->workloads[w].id);
		values[1] = Int32GetDatum(tally[VERDICT_ALLOWED]);
		values[2] = Int32GetDatum(tally[VERDICT_CONDITIONAL]);
		values[3] = Int32GetDatum(tally[VERDICT_BLOCKED]);
		values[4] = CStringGetTextDatum(s.data);
		tuplestore_putvalues(ts, td, values, nulls);
		pfree(s.data);
	}
	MemoryContextDelete(m->cxt);
	return (Datum) 0;
}
