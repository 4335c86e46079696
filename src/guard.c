/*
 * guard.c — what keeps a trusted extension from handing its installer a
 * superuser's privileges, and its data from vanishing with DROP EXTENSION
 * (doc/reference.md, "Security" and "Uninstalling"; src/guard.sql).
 *
 * dealscope is trusted: any role with CREATE on a database installs it, and
 * the install script runs as the bootstrap superuser.  PostgreSQL creates
 * the schema named in the control file before the script runs, owned by
 * the installing role.  An owner may create objects in its schema and
 * rename it, so it could plant an overload such as
 * dealscope.placement_check(text, text, date), which calls with untyped
 * literals prefer, or rename the schema and put views named
 * dealscope.workload where the C code's queries look; a superuser calling a
 * dealscope function would then run the owner's code.  Therefore:
 *
 *  - the install script gives the schema to the bootstrap superuser
 *    (src/guard.sql), after install_guard('create') has made sure nobody
 *    else's object is in it and nobody else can still add one: the schema
 *    belongs to a superuser already, or was created in this very transaction
 *    (by CREATE EXTENSION, or by a restore run with --single-transaction),
 *    so no other session can see it before it changes hands;
 *  - the C code names its tables through the extension's catalog entry
 *    (dealscope_schema_name), not through a search_path or a literal name;
 *  - the event trigger dealscope_guard refuses to rename the schema (the
 *    SQL-language functions name it), to give it to a role that is not a
 *    superuser, and to grant CREATE on it;
 *  - and it refuses DROP EXTENSION dealscope (and DROP OWNED BY its owner)
 *    while the extension's tables hold rows that pg_dump would keep, unless
 *    the command says CASCADE or dealscope.allow_drop_with_data is on.  It
 *    fires at ddl_command_start, before anything is dropped; a sql_drop
 *    trigger that is a member of the extension does not fire when the
 *    extension itself is dropped (measured on PostgreSQL 15).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_class.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "guard.h"

#define EXTENSION_NAME "dealscope"

static bool allow_drop_with_data = false;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomBoolVariable("dealscope.allow_drop_with_data",
							 "Lets DROP EXTENSION dealscope drop the extension's tables while they hold user rows.",
							 "Without it (or CASCADE), DROP EXTENSION dealscope and DROP OWNED BY the extension's owner "
							 "are refused while a table of the extension holds rows pg_dump would keep.",
							 &allow_drop_with_data,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}

/* ------------------------------------------------------- the schema */

/* pg_extension.extnamespace of extension ext. */
static Oid
extension_schema(Oid ext)
{
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tup;
	Oid			nsp = InvalidOid;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(ext));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		nsp = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!OidIsValid(nsp))
		elog(ERROR, "dealscope: extension %u not found", ext);
	return nsp;
}

static bool schema_cache_valid = false;
static bool schema_callback_registered = false;
static char *schema_cache_name = NULL;
static uint64 schema_cache_generation = 0;

static void
schema_cache_invalidate(Datum arg, int cacheid, uint32 hashvalue)
{
	schema_cache_valid = false;
}

const char *
dealscope_schema_name(uint64 *generation)
{
	if (!schema_cache_valid)
	{
		Oid			nsp;
		char	   *name;
		const char *quoted;

		if (!schema_callback_registered)
		{
			CacheRegisterSyscacheCallback(NAMESPACEOID, schema_cache_invalidate, (Datum) 0);
			schema_callback_registered = true;
		}
		/* valid from here on unless an invalidation arrives meanwhile */
		schema_cache_valid = true;
		nsp = extension_schema(get_extension_oid(EXTENSION_NAME, false));
		name = get_namespace_name(nsp);
		if (name == NULL)
			elog(ERROR, "dealscope: schema %u not found", nsp);
		quoted = quote_identifier(name);
		if (schema_cache_name == NULL || strcmp(schema_cache_name, quoted) != 0)
		{
			char	   *copy = MemoryContextStrdup(TopMemoryContext, quoted);

			if (schema_cache_name)
				pfree(schema_cache_name);
			schema_cache_name = copy;
			schema_cache_generation++;
		}
	}
	*generation = schema_cache_generation;
	return schema_cache_name;
}

/* ------------------------------------------- install and update guard */

