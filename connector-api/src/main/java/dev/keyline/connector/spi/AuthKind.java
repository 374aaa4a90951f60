package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an account of a connector is authorized. A descriptor declares one or more kinds; the platform runs the flow
 * of each, keeps what it yields (tokens, client secrets, keys) in its credential store, and hands the connector a
 * ready {@link Authorization} through {@link ConnectorConfig#authorization()}. Connectors never implement OAuth and
 * never see a refresh token, a client secret or a private key.
 *
 * <ul>
 *   <li>{@link #fields()}: a person types the descriptor's credential fields (a URL, a token).
 *   <li>{@link #oauth2AuthorizationCode(String, String)}: the person consents at the provider (RFC 6749 §4.1, PKCE
 *       S256 always); the client is the tenant's OAuth app or the operator's default app for the connector.
 *   <li>{@link #oauth2ClientCredentials(String)}: the person types a client id and secret (RFC 6749 §4.4).
 *   <li>{@link #jwtBearer(String)}: the person gives a service-account private key and, where the provider asks for
 *       one, a subject to act as; the platform signs an assertion and exchanges it (RFC 7523 §2.1).
 * </ul>
 *
 * <p>URLs are templates: {@code {key}} is replaced by the (URL-safe) value of the descriptor field {@code key}, for
 * example {@code https://{okta_domain}/oauth2/v1/token} or {@code
 * https://login.microsoftonline.com/{tenant_id}/oauth2/v2.0/token}. Every field a template names must be listed in
 * {@link #fieldKeys()} of that kind. Whatever URL results passes the tenant's egress policy, authorization endpoints too.
 *
 * <p>A class rather than a record or an enum so kinds can gain settings without breaking built plugins; two kinds
 * are equal when all their settings are.
 */
public final class AuthKind {
    /** The kinds this SPI knows. */
    public enum Type {
        /** The descriptor's credential fields, typed by a person; secret ones stored encrypted. */
        FIELDS,
        /** OAuth 2.0 authorization code grant with PKCE, consent in the person's browser. */
        OAUTH2_AUTHORIZATION_CODE,
        /** OAuth 2.0 client credentials grant; the person types the client id and secret. */
        OAUTH2_CLIENT_CREDENTIALS,
        /** JWT bearer grant (RFC 7523): a service-account key signs an assertion, optionally for a subject. */
        JWT_BEARER;

        /** The name in the API, for example {@code oauth2_client_credentials}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The type with this {@link #wireName()}, or empty. */
        public static Optional<Type> fromWire(String wire) {
            for (Type type : values()) {
                if (type.wireName().equals(wire)) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * How the platform authenticates itself as the OAuth client at the token endpoint (RFC 6749 §2.3, RFC 7523
     * §2.2). Authorization-code and client-credentials kinds use it; the JWT bearer grant carries its own proof.
     */
    public enum ClientAuthentication {
        /** HTTP Basic with the client id and secret, the RFC's default. */
        CLIENT_SECRET_BASIC,
        /** {@code client_id} and {@code client_secret} in the form body (Google, Slack, Microsoft accept it). */
        CLIENT_SECRET_POST,
        /**
         * A JWT signed with the client's private key ({@code client_assertion}); the person gives a private key in
         * place of a secret (Okta service apps, Entra ID certificate credentials).
         */
        PRIVATE_KEY_JWT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Fields the platform adds to the form of OAuth and service-account kinds itself (a client id and secret, a
     * private key, a subject); a connector's own fields of such a kind may not use these names.
     */
    public static final Set<String> PLATFORM_FIELDS =
            Set.of("client_id", "client_secret", "private_key", "key_id", "service_account_key", "subject");

    private static final Pattern BASE_URL = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+(/[^?#@\\s]*)?");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]*)}");
    private static final AuthKind FIELDS = new AuthKind(
            Type.FIELDS,
            null,
            null,
            List.of(),
            " ",
            Map.of(),
            Map.of(),
            List.of(),
            ClientAuthentication.CLIENT_SECRET_BASIC,
            SubjectRule.NONE);

    /** Whether a JWT bearer kind asks the person for a subject to act as. */
    public enum SubjectRule {
        /** No subject: the service account acts as itself. */
        NONE,
        /** A subject may be given (Google: an administrator to impersonate with domain-wide delegation). */
        OPTIONAL,
        /** A subject must be given. */
        REQUIRED
    }

    private final Type type;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final List<String> scopes;
    private final String scopeSeparator;
    private final Map<String, String> authorizeParams;
    private final Map<String, String> tokenParams;
    private final List<String> fields;
    private final ClientAuthentication clientAuthentication;
    private final SubjectRule subject;

    private AuthKind(
            Type type,
            String authorizeUrl,
            String tokenUrl,
            List<String> scopes,
            String scopeSeparator,
            Map<String, String> authorizeParams,
            Map<String, String> tokenParams,
            List<String> fields,
            ClientAuthentication clientAuthentication,
            SubjectRule subject) {
        this.type = requireNonNull(type, "type is null");
        this.authorizeUrl = authorizeUrl;
        this.tokenUrl = tokenUrl;
        this.scopes = List.copyOf(scopes);
        this.scopeSeparator = requireNonNull(scopeSeparator, "scopeSeparator is null");
        this.authorizeParams = Collections.unmodifiableMap(new LinkedHashMap<>(authorizeParams));
        this.tokenParams = Collections.unmodifiableMap(new LinkedHashMap<>(tokenParams));
        this.fields = List.copyOf(fields);
        this.clientAuthentication = requireNonNull(clientAuthentication, "clientAuthentication is null");
        this.subject = requireNonNull(subject, "subject is null");
    }

    /** A person types the descriptor's credential fields (a URL, a token, a domain). */
    public static AuthKind fields() {
        return FIELDS;
    }

    /**
     * The authorization code grant with PKCE: the person is sent to {@code authorizeUrl} and consents; the platform
     * exchanges the code at {@code tokenUrl} and refreshes the token for as long as the provider allows.
     */
    public static Builder oauth2AuthorizationCode(String authorizeUrl, String tokenUrl) {
        return new Builder(
                Type.OAUTH2_AUTHORIZATION_CODE,
                requireUrl(authorizeUrl, "authorizeUrl"),
                requireUrl(tokenUrl, "tokenUrl"));
    }

    /** The client credentials grant at {@code tokenUrl}, with a client the person registered at the provider. */
    public static Builder oauth2ClientCredentials(String tokenUrl) {
        return new Builder(Type.OAUTH2_CLIENT_CREDENTIALS, null, requireUrl(tokenUrl, "tokenUrl"));
    }

    /**
     * The JWT bearer grant at {@code tokenUrl}: the platform signs an assertion with the person's service-account key
     * (a Google service-account JSON key, or a PEM private key with its issuer) and exchanges it. A JSON key's own
     * {@code token_uri} is used only when it names the same host as {@code tokenUrl}.
     */
    public static Builder jwtBearer(String tokenUrl) {
        return new Builder(Type.JWT_BEARER, null, requireUrl(tokenUrl, "tokenUrl"));
    }

    public Type type() {
        return type;
    }

    /** The authorization endpoint template; present for {@link Type#OAUTH2_AUTHORIZATION_CODE} only. */
    public Optional<String> authorizeUrl() {
        return Optional.ofNullable(authorizeUrl);
    }

    /** The token endpoint template; present for every kind but {@link Type#FIELDS}. */
    public Optional<String> tokenUrl() {
        return Optional.ofNullable(tokenUrl);
    }

    /**
     * The scopes requested, in order. A scope may be a template too ({@code https://{graph_host}/.default} for a
     * national cloud), filled like the URLs.
     */
    public List<String> scopes() {
        return scopes;
    }

    /** How scopes are joined in requests: a space (RFC 6749 §3.3) unless the provider wants otherwise. */
    public String scopeSeparator() {
        return scopeSeparator;
    }

    /** Extra parameters of the authorization request, for example {@code access_type=offline}; templated too. */
    public Map<String, String> authorizeParams() {
        return authorizeParams;
    }

    /** Extra parameters of every token request, for example Auth0's {@code audience}; templated too. */
    public Map<String, String> tokenParams() {
        return tokenParams;
    }

    /**
     * The descriptor fields this kind asks the person for, in form order (never secret ones: what is secret in an
     * OAuth kind is run by the platform). {@link Type#FIELDS} asks for all of the descriptor's fields and lists none
     * here.
     */
    public List<String> fieldKeys() {
        return fields;
    }

    public ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    /** Whether a {@link Type#JWT_BEARER} kind asks for a subject; {@link SubjectRule#NONE} for other kinds. */
    public SubjectRule subject() {
        return subject;
    }

    /** The field keys the templates of this kind name, in order of first use. */
    public Set<String> placeholders() {
        Set<String> keys = new LinkedHashSet<>();
        collect(authorizeUrl, keys);
        collect(tokenUrl, keys);
        authorizeParams.values().forEach(v -> collect(v, keys));
        tokenParams.values().forEach(v -> collect(v, keys));
        scopes.forEach(v -> collect(v, keys));
        return keys;
    }

    /**
     * Fills a template with field values. Where a placeholder stands decides how its value goes in: at the very start
     * ({@code {base_url}/oauth/token}) it must be an absolute http(s) URL without query, fragment or user info and goes
     * in as is, less trailing slashes; right after the scheme ({@code https://{domain}/…}) it must be a host name with
     * an optional port; anywhere else it is encoded as a path segment or parameter value. An absent, blank or
     * ill-formed value is an {@link ErrorCode#INVALID_CONFIG} on that field.
     */
    public static String expand(String template, Map<String, String> values) {
        if (template == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                throw ConnectorException.forField(ErrorCode.INVALID_CONFIG, key, "`" + key + "` is required.");
            }
            String v = value.strip();
            String inserted;
            String before = template.substring(0, m.start());
            if (m.start() == 0) {
                v = v.replaceAll("/+$", "");
                if (!BASE_URL.matcher(v).matches()) {
                    throw ConnectorException.forField(
                            ErrorCode.INVALID_CONFIG,
                            key,
                            "`" + key + "` must be an http(s) URL without ?, # or user info.");
                }
                inserted = v;
            } else if (before.endsWith("://")) {
                if (!HOST.matcher(v).matches()) {
                    throw ConnectorException.forField(
                            ErrorCode.INVALID_CONFIG,
                            key,
                            "`" + key + "` must be a host name, such as acme.example.com.");
                }
                inserted = v;
            } else {
                inserted = encodeSegment(v);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(inserted));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String encodeSegment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            // RFC 3986 unreserved, plus ':' so a host:port value stays usable as an authority.
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == ':') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static void collect(String template, Set<String> keys) {
        if (template == null) {
            return;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            keys.add(m.group(1));
        }
    }

    private static String requireUrl(String url, String name) {
        requireNonNull(url, name + " is null");
        if (!url.startsWith("https://") && !url.startsWith("http://") && !url.startsWith("{")) {
            throw new IllegalArgumentException(name + " must be an http(s) URL or start with a field: " + url);
        }
        return url;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthKind other
                && type == other.type
                && Objects.equals(authorizeUrl, other.authorizeUrl)
                && Objects.equals(tokenUrl, other.tokenUrl)
                && scopes.equals(other.scopes)
                && scopeSeparator.equals(other.scopeSeparator)
                && authorizeParams.equals(other.authorizeParams)
                && tokenParams.equals(other.tokenParams)
                && fields.equals(other.fields)
                && clientAuthentication == other.clientAuthentication
                && subject == other.subject;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, authorizeUrl, tokenUrl, scopes, fields);
    }

    @Override
    public String toString() {
        return type.wireName();
    }

    /** Settings of an OAuth or service-account kind. */
    public static final class Builder {
        private final Type type;
        private final String authorizeUrl;
        private final String tokenUrl;
        private final List<String> scopes = new ArrayList<>();
        private String scopeSeparator = " ";
        private final Map<String, String> authorizeParams = new LinkedHashMap<>();
        private final Map<String, String> tokenParams = new LinkedHashMap<>();
        private final List<String> fields = new ArrayList<>();
        private ClientAuthentication clientAuthentication = ClientAuthentication.CLIENT_SECRET_BASIC;
        private SubjectRule subject = SubjectRule.NONE;

        private Builder(Type type, String authorizeUrl, String tokenUrl) {
            this.type = type;
            this.authorizeUrl = authorizeUrl;
            this.tokenUrl = tokenUrl;
        }

        public Builder scopes(String... more) {
            for (String scope : more) {
                if (requireNonNull(scope, "scope is null").isBlank() || scope.contains(" ")) {
                    throw new IllegalArgumentException("a scope is one non-blank word: '" + scope + "'");
                }
                scopes.add(scope);
            }
            return this;
        }

        /** Joins scopes with this separator instead of a space (Slack's user scopes use a comma). */
        public Builder scopeSeparator(String separator) {
            this.scopeSeparator = requireNonNull(separator, "separator is null");
            return this;
        }

        public Builder authorizeParam(String name, String value) {
            if (type != Type.OAUTH2_AUTHORIZATION_CODE) {
                throw new IllegalStateException("only the authorization code kind has authorization parameters");
            }
            authorizeParams.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
            return this;
        }

        public Builder tokenParam(String name, String value) {
            tokenParams.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /** Descriptor fields the person types for this kind, in form order (templates may only name these). */
        public Builder fields(String... keys) {
            fields.addAll(List.of(keys));
            return this;
        }

        public Builder clientAuthentication(ClientAuthentication method) {
            if (type == Type.JWT_BEARER) {
                throw new IllegalStateException("the JWT bearer grant authenticates with its own assertion");
            }
            this.clientAuthentication = requireNonNull(method, "method is null");
            return this;
        }

        /** Whether the person names a subject to act as (JWT bearer only). */
        public Builder subject(SubjectRule rule) {
            if (type != Type.JWT_BEARER) {
                throw new IllegalStateException("only the JWT bearer kind has a subject");
            }
            this.subject = requireNonNull(rule, "rule is null");
            return this;
        }

        public AuthKind build() {
            for (String key : fields) {
                if (PLATFORM_FIELDS.contains(key)) {
                    throw new IllegalArgumentException("`" + key + "` is a field the platform asks for itself in "
                            + type.wireName() + "; name the connector's field otherwise");
                }
            }
            AuthKind kind = new AuthKind(
                    type,
                    authorizeUrl,
                    tokenUrl,
                    scopes,
                    scopeSeparator,
                    authorizeParams,
                    tokenParams,
                    fields,
                    clientAuthentication,
                    subject);
            for (String key : kind.placeholders()) {
                if (!fields.contains(key)) {
                    throw new IllegalArgumentException("the " + type.wireName() + " kind's templates name {" + key
                            + "}, which is not among its fields " + fields);
                }
            }
            return kind;
        }
    }
}
