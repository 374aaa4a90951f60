package dev.keyline.platform.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.SpiVersion;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.platform.support.LogCapture;
import dev.keyline.platform.support.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins built the ways plugins go wrong, compiled for real into jars whose classes exist only there: each is refused
 * at load with a stable code, one ERROR line naming its jar and no stack trace, before any of its code runs; and a
 * plugin compiled against the previous SPI's real jar loads and works.
 */
class PluginVerificationTest {
    private static final Path SPI1_API = Path.of("src/test/resources/spi1/connector-api-spi1.jar");

    @TempDir
    Path temp;

    private Path plugins;
    private LogCapture log;

    @BeforeEach
    void setUp() throws Exception {
        plugins = Files.createDirectories(temp.resolve("plugins"));
        log = LogCapture.install(ConnectorLoader.class.getName());
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    @Test
    void aPluginWrittenTheSpi1WayLoadsAndWorks() {
        spi1Plugin().writeTo(plugins.resolve("old-hr.jar"));

        ConnectorLoader loader = new ConnectorLoader();
        var loaded = loader.load(getClass().getClassLoader(), plugins);

        assertThat(loader.refused()).isEmpty();
        ConnectorLoader.Loaded old = loaded.get("old-hr");
        assertThat(old).isNotNull();
        assertThat(old.spiVersion()).isEqualTo(1);
        assertThat(old.version()).isEqualTo("1.4.0");
        assertThat(old.jar()).isEqualTo(plugins.resolve("old-hr.jar"));

        ConnectorContext context = new ConnectorContext(
                request -> {
                    throw new AssertionError("the plugin makes no request");
                },
                Clock.systemUTC(),
                ConnectorLogger.discarding());
        var config = ConnectorConfig.of(old.descriptor(), Map.of("token", "good"));
        var connector = old.factory().create(config, context);
        assertThat(connector
                        .capability(CredentialValidator.class)
                        .orElseThrow()
                        .validate()
                        .summary())
                .isEqualTo("Connected with SPI 1.");
        Page<User> first = connector
                .capability(UserDirectory.class)
                .orElseThrow()
                .listUsers(UserQuery.builder().pageSize(2).build());
        assertThat(first.items()).extracting(User::remoteId).containsExactly("u0", "u1");
        assertThat(first.next()).contains("2");

        var refused = old.factory().create(ConnectorConfig.of(old.descriptor(), Map.of("token", "bad")), context);
        ConnectorException rejected = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> refused.capability(CredentialValidator.class)
                        .orElseThrow()
                        .validate(),
                ConnectorException.class);
        assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(rejected.messageCode()).isEqualTo("invalid_credentials");
    }

    @Test
    void aPluginCallingAnApiMethodThisSpiLacksIsRefusedBeforeItsFactoryIsMade() {
        String marker = "keyline.test.constructed." + System.nanoTime();
        PluginJars.builder()
                // A stub of the API with a method SPI 2 does not have: compiled against, left out of the jar.
                .source("dev.keyline.connector.spi.ConnectorContext", """
                        package dev.keyline.connector.spi;
                        public record ConnectorContext(dev.keyline.connector.http.HttpTransport http,
                                java.time.Clock clock, ConnectorLogger logger) {
                            public String tenantId() { return "t"; }
                        }
                        """)
                .omit("dev.keyline.connector.spi.ConnectorContext")
                .source(
                        "future.Factory",
                        factory(
                                "future",
                                "future-hr",
                                "System.setProperty(\"" + marker + "\", \"yes\");",
                                "context.tenantId();"))
                .factory("future.Factory")
                .manifest("Keyline-Connector-SPI", "2")
                .writeTo(plugins.resolve("future-hr.jar"));

        ConnectorLoader loader = new ConnectorLoader();
        var loaded = loader.load(getClass().getClassLoader(), plugins);

        assertThat(loaded).doesNotContainKey("future-hr");
        assertThat(loader.pluginLoaders()).isEmpty();
        ConnectorLoader.Refused refused = onlyRefusal(loader, "future-hr.jar");
        assertThat(refused.code()).isEqualTo("spi_method_missing");
        assertThat(refused.reason()).contains("ConnectorContext.tenantId()").contains("SPI " + SpiVersion.CURRENT);
        assertThat(System.getProperty(marker))
                .as("the factory's constructor never ran")
                .isNull();
    }

