package dev.keyline.platform.iam;

import static dev.keyline.platform.api.Params.flag;
import static dev.keyline.platform.api.Params.instant;
import static dev.keyline.platform.iam.IamParams.ACCOUNT_HEADER;
import static dev.keyline.platform.iam.IamParams.account;
import static dev.keyline.platform.iam.IamParams.blankToNull;
import static dev.keyline.platform.iam.IamParams.cursor;
import static dev.keyline.platform.iam.IamParams.mode;
import static dev.keyline.platform.iam.IamParams.status;
import static dev.keyline.platform.iam.IamParams.truth;

import dev.keyline.connector.model.StatusValue;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.directory.IamDtos.GroupDto;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.directory.IamDtos.UserDto;
import dev.keyline.platform.iam.IamReadRouting.Mode;
import dev.keyline.platform.sync.SyncedReads;
import dev.keyline.platform.sync.UserReviewFilter;
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
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The unified IAM API: one normalized shape for every provider's users and groups. Parameters are taken as
 * text and parsed by {@link IamParams} so a malformed value gets a specific 400 instead of a bare 404, and are
 * documented typed (the bounds are the defaults of {@link IamConfig}); where a read is answered from is
 * {@link IamReadRouting}'s choice.
 */
@Tag(name = "iam")
@APIResponse(
        responseCode = "409",
        description = "`not_synced`: mode=synced (or a synced-only filter) before the account's first successful sync;"
                + " `account_not_active`: the account was unlinked",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
@APIResponse(
        responseCode = "501",
        description = "The provider does not offer this listing",
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
@Path(ApiVersion.PREFIX + "/iam")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("tenant")
public class IamResource {
    static final String ACCOUNT_DOC = "The linked account to read";
    private static final String CURSOR_DOC = "The `next` value of the previous page, unchanged";
    private static final String NEXT_DOC =
            "Deprecated alias of `cursor`, kept for clients written before every list endpoint paged with"
                    + " `cursor`; giving both is refused";
    private static final String PAGE_SIZE_DOC = "Records per page";
    static final String RAW_DOC = "true to include the provider's payload as `raw`";
    static final String MODE_DOC = "synced: from the store; live: from the provider. Default: synced once the"
            + " account has synced successfully, else live";
    private static final String UPDATED_AFTER_DOC =
            "Records Keyline saw change after this instant (RFC 3339); synced data only";
    private static final String SYNCED_ONLY = "; synced data only (with mode=live: 400 `conflicting_parameters`; on an"
            + " account that never synced: 409 `not_synced`)";
    private static final String INCLUDE_DELETED_DOC =
            "true to include records deleted at the provider; synced data only";

    private final IamService service;
    private final CurrentTenant tenant;
    private final IamConfig config;
    private final SyncedReads synced;
    private final IamReadRouting routing;

    public IamResource(
            IamService service, CurrentTenant tenant, IamConfig config, SyncedReads synced, IamReadRouting routing) {
        this.service = service;
        this.synced = synced;
        this.routing = routing;
        this.tenant = tenant;
        this.config = config;
    }

    @GET
    @Path("/users")
    @APIResponse(responseCode = "200", description = "A page of users")
    @Operation(operationId = "listUsers", summary = "List the users of a linked account")
    public Uni<PageDto<UserDto>> listUsers(
            @Parameter(name = ACCOUNT_HEADER, in = ParameterIn.HEADER, description = ACCOUNT_DOC, required = true)
                    @HeaderParam(ACCOUNT_HEADER)
                    String accountId,
            @Parameter(
                            description = PAGE_SIZE_DOC,
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "1000",
                                            defaultValue = "25"))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = CURSOR_DOC) @QueryParam("cursor") String cursor,
            @Parameter(description = NEXT_DOC, deprecated = true) @QueryParam("next") String nextAlias,
            @Parameter(description = "Exact e-mail address, case-insensitive") @QueryParam("email") String email,
            @Parameter(description = "Exact username, case-insensitive") @QueryParam("username") String username,
            @Parameter(
                            description = "The user's normalized status",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"enabled", "disabled", "pending", "unmapped_value"}))
                    @QueryParam("status")
                    String status,
            @Parameter(
                            description = "true: users the provider marks administrative (`is_privileged` true);"
                                    + " false: users it shows are not; users it cannot tell about match neither"
                                    + SYNCED_ONLY,
                            schema = @Schema(type = SchemaType.BOOLEAN))
                    @QueryParam("is_privileged")
                    String isPrivileged,
            @Parameter(
                            description = "true: users with a second factor enrolled; false: users the provider says"
                                    + " have none; users it says nothing about match neither" + SYNCED_ONLY,
                            schema = @Schema(type = SchemaType.BOOLEAN))
                    @QueryParam("mfa_enrolled")
                    String mfaEnrolled,
            @Parameter(
                            description = "Users who last signed in before this instant (RFC 3339), and users with"
                                    + " no known sign-in (`last_login_at` null: never signed in, or the provider does"
                                    + " not say), so that accounts nobody uses are not missed" + SYNCED_ONLY,
                            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                    @QueryParam("last_login_before")
                    String lastLoginBefore,
            @Parameter(
                            description = "The kind of account (`type.value`)" + SYNCED_ONLY,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"member", "guest", "service", "bot"}))
                    @QueryParam("type")
                    String type,
            @Parameter(description = "Users holding this role (`rol_…`), directly or through a group" + SYNCED_ONLY)
                    @QueryParam("role_id")
                    String roleId,
            @Parameter(description = "Members of this group (`grp_…`)" + SYNCED_ONLY) @QueryParam("group_id")
                    String groupId,
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
                            description = UPDATED_AFTER_DOC,
                            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                    @QueryParam("updated_after")
                    String updatedAfter,
            @Parameter(description = INCLUDE_DELETED_DOC, schema = @Schema(type = SchemaType.BOOLEAN))
                    @QueryParam("include_deleted")
                    String includeDeleted) {
        String next = cursor(cursor, nextAlias);
        Mode requested = mode(mode);
        String account = account(accountId);
        int size = IamParams.pageSize(pageSize, config);
        StatusValue statusFilter = status(status);
        UserReviewFilter review = new UserReviewFilter(
                truth("is_privileged", isPrivileged),
                truth("mfa_enrolled", mfaEnrolled),
                instant("last_login_before", lastLoginBefore),
                IamParams.type(type),
                IamParams.roleId(roleId),
                IamParams.groupId(groupId));
        Instant after = instant("updated_after", updatedAfter);
        boolean deleted = flag("include_deleted", includeDeleted);
        boolean withRaw = flag("raw", raw);
        String tenantId = tenant.id();
        boolean storeOnly = after != null || deleted || review.any();
        SyncedReads.UserFilter filter = new SyncedReads.UserFilter(
                size,
                blankToNull(next),
                blankToNull(email),
                blankToNull(username),
                statusFilter,
                review,
                after,
                deleted,
                withRaw);
        return routing.listing(
                requested,
                tenantId,
                account,
                state -> synced.cachedUsers(tenantId, account, state, filter),
                state -> synced.users(
                        tenantId, account, state, state.lastSuccess().orElseThrow(), filter),
                routing.general(
                        requested,
                        tenantId,
                        account,
                        storeOnly,
                        true,
                        syncedAt -> synced.users(tenantId, account, syncedAt, filter),
                        linked -> service.listUsers(
                                tenantId,
                                linked,
                                new IamService.UserListing(
                                        size,
                                        blankToNull(next),
                                        blankToNull(email),
                                        blankToNull(username),
                                        statusFilter,
                                        withRaw))));
    }

    @GET
    @Path("/users/{id}")
    @APIResponse(
            responseCode = "200",
            description = "The user",
            headers =
                    @Header(
                            name = IamReadRouting.MEMBERSHIP_HEADER,
                            description = "On live reads: `on_groups_only` when the provider lists membership only on"
                                    + " groups (seen by the account's last sync), so the user's `groups` is empty"
                                    + " here although the user may belong to groups; as `meta.membership` on pages."
                                    + " Absent otherwise",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"on_groups_only"})),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserDto.class)))
    @Operation(operationId = "getUser", summary = "One user of a linked account")
    public RestResponse<UserDto> getUser(
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
                () -> RestResponse.ok(synced.user(tenantId, account, id, withRaw)),
                linked -> routing.withMembership(service.getUser(tenantId, linked, id, withRaw), tenantId, linked));
    }

    @GET
    @Path("/groups")
    @APIResponse(responseCode = "200", description = "A page of groups")
    @Operation(operationId = "listGroups", summary = "List the groups of a linked account, with their members")
    public Uni<PageDto<GroupDto>> listGroups(
            @Parameter(name = ACCOUNT_HEADER, in = ParameterIn.HEADER, description = ACCOUNT_DOC, required = true)
                    @HeaderParam(ACCOUNT_HEADER)
                    String accountId,
            @Parameter(
                            description = PAGE_SIZE_DOC,
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "1000",
                                            defaultValue = "25"))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = CURSOR_DOC) @QueryParam("cursor") String cursor,
            @Parameter(description = NEXT_DOC, deprecated = true) @QueryParam("next") String nextAlias,
            @Parameter(description = "Exact group name, case-insensitive") @QueryParam("name") String name,
            @Parameter(
                            description = "false to leave members out (faster on some providers)",
                            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "true"))
                    @QueryParam("include_members")
                    String includeMembers,
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
                            description = UPDATED_AFTER_DOC,
                            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                    @QueryParam("updated_after")
                    String updatedAfter,
            @Parameter(description = INCLUDE_DELETED_DOC, schema = @Schema(type = SchemaType.BOOLEAN))
                    @QueryParam("include_deleted")
                    String includeDeleted) {
        String next = cursor(cursor, nextAlias);
        Mode requested = mode(mode);
        String account = account(accountId);
        int size = IamParams.pageSize(pageSize, config);
        boolean members = includeMembers == null || flag("include_members", includeMembers);
        Instant after = instant("updated_after", updatedAfter);
        boolean deleted = flag("include_deleted", includeDeleted);
        boolean withRaw = flag("raw", raw);
        String tenantId = tenant.id();
        boolean storeOnly = after != null || deleted;
        SyncedReads.GroupFilter filter = new SyncedReads.GroupFilter(
                size, blankToNull(next), blankToNull(name), members, after, deleted, withRaw);
        return routing.listing(
                requested,
                tenantId,
                account,
                state -> synced.cachedGroups(tenantId, account, state, filter),
                state -> synced.groups(
                        tenantId, account, state, state.lastSuccess().orElseThrow(), filter),
                routing.general(
                        requested,
                        tenantId,
                        account,
                        storeOnly,
                        syncedAt -> synced.groups(tenantId, account, syncedAt, filter),
                        linked -> service.listGroups(
                                tenantId,
                                linked,
                                new IamService.GroupListing(
                                        size, blankToNull(next), blankToNull(name), members, withRaw))));
    }

    @GET
    @Path("/groups/{id}")
    @APIResponse(responseCode = "200", description = "The group")
    @Operation(operationId = "getGroup", summary = "One group of a linked account, with its members")
    public GroupDto getGroup(
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
                () -> synced.group(tenantId, account, id, withRaw),
                linked -> service.getGroup(tenantId, linked, id, withRaw));
    }
}
