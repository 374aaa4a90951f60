package dev.keyline.connector.okta;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The org's host name from whatever people paste: {@code acme.okta.com}, the Admin Console's
 * {@code https://acme-admin.okta.com/admin/dashboard} (cut to {@code acme.okta.com}), an end-user dashboard URL, a
 * preview or EMEA org ({@code .oktapreview.com}, {@code .okta-emea.com}) or a custom domain. Okta is reached over
 * https only, on its own host names; an address, a port, an http:// URL or a path that is not Okta's is refused with
 * the field to fix.
 */
final class OktaDomain {
    static final String EXAMPLE = "acme.okta.com";
    /** Okta's own cells: an org there has a {@code -admin} twin for its Admin Console. */
    private static final List<String> OKTA_SUFFIXES =
            List.of(".okta.com", ".oktapreview.com", ".okta-emea.com", ".okta-gov.com", ".okta.mil");
    /** Paths of Okta's own pages and APIs that a pasted URL may carry. */
    private static final Pattern OKTA_PATH =
            Pattern.compile("(/|/(admin|app|api|oauth2|enduser|login|signin|user|home|\\.well-known)(/.*)?)?");

    private static final Pattern HOST =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
    private static final Pattern ADDRESS = Pattern.compile("[0-9.]+|\\[?[0-9a-f:]+]?");

    private OktaDomain() {}

    /** The canonical host, lower case, without scheme, port, path or {@code -admin}. */
    static String normalize(String pasted) {
        String text = pasted.strip();
        if (text.regionMatches(true, 0, "http://", 0, 7)) {
            throw invalid(
                    "okta.domain_http",
                    "Okta orgs are reached over https only: enter the org's host name, for example " + EXAMPLE + ".");
        }
        if (!text.regionMatches(true, 0, "https://", 0, 8)) {
            text = "https://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalidHost();
        }
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null) {
            throw invalidHost();
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (ADDRESS.matcher(host).matches()) {
            throw invalid(
                    "okta.domain_ip",
                    "Enter the Okta org's host name, not an IP address, for example " + EXAMPLE + ".");
        }
        if (uri.getPort() != -1 && uri.getPort() != 443) {
            throw invalidHost();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!OKTA_PATH.matcher(path).matches()) {
            throw invalid(
                    "okta.domain_path",
                    "Keyline does not recognise the path " + path + " as Okta's: enter only the org's host name, for "
                            + "example " + EXAMPLE + ".");
        }
        if (!HOST.matcher(host).matches()) {
            throw invalidHost();
        }
        return adminToOrg(host);
    }

    /** {@code acme-admin.okta.com} is the Admin Console of {@code acme.okta.com}; the API lives on the latter. */
    private static String adminToOrg(String host) {
        for (String suffix : OKTA_SUFFIXES) {
            if (host.endsWith(suffix)) {
                String sub = host.substring(0, host.length() - suffix.length());
                if (sub.endsWith("-admin") && sub.indexOf('.') < 0) {
                    return sub.substring(0, sub.length() - "-admin".length()) + suffix;
                }
            }
        }
        return host;
    }

    private static ConnectorException invalidHost() {
        return invalid(
                "okta.domain_invalid",
                "Enter the Okta org's host name, for example " + EXAMPLE + " (or your custom domain).");
    }

    private static ConnectorException invalid(String code, String message) {
        return ConnectorException.builder(ErrorCode.INVALID_CONFIG, message)
                .messageCode(code)
                .field(OktaConnectorFactory.OKTA_DOMAIN)
                .param("example", EXAMPLE)
                .build();
    }
}
