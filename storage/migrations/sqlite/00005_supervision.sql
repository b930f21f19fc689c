-- +goose Up
-- Key projects watched week by week, supervision orders, notifications and
-- the scheduler's record of its runs.

-- Who a project's coordination ladder reaches: its department's principal
-- and its city leader in contact (its leader in charge is projects.leader).
ALTER TABLE departments ADD COLUMN head TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN city_leader TEXT NOT NULL DEFAULT '';

CREATE TABLE project_milestones (
    project_code TEXT NOT NULL REFERENCES projects (code),
    seq          INTEGER NOT NULL,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL DEFAULT '',
    planned      TEXT NOT NULL,
    actual       TEXT NOT NULL DEFAULT '',
    sample       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_code, seq)
);

-- The investment planned per month (万元): 序时进度 at any date.
CREATE TABLE project_monthly_plans (
    project_code TEXT NOT NULL REFERENCES projects (code),
    year         INTEGER NOT NULL,
    month        INTEGER NOT NULL,
    amount       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (project_code, year, month)
);

CREATE TABLE project_indicators (
    project_code   TEXT NOT NULL REFERENCES projects (code),
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    PRIMARY KEY (project_code, indicator_code)
);

CREATE TABLE weekly_reports (
    project_code    TEXT NOT NULL REFERENCES projects (code),
    week            TEXT NOT NULL,
    week_start      TEXT NOT NULL,
    status          TEXT NOT NULL,
    progress_zh     TEXT NOT NULL DEFAULT '',
    invest_week     DOUBLE PRECISION NOT NULL DEFAULT 0,
    invest_to_date  DOUBLE PRECISION NOT NULL DEFAULT 0,
    problems_zh     TEXT NOT NULL DEFAULT '',
    coordination_zh TEXT NOT NULL DEFAULT '',
    coordination    TEXT NOT NULL DEFAULT '',
    milestones      TEXT NOT NULL DEFAULT '',
    submitted_by    TEXT NOT NULL DEFAULT '',
    submitted_at    TEXT NOT NULL DEFAULT '',
    reviewed_by     TEXT NOT NULL DEFAULT '',
    reviewed_at     TEXT NOT NULL DEFAULT '',
    review_comment  TEXT NOT NULL DEFAULT '',
    sample          BOOLEAN NOT NULL DEFAULT FALSE,
    version         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (project_code, week)
);
CREATE INDEX weekly_reports_week ON weekly_reports (week_start);

-- Each week's light of each project, with the facts that produced it, kept
-- so that history shows why a project was red even when it is green now.
CREATE TABLE project_lights (
    project_code TEXT NOT NULL REFERENCES projects (code),
    week         TEXT NOT NULL,
    week_start   TEXT NOT NULL,
    color        TEXT NOT NULL,
    reasons      TEXT NOT NULL DEFAULT '',
    ladder       INTEGER NOT NULL DEFAULT 0,
    computed_at  TEXT NOT NULL,
    PRIMARY KEY (project_code, week)
);
CREATE INDEX project_lights_week ON project_lights (week_start);

-- A supervision order (督办单): the columns it is found by, and the whole
-- order as JSON (data). version changes with every transition, so that of
-- two officers acting on the same order at once exactly one succeeds.
CREATE TABLE supervision_orders (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    subject_kind TEXT NOT NULL,
    subject_code TEXT NOT NULL,
    lead_dept    TEXT NOT NULL REFERENCES departments (code),
    state        TEXT NOT NULL,
    level        TEXT NOT NULL,
    issued_at    TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    version      INTEGER NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX supervision_orders_lead ON supervision_orders (lead_dept, state);
CREATE INDEX supervision_orders_subject ON supervision_orders (subject_kind, subject_code);

CREATE TABLE supervision_order_depts (
    order_id BIGINT NOT NULL REFERENCES supervision_orders (id),
    dept     TEXT NOT NULL REFERENCES departments (code),
    PRIMARY KEY (order_id, dept)
);
CREATE INDEX supervision_order_depts_dept ON supervision_order_depts (dept);

-- Every step of an order, in order: its history and what department
-- scores are computed from.
CREATE TABLE supervision_events (
    order_id BIGINT NOT NULL REFERENCES supervision_orders (id),
    seq      INTEGER NOT NULL,
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    data     TEXT NOT NULL,
    PRIMARY KEY (order_id, seq)
);
CREATE INDEX supervision_events_at ON supervision_events (at);

-- The in-app inbox. ref makes a reminder idempotent: the same reminder is
-- not put twice in one inbox.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    user_id  BIGINT NOT NULL REFERENCES users (id),
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    body_zh  TEXT NOT NULL DEFAULT '',
    body_en  TEXT NOT NULL DEFAULT '',
    link     TEXT NOT NULL DEFAULT '',
    ref      TEXT NOT NULL,
    read_at  TEXT NOT NULL DEFAULT '',
    UNIQUE (user_id, ref)
);
CREATE INDEX notifications_user ON notifications (user_id, read_at);

-- Where notifications also go: a user's e-mail, or a department's group
-- robot (企业微信, 钉钉).
CREATE TABLE notify_channels (
    id           INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    target  TEXT NOT NULL,
    secret  TEXT NOT NULL DEFAULT '',
    dept    TEXT REFERENCES departments (code),
    user_id BIGINT REFERENCES users (id),
    active  BOOLEAN NOT NULL DEFAULT TRUE,
    note    TEXT NOT NULL DEFAULT ''
);

-- Deliveries outside the app, retried until sent or given up; a failure is
-- kept and shown, and never blocks the workflow that caused it.
CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,
    notification_id BIGINT NOT NULL REFERENCES notifications (id),
    channel_id      BIGINT NOT NULL REFERENCES notify_channels (id),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         TEXT NOT NULL DEFAULT '',
    given_up_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_due ON deliveries (sent_at, given_up_at, next_at);

-- One row per run of a scheduled job and slot (e.g. lights of 2024W18):
-- the primary key lets only one server claim a slot; a claim whose server
-- died is taken over after its lease.
CREATE TABLE job_runs (
    job         TEXT NOT NULL,
    slot        TEXT NOT NULL,
    node        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'running',
    detail      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job, slot)
);

-- +goose Down
DROP TABLE job_runs;
DROP TABLE deliveries;
DROP TABLE notify_channels;
DROP TABLE notifications;
DROP TABLE supervision_events;
DROP TABLE supervision_order_depts;
DROP TABLE supervision_orders;
DROP TABLE project_lights;
DROP TABLE weekly_reports;
DROP TABLE project_indicators;
DROP TABLE project_monthly_plans;
DROP TABLE project_milestones;
ALTER TABLE projects DROP COLUMN city_leader;
ALTER TABLE departments DROP COLUMN head;
