-- +goose Up
-- Cases with legal clocks (suggestions, proposals, petitions, 12345
-- requests, licences): the columns they are found by and the whole case
-- as JSON (data) without its submitter, whose name and contact are kept
-- apart in case_submitters so that they leave storage only for those who
-- may see them (a petitioner's: the petition bureau only).
CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    type_code   TEXT NOT NULL,
    category    TEXT NOT NULL DEFAULT '',
    office_dept TEXT NOT NULL REFERENCES departments (code),
    lead_dept   TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    received_at TEXT NOT NULL,
    version     INTEGER NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX cases_type_received ON cases (type_code, received_at);
CREATE INDEX cases_lead ON cases (lead_dept, state);

-- Every department a case was ever assigned to (lead or co-handler): who
-- may see it.
CREATE TABLE case_depts (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    dept    TEXT NOT NULL REFERENCES departments (code),
    PRIMARY KEY (case_id, dept)
);
CREATE INDEX case_depts_dept ON case_depts (dept);

CREATE TABLE case_submitters (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    name    TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT ''
);

CREATE TABLE case_events (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq     INTEGER NOT NULL,
    at      TEXT NOT NULL,
    kind    TEXT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- +goose Down
DROP TABLE case_events;
DROP TABLE case_submitters;
DROP TABLE case_depts;
DROP TABLE cases;
