package dev.keyline.connector.templatejson;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ConnectorConformanceTest;
import dev.keyline.connector.tck.Credentials;
import dev.keyline.connector.tck.ExpectedDirectory;
import dev.keyline.connector.tck.UpstreamDouble;
import dev.keyline.connector.tck.json.ApiAuth;
import dev.keyline.connector.tck.json.JsonApiDouble;
import java.util.Map;
import java.util.Set;

/**
 * The conformance kit against the HR API's double: a connector is ready for the plugins directory when this
 * passes. The double serves the kit's expected directory as the API's JSON records ({@link TemplateHrApi}).
 */
class TemplateConformanceTest extends ConnectorConformanceTest {

    @Override
    protected String connectorId() {
        return TemplateConnectorFactory.ID;
    }

    @Override
    protected UpstreamDouble startUpstream(ExpectedDirectory directory) {
        return TemplateHrApi.serving(directory.users(), directory.groups())
                .auth(ApiAuth.bearer("hr-api-token-" + Long.toHexString(System.nanoTime())))
                .start();
    }

    @Override
    protected ConnectorConfig configFor(UpstreamDouble upstream, Credentials credentials) {
        JsonApiDouble api = (JsonApiDouble) upstream;
        ApiAuth auth = switch (credentials) {
            case VALID -> api.auth();
            case WRONG -> api.wrongAuth();
            case FORBIDDEN -> api.forbiddenAuth();
        };
        return new ConnectorConfig(
                Map.of(
                        TemplateConnectorFactory.BASE_URL,
                        api.baseUrl(),
                        TemplateConnectorFactory.API_TOKEN,
                        auth.secret()),
                Set.of(TemplateConnectorFactory.API_TOKEN));
    }
}
