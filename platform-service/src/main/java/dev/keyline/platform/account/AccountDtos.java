package dev.keyline.platform.account;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The account API's bodies. Credentials only ever travel inwards: no response type has a place for them. */
public final class AccountDtos {
    private AccountDtos() {}

    public record LinkAccountRequest(
            @NotBlank @Size(max = 200) String originOwnerId,
            @NotBlank @Size(max = 200) String originOwnerName,
            @NotBlank @Size(max = 64) String provider,
            @NotNull @Size(max = 32) Map<String, String> credentials) {

        @Override
        public String toString() {
            return "LinkAccountRequest[originOwnerId=" + originOwnerId + ", provider=" + provider + "]";
        }
    }

    /**
     * Changes to an account. {@code credentials} are merged over the stored ones (so a token can be rotated
     * alone) and validated before anything is replaced.
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
    public record StatusReason(String code, String message, String field) {}

    public record AccountView(
            String id,
            String originOwnerId,
            String originOwnerName,
            String provider,
            String status,
            StatusReason statusReason,
            String validationSummary,
            Map<String, String> facts,
            Instant createdAt,
            Instant updatedAt,
            Instant lastCheckedAt,
            Instant unlinkedAt) {

        static AccountView of(LinkedAccount a) {
            StatusReason reason =
                    a.statusCode == null ? null : new StatusReason(a.statusCode, a.statusMessage, a.statusField);
            return new AccountView(
                    a.id,
                    a.originOwnerId,
                    a.originOwnerName,
                    a.provider,
                    a.status,
                    reason,
                    a.validationSummary,
                    Map.copyOf(a.facts),
                    a.createdAt,
                    a.updatedAt,
                    a.lastCheckedAt,
                    a.unlinkedAt);
        }
    }

    /** A page of accounts; {@code next} is the cursor of the following page, null on the last. */
    public record AccountPage(List<AccountView> data, String next) {
        public AccountPage {
            data = List.copyOf(data);
        }
    }
}
