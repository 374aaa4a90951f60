package dev.keyline.platform.session;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class ConnectSessionRepository implements PanacheRepositoryBase<ConnectSession, String> {

    public Optional<ConnectSession> findByTokenHash(String tokenHash) {
        return find("tokenHash", tokenHash).firstResultOptional();
    }

    public Optional<ConnectSession> findForTenant(String tenantId, String sessionId) {
        return find("tenantId = ?1 and id = ?2", tenantId, sessionId).firstResultOptional();
    }

    /** Marks the session used if nobody has yet and it has not expired; true when this caller won. */
    public boolean claim(String sessionId, Instant now) {
        return update("usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1", now, sessionId) == 1;
    }

    /** Gives a claimed session back, after a link attempt that failed. */
    public void release(String sessionId) {
        update("usedAt = null where id = ?1 and linkedAccountId is null", sessionId);
    }

    public void recordLinked(String sessionId, String accountId) {
        update("linkedAccountId = ?1 where id = ?2", accountId, sessionId);
    }
}
