package dev.keyline.connector.scim;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The validation rule every SCIM-based connector follows, in one place: fetch one user ({@code count=1}, cheap on
 * any directory size), blame a 401/403 on the token field, a 404 or an answer that is not a ListResponse on the URL
 * field, and a network failure on the URL field with a sentence saying what to check. A rate limit or an upstream
 * that is temporarily unavailable is passed on unchanged: the credentials may be right.
 *
 * <p>The sentences come from {@link Diagnoses}; {@link #standardDiagnoses} speaks of "the SCIM server", and a provider
 * connector overrides what it can say better (1Password tells a bridge with its SCIM API switched off from an
 * address that is no bridge at all). Whatever a diagnosis returns, the failure names the field it concerns.
 */
public final class ScimValidation {
    /** The page size of the validation request: cheap on any directory size. */
    private static final int ONE_USER = 1;

    private final ScimClient client;
    private final String urlField;
    private final String tokenField;
    private final Diagnoses diagnoses;

    /**
     * @param urlField the credential field holding the SCIM base URL
     * @param tokenField the credential field holding the bearer token
     */
    public ScimValidation(ScimClient client, String urlField, String tokenField, Diagnoses diagnoses) {
        this.client = requireNonNull(client, "client is null");
        this.urlField = requireNonNull(urlField, "urlField is null");
        this.tokenField = requireNonNull(tokenField, "tokenField is null");
        this.diagnoses = requireNonNull(diagnoses, "diagnoses is null");
    }

    /**
     * Fetches one user and reads the answer as a ListResponse.
     *
     * @throws ConnectorException what {@link Diagnoses} made of the failure, on the field to fix
     */
    public ScimListResponse fetchOneUser() {
        HttpResponse response;
        try {
            response = client.fetch(client.listUri(ScimResourceType.USERS, 1, ONE_USER), true);
        } catch (ConnectorException e) {
            throw unreachable(e);
        }
        Optional<ConnectorException> wrong = diagnoses.wrongAddress(response);
        if (wrong.isPresent()) {
            throw wrong.get().withField(urlField);
        }
        if (response.status() == 401 || response.status() == 403) {
            throw diagnoses.tokenRejected(response.status()).withField(tokenField);
        }
        if (response.status() == 404) {
            throw diagnoses.noUsersEndpoint().withField(urlField);
        }
        try {
            return client.readList(response, ScimResourceType.USERS);
        } catch (ConnectorException e) {
            throw e.code() == ErrorCode.NOT_AN_API_ENDPOINT
                    ? diagnoses.notScim(e).withField(urlField)
                    : e;
        }
    }

    /**
     * How many users the answer of {@link #fetchOneUser} shows there are, when it shows it honestly (see {@link
     * ScimCount}): empty when the server gave no {@code totalResults} and the page came back full.
     */
    public static Optional<ScimCount> userCount(ScimListResponse oneUser) {
        return ScimCount.of(oneUser, ONE_USER);
    }

    /** Puts a network failure on the URL field, with the diagnosis's sentence when it has one. */
    private ConnectorException unreachable(ConnectorException e) {
        if (e.code() == ErrorCode.RATE_LIMITED || e.code() == ErrorCode.UPSTREAM_UNAVAILABLE) {
            return e;
        }
        return diagnoses.unreachable(e).orElse(e).withField(urlField);
    }

    /**
     * What a failed validation says, with a message code and its parameters. Return failures on the right field
     * ({@link ConnectorException#forField} or the builder's {@code field}); {@link ScimValidation} adds the field
     * to one that names none.
     */
    public interface Diagnoses {

        /** A recognisably wrong address, seen on any answer (a provider's sign-in page); empty when there is none. */
        default Optional<ConnectorException> wrongAddress(HttpResponse response) {
            return Optional.empty();
        }

        /** The server refused the token (401 or 403). */
        ConnectorException tokenRejected(int status);

        /** The server has no {@code /Users} below the base URL (404). */
        ConnectorException noUsersEndpoint();

        /** The server answered, but not with a SCIM ListResponse. */
        ConnectorException notScim(ConnectorException cause);

        /**
         * A clearer sentence for a failure to reach the server ({@link ErrorCode#HOST_NOT_FOUND},
         * {@link ErrorCode#TLS_ERROR}, {@link ErrorCode#TIMEOUT}, {@link ErrorCode#CONNECTION_FAILED}, …), keeping
         * its code and cause; empty keeps the transport's own sentence.
         */
        Optional<ConnectorException> unreachable(ConnectorException failure);
    }

    /**
     * The validation of a SCIM server with nothing provider-specific to say: {@link #standardDiagnoses} for the
     * client's base URL.
     */
    public static ScimValidation standard(ScimClient client, String urlField, String tokenField, String exampleUrl) {
        return new ScimValidation(
                client, urlField, tokenField, standardDiagnoses(client.baseUri(), urlField, tokenField, exampleUrl));
    }

    /**
     * The diagnoses of a SCIM server with nothing provider-specific to say, in {@code scim.*} message codes. A
     * provider's own {@link Diagnoses} may delegate to these for what it has nothing to add to.
     *
     * @param base the SCIM base URL, named in the sentences
     * @param urlField the field the URL sentences are on
     * @param tokenField the field the token sentence is on
     * @param exampleUrl a well-formed SCIM base URL for the connector's users, such as {@code
     *     https://app.example.com/scim/v2}
     */
    public static Diagnoses standardDiagnoses(URI base, String urlField, String tokenField, String exampleUrl) {
        return new Standard(base, urlField, tokenField, exampleUrl);
    }

    private record Standard(URI base, String urlField, String tokenField, String exampleUrl) implements Diagnoses {
        private Standard {
            requireNonNull(base, "base is null");
            requireNonNull(urlField, "urlField is null");
            requireNonNull(tokenField, "tokenField is null");
            requireNonNull(exampleUrl, "exampleUrl is null");
        }

        @Override
        public ConnectorException tokenRejected(int status) {
            return ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "The SCIM server at " + base.getHost() + " did not accept the token (status " + status
                                    + "): it is mistyped, expired or revoked, or it may not read users. Create a new "
                                    + "token in the application and paste it here.")
                    .messageCode("scim.token_rejected")
                    .param("host", base.getHost())
                    .param("status", status)
                    .field(tokenField)
                    .build();
        }

        @Override
        public ConnectorException noUsersEndpoint() {
            return notScim("There is no SCIM /Users endpoint at " + base + ".", "scim.no_users_endpoint", null);
        }

        @Override
        public ConnectorException notScim(ConnectorException cause) {
            return notScim(base + " answers, but not as a SCIM 2.0 API.", "scim.not_scim", cause);
        }

        private ConnectorException notScim(String what, String messageCode, Throwable cause) {
            return ConnectorException.builder(
                            ErrorCode.NOT_AN_API_ENDPOINT,
                            what + " Enter the SCIM base URL, below which /Users and /Groups live; it usually ends in "
                                    + "/scim/v2 or /scim (for example " + exampleUrl + ").")
                    .messageCode(messageCode)
                    .param("url", base)
                    .param("example", exampleUrl)
                    .field(urlField)
                    .cause(cause)
                    .build();
        }

        @Override
        public Optional<ConnectorException> unreachable(ConnectorException failure) {
            String host = base.getHost();
            String message = switch (failure.code()) {
                case HOST_NOT_FOUND -> "The host " + host + " could not be found. Check the SCIM URL for typos.";
                case TLS_ERROR ->
                    "A secure connection to " + host + " could not be established: its certificate is not "
                            + "trusted or does not match the name.";
                case TIMEOUT -> host + " did not answer in time. Check that the URL is right, then try again.";
                case CONNECTION_FAILED ->
                    host + " refused the connection. Check that the URL, including any port, is right.";
                default -> null;
            };
            return Optional.ofNullable(message).map(m -> rephrased(failure, "scim", m, host, urlField));
        }
    }

    /**
     * A network failure said in a connector's words: same code and cause, message code {@code
     * <namespace>.<kind>} ({@code scim.host_not_found}, {@code scim.tls_error}, {@code scim.timeout}, {@code
     * scim.connection_failed}) with the parameter {@code host}, on {@code field}.
     */
    public static ConnectorException rephrased(
            ConnectorException failure, String namespace, String message, String host, String field) {
        return ConnectorException.builder(failure.code(), message)
                .messageCode(namespace + "." + failure.code().name().toLowerCase(Locale.ROOT))
                .param("host", host)
                .field(field)
                .cause(failure)
                .build();
    }
}
