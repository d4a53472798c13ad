-- +goose Up
-- The secret outbound webhooks are signed with, sealed under the tenant's
-- data key; created on first use.
ALTER TABLE tenants ADD COLUMN webhook_secret text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tenants DROP COLUMN webhook_secret;
