-- motions: the whole current schema, version 5.
--
-- A new database gets this in one step; an older one gets the numbered steps in migrations/
-- (frozen as shipped), which lead to the same schema: src/db/migrate.rs applies either inside an
-- IMMEDIATE transaction that also sets PRAGMA user_version (and PRAGMA application_id), and a
-- test proves that a new database and one migrated from every earlier version are alike.
-- Columns added by a later step come last in their table, where ALTER TABLE puts them.
--
-- Outcomes are an append-only history. The current status of an org for a motion is its latest
-- outcome (latest meeting_date, ties broken by the later record, i.e. the larger id). `standing`
-- caches that latest outcome per (motion, org) pair; the statement that records an outcome
-- (src/db/outcome.rs) updates it in the same transaction, so `status`, `tally` and `motion list`
-- read one row per pair instead of the whole history. `--as-of` reports read the history
-- through `outcome_by_pair`, which serves "latest event on or before a date" with one index seek
-- per org.
--
-- An outcome recorded in error is retracted, not deleted (version 2): it stays in the history
-- with when and why, and status, tallies and exports leave it out.

CREATE TABLE motion (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE
                CHECK (length(slug) BETWEEN 1 AND 64 AND slug NOT GLOB '*[^a-z0-9-]*'),
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    text        TEXT,
    issued_by   TEXT,
    issued_on   TEXT CHECK (issued_on IS NULL OR date(issued_on) IS issued_on),
    deadline    TEXT CHECK (deadline IS NULL OR date(deadline) IS deadline),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE org (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        TEXT NOT NULL CHECK (kind = 'clp' OR kind = 'labour-branch'
                                     OR kind = 'momentum-group' OR kind = 'union-branch'
                                     OR kind = 'trades-council' OR kind = 'other'),
    region      TEXT,
    union_name  TEXT,
    parent_id   INTEGER REFERENCES org(id) CHECK (parent_id IS NOT id),
    code        TEXT UNIQUE COLLATE NOCASE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- A retired organisation (dissolved, or succeeded by `succeeded_by`) keeps its history and
    -- leaves the registry that tallies count from `retired_on`; earlier days still count it.
    retired_on  TEXT CHECK (retired_on IS NULL OR date(retired_on) IS retired_on),
    succeeded_by INTEGER REFERENCES org(id) ON DELETE SET NULL
                CHECK (succeeded_by IS NULL OR (retired_on IS NOT NULL AND succeeded_by IS NOT id))
) STRICT;

CREATE INDEX org_by_name ON org(name COLLATE NOCASE);
CREATE INDEX org_by_kind ON org(kind);
CREATE INDEX org_by_region ON org(region COLLATE NOCASE);
CREATE INDEX org_by_union ON org(union_name COLLATE NOCASE);
CREATE INDEX org_by_parent ON org(parent_id);

-- Every name an org answers to: its own name and its aliases, under one key (trimmed, spaces
-- collapsed, Unicode lower case), so names and aliases can never collide and a lookup is one
-- seek whichever spelling is typed.
CREATE TABLE org_name (
    key         TEXT PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
    name        TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX org_name_by_org ON org_name(org_id);

CREATE TABLE outcome (
    id            INTEGER PRIMARY KEY,
    motion_id     INTEGER NOT NULL REFERENCES motion(id),
    org_id        INTEGER NOT NULL REFERENCES org(id),
    -- Written as ORs, not IN (...): SQLite builds an IN list afresh for every insert.
    status        TEXT NOT NULL CHECK (status = 'planned' OR status = 'moved'
                                       OR status = 'deferred' OR status = 'referred'
                                       OR status = 'passed' OR status = 'passed-amended'
                                       OR status = 'rejected' OR status = 'withdrawn'
                                       OR status = 'ruled-out'),
    meeting_date  TEXT NOT NULL CHECK (date(meeting_date) IS meeting_date),
    votes_for     INTEGER CHECK (votes_for >= 0),
    votes_against INTEGER CHECK (votes_against >= 0),
    votes_abstain INTEGER CHECK (votes_abstain >= 0),
    reported_by   TEXT,
    source        TEXT,
    notes         TEXT,
    recorded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    retracted_at  TEXT,
    retraction_reason TEXT
        CHECK ((retracted_at IS NULL) = (retraction_reason IS NULL))
) STRICT;

-- outcome_by_pair serves the lookups of the history: an org's events for a motion by date (the
-- latest on or before a day, the events of one meeting), and a motion's events (its timeline).
CREATE INDEX outcome_by_pair ON outcome(motion_id, org_id, meeting_date, id);

-- An organisation's events by motion and date (version 3): `history --org`, merging and removing
-- organisations.
CREATE INDEX outcome_by_org ON outcome(org_id, motion_id, meeting_date, id);

-- One meeting takes one decision on a motion (version 3): two decisions not retracted for the
-- same motion, organisation and meeting date cannot both be stored, whatever writes them.
CREATE UNIQUE INDEX one_decision_per_meeting ON outcome(motion_id, org_id, meeting_date)
    WHERE retracted_at IS NULL
      AND (status = 'passed' OR status = 'passed-amended' OR status = 'rejected');

CREATE TABLE standing (
    motion_id     INTEGER NOT NULL REFERENCES motion(id),
    org_id        INTEGER NOT NULL REFERENCES org(id),
    outcome_id    INTEGER NOT NULL REFERENCES outcome(id),
    status        TEXT NOT NULL,
    meeting_date  TEXT NOT NULL,
    PRIMARY KEY (motion_id, org_id)
) STRICT, WITHOUT ROWID;

-- The web intake (`motions serve`). A reporter is a person holding a link: only the SHA-256
-- of the link's token is kept. A submission from a reporter who is not trusted waits for review
-- (not in the history, not counted) until it is recorded or rejected.

CREATE TABLE reporter (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_hash      TEXT NOT NULL UNIQUE
                    CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    orgs_limited    INTEGER NOT NULL DEFAULT 0 CHECK (orgs_limited IN (0, 1)),
    motions_limited INTEGER NOT NULL DEFAULT 0 CHECK (motions_limited IN (0, 1)),
    trusted         INTEGER NOT NULL DEFAULT 0 CHECK (trusted IN (0, 1)),
    coordinator     INTEGER NOT NULL DEFAULT 0 CHECK (coordinator IN (0, 1)),
    expires         TEXT CHECK (expires IS NULL OR date(expires) IS expires),
    revoked_at      TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    last_used       TEXT
) STRICT;

CREATE TABLE reporter_org (
    reporter_id INTEGER NOT NULL REFERENCES reporter(id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
    PRIMARY KEY (reporter_id, org_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX reporter_org_by_org ON reporter_org(org_id);

CREATE TABLE reporter_motion (
    reporter_id INTEGER NOT NULL REFERENCES reporter(id) ON DELETE CASCADE,
    motion_id   INTEGER NOT NULL REFERENCES motion(id) ON DELETE CASCADE,
    PRIMARY KEY (reporter_id, motion_id)
) STRICT, WITHOUT ROWID;

-- When an organisation's names move to another (`org merge`), a link limited to it is limited
-- to the organisation it became, before the old one is removed.
CREATE TRIGGER reporter_org_follows_merge AFTER UPDATE OF org_id ON org_name
WHEN OLD.org_id IS NOT NEW.org_id
BEGIN
    INSERT OR IGNORE INTO reporter_org (reporter_id, org_id)
        SELECT reporter_id, NEW.org_id FROM reporter_org WHERE org_id = OLD.org_id;
END;

CREATE TABLE submission (
    id            INTEGER PRIMARY KEY,
    reporter_id   INTEGER NOT NULL REFERENCES reporter(id),
    state         TEXT NOT NULL DEFAULT 'awaiting-review'
                  CHECK (state IN ('awaiting-review', 'recorded', 'rejected')),
    motion_id     INTEGER NOT NULL REFERENCES motion(id),
    organisation  TEXT NOT NULL CHECK (length(organisation) BETWEEN 1 AND 200),
    status        TEXT NOT NULL CHECK (status IN ('planned', 'moved', 'deferred', 'referred',
                                                  'passed', 'passed-amended', 'rejected',
                                                  'withdrawn', 'ruled-out')),
    meeting_date  TEXT NOT NULL CHECK (date(meeting_date) IS meeting_date),
    votes_for     INTEGER CHECK (votes_for >= 0),
    votes_against INTEGER CHECK (votes_against >= 0),
    votes_abstain INTEGER CHECK (votes_abstain >= 0),
    source        TEXT,
    notes         TEXT,
    submitted_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    decided_at    TEXT,
    reason        TEXT,
    outcome_id    INTEGER REFERENCES outcome(id),
    CHECK ((state = 'awaiting-review') = (decided_at IS NULL)),
    CHECK ((state = 'recorded') = (outcome_id IS NOT NULL)),
    CHECK ((state = 'rejected') = (reason IS NOT NULL))
) STRICT;

CREATE INDEX submission_by_state ON submission(state, id);
-- Also finds a report sent twice while the first still waits.
CREATE INDEX submission_by_reporter
    ON submission(reporter_id, motion_id, organisation, meeting_date);
