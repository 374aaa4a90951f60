package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.connector.TokenFailureDiagnoses;
import dev.keyline.platform.oauth.AuthForms;
import dev.keyline.platform.oauth.KindGrants;
import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.oauth.TokenSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The account side of auth kinds: which kind a link uses, what of a request is stored for it, and the authorization
 * a connector runs with while it is validated. Linked accounts' authorizations (renewed as they expire) come from
 * {@link AccountAuthorizations}.
 */
@ApplicationScoped
public class AuthKinds {
    /** Longer than a fields credential may be: a service-account JSON key file is about 2.3 KB, a PEM chain more. */
    private static final int MAX_VALUE_LENGTH = 16_384;

    private static final List<String> TOKEN_KEYS = List.of(
            OAuthValues.ACCESS_TOKEN,
            OAuthValues.TOKEN_TYPE,
            OAuthValues.EXPIRES_AT,
            OAuthValues.REFRESH_TOKEN,
            OAuthValues.SCOPE);

    @Inject
    KindGrants grants;

    @Inject
    TokenFailureDiagnoses diagnoses;

    @Inject
    AccountAuthorizations authorizations;

    /** A validation's authorization and what to store with it. */
    record Authorized(Map<String, String> stored, Authorization authorization) {}

    /**
     * The kind a link uses: the one asked for, else {@code fields} when the connector offers it, else its only kind
     * that needs no person at the provider.
     */
    static AuthKind resolve(ConnectorDescriptor descriptor, String wire) {
        if (wire != null && !wire.isBlank()) {
            return AuthKind.Type.fromWire(wire.strip())
                    .flatMap(descriptor::authKind)
                    .orElseThrow(() -> KeylineException.invalid(
                                    FailureCode.AUTH_KIND_UNSUPPORTED,
                                    "The connector '" + descriptor.id() + "' is not authorized with '" + wire
                                            + "'. It offers " + wires(descriptor) + ".")
                            .field("auth_kind"));
        }
        if (descriptor.authKind(AuthKind.Type.FIELDS).isPresent()) {
            return AuthKind.fields();
        }
        List<AuthKind> headless = descriptor.authKinds().stream()
                .filter(k -> k.type() != AuthKind.Type.OAUTH2_AUTHORIZATION_CODE)
                .toList();
        if (headless.size() == 1) {
            return headless.get(0);
        }
        if (headless.isEmpty()) {
            throw interactive(descriptor);
        }
        throw KeylineException.invalid(
                        FailureCode.AUTH_KIND_REQUIRED,
                        "The connector '" + descriptor.id() + "' offers " + wires(descriptor)
                                + "; say which with `auth_kind`.")
                .field("auth_kind");
    }

    /**
     * A request's credentials in stored form: unchanged for {@code fields}; for other kinds the connector's fields of
     * that kind plus the platform's {@code auth.*} entries. {@code authorized} is what a consent yielded (never from a
     * request body), required by the authorization code kind.
     */
    Map<String, String> prepare(
            ConnectorDescriptor descriptor,
            String wire,
            Map<String, String> credentials,
            Map<String, String> authorized) {
        requireNonNull(credentials, "credentials is null");
        AuthKind kind = authorized != null && wire == null
                ? resolve(descriptor, authorized.get(OAuthValues.KIND))
                : resolve(descriptor, wire);
        if (kind.type() == AuthKind.Type.FIELDS) {
            return credentials;
        }
        rejectUnknown(descriptor, kind, credentials);
        if (kind.type() == AuthKind.Type.OAUTH2_AUTHORIZATION_CODE && authorized == null) {
            throw interactive(descriptor);
        }
        Map<String, String> stored = AuthForms.toStored(descriptor, kind, credentials);
        if (authorized != null) {
            stored.putAll(OAuthValues.platformValues(authorized));
        }
        stored.put(OAuthValues.KIND, kind.type().wireName());
        return stored;
    }

