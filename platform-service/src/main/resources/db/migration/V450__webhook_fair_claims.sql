-- Deliveries are claimed in turns across tenants and endpoints (WebhookStore.claim): per subscription, its oldest
-- due deliveries, and how many of its deliveries are in flight (claimed, lease not over) on any replica.
create index webhook_deliveries_due_by_subscription
    on webhook_deliveries (subscription_id, next_attempt_at) where state = 'pending';
-- Only the few rows in flight (or left behind by a replica that died mid-send) are in it.
create index webhook_deliveries_in_flight
    on webhook_deliveries (tenant_id, subscription_id) where claim is not null;
-- The global due-order index served the first-in-first-out claim, which no longer exists.
drop index if exists webhook_deliveries_due;
