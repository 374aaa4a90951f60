package dev.keyline.platform.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A single-use connect session. Only the token's SHA-256 hash is kept. */
@Entity
@Table(name = "connect_sessions")
public class ConnectSession extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    @Column(name = "origin_owner_id", nullable = false)
    public String originOwnerId;

    @Column(name = "origin_owner_name", nullable = false)
    public String originOwnerName;

    /** The only provider this session may link, or null for any. */
    public String provider;

    /** The account this session re-links, or null for a new link. */
    @Column(name = "account_id")
    public String accountId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** The tenant's OAuth app (auth config) this session consents with, or null for the default choice. */
    @Column(name = "auth_config_id")
    public String authConfigId;

    @Column(name = "linked_account_id")
    public String linkedAccountId;
}
