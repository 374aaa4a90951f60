package dev.keyline.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.platform.base.CarriesFailure;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns exceptions into RFC 9457 responses. Unknown exceptions become a generic 500 with
 * an incident id that is also logged, so no stack trace or class name reaches a client.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final Redactor REDACTOR = Redactor.of(List.of());

    @ServerExceptionMapper
    public Response failure(KeylineException failure, UriInfo uri) {
        return respond(failure, uri);
    }

    @ServerExceptionMapper
    public Response connectorFailure(ConnectorException e, UriInfo uri) {
        // Only reached when a resource did not put the failure in context; reading a linked provider is
        // the common case.
        return respond(ConnectorFailures.upstreamFailed(e), uri);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", leaf(v.getPropertyPath().toString()), "message", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .collect(Collectors.toList());
        String detail = errors.stream()
                .map(m -> m.get("field") + ": " + m.get("message"))
                .collect(Collectors.joining("; "));
        return respond(
                KeylineException.invalid(FailureCode.INVALID_REQUEST, detail).errors(errors), uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        KeylineException notUnicode = UnicodeJson.problemFor(e);
        if (notUnicode != null) {
            return respond(notUnicode, uri);
        }
        return respond(KeylineException.invalid(FailureCode.MALFORMED_JSON, describe(e)), uri);
    }

    /** Declared for this exact type so no built-in mapper of a supertype answers first. */
    @ServerExceptionMapper
    public Response invalidUnicode(UnicodeJson.InvalidUnicodeInJson e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    /**
     * Wrong types and unknown fields. Declared for this exact type so it takes precedence over Quarkus's built-in
     * mapper, which answers a bare, non-problem body.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return respond(
                KeylineException.unauthenticated("Send a valid API key or access token as `Authorization: Bearer …`."),
                uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        if (DatabaseUnavailable.sqlState(e).isPresent()) {
            // The key could not be looked up, which says nothing about whether it is valid.
            return databaseUnavailable(e, uri);
        }
        return respond(KeylineException.unauthenticated("The API key or access token is not valid."), uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(KeylineException.forbidden("These credentials may not perform this operation."), uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return unreadableJson(json, uri);
            }
        }
        if ((status == 400 || status == 404)
                && e.getCause() != null
                && !(e.getCause() instanceof WebApplicationException)) {
            // JAX-RS answers a query parameter it cannot convert (page_size=ten) with 404, as if the address did
            // not exist; it is the client's input that is wrong.
            return respond(
                    KeylineException.invalid(
                            FailureCode.INVALID_PARAMETER, "A query or header parameter has the wrong type."),
                    uri);
        }
        return switch (status) {
            case 400 ->
                respond(KeylineException.invalid(FailureCode.BAD_REQUEST, "The request could not be understood."), uri);
            case 401 ->
                respond(
                        KeylineException.unauthenticated(
                                "Send a valid API key or access token as `Authorization: Bearer …`."),
                        uri);
            case 403 -> respond(KeylineException.forbidden("These credentials may not perform this operation."), uri);
            case 404 ->
                respond(
                        KeylineException.of(
                                Kind.NOT_FOUND,
                                FailureCode.NOT_FOUND,
                                "Not found",
                                "There is nothing at this address."),
                        uri);
            // The statuses below are about the HTTP exchange itself, which no domain kind describes; they are
            // answered with the status JAX-RS chose.
            case 405 ->
                respond(
                        405,
                        KeylineException.of(
                                Kind.INVALID,
                                FailureCode.METHOD_NOT_ALLOWED,
                                "Method not allowed",
                                "This address does not accept that method."),
                        uri);
            case 406 ->
                respond(
                        406,
                        KeylineException.of(
                                Kind.INVALID,
                                FailureCode.NOT_ACCEPTABLE,
                                "Not acceptable",
                                "This address cannot answer in the requested media type."),
                        uri);
            case 413 ->
                respond(
                        KeylineException.of(
                                Kind.TOO_LARGE,
                                FailureCode.PAYLOAD_TOO_LARGE,
                                "Payload too large",
                                "The request body is too large."),
                        uri);
            case 415 ->
                respond(
                        415,
                        KeylineException.of(
                                Kind.INVALID,
                                FailureCode.UNSUPPORTED_MEDIA_TYPE,
                                "Unsupported media type",
                                "Send the body as application/json."),
                        uri);
            default ->
                status >= 500
                        ? respond(internal(e, headers), uri)
                        : respond(
                                status,
                                KeylineException.of(
                                        Kind.INVALID,
                                        "http_" + status,
                                        "Request failed",
                                        "The request failed with status " + status + "."),
                                uri);
        };
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri, HttpHeaders headers) {
        if (e instanceof CarriesFailure carrier) {
            // A component's own exception (the credential store's, say): its message names tenant and account but
            // never a value, and is for the log; the client is told only what to do.
            return respond(carrier.failure(), uri);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            // PostgreSQL refuses NUL (and text its encoding cannot hold) in any text column; that is the client's
            // input, wherever it came in (path, query or body), and the transaction has been rolled back.
            if (t instanceof java.sql.SQLException sql
                    && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return respond(
                        KeylineException.invalid(
                                FailureCode.INVALID_CHARACTER,
                                "The request contains a character that cannot be stored, such as NUL (\\u0000)."),
                        uri);
            }
        }
        if (DatabaseUnavailable.sqlState(e).isPresent()) {
            return databaseUnavailable(e, uri);
        }
        return respond(internal(e, headers), uri);
    }

    /** One line, no stack trace: while the database is down every request would log the same one. */
    private static Response databaseUnavailable(Throwable e, UriInfo uri) {
        LOG.warnf(
                "database unavailable (SQLState %s), answered 503 to %s",
                DatabaseUnavailable.sqlState(e).orElseThrow(),
                uri == null ? "a request" : SecretShapes.redact(uri.getPath()));
        return respond(DatabaseUnavailable.problem(), uri);
    }

    private static KeylineException internal(Throwable e, HttpHeaders headers) {
        String incident = UUID.randomUUID().toString();
        // Both ids: the incident is unique to this failure, the request id (which a client may choose and reuse)
        // finds the request's other log lines and is what a client that logs only headers can quote.
        String request = headers == null ? null : headers.getHeaderString(RequestIds.HEADER);
        // An exception message may quote a header, a URL or a credential: log it with secrets masked.
        LOG.errorf(RedactedFailure.of(e), "Unexpected failure, incident %s, request %s", incident, request);
        return KeylineException.of(
                Kind.INTERNAL,
                FailureCode.INTERNAL_ERROR,
                "Internal error",
                "Something went wrong on our side. Quote incident " + incident + " when contacting support.");
    }

    static Response respond(KeylineException failure, UriInfo uri) {
        return respond(status(failure.kind()), failure, uri);
    }

    private static Response respond(int status, KeylineException failure, UriInfo uri) {
        Problem body = body(status, failure, uri == null ? null : uri.getPath());
        Response.ResponseBuilder response =
                Response.status(status).type(Problem.MEDIA_TYPE).entity(body);
        if (body.retryAfter() != null) {
            response.header("Retry-After", body.retryAfter());
        }
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.build();
    }

    /** The HTTP status a kind of failure is answered with; the one place that decides it. */
    static int status(Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_LARGE -> 413;
            case UNPROCESSABLE -> 422;
            case RATE_LIMITED -> 429;
            case INTERNAL -> 500;
            case UNSUPPORTED -> 501;
            case UPSTREAM -> 502;
            case UNAVAILABLE -> 503;
            case TIMEOUT -> 504;
        };
    }

    /** The problem document for a request path, secrets masked; also for answers given outside JAX-RS. */
    static Problem body(int status, KeylineException failure, String path) {
        return body(status, failure, path, null);
    }

    /** As {@link #body(int, KeylineException, String)}, quoting the request's id. */
    static Problem body(int status, KeylineException failure, String path, String requestId) {
        KeylineException.Origin origin = failure.originOrNull();
        return new Problem(
                "/problems/" + failure.code(),
                failure.title(),
                status,
                SecretShapes.redact(REDACTOR.redact(failure.detail())),
                // The path may hold whatever the client typed into it, a pasted key included.
                path == null ? null : SecretShapes.redact(path),
                failure.code(),
                failure.fieldName(),
                failure.retryAfterDuration() == null
                        ? null
                        // Rounded up: a client retrying at the floor would arrive early and be refused again.
                        : Math.max(1, (failure.retryAfterDuration().toMillis() + 999) / 1000),
                failure.fieldErrors().isEmpty() ? null : redact(failure.fieldErrors()),
                requestId,
                origin == null ? null : origin.connector(),
                origin == null ? null : origin.messageCode(),
                origin == null || origin.messageParams().isEmpty() ? null : redact(origin.messageParams()),
                failure.accountList().isEmpty() ? null : failure.accountList(),
                failure.accountIdOrNull(),
                // Quoted by RequestIds, which sees every problem the resources answer.
                null,
                null);
    }

    private static Map<String, String> redact(Map<String, String> params) {
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> shown.put(k, SecretShapes.redact(REDACTOR.redact(v))));
        return shown;
    }

    private static List<Map<String, String>> redact(List<Map<String, String>> errors) {
        return errors.stream()
                .map(m -> m.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, en -> SecretShapes.redact(en.getValue()))))
                .collect(Collectors.toList());
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "Unknown field `" + u.getPropertyName() + "`.";
        }
        if (e instanceof InvalidFormatException f && !f.getPath().isEmpty()) {
            return "Field `" + path(f) + "` has the wrong type or format.";
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "Field `" + path(m) + "` has the wrong type.";
        }
        return "The body is not valid JSON.";
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String leaf(String propertyPath) {
        // "create.request.originOwnerId" → "origin_owner_id": the method and parameter names are ours, not the
        // client's.
        int dot = propertyPath.lastIndexOf('.');
        String name = dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
