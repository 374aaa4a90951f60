package dev.keyline.connector.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.spi.SpiVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plugin jar's manifest is written by the shade plugin from this module's pom (and a generated project's, from
 * the skeleton), after the tests run; what it
 * declares must follow the SPI this module compiles against, or the platform refuses (or wrongly trusts) the jar.
 */
class PluginPomTest {

    @ParameterizedTest
    @ValueSource(strings = {"pom.xml", "skeleton/pom.xml"})
    void thePluginJarDeclaresTheSpiItIsCompiledAgainst(String file) throws Exception {
        String pom = Files.readString(Path.of(file));

        assertThat(pom)
                .contains("<" + SpiVersion.MANIFEST_ATTRIBUTE + ">" + SpiVersion.CURRENT + "</"
                        + SpiVersion.MANIFEST_ATTRIBUTE + ">")
                .contains("<shadedArtifactAttached>true</shadedArtifactAttached>")
                .contains("<shadedClassifierName>plugin</shadedClassifierName>")
                .contains("<outputDirectory>${project.build.directory}/unshaded</outputDirectory>");
    }
}
