package dev.keyline.connector.genericscim;

import static dev.keyline.connector.genericscim.GenericScimConnectorFactory.SCIM_URL;

import dev.keyline.connector.scim.ScimUrls;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The SCIM base URL of a service provider in canonical form: the address below which {@code /Users} and
 * {@code /Groups} live. Unlike 1Password there is no well-known host or path to complete, so canonical means
 * only cleaned up: lower-case scheme and host, no default port, no trailing slash, no pasted {@code /Users}.
 */
final class ScimUrl {
    static final String EXAMPLE = "https://app.example.com/scim/v2";

    private ScimUrl() {}

    /**
     * Parses what a person typed, without network access.
     *
     * @throws ConnectorException {@link ErrorCode#INVALID_CONFIG} on {@code scim_url} for anything that is not
     *     an http(s) URL with a host, or that carries a user name, password, query or fragment
     */
    static URI parse(String text) {
        String input = text == null ? "" : text.strip();
        if (input.isEmpty()) {
            throw invalid("url_missing", "Enter the SCIM base URL of the application, for example " + EXAMPLE + ".");
        }
        URI uri;
        try {
            uri = new URI(input);
        } catch (URISyntaxException e) {
            throw invalid(
                    "url_malformed",
                    "The SCIM URL is not a valid web address. Paste it exactly as the application shows it, "
                            + "for example " + EXAMPLE + ".");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw invalid("url_scheme", "The SCIM URL must start with https://, for example " + EXAMPLE + ".");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(
                    "url_user_info",
                    "The SCIM URL must not contain a user name or password; enter the token in its own "
                            + "field instead.");
        }
        if (uri.getHost() == null) {
            throw invalid("url_no_host", "The SCIM URL has no valid host name, for example " + EXAMPLE + ".");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(
                    "url_query",
                    "The SCIM URL must not contain a '?' or '#' and what follows; paste only the address.");
        }
        return ScimUrls.base(scheme, ScimUrls.host(uri), uri.getPort(), ScimUrls.basePath(uri));
    }

    /** A failure on {@code scim_url} with the message code {@code genericscim.<kind>}. */
    private static ConnectorException invalid(String kind, String message) {
        return ConnectorException.builder(ErrorCode.INVALID_CONFIG, message)
                .messageCode("genericscim." + kind)
                .param("example", EXAMPLE)
                .field(SCIM_URL)
                .build();
    }
}
