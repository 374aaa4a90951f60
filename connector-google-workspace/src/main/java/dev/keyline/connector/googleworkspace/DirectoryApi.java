package dev.keyline.connector.googleworkspace;

import static dev.keyline.connector.googleworkspace.GoogleWorkspaceConnectorFactory.CODE;
import static dev.keyline.connector.googleworkspace.GoogleWorkspaceConnectorFactory.lower;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The Admin SDK Directory API of one customer and its failures in the SPI's terms. Every request goes through the
 * platform's transport to Google's real host and carries the platform's {@link Authorization}; a 401 is retried once
 * with a refreshed header. Google's error body is {@code {"error": {"code", "message", "errors": [{"reason",
 * "domain", "message"}], "status", "details"}}}; the {@code reason} of the first error, the {@code status} and the
 * {@code ErrorInfo} reason of {@code details} name the cause.
 */
final class DirectoryApi {
    static final String ROOT = "https://admin.googleapis.com/admin/directory/v1";
    /** Google documents exponential backoff and sends no Retry-After on most throttled answers. */
    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport http;
    private final String customer;
    private final Authorization authorization;
    private final Clock clock;

    DirectoryApi(HttpTransport http, String customer, Authorization authorization, Clock clock) {
        this.http = requireNonNull(http, "http is null");
        this.customer = requireNonNull(customer, "customer is null");
        this.authorization = requireNonNull(authorization, "authorization is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    String customer() {
        return customer;
    }

    Authorization authorization() {
        return authorization;
    }

    /** A listing or a search: a 404 means the customer, not a record, is unknown. */
    JsonNode list(String pathAndQuery) {
        return json(require(get(pathAndQuery), true));
    }

    /** One record by key; empty when Google answers 404 {@code notFound}. */
    Optional<JsonNode> find(String pathAndQuery) {
        HttpResponse response = get(pathAndQuery);
        if (response.status() == 404 && "notFound".equals(reason(body(response)))) {
            return Optional.empty();
        }
        return Optional.of(json(require(response, false)));
    }

    private HttpResponse get(String pathAndQuery) {
        URI uri = URI.create(ROOT + pathAndQuery);
        String header = authorization.header();
        HttpResponse response = send(uri, header);
        if (response.status() == 401) {
            response = send(uri, authorization.refreshAfterRejection(header));
        }
        return response;
    }

    private HttpResponse send(URI uri, String header) {
        return http.send(HttpRequest.get(uri).header("Authorization", header).header("Accept", "application/json"));
    }

    private HttpResponse require(HttpResponse response, boolean listing) {
        int status = response.status();
        if (response.successful()) {
            if (!response.mediaType().equals("application/json")) {
                throw unexpected(response, "not JSON");
            }
            return response;
        }
        JsonNode error = body(response);
        String reason = reason(error);
        String message = lower(error.path("message").asText(""));
        if (status == 429
                || (status == 403
                        && (reason.equals("rateLimitExceeded")
                                || reason.equals("userRateLimitExceeded")
                                || reason.equals("quotaExceeded")))) {
            Duration wait = response.retryAfter(clock).orElse(DEFAULT_BACKOFF);
            throw ConnectorException.builder(
                            ErrorCode.RATE_LIMITED,
                            "Google's Directory API asks to slow down; try again in " + wait.toSeconds() + " seconds.")
                    .messageCode(CODE + ".rate_limited")
                    .param("seconds", wait.toSeconds())
                    .retryAfter(wait)
                    .build();
        }
        if (status == 401) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "Google did not accept Keyline's token, even after a refresh. Link the account again.")
                    .messageCode(CODE + ".token_rejected")
                    .build();
        }
        if (status == 403) {
            throw forbidden(reason, message, error);
        }
        if ((status == 400 || status == 404)
                && listing
                && !customer.equals(GoogleWorkspaceConnectorFactory.MY_CUSTOMER)) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CONFIG,
                            "Google knows no customer " + customer + " that this administrator may read. Check the "
                                    + "customer ID (Admin console > Account > Account settings) or leave my_customer.")
                    .messageCode(CODE + ".customer_not_found")
                    .param("customer", customer)
                    .field(GoogleWorkspaceConnectorFactory.CUSTOMER_ID)
                    .build();
        }
        if (status >= 500) {
            throw ConnectorException.builder(
                            ErrorCode.UPSTREAM_UNAVAILABLE,
                            "Google's Directory API answered " + status + "; try again later.")
                    .messageCode(CODE + ".unavailable")
                    .param("status", status)
                    .build();
        }
        throw unexpected(response, "status " + status + (reason.isEmpty() ? "" : ", " + reason));
    }

    /** The 403s Google documents, each with its fix. */
    private ConnectorException forbidden(String reason, String message, JsonNode error) {
        String infoReason = "";
        for (JsonNode detail : error.path("details")) {
            infoReason = detail.path("reason").asText(infoReason);
        }
        if (reason.equals("accessNotConfigured") || infoReason.equals("SERVICE_DISABLED")) {
            return ConnectorException.builder(
                            ErrorCode.API_DISABLED,
                            "The Admin SDK API is not enabled in the Google Cloud project of the service account or "
                                    + "OAuth client: enable it under APIs & Services > Library > Admin SDK API, wait a "
                                    + "few minutes and try again.")
                    .messageCode(CODE + ".api_disabled")
                    .build();
        }
        if (reason.equals("insufficientPermissions")
                || infoReason.equals("ACCESS_TOKEN_SCOPE_INSUFFICIENT")
                || message.contains("insufficient authentication scopes")) {
            return ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "The token lacks a scope this request needs: grant all of "
                                    + String.join(",", GoogleWorkspaceConnectorFactory.SCOPES)
                                    + " (domain-wide delegation, or consent when signing in), then link again.")
                    .messageCode(CODE + ".scope_missing")
                    .build();
        }
        boolean serviceAccount = authorization.kind() == AuthKind.Type.JWT_BEARER;
        return ConnectorException.builder(
                        ErrorCode.INVALID_CREDENTIALS,
                        serviceAccount
                                ? "Google says the subject is not allowed to read the directory: enter the e-mail "
                                        + "address of a super administrator, or of an administrator whose role may "
                                        + "read users, groups and admin roles."
                                : "Google says the person who signed in is not allowed to read the directory: sign "
                                        + "in as a super administrator, or as an administrator whose role may read "
                                        + "users, groups and admin roles.")
                .messageCode(CODE + ".subject_not_admin")
                .field(serviceAccount ? TokenDiagnoses.SUBJECT : null)
                .build();
    }

    /** Google's error object, or an empty one when the body is not Google's JSON. */
    private static JsonNode body(HttpResponse response) {
        try {
            return JSON.readTree(response.body()).path("error");
        } catch (IOException | RuntimeException e) {
            return JSON.createObjectNode();
        }
    }

    private static String reason(JsonNode error) {
        return error.path("errors").path(0).path("reason").asText("");
    }

    private JsonNode json(HttpResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw unexpected(response, "unreadable JSON");
        }
    }

    private static ConnectorException unexpected(HttpResponse response, String what) {
        return ConnectorException.builder(
                        ErrorCode.UPSTREAM_ERROR,
                        "Google's Directory API sent an answer Keyline cannot read (" + what + ").")
                .messageCode(CODE + ".unexpected_answer")
                .param("status", response.status())
                .build();
    }

    /** A path segment or query value: ids and keys are encoded so they can never change the request. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    @Override
    public String toString() {
        return "DirectoryApi[" + customer + "]";
    }
}
