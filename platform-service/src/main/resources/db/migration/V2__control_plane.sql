-- Tenants, their API keys, linked accounts and connect sessions. Secrets never live here: API keys and
-- session tokens are stored as SHA-256 hashes, and linked-account credentials live in the credential store.

create table tenants (
    id              varchar(64)  primary key,
    name            varchar(200) not null,
    -- JSON array of origins ("https://app.example.com") the connect UI may be embedded in.
    allowed_origins jsonb        not null default '[]',
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null
);

create table api_keys (
    id            varchar(64)  primary key,
    tenant_id     varchar(64)  not null references tenants (id) on delete cascade,
    key_hash      char(64)     not null unique,
    -- The first characters of the key, so people can tell keys apart without the key itself.
    display_prefix varchar(32) not null,
    name          varchar(200),
    created_at    timestamptz  not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create index api_keys_tenant on api_keys (tenant_id);

create table linked_accounts (
    id                 varchar(64)   primary key,
    tenant_id          varchar(64)   not null references tenants (id) on delete cascade,
    origin_owner_id    varchar(200)  not null,
    origin_owner_name  varchar(200)  not null,
    provider           varchar(64)   not null,
    status             varchar(16)   not null check (status in ('active', 'error', 'unlinked')),
    status_code        varchar(64),
    status_message     varchar(2000),
    status_field       varchar(64),
    validation_summary varchar(2000),
    -- Non-secret facts reported by the connector's validation (e.g. deployment kind).
    facts              jsonb         not null default '{}',
    created_at         timestamptz   not null,
    updated_at         timestamptz   not null,
    last_checked_at    timestamptz,
    unlinked_at        timestamptz
);
-- One live account per origin owner and provider: re-linking updates it instead of adding a duplicate.
create unique index linked_accounts_owner_provider
    on linked_accounts (tenant_id, origin_owner_id, provider) where status <> 'unlinked';
create index linked_accounts_tenant_page on linked_accounts (tenant_id, created_at, id);

create table connect_sessions (
    id                varchar(64)  primary key,
    tenant_id         varchar(64)  not null references tenants (id) on delete cascade,
    token_hash        char(64)     not null unique,
    origin_owner_id   varchar(200) not null,
    origin_owner_name varchar(200) not null,
    provider          varchar(64),
    account_id        varchar(64)  references linked_accounts (id) on delete cascade,
    created_at        timestamptz  not null,
    expires_at        timestamptz  not null,
    used_at           timestamptz,
    linked_account_id varchar(64)
);
create index connect_sessions_tenant on connect_sessions (tenant_id);
