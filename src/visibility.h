/*
 * visibility.h — when may a cache built from table reads be used again?
 * (doc/design.md, "Caches and row-level security")
 *
 * The placement pair model and revenue's clause cache read the deal model
 * through SPI once and then answer many calls from memory.  A call may
 * reuse what an earlier call read only when a fresh read would return the
 * same rows.  Those rows depend on
 *   - who reads: row-level security policies (and column privileges) are
 *     applied for the current user, so SET ROLE between two calls of one
 *     PL/pgSQL expression must not let the second role see the first
 *     role's rows; row_security = off lets a table owner see everything;
 *   - what the snapshot shows: a command of the same transaction may have
 *     inserted rows (command id), another transaction may have committed
 *     (READ COMMITTED takes a new snapshot per statement), a subtransaction
 *     may have rolled back rows the cache had seen (its id changes).
 * VisibilityKey records all of that; a cache is used again only when the
 * key of the current call equals the key it was built under.  A PL/pgSQL
 * expression keeps its function's cache for the whole transaction, so this
 * check runs on every call; it reads a few backend globals and costs a few
 * nanoseconds.
 *
 * Not covered: a policy whose expression reads a session setting
 * (current_setting('app.tenant')) changed between two calls of the same
 * PL/pgSQL expression with no write in between; no cheap witness of such a
 * change exists.  Each SQL statement builds its caches afresh, so that
 * pattern is safe as soon as the calls are separate statements.
 */
#ifndef DEALSCOPE_VISIBILITY_H
#define DEALSCOPE_VISIBILITY_H

#include "postgres.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

typedef struct VisibilityKey
{
	Oid			userid;			/* GetUserId(): SET ROLE, SECURITY DEFINER */
	bool		row_security;	/* the row_security setting */
	LocalTransactionId lxid;	/* this backend's transaction */
	SubTransactionId subxid;	/* its current subtransaction */
	bool		has_snapshot;
	TransactionId xmin;			/* the active snapshot ... */
	TransactionId xmax;
	uint32		xcnt;
	int32		subxcnt;
	CommandId	curcid;
} VisibilityKey;

/*
 * The key of the current call.  Of the snapshot, xmin, xmax and the counts
 * stand for the set of running transactions: with xmax unchanged that set
 * can only shrink, so equal counts mean equal sets.
 */
static inline void
visibility_key_current(VisibilityKey *k)
{
	memset(k, 0, sizeof(VisibilityKey));
	k->userid = GetUserId();
	k->row_security = row_security;
	k->lxid = MyProc->lxid;
	k->subxid = GetCurrentSubTransactionId();
	if (ActiveSnapshotSet())
	{
		Snapshot	snap = GetActiveSnapshot();

		k->has_snapshot = true;
		k->xmin = snap->xmin;
		k->xmax = snap->xmax;
		k->xcnt = snap->xcnt;
		k->subxcnt = snap->subxcnt;
		k->curcid = snap->curcid;
	}
}

/*
 * Would a read now see what a read under key k saw?  Field by field, the
 * cheapest first: this runs on every call of the functions that cache.
 */
static inline bool
visibility_key_matches(const VisibilityKey *k)
{
	Snapshot	snap;

	if (k->userid != GetUserId() || k->row_security != row_security ||
		k->lxid != MyProc->lxid || k->subxid != GetCurrentSubTransactionId())
		return false;
	if (!ActiveSnapshotSet())
		return !k->has_snapshot;
	snap = GetActiveSnapshot();
	return k->has_snapshot && k->curcid == snap->curcid &&
		k->xmin == snap->xmin && k->xmax == snap->xmax &&
		k->xcnt == snap->xcnt && k->subxcnt == snap->subxcnt;
}

#endif
