-- Odyssey workspace schema, version 1 (PostgreSQL). Never edit an applied migration: add a new one.
-- The PostgreSQL twin is ../sqlite/0001_workspace.sql; keep both in step.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('clinician', 'admin')),
    password_hash TEXT,              -- argon2 PHC string, for the web sign-in (optional)
    created_at    TEXT NOT NULL
);

CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users(id),
    project TEXT NOT NULL,
    PRIMARY KEY (user_id, project)
);

CREATE TABLE api_tokens (
    token_hash   TEXT PRIMARY KEY,   -- SHA-256 of the token, hex; the token itself is never stored
    user_id      TEXT NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);

CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,     -- content address (hex)
    size       BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE cases (
    id            TEXT PRIMARY KEY,
    project       TEXT NOT NULL,
    label         TEXT NOT NULL,     -- the phenopacket / family id
    case_sha256   TEXT NOT NULL REFERENCES blobs(sha256),
    case_filename TEXT NOT NULL,
    vcf_sha256    TEXT REFERENCES blobs(sha256),
    vcf_filename  TEXT,
    ped_sha256    TEXT REFERENCES blobs(sha256),
    ped_filename  TEXT,
    status        TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_review', 'solved', 'unsolved')),
    assignee      TEXT,              -- a user name
    mme_shared    BIGINT NOT NULL DEFAULT 0,
    mme_contact   TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX cases_project ON cases(project, created_at);

CREATE TABLE analyses (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    seq           BIGINT NOT NULL,   -- queue order (ms since epoch at creation)
    status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress      DOUBLE PRECISION NOT NULL DEFAULT 0,
    stage         TEXT NOT NULL DEFAULT 'queued',
    engine_key    TEXT NOT NULL,     -- the knowledge base checksum and sources the job must run with
    settings      TEXT NOT NULL,     -- JSON: knowledge base, sources, top N
    kb_release    TEXT,
    requested_by  TEXT NOT NULL,
    reanalysis_of TEXT,              -- the analysis this one re-runs (reanalysis)
    reanalysis_run TEXT,
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT,
    error         TEXT,
    report        TEXT               -- the JSON report (odyssey analyze --format json)
);
CREATE INDEX analyses_queue ON analyses(status, engine_key, seq);
CREATE INDEX analyses_case ON analyses(case_id, created_at);

CREATE TABLE reanalysis_changes (
    analysis_id          TEXT PRIMARY KEY REFERENCES analyses(id),
    case_id              TEXT NOT NULL REFERENCES cases(id),
    previous_analysis_id TEXT NOT NULL REFERENCES analyses(id),
    noteworthy           BIGINT NOT NULL,
    diff                 TEXT NOT NULL,  -- JSON: entered, left, moved, new links, new ClinVar P/LP
    created_at           TEXT NOT NULL
);
CREATE INDEX reanalysis_changes_case ON reanalysis_changes(case_id, created_at);

CREATE TABLE reviews (
    case_id      TEXT NOT NULL REFERENCES cases(id),
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('gene', 'variant')),
    target       TEXT NOT NULL,      -- HGNC symbol, or chrom:pos:ref:alt
    status       TEXT NOT NULL CHECK (status IN ('candidate', 'causative', 'likely_causative', 'dismissed')),
    acmg_criteria TEXT NOT NULL DEFAULT '[]',  -- JSON array, e.g. ["PVS1","PM2"]
    acmg_class   TEXT,
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (case_id, target_kind, target)
);

CREATE TABLE comments (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    target_kind TEXT,
    target      TEXT,
    author      TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX comments_case ON comments(case_id, created_at);

CREATE TABLE audit_log (
    seq      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,          -- user name, or "system"
    project  TEXT,
    case_id  TEXT,
    action   TEXT NOT NULL,          -- e.g. case.create, review.set, case.status
    target   TEXT,
    before   TEXT,                   -- JSON, null for a creation
    after    TEXT                    -- JSON, null for a deletion
);
CREATE INDEX audit_case ON audit_log(case_id, seq);

-- The audit log is append-only: the database itself refuses updates and deletes.
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
