package dev.keyline.platform.reqlog;

import dev.keyline.platform.base.Roles;
import dev.keyline.platform.problem.SecretShapes;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records every API call made for an account in its request log: one under {@code /v1/accounts/{id}} or naming it in
 * {@code x-account-id}, by a caller of a tenant. It keeps who called ({@code api_key:<id>} or {@code oidc:<subject>}),
 * the route template, the path (query keys only, secret shapes masked), the status and the latency; never headers or
 * bodies. A call answered 404 is not recorded: it named no account of the caller's. Reading the log itself is not
 * recorded, so looking at an account's log does not push its entries out.
 */
public class ApiCalls {
    private static final String STARTED = ApiCalls.class.getName() + ".started";
    private static final String CALLER = ApiCalls.class.getName() + ".caller";
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final String ACCOUNTS = "/v1/accounts/{id}";

    /** Who called, for a tenant. */
    private record Caller(String tenantId, String actor) {}

    private static final Map<Method, String> TEMPLATES = new ConcurrentHashMap<>();

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    RequestLog log;

    @ServerRequestFilter
    public Uni<Void> start(ContainerRequestContext request) {
        request.setProperty(STARTED, new long[] {System.nanoTime(), System.currentTimeMillis()});
        return identities.getDeferredIdentity().onFailure().recoverWithNull().map(identity -> {
            Caller caller = caller(identity);
            if (caller != null) {
                request.setProperty(CALLER, caller);
            }
            return null;
        });
    }

    @ServerResponseFilter
    public void finish(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        if (!(request.getProperty(CALLER) instanceof Caller caller)
                || !(request.getProperty(STARTED) instanceof long[] started)
                || resource == null
                || resource.getResourceMethod() == null) {
            return;
        }
        String template = TEMPLATES.computeIfAbsent(resource.getResourceMethod(), m -> template(resource));
        if (template.startsWith(ACCOUNTS + "/logs")) {
            return;
        }
        String account = template.startsWith(ACCOUNTS)
                ? request.getUriInfo().getPathParameters().getFirst("id")
                : request.getHeaderString("x-account-id");
        // A 404 names no account of the caller's (an id that is not one, or a key pasted into the path): it has no
        // log to be in, and whatever was typed there must not be stored.
        if (account == null
                || response.getStatus() == 404
                || !PLAIN_ID.matcher(account).matches()
                || SecretShapes.containsSecret(account)) {
            return;
        }
        log.record(new RequestLogEntry(
                RequestLogEntry.newId(),
                caller.tenantId(),
                account,
                RequestLogEntry.Kind.API,
                Instant.ofEpochMilli(started[1]),
                request.getMethod(),
                template,
                SecretShapes.redact(PathTemplates.path(request.getUriInfo().getRequestUri())),
                response.getStatus(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started[0]),
                null,
                null,
                null,
                caller.actor(),
                null,
                null));
    }

    private static Caller caller(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        Object tenant = identity.getAttribute(Roles.TENANT_ID_ATTRIBUTE);
        if (tenant == null) {
            return null;
        }
        String name = identity.getPrincipal().getName();
        String actor = name.startsWith("api-key:") ? "api_key:" + name.substring("api-key:".length()) : "oidc:" + name;
        return new Caller(tenant.toString(), actor.length() <= 200 ? actor : actor.substring(0, 200));
    }

    /** The route as declared: the class's {@code @Path} and the method's. */
    private static String template(ResourceInfo resource) {
        Path type = resource.getResourceClass().getAnnotation(Path.class);
        Path method = resource.getResourceMethod().getAnnotation(Path.class);
        String route = (type == null ? "" : type.value()) + (method == null ? "" : slash(method.value()));
        return route.isEmpty() ? "/" : route;
    }

    private static String slash(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }
}
