-- Every object of the extension dealscope in the current database, one line
-- each, in a fixed order: what it is, its signature or definition, and its
-- comment.  Two databases hold the same extension objects exactly when this
-- prints the same lines (the upgrade tests compare an updated installation
-- with a fresh one this way).  Used by test/upgrade.sh and test/managed/.
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'dealscope'),
members AS (
    SELECT d.classid, d.objid
    FROM pg_depend d, ext
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'),
lines AS (
    -- functions and aggregates: arguments, result, language, volatility, strictness, parallel safety, body
    SELECT 'function ' || p.oid::regprocedure::text || ' -> ' || pg_get_function_result(p.oid)
           || ' ' || l.lanname || ' ' || p.provolatile::text || CASE WHEN p.proisstrict THEN ' strict' ELSE '' END
           || ' ' || p.proparallel::text || ' ' || p.prokind::text
           || coalesce(' set ' || array_to_string(p.proconfig, ','), '')
           || ' md5:' || md5(coalesce(p.prosrc, '') || coalesce(pg_get_function_sqlbody(p.oid), ''))
           || ' -- ' || coalesce(obj_description(p.oid, 'pg_proc'), '(no comment)') AS line
    FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    JOIN pg_language l ON l.oid = p.prolang
    UNION ALL
    -- types and domains, with a domain's base type and constraints
    SELECT 'type ' || t.oid::regtype::text || ' ' || t.typtype::text
           || coalesce(' over ' || nullif(t.typbasetype, 0)::regtype::text, '')
           || coalesce(' ' || (SELECT string_agg(pg_get_constraintdef(c.oid), ' ' ORDER BY c.conname)
                                FROM pg_constraint c WHERE c.contypid = t.oid), '')
           || ' -- ' || coalesce(obj_description(t.oid, 'pg_type'), '(no comment)')
    FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
    UNION ALL
    -- tables, views, sequences, indexes
    SELECT 'relation ' || c.oid::regclass::text || ' ' || c.relkind::text
           || CASE WHEN c.relkind = 'v' THEN ' ' || coalesce(array_to_string(c.reloptions, ','), '')
                   || ' md5:' || md5(pg_get_viewdef(c.oid)) ELSE '' END
           || ' -- ' || coalesce(obj_description(c.oid, 'pg_class'), '(no comment)')
    FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    UNION ALL
    SELECT 'index ' || i.indexrelid::regclass::text || ' ' || pg_get_indexdef(i.indexrelid)
    FROM members m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
    UNION ALL
    -- columns of the extension's tables and composite types
    SELECT 'column ' || a.attrelid::regclass::text || '.' || a.attname || ' '
           || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
           || ' -- ' || coalesce(col_description(a.attrelid, a.attnum), '(no comment)')
    FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    UNION ALL
    SELECT 'constraint ' || c.conrelid::regclass::text || '.' || c.conname || ' ' || pg_get_constraintdef(c.oid)
    FROM members m JOIN pg_constraint c ON m.classid = 'pg_class'::regclass AND c.conrelid = m.objid
    UNION ALL
    SELECT 'grant ' || c.oid::regclass::text || ' ' || coalesce(c.relacl::text, '(default)')
    FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    UNION ALL
    -- operators, casts, operator classes and families, and anything else
    SELECT pg_describe_object(m.classid, m.objid, 0)
    FROM members m
    WHERE m.classid NOT IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_class'::regclass)
    UNION ALL
    SELECT 'schema ' || n.nspname || ' owner ' || n.nspowner::regrole::text || ' acl ' || coalesce(n.nspacl::text, '(default)')
    FROM pg_namespace n WHERE n.nspname IN ('dealscope', 'dealscope_reporting'))
SELECT line FROM lines ORDER BY line COLLATE "C";
