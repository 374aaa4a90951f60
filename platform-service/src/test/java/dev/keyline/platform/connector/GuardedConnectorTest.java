package dev.keyline.platform.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.PositionalPaging;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A plugin's factory and connectors behind the guard: same capabilities, every call on the connector's threads. */
class GuardedConnectorTest {
    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder("hr")
            .displayName("HR")
            .description("An HR API for tests.")
            .build();

    private final PluginCalls calls = new PluginCalls(Duration.ofSeconds(5), Duration.ofSeconds(5), 4);
    private final List<String> threads = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        calls.stop();
    }

    @Test
    void theGuardedConnectorHasExactlyTheCapabilitiesOfThePlugins() {
        Connector guarded = factory(new UsersOnly()).create(config(), null);

        assertThat(guarded.capability(UserDirectory.class)).get().isSameAs(guarded);
        assertThat(guarded.capability(GroupDirectory.class)).isEmpty();
        assertThat(guarded.capability(CredentialValidator.class)).isEmpty();
        assertThat(guarded.capability(HealthProbe.class)).isEmpty();
        assertThat(guarded.capability(PositionalPaging.class)).isEmpty();
        assertThat(guarded.require(Capability.USERS, UserDirectory.class)).isSameAs(guarded);
        assertThatThrownBy(() -> guarded.require(Capability.GROUPS, GroupDirectory.class))
                .isInstanceOf(ConnectorException.class)
                .matches(e -> ((ConnectorException) e).code() == ErrorCode.UNSUPPORTED);
    }

    @Test
    void callsRunOnTheConnectorsThreadsAndReachTheCapabilityObjectThePluginAnswered() {
        Connector guarded = factory(new UsersOnly()).create(config(), null);

        Page<User> page = guarded.require(Capability.USERS, UserDirectory.class)
                .listUsers(UserQuery.builder().build());

        assertThat(page.items()).isEmpty();
        // Which of the connector's threads runs a call is the pool's choice; that it is one of them is the point.
        assertThat(threads).hasSize(2);
        assertThat(threads.get(0)).matches("connector-hr-\\d+:create");
        assertThat(threads.get(1)).matches("connector-hr-\\d+:listUsers");
    }

    @Test
    void normalizeAndCreateRunGuardedAndTheDescriptorIsTheLoadedOne() {
        ConnectorFactory broken = new ConnectorFactory() {
            @Override
            public ConnectorDescriptor descriptor() {
                throw new AssertionError("the descriptor is read at load, not again");
            }

            @Override
            public ConnectorConfig normalize(ConnectorConfig config) {
                throw new NoClassDefFoundError("com/example/hr/HrClient");
            }

            @Override
            public Connector create(ConnectorConfig config, ConnectorContext context) {
                throw new AbstractMethodError("create");
            }
        };
        GuardedFactory guarded = new GuardedFactory(broken, DESCRIPTOR, calls);

        assertThat(guarded.descriptor()).isSameAs(DESCRIPTOR);
        assertThat(guarded.id()).isEqualTo("hr");
        for (Runnable call :
                List.<Runnable>of(() -> guarded.normalize(config()), () -> guarded.create(config(), null))) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(KeylineException.class)
                    .matches(e -> ((KeylineException) e).is(FailureCode.CONNECTOR_ERROR))
                    .matches(e ->
                            "hr".equals(((KeylineException) e).originOrNull().connector()));
        }
    }

    @Test
    void closingDoesNotWaitForAPluginWhoseCloseHangsAndClosesOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        int[] closes = {0};
        Connector hanging = new Connector() {
            @Override
            public void close() {
                closes[0]++;
                closing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Connector guarded = factory(hanging).create(config(), null);

        guarded.close();
        guarded.close();

        assertThat(closing.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        assertThat(closes[0]).isEqualTo(1);
    }

    private GuardedFactory factory(Connector connector) {
        ConnectorFactory plugin = new ConnectorFactory() {
            @Override
            public ConnectorDescriptor descriptor() {
                return DESCRIPTOR;
            }

            @Override
            public Connector create(ConnectorConfig config, ConnectorContext context) {
                threads.add(Thread.currentThread().getName() + ":create");
                return connector;
            }
        };
        return new GuardedFactory(plugin, DESCRIPTOR, calls);
    }

    private static ConnectorConfig config() {
        return new ConnectorConfig(Map.of("url", "https://hr.example.com"), java.util.Set.of());
    }

    /** A connector that answers its user directory with another object than itself. */
    private final class UsersOnly implements Connector {
        @Override
        public <T> Optional<T> capability(Class<T> type) {
            if (type != UserDirectory.class) {
                return Optional.empty();
            }
            UserDirectory users = new UserDirectory() {
                @Override
                public Page<User> listUsers(UserQuery query) {
                    threads.add(Thread.currentThread().getName() + ":listUsers");
                    return new Page<>(List.of(), Optional.empty());
                }

                @Override
                public Optional<User> getUser(String remoteId, boolean includeRaw) {
                    return Optional.empty();
                }
            };
            return Optional.of(type.cast(users));
        }

        @Override
        public void close() {}
    }
}
