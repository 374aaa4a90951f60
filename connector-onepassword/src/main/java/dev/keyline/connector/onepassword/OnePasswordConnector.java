package dev.keyline.connector.onepassword;

import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.SCIM_URL;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.User;
import dev.keyline.connector.onepassword.OnePasswordUrl.Deployment;
import dev.keyline.connector.scim.ScimBackedDirectory;
import dev.keyline.connector.scim.ScimClient;
import dev.keyline.connector.scim.ScimCount;
import dev.keyline.connector.scim.ScimDirectory;
import dev.keyline.connector.scim.ScimHealth;
import dev.keyline.connector.scim.ScimListResponse;
import dev.keyline.connector.scim.ScimResourceType;
import dev.keyline.connector.scim.ScimValidation;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A 1Password account read over SCIM. Listing is delegated to {@link ScimDirectory}; what is 1Password's
 * own is here: telling hosted provisioning from a bridge, diagnosing a failed validation in words a
 * non-engineer can act on, and the bridge's {@code /health}.
 */
public final class OnePasswordConnector implements Connector, CredentialValidator, ScimBackedDirectory, HealthProbe {

    private final OnePasswordUrl url;
    private final ConnectorContext context;
    private final ScimClient client;
    private final ScimDirectory directory;
    private final ScimValidation validation;

    OnePasswordConnector(OnePasswordUrl url, String bearerToken, ConnectorContext context) {
        this.url = requireNonNull(url, "url is null");
        this.context = requireNonNull(context, "context is null");
        this.client = new ScimClient(context.http(), url.base(), bearerToken, context.clock());
        this.directory = new ScimDirectory(client, context.logger());
        this.validation = new ScimValidation(client, SCIM_URL, BEARER_TOKEN, new Diagnosis());
    }

    public Deployment deployment() {
        return url.deployment();
    }

    /**
     * One request for a single user ({@code count=1}), plus, only when a bridge answers 404, up to two
     * unauthenticated probes ({@code /ping}, then {@code /}) to tell a bridge with its SCIM API switched off
     * from an address that is no bridge at all.
     */
    @Override
    public Validation validate() {
        ScimListResponse users = validation.fetchOneUser();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("deployment", url.deployment().factName());
        facts.put("scim_base", url.base().toString());
        Optional<ScimCount> count = ScimValidation.userCount(users);
        count.ifPresent(c -> c.putFact(facts, "users"));
        String where = switch (url.deployment()) {
            case HOSTED -> "1Password hosted provisioning";
            case BRIDGE -> "the 1Password SCIM bridge at " + url.base().getHost();
            case SCIM_SERVER -> "the SCIM server at " + url.base().getHost();
        };
        String counted = count.map(c -> " (" + c.phrase("user", "users") + ")").orElse("");
        return new Validation("Connected to " + where + counted + ".", facts);
    }

