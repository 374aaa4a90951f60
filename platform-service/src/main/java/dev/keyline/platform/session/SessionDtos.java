package dev.keyline.platform.session;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.connector.ConnectorView;
import dev.keyline.platform.tenant.Brand;
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
     * @param provider limits the session to one connector (as {@code providers: [provider]})
     * @param providers limits the choice to these connectors; absent or empty for any
     * @param accountId makes the session re-link that account (of the same origin owner)
     * @param expiresIn lifetime in seconds; bounded by configuration, 1800 by default
     * @param authConfigId the tenant's OAuth app (auth config) to consent with, for the authorization code kind;
     *     absent for the tenant's newest for the provider, else the operator's default
     * @param locale the page's language ({@code en de fr es ja}, or a BCP 47 tag with one of them as its language);
     *     absent for the browser's
     * @param brand this session's look, member by member over the tenant's
     * @param hosted the connect URL carries the token in its fragment, to be opened on its own
     * @param returnUrl where a hosted page sends the person when done; its origin is one of the tenant's allowed
     * @param newAccount a link for an owner who already has an account of the provider adds another one
     */
    public record CreateSessionRequest(
            @NotBlank @Size(max = 200) String originOwnerId,
            @NotBlank @Size(max = 200) String originOwnerName,
            @Size(max = 64) String provider,
            @Size(max = 64) String accountId,
            Long expiresIn,
            @Size(max = 64) String authConfigId,
            @Size(max = 50) List<@NotBlank @Size(max = 64) String> providers,
            @Size(max = 35) String locale,
            Brand brand,
            Boolean hosted,
            @Size(max = 2048) String returnUrl,
            Boolean newAccount) {
        public CreateSessionRequest(
                String originOwnerId,
                String originOwnerName,
                String provider,
                String accountId,
                Long expiresIn,
                String authConfigId) {
            this(
                    originOwnerId,
                    originOwnerName,
                    provider,
                    accountId,
                    expiresIn,
                    authConfigId,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }
    }

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
     * for {@code GET /v1/connect/sessions/{id}}. A hosted session's {@code connect_url} carries the token in its
     * fragment ({@code #token=…}), which browsers never send to a server: treat that URL as the secret it holds.
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

    /**
     * What the connect UI needs to draw its form.
     *
     * @param providers the connectors the session is limited to; empty for any
     * @param brand the effective brand, every member filled
     * @param locale the session's language, else the asked one when supported, else null (the browser's)
     * @param messages message code to sentence in {@code locale}; empty for English
     * @param existingAccounts the origin owner's live accounts of the session's providers, which a link may
     *     re-link by {@code account_id}; empty when the session re-links {@code account}
     */
    public record SessionView(
            @Schema(required = true) String tenantName,
            @Schema(required = true) String originOwnerName,
            @Schema(required = true) Instant expiresAt,
            @Schema(required = true) List<ConnectorView> connectors,
            @Schema(required = true, nullable = true) RelinkView account,
            @Schema(required = true) List<String> providers,
            @Schema(required = true) Brand brand,

            @Schema(
                    required = true,
                    nullable = true,
                    enumeration = {"en", "de", "fr", "es", "ja"})
            String locale,

            @Schema(required = true) Map<String, String> messages,
            @Schema(required = true) boolean hosted,
            @Schema(required = true, nullable = true) String returnUrl,
            @Schema(required = true) boolean newAccount,
            @Schema(required = true) List<ExistingAccount> existingAccounts) {
        public SessionView {
            connectors = List.copyOf(connectors);
            providers = List.copyOf(providers);
            messages = Map.copyOf(messages);
            existingAccounts = List.copyOf(existingAccounts);
        }
    }

    /** An account the origin owner already has: the page offers "Reconnect" for it, pre-filled with these values. */
    public record ExistingAccount(
            @Schema(required = true) String id,
            @Schema(required = true) String provider,

            @Schema(
                    required = true,
                    enumeration = {"active", "error"})
            String status,

            @Schema(required = true, description = "The account's non-secret credential values")
            Map<String, String> values) {}

    /** For a re-link: the account's provider and its non-secret values, to pre-fill the form. */
    public record RelinkView(
            @Schema(required = true) String id,
            @Schema(required = true) String provider,
            @Schema(required = true) Map<String, String> values) {}

    /**
     * @param authKind the connector's auth kind the credentials are for ({@code fields}, {@code
     *     oauth2_client_credentials}, {@code jwt_bearer}); null for the connector's default. The authorization code
     *     kind links through {@code POST /v1/connect/session/oauth} instead.
     * @param accountId re-links this one of the session's {@code existing_accounts} in place
     */
    public record SessionLinkRequest(
            @Size(max = 64) String provider,
            @NotNull @Size(max = 32) Map<String, String> credentials,
            @Size(max = 64) String authKind,
            @Size(max = 64) String accountId) {
        public SessionLinkRequest(String provider, Map<String, String> credentials) {
            this(provider, credentials, null, null);
        }

        public SessionLinkRequest(String provider, Map<String, String> credentials, String authKind) {
            this(provider, credentials, authKind, null);
        }

        @Override
        public String toString() {
            return "SessionLinkRequest[provider=" + provider + ", authKind=" + authKind + ", accountId=" + accountId
                    + "]";
        }
    }

    /**
     * Starts an OAuth consent (the authorization code kind).
     *
     * @param values the kind's connector fields (for example the provider's domain), which fill its URL templates
     * @param accountId re-links this one of the session's {@code existing_accounts} in place
     * @param display {@code popup} (the default): the consent runs in a popup the connect page opened; {@code
     *     redirect}: in the page's own window, which the page navigates to the authorize URL
     */
    public record OAuthStartRequest(
            @Size(max = 64) String provider,
            @Size(max = 32) Map<String, @Size(max = 2048) String> values,
            @Size(max = 64) String accountId,

            @Schema(
                    nullable = true,
                    enumeration = {"popup", "redirect"})
            @Size(max = 16)
            String display) {
        public OAuthStartRequest(String provider, Map<String, String> values) {
            this(provider, values, null, null);
        }

        @Override
        public String toString() {
            return "OAuthStartRequest[provider=" + provider + ", accountId=" + accountId + ", display=" + display + "]";
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
     * @param providers the connectors the session is limited to; empty for any
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
            @Schema(required = true, nullable = true) String linkedAccountId,
            @Schema(required = true) List<String> providers,
            @Schema(required = true) boolean hosted,
            @Schema(required = true, nullable = true) String returnUrl,

            @Schema(
                    required = true,
                    nullable = true,
                    enumeration = {"en", "de", "fr", "es", "ja"})
            String locale,

            @Schema(required = true) boolean newAccount) {
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
                    s.linkedAccountId,
                    s.providerList(),
                    s.hosted,
                    s.returnUrl,
                    s.locale,
                    s.newAccount);
        }
    }
}
