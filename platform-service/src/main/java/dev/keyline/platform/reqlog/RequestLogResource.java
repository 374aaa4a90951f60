package dev.keyline.platform.reqlog;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.reqlog.RequestLogDtos.RequestLogView;
import dev.keyline.platform.tenant.CurrentTenant;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * One request log entry by its id, whichever account it belongs to: the entry a failed link's problem quotes as
 * {@code request_log_id}, also when the link created no account.
 */
@Tag(name = "accounts")
@Path(ApiVersion.PREFIX + "/request-logs")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
public class RequestLogResource {

    @Inject
    RequestLogQueries queries;

    @Inject
    CurrentTenant tenant;

    @GET
    @Path("/{id}")
    @Operation(
            operationId = "getRequestLogEntry",
            summary = "One request log entry",
            description = "The entry a failed link's or check's problem quotes as `request_log_id`; another"
                    + " tenant's entry is not found.")
    public RequestLogView get(@PathParam("id") String id) {
        return queries.get(tenant.id(), id);
    }
}
