-- Invariants of the whole extension: every object commented, every operator
-- class valid, every function's volatility, strictness and parallel safety
-- visible for review.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;

-- every operator class passes amvalidate()
SELECT opcname, amname, amvalidate(c.oid)
FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
WHERE opcnamespace = 'dealscope'::regnamespace ORDER BY 1, 2;

-- every object of the extension has a comment
SELECT pg_describe_object(d.classid, d.objid, 0) AS uncommented
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'dealscope')
  AND obj_description(d.objid, d.classid::regclass::text) IS NULL
  AND d.classid <> 'pg_type'::regclass
UNION ALL
SELECT format_type(t.oid, NULL) FROM pg_type t
WHERE t.typnamespace = 'dealscope'::regnamespace AND t.typtype IN ('b', 'e', 'd', 'c') AND t.typcategory <> 'A'
  AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
  AND obj_description(t.oid, 'pg_type') IS NULL
UNION ALL
SELECT c.oid::regclass || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = 'dealscope'::regnamespace AND c.relkind IN ('r', 'v')
  AND c.oid IN (SELECT objid FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e') AND a.attnum > 0
  AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
ORDER BY 1;


-- every function of the extension with its volatility, strictness and
-- parallel safety (i = immutable, s = stable, v = volatile; s = safe)
SELECT p.oid::regprocedure AS function, p.provolatile AS vol, p.proisstrict AS strict, p.proparallel AS par
FROM pg_proc p WHERE p.pronamespace = 'dealscope'::regnamespace
ORDER BY p.oid::regprocedure::text;
