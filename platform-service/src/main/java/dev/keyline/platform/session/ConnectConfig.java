package dev.keyline.platform.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "keyline.connect")
public interface ConnectConfig {

    /**
     * Where the connect UI is served; each session's {@code connect_url} is {@code <url>/ui/<session id>}. The
     * token is given to the page separately, never in the URL. When unset, Keyline's own listening address (see
     * {@link ConnectBase}); set it when browsers reach Keyline under another name (a proxy, TLS, a public host).
     */
    Optional<String> url();

    /** Session lifetime when the request does not say. */
    @WithDefault("1800s")
    Duration sessionTtl();

    @WithDefault("60s")
    Duration minSessionTtl();

    @WithDefault("86400s")
    Duration maxSessionTtl();

    /**
     * Lifetime of a reconnect link ({@code POST /v1/accounts/{id}/reconnect-link}) when the request does not say:
     * longer than a session's, as the link travels by e-mail or chat to a person who may open it days later.
     */
    @WithDefault("7d")
    Duration reconnectLinkTtl();

    /** The longest {@code expires_in} a reconnect link may ask for; the shortest is {@link #minSessionTtl()}. */
    @WithDefault("30d")
    Duration maxReconnectLinkTtl();

    /**
     * How long an expired session is kept before it is deleted: until then, someone who opens an old link is told
     * it expired rather than that it does not exist.
     */
    @WithDefault("168h")
    Duration purgeAfter();

    /** How often each replica deletes sessions past {@link #purgeAfter()}; 0 turns purging off. */
    @WithDefault("1h")
    Duration purgeInterval();
}
