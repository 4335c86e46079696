/*
 * calendar.c — calendar and fiscal slices (doc/design.md, "Calendars"):
 * slice_of() and the C API in calendar.h that prorate and the revenue
 * reports share, so that every part of dealscope cuts time in exactly the
 * same places.
 *
 * Month-based grains are computed on a month index (12 * year + month - 1,
 * astronomical years, so arithmetic is plain integer arithmetic with floor
 * division): a fiscal slice of L months starting in month fy_start is the
 * calendar slice of the index shifted by fy_start - 1 months.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "calendar.h"

static const char *const grain_names[] = {"day", "week", "month", "quarter", "half", "year"};

#define GRAIN_COUNT ((int) lengthof(grain_names))

/* Floor division and non-negative modulo, for month indexes before year 0. */
static inline int
floor_div(int a, int b)
{
	int			q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static inline int
floor_mod(int a, int b)
{
	return a - floor_div(a, b) * b;
}

/* Months in a slice of a month-based grain; 0 for day and week. */
int
cal_grain_months(CalGrain grain)
{
	switch (grain)
	{
		case CAL_MONTH:
			return 1;
		case CAL_QUARTER:
			return 3;
		case CAL_HALF:
			return 6;
		case CAL_YEAR:
			return 12;
		default:
			return 0;
	}
}

/*
 * The first days of the months from 1900-01 to 2200-01, computed once per
 * backend: reports split millions of flows into months, and a table lookup
 * is several times cheaper than j2date/date2j.  Dates outside take the
 * general path.
 */
#define MONTH_TAB_FIRST (1900 * 12)
#define MONTH_TAB_N (300 * 12)
static DateADT month_tab[MONTH_TAB_N + 1];
static bool month_tab_ready = false;

static void
month_tab_fill(void)
{
	int			k;

	for (k = 0; k <= MONTH_TAB_N; k++)
	{
		int			mi = MONTH_TAB_FIRST + k;

		month_tab[k] = date2j(mi / 12, mi % 12 + 1, 1) - POSTGRES_EPOCH_JDATE;
	}
	month_tab_ready = true;
}

static inline int
month_index(DateADT d)
{
	int			y,
				m,
				dd;

	if (unlikely(!month_tab_ready))
		month_tab_fill();
	if (d >= month_tab[0] && d < month_tab[MONTH_TAB_N])
	{
		/* estimate from the mean month (146097 days per 4800 months), then adjust */
		int			k = (int) (((int64) (d - month_tab[0]) * 4800) / 146097);

		if (k > MONTH_TAB_N - 1)
			k = MONTH_TAB_N - 1;
		while (month_tab[k] > d)
			k--;
		while (month_tab[k + 1] <= d)
			k++;
		return MONTH_TAB_FIRST + k;
	}
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	return y * 12 + (m - 1);
}

static inline DateADT
month_index_to_date(int mi)
{
	if (unlikely(!month_tab_ready))
		month_tab_fill();
	if (mi >= MONTH_TAB_FIRST && mi <= MONTH_TAB_FIRST + MONTH_TAB_N)
		return month_tab[mi - MONTH_TAB_FIRST];
	return date2j(floor_div(mi, 12), floor_mod(mi, 12) + 1, 1) - POSTGRES_EPOCH_JDATE;
}

/* Grains are named exactly, in lower case, like the labels they produce. */
CalGrain
calendar_grain_parse(const char *name, int len)
{
	int			i;

	for (i = 0; i < GRAIN_COUNT; i++)
	{
		if (len == (int) strlen(grain_names[i]) && memcmp(name, grain_names[i], len) == 0)
			return (CalGrain) i;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid grain \"%s\"", pnstrdup(name, len)),
			 errdetail("Argument \"grain\" must be one of day, week, month, quarter, half or year, written in lower case.")));
	return CAL_DAY;				/* keep the compiler quiet */
}

/* The same for a text (or bpchar) datum, as SQL callers pass it. */
CalGrain
calendar_grain_from_text(const text *name)
{
	return calendar_grain_parse(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
}

/* The SQL name of a grain, for messages and labels. */
const char *
calendar_grain_name(CalGrain grain)
{
	return grain_names[grain];
}

/* A fiscal year starts on the first day of a month, named by its number. */
void
calendar_check_fy_start(int32 fy_start)
{
	if (fy_start < 1 || fy_start > 12)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid fy_start %d", fy_start),
				 errdetail("Argument \"fy_start\" is the month in which the fiscal year starts, from 1 (January) to 12 (December).")));
}

/*
 * First day of the slice holding d, with no range check (the result may lie
 * a few days before the first valid date).
 */
static DateADT
slice_start_unchecked(DateADT d, CalGrain grain, int fy_start)
{
	switch (grain)
	{
		case CAL_DAY:
			return d;
		case CAL_WEEK:
			/* Julian day 0 was a Monday, and valid dates have julian >= 0 */
			return d - (DateADT) ((d + POSTGRES_EPOCH_JDATE) % 7);
		default:
			{
				int			len = cal_grain_months(grain);
				int			off = (grain == CAL_MONTH) ? 0 : fy_start - 1;
				int			mi = month_index(d);

				return month_index_to_date(floor_div(mi - off, len) * len + off);
			}
	}
}

/* Start of the following slice; the cursor API is cheaper for long walks. */
DateADT
calendar_next_start(DateADT start, CalGrain grain, int fy_start)
{
	switch (grain)
	{
		case CAL_DAY:
			return start + 1;
		case CAL_WEEK:
			return start + 7;
		default:
			return month_index_to_date(month_index(start) + cal_grain_months(grain));
	}
}