/* Is (classid, objid) a member of extension ext? */
static bool
is_member(Oid classid, Oid objid, Oid ext)
{
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key[2];
	HeapTuple	tup;
	bool		found = false;

	rel = table_open(DependRelationId, AccessShareLock);
	ScanKeyInit(&key[0], Anum_pg_depend_classid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(classid));
	ScanKeyInit(&key[1], Anum_pg_depend_objid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(objid));
	scan = systable_beginscan(rel, DependDependerIndexId, true, NULL, 2, key);
	while (!found && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_depend d = (Form_pg_depend) GETSTRUCT(tup);

		found = d->refclassid == ExtensionRelationId && d->refobjid == ext &&
			d->deptype == DEPENDENCY_EXTENSION;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

/*
 * Objects in schema nsp that are not members of extension ext (nor ext
 * itself), described one per line into out; returns how many.
 */
static int
foreign_objects(Oid nsp, Oid ext, StringInfo out)
{
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key[2];
	HeapTuple	tup;
	List	   *found = NIL;
	ListCell   *lc;
	int			n = 0;

	rel = table_open(DependRelationId, AccessShareLock);
	ScanKeyInit(&key[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(NamespaceRelationId));
	ScanKeyInit(&key[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(nsp));
	scan = systable_beginscan(rel, DependReferenceIndexId, true, NULL, 2, key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_depend d = (Form_pg_depend) GETSTRUCT(tup);
		ObjectAddress *a;

		if (d->classid == ExtensionRelationId && d->objid == ext)
			continue;
		a = palloc(sizeof(ObjectAddress));
		a->classId = d->classid;
		a->objectId = d->objid;
		a->objectSubId = d->objsubid;
		found = lappend(found, a);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);

	foreach(lc, found)
	{
		ObjectAddress *a = (ObjectAddress *) lfirst(lc);
		char	   *desc;

		if (is_member(a->classId, a->objectId, ext))
			continue;
		desc = getObjectDescription(a, true);
		appendStringInfo(out, "%s%s", n > 0 ? ", " : "", desc ? desc : "(an object being dropped)");
		n++;
	}
	return n;
}

/*
 * install_guard(stage): called by the install script before it creates
 * anything ('create') and by update scripts before ('update') and after
 * ('end') they take the schema over.  Raises an error, which aborts CREATE
 * or ALTER EXTENSION, when the schema is not safe to hand to the bootstrap
 * superuser.
 */
PG_FUNCTION_INFO_V1(dealscope_install_guard);
Datum
dealscope_install_guard(PG_FUNCTION_ARGS)
{
	char	   *stage = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Oid			ext,
				nsp,
				owner;
	HeapTuple	tup;
	char	   *nspname;
	bool		created_here;
	bool		isnull;
	Datum		acldatum;
	Acl		   *acl = NULL;
	StringInfoData list;

	if (strcmp(stage, "create") != 0 && strcmp(stage, "update") != 0 && strcmp(stage, "end") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown install_guard stage \"%s\"", stage)));
	if (!creating_extension)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("install_guard runs only in the extension's install and update scripts")));
	ext = CurrentExtensionObject;
	nsp = extension_schema(ext);

	tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "dealscope: schema %u not found", nsp);
	nspname = pstrdup(NameStr(((Form_pg_namespace) GETSTRUCT(tup))->nspname));
	owner = ((Form_pg_namespace) GETSTRUCT(tup))->nspowner;

	/*
	 * Inserted (not updated) by this transaction: nobody else can see the
	 * schema yet, so nobody else can put anything into it before it changes
	 * hands at commit.
	 */
	created_here = TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetXmin(tup->t_data)) &&
		(tup->t_data->t_infomask & HEAP_UPDATED) == 0;
	acldatum = SysCacheGetAttr(NAMESPACEOID, tup, Anum_pg_namespace_nspacl, &isnull);
	if (!isnull)
		acl = DatumGetAclPCopy(acldatum);
	ReleaseSysCache(tup);

	initStringInfo(&list);
	if (foreign_objects(nsp, ext, &list) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("schema \"%s\" holds objects that do not belong to extension %s: %s",
						nspname, EXTENSION_NAME, list.data),
				 errdetail("The extension's schema belongs to a superuser and must hold only the extension's objects, "
						   "so that no one else's function, operator or view can be called in the extension's name."),
				 errhint("Move them to another schema (ALTER ... SET SCHEMA) or drop them, then try again.")));

	if (strcmp(stage, "create") == 0 && !superuser_arg(owner) && !created_here)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("schema \"%s\" already exists and belongs to role \"%s\", which is not a superuser",
						nspname, GetUserNameFromId(owner, false)),
				 errdetail("The install script gives the schema to the bootstrap superuser; a schema created "
						   "earlier could still receive objects of its owner while CREATE EXTENSION runs."),
				 errhint("Drop the empty schema and let CREATE EXTENSION create it, or create it in the same "
						 "transaction (a restore: pg_restore --single-transaction --no-owner).")));

	if (strcmp(stage, "end") == 0 && !superuser_arg(owner))
		elog(ERROR, "dealscope: the update script did not take schema \"%s\" over", nspname);

	/* nobody but a superuser may create objects in it ('update' revokes such grants) */
	if (acl != NULL && strcmp(stage, "update") != 0)
	{
		Datum	   *items;
		int			nitems,
					i;
		int16		typlen;
		bool		typbyval;
		char		typalign;

		get_typlenbyvalalign(ACLITEMOID, &typlen, &typbyval, &typalign);
		deconstruct_array(acl, ACLITEMOID, typlen, typbyval, typalign, &items, NULL, &nitems);
		for (i = 0; i < nitems; i++)
		{
			AclItem    *item = DatumGetAclItemP(items[i]);
			Oid			grantee = item->ai_grantee;

			if ((ACLITEM_GET_PRIVS(*item) & ACL_CREATE) == 0 || grantee == owner)
				continue;
			if (grantee == ACL_ID_PUBLIC || !superuser_arg(grantee))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("%s may create objects in schema \"%s\"",
								grantee == ACL_ID_PUBLIC ? "PUBLIC" :
								psprintf("role \"%s\"", GetUserNameFromId(grantee, false)),
								nspname),
						 errdetail("The extension's schema must not take objects from roles that are not superusers."),
						 errhint("REVOKE CREATE ON SCHEMA %s FROM %s, then try again.",
								 quote_identifier(nspname),
								 grantee == ACL_ID_PUBLIC ? "PUBLIC" :
								 quote_identifier(GetUserNameFromId(grantee, false)))));
		}
	}
	PG_RETURN_VOID();
}

