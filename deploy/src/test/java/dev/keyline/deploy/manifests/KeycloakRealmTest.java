package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * The realm the compose Keycloak imports, read strictly with Keycloak's own representation classes (a misspelt
 * field would be dropped silently at import), and checked against what Keyline expects of tokens: the tenant claim
 * it is configured to read, the audience it checks, and the operator realm role.
 */
class KeycloakRealmTest {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Test
    void theImportedRealmGivesKeylineTheClaimsItReads() throws IOException {
        JsonNode keyline = Yaml.document(DeployFiles.COMPOSE)
                .path("services")
                .path("keyline")
                .path("environment");
        String tenantClaim = keyline.path("KEYLINE_AUTH_TENANT_CLAIM").asText();
        String audience = keyline.path("QUARKUS_OIDC_TOKEN_AUDIENCE").asText();
        String issuer = keyline.path("QUARKUS_OIDC_AUTH_SERVER_URL").asText();

        List<Path> realms = importedRealms();
        assertThat(realms).hasSize(1);
        RealmRepresentation realm = STRICT.readValue(realms.get(0).toFile(), RealmRepresentation.class);

        assertThat(issuer).endsWith("/realms/" + realm.getRealm());
        assertThat(realm.isEnabled()).isTrue();
        assertThat(realm.getRoles().getRealm()).extracting(r -> r.getName()).contains("operator");

        List<ProtocolMapperRepresentation> mappers = realm.getClients().stream()
                .map(ClientRepresentation::getProtocolMappers)
                .filter(Objects::nonNull)
                .flatMap(List::stream)
                .toList();
        assertThat(mappers)
                .filteredOn(m -> m.getProtocolMapper().equals("oidc-usermodel-attribute-mapper"))
                .anySatisfy(m -> {
                    assertThat(m.getConfig()).containsEntry("claim.name", tenantClaim);
                    assertThat(m.getConfig()).containsEntry("access.token.claim", "true");
                });
        assertThat(mappers)
                .filteredOn(m -> m.getProtocolMapper().equals("oidc-audience-mapper"))
                .anySatisfy(m -> assertThat(m.getConfig()).containsEntry("included.client.audience", audience));
        assertThat(realm.getClients())
                .extracting(ClientRepresentation::getClientId)
                .contains(audience);
    }

    @Test
    void onlyAdministratorsMaySetWhichTenantAUserActsFor() throws IOException {
        RealmRepresentation realm = STRICT.readValue(importedRealms().get(0).toFile(), RealmRepresentation.class);
        String profile = realm.getComponents()
                .getList("org.keycloak.userprofile.UserProfileProvider")
                .get(0)
                .getConfig()
                .getFirst("kc.user.profile.config");
        JsonNode attribute = Stream.of(STRICT.readTree(profile).path("attributes"))
                .flatMap(attributes -> java.util.stream.StreamSupport.stream(attributes.spliterator(), false))
                .filter(a -> a.path("name").asText().equals("keyline_tenant"))
                .findFirst()
                .orElseThrow();
        assertThat(attribute.path("permissions").path("edit").toString()).isEqualTo("[\"admin\"]");
        // No account can be self-registered into a tenant.
        assertThat(realm.isRegistrationAllowed()).isFalse();
    }

    /** The realm files in the directory the compose Keycloak mounts at /opt/keycloak/data/import. */
    private static List<Path> importedRealms() throws IOException {
        String mount = Yaml.document(DeployFiles.COMPOSE)
                .path("services")
                .path("keycloak")
                .path("volumes")
                .get(0)
                .asText();
        assertThat(mount).endsWith(":/opt/keycloak/data/import:ro");
        Path dir = DeployFiles.COMPOSE
                .getParent()
                .resolve(mount.substring(0, mount.indexOf(':')))
                .normalize();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }
}
