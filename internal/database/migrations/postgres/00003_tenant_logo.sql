-- +goose Up
ALTER TABLE tenants ADD COLUMN logo_url text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tenants DROP COLUMN logo_url;
