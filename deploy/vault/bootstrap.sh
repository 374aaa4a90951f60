#!/bin/sh
# Bootstraps the Vault of the compose setup (deploy/compose/compose.yaml runs it as the one-shot vault-init
# service, in the hashicorp/vault image). Safe to run on every start:
#   1. initialises Vault once (one unseal key: an evaluation setup, see docs/operations.md) and unseals it;
#   2. mounts KV v2 at $KEYLINE_VAULT_MOUNT;
#   3. writes the policy "keyline" (keyline-policy.hcl, limited to Keyline's subtree);
#   4. enables AppRole and the role "keyline" bound to that policy only;
#   5. hands Keyline its role id and a secret id in $OUT_DIR/keyline-vault.properties, which Keyline loads
#      through QUARKUS_CONFIG_LOCATIONS. A secret id that still works is kept; otherwise a new one is issued.
#
# The unseal key and root token stay in $STATE_DIR, a volume only this container mounts.
set -eu

: "${VAULT_ADDR:?VAULT_ADDR is required}"
MOUNT="${KEYLINE_VAULT_MOUNT:-secret}"
PREFIX="${KEYLINE_VAULT_PREFIX:-keyline}"
POLICY_FILE="${POLICY_FILE:-/vault/bootstrap/keyline-policy.hcl}"
STATE_DIR="${STATE_DIR:-/vault/state}"
OUT_DIR="${OUT_DIR:-/bootstrap}"
KEYLINE_UID="${KEYLINE_UID:-10001}"
OUT_FILE="$OUT_DIR/keyline-vault.properties"

log() { echo "vault-init: $*"; }

# `vault status` exits 0 when unsealed, 2 when sealed, 1 when it cannot reach or read Vault.
tries=0
while :; do
  rc=0
  vault status >/dev/null 2>&1 || rc=$?
  [ "$rc" -ne 1 ] && break
  tries=$((tries + 1))
  [ "$tries" -ge 60 ] && { log "Vault at $VAULT_ADDR did not answer"; exit 1; }
  sleep 1
done

umask 077
mkdir -p "$STATE_DIR"
init_rc=0
vault operator init -status >/dev/null 2>&1 || init_rc=$?
if [ "$init_rc" -eq 2 ]; then
  log "initialising Vault"
  vault operator init -key-shares=1 -key-threshold=1 > "$STATE_DIR/init.txt"
  sed -n 's/^Unseal Key 1: //p' "$STATE_DIR/init.txt" > "$STATE_DIR/unseal.key"
  sed -n 's/^Initial Root Token: //p' "$STATE_DIR/init.txt" > "$STATE_DIR/root.token"
  rm -f "$STATE_DIR/init.txt"
elif [ "$init_rc" -ne 0 ]; then
  log "cannot tell whether Vault is initialised"; exit 1
fi
[ -s "$STATE_DIR/unseal.key" ] && [ -s "$STATE_DIR/root.token" ] \
  || { log "Vault is initialised but $STATE_DIR holds no unseal key or root token"; exit 1; }

if ! vault status >/dev/null 2>&1; then
  log "unsealing"
  vault operator unseal "$(cat "$STATE_DIR/unseal.key")" >/dev/null
fi
VAULT_TOKEN="$(cat "$STATE_DIR/root.token")"
export VAULT_TOKEN

if vault read "sys/mounts/$MOUNT" >/dev/null 2>&1; then
  vault read -field=options "sys/mounts/$MOUNT" | grep -q 'version:2' \
    || { log "$MOUNT/ is mounted but is not KV version 2"; exit 1; }
else
  log "mounting KV v2 at $MOUNT/"
  vault secrets enable -path="$MOUNT" -version=2 kv >/dev/null
fi

sed -e "s#\"secret/#\"$MOUNT/#" -e "s#/keyline/tenants#/$PREFIX/tenants#" "$POLICY_FILE" > /tmp/keyline-policy.hcl
vault policy write keyline /tmp/keyline-policy.hcl >/dev/null
log "policy keyline limited to $MOUNT/{data,metadata}/$PREFIX/tenants"

vault auth list | grep -q '^approle/' || vault auth enable approle >/dev/null
# Short-lived tokens that Keyline renews by logging in again; the secret id itself does not expire here, as
# Keyline has no way to fetch a new one (rotate it by deleting $OUT_FILE and running this script again).
vault write auth/approle/role/keyline \
  token_policies=keyline token_ttl=1h token_max_ttl=4h \
  secret_id_ttl=0 secret_id_num_uses=0 >/dev/null
ROLE_ID="$(vault read -field=role_id auth/approle/role/keyline/role-id)"

SECRET_ID=""
if [ -s "$OUT_FILE" ]; then
  SECRET_ID="$(sed -n 's/^quarkus\.vault\.authentication\.app-role\.secret-id=//p' "$OUT_FILE")"
  # Depending on the version, Vault answers an unknown secret id with 404 or with an empty success: only a
  # returned accessor proves it is still valid.
  if [ -n "$SECRET_ID" ] && ! vault write -format=json auth/approle/role/keyline/secret-id/lookup \
      secret_id="$SECRET_ID" 2>/dev/null | grep -q '"secret_id_accessor"'; then
    SECRET_ID=""
  fi
fi
if [ -z "$SECRET_ID" ]; then
  log "issuing a new AppRole secret id for Keyline"
  SECRET_ID="$(vault write -f -field=secret_id auth/approle/role/keyline/secret-id)"
fi

mkdir -p "$OUT_DIR"
cat > "$OUT_FILE.tmp" <<PROPS
# Written by deploy/vault/bootstrap.sh: Keyline's AppRole login (loaded through QUARKUS_CONFIG_LOCATIONS).
quarkus.vault.authentication.app-role.role-id=$ROLE_ID
quarkus.vault.authentication.app-role.secret-id=$SECRET_ID
PROPS
chown "$KEYLINE_UID" "$OUT_FILE.tmp"
chmod 0400 "$OUT_FILE.tmp"
mv -f "$OUT_FILE.tmp" "$OUT_FILE"
log "AppRole login for Keyline written to $OUT_FILE"
