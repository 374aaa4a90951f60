package dev.keyline.connector.entraid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PrivilegedRolesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode definition(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void builtInRolesFollowMicrosoftsPrivilegedLabel() throws Exception {
        assertThat(PrivilegedRoles.of(definition("{\"id\":\"62e90394-69f5-4237-9190-012177145e10\",\"isBuiltIn\":true,"
                        + "\"templateId\":\"62e90394-69f5-4237-9190-012177145e10\"}")))
                .as("Global Administrator")
                .isTrue();
        assertThat(PrivilegedRoles.of(definition("{\"id\":\"88d8e3e3-8f55-4a1e-953a-9b9898b8876b\",\"isBuiltIn\":true,"
                        + "\"templateId\":\"88d8e3e3-8f55-4a1e-953a-9b9898b8876b\"}")))
                .as("Directory Readers carries no label")
                .isFalse();
        assertThat(PrivilegedRoles.of(
                        definition("{\"id\":\"F2EF992C-3AFB-46B9-B7CF-A126EE74C451\",\"isBuiltIn\":true}")))
                .as("Global Reader, by its id when no template id is sent, in any case")
                .isTrue();
    }

    @Test
    void customRolesAreUnknownAndGraphsOwnMarkWins() throws Exception {
        assertThat(PrivilegedRoles.of(
                        definition("{\"id\":\"c0ffee00-0000-0000-0000-000000000000\",\"isBuiltIn\":false}")))
                .isNull();
        assertThat(PrivilegedRoles.of(definition(
                        "{\"id\":\"62e90394-69f5-4237-9190-012177145e10\",\"isBuiltIn\":true,\"isPrivileged\":false}")))
                .isFalse();
    }
}
