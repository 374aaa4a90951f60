-- The fingerprint of each master key version the local credential store has sealed with: an HKDF-derived value
-- that identifies the key without revealing it. A start with another key (master.key deleted or replaced) is
-- recognised and refused before it could answer with credentials it cannot open.
create table credential_key (
    key_version smallint    primary key check (key_version between 1 and 255),
    fingerprint char(64)    not null,
    recorded_at timestamptz not null
);
