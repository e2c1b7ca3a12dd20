-- SPDX-License-Identifier: MIT
-- The yardstick for `motions export outcomes`: the sqlite3 shell writing every event not
-- retracted as CSV, with the columns of outcomes.csv, ordered by motion, organisation (case
-- aside), meeting date, then the order of recording.
--
-- sqlite3 base.db < baseline_export.sql > outcomes.csv    (base.db made by baseline_import.sql)
.mode csv
.headers on
SELECT m.slug AS motion, o.name AS organisation, e.status, e.meeting_date, e.votes_for,
       e.votes_against, e.votes_abstain, e.reported_by, e.source, e.notes
FROM outcome e JOIN motion m ON m.id = e.motion_id JOIN org o ON o.id = e.org_id
WHERE e.retracted_at IS NULL
ORDER BY m.slug, o.name COLLATE NOCASE, o.id, e.meeting_date, e.id;
