-- Issue 22: a connect session limited to several providers, in a language and brand of its own, opened on its own
-- (hosted, returning to the tenant's page), and allowed to add a second account of a provider.
alter table connect_sessions add column providers jsonb;
alter table connect_sessions add column locale varchar(8);
alter table connect_sessions add column brand jsonb;
alter table connect_sessions add column hosted boolean not null default false;
alter table connect_sessions add column return_url varchar(2048);
alter table connect_sessions add column new_account boolean not null default false;

-- How the consent was opened (its callback page answers accordingly) and which existing account it re-links.
alter table oauth_flows add column display varchar(16) not null default 'popup'
    check (display in ('popup', 'redirect'));
alter table oauth_flows add column account_id varchar(64);

-- An account linked through a session with new_account beside a live one of the same owner and provider. The
-- unique index keeps one ordinary account per owner and provider, which API links update in place.
alter table linked_accounts add column additional boolean not null default false;
drop index linked_accounts_owner_provider;
create unique index linked_accounts_owner_provider
    on linked_accounts (tenant_id, origin_owner_id, provider) where status <> 'unlinked' and not additional;
