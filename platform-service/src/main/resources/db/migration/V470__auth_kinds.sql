-- A connect session may pick one of the tenant's OAuth apps (auth configs) for the authorization code kind.
alter table connect_sessions add column auth_config_id text;