    /** Whether the bridge answers {@code /ping} with {@code pong}, or sends {@code /} to its sign-in page. */
    private boolean bridgeAnswers() {
        URI root = url.bridgeRoot();
        try {
            HttpResponse ping = client.fetch(URI.create(root + "/ping"), false);
            if (ping.successful() && ping.bodyText().strip().equalsIgnoreCase("pong")) {
                return true;
            }
        } catch (ConnectorException e) {
            context.logger().debug("No answer to /ping at " + root.getHost() + ": " + e.getMessage());
        }
        try {
            HttpResponse home = client.fetch(URI.create(root + "/"), false);
            boolean redirected = home.status() >= 300
                    && home.status() < 400
                    && home.header("Location").orElse("").contains("/app/login");
            return redirected || home.uri().getPath().startsWith("/app/login");
        } catch (ConnectorException e) {
            context.logger().debug("No answer to / at " + root.getHost() + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * On a bridge, its own {@code /health} report. Hosted provisioning has no health endpoint, so there
     * the report says only whether the SCIM API answers a one-user listing. An upstream that is
     * temporarily unavailable gives an {@code UNHEALTHY} report, one that throttles a {@code DEGRADED}
     * one; other failures (a rejected token, say) are thrown.
     */
    @Override
    public HealthReport probe() {
        Instant now = context.clock().instant();
        try {
            if (url.deployment() == Deployment.BRIDGE) {
                HttpResponse response = client.fetch(URI.create(url.bridgeRoot() + "/health"), true);
                // Bridges without /health still answer SCIM; fall back to that.
                if (response.status() != 404) {
                    JsonNode body = client.json(response, "the bridge's health report");
                    return BridgeHealth.parse(body, now).orElseThrow(() -> notScim(url.base(), null));
                }
            }
            client.list(ScimResourceType.USERS, 1, 1);
            return ScimHealth.healthy(now);
        } catch (ConnectorException e) {
            return ScimHealth.ofFailure(e, now);
        }
    }

    @Override
    public ScimDirectory scimDirectory() {
        return directory;
    }

    /** Users with the privilege their built-in groups give ({@link BuiltInGroups}). */
    @Override
    public Page<User> listUsers(UserQuery query) {
        Page<User> page = directory.listUsers(query);
        return new Page<>(page.items().stream().map(BuiltInGroups::mark).toList(), page.next());
    }

    @Override
    public Optional<User> getUser(String remoteId, boolean includeRaw) {
        return directory.getUser(remoteId, includeRaw).map(BuiltInGroups::mark);
    }

    /** Groups with the privilege mark of 1Password's built-in groups ({@link BuiltInGroups}). */
    @Override
    public Page<Group> listGroups(GroupQuery query) {
        Page<Group> page = directory.listGroups(query);
        return new Page<>(page.items().stream().map(BuiltInGroups::mark).toList(), page.next());
    }

    @Override
    public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        return directory.getGroup(remoteId, includeRaw).map(BuiltInGroups::mark);
    }

    /** Holds no resources of its own: the transport belongs to the platform. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "OnePasswordConnector[" + url.deployment().factName() + " " + url.base() + "]";
    }

    private static ConnectorException notScim(URI base, Throwable cause) {
        return ConnectorException.builder(
                        ErrorCode.NOT_AN_API_ENDPOINT,
                        base + " answers, but it is not a 1Password SCIM API. Paste the URL of your SCIM bridge "
                                + "(for example " + OnePasswordUrl.EXAMPLE_BRIDGE + ") or "
                                + OnePasswordUrl.HOSTED_URL + ".")
                .messageCode("onepassword.not_scim")
                .param("url", base)
                .field(SCIM_URL)
                .cause(cause)
                .build();
    }

    /**
     * The failures validation reports in 1Password's words ({@code onepassword.*}), each with the field to fix and a
     * sentence saying how.
     */
    private final class Diagnosis implements ScimValidation.Diagnoses {

        /** A redirect to a sign-in page: the address is the one people sign in with. */
        @Override
        public Optional<ConnectorException> wrongAddress(HttpResponse response) {
            URI uri = response.uri();
            if (!OnePasswordUrl.isSignInHost(uri.getHost())) {
                return Optional.empty();
            }
            return Optional.of(ConnectorException.builder(
                            ErrorCode.WRONG_URL,
                            "The SCIM URL leads to the 1Password sign-in page at " + uri.getHost() + ". Paste the "
                                    + "URL of your SCIM bridge (for example " + OnePasswordUrl.EXAMPLE_BRIDGE
                                    + ") or " + OnePasswordUrl.HOSTED_URL + " instead.")
                    .messageCode("onepassword.sign_in_page")
                    .param("host", uri.getHost())
                    .field(SCIM_URL)
                    .build());
        }

        @Override
        public ConnectorException tokenRejected(int status) {
            String who = switch (url.deployment()) {
                case HOSTED -> "1Password";
                case BRIDGE -> "The SCIM bridge";
                case SCIM_SERVER -> "The SCIM server at " + url.base().getHost();
            };
            return ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            who + " did not accept the token: it is mistyped, expired or was revoked. In the "
                                    + "1Password admin console, open Integrations, generate a new token for "
                                    + "provisioning and paste it here.")
                    .messageCode(
                            "onepassword.token_rejected_" + url.deployment().factName())
                    .param("status", status)
                    .field(BEARER_TOKEN)
                    .build();
        }

        /**
         * On a bridge, up to two unauthenticated probes tell a bridge with its SCIM API switched off from an address
         * that is no bridge at all.
         */
        @Override
        public ConnectorException noUsersEndpoint() {
            if (url.deployment() != Deployment.BRIDGE || !bridgeAnswers()) {
                return OnePasswordConnector.notScim(url.base(), null);
            }
            return ConnectorException.builder(
                            ErrorCode.API_DISABLED,
                            "The SCIM bridge at " + url.base().getHost() + " is running, but its SCIM API is turned "
                                    + "off, as it is when the bridge is connected to Google Workspace. Keyline can "
                                    + "only read a bridge whose SCIM API is on; ask your 1Password administrator "
                                    + "which provisioning URL to use.")
                    .messageCode("onepassword.api_disabled")
                    .param("host", url.base().getHost())
                    .field(SCIM_URL)
                    .build();
        }

        @Override
        public ConnectorException notScim(ConnectorException cause) {
            return OnePasswordConnector.notScim(url.base(), cause);
        }

        /** Adds a sentence about the bridge to what the transport reported. */
        @Override
        public Optional<ConnectorException> unreachable(ConnectorException failure) {
            String host = url.base().getHost();
            String message = switch (failure.code()) {
                case HOST_NOT_FOUND ->
                    "The host " + host + " could not be found. Check the SCIM URL "
                            + "for typos; for a SCIM bridge, check that its DNS record exists.";
                case TLS_ERROR ->
                    "A secure connection to " + host + " could not be established: its "
                            + "certificate is not trusted or does not match the name. If you run the SCIM "
                            + "bridge yourself, check its TLS certificate.";
                case TIMEOUT ->
                    host + " did not answer in time. Check that the SCIM bridge is running "
                            + "and reachable from the internet, then try again.";
                case CONNECTION_FAILED ->
                    host + " refused the connection. Check that the SCIM bridge "
                            + "is running and that the URL, including any port, is right.";
                default -> null;
            };
            return Optional.ofNullable(message)
                    .map(m -> ScimValidation.rephrased(failure, "onepassword", m, host, SCIM_URL));
        }
    }
}
