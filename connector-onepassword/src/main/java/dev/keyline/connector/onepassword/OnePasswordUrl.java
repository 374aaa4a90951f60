package dev.keyline.connector.onepassword;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.scim.ScimUrls;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 1Password SCIM URL in canonical form, and which of the two deployments it addresses.
 *
 * <p>Hosted provisioning lives at {@code https://provisioning.1password.com/scim/v2} (also {@code .ca} and
 * {@code .eu}), and only 1Password's own hosts are hosted provisioning. A self-hosted SCIM bridge lives at its own
 * address, where {@code /Users} and {@code /scim/Users} are aliases and {@code /ping} and {@code /health} sit at the
 * root; 1Password documents no {@code /scim/v2} on a bridge. So any other host at a path ending in {@code /scim/v2}
 * is only "a SCIM server" ({@link Deployment#SCIM_SERVER}): something speaking SCIM that Keyline cannot say is
 * 1Password's, and anything else is read as a bridge. (Tests that mean hosted provisioning route 1Password's host
 * to a loopback double through their transport.)
 *
 * @param base the SCIM base URL, without trailing slash
 */
public record OnePasswordUrl(URI base, Deployment deployment) {

    public enum Deployment {
        /** 1Password's hosted provisioning, at {@code provisioning.1password.com|ca|eu}. */
        HOSTED,
        /** A self-hosted 1Password SCIM bridge: any other host, at its root, {@code /scim} or another path. */
        BRIDGE,
        /** Another host at a {@code /scim/v2} path: neither 1Password's host nor where a bridge serves SCIM. */
        SCIM_SERVER;

        /** The lower-case name kept as a validation fact: {@code hosted}, {@code bridge} or {@code scim_server}. */
        public String factName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String HOSTED_PATH = "/scim/v2";
    static final String EXAMPLE_BRIDGE = "https://scim.example.com";
    static final String HOSTED_URL = "https://provisioning.1password.com/scim/v2";

    private static final Pattern ONEPASSWORD_HOST =
            Pattern.compile("(?:(.+)\\.)?1password\\.(com|ca|eu)", Pattern.CASE_INSENSITIVE);

    public OnePasswordUrl {
        requireNonNull(base, "base is null");
        requireNonNull(deployment, "deployment is null");
    }

    /**
     * Parses what a person typed (no network): trims, lower-cases scheme and host, drops default ports,
     * trailing slashes and a pasted {@code /Users} or {@code /Groups}, and completes a hosted provisioning
     * address to {@code /scim/v2}.
     *
     * @throws ConnectorException {@link ErrorCode#WRONG_URL} for a 1Password sign-in address,
     *     {@link ErrorCode#INVALID_CONFIG} for anything that is not an http(s) URL with a host; both on the
     *     field {@code scim_url}
     */
    public static OnePasswordUrl parse(String text) {
        String input = text == null ? "" : text.strip();
        if (input.isEmpty()) {
            throw invalid(
                    "url_missing", "Enter the SCIM URL, for example " + EXAMPLE_BRIDGE + " or " + HOSTED_URL + ".");
        }
        URI uri;
        try {
            uri = new URI(input);
        } catch (URISyntaxException e) {
            throw invalid(
                    "url_malformed",
                    "The SCIM URL is not a valid web address. Paste it exactly as 1Password shows it, " + "for example "
                            + EXAMPLE_BRIDGE + ".");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw invalid("url_scheme", "The SCIM URL must start with https://, for example " + EXAMPLE_BRIDGE + ".");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(
                    "url_user_info",
                    "The SCIM URL must not contain a user name or password; enter the token in its own "
                            + "field instead.");
        }
        if (uri.getHost() == null) {
            throw invalid(
                    "url_no_host",
                    "The SCIM URL has no valid host name. Paste it as 1Password shows it, for example " + EXAMPLE_BRIDGE
                            + ".");
        }
        if (uri.getRawQuery() != null) {
            throw invalid("url_query", "The SCIM URL must not contain a '?' and what follows; paste only the address.");
        }
        String host = ScimUrls.host(uri);

        Matcher onePassword = ONEPASSWORD_HOST.matcher(host);
        if (onePassword.matches()) {
            String subdomain = onePassword.group(1);
            String tld = onePassword.group(2).toLowerCase(Locale.ROOT);
            if (!"provisioning".equals(subdomain)) {
                throw ConnectorException.builder(
                                ErrorCode.WRONG_URL,
                                host + " is the address you sign in to 1Password with, not a SCIM address. Paste the "
                                        + "URL of your SCIM bridge (for example " + EXAMPLE_BRIDGE + ") or, if your "
                                        + "account uses 1Password's hosted provisioning, https://provisioning.1password."
                                        + tld + HOSTED_PATH + ".")
                        .messageCode("onepassword.sign_in_address")
                        .param("host", host)
                        .param("hosted_url", "https://provisioning.1password." + tld + HOSTED_PATH)
                        .field(OnePasswordConnectorFactory.SCIM_URL)
                        .build();
            }
            // Hosted provisioning has exactly one SCIM base, always over TLS.
            return new OnePasswordUrl(URI.create("https://" + host + HOSTED_PATH), Deployment.HOSTED);
        }

        String path = ScimUrls.basePath(uri);
        URI base = ScimUrls.base(scheme, host, uri.getPort(), path);
        Deployment deployment = path.endsWith(HOSTED_PATH) ? Deployment.SCIM_SERVER : Deployment.BRIDGE;
        return new OnePasswordUrl(base, deployment);
    }

    /**
     * Where a bridge's {@code /ping} and {@code /health} live: the base without a trailing {@code /scim}.
     */
    public URI bridgeRoot() {
        String text = base.toString();
        if (text.endsWith("/scim")) {
            text = text.substring(0, text.length() - "/scim".length());
        }
        return URI.create(text);
    }

    /** Whether the host is a 1Password sign-in host, such as one a redirect led to. */
    static boolean isSignInHost(String host) {
        if (host == null) {
            return false;
        }
        Matcher matcher = ONEPASSWORD_HOST.matcher(host);
        return matcher.matches() && !"provisioning".equalsIgnoreCase(matcher.group(1));
    }

    /** A failure on {@code scim_url} with the message code {@code onepassword.<kind>}. */
    private static ConnectorException invalid(String kind, String message) {
        return ConnectorException.builder(ErrorCode.INVALID_CONFIG, message)
                .messageCode("onepassword." + kind)
                .field(OnePasswordConnectorFactory.SCIM_URL)
                .build();
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
