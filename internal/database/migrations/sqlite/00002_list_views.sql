-- +goose Up
-- Saved list views of users: private to their owner, or shared with the tenant.
CREATE TABLE list_views (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    object     TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    name       TEXT NOT NULL,
    shared     INTEGER NOT NULL DEFAULT 0,
    definition TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX list_views_object ON list_views (tenant_id, object);

-- +goose Down
DROP TABLE list_views;