    @Test
    void aPluginBuiltForANewerSpiIsRefused() {
        plain("newer", "newer-hr")
                .manifest("Keyline-Connector-SPI", String.valueOf(SpiVersion.CURRENT + 1))
                .writeTo(plugins.resolve("newer.jar"));
        plain("garbled", "garbled-hr").manifest("Keyline-Connector-SPI", "abc").writeTo(plugins.resolve("garbled.jar"));

        ConnectorLoader loader = new ConnectorLoader();
        var loaded = loader.load(getClass().getClassLoader(), plugins);

        assertThat(loaded).doesNotContainKeys("newer-hr", "garbled-hr");
        ConnectorLoader.Refused newer = onlyRefusal(loader, "newer.jar");
        assertThat(newer.code()).isEqualTo("spi_version_unsupported");
        assertThat(newer.spiVersion()).isEqualTo(SpiVersion.CURRENT + 1);
        assertThat(newer.reason())
                .isEqualTo("It was built for SPI 4; this Keyline provides SPI 3 and runs plugins of SPI 1 to 3.");
        ConnectorLoader.Refused garbled = onlyRefusal(loader, "garbled.jar");
        assertThat(garbled.code()).isEqualTo("spi_version_unsupported");
        assertThat(garbled.spiVersion()).isNull();
        assertThat(garbled.reason()).contains("'abc'");
    }

    @Test
    void aPluginMissingADependencyIsRefusedNamingTheClass() {
        PluginJars.builder()
                .source(
                        "lonely.Json",
                        "package lonely; public class Json { public static String write() { return \"{}\"; } }")
                .source("lonely.Factory", factory("lonely", "lonely-hr", "", "lonely.Json.write();"))
                .factory("lonely.Factory")
                .omit("lonely.Json")
                .writeTo(plugins.resolve("lonely.jar"));

        ConnectorLoader loader = new ConnectorLoader();
        assertThat(loader.load(getClass().getClassLoader(), plugins)).doesNotContainKey("lonely-hr");

        ConnectorLoader.Refused refused = onlyRefusal(loader, "lonely.jar");
        assertThat(refused.code()).isEqualTo("class_missing");
        assertThat(refused.reason())
                .contains("needs class lonely.Json, which is neither in the jar nor in the connector API");
        assertThat(errorLines())
                .singleElement()
                .extracting(LogCapture.Entry::line)
                .asString()
                .contains(refusedLine("lonely.jar"));
    }

    @Test
    void aConnectorLackingAnSpiMethodIsRefusedNamingClassAndMethod() {
        PluginJars.builder()
                // Compiled against an API whose UserDirectory had no getUser: the class would throw
                // AbstractMethodError the first time the platform read one user.
                .source("dev.keyline.connector.spi.UserDirectory", """
                        package dev.keyline.connector.spi;
                        public interface UserDirectory {
                            Page<dev.keyline.connector.model.User> listUsers(UserQuery query);
                        }
                        """)
                .omit("dev.keyline.connector.spi.UserDirectory")
                .source("partial.Directory", """
                        package partial;
                        import dev.keyline.connector.spi.*;
                        public class Directory implements Connector, UserDirectory {
                            public Page<dev.keyline.connector.model.User> listUsers(UserQuery query) {
                                return Page.last(java.util.List.of());
                            }
                            public void close() {}
                        }
                        """)
                .source("partial.Factory", factory("partial", "partial-hr", "", ""))
                .factory("partial.Factory")
                .writeTo(plugins.resolve("partial.jar"));

        ConnectorLoader loader = new ConnectorLoader();
        assertThat(loader.load(getClass().getClassLoader(), plugins)).doesNotContainKey("partial-hr");

        ConnectorLoader.Refused refused = onlyRefusal(loader, "partial.jar");
        assertThat(refused.code()).isEqualTo("abstract_method");
        assertThat(refused.reason()).contains("partial.Directory does not implement UserDirectory.getUser(String,");
    }

    @Test
    void aSubclassThatInheritsAnIncompleteSpiInterfaceFromItsOwnBaseIsRefused() {
        // The concrete class names no API class itself (only its own abstract base does), yet it is the one that
        // would throw AbstractMethodError: the verifier must follow the jar's own supertypes to it.
        PluginJars.builder()
                .source("dev.keyline.connector.spi.UserDirectory", """
                        package dev.keyline.connector.spi;
                        public interface UserDirectory {
                            Page<dev.keyline.connector.model.User> listUsers(UserQuery query);
                        }
                        """)
                .omit("dev.keyline.connector.spi.UserDirectory")
                .source("inherits.Base", """
                        package inherits;
                        import dev.keyline.connector.spi.*;
                        public abstract class Base implements Connector, UserDirectory {
                            public Page<dev.keyline.connector.model.User> listUsers(UserQuery query) {
                                return Page.last(java.util.List.of());
                            }
                            public void close() {}
                        }
                        """)
                .source("inherits.Directory", "package inherits; public class Directory extends Base {}")
                .source("inherits.Factory", factory("inherits", "inherits-hr", "", ""))
                .factory("inherits.Factory")
                .writeTo(plugins.resolve("inherits.jar"));

        ConnectorLoader loader = new ConnectorLoader();
        assertThat(loader.load(getClass().getClassLoader(), plugins)).doesNotContainKey("inherits-hr");

        ConnectorLoader.Refused refused = onlyRefusal(loader, "inherits.jar");
        assertThat(refused.code()).isEqualTo("abstract_method");
        assertThat(refused.reason()).contains("inherits.Directory does not implement UserDirectory.getUser(String,");
    }

