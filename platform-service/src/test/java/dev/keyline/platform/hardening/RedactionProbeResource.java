package dev.keyline.platform.hardening;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Test-only endpoints that fail with a secret in the failure, as careless code might: the problem mapper must
 * mask it in the response and in the log. Hidden from the OpenAPI document, so the API-walking suites skip it.
 */
@Path("/hardening-probe")
@PermitAll
public class RedactionProbeResource {

    @GET
    @Path("/unexpected")
    @Operation(hidden = true)
    public String unexpected(@QueryParam("secret") String secret) {
        throw new IllegalStateException(
                "upstream refused Authorization: Bearer " + secret + " and token " + secret,
                new RuntimeException("cause quoting " + secret));
    }

    @GET
    @Path("/problem")
    @Operation(hidden = true)
    public String problem(@QueryParam("secret") String secret) {
        throw KeylineException.invalid(FailureCode.INVALID_REQUEST, "The value " + secret + " is not accepted.");
    }
}
