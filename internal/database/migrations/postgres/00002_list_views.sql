-- +goose Up
-- Saved list views of users: private to their owner, or shared with the tenant.
CREATE TABLE list_views (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    object     text NOT NULL,
    owner_id   uuid NOT NULL,
    name       text NOT NULL,
    shared     boolean NOT NULL DEFAULT false,
    definition text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX list_views_object ON list_views (tenant_id, object);

-- +goose Down
DROP TABLE list_views;
