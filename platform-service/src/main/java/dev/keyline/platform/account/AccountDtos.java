package dev.keyline.platform.account;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The account API's bodies. Credentials only ever travel inwards: no response type has a place for them. */
public final class AccountDtos {
    private AccountDtos() {}

    public record LinkAccountRequest(
            @NotBlank @Size(max = 200) String originOwnerId,
            @NotBlank @Size(max = 200) String originOwnerName,
            @NotBlank @Size(max = 64) String provider,
            @NotNull @Size(max = 32) Map<String, String> credentials,

            @Schema(
                    description =
                            "How the account is authorized: one of the connector's `auth_kinds`. When absent,"
                                    + " `fields` if the connector offers it, else its only kind that needs no person at the"
                                    + " provider. `oauth2_authorization_code` needs a person: link it through a connect session.",
                    enumeration = {"fields", "oauth2_client_credentials", "jwt_bearer", "oauth2_authorization_code"})
            @Size(max = 64)
            String authKind) {

        /** A request in the form before auth kinds. */
        public LinkAccountRequest(
                String originOwnerId, String originOwnerName, String provider, Map<String, String> credentials) {
            this(originOwnerId, originOwnerName, provider, credentials, null);
        }

        @Override
        public String toString() {
            return "LinkAccountRequest[originOwnerId=" + originOwnerId + ", provider=" + provider + "]";
        }
    }

    /**
     * Changes to an account. {@code credentials} are merged over the stored ones (so a token can be rotated
     * alone) and validated before anything is replaced. Changing a field that decides where requests go (the
     * connector marks it {@code routing}, such as a URL) needs every secret field again: stored secrets never
     * follow a new destination ({@code 400 secrets_required}).
     */
    public record UpdateAccountRequest(
            @Size(min = 1, max = 200) String originOwnerName,
            @Size(max = 32) Map<String, String> credentials) {

        @Override
        public String toString() {
            return "UpdateAccountRequest[originOwnerName=" + originOwnerName + "]";
        }
    }

    /** Why an account is in {@code error}: the connector's code and message, and the field to fix. */
    public record StatusReason(
            @Schema(required = true) String code,
            @Schema(required = true, nullable = true) String message,
            @Schema(required = true, nullable = true) String field) {}

    /** One source of a provider's health report, as the provider gave it. */
    public record HealthCheckView(
            @Schema(required = true, nullable = true) String source,
            @Schema(required = true, nullable = true) String state,
            @Schema(required = true, nullable = true) Instant time,
            @Schema(required = true, nullable = true) Instant expires) {}

    /** The provider's own health report (a self-hosted bridge's {@code /health}); {@code state} is healthy, degraded or unhealthy. */
    public record BridgeHealthView(
            @Schema(
                    required = true,
                    nullable = true,
                    description = "healthy, degraded or unhealthy, as the provider says")
            String state,

            @Schema(required = true, nullable = true) String version,
            @Schema(required = true) List<HealthCheckView> checks,
            @Schema(required = true, nullable = true) Instant retrievedAt) {}

    /**
     * What the health checks know: {@code consecutive_unavailable} counts checks in a row that found the provider
     * temporarily unavailable ({@code last_unavailable} says how); {@code report} is the provider's last health
     * report, read at {@code report_checked_at}, null when it has none.
     */
    public record HealthView(
            @Schema(required = true, nullable = true) Instant lastCheckedAt,
            @Schema(required = true, nullable = true) Instant nextCheckAt,
            @Schema(required = true) int consecutiveUnavailable,
            @Schema(required = true, nullable = true) StatusReason lastUnavailable,
            @Schema(required = true, nullable = true) BridgeHealthView report,
            @Schema(required = true, nullable = true) Instant reportCheckedAt) {}

    public record AccountView(
            @Schema(required = true) String id,
            @Schema(required = true) String originOwnerId,
            @Schema(required = true) String originOwnerName,
            @Schema(required = true) String provider,

            @Schema(
                    required = true,
                    description = "How the account is authorized",
                    enumeration = {"fields", "oauth2_authorization_code", "oauth2_client_credentials", "jwt_bearer"})
            String authKind,

            @Schema(
                    required = true,
                    enumeration = {"active", "error", "unlinked"})
            String status,

            @Schema(required = true, nullable = true) StatusReason statusReason,
            @Schema(required = true, nullable = true) String validationSummary,
            @Schema(required = true) Map<String, String> facts,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt,
            @Schema(required = true, nullable = true) Instant lastCheckedAt,
            @Schema(required = true, nullable = true) Instant unlinkedAt,
            @Schema(required = true) HealthView health) {

        static AccountView of(LinkedAccount a) {
            StatusReason reason =
                    a.statusCode == null ? null : new StatusReason(a.statusCode, a.statusMessage, a.statusField);
            return new AccountView(
                    a.id,
                    a.originOwnerId,
                    a.originOwnerName,
                    a.provider,
                    a.authKind,
                    a.status,
                    reason,
                    a.validationSummary,
                    Map.copyOf(a.facts),
                    a.createdAt,
                    a.updatedAt,
                    a.lastCheckedAt,
                    a.unlinkedAt,
                    new HealthView(
                            a.lastCheckedAt,
                            a.nextCheckAt,
                            a.consecutiveUnavailable,
                            a.lastUnavailableCode == null
                                    ? null
                                    : new StatusReason(a.lastUnavailableCode, a.lastUnavailableMessage, null),
                            AccountHealth.view(a.healthReport),
                            a.healthCheckedAt));
        }
    }

    /** A page of accounts; {@code next} is the cursor of the following page, null on the last. */
    public record AccountPage(
            @Schema(required = true) List<AccountView> data,
            @Schema(required = true, nullable = true) String next) {
        public AccountPage {
            data = List.copyOf(data);
        }
    }
}
