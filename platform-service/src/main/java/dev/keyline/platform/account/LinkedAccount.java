package dev.keyline.platform.account;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A provider account linked by an origin owner. Holds only non-secret facts; the credentials live in the
 * credential store under this row's id.
 */
@Entity
@Table(name = "linked_accounts")
public class LinkedAccount extends PanacheEntityBase {
    public static final String ACTIVE = "active";
    public static final String ERROR = "error";
    public static final String UNLINKED = "unlinked";

    @Id
    public String id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "origin_owner_id", nullable = false)
    public String originOwnerId;

    @Column(name = "origin_owner_name", nullable = false)
    public String originOwnerName;

    @Column(nullable = false)
    public String provider;

    @Column(nullable = false)
    public String status;

    /**
     * Linked through a connect session with {@code new_account} beside a live account of the same owner and provider;
     * the owner's ordinary account (the one API links update in place) is the one that is not additional.
     */
    @Column(nullable = false)
    public boolean additional;

    /** The auth kind it was linked with, by its wire name ({@code fields}, {@code oauth2_client_credentials}, …). */
    @Column(name = "auth_kind", nullable = false)
    public String authKind = "fields";

    @Column(name = "status_code")
    public String statusCode;

    @Column(name = "status_message")
    public String statusMessage;

    @Column(name = "status_field")
    public String statusField;

    @Column(name = "validation_summary")
    public String validationSummary;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> facts = new HashMap<>();

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "last_checked_at")
    public Instant lastCheckedAt;

    @Column(name = "unlinked_at")
    public Instant unlinkedAt;

    /** When the periodic health check is next due; null until the first claim (due from last_checked_at). */
    @Column(name = "next_check_at")
    public Instant nextCheckAt;

    @Column(name = "consecutive_unavailable", nullable = false)
    public int consecutiveUnavailable;

    @Column(name = "last_unavailable_code")
    public String lastUnavailableCode;

    @Column(name = "last_unavailable_message")
    public String lastUnavailableMessage;

    /** The provider's own health report as {@link AccountHealth#reportJson} wrote it; null until one was read. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "health_report")
    public Map<String, Object> healthReport;

    @Column(name = "health_checked_at")
    public Instant healthCheckedAt;
}
