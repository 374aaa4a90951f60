package dev.keyline.platform.tenant;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Web origins spelled exactly as a browser serializes them in its {@code Origin} header (RFC 6454): lower-case
 * scheme and host, the port only when it is not the scheme's default, nothing else. Origins are compared as
 * strings by the framing and CORS checks, so {@code https://app.example.com:443} would never match.
 */
public final class WebOrigins {
    private WebOrigins() {}

    /** Why a value is not an origin, in words a tenant can act on. */
    public static final class NotAnOrigin extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotAnOrigin(String reason) {
            super(reason);
        }
    }

    /**
     * The browser's spelling of {@code origin}; a trailing slash is tolerated. Throws {@link NotAnOrigin} for
     * anything a browser would never send as an origin: another scheme, a path, a query, a fragment, user info,
     * a port out of range.
     */
    public static String normalize(String origin) {
        if (origin == null || origin.isBlank()) {
            throw new NotAnOrigin("An allowed origin is empty.");
        }
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (URISyntaxException e) {
            throw new NotAnOrigin("An allowed origin is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new NotAnOrigin("An allowed origin starts with https:// (or http://).");
        }
        if (uri.getRawUserInfo() != null) {
            throw new NotAnOrigin("An allowed origin has no user name or password (nothing before @).");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())) {
            throw new NotAnOrigin("An allowed origin has no path (nothing after the host and port but /).");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new NotAnOrigin("An allowed origin has no query (?…) or fragment (#…).");
        }
        if (uri.getHost() == null) {
            throw new NotAnOrigin("An allowed origin names a host, such as https://app.example.com.");
        }
        if (uri.getPort() > 65535) {
            throw new NotAnOrigin("An allowed origin's port is at most 65535.");
        }
        return of(scheme, uri.getHost(), uri.getPort());
    }

    /** The origin of an absolute http(s) URL (its path and query dropped), or empty when it has none. */
    public static Optional<String> ofUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(of(scheme, uri.getHost(), uri.getPort()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String of(String scheme, String host, int port) {
        boolean defaultPort =
                port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
