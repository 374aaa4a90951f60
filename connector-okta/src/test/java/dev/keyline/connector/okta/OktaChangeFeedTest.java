package dev.keyline.connector.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import dev.keyline.connector.tck.okta.OktaDouble;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Incremental sync by Okta's {@code lastUpdated} filter. */
class OktaChangeFeedTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final OktaDouble okta = OktaDouble.builder().clock(clock).start();

    @AfterEach
    void stop() {
        okta.close();
    }

    private UserChangeFeed feed() {
        ConnectorConfig config = new ConnectorConfig(
                Map.of(
                        OktaConnectorFactory.OKTA_DOMAIN,
                        OktaFixture.DOMAIN,
                        OktaConnectorFactory.API_TOKEN,
                        okta.apiToken()),
                Set.of(OktaConnectorFactory.API_TOKEN));
        return OktaFixture.create(okta, config, clock).require(Capability.USER_CHANGES, UserChangeFeed.class);
    }

    private List<UserChanges> all(UserChangeFeed feed, String watermark, int pageSize) {
        List<UserChanges> pages = new ArrayList<>();
        String cursor = null;
        do {
            UserChanges page = feed.userChanges(watermark, cursor, pageSize, false);
            pages.add(page);
            cursor = page.nextCursor();
        } while (cursor != null);
        return pages;
    }

    @Test
    void changesSinceTheWatermarkIncludeDeactivationsButNotDeletions() {
        String ada = okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "L", "ACTIVE");
        String bob = okta.addUser("bob@acme.example", "bob@acme.example", "Bob", "B", "ACTIVE");
        String eve = okta.addUser("eve@acme.example", "eve@acme.example", "Eve", "E", "ACTIVE");
        String quiet = okta.addUser("quiet@acme.example", "quiet@acme.example", "Q", "Q", "ACTIVE");
        now.set(now.get().plus(Duration.ofHours(1)));
        UserChangeFeed feed = feed();
        String watermark = feed.currentWatermark();
        assertThat(Instant.parse(watermark)).isEqualTo(now.get().minus(Duration.ofMinutes(1)));

        now.set(now.get().plus(Duration.ofMinutes(5)));
        okta.setProfile(ada, "title", "Countess");
        okta.setStatus(bob, "DEPROVISIONED");
        okta.setStatus(eve, "DEPROVISIONED");
        okta.deleteUser(eve);
        now.set(now.get().plus(Duration.ofMinutes(5)));

        List<UserChanges> pages = all(feed, watermark, 1);
        List<User> changed = pages.stream().flatMap(p -> p.changed().stream()).toList();
        assertThat(changed).extracting(User::remoteId).containsExactlyInAnyOrder(ada, bob);
        assertThat(changed).extracting(User::remoteId).doesNotContain(quiet, eve);
        User deactivated = changed.stream()
                .filter(u -> u.remoteId().equals(bob))
                .findFirst()
                .orElseThrow();
        assertThat(deactivated.status().value()).isEqualTo(StatusValue.DISABLED);
        assertThat(deactivated.status().sourceValue()).isEqualTo("DEPROVISIONED");
        assertThat(pages).allSatisfy(p -> assertThat(p.removed()).isEmpty());
        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).watermark()).isNull();
        // The next watermark was taken when this run started, less the skew allowance.
        assertThat(Instant.parse(pages.get(1).watermark())).isEqualTo(now.get().minus(Duration.ofMinutes(1)));
        assertThat(okta.requests().stream().filter(r -> r.path().equals("/api/v1/users")))
                .allSatisfy(r ->
                        assertThat(r.queryParameter("filter").orElseThrow()).startsWith("lastUpdated gt \""));
    }

    @Test
    void nothingChangedIsOneEmptyLastPage() {
        okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "L", "ACTIVE");
        now.set(now.get().plus(Duration.ofHours(1)));
        UserChangeFeed feed = feed();
        UserChanges changes = feed.userChanges(feed.currentWatermark(), null, 50, false);
        assertThat(changes.changed()).isEmpty();
        assertThat(changes.last()).isTrue();
    }

    @Test
    void aWatermarkThatIsNotATimeAsksForAFullWalk() {
        ConnectorException e =
                catchThrowableOfType(ConnectorException.class, () -> feed().userChanges("not-a-time", null, 50, false));
        assertThat(e.messageCode()).isEqualTo(UserChangeFeed.WATERMARK_EXPIRED);
    }
}
