package dev.keyline.connector.templatejson;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HR API's requests and its failures in the SPI's terms. Every request goes through the platform's
 * transport ({@code context.http()}), which enforces the egress policy, time-outs and size caps.
 *
 * <p>Paging is Slack-style: {@code limit} and an opaque {@code cursor}, the next one in
 * {@code response_metadata.next_cursor} (empty on the last page). The cursor Keyline hands back is that token
 * as is, never a URL, so a client-supplied cursor can never send the token to another host.
 */
final class TemplateApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport http;
    private final URI base;
    private final String token;
    private final Clock clock;

    TemplateApi(HttpTransport http, URI base, String token, Clock clock) {
        this.http = requireNonNull(http, "http is null");
        this.base = requireNonNull(base, "base is null");
        this.token = requireNonNull(token, "token is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    URI base() {
        return base;
    }

    /** One page of a collection: its records and the next cursor, if any. */
    record Listing(List<JsonNode> records, Optional<String> next) {}

    /** GET {@code <base><path>?limit=…[&cursor=…]} and read the page. */
    Listing list(String path, int limit, String cursor) {
        String query = "?limit=" + limit + (cursor == null ? "" : "&cursor=" + encode(cursor));
        HttpResponse response = get(path + query);
        require(response);
        JsonNode body = json(response);
        JsonNode items = body.path(path.substring(path.lastIndexOf('/') + 1));
        if (!items.isArray()) {
            throw unexpected(response, "a listing without its records");
        }
        List<JsonNode> records = new ArrayList<>(items.size());
        items.forEach(records::add);
        String next = body.path("response_metadata").path("next_cursor").asText("");
        return new Listing(records, next.isEmpty() ? Optional.empty() : Optional.of(next));
    }

    /** Every record of a collection, page after page (for a group's members). */
    List<JsonNode> listAll(String path) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            Listing page = list(path, 200, cursor);
            all.addAll(page.records());
            cursor = page.next().orElse(null);
        } while (cursor != null);
        return all;
    }

    /** GET {@code <base><path>/<id>}; empty on 404. */
    Optional<JsonNode> find(String path, String id) {
        HttpResponse response = get(path + "/" + encode(id));
        if (response.status() == 404) {
            return Optional.empty();
        }
        require(response);
        return Optional.of(json(response));
    }

    /** The raw answer to a request, for validation's own diagnosis; transport failures are thrown. */
    HttpResponse get(String pathAndQuery) {
        return http.send(HttpRequest.get(URI.create(base + pathAndQuery))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json"));
    }

    /** Throws the SPI's failure for any answer but 2xx. */
    void require(HttpResponse response) {
        int status = response.status();
        if (response.successful()) {
            return;
        }
        if (status == 401 || status == 403) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            status == 401
                                    ? "The HR system did not accept the API token. Create a new one and paste it here."
                                    : "The API token may not read users and groups. Give it read access or create "
                                            + "one that has it.")
                    .messageCode(status == 401 ? "template.token_rejected" : "template.token_forbidden")
                    .param("host", base.getHost())
                    .field(TemplateConnectorFactory.API_TOKEN)
                    .build();
        }
        if (status == 429) {
            Duration wait = retryAfter(response, clock).orElse(Duration.ofSeconds(60));
            throw ConnectorException.builder(
                            ErrorCode.RATE_LIMITED,
                            "The HR system asks to slow down; try again in " + wait.toSeconds() + " seconds.")
                    .messageCode("template.rate_limited")
                    .param("host", base.getHost())
                    .param("seconds", wait.toSeconds())
                    .retryAfter(wait)
                    .build();
        }
        if (status >= 500) {
            throw ConnectorException.builder(
                            ErrorCode.UPSTREAM_UNAVAILABLE,
                            "The HR system at " + base.getHost() + " answered " + status + "; try again later.")
                    .messageCode("template.unavailable")
                    .param("host", base.getHost())
                    .param("status", status)
                    .build();
        }
        throw unexpected(response, "status " + status);
    }

    /**
     * How long the API asks to wait: {@code Retry-After} in seconds or as an HTTP-date (RFC 9110, 10.2.3), else a
     * reset header, as a delta ({@code RateLimit-Reset}) or in epoch seconds ({@code X-RateLimit-Reset}, GitHub's
     * form). Empty when the answer says none of these readably.
     */
    static Optional<Duration> retryAfter(HttpResponse response, Clock clock) {
        Optional<String> retryAfter = response.header("Retry-After").map(String::strip);
        if (retryAfter.isPresent()) {
            Optional<Long> seconds = number(retryAfter.get());
            if (seconds.isPresent()) {
                return Optional.of(Duration.ofSeconds(Math.max(0, seconds.get())));
            }
            try {
                return Optional.of(until(
                        ZonedDateTime.parse(retryAfter.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant(),
                        clock));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        Optional<Long> delta = response.header("RateLimit-Reset").flatMap(TemplateApi::number);
        if (delta.isPresent()) {
            return Optional.of(Duration.ofSeconds(Math.max(0, delta.get())));
        }
        return response.header("X-RateLimit-Reset")
                .flatMap(TemplateApi::number)
                .map(epoch -> until(Instant.ofEpochSecond(epoch), clock));
    }

    /** Rounded up to whole seconds: a client that waits that long is never early. */
    private static Duration until(Instant at, Clock clock) {
        long millis = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        return Duration.ofSeconds((millis + 999) / 1000);
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    JsonNode json(HttpResponse response) {
        if (!response.mediaType().equals("application/json")) {
            throw unexpected(
                    response, "no JSON (" + (response.mediaType().isEmpty() ? "no type" : response.mediaType()) + ")");
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw unexpected(response, "unreadable JSON");
        } catch (java.io.IOException e) {
            throw unexpected(response, "unreadable JSON");
        }
    }

    private ConnectorException unexpected(HttpResponse response, String what) {
        return ConnectorException.builder(
                        ErrorCode.UPSTREAM_ERROR,
                        "The HR system at " + base.getHost() + " sent an answer Keyline cannot read (" + what + ").")
                .messageCode("template.unexpected_answer")
                .param("host", base.getHost())
                .param("status", response.status())
                .build();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
