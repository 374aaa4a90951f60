package dev.keyline.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

/** The RFC 9457 body, with Keyline's extension members {@code code}, {@code field}, {@code errors}, {@code retry_after},
 * {@code request_id}, {@code trace_id}, {@code request_log_id}, {@code accounts}, {@code account_id}, and for connectors' failures {@code connector}, {@code message_code} and {@code message_params}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Described on the class, member by member, so the record's components stay free for their own changes; the
// `code` enum is added by api.OpenApiDocument from the failure code enums.
@Schema(
        name = "Problem",
        description = "An RFC 9457 problem document with Keyline's extension members. Clients act on `code`, which"
                + " never changes for a kind of failure; `title` and `detail` are for people.",
        requiredProperties = {"type", "title", "status", "code"},
        properties = {
            @SchemaProperty(
                    name = "type",
                    format = "uri-reference",
                    description = "`/problems/<code>`: identifies the kind of problem."),
            @SchemaProperty(name = "title", description = "A short summary of the kind of problem."),
            @SchemaProperty(
                    name = "status",
                    type = SchemaType.INTEGER,
                    minimum = "400",
                    maximum = "599",
                    description = "The HTTP status of this answer."),
            @SchemaProperty(name = "detail", description = "What went wrong this time and what to do about it."),
            @SchemaProperty(name = "instance", description = "The path of the request that failed."),
            @SchemaProperty(
                    name = "code",
                    description = "The stable machine code of the failure. New codes may be added within a version:"
                            + " treat an unknown one by its HTTP status."),
            @SchemaProperty(
                    name = "field",
                    description = "The parameter, header or body member to fix, when the failure is about one."),
            @SchemaProperty(
                    name = "retry_after",
                    type = SchemaType.INTEGER,
                    minimum = "1",
                    description = "Seconds to wait before retrying, when waiting helps (as `Retry-After`)."),
            @SchemaProperty(
                    name = "errors",
                    description = "Every invalid body member at once, each with its `field` and a `message`."),
            @SchemaProperty(
                    name = "connector",
                    type = SchemaType.STRING,
                    description = "The id of the connector that reported or caused the failure, when one did."),
            @SchemaProperty(
                    name = "message_code",
                    type = SchemaType.STRING,
                    description = "The stable code of `detail`'s sentence when a connector wrote it (for example"
                            + " `scim.token_rejected`), to show the failure in another language."),
            @SchemaProperty(
                    name = "message_params",
                    type = SchemaType.OBJECT,
                    description = "The values `detail`'s sentence was made from, by name (such as `host`), for"
                            + " `message_code`.",
                    additionalProperties = String.class),
            @SchemaProperty(
                    name = "accounts",
                    description = "The linked accounts the failure is about, each with its `id` and `provider`, when it"
                            + " concerns several (such as `not_synced` on a read across an origin owner's accounts)."),
            @SchemaProperty(
                    name = "account_id",
                    type = SchemaType.STRING,
                    description = "The linked account the failure names, when it names one the request did not (such"
                            + " as the existing account of `account_exists`)."),
            @SchemaProperty(
                    name = "request_id",
                    type = SchemaType.STRING,
                    description = "The request's id, as answered in `X-Request-Id`: quote it when asking for help."),
            @SchemaProperty(
                    name = "trace_id",
                    type = SchemaType.STRING,
                    description = "The request's trace id, when the operator turned tracing on: quote it with"
                            + " `request_id`."),
            @SchemaProperty(
                    name = "request_log_id",
                    type = SchemaType.STRING,
                    description = "When a link or a check failed because of a request to the provider: that request's"
                            + " request log entry, readable at `GET /v1/request-logs/{id}`.")
        })
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String code,
        String field,
        Long retryAfter,
        List<Map<String, String>> errors,
        String requestId,
        String connector,
        String messageCode,
        Map<String, String> messageParams,
        List<Map<String, String>> accounts,
        String accountId,
        String traceId,
        String requestLogId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The same problem, quoting the request's id ({@code X-Request-Id}). */
    public Problem withRequestId(String id) {
        return quoting(id, traceId, requestLogId);
    }

    /** The same problem, quoting the request's trace id (null when tracing is off: then no member). */
    public Problem withTraceId(String id) {
        return quoting(requestId, id, requestLogId);
    }

    /** The same problem, quoting the request log entry of the upstream request that made it fail. */
    public Problem withRequestLogId(String id) {
        return quoting(requestId, traceId, id);
    }

    private Problem quoting(String requestId, String traceId, String requestLogId) {
        return new Problem(
                type,
                title,
                status,
                detail,
                instance,
                code,
                field,
                retryAfter,
                errors,
                requestId,
                connector,
                messageCode,
                messageParams,
                accounts,
                accountId,
                traceId,
                requestLogId);
    }
}
