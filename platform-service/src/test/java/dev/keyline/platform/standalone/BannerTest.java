package dev.keyline.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BannerTest {

    @Test
    void firstStartShowsUrlsDataAndKeysOnce() {
        String banner = Banner.render(
                8080,
                Path.of("/srv/keyline/data"),
                54321,
                Optional.of(new Banner.FirstTenant("t_1", "Standalone", "kl_live_tenantkey")),
                Optional.of("kl_op_operatorkey"));

        assertThat(banner)
                .contains("http://localhost:8080")
                .contains("http://localhost:8080/swagger-ui")
                .contains("/srv/keyline/data/pg", "localhost:54321", "/srv/keyline/data/master.key")
                .contains("kl_live_tenantkey", "kl_op_operatorkey", "Shown this once")
                .doesNotContain("./keyline help");
    }

    @Test
    void laterStartsShowNoKeyButWhereToFindHelp() {
        String banner = Banner.render(9090, Path.of("/d"), 5, Optional.empty(), Optional.empty());

        assertThat(banner)
                .contains("http://localhost:9090/swagger-ui")
                .contains("./keyline help")
                .doesNotContain("kl_live_", "kl_op_");
    }
}
