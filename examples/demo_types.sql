-- dealscope demo, chapter 1: endpoints and scopes.
SET search_path = dealscope, public;
\echo
\echo '== Endpoints: provider/region[/service], canonical and ordered'
SELECT e AS endpoint, provider(e), region(e), coalesce(service(e), '(whole region)') AS service
FROM unnest(ARRAY['AWS/us-east-1/Bedrock', 'azure/eastus', 'openai/global/api',
                  'gcp/europe-west4/vertex-ai']::endpoint[]) AS e
ORDER BY e;
\echo '== A bad endpoint is rejected with the segment at fault'
-- (caught and shown as a notice, so the demo prints no ERROR line)
DO $$
DECLARE
    detail text;
BEGIN
    PERFORM 'aws/us east 1'::dealscope.endpoint;
EXCEPTION WHEN invalid_text_representation THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RAISE NOTICE 'rejected with SQLSTATE %: % (%)', SQLSTATE, SQLERRM, detail;
END $$;
