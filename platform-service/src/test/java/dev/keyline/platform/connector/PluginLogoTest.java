package dev.keyline.platform.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.LogCapture;
import dev.keyline.platform.support.PluginJars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin's logo, read from its own jar through {@code logoSvgResource}, is shown as a data URI when it is safe; an
 * unsafe one is dropped with a warning naming the connector, and the connector loads all the same.
 */
class PluginLogoTest {
    private static final String GOOD = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">"
            + "<rect width=\"32\" height=\"32\" rx=\"7\" fill=\"#2d6a4f\"/></svg>";

    @TempDir
    Path temp;

    private Path plugins;
    private LogCapture log;

    @BeforeEach
    void setUp() throws Exception {
        plugins = Files.createDirectories(temp.resolve("plugins"));
        log = LogCapture.install(ConnectorLogos.class.getName());
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    @Test
    void aSafeLogoIsServedAsADataUri() {
        plugin("good", "good-logo", GOOD);

        var loaded = new ConnectorLoader().load(getClass().getClassLoader(), plugins);

        assertThat(loaded).containsKey("good-logo");
        String uri = ConnectorView.of(loaded.get("good-logo").descriptor()).logo();
        assertThat(uri).startsWith("data:image/svg+xml;base64,");
        String decoded = new String(
                Base64.getDecoder().decode(uri.substring("data:image/svg+xml;base64,".length())),
                StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo(GOOD);
        assertThat(log.entries()).isEmpty();
    }

    @Test
    void unsafeLogosAreDroppedAndTheirPluginsStillLoad() {
        plugin("script", "with-script", GOOD.replace("</svg>", "<script>alert(1)</script></svg>"));
        plugin("onload", "with-onload", GOOD.replace("<svg ", "<svg onload=\"alert(1)\" "));
        plugin(
                "external",
                "with-external",
                GOOD.replace("</svg>", "<image href=\"https://tracker.example/p.png\"/></svg>"));
        plugin("oversized", "oversized", GOOD.replace("</svg>", "<desc>" + "x".repeat(16 * 1024) + "</desc></svg>"));
        plugin("notxml", "not-xml", "<svg><rect></svg");

        var loaded = new ConnectorLoader().load(getClass().getClassLoader(), plugins);

        for (String id : new String[] {"with-script", "with-onload", "with-external", "oversized", "not-xml"}) {
            assertThat(loaded).as(id).containsKey(id);
            assertThat(loaded.get(id).descriptor().logoSvg()).as(id).isNull();
            assertThat(ConnectorView.of(loaded.get(id).descriptor()).logo())
                    .as(id)
                    .isNull();
            assertThat(log.entries()).as(id).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo(Level.WARNING);
                assertThat(e.line()).contains("'" + id + "'").contains("logo is dropped");
            });
        }
        assertThat(log.lines())
                .filteredOn(l -> l.contains("with-script"))
                .singleElement()
                .asString()
                .contains("<script>");
        assertThat(log.lines())
                .filteredOn(l -> l.contains("oversized"))
                .singleElement()
                .asString()
                .contains("16384");
    }

    @Test
    void aConnectorWithoutALogoHasNone() {
        var loaded = new ConnectorLoader().load(getClass().getClassLoader(), plugins);
        loaded.values().stream()
                .filter(l -> l.descriptor().logoSvg() == null)
                .forEach(
                        l -> assertThat(ConnectorView.of(l.descriptor()).logo()).isNull());
    }

    /** A plugin whose factory reads its logo from {@code logo.svg} next to it, as the shipped connectors do. */
    private void plugin(String pkg, String id, String logo) {
        PluginJars.builder()
                .source(pkg + ".Factory", """
                        package %s;
                        import dev.keyline.connector.spi.*;
                        public class Factory implements ConnectorFactory {
                            private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder("%s")
                                    .displayName("Logo test")
                                    .description("A plugin with a logo.")
                                    .fields(CredentialField.builder("token").secret().label("Token").help("A token.")
                                            .build())
                                    .logoSvgResource(Factory.class, "logo.svg")
                                    .build();
                            public ConnectorDescriptor descriptor() { return DESCRIPTOR; }
                            public Connector create(ConnectorConfig config, ConnectorContext context) {
                                return () -> {};
                            }
                        }
                        """.formatted(pkg, id))
                .factory(pkg + ".Factory")
                .resource(pkg + "/logo.svg", logo)
                .manifest("Keyline-Connector-SPI", "3")
                .writeTo(plugins.resolve(id + ".jar"));
    }
}
