package dev.keyline.connector.scim;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Redactor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only SCIM 2.0 client over the platform's {@link HttpTransport}. It sends only {@code GET}
 * requests, authenticates with a bearer token, and turns every unusable answer into a
 * {@link ConnectorException} whose message a person can act on and which never contains the token.
 *
 * <p>It relies on nothing optional in SCIM: no filters, no sorting, no attribute selection, only
 * {@code startIndex}/{@code count} paging. Instances are immutable and thread-safe.
 */
public final class ScimClient {
    /** What a SCIM client should accept; some servers only answer {@code application/json}. */
    public static final String ACCEPT = "application/scim+json, application/json";

    private static final String LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    private static final Set<Integer> UNAVAILABLE = Set.of(500, 502, 503, 504);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final HttpTransport transport;
    private final URI baseUri;
    private final String bearerToken;
    private final Clock clock;
    private final Redactor redactor;

    /**
     * @param baseUri the SCIM base URL, below which {@code /Users} and {@code /Groups} live; a trailing
     *     slash is ignored
     */
    public ScimClient(HttpTransport transport, URI baseUri, String bearerToken, Clock clock) {
        this.transport = requireNonNull(transport, "transport is null");
        this.baseUri = withoutTrailingSlash(requireNonNull(baseUri, "baseUri is null"));
        this.bearerToken = requireNonNull(bearerToken, "bearerToken is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (this.baseUri.getScheme() == null || this.baseUri.getHost() == null) {
            throw new IllegalArgumentException("baseUri must be absolute: " + baseUri);
        }
        this.redactor = Redactor.of(List.of(bearerToken));
    }

    public URI baseUri() {
        return baseUri;
    }

    /** The base URL followed by a path such as {@code /Users}. */
    public URI resolve(String path) {
        return URI.create(baseUri + path);
    }

    /**
     * One page of a listing, asked for with {@code startIndex} (1-based) and {@code count}.
     *
     * @throws ConnectorException when the server cannot be reached, refuses the token, is unavailable or
     *     rate limits, or answers with something that is not a SCIM ListResponse
     */
    public ScimListResponse list(ScimResourceType type, int startIndex, int count) {
        requireNonNull(type, "type is null");
        HttpResponse response = fetch(listUri(type, startIndex, count), true);
        if (response.status() == 404) {
            throw failure(
                            ErrorCode.NOT_AN_API_ENDPOINT,
                            "There is no SCIM " + type.plural() + " endpoint at " + describe(response.uri())
                                    + ". Check that the SCIM URL is the address of the SCIM API.")
                    .messageCode("scim.no_endpoint")
                    .param("resource", type.plural())
                    .param("where", describe(response.uri()))
                    .build();
        }
        return readList(response, type);
    }

    /** The address of one listing page. */
    public URI listUri(ScimResourceType type, int startIndex, int count) {
        if (startIndex < 1 || count < 0) {
            throw new IllegalArgumentException("startIndex must be at least 1 and count not negative");
        }
        return resolve(type.endpoint() + "?startIndex=" + startIndex + "&count=" + count);
    }

    /**
     * Reads an answer to a listing request as a ListResponse, for callers that look at the response
     * themselves first (to diagnose a 404, say).
     *
     * @throws ConnectorException as {@link #json} does, and {@link ErrorCode#NOT_AN_API_ENDPOINT} for JSON
     *     that is not a ListResponse
     */
    public ScimListResponse readList(HttpResponse response, ScimResourceType type) {
        requireNonNull(type, "type is null");
        JsonNode body = json(response, "the list of " + type.plural());
        return parseList(body, response.uri(), type);
    }

    /**
     * One resource by id, or empty when the server says it does not exist (404).
     *
     * @throws ConnectorException as for {@link #list}, and when the answer is not a SCIM resource
     */
    public Optional<JsonNode> get(ScimResourceType type, String id) {
        requireNonNull(type, "type is null");
        requireNonNull(id, "id is null");
        if (id.isBlank()) {
            return Optional.empty();
        }
        URI uri = resolve(type.endpoint() + "/" + encodePathSegment(id));
        HttpResponse response = fetch(uri, true);
        if (response.status() == 404) {
            return Optional.empty();
        }
        JsonNode body = json(response, "the " + type.singular());
        if (!body.isObject() || blankToNull(body.path("id")) == null) {
            throw notScim(response.uri());
        }
        return Optional.of(body);
    }

