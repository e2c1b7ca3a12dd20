-- motions: the whole schema, version 1.
--
-- Applied once by the migration runner in src/db/migrate.rs, inside an IMMEDIATE transaction
-- that also sets PRAGMA user_version = 1 and PRAGMA application_id.
--
-- Outcomes are an append-only history. The current status of an org for a motion is its latest
-- outcome (latest meeting_date, ties broken by the later record, i.e. the larger id). `standing`
-- caches that latest outcome per (motion, org) pair and is kept in step by a trigger in the same
-- transaction as every insert, so `status`, `tally` and `motion list` read one row per pair
-- instead of the whole history. `--as-of` reports read the history through `outcome_by_pair`,
-- which serves "latest event on or before a date" with one index seek per org.

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
    kind        TEXT NOT NULL CHECK (kind IN ('clp', 'labour-branch', 'momentum-group',
                                              'union-branch', 'trades-council', 'other')),
    region      TEXT,
    union_name  TEXT,
    parent_id   INTEGER REFERENCES org(id) CHECK (parent_id IS NOT id),
    code        TEXT UNIQUE COLLATE NOCASE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

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
    status        TEXT NOT NULL CHECK (status IN ('planned', 'moved', 'deferred', 'referred',
                                                  'passed', 'passed-amended', 'rejected',
                                                  'withdrawn', 'ruled-out')),
    meeting_date  TEXT NOT NULL CHECK (date(meeting_date) IS meeting_date),
    votes_for     INTEGER CHECK (votes_for >= 0),
    votes_against INTEGER CHECK (votes_against >= 0),
    votes_abstain INTEGER CHECK (votes_abstain >= 0),
    reported_by   TEXT,
    source        TEXT,
    notes         TEXT,
    recorded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX outcome_by_pair ON outcome(motion_id, org_id, meeting_date, id);
CREATE INDEX outcome_by_org ON outcome(org_id);

CREATE TABLE standing (
    motion_id     INTEGER NOT NULL REFERENCES motion(id),
    org_id        INTEGER NOT NULL REFERENCES org(id),
    outcome_id    INTEGER NOT NULL REFERENCES outcome(id),
    status        TEXT NOT NULL,
    meeting_date  TEXT NOT NULL,
    PRIMARY KEY (motion_id, org_id)
) STRICT, WITHOUT ROWID;

-- A new outcome becomes the pair's standing unless an outcome with a later meeting date is
-- already there. Ids only grow, so on an equal date the new record wins, as the rule says.
CREATE TRIGGER outcome_updates_standing AFTER INSERT ON outcome
BEGIN
    INSERT INTO standing (motion_id, org_id, outcome_id, status, meeting_date)
    VALUES (NEW.motion_id, NEW.org_id, NEW.id, NEW.status, NEW.meeting_date)
    ON CONFLICT (motion_id, org_id) DO UPDATE
        SET outcome_id = excluded.outcome_id,
            status = excluded.status,
            meeting_date = excluded.meeting_date
        WHERE excluded.meeting_date >= standing.meeting_date;
END;
