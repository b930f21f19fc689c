-- +goose Up
-- The plan, the organisation and the figures. Text columns are NOT NULL
-- with '' for "not given", so that both engines and every scan agree.
-- Dates are 'YYYY-MM-DD' text and times RFC 3339 UTC text with fixed width,
-- so that they sort and compare the same on SQLite and PostgreSQL.

CREATE TABLE sources (
    code      TEXT PRIMARY KEY,
    title_zh  TEXT NOT NULL,
    title_en  TEXT NOT NULL DEFAULT '',
    publisher TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    url       TEXT NOT NULL DEFAULT '',
    note      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE plans (
    code       TEXT PRIMARY KEY,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    base_year  INTEGER NOT NULL,
    start_year INTEGER NOT NULL,
    end_year   INTEGER NOT NULL
);

CREATE TABLE goals (
    code           TEXT PRIMARY KEY,
    plan_code      TEXT NOT NULL REFERENCES plans (code),
    position       INTEGER NOT NULL DEFAULT 0,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL DEFAULT '',
    description_zh TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT ''
);

CREATE TABLE areas (
    code      TEXT PRIMARY KEY,
    goal_code TEXT NOT NULL REFERENCES goals (code),
    position  INTEGER NOT NULL DEFAULT 0,
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE org_units (
    code        TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES org_units (code),
    kind        TEXT NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    quote       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE departments (
    code          TEXT PRIMARY KEY,
    org_unit_code TEXT NOT NULL REFERENCES org_units (code),
    position      INTEGER NOT NULL DEFAULT 0,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    short_zh      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE tasks (
    code           TEXT PRIMARY KEY,
    area_code      TEXT NOT NULL REFERENCES areas (code),
    owner_dept     TEXT NOT NULL REFERENCES departments (code),
    position       INTEGER NOT NULL DEFAULT 0,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL DEFAULT '',
    description_zh TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT '',
    quote          TEXT NOT NULL DEFAULT ''
);

CREATE TABLE indicators (
    code       TEXT PRIMARY KEY,
    area_code  TEXT NOT NULL REFERENCES areas (code),
    owner_dept TEXT NOT NULL REFERENCES departments (code),
    position   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE indicator_definitions (
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    effective_from TEXT NOT NULL,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL DEFAULT '',
    unit_zh        TEXT NOT NULL,
    unit_en        TEXT NOT NULL DEFAULT '',
    definition_zh  TEXT NOT NULL DEFAULT '',
    definition_en  TEXT NOT NULL DEFAULT '',
    direction      TEXT NOT NULL,
    band_low       DOUBLE PRECISION,
    band_high      DOUBLE PRECISION,
    nature         TEXT NOT NULL,
    frequency      TEXT NOT NULL,
    time_agg       TEXT NOT NULL,
    place_agg      TEXT NOT NULL,
    formula        TEXT NOT NULL DEFAULT '',
    decimals       INTEGER NOT NULL DEFAULT 0,
    change_note    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (indicator_code, effective_from)
);

CREATE TABLE targets (
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    org_unit_code  TEXT NOT NULL REFERENCES org_units (code),
    period         TEXT NOT NULL,
    period_start   TEXT NOT NULL,
    number         DOUBLE PRECISION NOT NULL,
    qualifier      TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT '',
    quote          TEXT NOT NULL DEFAULT '',
    sample         BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (indicator_code, org_unit_code, period)
);

CREATE TABLE indicator_values (
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    org_unit_code  TEXT NOT NULL REFERENCES org_units (code),
    period         TEXT NOT NULL,
    period_start   TEXT NOT NULL,
    number         DOUBLE PRECISION NOT NULL,
    qualifier      TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    entered_by     TEXT NOT NULL DEFAULT '',
    entered_at     TEXT NOT NULL DEFAULT '',
    approved_by    TEXT NOT NULL DEFAULT '',
    approved_at    TEXT NOT NULL DEFAULT '',
    published_at   TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT '',
    quote          TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    sample         BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (indicator_code, org_unit_code, period)
);
CREATE INDEX indicator_values_org_period ON indicator_values (org_unit_code, period_start);

CREATE TABLE projects (
    code               TEXT PRIMARY KEY,
    position           INTEGER NOT NULL DEFAULT 0,
    name_zh            TEXT NOT NULL,
    name_en            TEXT NOT NULL DEFAULT '',
    owner_dept         TEXT NOT NULL REFERENCES departments (code),
    leader             TEXT NOT NULL DEFAULT '',
    org_unit_code      TEXT NOT NULL REFERENCES org_units (code),
    category           TEXT NOT NULL DEFAULT '',
    stage              TEXT NOT NULL,
    stage_note_zh      TEXT NOT NULL DEFAULT '',
    planned_investment DOUBLE PRECISION,
    annual_investment  DOUBLE PRECISION,
    start_year         INTEGER NOT NULL DEFAULT 0,
    end_year           INTEGER NOT NULL DEFAULT 0,
    description_zh     TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT '',
    quote              TEXT NOT NULL DEFAULT '',
    sample             BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE calendar_overrides (
    day     TEXT PRIMARY KEY,
    working BOOLEAN NOT NULL,
    name_zh TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    reason  TEXT NOT NULL DEFAULT ''
);

-- Settings of this installation, e.g. the name of the loaded dataset.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL DEFAULT ''
);

-- The audit trail: written in the same transaction as every change, and
-- hash-chained: each row carries the hash of the row before it, and
-- audit_head the number and hash of the last row, so that an edited,
-- deleted or reordered row is found by `lantu audit verify`. Rows are
-- numbered by audit_head, whose row lock also serialises the writers of
-- the chain on PostgreSQL.
CREATE TABLE audit_log (
    id          BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    before      TEXT NOT NULL DEFAULT '',
    after       TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_action_at ON audit_log (action, at);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- The application never updates or deletes audit rows; the triggers make
-- the database refuse it too.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
DROP TABLE audit_head;
DROP TABLE settings;
DROP TABLE calendar_overrides;
DROP TABLE projects;
DROP TABLE indicator_values;
DROP TABLE targets;
DROP TABLE indicator_definitions;
DROP TABLE indicators;
DROP TABLE tasks;
DROP TABLE departments;
DROP TABLE org_units;
DROP TABLE areas;
DROP TABLE goals;
DROP TABLE plans;
DROP TABLE sources;
