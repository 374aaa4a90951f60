package dev.keyline.platform.session;

import dev.keyline.platform.authconfig.AuthConfigService;
import dev.keyline.platform.authconfig.AuthConfigStore.AuthConfig;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.connector.MessageCatalog;
import dev.keyline.platform.session.SessionDtos.CreateSessionRequest;
import dev.keyline.platform.tenant.TenantService;
import dev.keyline.platform.tenant.WebOrigins;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** The options a tenant may give a connect session or a reconnect link, checked before anything is stored. */
@ApplicationScoped
class SessionOptions {
    @Inject
    ConnectorRegistry registry;

    @Inject
    TenantService tenants;

    @Inject
    AuthConfigService authConfigs;

    @Inject
    ConnectConfig config;

    /**
     * The request's {@code providers} (or {@code provider}), each known, without repeats, in the tenant's order;
     * empty for any.
     */
    List<String> providers(CreateSessionRequest request) {
        String provider = blankToNull(request.provider());
        List<String> listed = request.providers();
        if (listed == null) {
            if (provider != null) {
                registry.requireDescriptor(provider);
                return List.of(provider);
            }
            return List.of();
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < listed.size(); i++) {
            String id = listed.get(i);
            if (id == null || registry.findDescriptor(id).isEmpty()) {
                throw KeylineException.invalid(
                                FailureCode.UNKNOWN_PROVIDER,
                                "There is no connector '" + (id == null ? "" : id) + "'; GET /v1/connectors lists"
                                        + " them.")
                        .field("providers[" + i + "]");
            }
            ids.add(id);
        }
        if (provider != null && !(ids.size() == 1 && ids.contains(provider))) {
            throw KeylineException.invalid(
                            FailureCode.CONFLICTING_PARAMETERS, "provider and providers disagree; send only providers.")
                    .field("providers");
        }
        return List.copyOf(ids);
    }

    /** The supported language a tag asks for; null when absent, else 400 {@code unsupported_locale}. */
    static String locale(String tag) {
        if (tag == null) {
            return null;
        }
        return MessageCatalog.supported(tag)
                .orElseThrow(() -> KeylineException.invalid(
                                FailureCode.UNSUPPORTED_LOCALE,
                                "locale must be one of " + String.join(", ", MessageCatalog.LOCALES)
                                        + " (a tag such as de-CH is read as its language).")
                        .field("locale"));
    }

    /**
     * A hosted page sends the person back only to the tenant's own pages: an http(s) URL on one of its allowed
     * origins, so a session cannot be made into an open redirect.
     */
    String returnUrl(String tenantId, boolean hosted, String returnUrl) {
        if (returnUrl == null) {
            return null;
        }
        if (!hosted) {
            throw KeylineException.invalid(
                            FailureCode.RETURN_URL_NOT_ALLOWED,
                            "return_url is for hosted sessions (hosted: true); an embedded page reports to its host"
                                    + " page instead.")
                    .field("return_url");
        }
        Optional<String> origin = WebOrigins.ofUrl(returnUrl);
        boolean plain = origin.isPresent() && !returnUrl.contains("#");
        if (!plain || !tenants.allowedOrigins(tenantId).contains(origin.get())) {
            throw KeylineException.invalid(
                            FailureCode.RETURN_URL_NOT_ALLOWED,
                            "return_url must be an http(s) URL without a fragment on one of the tenant's allowed"
                                    + " origins (allowed_origins, PATCH /v1/tenant).")
                    .field("return_url");
        }
        return returnUrl;
    }

    /** The picked auth config's id once it is known to be the tenant's and, when bound, for the session's provider. */
    String authConfigFor(String tenantId, String authConfigId, String provider) {
        if (authConfigId == null) {
            return null;
        }
        AuthConfig config = provider == null
                ? authConfigs.require(tenantId, authConfigId)
                : authConfigs.requireFor(tenantId, authConfigId, provider, "auth_config_id");
        return config.id();
    }

    /** A session's lifetime: {@code expires_in} within the configured bounds, else the default. */
    Duration sessionTtl(Long expiresIn) {
        return bounded(expiresIn, config.sessionTtl(), config.maxSessionTtl());
    }

    /** A reconnect link's lifetime: longer bounds than a session's, as the link travels to a person. */
    Duration reconnectTtl(Long expiresIn) {
        return bounded(expiresIn, config.reconnectLinkTtl(), config.maxReconnectLinkTtl());
    }

    private Duration bounded(Long expiresIn, Duration fallback, Duration maximum) {
        if (expiresIn == null) {
            return fallback;
        }
        long min = config.minSessionTtl().toSeconds();
        long max = maximum.toSeconds();
        if (expiresIn < min || expiresIn > max) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST,
                            "expires_in must be between " + min + " and " + max + " seconds.")
                    .field("expires_in");
        }
        return Duration.ofSeconds(expiresIn);
    }

    /** {@code popup} unless {@code redirect}; anything else is 400. */
    static String display(String display) {
        if (display == null || display.equals("popup")) {
            return "popup";
        }
        if (display.equals("redirect")) {
            return "redirect";
        }
        throw KeylineException.invalid(FailureCode.INVALID_REQUEST, "display is popup or redirect.")
                .field("display");
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
