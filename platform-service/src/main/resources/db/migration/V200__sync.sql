-- Sync runs and the per-account sync lease (V200+ belong to sync). The synced records themselves and the
-- change log live in MongoDB.

create table sync_runs (
    id            varchar(64)   primary key,
    tenant_id     varchar(64)   not null references tenants (id) on delete cascade,
    account_id    varchar(64)   not null references linked_accounts (id) on delete cascade,
    trigger       varchar(16)   not null check (trigger in ('initial', 'manual', 'scheduled')),
    state         varchar(16)   not null check (state in ('queued', 'running', 'succeeded', 'failed')),
    -- The replica that ran it, for operators reading logs.
    owner         varchar(100),
    created_at    timestamptz   not null,
    started_at    timestamptz,
    finished_at   timestamptz,
    pages         integer       not null default 0,
    users_seen    integer       not null default 0,
    groups_seen   integer       not null default 0,
    added         integer       not null default 0,
    updated       integer       not null default 0,
    deleted       integer       not null default 0,
    reappeared    integer       not null default 0,
    error_code    varchar(64),
    error_message varchar(2000)
);
create index sync_runs_account on sync_runs (account_id, created_at desc);
create index sync_runs_running on sync_runs (state) where state in ('queued', 'running');

-- One row per account that ever synced or is due. `owner` + `expires_at` is the lease: a replica takes it with
-- one UPDATE that only matches a free or expired lease, and renews it while its run lives. `next_due_at` is
-- claimed the same way by the schedulers of all replicas, so one scheduled run starts per interval.
create table sync_leases (
    account_id       varchar(64)  primary key references linked_accounts (id) on delete cascade,
    tenant_id        varchar(64)  not null references tenants (id) on delete cascade,
    owner            varchar(100),
    run_id           varchar(64),
    expires_at       timestamptz,
    -- Per-account schedule; null means keyline.sync.scheduler.interval.
    interval_seconds integer      check (interval_seconds is null or interval_seconds >= 60),
    next_due_at      timestamptz,
    last_success_at  timestamptz
);
create index sync_leases_due on sync_leases (next_due_at);
