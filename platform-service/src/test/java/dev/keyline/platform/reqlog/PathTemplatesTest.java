package dev.keyline.platform.reqlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PathTemplatesTest {

    @Test
    void idsBecomePlaceholdersAndWordsStay() {
        assertThat(PathTemplates.template(URI.create("https://x/scim/v2/Users/12345")))
                .isEqualTo("/scim/v2/Users/{id}");
        assertThat(PathTemplates.template(URI.create("https://x/api/v1/users/00u1abcd2EFGH3ijk4x7/groups")))
                .isEqualTo("/api/v1/users/{id}/groups");
        assertThat(PathTemplates.template(URI.create("https://x/users/alice%40example.com")))
                .isEqualTo("/users/{id}");
        assertThat(PathTemplates.template(URI.create("https://x/scim/v2/ServiceProviderConfig")))
                .isEqualTo("/scim/v2/ServiceProviderConfig");
        assertThat(PathTemplates.template(URI.create("https://x"))).isEqualTo("/");
    }

    @Test
    void thePathKeepsQueryKeysOnly() {
        assertThat(PathTemplates.path(URI.create("https://x/Users?filter=userName%20eq%20%22bob%22&count=2&flag")))
                .isEqualTo("/Users?filter&count&flag");
        assertThat(PathTemplates.path(URI.create("https://x/Users?"))).isEqualTo("/Users");
    }
}
