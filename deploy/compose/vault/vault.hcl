# Vault server of the compose setup: file storage on the vault-data volume, plain HTTP on the compose network.
# Evaluation only: in production give the listener a certificate (and Keyline quarkus.vault.tls.*), use
# integrated storage (raft) with several nodes, and unseal with a KMS (seal "awskms" / "gcpckms" / "transit").
storage "file" {
  path = "/vault/file"
}

listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_disable = true
}

# The container gets no IPC_LOCK capability; swap stays the host's concern in this setup.
disable_mlock = true
api_addr      = "http://vault:8200"
ui            = true
