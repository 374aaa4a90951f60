package dev.keyline.connector.entraid;

import java.util.Locale;
import java.util.Optional;

/**
 * The Microsoft clouds a tenant can live in, with the Microsoft Entra (token) host and the Microsoft Graph host of
 * each, as listed in "Microsoft Graph national cloud deployments" (learn.microsoft.com/graph/deployments). Both US
 * Government clouds sign in at {@code login.microsoftonline.us}; only their Graph hosts differ.
 */
enum EntraCloud {
    GLOBAL("global", "login.microsoftonline.com", "graph.microsoft.com"),
    US_GOV("us_gov", "login.microsoftonline.us", "graph.microsoft.us"),
    US_GOV_DOD("us_gov_dod", "login.microsoftonline.us", "dod-graph.microsoft.us"),
    CHINA("china", "login.chinacloudapi.cn", "microsoftgraph.chinacloudapi.cn");

    /** The field's pattern: one of the wire names, or blank for the global cloud. */
    static final String PATTERN = "^(global|us_gov|us_gov_dod|china)?$";

    private final String wire;
    private final String loginHost;
    private final String graphHost;

    EntraCloud(String wire, String loginHost, String graphHost) {
        this.wire = wire;
        this.loginHost = loginHost;
        this.graphHost = graphHost;
    }

    String wire() {
        return wire;
    }

    String loginHost() {
        return loginHost;
    }

    String graphHost() {
        return graphHost;
    }

    static Optional<EntraCloud> fromWire(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (EntraCloud cloud : values()) {
            if (cloud.wire.equals(wanted)) {
                return Optional.of(cloud);
            }
        }
        return Optional.empty();
    }

    /**
     * The cloud a pasted sign-in or portal host belongs to, where the host says so unambiguously: a {@code .cn} host
     * is China; a {@code .us} host is US Government, L4 unless it is DoD's own Graph host.
     */
    static Optional<EntraCloud> fromHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals(US_GOV_DOD.graphHost)) {
            return Optional.of(US_GOV_DOD);
        }
        if (h.endsWith(".cn")) {
            return Optional.of(CHINA);
        }
        if (h.endsWith(".us")) {
            return Optional.of(US_GOV);
        }
        if (h.endsWith(".com")) {
            return Optional.of(GLOBAL);
        }
        return Optional.empty();
    }
}