    /**
     * The stored values with an update's {@code changes} merged in. A {@code fields} account merges as it always
     * did; a client-credentials or service-account account merges the form's fields (moving a routing field needs its
     * secret again) and drops its tokens so the new values are proven by a fresh grant; an authorization code account
     * changes only through a new consent ({@code authorized}).
     */
    Map<String, String> mergeForUpdate(
            ConnectorFactory factory,
            Map<String, String> stored,
            Map<String, String> changes,
            Map<String, String> authorized) {
        ConnectorDescriptor descriptor = factory.descriptor();
        if (authorized != null) {
            AuthKind kind = resolve(descriptor, authorized.get(OAuthValues.KIND));
            rejectUnknown(descriptor, kind, changes);
            Map<String, String> merged = new TreeMap<>();
            Set<String> keys = Set.copyOf(kind.fieldKeys());
            OAuthValues.connectorValues(stored).forEach((k, v) -> {
                if (keys.contains(k)) {
                    merged.put(k, v);
                }
            });
            merged.putAll(AuthForms.toStored(descriptor, kind, changes));
            merged.putAll(OAuthValues.platformValues(authorized));
            merged.put(OAuthValues.KIND, kind.type().wireName());
            return merged;
        }
        AuthKind.Type type = OAuthValues.kind(stored);
        if (type == AuthKind.Type.FIELDS) {
            LinkValidation.rejectUnknownFields(descriptor, changes);
            DestinationGuard.requireSecretsForNewDestination(factory, stored, changes);
            return merge(stored, changes);
        }
        AuthKind kind = KindGrants.kindOf(descriptor, stored);
        if (type == AuthKind.Type.OAUTH2_AUTHORIZATION_CODE) {
            throw KeylineException.invalid(
                            FailureCode.AUTH_KIND_INTERACTIVE,
                            "This account was authorized by a person at the provider; change it through a connect"
                                    + " session with its account_id or a reconnect link (POST /accounts/{id}/reconnect-link).")
                    .field("credentials");
        }
        rejectUnknown(descriptor, kind, changes);
        List<String> moved = DestinationGuard.movedRoutingFields(factory, OAuthValues.connectorValues(stored), changes);
        List<String> secretKeys = AuthForms.form(descriptor, kind).stream()
                .filter(f -> f.platform() && f.field().secret())
                .map(f -> f.field().key())
                .toList();
        if (!moved.isEmpty() && secretKeys.stream().noneMatch(changes::containsKey)) {
            throw KeylineException.invalid(
                            FailureCode.SECRETS_REQUIRED,
                            "Changing " + String.join(", ", moved) + " changes where requests go, and stored secrets"
                                    + " are never sent to a new destination. Send " + String.join(", ", secretKeys)
                                    + " again in the same request.")
                    .field("credentials." + secretKeys.get(0));
        }
        Map<String, String> merged = merge(stored, AuthForms.toStored(descriptor, kind, changes));
        TOKEN_KEYS.forEach(merged::remove);
        return merged;
    }

    /**
     * The authorization a connector is validated with. A linked account being checked ({@code accountId}) uses its
     * own, renewed as needed; a new link or a change uses the consent's tokens or a fresh grant, returned in {@link
     * Authorized#stored()} to be stored only if validation passes.
     *
     * @param issued told each access token a checked account's authorization renews, before the connector gets it
     */
    Authorized authorize(
            String tenantId,
            String accountId,
            ConnectorDescriptor descriptor,
            Map<String, String> stored,
            Consumer<String> issued) {
        AuthKind kind = KindGrants.kindOf(descriptor, stored);
        if (accountId != null) {
            return new Authorized(stored, authorizations.forAccount(tenantId, accountId, descriptor, stored, issued));
        }
        TokenSet tokens;
        if (kind.type() == AuthKind.Type.OAUTH2_AUTHORIZATION_CODE) {
            tokens = OAuthValues.tokens(stored).orElseThrow(() -> interactive(descriptor));
            return new Authorized(stored, Authorization.fixed(kind.type(), tokens.header()));
        }
        Map<String, String> fresh = new TreeMap<>(stored);
        TOKEN_KEYS.forEach(fresh::remove);
        try {
            tokens = diagnoses.explained(descriptor.id(), kind, () -> grants.obtain(tenantId, descriptor, kind, fresh));
        } catch (ConnectorException e) {
            // A connector's own diagnosis says which field, if any; the platform's generic one points at the secret.
            if (e.code() == ErrorCode.INVALID_CREDENTIALS && e.field().isEmpty() && TokenFailureDiagnoses.generic(e)) {
                // The token endpoint refused the client or key a person typed: point at it.
                throw e.withField(
                        kind.type() == AuthKind.Type.JWT_BEARER
                                ? AuthForms.SERVICE_ACCOUNT_KEY
                                : fresh.containsKey(OAuthValues.PRIVATE_KEY)
                                        ? AuthForms.PRIVATE_KEY
                                        : AuthForms.CLIENT_SECRET);
            }
            throw e;
        }
        return new Authorized(OAuthValues.withTokens(fresh, tokens), Authorization.fixed(kind.type(), tokens.header()));
    }

    private static void rejectUnknown(ConnectorDescriptor descriptor, AuthKind kind, Map<String, String> values) {
        LinkValidation.rejectUnknown(
                "The " + kind.type().wireName() + " kind of '" + descriptor.id() + "' has no field",
                AuthForms.keys(descriptor, kind),
                values,
                MAX_VALUE_LENGTH);
    }

    private static Map<String, String> merge(Map<String, String> stored, Map<String, String> changes) {
        Map<String, String> merged = new TreeMap<>(stored);
        changes.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        return merged;
    }

    private static KeylineException interactive(ConnectorDescriptor descriptor) {
        return KeylineException.invalid(
                        FailureCode.AUTH_KIND_INTERACTIVE,
                        "The connector '" + descriptor.id() + "' is authorized by a person at the provider"
                                + " (oauth2_authorization_code): link it through a connect session.")
                .field("auth_kind");
    }

    private static String wires(ConnectorDescriptor descriptor) {
        return descriptor.authKinds().stream()
                .map(k -> k.type().wireName())
                .toList()
                .toString();
    }
}
