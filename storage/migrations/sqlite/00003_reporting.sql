-- +goose Up
-- Reporting rounds, validation rules, and what the review of a value needs:
-- who submitted it and when, the reporter's explanation of warnings, the
-- planning office's comment when it returns a value, and whether the value
-- was computed by a formula.

ALTER TABLE indicator_values ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';
ALTER TABLE indicator_values ADD COLUMN submitted_at TEXT NOT NULL DEFAULT '';
ALTER TABLE indicator_values ADD COLUMN explanation TEXT NOT NULL DEFAULT '';
ALTER TABLE indicator_values ADD COLUMN review_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE indicator_values ADD COLUMN computed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX indicator_values_status ON indicator_values (status, period);

CREATE TABLE rounds (
    id           INTEGER PRIMARY KEY,
    period       TEXT NOT NULL UNIQUE,
    period_start TEXT NOT NULL,
    due_date     TEXT NOT NULL,
    opened_by    TEXT NOT NULL,
    opened_at    TEXT NOT NULL,
    closed_at    TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE round_indicators (
    round_id       BIGINT NOT NULL REFERENCES rounds (id),
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    PRIMARY KEY (round_id, indicator_code)
);

CREATE TABLE validation_rules (
    code         TEXT PRIMARY KEY,
    expression   TEXT NOT NULL,
    severity     TEXT NOT NULL,
    message_zh   TEXT NOT NULL,
    message_en   TEXT NOT NULL DEFAULT '',
    org_units    TEXT NOT NULL DEFAULT '',
    period_kinds TEXT NOT NULL DEFAULT '',
    active       BOOLEAN NOT NULL DEFAULT TRUE
);

-- +goose Down
DROP TABLE validation_rules;
DROP TABLE round_indicators;
DROP TABLE rounds;
DROP INDEX indicator_values_status;
ALTER TABLE indicator_values DROP COLUMN computed;
ALTER TABLE indicator_values DROP COLUMN review_comment;
ALTER TABLE indicator_values DROP COLUMN explanation;
ALTER TABLE indicator_values DROP COLUMN submitted_at;
ALTER TABLE indicator_values DROP COLUMN submitted_by;
