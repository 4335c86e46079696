/*
 * guard.h — the extension's own schema, as the C code names it in SPI
 * queries (guard.c).
 */
#ifndef DEALSCOPE_GUARD_H
#define DEALSCOPE_GUARD_H

#include "postgres.h"

/*
 * The schema of extension dealscope, quoted for SQL (quote_identifier),
 * looked up through the extension (pg_extension.extnamespace), never
 * through a search_path.  Cached per backend and looked up again only after
 * a change to pg_namespace; *generation changes whenever the name does, so
 * a caller holding query texts or plans built with an earlier name knows to
 * rebuild them.  The string lives as long as the backend.
 */
extern const char *dealscope_schema_name(uint64 *generation);

#endif
