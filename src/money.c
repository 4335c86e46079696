/*
 * money.c — currencies (ISO 4217 codes and their minor units) and exact
 * conversion between numeric amounts and integers of minor units.
 *
 * The conversion from numeric reads the stored digits directly instead of
 * going through numeric arithmetic or text: the revenue reports convert
 * one amount per flow over millions of flows, and this keeps that cost near
 * zero.  The layout read here is numeric's on-disk format (base-10000
 * digits with a weight; short and long headers), which PostgreSQL keeps
 * stable across major versions because pg_upgrade relies on it.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

#include "money.h"

/* ISO 4217 currencies whose minor unit is not 2 (sorted by code). */
static const struct
{
	char		code[4];
	int8		minor_unit;
}			minor_units[] =
{
	{"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0},
	{"GNF", 0}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0},
	{"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3},
	{"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0},
	{"UYW", 4}, {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0},
	{"XPF", 0},
};

static const int64 pow10_tab[] = {1, 10, 100, 1000, 10000};

/* Why codes are upper case, said once for every message that needs it. */
#define CURRENCY_DETAIL "A currency is an ISO 4217 code of exactly three upper-case letters A-Z, such as USD, EUR or JPY."

/*
 * Currency codes are case-sensitive on purpose: reports group by the code,
 * and letting "usd" in would split one currency into two groups.
 */
Currency
money_currency(const char *code, int len)
{
	Currency	cur;
	int			lo = 0,
				hi = lengthof(minor_units) - 1;
	bool		letters = true;
	int			i;

	while (len > 0 && code[len - 1] == ' ')
		len--;
	for (i = 0; i < len; i++)
		if (!((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= 'a' && code[i] <= 'z')))
			letters = false;
	if (len != 3 || !(code[0] >= 'A' && code[0] <= 'Z') ||
		!(code[1] >= 'A' && code[1] <= 'Z') || !(code[2] >= 'A' && code[2] <= 'Z'))
	{
		char	   *shown = pnstrdup(code, len);

		if (len == 3 && letters)
		{
			char		upper[4];

			for (i = 0; i < 3; i++)
				upper[i] = pg_ascii_toupper((unsigned char) code[i]);
			upper[3] = '\0';
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid currency code \"%s\"", shown),
					 errdetail(CURRENCY_DETAIL),
					 errhint("Currency codes are case-sensitive and never folded, so that one currency cannot appear under two spellings in a report; write \"%s\".",
							 upper)));
		}
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid currency code \"%s\"", shown),
				 errdetail(CURRENCY_DETAIL)));
	}
	memcpy(cur.code, code, 3);
	cur.code[3] = '\0';
	cur.minor_unit = 2;
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = memcmp(cur.code, minor_units[mid].code, 3);

		if (c == 0)
		{
			cur.minor_unit = minor_units[mid].minor_unit;
			break;
		}
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return cur;
}

/* The same for a text or bpchar datum, as SQL callers pass it. */
Currency
money_currency_from_text(const text *code)
{
	return money_currency(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code));
}

/* int128 has no printf format; used for numeric output and messages. */
char *
money_int128_to_cstring(int128 v, char *buf)
{
	char		tmp[48];
	int			n = 0;
	bool		neg = v < 0;
	uint128		u = neg ? -(uint128) v : (uint128) v;
	char	   *p = buf;

	do
	{
		tmp[n++] = '0' + (int) (u % 10);
		u /= 10;
	} while (u > 0);
	if (neg)
		*p++ = '-';
	while (n > 0)
		*p++ = tmp[--n];
	*p = '\0';
	return buf;
}

/* An amount as the user wrote it, for error messages only. */
static char *
numeric_text(Numeric amount)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(amount)));
}

/* Rounding an input amount would silently change it: refuse instead. */
static void
too_many_decimals(Numeric amount, const Currency *cur)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("amount \"%s\" has more decimals than currency %s allows",
					numeric_text(amount), cur->code),
			 errdetail("%s amounts have %d decimal place%s at most; dealscope never rounds an input amount.",
					   cur->code, cur->minor_unit, cur->minor_unit == 1 ? "" : "s")));
}

/* Beyond this bound int128 products with day counts could overflow. */
static void
too_large(Numeric amount, const Currency *cur)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("amount \"%s\" is out of range for currency %s", numeric_text(amount), cur->code),
			 errdetail("An amount may have at most %d digits counted in minor units.",
					   MONEY_MAX_MINOR_DIGITS)));
}

/*
 * Read the stored digits: value = sum of digit[i] * 10000^(weight - i).
 * The integer part is accumulated by Horner's rule, then scaled to minor
 * units; of the fraction only the first base-10000 digit can carry minor
 * units (at most 4 decimals), and it must be a multiple of 10^(4 - scale).
 */
