package dev.keyline.platform.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.egress.EgressTestSupport.ScriptedResolver;
import dev.keyline.platform.egress.EgressTestSupport.SpyExchange;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the hostile-URL corpus through the real transport (Vert.x underneath) and proves that nothing left:
 * a spy on the exchange sees no hop, a listening socket that several entries point at accepts no
 * connection, and the resolver is asked only about names, once each.
 */
class EgressCorpusTest {

    record Entry(String kind, String text, String why) {
        @Override
        public String toString() {
            return kind + " " + text.replaceAll("\\p{Cntrl}", "?") + " (" + why + ")";
        }
    }

    private static Vertx vertx;
    private static TrapSocket trap;

    @BeforeAll
    static void start() throws IOException {
        vertx = Vertx.vertx();
        trap = new TrapSocket("egress-trap");
    }

    @AfterAll
    static void stop() throws IOException {
        trap.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static ScriptedResolver resolver() {
        return new ScriptedResolver()
                .answer("private.example.com", "10.0.0.5")
                .answer("metadata.example.com", "169.254.169.254")
                .answer("mixed.example.com", "93.184.216.34", "10.0.0.1")
                .answer("127.0.0.1.nip.example.com", "127.0.0.1")
                .answer("loopback6.example.com", "::1")
                .answer("ula.example.com", "fd12::1")
                .answer("mapped.example.com", "::ffff:127.0.0.1")
                .answer("nat64.example.com", "64:ff9b::a00:1")
                .answer("sixtofour.example.com", "2002:c0a8:101::1")
                .answer("cgnat.example.com", "100.100.100.100")
                .answer("zero.example.com", "0.0.0.0");
    }

    @Test
    void everyHostileUrlIsDeniedBeforeAnyConnectionAttempt() throws IOException {
        List<Entry> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);
        ScriptedResolver resolver = resolver();
        EgressPolicy policy = new EgressPolicy(EgressPolicy.Rules.DEFAULT.withAllowHttp(true));
        var real = new VertxExchange(vertx, EgressTransport.Limits.DEFAULT, Optional.empty());
        SpyExchange spy = SpyExchange.wrapping(real);
        List<String> leaks = new ArrayList<>();
        int held = 0;
        try (var transport = new EgressTransport(policy, resolver, spy, EgressTransport.Limits.DEFAULT)) {
            for (Entry entry : corpus) {
                int lookupsBefore = resolver.lookups();
                int hopsBefore = spy.hops().size();
                ConnectorException refusal = refusal(transport, policy, entry);
                int lookups = resolver.lookups() - lookupsBefore;
                int expectedLookups = entry.kind().equals("resolved") ? 1 : 0;
                if (refusal == null || refusal.code() != ErrorCode.EGRESS_DENIED) {
                    leaks.add(entry + " -> " + (refusal == null ? "not refused" : refusal));
                } else if (spy.hops().size() != hopsBefore) {
                    leaks.add(entry + " -> reached the exchange");
                } else if (lookups != expectedLookups) {
                    leaks.add(entry + " -> " + lookups + " lookups, expected " + expectedLookups);
                } else if (!mentionsNoSecret(refusal, entry)) {
                    leaks.add(entry + " -> message leaks: " + refusal.getMessage());
                } else {
                    held++;
                }
            }
        } finally {
            System.out.println("egress corpus: " + corpus.size() + " tried, " + held + " held");
        }
        assertThat(leaks).isEmpty();
        assertThat(trap.connections()).isZero();
        assertThat(held).isEqualTo(corpus.size());
    }

    @Test
    void oddSpellingsAreDeniedEvenWhenEveryAddressIsAllowed() throws IOException {
        EgressPolicy allowAll =
                new EgressPolicy(EgressPolicy.Rules.DEFAULT.withAllowHttp(true).withAllowCidrs("0.0.0.0/0", "::/0"));
        for (Entry entry : corpus()) {
            if (entry.kind().equals("spelling") || entry.kind().equals("name")) {
                ConnectorException refusal =
                        catchThrowableOfType(() -> allowAll.destination(text(entry)), ConnectorException.class);
                assertThat(refusal).as(entry.toString()).isNotNull();
                assertThat(refusal.code()).as(entry.toString()).isEqualTo(ErrorCode.EGRESS_DENIED);
            }
        }
    }

    /** The corpus is only worth something if its range entries fail on the address rules, not by accident. */
    @Test
    void rangeEntriesPassOnceTheirAddressesAreAllowed() throws IOException {
        EgressPolicy allowAll =
                new EgressPolicy(EgressPolicy.Rules.DEFAULT.withAllowHttp(true).withAllowCidrs("0.0.0.0/0", "::/0"));
        ScriptedResolver resolver = resolver();
        for (Entry entry : corpus()) {
            boolean mapped = entry.why().contains("IPv4-mapped");
            if ((entry.kind().equals("literal") || entry.kind().equals("resolved")) && !mapped) {
                Destination destination = allowAll.destination(URI.create(text(entry)));
                List<InetAddress> addresses = destination.literal().isPresent()
                        ? List.of(InetAddress.getByAddress(destination.literal().get()))
                        : resolver.resolve(destination.host());
                assertThat(allowAll.pin(destination, addresses))
                        .as(entry.toString())
                        .isNotNull();
            }
        }
        Destination mapped = allowAll.destination(URI.create("http://mapped.example.com/"));
        assertThatThrownBy(() -> allowAll.pin(mapped, resolver.resolve("mapped.example.com")))
                .isInstanceOf(ConnectorException.class);
    }

    /** Through the transport when java.net.URI accepts the text; through the policy's text check when not. */
    private static ConnectorException refusal(EgressTransport transport, EgressPolicy policy, Entry entry) {
        String text = text(entry);
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            return catchThrowableOfType(() -> policy.destination(text), ConnectorException.class);
        }
        HttpRequest request = HttpRequest.get(uri)
                .header("Authorization", "Bearer corpus-token")
                .timeout(Duration.ofSeconds(2));
        return catchThrowableOfType(() -> transport.send(request), ConnectorException.class);
    }

    private static boolean mentionsNoSecret(ConnectorException refusal, Entry entry) {
        String message = refusal.getMessage().toLowerCase(Locale.ROOT);
        return !message.contains("corpus-token")
                && !message.contains("secret")
                && !message.contains("meta-data")
                && !message.contains("computemetadata")
                && !message.contains("passwd");
    }

    private static String text(Entry entry) {
        return entry.text().replace("{trap}", Integer.toString(trap.port()));
    }

    static List<Entry> corpus() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = EgressCorpusTest.class.getResourceAsStream("/egress/hostile-urls.txt")) {
            String file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : file.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.strip().split("\\s+", 3);
                if (parts.length < 3) {
                    throw new IllegalStateException("corpus line without a reason: " + line);
                }
                entries.add(new Entry(parts[0], unescape(parts[1]), parts[2]));
            }
        }
        return entries;
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalStateException("unknown escape \\" + next + " in " + text);
            }
        }
        return out.toString();
    }
}
