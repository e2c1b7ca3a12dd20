-- SPDX-License-Identifier: MIT
-- The yardstick for `motions tally --motion motion-0 --by kind`: the sqlite3 shell counting one
-- motion's current statuses by kind of organisation, against the whole registry, from the
-- event history (each organisation's latest event not retracted: latest meeting date, ties
-- broken by the later record), served by the index on (motion, org, meeting date, id). It prints
-- what `tally --motion motion-0 --by kind --format csv` prints.
--
-- sqlite3 base.db < baseline_tally_one.sql      (base.db made by baseline_import.sql)
.mode csv
.headers on
WITH latest AS (
    SELECT org_id, status
    FROM (SELECT org_id, status,
                 row_number() OVER (PARTITION BY org_id ORDER BY meeting_date DESC, id DESC) AS n
          FROM outcome
          WHERE motion_id = (SELECT id FROM motion WHERE slug = 'motion-0')
            AND retracted_at IS NULL)
    WHERE n = 1),
moved AS (
    SELECT o.kind,
           count(*) AS moved,
           count(*) FILTER (WHERE l.status = 'passed' OR l.status = 'passed-amended') AS passed,
           count(*) FILTER (WHERE l.status = 'passed-amended') AS amended,
           count(*) FILTER (WHERE l.status = 'rejected') AS rejected,
           count(*) FILTER (WHERE l.status = 'planned' OR l.status = 'moved'
                               OR l.status = 'deferred' OR l.status = 'referred') AS pending,
           count(*) FILTER (WHERE l.status = 'withdrawn' OR l.status = 'ruled-out') AS dropped
    FROM latest l JOIN org o ON o.id = l.org_id
    GROUP BY o.kind),
registry AS (SELECT kind, count(*) AS registered FROM org GROUP BY kind)
SELECT r.kind, r.registered, coalesce(m.passed, 0) AS passed, coalesce(m.amended, 0) AS amended,
       coalesce(m.rejected, 0) AS rejected, coalesce(m.pending, 0) AS pending,
       coalesce(m.dropped, 0) AS dropped, r.registered - coalesce(m.moved, 0) AS not_moved
FROM registry r LEFT JOIN moved m ON m.kind = r.kind
ORDER BY CASE r.kind WHEN 'clp' THEN 1 WHEN 'labour-branch' THEN 2 WHEN 'momentum-group' THEN 3
                     WHEN 'union-branch' THEN 4 WHEN 'trades-council' THEN 5 ELSE 6 END;
