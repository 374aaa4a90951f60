package dev.keyline.platform.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An authorization-code consent started from a connect session ({@link OAuthFlowService}). Holds the state's hash and
 * the flow's secrets sealed under the state ({@link OAuthFlowSeal}), never the state or the verifier.
 */
@Entity
@Table(name = "oauth_flows")
public class OAuthFlow extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "session_id", nullable = false)
    public String sessionId;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String provider;

    @Column(name = "state_hash", nullable = false)
    public String stateHash;

    /** The OAuth app the consent asked for ({@code OAuthApp#ref()}); the code is exchanged with the same one. */
    @Column(name = "app_ref", nullable = false)
    public String appRef;

    @Column(nullable = false)
    public byte[] sealed;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** {@code popup} or {@code redirect}: where the consent runs, so the callback page knows whom to tell. */
    @Column(nullable = false)
    public String display = "popup";

    /** The session's existing account this consent re-links in place, or null. */
    @Column(name = "account_id")
    public String accountId;
}
