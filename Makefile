# dealscope — built with PGXS, tested with pg_regress (make installcheck).
EXTENSION   = dealscope
EXTVERSION  = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" dealscope.control)
MODULE_big  = dealscope
OBJS        = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
PGFILEDESC  = "dealscope - deal and workload analytics"

# The install script is assembled from the per-concept SQL files that sit
# beside their C sources, in dependency order.  Parts not written yet are
# skipped, so a concept can be added without touching this list twice.
SQL_ORDER   = header endpoint endpoint_set rate_schedule calendar money prorate \
              catalog deal_model placement revenue_flow revenue exposure portable
SQL_PARTS   = $(wildcard $(patsubst %,src/%.sql,$(SQL_ORDER)))
DATA_built  = dealscope--$(EXTVERSION).sql
DATA        = $(wildcard updates/dealscope--*.sql)

# Every sql/NAME.sql is a regression test; each one creates the extension
# itself, so they do not depend on one another's order.
REGRESS     = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=plpgsql

PG_CFLAGS   = -std=gnu99 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror
EXTRA_CLEAN = $(DATA_built)

PG_CONFIG  ?= pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(SQL_PARTS) dealscope.control Makefile
	cat $(SQL_PARTS) > $@

# Source files list each other's headers; rebuild when any header changes.
$(OBJS): $(wildcard src/*.h)
