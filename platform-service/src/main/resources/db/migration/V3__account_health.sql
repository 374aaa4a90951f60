-- Account health (V3 belongs to account health). Periodic credential checks are claimed like scheduled syncs:
-- one conditional UPDATE moves next_check_at an interval on, so of several replicas one checks each account.
alter table linked_accounts add column next_check_at timestamptz;
-- Checks in a row that found the provider temporarily unavailable (time-out, 5xx, throttled). Such failures only
-- put an active account in `error` after keyline.health.unavailable-threshold of them; see docs/sync-and-health.md.
alter table linked_accounts add column consecutive_unavailable integer not null default 0;
alter table linked_accounts add column last_unavailable_code varchar(64);
alter table linked_accounts add column last_unavailable_message varchar(2000);
-- The provider's own health report (a self-hosted bridge's /health) from the last check that could read it.
alter table linked_accounts add column health_report jsonb;
alter table linked_accounts add column health_checked_at timestamptz;
create index linked_accounts_check_due on linked_accounts (next_check_at) where status <> 'unlinked';
