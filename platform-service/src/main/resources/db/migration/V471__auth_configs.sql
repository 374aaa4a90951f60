-- A tenant's own OAuth apps, one or more per provider, for the authorization code kind. The client secret is in the
-- credential store's `auth-configs` namespace under `id`, never here. Scopes are single words, as webhook events
-- are, hence text[]. Rows go with their tenant; its credential-store entries go with deleteTenant.
create table auth_configs (
    id         varchar(64)  primary key,
    tenant_id  varchar(64)  not null references tenants (id) on delete cascade,
    provider   varchar(64)  not null,
    name       varchar(200),
    client_id  varchar(512) not null,
    scopes     text[]       not null default '{}',
    created_at timestamptz  not null,
    updated_at timestamptz  not null
);
-- Listing by tenant (optionally by provider) in creation order, and the newest config of a provider.
create index auth_configs_tenant_provider on auth_configs (tenant_id, provider, created_at, id);
create index auth_configs_tenant on auth_configs (tenant_id, created_at, id);
