-- The per-account request log (issue #23): every upstream request a connector made and every API call made for an
-- account, written in batches off the request path and purged by age and by a cap per account. A link attempt has
-- no account yet: its upstream requests are kept under the tenant with a null account_id. The path holds no query
-- values (only the keys); headers and bodies are never stored.
create table request_log (
    id             varchar(40)  primary key,
    tenant_id      varchar(64)  not null references tenants (id) on delete cascade,
    account_id     varchar(64),
    kind           varchar(16)  not null check (kind in ('upstream', 'api')),
    at             timestamptz  not null,
    method         varchar(16)  not null,
    path_template  text         not null,
    path           text         not null,
    status         integer,
    latency_ms     bigint       not null,
    response_bytes bigint,
    attempt        integer,
    error_code     varchar(64),
    actor          varchar(200),
    provider       varchar(100),
    operation      varchar(64)
);

-- Newest first per account (the read and the cap), and by age for the retention purge.
create index request_log_account_at on request_log (tenant_id, account_id, at desc, id desc);
create index request_log_at on request_log (at);
