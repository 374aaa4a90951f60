-- One namespace per kind of secret in the local credential store, as Vault has one path segment per kind
-- (tenants/<tenant>/accounts/<id>, tenants/<tenant>/webhooks/<id>): the orphan sweep lists `accounts` only, so it
-- can never destroy a webhook's signing secret again. Existing rows are account credentials, or signing secrets
-- an earlier version kept beside them as `whk_<subscription id>`; both stay where they are (their ciphertexts
-- are bound to tenant and id, so moving them here would need the key). The sweep recognises and skips `whk_`
-- ids, and the webhook code moves each to the `webhooks` namespace the first time it reads it.
alter table credential_secret add column namespace varchar(16) not null default 'accounts';
alter table credential_secret drop constraint credential_secret_pkey;
alter table credential_secret add primary key (namespace, tenant_id, account_id);
-- Deleting a tenant's secrets of every namespace.
create index credential_secret_tenant on credential_secret (tenant_id);
