# dealscope — built with PGXS, tested with pg_regress (make installcheck).
EXTENSION   = dealscope
EXTVERSION  = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" dealscope.control)
MODULE_big  = dealscope
OBJS        = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
PGFILEDESC  = "dealscope - deal and workload analytics"

# The install script is assembled from the per-concept SQL files that sit
# beside their C sources, in dependency order.  Every part must exist: a
# missing one is a build error, not a smaller extension.
SQL_ORDER   = header guard endpoint endpoint_set rate_schedule calendar money prorate products party \
              catalog deal_model placement revenue_flow report_window fx revenue exposure deal_lint obligations focus portable \
              distributed reporting security
SQL_PARTS   = $(patsubst %,src/%.sql,$(SQL_ORDER))
DATA_built  = dealscope--$(EXTVERSION).sql
DATA        = $(wildcard updates/dealscope--*.sql)

# Every sql/NAME.sql is a regression test; each one creates the extension
# itself, so they do not depend on one another's order.
REGRESS     = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=plpgsql

# Warnings are errors in the tests (test/run passes COPT=-Werror), not here,
# so that a packager's newer compiler does not fail the build.
PG_CFLAGS   = -std=gnu99 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
EXTRA_CLEAN = $(DATA_built) managed/build

PG_CONFIG  ?= pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(SQL_PARTS) dealscope.control Makefile
	cat $(SQL_PARTS) > $@

# Source files list each other's headers; rebuild when any header changes.
$(OBJS): $(wildcard src/*.h)

# --- the managed edition (managed/): SQL and PL/pgSQL only ------------------
# For servers where a non-superuser installs through pg_tle (RDS, Aurora,
# Supabase), and for self-managed servers without the C library.
#   make managed          managed/build/: dealscope--$(EXTVERSION).sql and
#                         dealscope.control (the SQL-only extension), and
#                         dealscope-pgtle.sql (psql -f it to register with pg_tle)
#   make install-managed  the SQL-only extension into the server's extension
#                         directory.  It has the same name and files as the C
#                         edition's (dealscope.control, dealscope--*.sql), so
#                         installing one edition replaces the other: install
#                         ONE edition per server.  pg_tle also refuses to
#                         register dealscope where a dealscope.control exists.
# The parts in load order; every one must exist (a missing part is an error,
# not a smaller extension).  test/managed/devload loads the same list.
MANAGED_ORDER    = managed/src/guard.sql managed/src/endpoint.sql managed/src/endpoint_set.sql managed/src/rate_schedule.sql managed/src/portable.sql \
                   managed/src/calendar.sql managed/src/money.sql managed/src/prorate.sql \
                   src/party.sql src/catalog.sql src/deal_model.sql managed/src/products.sql managed/src/placement.sql \
                   src/revenue_flow.sql src/report_window.sql src/fx.sql managed/src/revenue.sql managed/src/exposure.sql src/deal_lint.sql src/obligations.sql src/focus.sql \
                   src/reporting.sql src/security.sql
# Earlier versions, frozen as they shipped, and the update scripts between them.
MANAGED_VERSIONS = $(sort $(wildcard managed/versions/dealscope--*.sql))
MANAGED_UPDATES  = $(sort $(wildcard managed/updates/dealscope--*--*.sql))
MANAGED_SCRIPT   = managed/build/dealscope--$(EXTVERSION).sql
MANAGED_CONTROL  = managed/build/dealscope.control
MANAGED_PGTLE    = managed/build/dealscope-pgtle.sql
EXTCOMMENT       = $(shell sed -n "s/^comment = '\(.*\)'/\1/p" dealscope.control)

.PHONY: managed install-managed uninstall-managed print-managed-order
managed: $(MANAGED_SCRIPT) $(MANAGED_CONTROL) $(MANAGED_PGTLE)

$(MANAGED_SCRIPT): $(wildcard $(MANAGED_ORDER)) dealscope.control Makefile
	@[ -n "$(strip $(MANAGED_ORDER))" ] || { echo "make managed: MANAGED_ORDER is empty" >&2; exit 1; }
	@missing=; for p in $(MANAGED_ORDER); do [ -f "$$p" ] || missing="$$missing $$p"; done; \
	 if [ -n "$$missing" ]; then echo "make managed: missing part(s) of MANAGED_ORDER:$$missing" >&2; exit 1; fi
	@mkdir -p $(dir $@)
	{ printf '%s\n' '-- dealscope $(EXTVERSION), managed edition (SQL only), assembled by the Makefile from MANAGED_ORDER.' \
	    '\echo Use "CREATE EXTENSION dealscope" to load this file. \quit'; \
	  cat $(MANAGED_ORDER); } > $@.tmp && mv $@.tmp $@

$(MANAGED_CONTROL): dealscope.control Makefile
	@mkdir -p $(dir $@)
	sed -e '/^module_pathname/d' -e 's/^# dealscope extension.*/# dealscope extension, managed edition (SQL only, no C library)/' dealscope.control > $@

$(MANAGED_PGTLE): $(MANAGED_SCRIPT) $(MANAGED_VERSIONS) $(MANAGED_UPDATES) managed/pgtle-script dealscope.control
	managed/pgtle-script dealscope $(EXTVERSION) "$(EXTCOMMENT)" \
	    "$$(sed -n "s/^schema = //p" dealscope.control)" $(MANAGED_SCRIPT) $(MANAGED_VERSIONS) $(MANAGED_UPDATES) > $@.tmp
	mv $@.tmp $@

install-managed: managed
	$(MKDIR_P) '$(DESTDIR)$(datadir)/extension'
	$(INSTALL_DATA) $(MANAGED_CONTROL) $(MANAGED_SCRIPT) $(MANAGED_VERSIONS) $(MANAGED_UPDATES) '$(DESTDIR)$(datadir)/extension/'

uninstall-managed:
	rm -f '$(DESTDIR)$(datadir)/extension/dealscope.control' \
	      $(foreach f,$(MANAGED_SCRIPT) $(MANAGED_VERSIONS) $(MANAGED_UPDATES),'$(DESTDIR)$(datadir)/extension/$(notdir $(f))')

# one part a line, for scripts that must load the same list
print-managed-order:
	@printf '%s\n' $(MANAGED_ORDER)
