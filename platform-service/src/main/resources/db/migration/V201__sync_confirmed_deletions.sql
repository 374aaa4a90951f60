-- A run an operator started to confirm deletions the guard refused (POST /accounts/{id}/syncs
-- {"confirm_deletions": true}): it may mark more than keyline.sync.max-delete-share deleted, once.
alter table sync_runs add column confirm_deletions boolean not null default false;
