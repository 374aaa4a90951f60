-- Keyline control plane. Tenant-scoped tables carry tenant_id and every query filters by it.
SELECT 1;
