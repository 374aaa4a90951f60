package dev.keyline.platform.authconfig;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.platform.api.KeysetCursor;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.authconfig.AuthConfigDtos.AuthConfigPage;
import dev.keyline.platform.authconfig.AuthConfigDtos.AuthConfigView;
import dev.keyline.platform.authconfig.AuthConfigDtos.CreateAuthConfigRequest;
import dev.keyline.platform.authconfig.AuthConfigDtos.UpdateAuthConfigRequest;
import dev.keyline.platform.authconfig.AuthConfigStore.AuthConfig;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A tenant's own OAuth apps (auth configs) for the authorization code kind: the client id and scopes in PostgreSQL,
 * the client secret in the credential store, never returned. Another tenant's ids are not found (404).
 */
@ApplicationScoped
public class AuthConfigService {
    private static final Logger LOG = Logger.getLogger(AuthConfigService.class);
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    static final String SECRET = "client_secret";
    /** RFC 6749 section 3.3: a scope token is printable ASCII without space, {@code "} or {@code \}. */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private final AuthConfigStore store;
    private final CredentialStore credentials;
    private final ConnectorRegistry registry;
    private final OAuthRedirect redirect;

    public AuthConfigService(
            AuthConfigStore store, CredentialStore credentials, ConnectorRegistry registry, OAuthRedirect redirect) {
        this.store = requireNonNull(store, "store is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.redirect = requireNonNull(redirect, "redirect is null");
    }

    /** Checks everything, stores the secret, then the row; nothing is left half-made on failure. */
    public AuthConfigView create(String tenantId, CreateAuthConfigRequest request) {
        requireNonNull(tenantId, "tenantId is null");
        String provider = requireAuthorizationCode(request.provider());
        String clientId = required("client_id", request.clientId());
        String secret = secret(request.clientSecret());
        List<String> scopes = scopes(request.scopes());
        String id = "acf_" + UUID.randomUUID().toString().replace("-", "");
        credentials.put(Namespace.AUTH_CONFIGS, tenantId, id, Map.of(SECRET, secret));
        try {
            store.insert(id, tenantId, provider, blankToNull(request.name()), clientId, scopes);
        } catch (RuntimeException e) {
            credentials.delete(Namespace.AUTH_CONFIGS, tenantId, id);
            throw e;
        }
        LOG.infof("Auth config %s registered for provider %s", id, provider);
        return view(require(tenantId, id));
    }

    public AuthConfigPage list(String tenantId, String provider, String pageSize, String cursor) {
        int size = Params.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        KeysetCursor after = KeysetCursor.decode(cursor);
        List<AuthConfig> rows = store.page(
                tenantId, blankToNull(provider), KeysetCursor.atOf(after), KeysetCursor.idOf(after), size + 1);
        var cut = KeysetCursor.slice(rows, size, AuthConfig::createdAt, AuthConfig::id);
        return new AuthConfigPage(cut.shown().stream().map(this::view).toList(), cut.next());
    }

    public AuthConfigView get(String tenantId, String id) {
        return view(require(tenantId, id));
    }

    public AuthConfigView update(String tenantId, String id, UpdateAuthConfigRequest request) {
        require(tenantId, id);
        String clientId = request.clientId() == null ? null : required("client_id", request.clientId());
        String secret = request.clientSecret() == null ? null : secret(request.clientSecret());
        List<String> scopes = request.scopes() == null ? null : scopes(request.scopes());
        if (secret != null) {
            credentials.put(Namespace.AUTH_CONFIGS, tenantId, id, Map.of(SECRET, secret));
            LOG.infof("Auth config %s: client secret replaced", id);
        }
        if (!store.update(tenantId, id, request.name(), clientId, scopes)) {
            // Deleted meanwhile: do not leave the fresh secret behind.
            credentials.delete(Namespace.AUTH_CONFIGS, tenantId, id);
            throw notFound(id);
        }
        return get(tenantId, id);
    }

    /** Destroys the secret first: a failure half-way leaves a config that a repeated DELETE removes. */
    public void delete(String tenantId, String id) {
        require(tenantId, id);
        credentials.delete(Namespace.AUTH_CONFIGS, tenantId, id);
        store.delete(tenantId, id);
        LOG.infof("Auth config %s deleted with its client secret", id);
    }

    /** The tenant's config, or a 404 problem (also for another tenant's id: ids cannot be probed). */
    public AuthConfig require(String tenantId, String id) {
        requireNonNull(tenantId, "tenantId is null");
        return store.find(tenantId, id == null ? "" : id).orElseThrow(() -> notFound(id));
    }

    /**
     * As {@link #require}, and a 400 problem {@code provider_mismatch} on {@code field} when the config is for
     * another provider than {@code provider}.
     */
    public AuthConfig requireFor(String tenantId, String id, String provider, String field) {
        AuthConfig config = require(tenantId, id);
        if (!config.provider().equals(provider)) {
            throw KeylineException.invalid(
                            FailureCode.PROVIDER_MISMATCH,
                            "Auth config " + abbreviate(id) + " is for '" + config.provider() + "', not '" + provider
                                    + "'.")
                    .field(field);
        }
        return config;
    }

    /** The tenant's config, if it has one with this id. */
    Optional<AuthConfig> find(String tenantId, String id) {
        return store.find(tenantId, id);
    }

    /** The tenant's most recently registered config for the provider. */
    Optional<AuthConfig> newest(String tenantId, String provider) {
        return store.newest(tenantId, provider);
    }

    /** The config's client secret; empty when the credential store no longer has it. */
    Optional<String> secret(AuthConfig config) {
        return credentials
                .get(Namespace.AUTH_CONFIGS, config.tenantId(), config.id())
                .map(values -> values.get(SECRET));
    }

    private AuthConfigView view(AuthConfig config) {
        return AuthConfigView.of(config, redirect.uri());
    }

    private String requireAuthorizationCode(String provider) {
        String id = required("provider", provider);
        ConnectorDescriptor descriptor = registry.requireDescriptor(id);
        if (descriptor.authKind(AuthKind.Type.OAUTH2_AUTHORIZATION_CODE).isEmpty()) {
            throw KeylineException.of(
                            Kind.UNPROCESSABLE,
                            FailureCode.AUTH_KIND_UNSUPPORTED,
                            "Auth kind not supported",
                            "'" + id + "' is not connected with "
                                    + AuthKind.Type.OAUTH2_AUTHORIZATION_CODE.wireName()
                                    + ", so it takes no OAuth app: GET /connectors shows its auth kinds.")
                    .field("provider");
        }
        return id;
    }

    private static List<String> scopes(List<String> scopes) {
        if (scopes == null) {
            return List.of();
        }
        for (String scope : scopes) {
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                throw KeylineException.invalid(
                                FailureCode.INVALID_REQUEST,
                                "Each scope must be one word of printable characters, without spaces or quotes.")
                        .field("scopes");
            }
        }
        return scopes.stream().distinct().toList();
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw KeylineException.invalid(FailureCode.INVALID_REQUEST, field + " is required and may not be blank.")
                    .field(field);
        }
        return value.strip();
    }

    /** Taken as given (a secret's spaces may be its own), once it is known not to be blank. */
    private static String secret(String value) {
        required("client_secret", value);
        return value;
    }

    private static KeylineException notFound(String id) {
        return KeylineException.notFound("Auth config " + abbreviate(id));
    }

    private static String abbreviate(String id) {
        return id == null ? "" : id.length() <= 64 ? id : id.substring(0, 61) + "...";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
