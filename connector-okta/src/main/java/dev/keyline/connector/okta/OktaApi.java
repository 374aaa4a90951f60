package dev.keyline.connector.okta;

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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Okta's Management API of one org ({@code https://<okta_domain>/api/v1}) and its failures in the SPI's terms. Only
 * the org's real host is ever called: next-page links contribute their path and query, never their host.
 */
final class OktaApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");

    private final HttpTransport http;
    private final String domain;
    private final Credential credential;
    private final Clock clock;

    /** An SSWS API token (fields kind) or the platform's OAuth authorization. */
    record Credential(String apiToken, Authorization authorization) {
        static Credential apiToken(String token) {
            return new Credential(requireNonNull(token, "token is null"), null);
        }

        static Credential oauth(Authorization authorization) {
            return new Credential(null, requireNonNull(authorization, "authorization is null"));
        }

        boolean oauth() {
            return authorization != null;
        }

        @Override
        public String toString() {
            return oauth() ? "Credential[oauth]" : "Credential[api token, ****]";
        }
    }

    /** A page of a bare-array listing and the path and query of the next one, or null on the last. */
    record Page(List<JsonNode> items, String next) {}

    OktaApi(HttpTransport http, String domain, Credential credential, Clock clock) {
        this.http = requireNonNull(http, "http is null");
        this.domain = requireNonNull(domain, "domain is null");
        this.credential = requireNonNull(credential, "credential is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    String domain() {
        return domain;
    }

    boolean oauth() {
        return credential.oauth();
    }

    /** GET one record; empty on Okta's 404 E0000007 (no such record). */
    Optional<JsonNode> find(String pathAndQuery) {
        HttpResponse response = get(pathAndQuery);
        if (response.status() == 404 && "E0000007".equals(errorCode(response))) {
            return Optional.empty();
        }
        return Optional.of(json(require(response)));
    }

    /** GET a bare-array page; its {@code Link: <...>; rel="next"} gives the next one. */
    Page page(String pathAndQuery) {
        HttpResponse response = require(get(pathAndQuery));
        JsonNode body = json(response);
        if (!body.isArray()) {
            throw unexpected(response, "no list");
        }
        List<JsonNode> items = new ArrayList<>(body.size());
        body.forEach(items::add);
        return new Page(items, nextLink(response));
    }

    /** Every element of a Link-paged listing. */
    List<JsonNode> all(String pathAndQuery) {
        List<JsonNode> all = new ArrayList<>();
        String next = pathAndQuery;
        for (int pages = 0; next != null; pages++) {
            if (pages > 10_000) {
                throw unexpected(null, "endless paging");
            }
            Page page = page(next);
            all.addAll(page.items());
            next = page.next();
        }
        return all;
    }

    /** GET with the credential; an OAuth token Okta refuses is refreshed once. */
    HttpResponse get(String pathAndQuery) {
        if (!pathAndQuery.startsWith("/api/v1/")) {
            throw unexpected(null, "a link outside the API");
        }
        URI uri = URI.create("https://" + domain + pathAndQuery);
        if (!credential.oauth()) {
            return send(uri, "SSWS " + credential.apiToken());
        }
        String header = credential.authorization().header();
        HttpResponse response = send(uri, header);
        if (response.status() == 401) {
            response = send(uri, credential.authorization().refreshAfterRejection(header));
        }
        return response;
    }

    private HttpResponse send(URI uri, String header) {
        try {
            return http.send(
                    HttpRequest.get(uri).header("Authorization", header).header("Accept", "application/json"));
        } catch (ConnectorException e) {
            if (e.field().isEmpty()
                    && (e.code() == ErrorCode.HOST_NOT_FOUND
                            || e.code() == ErrorCode.CONNECTION_FAILED
                            || e.code() == ErrorCode.TLS_ERROR)) {
                throw e.withField(OktaConnectorFactory.OKTA_DOMAIN);
            }
            throw e;
        }
    }

    /** The response when it is a 2xx JSON answer; else the SPI's failure for it. */
    HttpResponse require(HttpResponse response) {
        if (response.successful()) {
            if (!response.mediaType().equals("application/json")) {
                throw notOkta();
            }
            return response;
        }
        return OktaFailures.raise(this, response, errorCode(response), clock);
    }

    String host() {
        return domain;
    }

    ConnectorException notOkta() {
        return ConnectorException.builder(
                        ErrorCode.WRONG_URL,
                        "There is no Okta org at " + domain + ": check the Okta domain (for example "
                                + OktaDomain.EXAMPLE + ", not the Admin Console's -admin address).")
                .messageCode("okta.org_not_found")
                .param("domain", domain)
                .field(OktaConnectorFactory.OKTA_DOMAIN)
                .build();
    }

    /** Okta's {@code errorCode} ({@code E0000011}...), or null when the body is not Okta's error. */
    static String errorCode(HttpResponse response) {
        if (!response.mediaType().equals("application/json")) {
            return null;
        }
        try {
            JsonNode code = JSON.readTree(response.body()).get("errorCode");
            return code == null || !code.isTextual() ? null : code.asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** Seconds until {@code x-rate-limit-reset} (UTC epoch seconds), rounded up; else Retry-After; else empty. */
    static Optional<Duration> resetIn(HttpResponse response, Clock clock) {
        Optional<String> reset = response.header("x-rate-limit-reset").map(String::strip);
        if (reset.isPresent()) {
            try {
                long millis = Long.parseLong(reset.get()) * 1000 - clock.millis();
                return Optional.of(Duration.ofSeconds(Math.max(0, (millis + 999) / 1000)));
            } catch (NumberFormatException e) {
                // not a time: fall back to Retry-After
            }
        }
        return response.retryAfter(clock);
    }

    /** The path and query of the {@code rel="next"} link, or null. */
    static String nextLink(HttpResponse response) {
        List<String> links = response.headers().getOrDefault("Link", List.of());
        for (String header : links) {
            Matcher m = NEXT.matcher(header);
            if (m.find()) {
                URI next = URI.create(m.group(1));
                return next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
            }
        }
        return null;
    }

    JsonNode json(HttpResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw unexpected(response, "unreadable JSON");
        }
    }

    ConnectorException unexpected(HttpResponse response, String what) {
        return ConnectorException.builder(
                        ErrorCode.UPSTREAM_ERROR,
                        "Okta at " + domain + " sent an answer Keyline cannot read (" + what + ").")
                .messageCode("okta.unexpected_answer")
                .param("domain", domain)
                .param("status", response == null ? 0 : response.status())
                .build();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    @Override
    public String toString() {
        return "OktaApi[" + domain + ", " + credential + "]";
    }
}
