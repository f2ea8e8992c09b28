-- The registry, conversations, schedule, escalations and audit trail.
-- Instants are stored as RFC 3339 UTC text with millisecond precision ("2026-12-04T10:00:00.000Z"),
-- so that text order is time order.

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('nurse', 'supervisor')),
    created_at    TEXT NOT NULL
);

CREATE TABLE patients (
    id           INTEGER PRIMARY KEY,
    phone        TEXT NOT NULL UNIQUE,          -- E.164
    name         TEXT,
    language     TEXT NOT NULL,
    timezone     TEXT NOT NULL,                 -- IANA zone
    opted_out_at TEXT,                          -- set while the patient is opted out
    opted_out_by TEXT CHECK (opted_out_by IN ('patient', 'staff')),
    conversation TEXT NOT NULL,                 -- engine state, JSON
    thresholds   TEXT,                          -- per-patient numeric ranges, JSON
    created_at   TEXT NOT NULL
);

CREATE TABLE episodes (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patients(id),
    protocol_id      TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    programme_days   INTEGER NOT NULL CHECK (programme_days > 0),
    check_in_times   TEXT NOT NULL,             -- local times, e.g. "10:00" or "10:00,18:00"
    next_check_in_at TEXT NOT NULL,             -- the next slot; at or after ends_at it ends the episode
    ends_at          TEXT NOT NULL,
    ended_at         TEXT,
    end_reason       TEXT CHECK (end_reason IN ('completed', 'opted_out'))
);
CREATE UNIQUE INDEX episodes_one_open ON episodes(patient_id) WHERE ended_at IS NULL;
CREATE INDEX episodes_due ON episodes(next_check_in_at) WHERE ended_at IS NULL;

CREATE TABLE consents (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    episode_id      INTEGER NOT NULL REFERENCES episodes(id),
    obtained_at     TEXT NOT NULL,
    obtained_by     TEXT NOT NULL,
    method          TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    language        TEXT NOT NULL
);

CREATE TABLE inbound_messages (
    id          INTEGER PRIMARY KEY,
    provider_id TEXT NOT NULL,                  -- the provider's message id
    patient_id  INTEGER REFERENCES patients(id),
    from_phone  TEXT NOT NULL,
    to_phone    TEXT,
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    handled_as  TEXT,                           -- NULL until handled: a retry picks it up
    -- Deduplication: the same message delivered again. The sender is part of the key so that
    -- a reused or forged id from another number can never swallow a patient's text.
    UNIQUE (provider_id, from_phone)
);

CREATE TABLE outbound_messages (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    episode_id      INTEGER REFERENCES episodes(id),
    message         TEXT NOT NULL,              -- protocol message id, rendered at send time
    reason          TEXT NOT NULL,              -- what queued it: check_in, reply, keyword, lifecycle
    created_at      TEXT NOT NULL,
    -- suppressed: the patient opted out first; expired: an automated text that could not go
    -- out on its own local day (quiet hours, daily cap) and would be stale tomorrow.
    status          TEXT NOT NULL
                    CHECK (status IN ('queued', 'sent', 'failed', 'suppressed', 'expired')),
    parts           INTEGER,                    -- SMS parts, once rendered
    language        TEXT,                       -- the language it was rendered in
    body            TEXT,                       -- the rendered text, once sent
    sent_at         TEXT,
    provider_id     TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT
);
CREATE INDEX outbound_queued ON outbound_messages(status) WHERE status = 'queued';

CREATE TABLE answers (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients(id),
    episode_id  INTEGER NOT NULL REFERENCES episodes(id),
    inbound_id  INTEGER NOT NULL REFERENCES inbound_messages(id),
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL,
    at          TEXT NOT NULL
);

CREATE TABLE check_ins (
    id          INTEGER PRIMARY KEY,
    episode_id  INTEGER NOT NULL REFERENCES episodes(id),
    slot_at     TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('sent', 'skipped_late', 'skipped_escalation')),
    -- For sent check-ins: open until finished, reminded once, missed when never finished.
    status      TEXT CHECK (status IN ('open', 'finished', 'missed', 'needs_review')),
    reminded_at TEXT,
    closed_at   TEXT,
    UNIQUE (episode_id, slot_at)
);
CREATE INDEX check_ins_open ON check_ins(decided_at) WHERE status = 'open';

-- What staff must look at that is not an escalation: missed check-ins, answers the protocol
-- could not read, texts the daily cap held back, texts sent in the fallback language.
CREATE TABLE staff_flags (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER REFERENCES patients(id),  -- NULL for programme-wide flags
    raised_at   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT
);
CREATE INDEX staff_flags_open ON staff_flags(patient_id) WHERE resolved_at IS NULL;

CREATE TABLE escalations (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients(id),
    episode_id  INTEGER NOT NULL REFERENCES episodes(id),
    opened_at   TEXT NOT NULL,
    reason      TEXT NOT NULL,                  -- protocol outcome id
    status      TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    resolved_at TEXT,
    resolved_by TEXT
);

CREATE TABLE calls (
    id            INTEGER PRIMARY KEY,
    escalation_id INTEGER NOT NULL UNIQUE REFERENCES escalations(id),
    requested_at  TEXT NOT NULL,
    language      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'placed', 'failed')),
    placed_at     TEXT,
    contact_id    TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
);

-- What the simulated SMS gateway "delivered": the embedded default's stand-in for a carrier.
CREATE TABLE simulated_sms (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    to_phone        TEXT NOT NULL,
    body            TEXT NOT NULL,
    sent_at         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 1  -- hand-overs with this key; delivered once
);

-- What the simulated dialer "called".
CREATE TABLE simulated_calls (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    to_phone        TEXT NOT NULL,
    language        TEXT NOT NULL,
    placed_at       TEXT NOT NULL
);

-- Staff actions, apart from operational logs.
CREATE TABLE audit_trail (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,                   -- display name of the staff member
    actor_id   INTEGER REFERENCES staff(id),    -- NULL when the CLI operator acted
    action     TEXT NOT NULL,
    patient_id INTEGER REFERENCES patients(id),
    detail     TEXT NOT NULL DEFAULT ''
);
