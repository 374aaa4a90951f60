package dev.keyline.sdk;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.keyline.bench.Bench;
import dev.keyline.bench.ServiceProcess;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.sdk.api.AccountsApi;
import dev.keyline.sdk.api.TenantsApi;
import dev.keyline.sdk.model.CreateTenantRequest;
import dev.keyline.sdk.model.LinkAccountRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The packaged service, started once for every suite of the run (both SDKs' suites share it): standalone mode as
 * {@code ./keyline start} runs it (bench's {@link ServiceProcess}), a mongo-java-server for the synced store, a SCIM
 * double with more users than one page, one tenant with an API key, and one account linked to the double.
 */
final class KeylineService implements ParameterResolver {
    /** Users per page the suites ask for: the double has several pages of users. */
    static final int PAGE_SIZE = 40;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Environment.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Environment.class, type -> Environment.start(), Environment.class);
    }

    /** What the suites need: where the service is, the tenant's key, the linked account and the double's facts. */
    static final class Environment implements AutoCloseable {
        final String baseUrl;
        final String apiKey;
        final String accountId;
        final ScimUpstream upstream;
        private final MongoServer mongo;
        private final ServiceProcess service;
        private final Path work;

        private Environment(
                String baseUrl,
                String apiKey,
                String accountId,
                ScimUpstream upstream,
                MongoServer mongo,
                ServiceProcess service,
                Path work) {
            this.baseUrl = baseUrl;
            this.apiKey = apiKey;
            this.accountId = accountId;
            this.upstream = upstream;
            this.mongo = mongo;
            this.service = service;
            this.work = work;
        }

        static Environment start() {
            Path jar = Path.of(System.getProperty(
                    "keyline.service.jar", "../platform-service/target/quarkus-app/quarkus-run.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no packaged service at " + jar.toAbsolutePath()
                        + "; build platform-service first (the reactor does)");
            }
            Path work;
            try {
                work = Files.createTempDirectory("keyline-sdk-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            MongoServer mongo = new MongoServer(new MemoryBackend());
            mongo.bind("127.0.0.1", 0);
            // 130 users at 40 a page: four pages; a fifth of them suspended, so the status filter has answers.
            ScimUpstream upstream = ScimUpstream.builder()
                    .users(130)
                    .groups(6)
                    .membershipsPerUser(2)
                    .suspendedFraction(0.2)
                    .seed(17)
                    .token("sdk-" + randomKey())
                    .start();
            String operatorKey = randomKey();
            Path log = work.resolve("service.log");
            ServiceProcess service = ServiceProcess.launch(
                    new ServiceProcess.Options(
                            jar,
                            work.resolve("data"),
                            "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(),
                            Bench.sha256(operatorKey),
                            "256m",
                            // Deliveries are looked for often, so a suite's test delivery arrives at once.
                            List.of("-Dkeyline.webhooks.poll-interval=100ms")),
                    log);
            try {
                Duration ready = service.awaitReady(Duration.ofMinutes(4));
                System.out.println("[sdk] Keyline ready at " + service.baseUrl() + " in " + ready.toMillis()
                        + " ms; its log: " + log);
                var operator = Keyline.client(service.baseUrl(), operatorKey);
                var tenant = Keyline.call(() -> new TenantsApi(operator)
                        .createTenant(new CreateTenantRequest().name("SDK access review"), null));
                String apiKey = tenant.getApiKey().getKey();
                var client = Keyline.client(service.baseUrl(), apiKey);
                var account = Keyline.call(() -> new AccountsApi(client)
                        .linkAccount(
                                new LinkAccountRequest()
                                        .originOwnerId("acme")
                                        .originOwnerName("Acme")
                                        .provider("onepassword")
                                        .credentials(Map.of(
                                                "scim_url",
                                                upstream.bridgeBaseUrl(),
                                                "bearer_token",
                                                upstream.token())),
                                // Set-up retried after a time-out must not link twice.
                                UUID.randomUUID().toString()));
                return new Environment(service.baseUrl(), apiKey, account.getId(), upstream, mongo, service, work);
            } catch (RuntimeException e) {
                System.out.println("[sdk] the service's log ends with:\n" + tail(log));
                service.close();
                upstream.close();
                mongo.shutdownNow();
                throw e;
            }
        }

        int userCount() {
            return upstream.directory().userCount();
        }

        List<ScimUser> suspendedUsers() {
            return upstream.directory().users().stream()
                    .filter(u -> !u.active())
                    .toList();
        }

        /** Memberships across all groups of the double: what "groups with members" must add up to. */
        int membershipCount() {
            return upstream.directory().groups().stream()
                    .mapToInt(g -> upstream.directory().memberIds(g.id()).size())
                    .sum();
        }

        @Override
        public void close() {
            service.close();
            upstream.close();
            mongo.shutdownNow();
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temporary directory left behind is harmless.
            }
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }

    static String randomKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
