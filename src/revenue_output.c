/*
 * revenue_output.c — the composite rows the revenue functions return:
 * slice_total (revenue_agg, revenue_split) and keyed_slice_total (the keyed
 * aggregates), built with the extension's own types.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "calendar.h"
#include "money.h"
#include "revenue_cache.h"
#include "revenue_output.h"

/* A composite type of the extension's schema, with its blessed descriptor. */
void
rev_ext_row_type(FunctionCallInfo fcinfo, MemoryContext cxt, const char *name,
			 Oid *type, TupleDesc *desc)
{
	MemoryContext old;

	if (*desc)
		return;
	*type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(name),
							ObjectIdGetDatum(get_func_namespace(fcinfo->flinfo->fn_oid)));
	if (!OidIsValid(*type))
		elog(ERROR, "dealscope: type %s not found", name);
	old = MemoryContextSwitchTo(cxt);
	*desc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(*type, -1));
	MemoryContextSwitchTo(old);
}

/* The slice_total composite type. */
void
rev_cell_type(RevCache *c, FunctionCallInfo fcinfo)
{
	rev_ext_row_type(fcinfo, c->mcxt, "slice_total", &c->celltype, &c->celldesc);
}

/* The seven fields of a slice_total: slice, label, currency, gross, share, net. */
void
rev_cell_values(Datum *v, DateADT start, DateADT end, CalGrain grain, int fy_start,
			const Currency *cur, int128 gross, int128 share)
{
	char		label[CALENDAR_LABEL_MAX];

	calendar_label(start, grain, fy_start, label);
	v[0] = DateADTGetDatum(start);
	v[1] = DateADTGetDatum(end);
	v[2] = CStringGetTextDatum(label);
	v[3] = DirectFunctionCall3(bpcharin, CStringGetDatum(cur->code),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(3 + VARHDRSZ));
	v[4] = NumericGetDatum(money_from_minor(gross, cur));
	v[5] = NumericGetDatum(money_from_minor(share, cur));
	v[6] = NumericGetDatum(money_from_minor(gross - share, cur));
}

Datum
rev_make_cell(RevCache *c, DateADT start, DateADT end, CalGrain grain, int fy_start,
		  const Currency *cur, int128 gross, int128 share)
{
	Datum		v[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};

	rev_cell_values(v, start, end, grain, fy_start, cur, gross, share);
	return HeapTupleGetDatum(heap_form_tuple(c->celldesc, v, nulls));
}

Datum
rev_rows_array(Oid type, Datum *elems, int n)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_array(elems, n, type, typlen, typbyval, typalign));
}

Datum
rev_cells_array(RevCache *c, Datum *elems, int n)
{
	return rev_rows_array(c->celltype, elems, n);
}
