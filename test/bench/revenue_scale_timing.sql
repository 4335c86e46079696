-- one round of timings for revenue_scale.sql (workers = :w)
INSERT INTO timing SELECT 'floor: seller, currency, sum(amount)', :w, pg_temp.ms(
    'SELECT seller, currency, sum(amount) FROM dealscope.revenue_flow GROUP BY 1, 2');
INSERT INTO timing SELECT 'revenue_report monthly, 3 years', :w, pg_temp.ms(
    $q$SELECT * FROM dealscope.revenue_report('[2024-01-01,2027-01-01)')$q$);
INSERT INTO timing SELECT 'exposure seller1, quarterly', :w, pg_temp.ms(
    $q$SELECT * FROM dealscope.exposure('seller1', '[2024-01-01,2027-01-01)')$q$);
