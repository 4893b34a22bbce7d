-- Matchmaker Exchange, PostgreSQL (docs/mme.md). The twin of this file is ../sqlite/0003_mme.sql; keep both
-- in step. Shares say which cases other MME nodes may match (withdrawn rows are kept, with who
-- withdrew them and when); outgoing queries and their per-node results are kept; incoming
-- queries are logged (their matched cases also go to audit_log).

CREATE TABLE mme_shares (
    case_id             TEXT PRIMARY KEY REFERENCES cases(id),
    contact_name        TEXT NOT NULL,   -- shown to other centres with every match
    contact_href        TEXT NOT NULL,   -- mailto: or http(s): URL
    contact_institution TEXT,
    shared_by           TEXT NOT NULL,   -- user name
    shared_at           TEXT NOT NULL,   -- UTC, RFC 3339 (sorts as time)
    withdrawn_by        TEXT,            -- set when withdrawn; NULL while shared
    withdrawn_at        TEXT
);

-- One row per (query run, outgoing node): the node's results or its error.
CREATE TABLE mme_queries (
    id         TEXT PRIMARY KEY,
    run_id     TEXT NOT NULL,            -- the POST /cases/{id}/matches call
    case_id    TEXT NOT NULL REFERENCES cases(id),
    node       TEXT NOT NULL,            -- [[outgoing]] name
    url        TEXT NOT NULL,
    position   BIGINT NOT NULL,          -- the node's place in the configuration
    queried_by TEXT NOT NULL,
    queried_at TEXT NOT NULL,
    elapsed_ms BIGINT,
    error      TEXT,                     -- JSON {"kind", "message"}, NULL on success
    results    TEXT,                     -- JSON array of the summarised matches, NULL on error
    response   TEXT                      -- the node's answer as received (JSON), NULL on error
);
CREATE INDEX mme_queries_case ON mme_queries(case_id, queried_at);

-- Queries other nodes sent us.
CREATE TABLE mme_incoming (
    id               TEXT PRIMARY KEY,
    at               TEXT NOT NULL,
    node             TEXT NOT NULL,      -- [[incoming]] name of the querying node
    query_patient_id TEXT NOT NULL,      -- the patient id at the querying node
    test             BIGINT NOT NULL,    -- 1 for a test query
    api_version      TEXT NOT NULL,
    results          TEXT NOT NULL,      -- JSON [[case id, score], ...], best first
    genes_matched    TEXT NOT NULL       -- JSON array of gene keys
);
CREATE INDEX mme_incoming_at ON mme_incoming(at);
