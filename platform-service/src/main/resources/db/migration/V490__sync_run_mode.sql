-- Runs of connectors with a user change feed may read only the changes (incremental); every other run is full.
alter table sync_runs add column mode text not null default 'full';