/* ------------------------------------------------------ the event trigger */

/* Is name among the String nodes of list? */
static bool
names_include(List *names, const char *name)
{
	ListCell   *lc;

	foreach(lc, names)
	{
		Node	   *n = (Node *) lfirst(lc);

		if (IsA(n, String) && strcmp(strVal(n), name) == 0)
			return true;
	}
	return false;
}

/*
 * The tables of extension ext (those pg_extension_config_dump registered)
 * that hold rows pg_dump would keep, comma-separated, or NULL.  Read as the
 * bootstrap superuser, so that row-level security hides no row from the
 * count, with a search_path of pg_catalog only.
 */
static char *
tables_with_user_rows(Oid ext, int *ntables)
{
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tup;
	Datum		d;
	bool		isnull;
	Datum	   *rels = NULL,
			   *conds = NULL;
	int			nrels = 0,
				nconds = 0,
				i;
	StringInfoData out;
	Oid			save_userid;
	int			save_sec;
	int			save_nestlevel;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(ext));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		d = heap_getattr(tup, Anum_pg_extension_extconfig, RelationGetDescr(rel), &isnull);
		if (!isnull)
			deconstruct_array(DatumGetArrayTypePCopy(d), OIDOID, sizeof(Oid), true,
							  TYPALIGN_INT, &rels, NULL, &nrels);
		d = heap_getattr(tup, Anum_pg_extension_extcondition, RelationGetDescr(rel), &isnull);
		if (!isnull)
			deconstruct_array(DatumGetArrayTypePCopy(d), TEXTOID, -1, false,
							  TYPALIGN_INT, &conds, NULL, &nconds);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (nrels == 0)
		return NULL;

	initStringInfo(&out);
	*ntables = 0;
	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(BOOTSTRAP_SUPERUSERID,
						   save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "dealscope: SPI_connect failed");
	for (i = 0; i < nrels; i++)
	{
		Oid			relid = DatumGetObjectId(rels[i]);
		char		relkind = get_rel_relkind(relid);
		char	   *nspname;
		char	   *relname;
		char	   *qualified;

		if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
			continue;			/* sequences: their value is not a user row */
		nspname = get_namespace_name(get_rel_namespace(relid));
		relname = get_rel_name(relid);
		if (nspname == NULL || relname == NULL)
			continue;
		qualified = quote_qualified_identifier(nspname, relname);
		if (SPI_execute(psprintf("SELECT 1 FROM %s %s LIMIT 1", qualified,
								 i < nconds ? TextDatumGetCString(conds[i]) : ""),
						true, 1) != SPI_OK_SELECT)
			elog(ERROR, "dealscope: reading %s failed", qualified);
		if (SPI_processed > 0)
		{
			appendStringInfo(&out, "%s%s", out.len > 0 ? ", " : "", qualified);
			(*ntables)++;
		}
	}
	SPI_finish();
	AtEOXact_GUC(false, save_nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec);
	return out.len > 0 ? out.data : NULL;
}

