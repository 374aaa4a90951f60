-- A connect session may pick one of the tenant's OAuth apps (auth configs) for the authorization code kind.
alter table connect_sessions add column auth_config_id text;

-- How each account is authorized (a connector's auth kind); accounts linked before kinds existed typed fields.
alter table linked_accounts add column auth_kind text not null default 'fields';
