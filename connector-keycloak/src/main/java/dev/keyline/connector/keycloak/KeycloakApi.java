package dev.keyline.connector.keycloak;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Keycloak's Admin REST API for one realm ({@code <base>/admin/realms/<realm>}) and its failures in the SPI's
 * terms. Every request goes through the platform's transport and carries the platform's {@link Authorization};
 * a 401 is retried once with a refreshed header, as the SPI asks.
 */
final class KeycloakApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport http;
    private final URI base;
    private final String realm;
    private final String adminRoot;
    private final Authorization authorization;
    private final Clock clock;

    KeycloakApi(HttpTransport http, URI base, String realm, Authorization authorization, Clock clock) {
        this.http = requireNonNull(http, "http is null");
        this.base = requireNonNull(base, "base is null");
        this.realm = requireNonNull(realm, "realm is null");
        this.authorization = requireNonNull(authorization, "authorization is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.adminRoot = base + "/admin/realms/" + segment(realm);
    }

    String realm() {
        return realm;
    }

    URI base() {
        return base;
    }

    /** GET {@code <admin root><pathAndQuery>} as JSON; an absent record (404 of the record, not the realm) is empty. */
    Optional<JsonNode> find(String pathAndQuery) {
        HttpResponse response = get(pathAndQuery);
        if (response.status() == 404 && !realmMissing(response) && isJson(response)) {
            return Optional.empty();
        }
        return Optional.of(json(require(response)));
    }

    /** GET a JSON array. */
    List<JsonNode> array(String pathAndQuery) {
        HttpResponse response = require(get(pathAndQuery));
        JsonNode body = json(response);
        if (!body.isArray()) {
            throw unexpected(response, "no list");
        }
        List<JsonNode> records = new ArrayList<>(body.size());
        body.forEach(records::add);
        return records;
    }

    /** Every element of a first/max-paged listing; a short page ends it. */
    List<JsonNode> all(String path, String extraQuery, int pageSize) {
        List<JsonNode> all = new ArrayList<>();
        for (int first = 0; ; first += pageSize) {
            List<JsonNode> page = array(path + "?first=" + first + "&max=" + pageSize + extraQuery);
            all.addAll(page);
            if (page.size() < pageSize) {
                return all;
            }
        }
    }

    /** The answer to {@code GET <admin root><pathAndQuery>}, after one retry on 401. */
    HttpResponse get(String pathAndQuery) {
        URI uri = URI.create(adminRoot + pathAndQuery);
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

    /** The response when it is a 2xx JSON answer; else the SPI's failure for it. */
    HttpResponse require(HttpResponse response) {
        int status = response.status();
        if (response.successful()) {
            if (!isJson(response)) {
                throw notKeycloak();
            }
            return response;
        }
        if (status == 401) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "Keycloak did not accept Keyline's token for realm " + realm + ", even after a refresh. "
                                    + "Link the account again.")
                    .messageCode("keycloak.token_rejected")
                    .param("realm", realm)
                    .build();
        }
        if (status == 403) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "Keycloak refused to list the users of realm " + realm + ": the client's service account "
                                    + "or the signed-in person lacks the realm-management client role view-users. "
                                    + "Assign it in Keycloak and try again.")
                    .messageCode("keycloak.view_users_missing")
                    .param("realm", realm)
                    .build();
        }
        if (status == 404) {
            if (realmMissing(response)) {
                throw ConnectorException.builder(
                                ErrorCode.INVALID_CONFIG,
                                "Keycloak at " + base.getHost() + " has no realm named " + realm
                                        + ". Use the realm's name as it appears in /realms/<name>/.")
                        .messageCode("keycloak.realm_not_found")
                        .param("realm", realm)
                        .param("host", base.getHost())
                        .field(KeycloakConnectorFactory.REALM)
                        .build();
            }
            throw notKeycloak();
        }
        if (status == 429) {
            Duration wait = response.retryAfter(clock).orElse(Duration.ofSeconds(60));
            throw ConnectorException.builder(
                            ErrorCode.RATE_LIMITED,
                            "Keycloak asks to slow down; try again in " + wait.toSeconds() + " seconds.")
                    .messageCode("keycloak.rate_limited")
                    .param("host", base.getHost())
                    .param("seconds", wait.toSeconds())
                    .retryAfter(wait)
                    .build();
        }
        if (status >= 500) {
            throw ConnectorException.builder(
                            ErrorCode.UPSTREAM_UNAVAILABLE,
                            "Keycloak at " + base.getHost() + " answered " + status + "; try again later.")
                    .messageCode("keycloak.unavailable")
                    .param("host", base.getHost())
                    .param("status", status)
                    .build();
        }
        throw unexpected(response, "status " + status);
    }

    /** Keycloak answers an unknown realm with 404 {@code {"error":"Realm not found."}}. */
    private static boolean realmMissing(HttpResponse response) {
        if (!isJson(response)) {
            return false;
        }
        try {
            return JSON.readTree(response.body())
                    .path("error")
                    .asText("")
                    .toLowerCase(Locale.ROOT)
                    .startsWith("realm not found");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isJson(HttpResponse response) {
        return response.mediaType().equals("application/json");
    }

    /** A login page, a proxy's page or a 404 without Keycloak's JSON: the URL does not lead to Keycloak's API. */
    private ConnectorException notKeycloak() {
        return ConnectorException.builder(
                        ErrorCode.WRONG_URL,
                        "There is no Keycloak Admin API at " + base + ". Use the server's base URL, the part before "
                                + "/realms/ or /admin/ (for example " + KeycloakConnectorFactory.EXAMPLE_URL + ").")
                .messageCode("keycloak.not_keycloak")
                .param("url", base.toString())
                .field(KeycloakConnectorFactory.BASE_URL)
                .build();
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
                        "Keycloak at " + base.getHost() + " sent an answer Keyline cannot read (" + what + ").")
                .messageCode("keycloak.unexpected_answer")
                .param("host", base.getHost())
                .param("status", response.status())
                .build();
    }

    /** A path segment: ids and realm names are encoded so they can never change the path. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    @Override
    public String toString() {
        return "KeycloakApi[" + base + ", realm " + realm + "]";
    }
}
