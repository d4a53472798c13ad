-- +goose Up
-- Organisation: roles form the visibility hierarchy (a role sees the records
-- owned by users in the roles below it); org units are departments and
-- teams, used for sharing with a group of people.
CREATE TABLE roles (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    api_name   TEXT NOT NULL,
    name       TEXT NOT NULL,
    parent_id  TEXT,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, api_name)
);

CREATE TABLE org_units (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT 'department',
    parent_id  TEXT,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

ALTER TABLE users ADD COLUMN role_id TEXT;
ALTER TABLE users ADD COLUMN unit_id TEXT;
ALTER TABLE users ADD COLUMN manager_id TEXT;
ALTER TABLE users ADD COLUMN password_changed_at DATETIME;

-- Permission sets are named bundles of casbin policies; the rules
-- themselves live in casbin_rule with the tenant id as the domain.
CREATE TABLE permission_sets (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    api_name    TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    system      BOOLEAN NOT NULL DEFAULT false,
    -- Default sets are given to new members created without a choice.
    is_default  BOOLEAN NOT NULL DEFAULT false,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, api_name)
);

-- The gorm casbin adapter's table, created here so that migrations own the
-- schema (the adapter's auto-migration is off).
CREATE TABLE casbin_rule (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    ptype TEXT NOT NULL DEFAULT '',
    v0    TEXT NOT NULL DEFAULT '',
    v1    TEXT NOT NULL DEFAULT '',
    v2    TEXT NOT NULL DEFAULT '',
    v3    TEXT NOT NULL DEFAULT '',
    v4    TEXT NOT NULL DEFAULT '',
    v5    TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX casbin_rule_unique ON casbin_rule (ptype, v0, v1, v2, v3, v4, v5);
-- A tenant's policies are loaded by domain: v1 in p rows, v2 in g rows.
CREATE INDEX casbin_rule_p_domain ON casbin_rule (v1) WHERE ptype = 'p';
CREATE INDEX casbin_rule_g_domain ON casbin_rule (v2) WHERE ptype = 'g';

CREATE TABLE api_keys (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    name            TEXT NOT NULL,
    prefix          TEXT NOT NULL UNIQUE,
    secret_hash     TEXT NOT NULL,
    permission_sets TEXT NOT NULL DEFAULT '[]',
    expires_at      DATETIME,
    revoked_at      DATETIME,
    last_used_at    DATETIME,
    created_by      TEXT NOT NULL,
    created_at      DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

ALTER TABLE sessions ADD COLUMN csrf_token TEXT NOT NULL DEFAULT '';

-- Single sign-on per tenant, and the state of logins in flight.
CREATE TABLE tenant_sso (
    tenant_id         TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    enabled           BOOLEAN NOT NULL DEFAULT false,
    label             TEXT NOT NULL DEFAULT '',
    issuer            TEXT NOT NULL DEFAULT '',
    client_id         TEXT NOT NULL DEFAULT '',
    client_secret_enc TEXT NOT NULL DEFAULT '',
    allowed_domains   TEXT NOT NULL DEFAULT '[]',
    updated_at        DATETIME NOT NULL
);
CREATE TABLE oidc_logins (
    state      TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

-- The tenant's data key (wrapped by the master key) for encrypted fields,
-- its security policy, and the version of its namespace's system tables.
ALTER TABLE tenants ADD COLUMN data_key TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN security TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tenants ADD COLUMN namespace_version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE tenants DROP COLUMN namespace_version;
ALTER TABLE tenants DROP COLUMN security;
ALTER TABLE tenants DROP COLUMN data_key;
DROP TABLE oidc_logins;
DROP TABLE tenant_sso;
ALTER TABLE sessions DROP COLUMN csrf_token;
DROP TABLE api_keys;
DROP TABLE casbin_rule;
DROP TABLE permission_sets;
ALTER TABLE users DROP COLUMN password_changed_at;
ALTER TABLE users DROP COLUMN manager_id;
ALTER TABLE users DROP COLUMN unit_id;
ALTER TABLE users DROP COLUMN role_id;
DROP TABLE org_units;
DROP TABLE roles;
