package dev.keyline.platform.webhook;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.ProblemDocs;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.idempotency.Idempotent;
import dev.keyline.platform.tenant.CurrentTenant;
import dev.keyline.platform.webhook.WebhookDtos.CreateWebhookRequest;
import dev.keyline.platform.webhook.WebhookDtos.CreatedWebhook;
import dev.keyline.platform.webhook.WebhookDtos.DeliveryPage;
import dev.keyline.platform.webhook.WebhookDtos.DeliveryView;
import dev.keyline.platform.webhook.WebhookDtos.UpdateWebhookRequest;
import dev.keyline.platform.webhook.WebhookDtos.WebhookPage;
import dev.keyline.platform.webhook.WebhookDtos.WebhookView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Webhook subscriptions of the calling tenant and their delivery log (see docs/webhooks.md). */
@Tag(name = "webhooks")
@Path(ApiVersion.PREFIX + "/webhooks")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhookResource {

    @Inject
    WebhookService service;

    @Inject
    CurrentTenant tenant;

    /** 201 with the signing secret, which is never shown again. */
    @APIResponse(
            responseCode = "201",
            description = "The subscription with its signing secret, shown this once",
            headers =
                    @Header(
                            name = "Location",
                            description = "The subscription's address",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedWebhook.class)))
    @APIResponse(
            responseCode = "422",
            description = "The URL may not be called (the egress policy refuses it, or it is not an http(s) URL)",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @POST
    @Idempotent
    @Operation(operationId = "createWebhook")
    public Response create(@Valid @NotNull CreateWebhookRequest request) {
        CreatedWebhook created = service.create(tenant.id(), request);
        return Response.created(UriBuilder.fromResource(WebhookResource.class)
                        .path("{id}")
                        .build(created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Operation(operationId = "listWebhooks")
    public WebhookPage list(
            @Parameter(
                            description = "Subscriptions per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "" + WebhookService.MAX_PAGE_SIZE,
                                            defaultValue = "" + WebhookService.DEFAULT_PAGE_SIZE))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = "The previous page's `next`; absent for the first page") @QueryParam("cursor")
                    String cursor) {
        return service.list(tenant.id(), pageSize, cursor);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getWebhook")
    public WebhookView get(@PathParam("id") String id) {
        return service.get(tenant.id(), id);
    }

    @PATCH
    @Path("/{id}")
    @APIResponse(
            responseCode = "200",
            description = "The subscription as changed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(
            responseCode = "409",
            description = "Enabling a subscription whose signing secret is missing: rotate its secret instead",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "422",
            description = "The new URL may not be called",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @Operation(operationId = "updateWebhook")
    public WebhookView update(@PathParam("id") String id, @Valid @NotNull UpdateWebhookRequest request) {
        return service.update(tenant.id(), id, request);
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteWebhook")
    public Response delete(@PathParam("id") String id) {
        service.delete(tenant.id(), id);
        return Response.noContent().build();
    }

    /** A new signing secret, shown once; the old one stops working at once. */
    @POST
    // No body: a client that sends none sends no Content-Type either, which the class-level JSON would refuse (415).
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/rotate-secret")
    @Operation(operationId = "rotateWebhookSecret")
    public CreatedWebhook rotateSecret(@PathParam("id") String id) {
        return service.rotateSecret(tenant.id(), id);
    }

    /** The delivery log, newest first. */
    @GET
    @Path("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries")
    public DeliveryPage deliveries(
            @PathParam("id") String id,
            @Parameter(
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"pending", "succeeded", "failed"}))
                    @QueryParam("state")
                    String state,
            @Parameter(
                            description = "Deliveries per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "" + WebhookService.MAX_PAGE_SIZE,
                                            defaultValue = "" + WebhookService.DEFAULT_PAGE_SIZE))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = "The previous page's `next`; absent for the first page") @QueryParam("cursor")
                    String cursor) {
        return service.deliveries(tenant.id(), id, state, pageSize, cursor);
    }

    @GET
    @Path("/{id}/deliveries/{delivery_id}")
    @Operation(operationId = "getWebhookDelivery")
    public DeliveryView delivery(@PathParam("id") String id, @PathParam("delivery_id") String deliveryId) {
        return service.delivery(tenant.id(), id, deliveryId);
    }

    /** 202: the event is queued again as a new delivery. */
    @APIResponse(
            responseCode = "202",
            description = "The new delivery, queued",
            headers =
                    @Header(
                            name = "Location",
                            description = "The new delivery's address",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeliveryView.class)))
    @POST
    // No body: a client that sends none sends no Content-Type either, which the class-level JSON would refuse (415).
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/deliveries/{delivery_id}/redeliver")
    @Operation(operationId = "redeliverWebhookDelivery")
    public Response redeliver(@PathParam("id") String id, @PathParam("delivery_id") String deliveryId) {
        return queued(id, service.redeliver(tenant.id(), id, deliveryId));
    }

    /** 202: a {@code webhook.test} event is queued for this subscription. */
    @APIResponse(
            responseCode = "202",
            description = "The test delivery, queued",
            headers =
                    @Header(
                            name = "Location",
                            description = "The test delivery's address",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeliveryView.class)))
    @POST
    // No body: a client that sends none sends no Content-Type either, which the class-level JSON would refuse (415).
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/test")
    @Operation(operationId = "testWebhook")
    public Response test(@PathParam("id") String id) {
        return queued(id, service.test(tenant.id(), id));
    }

    private static Response queued(String subscriptionId, DeliveryView delivery) {
        return Response.accepted(delivery)
                .location(UriBuilder.fromResource(WebhookResource.class)
                        .path("{id}/deliveries/{delivery_id}")
                        .build(subscriptionId, delivery.id()))
                .build();
    }
}
