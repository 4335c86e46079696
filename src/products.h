/*
 * products.h — matching a product name against a clause's products list
 * (doc/design.md, "The deal model"): comma-separated globs, '*' matching
 * any run of characters, white space around each glob ignored,
 * case-sensitive.  Placement and the revenue reports both decide "does this
 * clause cover this product" here, so the two can never disagree about it.
 */
#ifndef DEALSCOPE_PRODUCTS_H
#define DEALSCOPE_PRODUCTS_H

#include "postgres.h"

/*
 * Does product (prodlen bytes, not necessarily NUL-terminated) match one of
 * the comma-separated globs in list (NUL-terminated)?  A NULL product (a
 * revenue flow whose product is unknown) matches only a list holding a glob
 * made of '*' alone.  Each glob costs time linear in its length plus
 * prodlen (never the product of the two); interrupts are checked after
 * each glob and every megabyte scanned.  Allocates only for a literal run
 * (the characters between two stars) longer than 256 bytes.
 */
extern bool products_match(const char *list, const char *product, int prodlen);

#endif
