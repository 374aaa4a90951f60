package dev.keyline.connector.genericscim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.spi.SpiVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The plugin jar's manifest is written by the shade plugin from this module's pom, after the tests run; what it
 * declares must follow the SPI this module compiles against, or the platform refuses (or wrongly trusts) the jar.
 */
class PluginPomTest {

    @Test
    void thePluginJarDeclaresTheSpiItIsCompiledAgainst() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));

        assertThat(pom)
                .contains("<" + SpiVersion.MANIFEST_ATTRIBUTE + ">" + SpiVersion.CURRENT + "</"
                        + SpiVersion.MANIFEST_ATTRIBUTE + ">")
                .contains("<shadedArtifactAttached>true</shadedArtifactAttached>")
                .contains("<shadedClassifierName>plugin</shadedClassifierName>")
                .contains("<outputDirectory>${project.build.directory}/unshaded</outputDirectory>");
    }
}
