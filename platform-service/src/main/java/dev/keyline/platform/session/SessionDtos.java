package dev.keyline.platform.session;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.connector.ConnectorView;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public final class SessionDtos {
    private SessionDtos() {}

    /**
     * @param provider limits the session to one connector
     * @param accountId makes the session re-link that account (of the same origin owner)
     * @param expiresIn lifetime in seconds; bounded by configuration, 1800 by default
     * @param authConfigId the tenant's OAuth app (auth config) to consent with, for the authorization code kind;
     *     absent for the tenant's newest for the provider, else the operator's default
     */
    public record CreateSessionRequest(
            @NotBlank @Size(max = 200) String originOwnerId,
            @NotBlank @Size(max = 200) String originOwnerName,
            @Size(max = 64) String provider,
            @Size(max = 64) String accountId,
            Long expiresIn,
            @Size(max = 64) String authConfigId) {}

    /** @param expiresIn the link's lifetime in seconds; bounded by configuration, 7 days by default */
    public record ReconnectLinkRequest(Long expiresIn) {}

    /**
     * A link to send to the account's origin owner: the connect page with the session token in the URL's fragment,
     * which browsers never send to a server. Shown only here, like a session's token.
     */
    public record ReconnectLink(
            @Schema(required = true) String sessionId,

            @Schema(required = true, description = "The connect page, with the single-use token in the fragment")
            String url,

            @Schema(required = true) Instant expiresAt) {
        public ReconnectLink {
            requireNonNull(sessionId, "sessionId is null");
            requireNonNull(url, "url is null");
        }

        @Override
        public String toString() {
            return "ReconnectLink[sessionId=" + sessionId + ", expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * The token is shown only here; give it to the connect UI, never put it in a URL. {@code id} names the session
     * for {@code GET /v1/connect/sessions/{id}}.
     */
    public record CreatedSession(
            @Schema(required = true) String id,
            @Schema(required = true) String token,
            @Schema(required = true) String connectUrl,
            @Schema(required = true) Instant expiresAt) {
        public CreatedSession {
            requireNonNull(id, "id is null");
            requireNonNull(token, "token is null");
        }

        @Override
        public String toString() {
            return "CreatedSession[expiresAt=" + expiresAt + "]";
        }
    }

    /** What the connect UI needs to draw its form. */
    public record SessionView(
            @Schema(required = true) String tenantName,
            @Schema(required = true) String originOwnerName,
            @Schema(required = true) Instant expiresAt,
            @Schema(required = true) List<ConnectorView> connectors,
            @Schema(required = true, nullable = true) RelinkView account) {
        public SessionView {
            connectors = List.copyOf(connectors);
        }
    }

    /** For a re-link: the account's provider and its non-secret values, to pre-fill the form. */
    public record RelinkView(
            @Schema(required = true) String id,
            @Schema(required = true) String provider,
            @Schema(required = true) Map<String, String> values) {}

    /**
     * @param authKind the connector's auth kind the credentials are for ({@code fields}, {@code
     *     oauth2_client_credentials}, {@code jwt_bearer}); null for the connector's default. The authorization code
     *     kind links through {@code POST /v1/connect/session/oauth} instead.
     */
    public record SessionLinkRequest(
            @Size(max = 64) String provider,
            @NotNull @Size(max = 32) Map<String, String> credentials,
            @Size(max = 64) String authKind) {
        public SessionLinkRequest(String provider, Map<String, String> credentials) {
            this(provider, credentials, null);
        }

        @Override
        public String toString() {
            return "SessionLinkRequest[provider=" + provider + ", authKind=" + authKind + "]";
        }
    }

    /**
     * Starts an OAuth consent (the authorization code kind) in a popup.
     *
     * @param values the kind's connector fields (for example the provider's domain), which fill its URL templates
     */
    public record OAuthStartRequest(
            @Size(max = 64) String provider, @Size(max = 32) Map<String, @Size(max = 2048) String> values) {
        @Override
        public String toString() {
            return "OAuthStartRequest[provider=" + provider + "]";
        }
    }

    /**
     * Where to send the person: the provider's authorization page with this flow's {@code state} and PKCE challenge.
     * The provider sends the browser back to {@code <connect base>/oauth/callback}.
     */
    public record OAuthStartResult(@Schema(required = true) String authorizeUrl) {
        @Override
        public String toString() {
            return "OAuthStartResult[…]";
        }
    }

    public record SessionLinkResult(
            @Schema(required = true) String accountId,
            @Schema(required = true) String provider,

            @Schema(
                    required = true,
                    enumeration = {"active", "error", "unlinked"})
            String status,

            @Schema(required = true, nullable = true) String validationSummary) {}

    /**
     * A session as its tenant sees it, never its token: {@code pending} until a link with it succeeds ({@code used},
     * naming the account in {@code linked_account_id}) or it runs out ({@code expired}).
     *
     * @param accountId the account the session re-links, when it was made for one
     * @param authConfigId the auth config the session consents with, when it picked one
     */
    public record SessionStatusView(
            @Schema(required = true) String id,

            @Schema(
                    required = true,
                    enumeration = {"pending", "used", "expired"})
            String state,

            @Schema(required = true) String originOwnerId,
            @Schema(required = true) String originOwnerName,
            @Schema(required = true, nullable = true) String provider,
            @Schema(required = true, nullable = true) String accountId,
            @Schema(required = true, nullable = true) String authConfigId,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant expiresAt,
            @Schema(required = true, nullable = true) Instant usedAt,
            @Schema(required = true, nullable = true) String linkedAccountId) {
        static SessionStatusView of(ConnectSession s, Instant now) {
            String state = s.linkedAccountId != null ? "used" : s.expiresAt.isAfter(now) ? "pending" : "expired";
            return new SessionStatusView(
                    s.id,
                    state,
                    s.originOwnerId,
                    s.originOwnerName,
                    s.provider,
                    s.accountId,
                    s.authConfigId,
                    s.createdAt,
                    s.expiresAt,
                    s.linkedAccountId == null ? null : s.usedAt,
                    s.linkedAccountId);
        }
    }
}
