-- +goose Up
ALTER TABLE tenants ADD COLUMN logo_url TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tenants DROP COLUMN logo_url;
