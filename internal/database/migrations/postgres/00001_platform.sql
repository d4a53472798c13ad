-- +goose Up
CREATE TABLE tenants (
    id               uuid PRIMARY KEY,
    key              text NOT NULL UNIQUE,
    name             text NOT NULL,
    status           text NOT NULL DEFAULT 'active',
    locale           text NOT NULL DEFAULT 'zh-CN',
    time_zone        text NOT NULL DEFAULT 'Asia/Shanghai',
    currency         text NOT NULL DEFAULT 'CNY',
    metadata_version bigint NOT NULL DEFAULT 0,
    template         text NOT NULL DEFAULT '',
    template_version integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE TABLE operators (
    id            uuid PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE TABLE users (
    tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    email         text NOT NULL,
    name          text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'member',
    status        text NOT NULL DEFAULT 'active',
    locale        text NOT NULL DEFAULT '',
    time_zone     text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email)
);
CREATE UNIQUE INDEX users_id ON users (id);

CREATE TABLE sessions (
    token_hash  text PRIMARY KEY,
    tenant_id   uuid,
    user_id     uuid,
    operator_id uuid,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    client_ip   text NOT NULL DEFAULT '',
    user_agent  text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id);

CREATE TABLE meta_objects (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    api_name   text NOT NULL,
    definition text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, api_name)
);

-- +goose Down
DROP TABLE meta_objects;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE operators;
DROP TABLE tenants;
