# Keyline's Vault policy: its credential subtree in the KV v2 mount, nothing else.
#
# Written for the defaults keyline.credentials.vault.mount=secret and keyline.credentials.vault.path-prefix=keyline;
# bootstrap.sh and kubernetes-auth.sh rewrite "secret/" and "/keyline/" when KEYLINE_VAULT_MOUNT or
# KEYLINE_VAULT_PREFIX say otherwise.
#
# Each linked account is one secret at secret/data/keyline/tenants/<tenant>/accounts/<account>, each webhook
# subscription's signing secret one at secret/data/keyline/tenants/<tenant>/webhooks/<subscription>.

# Store, rotate and read one account's credentials.
path "secret/data/keyline/tenants/*" {
  capabilities = ["create", "update", "read"]
}

# Unlink destroys every version (metadata delete); deleting a tenant walks its subtree (list); the orphan sweep
# lists the subtree and reads a leftover's metadata for when it was last written (read).
path "secret/metadata/keyline/tenants/*" {
  capabilities = ["list", "read", "delete"]
}

# The readiness check lists the tenants folder itself: it proves the token, the mount and an unsealed Vault.
path "secret/metadata/keyline/tenants" {
  capabilities = ["list"]
}
