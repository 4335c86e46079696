-- The queries every client test (test/clients.sh) runs with each driver, in
-- every mode, and compares value by value with psql's text output of the
-- same query.  One query a line, "name: SQL".  No search_path is set: every
-- name is qualified, every custom-typed argument is a bare literal.
-- The questions (doc/reference.md, "Placement" and "Reports")
placement_check: SELECT * FROM dealscope.placement_check('agents-enterprise', 'aws/us-east-1', '2026-06-03')
placement_check_blocked: SELECT * FROM dealscope.placement_check('chatgpt', 'gcp/us-central1', '2026-01-15')
placement_reasons: SELECT * FROM dealscope.placement_reasons('agents-enterprise', 'aws/us-east-1/bedrock', '2026-05-15')
placement_matrix: SELECT * FROM dealscope.placement_matrix('2026-05-15') ORDER BY workload_id, endpoint::text COLLATE "C"
placement_matrix_candidates: SELECT * FROM dealscope.placement_matrix('2026-06-03', '{aws/us-east-1,azure/eastus,gcp/us-central1/vertex,eu-cloud/fra-1}') ORDER BY workload_id, endpoint::text COLLATE "C"
placement_summary: SELECT * FROM dealscope.placement_summary('2026-06-03') ORDER BY 1
revenue_slices: SELECT * FROM dealscope.revenue_slices('[2026-01-01,2027-01-01)', 'quarter') ORDER BY flow_id, slice_start
revenue_report: SELECT * FROM dealscope.revenue_report('[2025-07-01,2027-07-01)', 'quarter', 7) r ORDER BY r::text COLLATE "C"
exposure: SELECT * FROM dealscope.exposure('openai', '[2025-07-01,2027-07-01)') e ORDER BY e::text COLLATE "C"
concentration: SELECT * FROM dealscope.concentration('openai', '[2026-01-01,2027-01-01)')
partner_status: SELECT * FROM dealscope.partner_status('openai', '2026-12-31')
prorate: SELECT * FROM dealscope.prorate(1000.00, '[2026-01-15,2026-04-15)', 'month', 1, 'JPY', '{[2026-01-01,2026-03-01) 20%->10%}')
slice_of: SELECT * FROM dealscope.slice_of('2026-05-17', 'quarter', 7)
-- The reporting schema's views
v_party: SELECT * FROM dealscope_reporting.party ORDER BY id
v_provider: SELECT * FROM dealscope_reporting.provider ORDER BY provider
v_region: SELECT * FROM dealscope_reporting.region ORDER BY provider, region
v_jurisdiction: SELECT * FROM dealscope_reporting.jurisdiction ORDER BY code
v_deal: SELECT * FROM dealscope_reporting.deal ORDER BY id
v_clause: SELECT * FROM dealscope_reporting.clause ORDER BY id
v_workload: SELECT * FROM dealscope_reporting.workload ORDER BY id
v_placement_event: SELECT * FROM dealscope_reporting.placement_event e ORDER BY e::text COLLATE "C"
v_revenue_flow: SELECT * FROM dealscope_reporting.revenue_flow ORDER BY id
v_placement_matrix_today: SELECT * FROM dealscope_reporting.placement_matrix_today ORDER BY workload_id, endpoint::text COLLATE "C"
v_placement_summary_today: SELECT * FROM dealscope_reporting.placement_summary_today ORDER BY workload_id
v_partner_status_today: SELECT * FROM dealscope_reporting.partner_status_today p ORDER BY p::text COLLATE "C"
-- filters and aggregates on the views: plain text operators, no search_path
v_filter_channel: SELECT id, channel, amount FROM dealscope_reporting.revenue_flow WHERE channel = 'azure/eastus' AND period_from >= '2026-01-01' ORDER BY id
v_min_channel: SELECT min(channel), max(channel), count(DISTINCT channel) FROM dealscope_reporting.revenue_flow
v_filter_kind: SELECT id, kind, scope, rate FROM dealscope_reporting.clause WHERE kind = 'revenue_share' ORDER BY id
-- The reporting schema's functions (text in place of the custom types)
r_placement_check: SELECT * FROM dealscope_reporting.placement_check('agents-enterprise', 'AWS/us-east-1', '2026-06-03')
r_placement_reasons: SELECT * FROM dealscope_reporting.placement_reasons('agents-enterprise', 'aws/us-east-1', '2026-06-03')
r_placement_matrix: SELECT * FROM dealscope_reporting.placement_matrix('2026-06-03', '{aws/us-east-1,Azure/EastUS}') ORDER BY workload_id, endpoint::text COLLATE "C"
r_placement_summary: SELECT * FROM dealscope_reporting.placement_summary('2026-06-03', '{aws/us-east-1,azure/eastus}') ORDER BY 1
