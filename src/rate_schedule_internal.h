/*
 * rate_schedule_internal.h — what rate_schedule.c (model, arithmetic,
 * operators) and rate_schedule_io.c (text and binary forms) share.  Not for
 * use outside those two files; the public C API is rate_schedule.h.
 */
#ifndef DEALSCOPE_RATE_SCHEDULE_INTERNAL_H
#define DEALSCOPE_RATE_SCHEDULE_INTERNAL_H

#include "postgres.h"
#include "lib/stringinfo.h"
#include "utils/date.h"

#include "rate_schedule.h"

/* rate_schedule.c */

/* A zeroed value with room for nsegments segments, its header set. */
extern RateSchedule *rate_schedule_alloc(int nsegments);

/*
 * Why a segment is not acceptable on its own, or NULL.  Shared by text input
 * and binary input so that both accept exactly the same values.
 */
extern const char *rate_schedule_segment_problem(const RateSegment *seg);

/* rate_schedule_io.c */

/* Append a date as YYYY-MM-DD (independent of DateStyle) or +-infinity. */
extern void rate_schedule_append_date(StringInfo s, DateADT d);

/* The canonical text of a value, palloc'd. */
extern char *rate_schedule_to_cstring(const RateSchedule *rs);

#endif
