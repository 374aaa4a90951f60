package dev.keyline.platform.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

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

    /** The only provider this session may link, or null for any or several ({@link #providers}). */
    public String provider;

    /** The providers this session may link, in the tenant's order; null or empty for any. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> providers;

    /** The page's language ({@code de}, …), or null for the browser's. */
    public String locale;

    /** This session's brand override by wire member name ({@code primary_color}, …), or null. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> brand;

    /** Opened on its own from {@code connect_url} (token in the fragment) rather than embedded. */
    @Column(nullable = false)
    public boolean hosted;

    @Column(name = "return_url")
    public String returnUrl;

    /** A link for an owner who already has an account of the provider adds another one instead of refusing. */
    @Column(name = "new_account", nullable = false)
    public boolean newAccount;

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

    /** The providers this session may link; empty for any. */
    public List<String> providerList() {
        if (providers != null && !providers.isEmpty()) {
            return List.copyOf(providers);
        }
        return provider == null ? List.of() : List.of(provider);
    }
}
