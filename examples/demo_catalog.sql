-- dealscope demo, chapter 2: the cloud catalog.
SET search_path = dealscope, public;
\echo
\echo '== The catalog: regions per provider and owner'
SELECT p.provider, p.owner, count(r.region) AS regions, count(DISTINCT r.country) AS countries
FROM provider p LEFT JOIN region r USING (provider)
GROUP BY p.provider, p.owner ORDER BY regions DESC, p.provider;
\echo '== Which AWS and Azure regions are inside the EU?'
SELECT r.provider, string_agg(r.region || ' (' || r.country || ')', ', ' ORDER BY r.region) AS eu_regions
FROM region r JOIN jurisdiction j ON r.country = ANY (j.countries)
WHERE j.code = 'EU' AND r.provider IN ('aws', 'azure')
GROUP BY r.provider ORDER BY r.provider;
\echo '== A scope with a negation: AWS in the US, but not GovCloud'
SELECT endpoint(r.provider, r.region) AS endpoint
FROM region r
WHERE endpoint(r.provider, r.region) <@ 'aws/us-*, !aws/us-gov-*'::endpoint_set
ORDER BY 1;