static void
refuse_drop_with_data(Oid ext, const char *command)
{
	char	   *tables;
	int			n;

	if (allow_drop_with_data)
		return;
	tables = tables_with_user_rows(ext, &n);
	if (tables == NULL)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
			 errmsg("%s would delete the user rows in %s", command, tables),
			 errdetail("Dropping the extension drops its table%s with %s rows: rows users added, which pg_dump keeps, "
					   "not rows the extension ships.", n > 1 ? "s" : "", n > 1 ? "their" : "its"),
			 errhint("Keep them first (pg_dump --data-only --schema=%s); to drop anyway, add CASCADE or "
					 "SET dealscope.allow_drop_with_data = on.",
					 quote_identifier(get_namespace_name(extension_schema(ext))))));
}

/*
 * ddl_command_start, for DROP EXTENSION, DROP OWNED, ALTER SCHEMA and GRANT
 * (the event trigger's WHEN TAG list): everything else returns at once.
 */
PG_FUNCTION_INFO_V1(dealscope_ddl_guard);
Datum
dealscope_ddl_guard(PG_FUNCTION_ARGS)
{
	EventTriggerData *trig;
	Node	   *tree;
	Oid			ext;
	char	   *nspname;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_EVENT_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ddl_guard runs only as an event trigger")));
	trig = (EventTriggerData *) fcinfo->context;
	tree = trig->parsetree;
	ext = getExtensionOfObject(ProcedureRelationId, fcinfo->flinfo->fn_oid);
	if (!OidIsValid(ext))
		PG_RETURN_NULL();		/* not installed as the extension's member */
	nspname = get_namespace_name(extension_schema(ext));

	if (IsA(tree, DropStmt))
	{
		DropStmt   *s = (DropStmt *) tree;

		if (s->removeType == OBJECT_EXTENSION && s->behavior != DROP_CASCADE &&
			names_include(s->objects, EXTENSION_NAME))
			refuse_drop_with_data(ext, "DROP EXTENSION " EXTENSION_NAME);
	}
	else if (IsA(tree, DropOwnedStmt))
	{
		DropOwnedStmt *s = (DropOwnedStmt *) tree;
		Relation	rel;
		SysScanDesc scan;
		ScanKeyData key;
		HeapTuple	tup;
		Oid			extowner = InvalidOid;
		ListCell   *lc;

		rel = table_open(ExtensionRelationId, AccessShareLock);
		ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(ext));
		scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
		tup = systable_getnext(scan);
		if (HeapTupleIsValid(tup))
			extowner = ((Form_pg_extension) GETSTRUCT(tup))->extowner;
		systable_endscan(scan);
		table_close(rel, AccessShareLock);

		if (s->behavior != DROP_CASCADE)
			foreach(lc, s->roles)
			{
				if (get_rolespec_oid((RoleSpec *) lfirst(lc), true) == extowner)
				{
					refuse_drop_with_data(ext, psprintf("DROP OWNED BY %s",
														quote_identifier(GetUserNameFromId(extowner, false))));
					break;
				}
			}
	}
	else if (IsA(tree, RenameStmt))
	{
		RenameStmt *s = (RenameStmt *) tree;

		if (s->renameType == OBJECT_SCHEMA && s->subname && strcmp(s->subname, nspname) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("schema \"%s\" of extension %s cannot be renamed", nspname, EXTENSION_NAME),
					 errdetail("The extension's functions name their schema; under another name they would "
							   "read whatever a role then creates under this one.")));
	}
	else if (IsA(tree, AlterOwnerStmt))
	{
		AlterOwnerStmt *s = (AlterOwnerStmt *) tree;

		if (s->objectType == OBJECT_SCHEMA && s->object && IsA(s->object, String) &&
			strcmp(strVal(s->object), nspname) == 0 &&
			!superuser_arg(get_rolespec_oid(s->newowner, false)))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("schema \"%s\" of extension %s must belong to a superuser", nspname, EXTENSION_NAME),
					 errdetail("Its owner could create objects in it, e.g. an overload of a dealscope function, "
							   "which would then run with the privileges of whoever calls that function.")));
	}
	else if (IsA(tree, GrantStmt))
	{
		GrantStmt  *s = (GrantStmt *) tree;
		bool		create = (s->privileges == NIL);	/* ALL */
		ListCell   *lc;

		foreach(lc, s->privileges)
		{
			AccessPriv *p = (AccessPriv *) lfirst(lc);

			if (p->priv_name == NULL || strcmp(p->priv_name, "create") == 0)
				create = true;
		}
		if (s->is_grant && s->objtype == OBJECT_SCHEMA && s->targtype == ACL_TARGET_OBJECT &&
			create && names_include(s->objects, nspname))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("CREATE on schema \"%s\" of extension %s cannot be granted", nspname, EXTENSION_NAME),
					 errdetail("A role that may create objects in it could create an overload of a dealscope "
							   "function, which would then run with the privileges of whoever calls that function."),
					 errhint("Grant USAGE only; put your own objects in a schema of your own.")));
	}
	PG_RETURN_NULL();
}
