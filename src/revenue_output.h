/*
 * revenue_output.h — the composite rows the revenue functions return
 * (src/revenue_output.c).  Internal to the revenue files.
 */
#ifndef DEALSCOPE_REVENUE_OUTPUT_H
#define DEALSCOPE_REVENUE_OUTPUT_H

#include "postgres.h"
#include "fmgr.h"
#include "access/tupdesc.h"
#include "utils/date.h"

#include "calendar.h"
#include "money.h"
#include "revenue_cache.h"

/* A composite type of the extension's schema, with its blessed descriptor (once). */
extern void rev_ext_row_type(FunctionCallInfo fcinfo, MemoryContext cxt, const char *name,
							 Oid *type, TupleDesc *desc);

/* The slice_total fields from v[0]: slice, label, currency, gross, share, net. */
extern void rev_cell_values(Datum *v, DateADT start, DateADT end, CalGrain grain, int fy_start,
							const Currency *cur, int128 gross, int128 share);

/* An array of n rows of the composite type. */
extern Datum rev_rows_array(Oid type, Datum *elems, int n);

/* slice_total: its type (looked up once per cache), one row, an array of rows. */
extern void rev_cell_type(RevCache *c, FunctionCallInfo fcinfo);
extern Datum rev_make_cell(RevCache *c, DateADT start, DateADT end, CalGrain grain, int fy_start,
						   const Currency *cur, int128 gross, int128 share);
extern Datum rev_cells_array(RevCache *c, Datum *elems, int n);

#endif
