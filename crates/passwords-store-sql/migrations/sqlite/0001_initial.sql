-- schema: Passwords server, initial schema (SQLite).
--
-- Conventions shared by the three backends (sqlite/, postgres/, mysql/ hold the same file names):
-- * integers and booleans are 64-bit integers; booleans are 0/1 and converted in Rust;
-- * UUIDs are 36-character hyphenated text, user ids at most 64 characters;
-- * sealed (encrypted) fields are binary blobs, copied byte for byte;
-- * text compares byte-exact and case-sensitive (SQLite's BINARY collation);
-- * model tables have numeric ids that are never reused (AUTOINCREMENT);
-- * `deleted` is a soft delete: live rows have deleted = 0.

CREATE TABLE accounts (
    uid           TEXT    NOT NULL PRIMARY KEY,
    display_name  TEXT    NOT NULL,
    password_hash TEXT,
    enabled       INTEGER NOT NULL,
    removed       INTEGER NOT NULL,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL
);

CREATE TABLE app_passwords (
    uid        TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    token_hash BLOB    NOT NULL,
    created    INTEGER NOT NULL,
    last_used  INTEGER,
    PRIMARY KEY (uid, name)
);
CREATE INDEX app_passwords_token_hash ON app_passwords (token_hash);

CREATE TABLE user_keys (
    uid     TEXT    NOT NULL PRIMARY KEY,
    wrapped BLOB    NOT NULL,
    created INTEGER NOT NULL
);

CREATE TABLE app_settings (
    setting_key   TEXT NOT NULL PRIMARY KEY,
    setting_value TEXT NOT NULL
);

CREATE TABLE user_settings (
    uid           TEXT NOT NULL,
    setting_key   TEXT NOT NULL,
    setting_value TEXT NOT NULL,
    PRIMARY KEY (uid, setting_key)
);

CREATE TABLE passwords (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid       TEXT    NOT NULL UNIQUE,
    user_id    TEXT    NOT NULL,
    revision   TEXT    NOT NULL,
    share_id   TEXT,
    has_shares INTEGER NOT NULL,
    editable   INTEGER NOT NULL,
    suspended  INTEGER NOT NULL,
    deleted    INTEGER NOT NULL,
    created    INTEGER NOT NULL,
    updated    INTEGER NOT NULL
);
CREATE INDEX passwords_user_id ON passwords (user_id);

CREATE TABLE password_revisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid          TEXT    NOT NULL UNIQUE,
    user_id       TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    folder        TEXT    NOT NULL,
    label         BLOB    NOT NULL,
    username      BLOB    NOT NULL,
    password      BLOB    NOT NULL,
    url           BLOB    NOT NULL,
    notes         BLOB    NOT NULL,
    custom_fields BLOB    NOT NULL,
    hash          TEXT    NOT NULL,
    cse_type      TEXT    NOT NULL,
    cse_key       TEXT    NOT NULL,
    sse_type      TEXT    NOT NULL,
    status        INTEGER NOT NULL,
    status_code   TEXT    NOT NULL,
    hidden        INTEGER NOT NULL,
    trashed       INTEGER NOT NULL,
    favorite      INTEGER NOT NULL,
    edited        INTEGER NOT NULL,
    client        TEXT    NOT NULL,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL
);
CREATE INDEX password_revisions_user_model ON password_revisions (user_id, model);
CREATE INDEX password_revisions_user_hash ON password_revisions (user_id, hash);

CREATE TABLE folders (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid      TEXT    NOT NULL UNIQUE,
    user_id   TEXT    NOT NULL,
    revision  TEXT    NOT NULL,
    suspended INTEGER NOT NULL,
    deleted   INTEGER NOT NULL,
    created   INTEGER NOT NULL,
    updated   INTEGER NOT NULL
);
CREATE INDEX folders_user_id ON folders (user_id);

CREATE TABLE folder_revisions (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid     TEXT    NOT NULL UNIQUE,
    user_id  TEXT    NOT NULL,
    model    TEXT    NOT NULL,
    parent   TEXT    NOT NULL,
    label    BLOB    NOT NULL,
    cse_type TEXT    NOT NULL,
    cse_key  TEXT    NOT NULL,
    sse_type TEXT    NOT NULL,
    hidden   INTEGER NOT NULL,
    trashed  INTEGER NOT NULL,
    favorite INTEGER NOT NULL,
    edited   INTEGER NOT NULL,
    client   TEXT    NOT NULL,
    created  INTEGER NOT NULL,
    updated  INTEGER NOT NULL
);
CREATE INDEX folder_revisions_user_model ON folder_revisions (user_id, model);

CREATE TABLE tags (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid     TEXT    NOT NULL UNIQUE,
    user_id  TEXT    NOT NULL,
    revision TEXT    NOT NULL,
    deleted  INTEGER NOT NULL,
    created  INTEGER NOT NULL,
    updated  INTEGER NOT NULL
);
CREATE INDEX tags_user_id ON tags (user_id);

CREATE TABLE tag_revisions (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid     TEXT    NOT NULL UNIQUE,
    user_id  TEXT    NOT NULL,
    model    TEXT    NOT NULL,
    label    BLOB    NOT NULL,
    color    BLOB    NOT NULL,
    cse_type TEXT    NOT NULL,
    cse_key  TEXT    NOT NULL,
    sse_type TEXT    NOT NULL,
    hidden   INTEGER NOT NULL,
    trashed  INTEGER NOT NULL,
    favorite INTEGER NOT NULL,
    edited   INTEGER NOT NULL,
    client   TEXT    NOT NULL,
    created  INTEGER NOT NULL,
    updated  INTEGER NOT NULL
);
CREATE INDEX tag_revisions_user_model ON tag_revisions (user_id, model);

CREATE TABLE password_tag_relations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid              TEXT    NOT NULL UNIQUE,
    user_id           TEXT    NOT NULL,
    password          TEXT    NOT NULL,
    password_revision TEXT    NOT NULL,
    tag               TEXT    NOT NULL,
    tag_revision      TEXT    NOT NULL,
    hidden            INTEGER NOT NULL,
    client            TEXT    NOT NULL,
    deleted           INTEGER NOT NULL,
    created           INTEGER NOT NULL,
    updated           INTEGER NOT NULL
);
CREATE INDEX password_tag_relations_user_password ON password_tag_relations (user_id, password);
CREATE INDEX password_tag_relations_user_tag ON password_tag_relations (user_id, tag);

CREATE TABLE shares (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid            TEXT    NOT NULL UNIQUE,
    user_id         TEXT    NOT NULL,
    receiver        TEXT    NOT NULL,
    share_type      TEXT    NOT NULL,
    source_password TEXT    NOT NULL,
    target_password TEXT,
    editable        INTEGER NOT NULL,
    shareable       INTEGER NOT NULL,
    expires         INTEGER,
    source_updated  INTEGER NOT NULL,
    target_updated  INTEGER NOT NULL,
    client          TEXT    NOT NULL,
    deleted         INTEGER NOT NULL,
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL
);
CREATE INDEX shares_user_source ON shares (user_id, source_password);
CREATE INDEX shares_receiver ON shares (receiver);

CREATE TABLE job_leases (
    name    TEXT    NOT NULL PRIMARY KEY,
    holder  TEXT    NOT NULL,
    expires INTEGER NOT NULL
);
