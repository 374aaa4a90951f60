package dev.keyline.connector.entraid;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Microsoft Graph v1.0 on one cloud's host, and its failures in the SPI's terms. Every request carries the platform's
 * {@link Authorization}; a 401 is retried once with a refreshed header. Graph's error body is
 * {@code {"error":{"code":"...","message":"...","innerError":{...}}}}.
 */
final class GraphApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a 429, 503 or 504 without a usable Retry-After waits. */
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final HttpTransport http;
    private final String host;
    private final String tenant;
    private final String root;
    private final Authorization authorization;
    private final Clock clock;

    GraphApi(HttpTransport http, String host, String tenant, Authorization authorization, Clock clock) {
        this.http = requireNonNull(http, "http is null");
        this.host = requireNonNull(host, "host is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.authorization = requireNonNull(authorization, "authorization is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.root = "https://" + host + "/v1.0";
    }

    String host() {
        return host;
    }

    String tenant() {
        return tenant;
    }

    /** The answer to {@code GET <root><pathAndQuery>}, after one retry on 401; not yet checked. */
    HttpResponse send(String pathAndQuery, String... headers) {
        URI uri = URI.create(root + pathAndQuery);
        String header = authorization.header();
        HttpResponse response = send(uri, header, headers);
        if (response.status() == 401) {
            response = send(uri, authorization.refreshAfterRejection(header), headers);
        }
        return response;
    }

    private HttpResponse send(URI uri, String header, String... headers) {
        HttpRequest request =
                HttpRequest.get(uri).header("Authorization", header).header("Accept", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request = request.header(headers[i], headers[i + 1]);
        }
        return http.send(request);
    }

    /** GET a JSON object; any failure is thrown. */
    JsonNode get(String pathAndQuery) {
        return json(require(send(pathAndQuery)));
    }

    /** GET one record; empty when Graph says it does not exist. */
    Optional<JsonNode> find(String pathAndQuery) {
        HttpResponse response = send(pathAndQuery);
        if (response.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(json(require(response)));
    }

    /** Every {@code value} of a collection, following {@code @odata.nextLink} to the end. */
    List<JsonNode> all(String pathAndQuery) {
        List<JsonNode> all = new ArrayList<>();
        String next = pathAndQuery;
        while (next != null) {
            JsonNode page = get(next);
            page.path("value").forEach(all::add);
            next = nextLink(page).orElse(null);
        }
        return all;
    }

    /** The page's {@code @odata.nextLink} as a path below the root. */
    Optional<String> nextLink(JsonNode page) {
        JsonNode link = page.get("@odata.nextLink");
        return link == null || link.isNull() ? Optional.empty() : Optional.of(relative(link.asText()));
    }

    /**
     * A link Graph handed out ({@code @odata.nextLink}, {@code @odata.deltaLink}) as a path below the root; a link
     * to any other host or version is refused, so a stored cursor or watermark can never send the token elsewhere.
     */
    String relative(String link) {
        String prefix = root + "/";
        if (link == null || !link.startsWith(prefix) || link.contains("@") || link.contains("#")) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CONFIG,
                            "The page cursor is not a Microsoft Graph link Keyline handed out.")
                    .messageCode(EntraIdConnectorFactory.CODE + ".cursor_invalid")
                    .build();
        }
        return link.substring(root.length());
    }

    /** The response when it is a 2xx JSON answer; else the SPI's failure for it. */
    HttpResponse require(HttpResponse response) {
        if (response.successful()) {
            if (!response.mediaType().equals("application/json")) {
                throw unexpected(response, "not JSON");
            }
            return response;
        }
        throw failure(response);
    }

    ConnectorException failure(HttpResponse response) {
        int status = response.status();
        String code = errorCode(response);
        if (status == 401) {
            return ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "Microsoft Graph did not accept Keyline's token for tenant " + tenant + ", even after a "
                                    + "refresh. Link the account again.")
                    .messageCode(EntraIdConnectorFactory.CODE + ".token_rejected")
                    .param("tenant", tenant)
                    .param("graph_code", code)
                    .build();
        }
        if (status == 403) {
            return ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "Microsoft Graph refused to read the directory (" + code + "): grant admin consent for "
                                    + "the application permissions User.Read.All, GroupMember.Read.All and "
                                    + "RoleManagement.Read.Directory in the app registration's API permissions.")
                    .messageCode(EntraIdConnectorFactory.CODE + ".admin_consent_missing")
                    .param("tenant", tenant)
                    .param("graph_code", code)
                    .build();
        }
        boolean throttled = status == 429
                || ((status == 503 || status == 504)
                        && response.header("Retry-After").isPresent());
        if (throttled) {
            Duration wait = response.retryAfter(clock).orElse(DEFAULT_WAIT);
            return ConnectorException.builder(
                            ErrorCode.RATE_LIMITED,
                            "Microsoft Graph asks to slow down; try again in " + wait.toSeconds() + " seconds.")
                    .messageCode(EntraIdConnectorFactory.CODE + ".rate_limited")
                    .param("host", host)
                    .param("status", status)
                    .param("seconds", wait.toSeconds())
                    .retryAfter(wait)
                    .build();
        }
        if (status >= 500) {
            return ConnectorException.builder(
                            ErrorCode.UPSTREAM_UNAVAILABLE,
                            "Microsoft Graph at " + host + " answered " + status + "; try again later.")
                    .messageCode(EntraIdConnectorFactory.CODE + ".unavailable")
                    .param("host", host)
                    .param("status", status)
                    .build();
        }
        return unexpected(response, "status " + status + " " + code);
    }

    /** Graph's {@code error.code}, or "" when the body is not Graph's error JSON. */
    static String errorCode(HttpResponse response) {
        try {
            return JSON.readTree(response.body()).path("error").path("code").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    JsonNode json(HttpResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw unexpected(response, "unreadable JSON");
        }
    }

    private ConnectorException unexpected(HttpResponse response, String what) {
        return ConnectorException.builder(
                        ErrorCode.UPSTREAM_ERROR,
                        "Microsoft Graph at " + host + " sent an answer Keyline cannot read (" + what + ").")
                .messageCode(EntraIdConnectorFactory.CODE + ".unexpected_answer")
                .param("host", host)
                .param("status", response.status())
                .build();
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    @Override
    public String toString() {
        return "GraphApi[" + host + ", tenant " + tenant + "]";
    }
}
