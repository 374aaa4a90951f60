-- One authorization-code consent started from a connect session. Only the state's SHA-256 hash is kept; the PKCE
-- verifier and the connector's field values are sealed (AES-256-GCM) under a key derived from the state itself, so
-- this table alone cannot answer a callback or redeem a code. Rows go with their session.
create table oauth_flows (
    id          varchar(64)  primary key,
    session_id  varchar(64)  not null references connect_sessions (id) on delete cascade,
    tenant_id   varchar(64)  not null,
    provider    varchar(64)  not null,
    state_hash  char(64)     not null unique,
    app_ref     varchar(200) not null,
    sealed      bytea        not null,
    created_at  timestamptz  not null,
    expires_at  timestamptz  not null,
    used_at     timestamptz
);
create index oauth_flows_session on oauth_flows (session_id);
