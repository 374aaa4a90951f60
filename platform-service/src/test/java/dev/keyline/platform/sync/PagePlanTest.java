package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.sync.SyncPass.Incoming;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** How one listed page is judged against the store and the run's previous page, before anything is written. */
class PagePlanTest {
    private static final RecordWrites WRITES = new RecordWrites("tenant", "account", "run");
    private static final Date NOW = new Date(1_769_850_000_000L);

    @Test
    void eachRecordIsJudgedAgainstItsStoredCopy() {
        List<Incoming> page = List.of(
                incoming("new", "alice", "h1"),
                incoming("same", "bob", "h2"),
                incoming("changed", "carol-renamed", "h3-new"),
                incoming("back", "dave", "h4"));
        Map<String, Document> existing = Map.of(
                "same", stored("same", "bob", "h2", false),
                "changed", stored("changed", "carol", "h3", false),
                "back", stored("back", "dave", "h4", true));

        PagePlan plan = PagePlan.of(SyncPass.USER, page, existing, Map.of(), WRITES, NOW);

        assertThat(plan.changes())
                .containsExactly(
                        new SyncChangeLog.Entry(SyncPass.USER, "created", "new", List.of()),
                        new SyncChangeLog.Entry(SyncPass.USER, "updated", "changed", List.of("username")),
                        new SyncChangeLog.Entry(SyncPass.USER, "reappeared", "back", List.of()));
        assertThat(List.of(plan.added(), plan.updated(), plan.reappeared(), plan.repeats()))
                .containsExactly(1, 1, 1, 0);
    }

    @Test
    void aRecordListedAgainCountsOnceAndIsLoggedOnlyWhenItChangedInBetween() {
        Map<String, Incoming> previous =
                Map.of("kept", incoming("kept", "erin", "h5"), "moved", incoming("moved", "frank", "h6"));
        List<Incoming> page = List.of(incoming("kept", "erin", "h5"), incoming("moved", "frank-2", "h6-new"));

        PagePlan plan = PagePlan.of(SyncPass.USER, page, Map.of(), previous, WRITES, NOW);

        assertThat(plan.changes())
                .containsExactly(new SyncChangeLog.Entry(SyncPass.USER, "updated", "moved", List.of("username")));
        assertThat(List.of(plan.added(), plan.updated(), plan.reappeared(), plan.repeats()))
                .containsExactly(0, 1, 0, 2);
    }

    private static Incoming incoming(String remoteId, String username, String hash) {
        return new Incoming(remoteId, new Document("username", username), hash, null, new Document());
    }

    private static Document stored(String remoteId, String username, String hash, boolean deleted) {
        return new Document("remote_id", remoteId)
                .append("record", new Document("username", username))
                .append("hash", hash)
                .append("remote_was_deleted", deleted);
    }
}
