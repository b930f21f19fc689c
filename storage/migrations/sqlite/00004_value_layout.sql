-- +goose Up
-- Figures are stored in the order of their key (WITHOUT ROWID), so that a
-- row is one b-tree entry rather than a row plus a key index, and the index
-- for the review queue holds only the figures under review: an import of a
-- million drafts touches two b-trees per figure, not four.

CREATE TABLE indicator_values_new (
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
    submitted_by   TEXT NOT NULL DEFAULT '',
    submitted_at   TEXT NOT NULL DEFAULT '',
    explanation    TEXT NOT NULL DEFAULT '',
    review_comment TEXT NOT NULL DEFAULT '',
    computed       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (indicator_code, org_unit_code, period)
) WITHOUT ROWID;
INSERT INTO indicator_values_new SELECT indicator_code, org_unit_code, period, period_start, number, qualifier, status,
    entered_by, entered_at, approved_by, approved_at, published_at, source, quote, note, sample,
    submitted_by, submitted_at, explanation, review_comment, computed FROM indicator_values;
DROP TABLE indicator_values;
ALTER TABLE indicator_values_new RENAME TO indicator_values;
CREATE INDEX indicator_values_org_period ON indicator_values (org_unit_code, period_start);
CREATE INDEX indicator_values_submitted ON indicator_values (period) WHERE status = 'submitted';
CREATE INDEX indicator_values_approved ON indicator_values (period) WHERE status = 'approved';

-- +goose Down
CREATE TABLE indicator_values_old (
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
    submitted_by   TEXT NOT NULL DEFAULT '',
    submitted_at   TEXT NOT NULL DEFAULT '',
    explanation    TEXT NOT NULL DEFAULT '',
    review_comment TEXT NOT NULL DEFAULT '',
    computed       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (indicator_code, org_unit_code, period)
);
INSERT INTO indicator_values_old SELECT * FROM indicator_values;
DROP TABLE indicator_values;
ALTER TABLE indicator_values_old RENAME TO indicator_values;
CREATE INDEX indicator_values_org_period ON indicator_values (org_unit_code, period_start);
CREATE INDEX indicator_values_status ON indicator_values (status, period);
