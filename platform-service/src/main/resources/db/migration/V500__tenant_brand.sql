-- How the connect page looks for a tenant's customers (issue #22). Null members take the defaults: no logo, the
-- page's own colour, appearance 'system', Keyline shown. The service validates first; the checks keep the rows sane
-- whatever writes them.
alter table tenants add column brand_logo text;
alter table tenants add column brand_primary_color text check (brand_primary_color ~ '^#[0-9a-f]{6}$');
alter table tenants add column brand_appearance text check (brand_appearance in ('light', 'dark', 'system'));
alter table tenants add column brand_hide_keyline boolean;
