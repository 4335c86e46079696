/*
 * money.h — currencies and exact amounts in minor units (doc/design.md,
 * "Money and exactness").
 *
 * A currency is an ISO 4217 code of exactly three upper-case ASCII letters;
 * its minor unit (0, 2, 3 or 4 decimals; 2 for any well-formed code not in
 * the table) sets the scale amounts are rounded to.  Amounts travel through
 * C as integers of minor units (12.30 USD = 1230), converted from and to
 * numeric exactly: no floating point, no silent rounding.
 */
#ifndef DEALSCOPE_MONEY_H
#define DEALSCOPE_MONEY_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/numeric.h"

/*
 * Largest magnitude of an amount in minor units: 10^20 - 1, i.e. 20 digits
 * (up to 10^16 in a 4-decimal currency, 10^18 USD, 10^20 JPY).  Products
 * of such an amount with day counts stay far inside int128.
 */
#define MONEY_MAX_MINOR_DIGITS 20

/* A validated currency: its code (NUL-terminated) and minor unit. */
typedef struct Currency
{
	char		code[4];
	int			minor_unit;
} Currency;

/*
 * Validate a currency code (len bytes; trailing blanks are ignored, as for
 * char(n)) and look up its minor unit.  A code that is not exactly three
 * upper-case letters raises 22023 'invalid currency code "usd"'.
 */
extern Currency money_currency(const char *code, int len);
extern Currency money_currency_from_text(const text *code);	/* text or bpchar */

/*
 * The amount as an integer of minor units of the currency.  More decimals
 * than the currency has (after dropping trailing zeros) raise 22023 quoting
 * the amount and the currency; NaN or infinity 22023; more than
 * MONEY_MAX_MINOR_DIGITS digits 22003.  money_to_minor64 additionally
 * raises 22003 when the result does not fit in int64.
 */
extern int128 money_to_minor(Numeric amount, const Currency *cur);
extern int64 money_to_minor64(Numeric amount, const Currency *cur);

/*
 * Minor units back to numeric, with exactly the currency's scale
 * (1230 USD -> 12.30, 5 JPY -> 5).
 */
extern Numeric money_from_minor(int128 minor, const Currency *cur);

/* Decimal text of an int128 (buf at least 41 bytes); returns buf. */
extern char *money_int128_to_cstring(int128 v, char *buf);

#endif
