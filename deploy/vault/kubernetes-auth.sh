#!/bin/sh
# Lets Keyline's pods log in to Vault with their Kubernetes service account (deploy/k8s: service account
# "keyline" in namespace "keyline"; Keyline sets quarkus.vault.authentication.kubernetes.role=keyline).
#
# Run once with an admin token against a Vault that can reach the cluster's API server:
#   VAULT_ADDR=https://vault.example:8200 VAULT_TOKEN=... ./deploy/vault/kubernetes-auth.sh
# When Vault runs inside the cluster, kubernetes_host is enough: Vault reviews tokens with its own service
# account. From outside, also pass KUBERNETES_CA_CERT (path to the cluster CA) and TOKEN_REVIEWER_JWT.
set -eu

: "${VAULT_ADDR:?VAULT_ADDR is required}"
: "${VAULT_TOKEN:?VAULT_TOKEN (an admin token) is required}"
MOUNT="${KEYLINE_VAULT_MOUNT:-secret}"
PREFIX="${KEYLINE_VAULT_PREFIX:-keyline}"
NAMESPACE="${KEYLINE_NAMESPACE:-keyline}"
SERVICE_ACCOUNT="${KEYLINE_SERVICE_ACCOUNT:-keyline}"
KUBERNETES_HOST="${KUBERNETES_HOST:-https://kubernetes.default.svc}"
HERE="$(cd "$(dirname "$0")" && pwd)"

if ! vault read "sys/mounts/$MOUNT" >/dev/null 2>&1; then
  vault secrets enable -path="$MOUNT" -version=2 kv >/dev/null
fi
sed -e "s#\"secret/#\"$MOUNT/#" -e "s#/keyline/tenants#/$PREFIX/tenants#" "$HERE/keyline-policy.hcl" \
  | vault policy write keyline - >/dev/null

vault auth list | grep -q '^kubernetes/' || vault auth enable kubernetes >/dev/null
if [ -n "${KUBERNETES_CA_CERT:-}" ]; then
  vault write auth/kubernetes/config kubernetes_host="$KUBERNETES_HOST" \
    kubernetes_ca_cert=@"$KUBERNETES_CA_CERT" token_reviewer_jwt="${TOKEN_REVIEWER_JWT:?TOKEN_REVIEWER_JWT is required with KUBERNETES_CA_CERT}" >/dev/null
else
  vault write auth/kubernetes/config kubernetes_host="$KUBERNETES_HOST" >/dev/null
fi

# Only this service account in this namespace may take the role, with a token minted for Vault (the pods
# project one with audience "vault"), and the role grants only the keyline policy.
vault write auth/kubernetes/role/keyline \
  bound_service_account_names="$SERVICE_ACCOUNT" \
  bound_service_account_namespaces="$NAMESPACE" \
  audience=vault \
  token_policies=keyline token_ttl=1h token_max_ttl=4h >/dev/null
echo "Vault role keyline: service account $NAMESPACE/$SERVICE_ACCOUNT, policy keyline ($MOUNT/$PREFIX/tenants)"
