package dev.keyline.platform.people;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.people.PeopleDtos.PersonDto;
import dev.keyline.platform.people.PeopleDtos.PersonPage;
import dev.keyline.platform.tenant.CurrentTenant;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One origin owner's people across its linked accounts, correlated by e-mail address, from synced data. */
@Tag(name = "people")
@Path(ApiVersion.PREFIX + "/people")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
public class PeopleResource {
    static final String OWNER = "origin_owner_id";

    private final PeopleService people;
    private final CurrentTenant tenant;

    public PeopleResource(PeopleService people, CurrentTenant tenant) {
        this.people = people;
        this.tenant = tenant;
    }

    @GET
    @Operation(
            operationId = "listPeople",
            summary = "One row per person across the origin owner's linked accounts, correlated by e-mail address",
            description = "Users sharing an address (any of theirs, case-insensitive, googlemail.com as gmail.com)"
                    + " are one person. Rows found in two or more accounts are listed by default; `matched=false`"
                    + " lists the rest: users without an address and users found in one account only. An owner"
                    + " without linked accounts has no people (an empty list). Synced data only.")
    @APIResponse(
            responseCode = "200",
            description = "A page of people, in id order",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PersonPage.class)))
    @APIResponse(
            responseCode = "409",
            description = "`not_synced`: one or more of the owner's accounts never completed a sync; the problem's"
                    + " `accounts` lists them",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public PersonPage list(
            @Parameter(description = "The origin owner whose linked accounts are read", required = true)
                    @QueryParam(OWNER)
                    String originOwnerId,
            @Parameter(
                            description =
                                    "true (default): people found in two or more accounts; false: the" + " unmatched",
                            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "true"))
                    @QueryParam("matched")
                    String matched,
            @Parameter(
                            description = "People per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "" + PeopleService.MAX_PAGE_SIZE,
                                            defaultValue = "" + PeopleService.DEFAULT_PAGE_SIZE))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = "The previous page's `next`; absent for the first page") @QueryParam("cursor")
                    String cursor) {
        String owner = requiredOwner(originOwnerId);
        boolean wantMatched = matched == null || matched.isBlank() || Params.flag("matched", matched);
        int size = Params.pageSize(pageSize, PeopleService.DEFAULT_PAGE_SIZE, PeopleService.MAX_PAGE_SIZE);
        return people.list(tenant.id(), owner, wantMatched, size, cursor);
    }

    @GET
    @Path("/{id}")
    @Operation(
            operationId = "getPerson",
            summary = "One person, with their user in each of the owner's linked accounts",
            description = "Any row of `listPeople`, matched or not. Synced data only.")
    @APIResponse(
            responseCode = "200",
            description = "The person",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PersonDto.class)))
    @APIResponse(
            responseCode = "409",
            description = "`not_synced`: one or more of the owner's accounts never completed a sync; the problem's"
                    + " `accounts` lists them",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public PersonDto get(@PathParam("id") String id) {
        return people.get(tenant.id(), id);
    }

    static String requiredOwner(String originOwnerId) {
        if (originOwnerId == null || originOwnerId.isBlank()) {
            throw KeylineException.invalid(
                            FailureCode.PARAMETER_REQUIRED,
                            "Say whose people to read with `origin_owner_id`, the owner id the accounts were linked"
                                    + " with.")
                    .field(OWNER);
        }
        return originOwnerId;
    }
}
