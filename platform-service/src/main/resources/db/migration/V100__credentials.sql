-- Credentials of linked accounts, for the local (standalone) credential store. Only AES-256-GCM ciphertext is
-- stored: key version byte | 96-bit nonce | ciphertext and tag, bound to (tenant_id, account_id) as associated
-- data, under a key derived from a master key that lives outside the database. No foreign keys: the Vault
-- store keeps the same entries outside PostgreSQL, and unlinking deletes them explicitly. In production
-- (Vault) this table stays empty.
create table credential_secret (
    tenant_id   varchar(128) not null,
    account_id  varchar(128) not null,
    key_version smallint     not null check (key_version between 1 and 255),
    sealed      bytea        not null,
    updated_at  timestamptz  not null,
    primary key (tenant_id, account_id)
);
