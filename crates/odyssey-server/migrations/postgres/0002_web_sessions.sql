-- Web sign-in sessions (the pages at /). users.password_hash (migration 0001) holds the argon2
-- hash; a session is known by the SHA-256 of its cookie value, so a copy of the database
-- reveals no usable session. csrf is the token every form of the session must carry.
CREATE TABLE web_sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL     -- UTC, same text format as created_at (sorts as time)
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);
