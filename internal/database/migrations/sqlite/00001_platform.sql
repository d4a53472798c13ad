-- +goose Up
CREATE TABLE tenants (
    id               TEXT PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'active',
    locale           TEXT NOT NULL DEFAULT 'zh-CN',
    time_zone        TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    currency         TEXT NOT NULL DEFAULT 'CNY',
    metadata_version INTEGER NOT NULL DEFAULT 0,
    template         TEXT NOT NULL DEFAULT '',
    template_version INTEGER NOT NULL DEFAULT 0,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);

CREATE TABLE operators (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    created_at    DATETIME NOT NULL
);

CREATE TABLE users (
    tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'member',
    status        TEXT NOT NULL DEFAULT 'active',
    locale        TEXT NOT NULL DEFAULT '',
    time_zone     TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email)
);
CREATE UNIQUE INDEX users_id ON users (id);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    tenant_id   TEXT,
    user_id     TEXT,
    operator_id TEXT,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL,
    client_ip   TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id);

CREATE TABLE meta_objects (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    api_name   TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, api_name)
);

-- +goose Down
DROP TABLE meta_objects;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE operators;
DROP TABLE tenants;
