-- Webhook subscriptions and their durable outbox (V300+ belong to webhooks). The signing secret is not here: it
-- lives in the credential store (Vault, or the local AES-GCM store) under the key `whk_<subscription id>`;
-- `secret_version` only tells replicas which version to use, so a rotation reaches every replica's cache at once.
create table webhook_subscriptions (
    id              varchar(64)   primary key,
    tenant_id       varchar(64)   not null references tenants (id) on delete cascade,
    url             varchar(2048) not null,
    -- Event types or patterns: `*`, an exact type such as `sync.completed`, or a prefix such as `iam.user.*`.
    events          text[]        not null,
    description     varchar(500),
    enabled         boolean       not null default true,
    -- Why the service disabled it (e.g. `endpoint_gone` after a 410); null when a person did, or when enabled.
    disabled_reason varchar(64),
    secret_version  integer       not null default 1,
    created_at      timestamptz   not null,
    updated_at      timestamptz   not null
);
create index webhook_subscriptions_tenant on webhook_subscriptions (tenant_id, created_at, id);

-- One row per (event, subscription): the outbox and the delivery log in one. A worker claims due rows by pushing
-- `next_attempt_at` a lease away under a fresh `claim` token (FOR UPDATE SKIP LOCKED, so replicas never claim the
-- same row), sends, and records the outcome only if it still holds the claim.
create table webhook_deliveries (
    id              varchar(64)   primary key,
    tenant_id       varchar(64)   not null references tenants (id) on delete cascade,
    subscription_id varchar(64)   not null references webhook_subscriptions (id) on delete cascade,
    event_id        varchar(64)   not null,
    event_type      varchar(64)   not null,
    -- The exact body sent: our own JSON, never credentials nor a provider's raw payload.
    payload         text          not null,
    state           varchar(16)   not null check (state in ('pending', 'succeeded', 'failed')),
    attempts        integer       not null default 0,
    next_attempt_at timestamptz,
    claim           varchar(64),
    last_status     integer,
    last_error      varchar(300),
    redelivery_of   varchar(64),
    created_at      timestamptz   not null,
    updated_at      timestamptz   not null,
    last_attempt_at timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
create index webhook_deliveries_log on webhook_deliveries (subscription_id, created_at desc, id desc);
create index webhook_deliveries_finished on webhook_deliveries (updated_at) where state <> 'pending';
