package dev.keyline.platform.connectui;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.connectui.EmbedPolicy.EmbedContext;
import dev.keyline.platform.session.ConnectBase;
import dev.keyline.platform.session.ConnectSessionResource;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * CORS for the endpoints authenticated by a connect-session token ({@code GET /connect/session}, {@code POST
 * /connect/session/link}, {@code POST /connect/session/oauth}). The connect page calls them from Keyline's own origin; a tenant's page may call
 * them from one of that tenant's allowed origins; any other origin is refused before the request does
 * anything, so a token cannot be spent from a page the tenant did not allow.
 *
 * <p>A preflight carries no token, so it can only be answered for origins that some tenant allows; the
 * request that follows is then held to its own session's tenant.
 */
@ApplicationScoped
public class ConnectUiCors {
    /** Sent by the connect page: the session its URL names, which must be the token's session. */
    static final String SESSION_HEADER = "Keyline-Connect-Session";

    private static final String ALLOWED_ORIGIN = ConnectUiCors.class.getName() + ".origin";
    private static final Set<String> PREFLIGHT_PATHS = Set.of(
            "/connect/session",
            "/connect/session/link",
            "/connect/session/oauth",
            ApiVersion.PREFIX + "/connect/session",
            ApiVersion.PREFIX + "/connect/session/link",
            ApiVersion.PREFIX + "/connect/session/oauth");

    @Inject
    EmbedPolicy policy;

    @Inject
    ConnectBase connectBase;

    void registerPreflight(@Observes Filters filters) {
        filters.register(this::preflight, 10);
    }

    private void preflight(RoutingContext ctx) {
        var request = ctx.request();
        if (request.method() != HttpMethod.OPTIONS
                || request.getHeader("Access-Control-Request-Method") == null
                || !PREFLIGHT_PATHS.contains(ctx.normalizedPath().replaceAll("/+$", ""))) {
            ctx.next();
            return;
        }
        String origin = request.getHeader("Origin");
        ctx.vertx().executeBlocking(() -> policy.anyTenantAllows(origin)).onComplete(allowed -> {
            var response = ctx.response().putHeader("Vary", "Origin");
            if (allowed.succeeded() && allowed.result()) {
                response.setStatusCode(204)
                        .putHeader("Access-Control-Allow-Origin", origin)
                        .putHeader("Access-Control-Allow-Methods", "GET, POST")
                        .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
                        .putHeader("Access-Control-Max-Age", "600")
                        .end();
            } else {
                response.setStatusCode(403).end();
            }
        });
    }

    @ServerRequestFilter
    public Optional<jakarta.ws.rs.core.Response> checkOrigin(ContainerRequestContext request, ResourceInfo resource) {
        if (!tokenAuthenticated(resource)) {
            return Optional.empty();
        }
        String origin = request.getHeaderString("Origin");
        String pageSession = request.getHeaderString(SESSION_HEADER);
        boolean foreign = origin != null && !sameOrigin(origin, request);
        if (!foreign && pageSession == null) {
            return Optional.empty();
        }
        String token = Tokens.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Optional<EmbedContext> context = policy.forToken(token);
        if (context.isEmpty()) {
            // An unknown token: the session API answers that, without CORS headers for a foreign page.
            return Optional.empty();
        }
        if (pageSession != null && !pageSession.equals(context.get().sessionId())) {
            // The page set its framing policy for the session in its URL; it must not act for another one.
            throw KeylineException.of(
                    Kind.FORBIDDEN,
                    FailureCode.SESSION_MISMATCH,
                    "Session mismatch",
                    "This token belongs to a different connect session than this page.");
        }
        if (foreign) {
            if (!context.get().allows(origin)) {
                throw KeylineException.of(
                        Kind.FORBIDDEN,
                        FailureCode.ORIGIN_NOT_ALLOWED,
                        "Origin not allowed",
                        "This page's origin is not among the origins allowed to use the connect UI.");
            }
            request.setProperty(ALLOWED_ORIGIN, origin);
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    public void allowOrigin(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(ALLOWED_ORIGIN) instanceof String origin) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
            response.getHeaders().add("Vary", "Origin");
        }
    }

    private static boolean tokenAuthenticated(ResourceInfo resource) {
        return resource.getResourceClass() == ConnectSessionResource.class
                && resource.getResourceMethod() != null
                && resource.getResourceMethod().isAnnotationPresent(PermitAll.class);
    }

    /** Keyline's own pages: the host the request was sent to, or the configured connect URL's origin. */
    private boolean sameOrigin(String origin, ContainerRequestContext request) {
        if (origin.equals(Origins.originOf(connectBase.url()))) {
            return true;
        }
        String host = request.getHeaderString(HttpHeaders.HOST);
        try {
            String authority = URI.create(origin).getRawAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
