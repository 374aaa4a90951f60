-- Allowed origins saved before they were normalized like a browser's Origin header may name the scheme's default
-- port (https://app.example.com:443), which never matches what a browser sends. Drop it, keeping the first of any
-- duplicates this makes, in the tenant's order.
update tenants t
set allowed_origins = (
    select coalesce(jsonb_agg(deduped.origin order by deduped.first), '[]'::jsonb)
    from (
        select normalized.origin, min(normalized.ord) as first
        from (
            select regexp_replace(regexp_replace(e.value, '^(https://.+):443$', '\1'), '^(http://.+):80$', '\1')
                       as origin,
                   e.ord
            from jsonb_array_elements_text(t.allowed_origins) with ordinality as e(value, ord)
        ) normalized
        group by normalized.origin
    ) deduped
)
where exists (
    select 1
    from jsonb_array_elements_text(t.allowed_origins) as v(value)
    where v.value ~ '^https://.+:443$' or v.value ~ '^http://.+:80$'
);
