-- schema: Passwords server, initial schema (PostgreSQL).
--
-- Conventions shared by the three backends (sqlite/, postgres/, mysql/ hold the same file names):
-- * integers and booleans are 64-bit integers; booleans are 0/1 and converted in Rust;
-- * UUIDs are 36-character hyphenated text, user ids at most 64 characters;
-- * sealed (encrypted) fields are binary blobs, copied byte for byte;
-- * text compares byte-exact and case-sensitive (COLLATE "C" on every text column);
-- * model tables have numeric ids that are never reused (identity columns);
-- * `deleted` is a soft delete: live rows have deleted = 0.

CREATE TABLE accounts (
    uid           VARCHAR(64) COLLATE "C" NOT NULL PRIMARY KEY,
    display_name  TEXT COLLATE "C" NOT NULL,
    password_hash TEXT COLLATE "C",
    enabled       BIGINT NOT NULL,
    removed       BIGINT NOT NULL,
    created       BIGINT NOT NULL,
    updated       BIGINT NOT NULL
);

CREATE TABLE app_passwords (
    uid        VARCHAR(64) COLLATE "C" NOT NULL,
    name       VARCHAR(255) COLLATE "C" NOT NULL,
    token_hash BYTEA NOT NULL,
    created    BIGINT NOT NULL,
    last_used  BIGINT,
    PRIMARY KEY (uid, name)
);
CREATE INDEX app_passwords_token_hash ON app_passwords (token_hash);

CREATE TABLE user_keys (
    uid     VARCHAR(64) COLLATE "C" NOT NULL PRIMARY KEY,
    wrapped BYTEA NOT NULL,
    created BIGINT NOT NULL
);

CREATE TABLE app_settings (
    setting_key   VARCHAR(255) COLLATE "C" NOT NULL PRIMARY KEY,
    setting_value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE user_settings (
    uid           VARCHAR(64) COLLATE "C" NOT NULL,
    setting_key   VARCHAR(255) COLLATE "C" NOT NULL,
    setting_value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (uid, setting_key)
);

CREATE TABLE passwords (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid       VARCHAR(36) COLLATE "C" NOT NULL UNIQUE,
    user_id    VARCHAR(64) COLLATE "C" NOT NULL,
    revision   VARCHAR(36) COLLATE "C" NOT NULL,
    share_id   VARCHAR(36) COLLATE "C",
    has_shares BIGINT NOT NULL,
    editable   BIGINT NOT NULL,
    suspended  BIGINT NOT NULL,
    deleted    BIGINT NOT NULL,
    created    BIGINT NOT NULL,
    updated    BIGINT NOT NULL
);
CREATE INDEX passwords_user_id ON passwords (user_id);

CREATE TABLE password_revisions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid          VARCHAR(36) COLLATE "C" NOT NULL UNIQUE,
    user_id       VARCHAR(64) COLLATE "C" NOT NULL,
    model         VARCHAR(36) COLLATE "C" NOT NULL,
    folder        VARCHAR(36) COLLATE "C" NOT NULL,
    label         BYTEA NOT NULL,
    username      BYTEA NOT NULL,
    password      BYTEA NOT NULL,
    url           BYTEA NOT NULL,
    notes         BYTEA NOT NULL,
    custom_fields BYTEA NOT NULL,
    hash          VARCHAR(128) COLLATE "C" NOT NULL,
    cse_type      TEXT COLLATE "C" NOT NULL,
    cse_key       TEXT COLLATE "C" NOT NULL,
    sse_type      TEXT COLLATE "C" NOT NULL,
    status        BIGINT NOT NULL,
    status_code   VARCHAR(16) COLLATE "C" NOT NULL,
    hidden        BIGINT NOT NULL,
    trashed       BIGINT NOT NULL,
    favorite      BIGINT NOT NULL,
    edited        BIGINT NOT NULL,
    client        TEXT COLLATE "C" NOT NULL,
    created       BIGINT NOT NULL,
    updated       BIGINT NOT NULL
);
CREATE INDEX password_revisions_user_model ON password_revisions (user_id, model);
CREATE INDEX password_revisions_user_hash ON password_revisions (user_id, hash);

CREATE TABLE folders (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid      VARCHAR(36) COLLATE "C" NOT NULL UNIQUE,
    user_id   VARCHAR(64) COLLATE "C" NOT NULL,
    revision  VARCHAR(36) COLLATE "C" NOT NULL,
    suspended BIGINT NOT NULL,
    deleted   BIGINT NOT NULL,
    created   BIGINT NOT NULL,
    updated   BIGINT NOT NULL
);
CREATE INDEX folders_user_id ON folders (user_id);

