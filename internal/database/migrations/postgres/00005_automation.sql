-- +goose Up
-- The secret outbound webhooks are signed with, sealed under the tenant's
-- data key; created on first use.
ALTER TABLE tenants ADD COLUMN webhook_secret text NOT NULL DEFAULT '';

-- Scheduled workflows of every tenant with their next firing, so that one
-- query each minute finds what is due (kept in step with the metadata).
CREATE TABLE workflow_schedules (
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    object      text NOT NULL,
    workflow    text NOT NULL,
    cron        text NOT NULL,
    time_zone   text NOT NULL,
    next_run_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, object, workflow)
);
CREATE INDEX workflow_schedules_due ON workflow_schedules (next_run_at);

-- +goose Down
DROP TABLE workflow_schedules;
ALTER TABLE tenants DROP COLUMN webhook_secret;
