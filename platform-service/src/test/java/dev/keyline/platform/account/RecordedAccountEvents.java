package dev.keyline.platform.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the account events tests assert on; each test reads only its own account's. */
@ApplicationScoped
public class RecordedAccountEvents {
    private final List<AccountStatusChanged> statusChanges = new CopyOnWriteArrayList<>();
    private final List<AccountUnlinked> unlinks = new CopyOnWriteArrayList<>();

    void onStatus(@Observes AccountStatusChanged event) {
        statusChanges.add(event);
    }

    void onUnlinked(@Observes AccountUnlinked event) {
        unlinks.add(event);
    }

    public List<AccountStatusChanged> statusChanges(String accountId) {
        return statusChanges.stream()
                .filter(e -> e.accountId().equals(accountId))
                .toList();
    }

    public List<AccountUnlinked> unlinks(String accountId) {
        return unlinks.stream().filter(e -> e.accountId().equals(accountId)).toList();
    }
}
