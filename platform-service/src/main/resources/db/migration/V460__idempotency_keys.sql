-- Requests sent with an Idempotency-Key: who sent which key (as a SHA-256 digest) for which request (method, path,
-- query and body, digested), and whether its first answer is complete. The primary key decides, across replicas,
-- which of two requests with the same key runs. The answer itself (status, body, Location, content type) is kept
-- in the credential store's `idempotency` namespace under `id`, never here: it may hold a secret shown once.
-- `owner` is the credential store's tenant for that entry (the tenant, or `_operators`).
create table idempotency_key (
    caller         varchar(300) not null,
    key_digest     char(64)     not null,
    id             varchar(36)  not null unique,
    owner          varchar(128) not null,
    request_digest char(64)     not null,
    state          varchar(8)   not null check (state in ('running', 'done')),
    status         smallint,
    locked_until   timestamptz  not null,
    expires_at     timestamptz  not null,
    created_at     timestamptz  not null default now(),
    primary key (caller, key_digest)
);
-- The purge deletes by expiry.
create index idempotency_key_expiry on idempotency_key (expires_at);