    @Test
    void aFactoryWhoseConstructorThrowsIsRefusedWithOneLineAndNoStackTrace() {
        plain("boom", "boom-hr", "throw new IllegalStateException(\"no config file\");")
                .writeTo(plugins.resolve("boom.jar"));
        PluginJars.builder()
                .source("empty.Nothing", "package empty; public class Nothing {}")
                .writeTo(plugins.resolve("library.jar"));

        ConnectorLoader loader = new ConnectorLoader();
        var loaded = loader.load(getClass().getClassLoader(), plugins);

        assertThat(loaded).doesNotContainKey("boom-hr");
        ConnectorLoader.Refused boom = onlyRefusal(loader, "boom.jar");
        assertThat(boom.code()).isEqualTo("factory_failed");
        assertThat(boom.reason()).contains("boom.Factory").contains("no config file");
        assertThat(onlyRefusal(loader, "library.jar").code()).isEqualTo("no_factory");
        List<LogCapture.Entry> errors = errorLines();
        assertThat(errors).hasSize(2);
        assertThat(errors).noneMatch(LogCapture.Entry::withStackTrace);
        assertThat(errors)
                .extracting(LogCapture.Entry::line)
                .allSatisfy(line -> assertThat(line).doesNotContain("\n"))
                .anySatisfy(line -> assertThat(line).contains(refusedLine("boom.jar")))
                .anySatisfy(line -> assertThat(line).contains(refusedLine("library.jar")));
    }

    @Test
    void aFactoryThatHangsWhileLoadingIsRefusedAtTheLoadDeadlineAndTheOthersLoad() {
        // Ignores interrupts, as a hung plugin would; it gives up by itself long after the test's deadline.
        plain(
                        "hang",
                        "hang-hr",
                        "long end = System.nanoTime() + 20_000_000_000L; while (System.nanoTime() < end) {"
                                + " try { Thread.sleep(50); } catch (InterruptedException ignored) { } }")
                .writeTo(plugins.resolve("hang.jar"));
        plain("fine", "fine-hr").writeTo(plugins.resolve("fine.jar"));

        long start = System.nanoTime();
        ConnectorLoader loader = new ConnectorLoader(java.time.Duration.ofSeconds(1));
        var loaded = loader.load(getClass().getClassLoader(), plugins);
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertThat(loaded).containsKey("fine-hr").doesNotContainKey("hang-hr");
        ConnectorLoader.Refused hang = onlyRefusal(loader, "hang.jar");
        assertThat(hang.code()).isEqualTo("factory_failed");
        assertThat(hang.reason()).contains("hang.Factory").contains("within 1 seconds");
        // The plugin would hang for 20 s; the start went on long before that.
        assertThat(seconds).isLessThan(15);
    }

    @Test
    void anInsaneDescriptorIsRefused() {
        PluginJars.builder().source("liar.Factory", """
                        package liar;
                        import dev.keyline.connector.spi.*;
                        public class Factory implements ConnectorFactory {
                            public String id() { return "liar-one"; }
                            public ConnectorDescriptor descriptor() {
                                return ConnectorDescriptor.builder("liar-two").displayName("Liar")
                                        .description("Two ids.").fields(CredentialField.builder("token").secret()
                                        .label("Token").help("A token.").build()).build();
                            }
                            public Connector create(ConnectorConfig config, ConnectorContext context) {
                                return () -> {};
                            }
                        }
                        """).factory("liar.Factory").writeTo(plugins.resolve("liar.jar"));

        ConnectorLoader loader = new ConnectorLoader();
        assertThat(loader.load(getClass().getClassLoader(), plugins)).doesNotContainKeys("liar-one", "liar-two");
        ConnectorLoader.Refused refused = onlyRefusal(loader, "liar.jar");
        assertThat(refused.code()).isEqualTo("invalid_descriptor");
        assertThat(refused.reason()).contains("'liar-one'").contains("'liar-two'");
    }

