-- SPDX-License-Identifier: MIT
-- The yardstick for `motions import motions|orgs|outcomes`: the sqlite3 shell loading the same
-- three files (motions.csv, orgs.csv, outcomes.csv of bench/gen_dataset.py) into an empty
-- database with the schema motions keeps: the same tables, CHECKs, STRICT typing, indexes,
-- foreign keys (on), the table of every name's key and the cache of current statuses, in
-- one transaction. This is what a capable user of the shell would write by hand.
--
-- Run it in the folder of the three files: sqlite3 base.db < baseline_import.sql
--
-- The schema follows schema.sql and migrations/ of the repository, plus the two indexes issue
-- 11 adds (outcome_by_org, and outcome_one_decision: one decision per motion, organisation
-- and meeting date). bench/run.sh warns when the database motions writes has another number of
-- indexes than this one: follow the change here, so the two keep doing the same work.

PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -49152;   -- 48 MiB, as motions' imports
PRAGMA temp_store = MEMORY;

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
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX org_by_name ON org(name COLLATE NOCASE);
CREATE INDEX org_by_kind ON org(kind);
CREATE INDEX org_by_region ON org(region COLLATE NOCASE);
CREATE INDEX org_by_union ON org(union_name COLLATE NOCASE);
CREATE INDEX org_by_parent ON org(parent_id);

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
    retraction_reason TEXT CHECK ((retracted_at IS NULL) = (retraction_reason IS NULL))
) STRICT;

CREATE INDEX outcome_by_pair ON outcome(motion_id, org_id, meeting_date, id);
CREATE INDEX outcome_by_org ON outcome(org_id);
CREATE UNIQUE INDEX outcome_one_decision ON outcome(motion_id, org_id, meeting_date)
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

-- The files, as they are, into tables in memory.
CREATE TEMP TABLE motion_in (slug, title, issued_by, issued_on, deadline);
CREATE TEMP TABLE org_in (name, kind, region, "union", parent, code);
CREATE TEMP TABLE outcome_in (motion, organisation, status, meeting_date, votes_for,
                              votes_against, votes_abstain, reported_by, source, notes);
.import --csv --skip 1 --schema temp motions.csv motion_in
.import --csv --skip 1 --schema temp orgs.csv org_in
.import --csv --skip 1 --schema temp outcomes.csv outcome_in

BEGIN IMMEDIATE;

INSERT INTO motion (slug, title, issued_by, issued_on, deadline)
SELECT trim(slug), trim(title), nullif(trim(issued_by), ''), nullif(issued_on, ''),
       nullif(deadline, '')
FROM motion_in ORDER BY rowid;

INSERT INTO org (name, kind, region, union_name, code)
SELECT trim(name), kind, nullif(trim(region), ''), nullif(trim("union"), ''),
       nullif(trim(code), '')
FROM org_in ORDER BY rowid;

-- Every organisation is found by the key of its name (names are plain ASCII here, so lower()
-- does what motions' Unicode key does).
INSERT INTO org_name (key, org_id, name) SELECT lower(name), id, name FROM org;

UPDATE org SET parent_id = p.org_id
FROM org_in i
JOIN org_name c ON c.key = lower(trim(i.name))
JOIN org_name p ON p.key = lower(trim(i.parent))
WHERE i.parent <> '' AND org.id = c.org_id;

INSERT INTO outcome (motion_id, org_id, status, meeting_date, votes_for, votes_against,
                     votes_abstain, reported_by, source, notes)
SELECT m.id, n.org_id, i.status, i.meeting_date, nullif(i.votes_for, ''),
       nullif(i.votes_against, ''), nullif(i.votes_abstain, ''), nullif(i.reported_by, ''),
       nullif(i.source, ''), nullif(i.notes, '')
FROM outcome_in i
JOIN motion m ON m.slug = i.motion
JOIN org_name n ON n.key = lower(trim(i.organisation))
ORDER BY i.rowid;

-- The cache of current statuses: each pair's latest event.
INSERT INTO standing (motion_id, org_id, outcome_id, status, meeting_date)
SELECT motion_id, org_id, id, status, meeting_date
FROM (SELECT motion_id, org_id, id, status, meeting_date,
             row_number() OVER (PARTITION BY motion_id, org_id
                                ORDER BY meeting_date DESC, id DESC) AS latest
      FROM outcome WHERE retracted_at IS NULL)
WHERE latest = 1;

COMMIT;
