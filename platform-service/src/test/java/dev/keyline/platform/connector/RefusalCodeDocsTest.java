package dev.keyline.platform.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.junit.jupiter.api.Test;

/**
 * The refusal codes are spelled out twice in the API document (the tenant view's named enum, and inline on the
 * operator view, where a nullable reference would break the SDK generators): both must list exactly the codes the
 * loader gives.
 */
class RefusalCodeDocsTest {

    @Test
    void bothDocumentedListsAreTheLoadersCodes() throws Exception {
        String[] codes =
                Arrays.stream(Refusal.Code.values()).map(Refusal.Code::wire).toArray(String[]::new);

        Schema named = ConnectorResource.RefusalCodeName.class.getAnnotation(Schema.class);
        Schema inline = OperatorConnectorResource.OperatorConnectorView.class
                .getDeclaredField("code")
                .getAnnotation(Schema.class);

        assertThat(named.enumeration()).containsExactly(codes);
        assertThat(inline).as("@Schema on OperatorConnectorView.code").isNotNull();
        assertThat(inline.enumeration()).containsExactly(codes);
    }
}