    private ConnectorLoader.Refused onlyRefusal(ConnectorLoader loader, String jarName) {
        List<ConnectorLoader.Refused> mine = loader.refused().stream()
                .filter(r -> jarName.equals(r.jarName()))
                .toList();
        assertThat(mine).as("refusals of " + jarName).hasSize(1);
        assertThat(errorLines())
                .as("ERROR lines naming " + jarName)
                .filteredOn(e -> e.line().contains(jarName))
                .hasSize(1);
        return mine.get(0);
    }

    /** The start of the line "Refused connector plugin <jar path>: <reason> [<code>]", after the logger's name. */
    private String refusedLine(String jarName) {
        return ConnectorLoader.class.getName() + " Refused connector plugin " + plugins.resolve(jarName) + ": ";
    }

    /** The ERROR lines, each the logger's name and the formatted message. */
    private List<LogCapture.Entry> errorLines() {
        return log.entries().stream()
                .filter(e -> e.level().intValue() >= Level.SEVERE.intValue())
                .toList();
    }

    /** A factory {@code <pkg>.Factory} of a fields-only connector; extra statements in its constructor and create. */
    private static String factory(String pkg, String id, String inConstructor, String inCreate) {
        return """
                package %s;
                import dev.keyline.connector.spi.*;
                public class Factory implements ConnectorFactory {
                    public Factory() { %s }
                    public ConnectorDescriptor descriptor() {
                        return ConnectorDescriptor.builder("%s").displayName("Plugin").description("A plugin.")
                                .fields(CredentialField.builder("token").secret().label("Token").help("A token.")
                                        .build())
                                .build();
                    }
                    public Connector create(ConnectorConfig config, ConnectorContext context) {
                        %s
                        return () -> {};
                    }
                }
                """.formatted(pkg, inConstructor, id, inCreate);
    }

    private static PluginJars plain(String pkg, String id) {
        return plain(pkg, id, "");
    }

    private static PluginJars plain(String pkg, String id, String inConstructor) {
        return PluginJars.builder()
                .source(pkg + ".Factory", factory(pkg, id, inConstructor, ""))
                .factory(pkg + ".Factory");
    }

    /** A directory connector written against SPI 1 the way SPI 1 taught, compiled against SPI 1's real jar. */
    private static PluginJars spi1Plugin() {
        return PluginJars.builder()
                .compileAgainst(SPI1_API)
                .manifest("Implementation-Title", "old-hr")
                .manifest("Implementation-Version", "1.4.0")
                .source("oldhr.Factory", """
                        package oldhr;
                        import dev.keyline.connector.model.User;
                        import dev.keyline.connector.spi.*;
                        import java.util.*;
                        public class Factory implements ConnectorFactory {
                            public String id() { return "old-hr"; }
                            public ConnectorDescriptor descriptor() {
                                return new ConnectorDescriptor("old-hr", "Old HR", "iam", "An SPI 1 plugin.",
                                        List.of("Paste a token."),
                                        List.of(new CredentialField("token", "Token", "A token.", null, null, true,
                                                CredentialField.Type.SECRET)),
                                        List.of(), Set.of(Capability.CREDENTIAL_VALIDATION, Capability.USERS));
                            }
                            public Connector create(ConnectorConfig config, ConnectorContext context) {
                                return new Old(config.require("token", "Token"), context);
                            }
                            static final class Old implements Connector, CredentialValidator, UserDirectory {
                                private final String token;
                                private final ConnectorContext context;
                                Old(String token, ConnectorContext context) { this.token = token; this.context = context; }
                                public Validation validate() {
                                    if (!token.equals("good")) {
                                        throw new ConnectorException(ErrorCode.INVALID_CREDENTIALS, "Bad token.");
                                    }
                                    context.logger().info("validated");
                                    return new Validation("Connected with SPI 1.", Map.of());
                                }
                                public Page<User> listUsers(UserQuery query) {
                                    int from = query.cursor() == null ? 0 : Integer.parseInt(query.cursor());
                                    List<User> users = new ArrayList<>();
                                    for (int i = from; i < Math.min(5, from + query.pageSize()); i++) {
                                        users.add(User.builder("u" + i).username("user" + i).build());
                                    }
                                    int next = from + users.size();
                                    return Page.of(users, next < 5 ? String.valueOf(next) : null);
                                }
                                public Optional<User> getUser(String id, boolean includeRaw) { return Optional.empty(); }
                                public void close() {}
                            }
                        }
                        """)
                .factory("oldhr.Factory");
    }
}
