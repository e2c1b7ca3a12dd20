-- motions schema: organisations that are dissolved or succeeded (boundary changes, mergers).
--
-- A retired organisation keeps its row and its history; from `retired_on` it leaves the
-- registry that tallies count (status, tally, summary, report, map, motion list), while a
-- report as of an earlier day still counts it. `succeeded_by` names the body that took its
-- place, when there is one; removing that body clears the link.

ALTER TABLE org ADD COLUMN retired_on TEXT
    CHECK (retired_on IS NULL OR date(retired_on) IS retired_on);
ALTER TABLE org ADD COLUMN succeeded_by INTEGER REFERENCES org(id) ON DELETE SET NULL
    CHECK (succeeded_by IS NULL OR (retired_on IS NOT NULL AND succeeded_by IS NOT id));
