-- Synced reads name the store's content for an account by its latest ended run (SyncReadState), looked up on
-- every synced read.
create index sync_runs_finished on sync_runs (account_id, finished_at desc) where finished_at is not null;
