-- SPDX-License-Identifier: MIT
-- The yardstick for `motions motion list`: the sqlite3 shell listing every motion with its
-- headline tally (current statuses counted against the whole registry) and its latest event,
-- from the event history: each (motion, organisation) pair's latest event not retracted, for
-- every motion at once. It prints what `motion list --format csv` prints.
--
-- sqlite3 base.db < baseline_motion_list.sql    (base.db made by baseline_import.sql)
.mode csv
.headers on
WITH latest AS (
    SELECT motion_id, status, meeting_date
    FROM (SELECT motion_id, status, meeting_date,
                 row_number() OVER (PARTITION BY motion_id, org_id
                                    ORDER BY meeting_date DESC, id DESC) AS n
          FROM outcome WHERE retracted_at IS NULL)
    WHERE n = 1),
counts AS (
    SELECT motion_id,
           count(*) AS moved,
           count(*) FILTER (WHERE status = 'passed' OR status = 'passed-amended') AS passed,
           count(*) FILTER (WHERE status = 'passed-amended') AS amended,
           count(*) FILTER (WHERE status = 'rejected') AS rejected,
           count(*) FILTER (WHERE status = 'planned' OR status = 'moved'
                               OR status = 'deferred' OR status = 'referred') AS pending,
           count(*) FILTER (WHERE status = 'withdrawn' OR status = 'ruled-out') AS dropped,
           max(meeting_date) AS latest_event
    FROM latest GROUP BY motion_id),
registry AS (SELECT count(*) AS registered FROM org)
SELECT m.slug, m.title, m.issued_by, m.issued_on, m.deadline, r.registered,
       coalesce(c.passed, 0) AS passed, coalesce(c.amended, 0) AS amended,
       coalesce(c.rejected, 0) AS rejected, coalesce(c.pending, 0) AS pending,
       coalesce(c.dropped, 0) AS dropped, r.registered - coalesce(c.moved, 0) AS not_moved,
       c.latest_event
FROM motion m CROSS JOIN registry r LEFT JOIN counts c ON c.motion_id = m.id
ORDER BY m.id;
