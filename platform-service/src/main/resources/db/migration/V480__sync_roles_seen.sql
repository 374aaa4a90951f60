-- Runs of providers with roles (SPI 3) count the roles they listed; older runs listed none.
alter table sync_runs add column roles_seen integer not null default 0;
