-- motions schema: the web intake (`motions serve`).
--
-- A reporter is a person holding a link: the database keeps only the SHA-256 of the link's
-- token, never the token. A reporter may be limited to some organisations and some motions;
-- `orgs_limited` / `motions_limited` say whether the link tables below limit them, so a link
-- whose every organisation has gone (an organisation removed) reports for none, not for all.
--
-- A submission is a report sent through a link. One from a reporter who is not trusted waits
-- for review (not in the history, not counted); approving it records an outcome as `log`
-- would and keeps the outcome's id here; rejecting it keeps it, with the reason. What was
-- submitted is kept as submitted, checked: the motion by id, the organisation by the name it
-- had when it was checked (approval finds it again through its names and aliases, so renames
-- and merges follow it).

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