/* d must be finite (22023 otherwise); see calendar.h */
void
calendar_cursor_init(CalCursor *c, DateADT d, CalGrain grain, int fy_start)
{
	c->grain = grain;
	c->start = calendar_slice_start(d, grain, fy_start);
	switch (grain)
	{
		case CAL_DAY:
			c->next = c->start + 1;
			break;
		case CAL_WEEK:
			c->next = c->start + 7;
			break;
		default:
			c->months = cal_grain_months(grain);
			c->next_mi = month_index(c->start) + c->months;
			c->next = month_index_to_date(c->next_mi);
			break;
	}
}

void
calendar_cursor_advance(CalCursor *c)
{
	c->start = c->next;
	switch (c->grain)
	{
		case CAL_DAY:
			c->next++;
			break;
		case CAL_WEEK:
			c->next += 7;
			break;
		default:
			c->next_mi += c->months;
			c->next = month_index_to_date(c->next_mi);
			break;
	}
}

/* Infinite dates have no slice: an explicit error beats a silent NULL. */
static void
check_finite(DateADT d)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("date \"%s\" has no slice", DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity"),
				 errdetail("Only finite dates belong to a calendar slice.")));
}

/* A slice users see must consist of valid dates (slices at the ends of type date may not). */
static void
check_in_range(DateADT d, DateADT start, DateADT end)
{
	if (!IS_VALID_DATE(start) || !IS_VALID_DATE(end))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("slice of date \"%s\" reaches outside the range of type date",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)))),
				 errdetail("Type date runs from 4714-11-24 BC to 5874897-12-31.")));
}

/* Public, checked form of slice_start_unchecked (see calendar.h). */
DateADT
calendar_slice_start(DateADT d, CalGrain grain, int fy_start)
{
	DateADT		start;

	check_finite(d);
	start = slice_start_unchecked(d, grain, fy_start);
	check_in_range(d, start, start);
	return start;
}

/* Both ends of the slice, checked (see calendar.h). */
void
calendar_slice(DateADT d, CalGrain grain, int fy_start, DateADT *start, DateADT *end)
{
	DateADT		s,
				e;

	check_finite(d);
	s = slice_start_unchecked(d, grain, fy_start);
	e = calendar_next_start(s, grain, fy_start) - 1;
	check_in_range(d, s, e);
	*start = s;
	if (end)
		*end = e;
}

/* Years as ISO 8601 writes them: four digits at least, a sign before year 0. */
static int
format_year(char *buf, int year)
{
	if (year < 0)
		return sprintf(buf, "-%04d", -year);
	return sprintf(buf, "%04d", year);
}

/*
 * Labels are what BI tools group and sort by, so they follow ISO 8601 forms
 * and sort in date order within a grain (see calendar.h).
 */
int
calendar_label(DateADT start, CalGrain grain, int fy_start, char *buf)
{
	int			y,
				m,
				d;
	int			n = 0;

	switch (grain)
	{
		case CAL_DAY:
			j2date(start + POSTGRES_EPOCH_JDATE, &y, &m, &d);
			n = format_year(buf, y);
			return n + sprintf(buf + n, "-%02d-%02d", m, d);
		case CAL_WEEK:
			{
				/* the ISO year is the year of the week's Thursday */
				int			thursday = start + 3 + POSTGRES_EPOCH_JDATE;

				j2date(thursday, &y, &m, &d);
				n = format_year(buf, y);
				return n + sprintf(buf + n, "-W%02d", (thursday - date2j(y, 1, 1)) / 7 + 1);
			}
		case CAL_MONTH:
			j2date(start + POSTGRES_EPOCH_JDATE, &y, &m, &d);
			n = format_year(buf, y);
			return n + sprintf(buf + n, "-%02d", m);
		default:
			{
				int			off = fy_start - 1;
				int			k = month_index(start) - off;	/* months since a FY start */
				int			fy_first = floor_div(k, 12) * 12 + off;
				int			fy_name = floor_div(fy_first + 11, 12);	/* year it ends in */

				if (fy_start != 1)
				{
					memcpy(buf, "FY", 2);
					n = 2;
				}
				n += format_year(buf + n, fy_name);
				if (grain == CAL_QUARTER)
					n += sprintf(buf + n, "-Q%d", floor_mod(k, 12) / 3 + 1);
				else if (grain == CAL_HALF)
					n += sprintf(buf + n, "-H%d", floor_mod(k, 12) / 6 + 1);
				return n;
			}
	}
}

/*
 * slice_of(d, grain, fy_start): the fiscal-aware analogue of date_trunc,
 * returning the whole slice (first and last day) and its label.
 */
PG_FUNCTION_INFO_V1(slice_of);
Datum
slice_of(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	CalGrain	grain = calendar_grain_from_text(PG_GETARG_TEXT_PP(1));
	int32		fy_start = PG_GETARG_INT32(2);
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	DateADT		start,
				end;
	char		label[CALENDAR_LABEL_MAX];

	calendar_check_fy_start(fy_start);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	calendar_slice(d, grain, fy_start, &start, &end);
	calendar_label(start, grain, fy_start, label);
	values[0] = DateADTGetDatum(start);
	values[1] = DateADTGetDatum(end);
	values[2] = CStringGetTextDatum(label);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
