package dev.keyline.platform.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Serves the paths clients used before the API had a version (`/accounts`, `/iam/users`, …) as aliases of
 * their `/v1` successors, so integrations written against them keep working while the answers tell them to
 * move: `Deprecation` (RFC 9745, the day versioned paths arrived) and a `successor-version` link. The aliases
 * are not in the OpenAPI document; docs/api.md says when they go (with the next major version).
 */
public class LegacyPaths {
    /** 2026-12-06T00:00:00Z, as an RFC 9651 date. */
    static final String DEPRECATED_SINCE = "@1796515200";

    private static final String SUCCESSOR = LegacyPaths.class.getName() + ".successor";

    /** Unversioned roots, each matched whole or followed by `/`; `/connect/ui` is a page, not the API. */
    private static final List<String> ROOTS = List.of(
            "/accounts",
            "/iam",
            "/webhooks",
            "/tenants",
            "/tenant",
            "/connectors",
            "/connect/sessions",
            "/connect/session");

    @ServerRequestFilter(preMatching = true)
    public void rewrite(ContainerRequestContext request) {
        // Raw, not decoded: the path is put back into a URI, and ids may hold escaped characters of any kind.
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path == null || !isLegacy(path)) {
            return;
        }
        String successor = ApiVersion.PREFIX + path;
        request.setProperty(SUCCESSOR, successor);
        request.setRequestUri(URI.create(successor + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
    }

    @ServerResponseFilter
    public void announce(ContainerRequestContext request, ContainerResponseContext response) {
        Object successor = request.getProperty(SUCCESSOR);
        if (successor != null) {
            response.getHeaders().putSingle("Deprecation", DEPRECATED_SINCE);
            response.getHeaders().add("Link", "<" + successor + ">; rel=\"successor-version\"");
        }
    }

    static boolean isLegacy(String path) {
        for (String root : ROOTS) {
            if (path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/')) {
                return true;
            }
        }
        return false;
    }
}