CREATE TABLE folder_revisions (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid     VARCHAR(36) COLLATE "C" NOT NULL UNIQUE,
    user_id  VARCHAR(64) COLLATE "C" NOT NULL,
    model    VARCHAR(36) COLLATE "C" NOT NULL,
    parent   VARCHAR(36) COLLATE "C" NOT NULL,
    label    BYTEA NOT NULL,
    cse_type TEXT COLLATE "C" NOT NULL,
    cse_key  TEXT COLLATE "C" NOT NULL,
    sse_type TEXT COLLATE "C" NOT NULL,
    hidden   BIGINT NOT NULL,
    trashed  BIGINT NOT NULL,
    favorite BIGINT NOT NULL,
    edited   BIGINT NOT NULL,
    client   TEXT COLLATE "C" NOT NULL,
    created  BIGINT NOT NULL,
    updated  BIGINT NOT NULL
);
CREATE INDEX folder_revisions_user_model ON folder_revisions (user_id, model);

CREATE TABLE tags (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid     VARCHAR(36) COLLATE "C" NOT NULL UNIQUE,
    user_id  VARCHAR(64) COLLATE "C" NOT NULL,
    revision VARCHAR(36) COLLATE "C" NOT NULL,
    deleted  BIGINT NOT NULL,
    created  BIGINT NOT NULL,
    updated  BIGINT NOT NULL
);
CREATE INDEX tags_user_id ON tags (user_id);

CREATE TABLE tag_revisions (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid     VARCHAR(36) COLLATE "C" NOT NULL UNIQUE,
    user_id  VARCHAR(64) COLLATE "C" NOT NULL,
    model    VARCHAR(36) COLLATE "C" NOT NULL,
    label    BYTEA NOT NULL,
    color    BYTEA NOT NULL,
    cse_type TEXT COLLATE "C" NOT NULL,
    cse_key  TEXT COLLATE "C" NOT NULL,
    sse_type TEXT COLLATE "C" NOT NULL,
    hidden   BIGINT NOT NULL,
    trashed  BIGINT NOT NULL,
    favorite BIGINT NOT NULL,
    edited   BIGINT NOT NULL,
    client   TEXT COLLATE "C" NOT NULL,
    created  BIGINT NOT NULL,
    updated  BIGINT NOT NULL
);
CREATE INDEX tag_revisions_user_model ON tag_revisions (user_id, model);

CREATE TABLE password_tag_relations (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid              VARCHAR(36) COLLATE "C" NOT NULL UNIQUE,
    user_id           VARCHAR(64) COLLATE "C" NOT NULL,
    password          VARCHAR(36) COLLATE "C" NOT NULL,
    password_revision VARCHAR(36) COLLATE "C" NOT NULL,
    tag               VARCHAR(36) COLLATE "C" NOT NULL,
    tag_revision      VARCHAR(36) COLLATE "C" NOT NULL,
    hidden            BIGINT NOT NULL,
    client            TEXT COLLATE "C" NOT NULL,
    deleted           BIGINT NOT NULL,
    created           BIGINT NOT NULL,
    updated           BIGINT NOT NULL
);
CREATE INDEX password_tag_relations_user_password ON password_tag_relations (user_id, password);
CREATE INDEX password_tag_relations_user_tag ON password_tag_relations (user_id, tag);

CREATE TABLE shares (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid            VARCHAR(36) COLLATE "C" NOT NULL UNIQUE,
    user_id         VARCHAR(64) COLLATE "C" NOT NULL,
    receiver        VARCHAR(64) COLLATE "C" NOT NULL,
    share_type      VARCHAR(32) COLLATE "C" NOT NULL,
    source_password VARCHAR(36) COLLATE "C" NOT NULL,
    target_password VARCHAR(36) COLLATE "C",
    editable        BIGINT NOT NULL,
    shareable       BIGINT NOT NULL,
    expires         BIGINT,
    source_updated  BIGINT NOT NULL,
    target_updated  BIGINT NOT NULL,
    client          TEXT COLLATE "C" NOT NULL,
    deleted         BIGINT NOT NULL,
    created         BIGINT NOT NULL,
    updated         BIGINT NOT NULL
);
CREATE INDEX shares_user_source ON shares (user_id, source_password);
CREATE INDEX shares_receiver ON shares (receiver);

CREATE TABLE job_leases (
    name    VARCHAR(255) COLLATE "C" NOT NULL PRIMARY KEY,
    holder  VARCHAR(255) COLLATE "C" NOT NULL,
    expires BIGINT NOT NULL
);
