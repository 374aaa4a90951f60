package dev.keyline.platform.iam;

import static dev.keyline.platform.api.Params.flag;
import static dev.keyline.platform.api.Params.instant;
import static dev.keyline.platform.iam.IamParams.ACCOUNT_HEADER;
import static dev.keyline.platform.iam.IamParams.account;
import static dev.keyline.platform.iam.IamParams.blankToNull;
import static dev.keyline.platform.iam.IamParams.cursor;
import static dev.keyline.platform.iam.IamParams.mode;
import static dev.keyline.platform.iam.IamResource.ACCOUNT_DOC;
import static dev.keyline.platform.iam.IamResource.MODE_DOC;
import static dev.keyline.platform.iam.IamResource.RAW_DOC;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.directory.IamDtos.RoleDto;
import dev.keyline.platform.iam.IamReadRouting.Mode;
import dev.keyline.platform.sync.SyncedRoleReads;
import dev.keyline.platform.tenant.CurrentTenant;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The roles and entitlements of a linked account, with who holds them: read like groups (same modes, paging,
 * synced-only filters and routing, see {@link IamResource}); {@code include_assignments} is their
 * {@code include_members}.
 */
@Tag(name = "iam")
@APIResponse(
        responseCode = "409",
        description = "`not_synced`: mode=synced (or a synced-only filter) before the account's first successful sync;"
                + " `account_not_active`: the account was unlinked",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
@APIResponse(
        responseCode = "501",
        description = "The provider has no roles Keyline can read",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
@APIResponse(
        responseCode = "502",
        description = "The provider answered with an error (live reads)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
@APIResponse(
        responseCode = "503",
        description = "The provider cannot be reached or is rate limiting (live reads); see `Retry-After`",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
@APIResponse(
        responseCode = "504",
        description = "The provider did not answer in time (live reads)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
@Path(ApiVersion.PREFIX + "/iam/roles")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("tenant")
public class RoleResource {
    private final IamService service;
    private final CurrentTenant tenant;
    private final IamConfig config;
    private final SyncedRoleReads synced;
    private final IamReadRouting routing;

    public RoleResource(
            IamService service,
            CurrentTenant tenant,
            IamConfig config,
            SyncedRoleReads synced,
            IamReadRouting routing) {
        this.service = service;
        this.tenant = tenant;
        this.config = config;
        this.synced = synced;
        this.routing = routing;
    }

    @GET
    @APIResponse(responseCode = "200", description = "A page of roles")
    @Operation(operationId = "listRoles", summary = "List the roles of a linked account, with who holds them")
    public Uni<PageDto<RoleDto>> listRoles(
            @Parameter(name = ACCOUNT_HEADER, in = ParameterIn.HEADER, description = ACCOUNT_DOC, required = true)
                    @HeaderParam(ACCOUNT_HEADER)
                    String accountId,
            @Parameter(
                            description = "Records per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "1000",
                                            defaultValue = "25"))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = "The `next` value of the previous page, unchanged") @QueryParam("cursor")
                    String cursor,
            @Parameter(
                            description = "false to leave out who holds each role (`members`, `groups`)",
                            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "true"))
                    @QueryParam("include_assignments")
                    String includeAssignments,
            @Parameter(description = RAW_DOC, schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("raw")
                    String raw,
            @Parameter(
                            description = MODE_DOC,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"live", "synced"}))
                    @QueryParam("mode")
                    String mode,
            @Parameter(
                            description = "Records Keyline saw change after this instant (RFC 3339); synced data only",
                            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                    @QueryParam("updated_after")
                    String updatedAfter,
            @Parameter(
                            description = "true to include records deleted at the provider; synced data only",
                            schema = @Schema(type = SchemaType.BOOLEAN))
                    @QueryParam("include_deleted")
                    String includeDeleted) {
        String next = blankToNull(cursor(cursor, null));
        Mode requested = mode(mode);
        String account = account(accountId);
        int size = IamParams.pageSize(pageSize, config);
        boolean assignments = includeAssignments == null || flag("include_assignments", includeAssignments);
        Instant after = instant("updated_after", updatedAfter);
        boolean deleted = flag("include_deleted", includeDeleted);
        boolean withRaw = flag("raw", raw);
        String tenantId = tenant.id();
        SyncedRoleReads.RoleFilter filter =
                new SyncedRoleReads.RoleFilter(size, next, assignments, after, deleted, withRaw);
        return routing.listing(
                requested,
                tenantId,
                account,
                state -> synced.cachedRoles(tenantId, account, state, filter),
                state -> synced.roles(
                        tenantId, account, state, state.lastSuccess().orElseThrow(), filter),
                routing.general(
                        requested,
                        tenantId,
                        account,
                        after != null || deleted,
                        syncedAt -> synced.roles(tenantId, account, syncedAt, filter),
                        linked -> service.listRoles(
                                tenantId, linked, new IamService.RoleListing(size, next, assignments, withRaw))));
    }

    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "200", description = "The role")
    @Operation(operationId = "getRole", summary = "One role of a linked account, with who holds it")
    public RoleDto getRole(
            @Parameter(name = ACCOUNT_HEADER, in = ParameterIn.HEADER, description = ACCOUNT_DOC, required = true)
                    @HeaderParam(ACCOUNT_HEADER)
                    String accountId,
            @PathParam("id") String id,
            @Parameter(description = RAW_DOC, schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("raw")
                    String raw,
            @Parameter(
                            description = MODE_DOC,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"live", "synced"}))
                    @QueryParam("mode")
                    String mode) {
        Mode requested = mode(mode);
        String account = account(accountId);
        boolean withRaw = flag("raw", raw);
        String tenantId = tenant.id();
        return routing.one(
                requested,
                tenantId,
                account,
                () -> synced.role(tenantId, account, id, withRaw),
                linked -> service.getRole(tenantId, linked, id, withRaw));
    }
}
