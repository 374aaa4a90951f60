package dev.keyline.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.platform.credential.CredentialStoreException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
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
    public Response apiProblem(ApiProblem problem, UriInfo uri) {
        return respond(problem, uri);
    }

    @ServerExceptionMapper
    public Response connectorFailure(ConnectorException e, UriInfo uri) {
        // Only reached when a resource did not put the failure in context; reading a linked provider is
        // the common case.
        return respond(ConnectorProblems.upstreamFailed(e), uri);
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
        return respond(ApiProblem.badRequest("invalid_request", detail).errors(errors), uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        ApiProblem notUnicode = UnicodeJson.problemFor(e);
        if (notUnicode != null) {
            return respond(notUnicode, uri);
        }
        return respond(ApiProblem.badRequest("malformed_json", describe(e)), uri);
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
                ApiProblem.unauthorized("Send a valid API key or access token as `Authorization: Bearer …`."), uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        if (DatabaseUnavailable.sqlState(e).isPresent()) {
            // The key could not be looked up, which says nothing about whether it is valid.
            return databaseUnavailable(e, uri);
        }
        return respond(ApiProblem.unauthorized("The API key or access token is not valid."), uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(ApiProblem.forbidden("These credentials may not perform this operation."), uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
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
                    ApiProblem.badRequest("invalid_parameter", "A query or header parameter has the wrong type."), uri);
        }
        ApiProblem problem = switch (status) {
            case 400 -> ApiProblem.badRequest("bad_request", "The request could not be understood.");
            case 401 -> ApiProblem.unauthorized("Send a valid API key or access token as `Authorization: Bearer …`.");
            case 403 -> ApiProblem.forbidden("These credentials may not perform this operation.");
            case 404 -> ApiProblem.of(404, "not_found", "Not found", "There is nothing at this address.");
            case 405 ->
                ApiProblem.of(
                        405, "method_not_allowed", "Method not allowed", "This address does not accept that method.");
            case 406 ->
                ApiProblem.of(
                        406,
                        "not_acceptable",
                        "Not acceptable",
                        "This address cannot answer in the requested media type.");
            case 413 -> ApiProblem.of(413, "payload_too_large", "Payload too large", "The request body is too large.");
            case 415 ->
                ApiProblem.of(
                        415, "unsupported_media_type", "Unsupported media type", "Send the body as application/json.");
            default ->
                status >= 500
                        ? internal(e)
                        : ApiProblem.of(
                                status,
                                "http_" + status,
                                "Request failed",
                                "The request failed with status " + status + ".");
        };
        return respond(problem, uri);
    }

    /** The store's message names tenant and account but never a value; the answer says only what to do. */
    @ServerExceptionMapper
    public Response credentialStore(CredentialStoreException e, UriInfo uri) {
        return respond(e.problem(), uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // PostgreSQL refuses NUL (and text its encoding cannot hold) in any text column; that is the client's
            // input, wherever it came in (path, query or body), and the transaction has been rolled back.
            if (t instanceof java.sql.SQLException sql
                    && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return respond(
                        ApiProblem.badRequest(
                                "invalid_character",
                                "The request contains a character that cannot be stored, such as NUL (\\u0000)."),
                        uri);
            }
        }
        if (DatabaseUnavailable.sqlState(e).isPresent()) {
            return databaseUnavailable(e, uri);
        }
        return respond(internal(e), uri);
    }

    /** One line, no stack trace: while the database is down every request would log the same one. */
    private static Response databaseUnavailable(Throwable e, UriInfo uri) {
        LOG.warnf(
                "database unavailable (SQLState %s), answered 503 to %s",
                DatabaseUnavailable.sqlState(e).orElseThrow(),
                uri == null ? "a request" : SecretShapes.redact(uri.getPath()));
        return respond(DatabaseUnavailable.problem(), uri);
    }

    private static ApiProblem internal(Throwable e) {
        String incident = UUID.randomUUID().toString();
        // An exception message may quote a header, a URL or a credential: log it with secrets masked.
        LOG.errorf(RedactedFailure.of(e), "Unexpected failure, incident %s", incident);
        return ApiProblem.of(
                500,
                "internal_error",
                "Internal error",
                "Something went wrong on our side. Quote incident " + incident + " when contacting support.");
    }

    static Response respond(ApiProblem problem, UriInfo uri) {
        Problem body = body(problem, uri == null ? null : uri.getPath());
        Response.ResponseBuilder response =
                Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(body);
        if (body.retryAfter() != null) {
            response.header("Retry-After", body.retryAfter());
        }
        if (problem.status() == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.build();
    }

    /** The problem document for a request path, secrets masked; also for answers given outside JAX-RS. */
    static Problem body(ApiProblem problem, String path) {
        return new Problem(
                "/problems/" + problem.code(),
                problem.title(),
                problem.status(),
                SecretShapes.redact(REDACTOR.redact(problem.detail())),
                // The path may hold whatever the client typed into it, a pasted key included.
                path == null ? null : SecretShapes.redact(path),
                problem.code(),
                problem.fieldName(),
                problem.retryAfterDuration() == null
                        ? null
                        // Rounded up: a client retrying at the floor would arrive early and be refused again.
                        : Math.max(1, (problem.retryAfterDuration().toMillis() + 999) / 1000),
                problem.fieldErrors().isEmpty() ? null : redact(problem.fieldErrors()));
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
