package dev.keyline.platform.reqlog;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The request log on the wire. */
public final class RequestLogDtos {
    private RequestLogDtos() {}

    @Schema(name = "RequestLogEntry", description = "One request of an account's request log")
    public record RequestLogView(
            @Schema(required = true, description = "The entry's id, quoted as `request_log_id` by failed links")
            String id,

            @Schema(
                    required = true,
                    enumeration = {"upstream", "api"},
                    description = "`upstream`: a request the connector sent to the provider; `api`: a call"
                            + " to Keyline's API made for the account")
            String kind,

            @Schema(required = true) Instant at,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Null for the upstream requests of a link attempt that created no account")
            String accountId,

            @Schema(required = true) String method,

            @Schema(required = true, description = "The path with ids replaced by `{id}` (upstream), or the API route")
            String pathTemplate,

            @Schema(required = true, description = "The path with the query's keys only, never their values")
            String path,

            @Schema(required = true, nullable = true, description = "Null when no answer came (see `error_code`)")
            Integer status,

            @Schema(required = true) long latencyMs,

            @Schema(required = true, nullable = true, description = "The answer's body size (upstream)")
            Long responseBytes,

            @Schema(
                    required = true,
                    nullable = true,
                    description =
                            "1 for a first try; n for the n-th send of a request that kept failing" + " (upstream)")
            Integer attempt,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Why an upstream request got no answer (`timeout`, `connection_failed`, ...)")
            String errorCode,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Who made an API call: `api_key:<key id>` or `oidc:<subject>`")
            String actor,

            @Schema(required = true, nullable = true, description = "The connector (upstream)")
            String provider,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The connector call that sent it (`validate`, `list_users`, ...)")
            String operation) {

        static RequestLogView of(RequestLogEntry e) {
            return new RequestLogView(
                    e.id(),
                    e.kind().wire(),
                    e.at(),
                    e.accountId(),
                    e.method(),
                    e.pathTemplate(),
                    e.path(),
                    e.status(),
                    e.latencyMs(),
                    e.responseBytes(),
                    e.attempt(),
                    e.errorCode(),
                    e.actor(),
                    e.provider(),
                    e.operation());
        }
    }

    @Schema(name = "RequestLogPage")
    public record RequestLogPage(
            @Schema(required = true) List<RequestLogView> data,
            @Schema(required = true, nullable = true) String next) {
        public RequestLogPage {
            data = List.copyOf(data);
        }
    }
}
