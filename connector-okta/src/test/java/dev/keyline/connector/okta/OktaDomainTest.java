package dev.keyline.connector.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** normalize(): what people paste into the Okta domain field. */
class OktaDomainTest {
    private final OktaConnectorFactory factory = new OktaConnectorFactory();

    private ConnectorConfig normalize(String domain) {
        return factory.normalize(new ConnectorConfig(
                Map.of(OktaConnectorFactory.OKTA_DOMAIN, domain, OktaConnectorFactory.API_TOKEN, "00token"),
                Set.of(OktaConnectorFactory.API_TOKEN)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "acme.okta.com, acme.okta.com",
        "'  ACME.Okta.com  ', acme.okta.com",
        "https://acme.okta.com, acme.okta.com",
        "https://acme.okta.com/, acme.okta.com",
        "acme-admin.okta.com, acme.okta.com",
        "https://acme-admin.okta.com/admin/dashboard, acme.okta.com",
        "https://acme-admin.okta.com/admin/users?search=ada#top, acme.okta.com",
        "https://acme.okta.com/app/UserHome, acme.okta.com",
        "https://acme.okta.com/api/v1/users, acme.okta.com",
        "acme-admin.oktapreview.com, acme.oktapreview.com",
        "https://acme-admin.okta-emea.com/admin/dashboard, acme.okta-emea.com",
        "https://login.acme.example/, login.acme.example",
        "acme.okta.com., acme.okta.com",
        "https://acme.okta.com:443/admin, acme.okta.com",
    })
    void pastedOrgAndAdminUrlsBecomeTheOrgHost(String pasted, String host) {
        assertThat(normalize(pasted).find(OktaConnectorFactory.OKTA_DOMAIN)).hasValue(host);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://acme.okta.com, okta.domain_http",
        "http://acme-admin.okta.com/admin/dashboard, okta.domain_http",
        "10.0.0.7, okta.domain_ip",
        "https://192.168.1.20/admin, okta.domain_ip",
        "https://acme.okta.com/some/thing, okta.domain_path",
        "https://acme.okta.com/oauth-not-okta, okta.domain_path",
        "https://acme.okta.com:8443, okta.domain_invalid",
        "https://user@acme.okta.com, okta.domain_invalid",
        "acme, okta.domain_invalid",
        "acme okta com, okta.domain_invalid",
    })
    void urlsKeylineCannotUseAreRefusedOnTheDomainField(String pasted, String code) {
        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> normalize(pasted));
        assertThat(e).as(pasted).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.messageCode()).isEqualTo(code);
        assertThat(e.field()).hasValue(OktaConnectorFactory.OKTA_DOMAIN);
        assertThat(e.getMessage()).contains("acme.okta.com");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'', no", "no, no", "YES, yes", "yes, yes"})
    void readFactorsIsYesOrNo(String given, String normalized) {
        ConnectorConfig config = factory.normalize(new ConnectorConfig(
                Map.of(OktaConnectorFactory.OKTA_DOMAIN, "acme.okta.com", OktaConnectorFactory.READ_FACTORS, given),
                Set.of()));
        assertThat(config.find(OktaConnectorFactory.READ_FACTORS)).hasValue(normalized);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"maybe", "true"})
    void anotherReadFactorsValueIsRefused(String given) {
        ConnectorException e = catchThrowableOfType(
                ConnectorException.class,
                () -> factory.normalize(new ConnectorConfig(
                        Map.of(
                                OktaConnectorFactory.OKTA_DOMAIN,
                                "acme.okta.com",
                                OktaConnectorFactory.READ_FACTORS,
                                given),
                        Set.of())));
        assertThat(e.field()).hasValue(OktaConnectorFactory.READ_FACTORS);
        assertThat(e.messageCode()).isEqualTo("okta.read_factors_invalid");
    }
}
