-- motions schema version 2: corrections that keep history.
--
-- An outcome recorded in error is retracted, not deleted: it stays in the history with when and
-- why, and status, tallies and exports leave it out. The standing cache is rebuilt for the pair
-- in the same transaction as each retraction (src/db/correct.rs).

ALTER TABLE outcome ADD COLUMN retracted_at TEXT;
ALTER TABLE outcome ADD COLUMN retraction_reason TEXT
    CHECK ((retracted_at IS NULL) = (retraction_reason IS NULL));
