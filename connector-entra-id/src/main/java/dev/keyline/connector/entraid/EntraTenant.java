package dev.keyline.connector.entraid;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tenant as people give it: a GUID, a verified domain, or a URL that names one. Sign-in URLs carry the tenant as
 * their first path segment ({@code https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token}); Azure portal URLs
 * carry it after {@code #@} ({@code https://portal.azure.com/#@contoso.onmicrosoft.com/...}); admin center links
 * often carry a {@code tenantId=} parameter.
 */
final class EntraTenant {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DOMAIN =
            Pattern.compile("(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Pattern TENANT_PARAM =
            Pattern.compile("(?i)(?:tenantId|tenant)=(" + GUID.pattern() + "|[A-Za-z0-9.-]+\\.[A-Za-z]{2,63})");
    private static final Pattern PORTAL_TENANT = Pattern.compile("#@([A-Za-z0-9.-]+)");
    /** Multi-tenant aliases: valid in sign-in URLs, but a client-credentials grant needs the tenant itself. */
    private static final Set<String> ALIASES = Set.of("common", "organizations", "consumers");

    /** The tenant, and the cloud the pasted URL's host belongs to, if it was a URL. */
    record Parsed(String tenant, Optional<EntraCloud> cloud) {}

    private EntraTenant() {}

    static Parsed parse(String text) {
        String value = text.strip();
        if (!value.contains("/") && !value.contains("#") && !value.contains("=")) {
            return new Parsed(plain(value), Optional.empty());
        }
        URI uri;
        try {
            uri = new URI(value.contains("://") ? value : "https://" + value);
        } catch (URISyntaxException e) {
            throw invalid();
        }
        if (uri.getHost() == null) {
            throw invalid();
        }
        Optional<EntraCloud> cloud = EntraCloud.fromHost(uri.getHost());
        String decoded = URLDecoder.decode(value, StandardCharsets.UTF_8);
        Matcher param = TENANT_PARAM.matcher(decoded);
        if (param.find()) {
            return new Parsed(plain(param.group(1)), cloud);
        }
        Matcher portal = PORTAL_TENANT.matcher(decoded);
        if (portal.find()) {
            return new Parsed(plain(portal.group(1)), cloud);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/+", "");
        String first = path.isEmpty() ? "" : path.split("/")[0];
        if (uri.getHost().toLowerCase(Locale.ROOT).startsWith("login.") && !first.isEmpty()) {
            return new Parsed(plain(URLDecoder.decode(first, StandardCharsets.UTF_8)), cloud);
        }
        throw invalid();
    }

    /** A GUID (lower-cased) or a verified domain (lower-cased); anything else is refused. */
    private static String plain(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (ALIASES.contains(v)) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CONFIG,
                            "'" + v + "' stands for many tenants; enter your own directory (tenant) ID from the app "
                                    + "registration's Overview page.")
                    .messageCode(EntraIdConnectorFactory.CODE + ".tenant_alias")
                    .param("alias", v)
                    .field(EntraIdConnectorFactory.TENANT_ID)
                    .build();
        }
        if (GUID.matcher(v).matches() || DOMAIN.matcher(v).matches()) {
            return v;
        }
        throw invalid();
    }

    private static ConnectorException invalid() {
        return ConnectorException.builder(
                        ErrorCode.INVALID_CONFIG,
                        "Enter the directory (tenant) ID, a GUID from the app registration's Overview page, or a "
                                + "verified domain such as " + EntraIdConnectorFactory.EXAMPLE_TENANT + ".")
                .messageCode(EntraIdConnectorFactory.CODE + ".tenant_invalid")
                .param("example", EntraIdConnectorFactory.EXAMPLE_TENANT)
                .field(EntraIdConnectorFactory.TENANT_ID)
                .build();
    }
}
