package dev.keyline.connector.okta;

import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.time.Clock;
import java.time.Duration;

/** Okta's error answers ({@code {"errorCode": "E0000011", "errorSummary": ...}}) as diagnoses. */
final class OktaFailures {
    private OktaFailures() {}

    static HttpResponse raise(OktaApi api, HttpResponse response, String errorCode, Clock clock) {
        int status = response.status();
        String domain = api.host();
        if (status == 401) {
            if (api.oauth()) {
                throw ConnectorException.builder(
                                ErrorCode.INVALID_CREDENTIALS,
                                "Okta did not accept Keyline's access token for " + domain + ", even after a "
                                        + "refresh. Link the account again.")
                        .messageCode("okta.access_token_rejected")
                        .param("domain", domain)
                        .build();
            }
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "Okta does not accept this API token (invalid, revoked, expired after 30 days unused, "
                                    + "or its administrator was deactivated): create a new one under Security > API "
                                    + "> Tokens.")
                    .messageCode("okta.api_token_invalid")
                    .param("domain", domain)
                    .param("okta_error", errorCode == null ? "" : errorCode)
                    .field(OktaConnectorFactory.API_TOKEN)
                    .build();
        }
        if (status == 403) {
            ConnectorException.Builder denied = api.oauth()
                    ? ConnectorException.builder(
                                    ErrorCode.INVALID_CREDENTIALS,
                                    "Okta refused to let the service app read the directory: grant okta.users.read, "
                                            + "okta.groups.read and okta.roles.read in "
                                            + OktaConnectorFactory.SCOPES_TAB + " and assign it the Read-only "
                                            + "Administrator role in its Admin roles tab.")
                            .messageCode("okta.app_permission_denied")
                    : ConnectorException.builder(
                                    ErrorCode.INVALID_CREDENTIALS,
                                    "The administrator who created this API token may not read the directory: "
                                            + "give them the Read-only Administrator role (Security > "
                                            + "Administrators) or create the token as one who has it.")
                            .messageCode("okta.permission_denied")
                            .field(OktaConnectorFactory.API_TOKEN);
            throw denied.param("domain", domain)
                    .param("okta_error", errorCode == null ? "" : errorCode)
                    .build();
        }
        if (status == 404) {
            throw api.notOkta();
        }
        if (status == 429) {
            Duration wait = OktaApi.resetIn(response, clock).orElse(Duration.ofSeconds(60));
            throw ConnectorException.builder(
                            ErrorCode.RATE_LIMITED,
                            "Okta's rate limit for " + domain + " is used up; try again in " + wait.toSeconds()
                                    + " seconds.")
                    .messageCode("okta.rate_limited")
                    .param("domain", domain)
                    .param("seconds", wait.toSeconds())
                    .retryAfter(wait)
                    .build();
        }
        if (status >= 500) {
            throw ConnectorException.builder(
                            ErrorCode.UPSTREAM_UNAVAILABLE,
                            "Okta at " + domain + " answered " + status + "; try again later.")
                    .messageCode("okta.unavailable")
                    .param("domain", domain)
                    .param("status", status)
                    .build();
        }
        throw api.unexpected(response, "status " + status + (errorCode == null ? "" : " " + errorCode));
    }
}
