-- motions schema version 3: what the store enforces itself.
--
-- An organisation's events by motion and date, for lookups by organisation (`history --org`,
-- merging and removing organisations), as outcome_by_pair serves lookups by motion.
--
-- One meeting takes one decision on a motion: two decisions (passed, passed-amended, rejected)
-- not retracted for the same motion, organisation and meeting date cannot both be stored. The
-- tool refuses them before writing (src/db/outcome.rs); the index makes it impossible whatever
-- writes. src/db/migrate.rs applies this step only when no such pair is stored: otherwise it
-- changes nothing and lists them, to be retracted first.

CREATE INDEX outcome_by_org ON outcome(org_id, motion_id, meeting_date, id);

CREATE UNIQUE INDEX one_decision_per_meeting ON outcome(motion_id, org_id, meeting_date)
    WHERE retracted_at IS NULL
      AND (status = 'passed' OR status = 'passed-amended' OR status = 'rejected');
