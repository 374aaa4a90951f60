package dev.keyline.connector.scim;

import java.net.URI;
import java.util.Locale;

/**
 * The parts of cleaning up a SCIM base URL a person pasted that every SCIM-based connector does the same way.
 * Validation and its messages stay with each connector, which knows what to tell its users.
 */
public final class ScimUrls {

    private ScimUrls() {}

    /** The URI's host in lower case, without trailing dots; the URI must have a host. */
    public static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    /**
     * The URI's raw path with repeated slashes collapsed, without trailing slashes and without a trailing
     * {@code /Users} or {@code /Groups}: people paste the address of a listing they saw in logs or documentation.
     */
    public static String basePath(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/{2,}", "/");
        path = stripTrailingSlashes(path);
        return stripTrailingSlashes(path.replaceFirst("(?i)/(Users|Groups)$", ""));
    }

    /**
     * {@code scheme://host[:port]path}, leaving out the scheme's default port and bracketing an IPv6 host.
     *
     * @param scheme {@code http} or {@code https}, in lower case
     * @param port the port, or -1 for none
     */
    public static URI base(String scheme, String host, int port, String path) {
        boolean defaultPort =
                port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        String hostPart = host.contains(":") ? "[" + host.replaceAll("^\\[|]$", "") + "]" : host;
        return URI.create(scheme + "://" + hostPart + (defaultPort ? "" : ":" + port) + path);
    }

    private static String stripTrailingSlashes(String path) {
        String result = path;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
