package dev.keyline.platform.egress;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where an operator sends what would go to a provider's host ({@code keyline.egress.host-overrides}): a national or
 * sovereign cloud, a custom domain, a recorded or simulated upstream. A request for an overridden host goes to the
 * configured base instead, its path appended to the base's path and its query kept; the egress policy then judges
 * the new destination like any other. Connectors keep the provider's real hosts and never know.
 */
public final class HostOverrides {
    public static final HostOverrides NONE = new HostOverrides(Map.of());

    private final Map<String, URI> bases;

    private HostOverrides(Map<String, URI> bases) {
        this.bases = Map.copyOf(bases);
    }

    /**
     * From configuration: host name (any case, no port) to a base URL {@code http(s)://host[:port][/path]} without
     * query, fragment or user info.
     *
     * @throws IllegalArgumentException naming the entry that is not right
     */
    public static HostOverrides of(Map<String, String> configured) {
        requireNonNull(configured, "configured is null");
        Map<String, URI> bases = new TreeMap<>();
        configured.forEach((host, base) -> {
            String key = host.strip().toLowerCase(Locale.ROOT);
            if (!key.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
                throw new IllegalArgumentException(
                        "host-overrides: \"" + host + "\" is not a host name (no scheme, port or path)");
            }
            bases.put(key, base(host, base));
        });
        return new HostOverrides(bases);
    }

    private static URI base(String host, String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw invalidBase(host, text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http"))
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalidBase(host, text);
        }
        return uri;
    }

    private static IllegalArgumentException invalidBase(String host, String base) {
        return new IllegalArgumentException("host-overrides: the base for \"" + host + "\" must be an http(s) URL"
                + " without user, query or fragment, such as https://graph.example.us (got \"" + base + "\")");
    }

    public boolean isEmpty() {
        return bases.isEmpty();
    }

    /** The address a request for {@code uri} goes to: {@code uri} itself unless its host is overridden. */
    public URI apply(URI uri) {
        requireNonNull(uri, "uri is null");
        if (bases.isEmpty() || uri.getHost() == null) {
            return uri;
        }
        URI base = bases.get(uri.getHost().toLowerCase(Locale.ROOT));
        if (base == null) {
            return uri;
        }
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + basePath + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    /** As {@link #apply(URI)} for a URL string; text that is not a URI is left as it is for the policy to refuse. */
    public String apply(String url) {
        requireNonNull(url, "url is null");
        if (bases.isEmpty()) {
            return url;
        }
        try {
            return apply(new URI(url)).toString();
        } catch (URISyntaxException e) {
            return url;
        }
    }

    @Override
    public String toString() {
        return "HostOverrides" + bases.keySet();
    }
}
