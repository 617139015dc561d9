-- schema: Passwords server, initial schema (MySQL/MariaDB).
--
-- Conventions shared by the three backends (sqlite/, postgres/, mysql/ hold the same file names):
-- * integers and booleans are 64-bit integers; booleans are 0/1 and converted in Rust;
-- * UUIDs are 36-character hyphenated text, user ids at most 64 characters;
-- * sealed (encrypted) fields are binary blobs, copied byte for byte;
-- * text compares byte-exact and case-sensitive (every table is utf8mb4 / utf8mb4_bin);
-- * free text is MEDIUMTEXT (TEXT stops at 64 KiB), sealed fields LONGBLOB;
-- * model tables have numeric ids that are never reused (AUTO_INCREMENT, persistent in InnoDB);
-- * `deleted` is a soft delete: live rows have deleted = 0.

CREATE TABLE accounts (
    uid           VARCHAR(64) NOT NULL PRIMARY KEY,
    display_name  MEDIUMTEXT NOT NULL,
    password_hash MEDIUMTEXT,
    enabled       BIGINT NOT NULL,
    removed       BIGINT NOT NULL,
    created       BIGINT NOT NULL,
    updated       BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE app_passwords (
    uid        VARCHAR(64) NOT NULL,
    name       VARCHAR(255) NOT NULL,
    token_hash LONGBLOB NOT NULL,
    created    BIGINT NOT NULL,
    last_used  BIGINT,
    PRIMARY KEY (uid, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX app_passwords_token_hash ON app_passwords (token_hash(64));

CREATE TABLE user_keys (
    uid     VARCHAR(64) NOT NULL PRIMARY KEY,
    wrapped LONGBLOB NOT NULL,
    created BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE app_settings (
    setting_key   VARCHAR(255) NOT NULL PRIMARY KEY,
    setting_value MEDIUMTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE user_settings (
    uid           VARCHAR(64) NOT NULL,
    setting_key   VARCHAR(255) NOT NULL,
    setting_value MEDIUMTEXT NOT NULL,
    PRIMARY KEY (uid, setting_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE passwords (
    id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uuid       VARCHAR(36) NOT NULL UNIQUE,
    user_id    VARCHAR(64) NOT NULL,
    revision   VARCHAR(36) NOT NULL,
    share_id   VARCHAR(36),
    has_shares BIGINT NOT NULL,
    editable   BIGINT NOT NULL,
    suspended  BIGINT NOT NULL,
    deleted    BIGINT NOT NULL,
    created    BIGINT NOT NULL,
    updated    BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX passwords_user_id ON passwords (user_id);

CREATE TABLE password_revisions (
    id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uuid          VARCHAR(36) NOT NULL UNIQUE,
    user_id       VARCHAR(64) NOT NULL,
    model         VARCHAR(36) NOT NULL,
    folder        VARCHAR(36) NOT NULL,
    label         LONGBLOB NOT NULL,
    username      LONGBLOB NOT NULL,
    password      LONGBLOB NOT NULL,
    url           LONGBLOB NOT NULL,
    notes         LONGBLOB NOT NULL,
    custom_fields LONGBLOB NOT NULL,
    hash          VARCHAR(128) NOT NULL,
    cse_type      MEDIUMTEXT NOT NULL,
    cse_key       MEDIUMTEXT NOT NULL,
    sse_type      MEDIUMTEXT NOT NULL,
    status        BIGINT NOT NULL,
    status_code   VARCHAR(16) NOT NULL,
    hidden        BIGINT NOT NULL,
    trashed       BIGINT NOT NULL,
    favorite      BIGINT NOT NULL,
    edited        BIGINT NOT NULL,
    client        MEDIUMTEXT NOT NULL,
    created       BIGINT NOT NULL,
    updated       BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX password_revisions_user_model ON password_revisions (user_id, model);
CREATE INDEX password_revisions_user_hash ON password_revisions (user_id, hash);

CREATE TABLE folders (
    id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uuid      VARCHAR(36) NOT NULL UNIQUE,
    user_id   VARCHAR(64) NOT NULL,
    revision  VARCHAR(36) NOT NULL,
    suspended BIGINT NOT NULL,
    deleted   BIGINT NOT NULL,
    created   BIGINT NOT NULL,
    updated   BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX folders_user_id ON folders (user_id);

CREATE TABLE folder_revisions (
    id       BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uuid     VARCHAR(36) NOT NULL UNIQUE,
    user_id  VARCHAR(64) NOT NULL,
    model    VARCHAR(36) NOT NULL,
    parent   VARCHAR(36) NOT NULL,
    label    LONGBLOB NOT NULL,
    cse_type MEDIUMTEXT NOT NULL,
    cse_key  MEDIUMTEXT NOT NULL,
    sse_type MEDIUMTEXT NOT NULL,
    hidden   BIGINT NOT NULL,
    trashed  BIGINT NOT NULL,
    favorite BIGINT NOT NULL,
    edited   BIGINT NOT NULL,
    client   MEDIUMTEXT NOT NULL,
    created  BIGINT NOT NULL,
    updated  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX folder_revisions_user_model ON folder_revisions (user_id, model);

CREATE TABLE tags (
    id       BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uuid     VARCHAR(36) NOT NULL UNIQUE,
    user_id  VARCHAR(64) NOT NULL,
    revision VARCHAR(36) NOT NULL,
    deleted  BIGINT NOT NULL,
    created  BIGINT NOT NULL,
    updated  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX tags_user_id ON tags (user_id);

CREATE TABLE tag_revisions (
    id       BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uuid     VARCHAR(36) NOT NULL UNIQUE,
    user_id  VARCHAR(64) NOT NULL,
    model    VARCHAR(36) NOT NULL,
    label    LONGBLOB NOT NULL,
    color    LONGBLOB NOT NULL,
    cse_type MEDIUMTEXT NOT NULL,
    cse_key  MEDIUMTEXT NOT NULL,
    sse_type MEDIUMTEXT NOT NULL,
    hidden   BIGINT NOT NULL,
    trashed  BIGINT NOT NULL,
    favorite BIGINT NOT NULL,
    edited   BIGINT NOT NULL,
    client   MEDIUMTEXT NOT NULL,
    created  BIGINT NOT NULL,
    updated  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX tag_revisions_user_model ON tag_revisions (user_id, model);

CREATE TABLE password_tag_relations (
    id                BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uuid              VARCHAR(36) NOT NULL UNIQUE,
    user_id           VARCHAR(64) NOT NULL,
    password          VARCHAR(36) NOT NULL,
    password_revision VARCHAR(36) NOT NULL,
    tag               VARCHAR(36) NOT NULL,
    tag_revision      VARCHAR(36) NOT NULL,
    hidden            BIGINT NOT NULL,
    client            MEDIUMTEXT NOT NULL,
    deleted           BIGINT NOT NULL,
    created           BIGINT NOT NULL,
    updated           BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX password_tag_relations_user_password ON password_tag_relations (user_id, password);
CREATE INDEX password_tag_relations_user_tag ON password_tag_relations (user_id, tag);

CREATE TABLE shares (
    id              BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uuid            VARCHAR(36) NOT NULL UNIQUE,
    user_id         VARCHAR(64) NOT NULL,
    receiver        VARCHAR(64) NOT NULL,
    share_type      VARCHAR(32) NOT NULL,
    source_password VARCHAR(36) NOT NULL,
    target_password VARCHAR(36),
    editable        BIGINT NOT NULL,
    shareable       BIGINT NOT NULL,
    expires         BIGINT,
    source_updated  BIGINT NOT NULL,
    target_updated  BIGINT NOT NULL,
    client          MEDIUMTEXT NOT NULL,
    deleted         BIGINT NOT NULL,
    created         BIGINT NOT NULL,
    updated         BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX shares_user_source ON shares (user_id, source_password);
CREATE INDEX shares_receiver ON shares (receiver);

CREATE TABLE job_leases (
    name    VARCHAR(255) NOT NULL PRIMARY KEY,
    holder  VARCHAR(255) NOT NULL,
    expires BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
