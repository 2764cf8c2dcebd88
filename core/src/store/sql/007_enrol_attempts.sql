-- Schema version 7: enrolment attempts (hub side), for the lockout after many wrong codes.

-- Every refused enrolment (wrong, used or expired code), kept for the lockout window.
CREATE TABLE hub_enrol_attempt (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    outcome   TEXT NOT NULL
);
CREATE INDEX hub_enrol_attempt_at ON hub_enrol_attempt(at);
