package dev.keyline.platform.session;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class OAuthFlowRepository implements PanacheRepositoryBase<OAuthFlow, String> {

    /**
     * Marks the flow with this state hash used, if nobody has yet and it has not expired, and returns it; empty when
     * another callback won or there is no such live flow. One statement, so two callbacks cannot both win.
     */
    public Optional<OAuthFlow> claim(String stateHash, Instant now) {
        int claimed = update("usedAt = ?1 where stateHash = ?2 and usedAt is null and expiresAt > ?1", now, stateHash);
        return claimed == 1 ? find("stateHash", stateHash).firstResultOptional() : Optional.empty();
    }

    /** Drops the session's flows nobody has answered yet: a new start supersedes them. */
    public void supersede(String sessionId) {
        delete("sessionId = ?1 and usedAt is null", sessionId);
    }
}
