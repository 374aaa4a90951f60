package dev.keyline.platform.session;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.connector.ConnectorView;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

public final class SessionDtos {
    private SessionDtos() {}

    /**
     * @param provider limits the session to one connector
     * @param accountId makes the session re-link that account (of the same origin owner)
     * @param expiresIn lifetime in seconds; bounded by configuration, 1800 by default
     */
    public record CreateSessionRequest(
            @NotBlank @Size(max = 200) String originOwnerId,
            @NotBlank @Size(max = 200) String originOwnerName,
            @Size(max = 64) String provider,
            @Size(max = 64) String accountId,
            Long expiresIn) {}

    /** The token is shown only here; give it to the connect UI, never put it in a URL. */
    public record CreatedSession(String token, String connectUrl, Instant expiresAt) {
        public CreatedSession {
            requireNonNull(token, "token is null");
        }

        @Override
        public String toString() {
            return "CreatedSession[expiresAt=" + expiresAt + "]";
        }
    }

    /** What the connect UI needs to draw its form. */
    public record SessionView(
            String tenantName,
            String originOwnerName,
            Instant expiresAt,
            List<ConnectorView> connectors,
            RelinkView account) {
        public SessionView {
            connectors = List.copyOf(connectors);
        }
    }

    /** For a re-link: the account's provider and its non-secret values, to pre-fill the form. */
    public record RelinkView(String id, String provider, Map<String, String> values) {}

    public record SessionLinkRequest(
            @Size(max = 64) String provider,
            @NotNull @Size(max = 32) Map<String, String> credentials) {
        @Override
        public String toString() {
            return "SessionLinkRequest[provider=" + provider + "]";
        }
    }

    public record SessionLinkResult(String accountId, String provider, String status, String validationSummary) {}
}
