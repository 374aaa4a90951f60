package dev.keyline.connector.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DescriptorTest {
    private static final CredentialField URL =
            CredentialField.url("scim_url", "SCIM URL", "Where the SCIM API lives.", "https://x", null);
    private static final CredentialField TOKEN =
            CredentialField.secret("bearer_token", "Bearer token", "From the admin console.", "eyJ…");

    @Test
    void secretKeysAreTheSecretFields() {
        ConnectorDescriptor descriptor = descriptor("demo", List.of(URL, TOKEN));
        assertThat(descriptor.secretKeys()).containsExactly("bearer_token");
        assertThat(descriptor.has(Capability.USERS)).isTrue();
        assertThat(descriptor.has(Capability.GROUPS)).isFalse();
    }

    @Test
    void duplicateFieldKeysAreRefused() {
        assertThatThrownBy(() -> descriptor("demo", List.of(URL, URL))).hasMessageContaining("duplicate");
    }

    @Test
    void idsAreLowerCaseKebabOrSnakeCase() {
        assertThat(descriptor("entra_id", List.of(URL)).id()).isEqualTo("entra_id");
        assertThat(descriptor("scim-generic", List.of(URL)).id()).isEqualTo("scim-generic");
        assertThatThrownBy(() -> descriptor("Demo_X", List.of(URL))).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> descriptor("_demo", List.of(URL))).hasMessageContaining("starting with a letter");
        assertThatThrownBy(() -> descriptor("demo.x", List.of(URL))).hasMessageContaining("lower-case");
    }

    @Test
    void aSecretFieldMustHaveTheSecretType() {
        assertThatThrownBy(() -> new CredentialField("token", "T", "h", null, null, true, CredentialField.Type.TEXT))
                .hasMessageContaining("secret");
    }

    @Test
    void urlFieldsAreRoutingFieldsAndSecretsAreNot() {
        assertThat(URL.routing()).isTrue();
        assertThat(TOKEN.routing()).isFalse();
        assertThat(CredentialField.routingText("region", "Region", "h", "eu", null)
                        .routing())
                .isTrue();
        assertThat(CredentialField.text("label", "Label", "h", "HR", null).routing())
                .isFalse();
        ConnectorDescriptor descriptor = descriptor("demo", List.of(URL, TOKEN));
        assertThat(descriptor.routingKeys()).containsExactly("scim_url");
    }

    @Test
    void theConstructorOfSpiOneMarksUrlFieldsAsRouting() {
        // Plugins built before fields were marked explicitly use this constructor; their URLs must still count.
        assertThat(new CredentialField("base_url", "B", "h", null, null, false, CredentialField.Type.URL).routing())
                .isTrue();
        assertThat(new CredentialField("domain", "D", "h", null, null, false, CredentialField.Type.TEXT).routing())
                .isFalse();
    }

    @Test
    void aSecretCannotRouteAndAUrlCannotBeUnmarked() {
        assertThatThrownBy(() -> TOKEN.withRouting(true)).hasMessageContaining("routing");
        assertThatThrownBy(() -> URL.withRouting(false)).hasMessageContaining("routing");
    }

    @Test
    void capabilitiesMapToTheirInterfaces() {
        for (Capability capability : Capability.values()) {
            assertThat(capability.type()).isInterface();
        }
    }

    @Test
    void requireOfAMissingCapabilityIsUnsupported() {
        Connector bare = () -> {};
        assertThat(bare.capability(UserDirectory.class)).isEmpty();
        assertThatThrownBy(() -> bare.require(Capability.USERS, UserDirectory.class))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
                    assertThat(e.getMessage()).contains("listing users");
                });
    }

    private static ConnectorDescriptor descriptor(String id, List<CredentialField> fields) {
        return new ConnectorDescriptor(
                id, "Demo", "iam", "A demo.", List.of("Help."), fields, List.of(), Set.of(Capability.USERS));
    }
}
