-- Networks one tenant's connectors may reach although the egress policy refuses them by default (a customer's
-- SCIM bridge inside its own network), set by an operator (PUT /tenants/{id}/egress). They apply to that
-- tenant's connectors only: never to another tenant, never to webhook URLs.
create table tenant_egress (
    tenant_id   varchar(64) primary key references tenants (id) on delete cascade,
    allow_cidrs text[]      not null,
    allow_hosts text[]      not null,
    updated_at  timestamptz not null
);
