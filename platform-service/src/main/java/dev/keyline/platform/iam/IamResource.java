package dev.keyline.platform.iam;

import dev.keyline.connector.model.StatusValue;
import dev.keyline.platform.iam.IamDtos.GroupDto;
import dev.keyline.platform.iam.IamDtos.PageDto;
import dev.keyline.platform.iam.IamDtos.UserDto;
import dev.keyline.platform.problem.ApiProblem;
import dev.keyline.platform.tenant.CurrentTenant;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The unified IAM API: one normalized shape for every provider's users and groups. Parameters are taken as
 * text and parsed here so a malformed value gets a specific 400 instead of a bare 404.
 */
@Path("/iam")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("tenant")
public class IamResource {
    static final String ACCOUNT_HEADER = "x-account-id";

    private final IamService service;
    private final CurrentTenant tenant;
    private final IamConfig config;

    public IamResource(IamService service, CurrentTenant tenant, IamConfig config) {
        this.service = service;
        this.tenant = tenant;
        this.config = config;
    }

    @GET
    @Path("/users")
    @Operation(summary = "List the users of a linked account")
    public PageDto<UserDto> listUsers(
            @Parameter(description = "The linked account to read", required = true) @HeaderParam(ACCOUNT_HEADER)
                    String accountId,
            @QueryParam("page_size") String pageSize,
            @Parameter(description = "The `next` value of the previous page") @QueryParam("next") String next,
            @Parameter(description = "Exact e-mail address, case-insensitive") @QueryParam("email") String email,
            @Parameter(description = "Exact username, case-insensitive") @QueryParam("username") String username,
            @Parameter(description = "enabled, disabled, pending or unmapped_value") @QueryParam("status")
                    String status,
            @Parameter(description = "true to include the provider's payload") @QueryParam("raw") String raw,
            @Parameter(description = "live (default): read from the provider") @QueryParam("mode") String mode) {
        checkMode(mode);
        return service.listUsers(
                tenant.id(),
                account(accountId),
                new IamService.UserListing(
                        pageSize(pageSize),
                        blankToNull(next),
                        blankToNull(email),
                        blankToNull(username),
                        status(status),
                        flag("raw", raw)));
    }

    @GET
    @Path("/users/{id}")
    @Operation(summary = "One user of a linked account")
    public UserDto getUser(
            @HeaderParam(ACCOUNT_HEADER) String accountId,
            @PathParam("id") String id,
            @QueryParam("raw") String raw,
            @QueryParam("mode") String mode) {
        checkMode(mode);
        return service.getUser(tenant.id(), account(accountId), id, flag("raw", raw));
    }

    @GET
    @Path("/groups")
    @Operation(summary = "List the groups of a linked account, with their members")
    public PageDto<GroupDto> listGroups(
            @HeaderParam(ACCOUNT_HEADER) String accountId,
            @QueryParam("page_size") String pageSize,
            @QueryParam("next") String next,
            @Parameter(description = "Exact group name, case-insensitive") @QueryParam("name") String name,
            @Parameter(description = "false to leave members out (faster on some providers)")
                    @QueryParam("include_members")
                    String includeMembers,
            @QueryParam("raw") String raw,
            @QueryParam("mode") String mode) {
        checkMode(mode);
        boolean members = includeMembers == null || flag("include_members", includeMembers);
        return service.listGroups(
                tenant.id(),
                account(accountId),
                new IamService.GroupListing(
                        pageSize(pageSize), blankToNull(next), blankToNull(name), members, flag("raw", raw)));
    }

    @GET
    @Path("/groups/{id}")
    @Operation(summary = "One group of a linked account, with its members")
    public GroupDto getGroup(
            @HeaderParam(ACCOUNT_HEADER) String accountId,
            @PathParam("id") String id,
            @QueryParam("raw") String raw,
            @QueryParam("mode") String mode) {
        checkMode(mode);
        return service.getGroup(tenant.id(), account(accountId), id, flag("raw", raw));
    }

    private static String account(String accountId) {
        if (accountId == null || accountId.isBlank()) {
            throw ApiProblem.badRequest(
                            "missing_account_id", "Name the linked account to read in the `x-account-id` header.")
                    .field(ACCOUNT_HEADER);
        }
        return accountId.strip();
    }

    private int pageSize(String value) {
        if (value == null || value.isBlank()) {
            return config.defaultPageSize();
        }
        try {
            int size = Integer.parseInt(value.strip());
            if (size >= 1 && size <= config.maxPageSize()) {
                return size;
            }
        } catch (NumberFormatException e) {
            // fall through to the problem below
        }
        throw ApiProblem.badRequest(
                        "invalid_page_size",
                        "`page_size` must be a whole number from 1 to " + config.maxPageSize() + ".")
                .field("page_size");
    }

    private static StatusValue status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return StatusValue.fromWireName(value.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(StatusValue.values())
                    .map(StatusValue::wireName)
                    .collect(Collectors.joining(", "));
            throw ApiProblem.badRequest("invalid_filter", "`status` must be one of: " + allowed + ".")
                    .field("status");
        }
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default ->
                throw ApiProblem.badRequest("invalid_parameter", "`" + name + "` must be true or false.")
                        .field(name);
        };
    }

    private static void checkMode(String mode) {
        if (mode != null && !mode.isBlank() && !"live".equals(mode.strip())) {
            throw ApiProblem.badRequest("invalid_mode", "`mode` must be `live`; synced reads are not available yet.")
                    .field("mode");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
