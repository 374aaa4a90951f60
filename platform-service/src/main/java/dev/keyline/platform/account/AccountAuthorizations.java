package dev.keyline.platform.account;

import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.oauth.KindGrants;
import dev.keyline.platform.oauth.OAuthValues;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@link Authorization} of a linked account authorized by an OAuth or service-account kind, from its stored
 * entries.
 */
@ApplicationScoped
public class AccountAuthorizations {

    /** The authorization the account's connectors use. */
    public Authorization forAccount(
            String tenantId, String accountId, ConnectorDescriptor descriptor, java.util.Map<String, String> stored) {
        var kind = KindGrants.kindOf(descriptor, stored);
        return OAuthValues.tokens(stored)
                .map(t -> Authorization.fixed(kind.type(), t.header()))
                .orElseThrow(() -> new ConnectorException(
                        ErrorCode.INVALID_CREDENTIALS, "The account has no token; link it again."));
    }
}