int128
money_to_minor(Numeric amount, const Currency *cur)
{
	const char *p = VARDATA_ANY(amount);
	int			len = VARSIZE_ANY_EXHDR(amount);
	uint16		h1;
	bool		neg;
	int			weight;
	int			ndigits;
	const char *digits;
	int			scale = cur->minor_unit;
	static int128 limit = 0;	/* 10^20: the first value out of range */
	int128		acc = 0;
	int			e;
	int			i;

	if (unlikely(limit == 0))
	{
		limit = 1;
		for (i = 0; i < MONEY_MAX_MINOR_DIGITS; i++)
			limit *= 10;
	}

	memcpy(&h1, p, sizeof(uint16));
	if ((h1 & 0xC000) == 0xC000)	/* NaN, Infinity, -Infinity */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid amount \"%s\"", numeric_text(amount)),
				 errdetail("An amount must be a finite number.")));
	if (h1 & 0x8000)
	{
		/* short header: sign 0x2000, weight in the low 7 bits (signed) */
		neg = (h1 & 0x2000) != 0;
		weight = (h1 & 0x0040) ? (int) (h1 & 0x003F) - 64 : (int) (h1 & 0x003F);
		digits = p + sizeof(uint16);
	}
	else
	{
		int16		w;

		neg = (h1 & 0xC000) == 0x4000;
		memcpy(&w, p + sizeof(uint16), sizeof(int16));
		weight = w;
		digits = p + sizeof(uint16) + sizeof(int16);
	}
	ndigits = (len - (digits - p)) / (int) sizeof(int16);

	/* integer part: exponents weight .. 0 (digits past the end are 0) */
	if (weight <= 2)
	{
		/* below 10^12: 64-bit arithmetic cannot overflow, nor pass the limit */
		int64		acc64 = 0;

		for (e = weight, i = 0; e >= 0; e--, i++)
		{
			int16		dg = 0;

			if (i < ndigits)
				memcpy(&dg, digits + i * sizeof(int16), sizeof(int16));
			acc64 = acc64 * 10000 + dg;
		}
		acc = acc64 * pow10_tab[scale];
	}
	else
	{
		for (e = weight, i = 0; e >= 0; e--, i++)
		{
			int16		dg = 0;

			if (i < ndigits)
				memcpy(&dg, digits + i * sizeof(int16), sizeof(int16));
			acc = acc * 10000 + dg;
			if (acc >= limit)
				too_large(amount, cur);
		}
		acc *= pow10_tab[scale];
		if (acc >= limit)
			too_large(amount, cur);
	}

	/* fraction: the digit at exponent -1, then anything below must be 0 */
	for (i = Max(weight + 1, 0); i < ndigits; i++)
	{
		int16		dg;

		memcpy(&dg, digits + i * sizeof(int16), sizeof(int16));
		if (dg == 0)
			continue;
		if (weight - i < -1 || dg % pow10_tab[4 - scale] != 0)
			too_many_decimals(amount, cur);
		acc += dg / pow10_tab[4 - scale];
	}
	if (acc >= limit)
		too_large(amount, cur);
	return neg ? -acc : acc;
}

/* For callers that keep minor units in int64 (see money.h). */
int64
money_to_minor64(Numeric amount, const Currency *cur)
{
	int128		v = money_to_minor(amount, cur);

	if (v > PG_INT64_MAX || v < PG_INT64_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("amount \"%s\" is out of range for currency %s", numeric_text(amount), cur->code),
				 errdetail("The amount in minor units must fit in a 64-bit integer.")));
	return (int64) v;
}

static Numeric money_from_minor_text(int128 minor, const Currency *cur);

/* minor units as a numeric with exactly the currency's decimals */
Numeric
money_from_minor(int128 minor, const Currency *cur)
{
#if PG_VERSION_NUM >= 150000
	/* the usual case, without printing and parsing text (reports make many) */
	if (minor == (int64) minor)
		return int64_div_fast_to_numeric((int64) minor, cur->minor_unit);
#endif
	return money_from_minor_text(minor, cur);
}

/* The general form: the digits as text, read by numeric_in. */
static Numeric
money_from_minor_text(int128 minor, const Currency *cur)
{
	char		digits[48];
	char		out[56];
	int			scale = cur->minor_unit;
	bool		neg = minor < 0;
	char	   *d = money_int128_to_cstring(neg ? -minor : minor, digits);
	int			n = strlen(d);
	char	   *o = out;

	if (neg)
		*o++ = '-';
	if (scale == 0)
		strcpy(o, d);
	else if (n > scale)
	{
		memcpy(o, d, n - scale);
		o += n - scale;
		*o++ = '.';
		strcpy(o, d + n - scale);
	}
	else
	{
		*o++ = '0';
		*o++ = '.';
		memset(o, '0', scale - n);
		o += scale - n;
		strcpy(o, d);
	}
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(out),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/*
 * minor_unit(currency): the number of decimals amounts in that currency
 * carry, for reports and users that round or validate amounts themselves.
 */
PG_FUNCTION_INFO_V1(minor_unit);
Datum
minor_unit(PG_FUNCTION_ARGS)
{
	Currency	cur = money_currency_from_text(PG_GETARG_TEXT_PP(0));

	PG_RETURN_INT32(cur.minor_unit);
}
