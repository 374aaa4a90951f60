-- Sync runs queue in PostgreSQL (audit finding 5): every replica's workers take the next queued run in turn across
-- tenants, and a request for an account that already has a queued run gets that run instead of a second one.

-- Runs queued twice for one account before this version: the newest stays queued, the others end superseded.
update sync_runs r set state = 'failed', finished_at = now(), error_code = 'superseded',
    error_message = 'A newer run of this account was queued; this one was dropped in its favour.'
where r.state = 'queued'
  and exists (select 1 from sync_runs n where n.account_id = r.account_id and n.state = 'queued'
              and (n.created_at, n.id) > (r.created_at, r.id));

-- At most one queued run per account, across replicas: the insert of a second one conflicts and joins the first.
create unique index sync_runs_one_queued on sync_runs (account_id) where state = 'queued';
-- The claim orders queued runs by their tenant's running syncs, then by when the tenant last had one start.
create index sync_runs_running_tenant on sync_runs (tenant_id) where state = 'running';
create index sync_runs_tenant_started on sync_runs (tenant_id, started_at) where started_at is not null;
