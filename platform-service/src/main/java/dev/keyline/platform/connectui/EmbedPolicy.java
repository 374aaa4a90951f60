package dev.keyline.platform.connectui;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.session.ConnectSession;
import dev.keyline.platform.session.ConnectSessionRepository;
import dev.keyline.platform.tenant.TenantRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may embed the connect UI of a session: its tenant's allowed origins. The page looks this up by the
 * session's id (in its URL, not a secret) because it must send its framing policy before any token reaches it.
 */
@ApplicationScoped
public class EmbedPolicy {
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    @Inject
    ConnectSessionRepository sessions;

    @Inject
    TenantRepository tenants;

    @Inject
    EntityManager entityManager;

    /** A session as the connect UI's guards see it; whether it is still usable is the session API's call. */
    public record EmbedContext(String sessionId, String tenantName, List<String> allowedOrigins) {
        public EmbedContext {
            requireNonNull(sessionId, "sessionId is null");
            requireNonNull(tenantName, "tenantName is null");
            allowedOrigins = Origins.usable(allowedOrigins);
        }

        public boolean allows(String origin) {
            return allowedOrigins.contains(origin);
        }
    }

    public Optional<EmbedContext> forSessionId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew()
                .call(() -> sessions.findByIdOptional(sessionId).flatMap(this::context));
    }

    /** The session a connect token belongs to, expired and used ones included (their errors must be readable). */
    public Optional<EmbedContext> forToken(String token) {
        if (token == null || !token.startsWith(Tokens.SESSION_TOKEN_PREFIX)) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew()
                .call(() -> sessions.findByTokenHash(Tokens.sha256(token)).flatMap(this::context));
    }

    /** Whether some tenant embeds the UI at this origin; a CORS preflight carries no token to say which. */
    public boolean anyTenantAllows(String origin) {
        if (!Origins.isOrigin(origin)) {
            return false;
        }
        Number count = QuarkusTransaction.requiringNew().call(() -> (Number) entityManager
                .createNativeQuery("select count(*) from tenants where allowed_origins @> cast(?1 as jsonb)")
                .setParameter(1, Origins.jsonArray(List.of(origin)))
                .getSingleResult());
        return count.longValue() > 0;
    }

    private Optional<EmbedContext> context(ConnectSession session) {
        return tenants.findByIdOptional(session.tenantId)
                .map(t -> new EmbedContext(session.id, t.name, List.copyOf(t.allowedOrigins)));
    }
}