    /**
     * Sends a {@code GET} with the SCIM {@code Accept} header and, when {@code authorized}, the bearer
     * token. Any HTTP status comes back as a response; only network failures throw.
     */
    public HttpResponse fetch(URI uri, boolean authorized) {
        requireNonNull(uri, "uri is null");
        HttpRequest request = HttpRequest.get(uri).header("Accept", ACCEPT);
        if (authorized) {
            request = request.header("Authorization", "Bearer " + bearerToken);
        }
        return transport.send(request);
    }

    /**
     * The JSON body of a successful answer.
     *
     * @param what a noun phrase for messages, such as {@code the list of users}
     * @throws ConnectorException for an unsuccessful status (see {@link #statusFailure}), an HTML page or
     *     other non-JSON content ({@link ErrorCode#NOT_AN_API_ENDPOINT}), or JSON that is cut off or
     *     malformed ({@link ErrorCode#UPSTREAM_ERROR})
     */
    public JsonNode json(HttpResponse response, String what) {
        requireNonNull(response, "response is null");
        requireNonNull(what, "what is null");
        if (!response.successful()) {
            throw statusFailure(response, what);
        }
        String mediaType = response.mediaType();
        byte[] body = response.body();
        int first = firstNonBlank(body);
        boolean webPage = mediaType.equals("text/html") || mediaType.equals("application/xhtml+xml");
        if (!webPage && first >= 0 && body[first] != '<') {
            // The usual case, parsed from the bytes: no copy of a large page into a String and another to strip it.
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                // Judged below on the text, as before, for the right message.
            }
        }
        String text = response.bodyText().strip();
        if (webPage || text.startsWith("<")) {
            throw failure(
                            ErrorCode.NOT_AN_API_ENDPOINT,
                            describe(response.uri()) + " answered with a web page instead of SCIM data."
                                    + " Check that the SCIM URL is the address of the SCIM API, not of a web page.")
                    .messageCode("scim.web_page")
                    .param("where", describe(response.uri()))
                    .build();
        }
        boolean declaredJson = mediaType.equals("application/json") || mediaType.endsWith("+json");
        if (text.isEmpty()) {
            throw declaredJson || mediaType.isEmpty() ? malformed(response.uri(), what, null) : notScim(response.uri());
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // A body that claims to be JSON but does not parse was most likely cut off on the way.
            throw declaredJson || mediaType.isEmpty() || text.startsWith("{") || text.startsWith("[")
                    ? malformed(response.uri(), what, e)
                    : notScim(response.uri());
        } catch (IOException e) {
            throw malformed(response.uri(), what, e);
        }
    }

    /**
     * The failure an unsuccessful status stands for: 401/403 {@link ErrorCode#INVALID_CREDENTIALS}, 429
     * {@link ErrorCode#RATE_LIMITED} with the {@code Retry-After} delay, 500/502/503/504
     * {@link ErrorCode#UPSTREAM_UNAVAILABLE}, an unfollowed redirect {@link ErrorCode#NOT_AN_API_ENDPOINT},
     * anything else {@link ErrorCode#UPSTREAM_ERROR}.
     */
    public ConnectorException statusFailure(HttpResponse response, String what) {
        int status = response.status();
        String host = response.uri().getHost();
        if (status == 401 || status == 403) {
            return failure(
                            ErrorCode.INVALID_CREDENTIALS,
                            "The SCIM server at " + host
                                    + " rejected the token: it is wrong, expired or revoked, or it may not read "
                                    + what + ". Create a new token and enter it again.")
                    .messageCode("scim.token_refused")
                    .param("host", host)
                    .param("status", status)
                    .build();
        }
        if (status == 429) {
            Optional<Duration> retryAfter = response.header("Retry-After").flatMap(this::parseRetryAfter);
            String when = retryAfter
                    .map(d -> "try again in " + Math.max(1, d.toSeconds()) + " seconds.")
                    .orElse("try again later.");
            return failure(
                            ErrorCode.RATE_LIMITED,
                            "The SCIM server at " + host + " is limiting how often it may be asked; " + when)
                    .retryAfter(retryAfter.orElse(null))
                    .messageCode("scim.rate_limited")
                    .param("host", host)
                    .param(
                            "retry_after_seconds",
                            retryAfter.map(d -> Math.max(1, d.toSeconds())).orElse(null))
                    .build();
        }
        if (UNAVAILABLE.contains(status)) {
            return failure(
                            ErrorCode.UPSTREAM_UNAVAILABLE,
                            "The SCIM server at " + host + " is temporarily unavailable (status " + status
                                    + "); try again later.")
                    .messageCode("scim.unavailable")
                    .param("host", host)
                    .param("status", status)
                    .build();
        }
        if (status >= 300 && status < 400) {
            return failure(
                            ErrorCode.NOT_AN_API_ENDPOINT,
                            describe(response.uri()) + " redirects elsewhere instead of answering as a SCIM API."
                                    + " Check that the SCIM URL is the address of the SCIM API.")
                    .messageCode("scim.redirected")
                    .param("where", describe(response.uri()))
                    .param("status", status)
                    .build();
        }
        String detail = scimDetail(response).map(d -> ": " + d).orElse("");
        return failure(
                        ErrorCode.UPSTREAM_ERROR,
                        "The SCIM server at " + host + " refused to return " + what + " (status " + status + ")"
                                + detail + ".")
                .messageCode("scim.upstream_error")
                .param("host", host)
                .param("status", status)
                .build();
    }

    /**
     * A failure with a message code ({@code scim.*}, or the calling connector's own) whose message has the token
     * removed, should a server have echoed it; parameters go on the builder.
     */
    public ConnectorException.Builder failure(ErrorCode code, String message, String messageCode) {
        return failure(code, message).messageCode(messageCode);
    }

    private ConnectorException.Builder failure(ErrorCode code, String message) {
        return ConnectorException.builder(code, redactor.redact(message));
    }

    /** Parses {@code Retry-After} as delta-seconds or an HTTP date; empty when it is neither. */
    Optional<Duration> parseRetryAfter(String value) {
        String text = value.strip();
        if (text.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            ZonedDateTime date = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration delay = Duration.between(clock.instant(), date.toInstant());
            return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private ScimListResponse parseList(JsonNode body, URI uri, ScimResourceType type) {
        if (!body.isObject()) {
            throw notScim(uri);
        }
        JsonNode resources = body.has("Resources") ? body.get("Resources") : body.path("resources");
        boolean declared = false;
        for (JsonNode schema : body.path("schemas")) {
            declared |= LIST_RESPONSE_SCHEMA.equals(schema.asText());
        }
        if (!declared && !body.path("totalResults").isNumber() && !resources.isArray()) {
            throw notScim(uri);
        }
        if (!resources.isMissingNode() && !resources.isNull() && !resources.isArray()) {
            throw malformed(uri, "the list of " + type.plural(), null);
        }
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode resource : resources) {
            if (!resource.isObject() || blankToNull(resource.path("id")) == null) {
                throw failure(
                                ErrorCode.UPSTREAM_ERROR,
                                "The SCIM server at " + uri.getHost() + " listed a " + type.singular()
                                        + " without an id, so it cannot be read.")
                        .messageCode("scim.resource_without_id")
                        .param("host", uri.getHost())
                        .param("resource", type.singular())
                        .build();
            }
            items.add(resource);
        }
        return new ScimListResponse(
                intOrNull(body.path("totalResults")),
                intOrNull(body.path("itemsPerPage")),
                intOrNull(body.path("startIndex")),
                items);
    }

    private ConnectorException notScim(URI uri) {
        return failure(
                        ErrorCode.NOT_AN_API_ENDPOINT,
                        describe(uri) + " answered, but not with SCIM data."
                                + " Check that the SCIM URL is the address of the SCIM API.")
                .messageCode("scim.not_scim_data")
                .param("where", describe(uri))
                .build();
    }

    private ConnectorException malformed(URI uri, String what, Exception cause) {
        return failure(
                        ErrorCode.UPSTREAM_ERROR,
                        "The SCIM server at " + uri.getHost() + " sent " + what
                                + " cut off or as malformed JSON; try again, and contact the provider if it persists.")
                .messageCode("scim.malformed")
                .param("host", uri.getHost())
                .cause(cause)
                .build();
    }

    private Optional<String> scimDetail(HttpResponse response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            String detail = node == null ? null : blankToNull(node.path("detail"));
            // An upstream's text ends up in front of users: keep it short and on one line.
            return Optional.ofNullable(detail)
                    .map(d -> d.replaceAll("\\s+", " "))
                    .map(d -> d.length() > 200 ? d.substring(0, 200) + "…" : d);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Index of the first byte that is not ASCII white space, or -1. */
    private static int firstNonBlank(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }

    /** Where a request went, for messages: host and path, never the query. */
    static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    static String blankToNull(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String text = node.asText();
        return text.isBlank() ? null : text;
    }

    private static Integer intOrNull(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual() && node.asText().strip().matches("-?\\d{1,9}")) {
            return Integer.parseInt(node.asText().strip());
        }
        return null;
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    static String encodePathSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "ScimClient[" + baseUri + "]";
    }
}
