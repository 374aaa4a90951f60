package dev.keyline.platform.session;

import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.connector.ConnectorView;
import dev.keyline.platform.connector.MessageCatalog;
import dev.keyline.platform.session.SessionDtos.ExistingAccount;
import dev.keyline.platform.session.SessionDtos.RelinkView;
import dev.keyline.platform.session.SessionDtos.SessionView;
import dev.keyline.platform.tenant.Brand;
import dev.keyline.platform.tenant.TenantDtos.TenantView;
import dev.keyline.platform.tenant.TenantService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/** The connect page's view of its session: the connectors it offers, the owner's accounts, brand and language. */
@ApplicationScoped
class SessionViews {
    @Inject
    ConnectSessionService sessions;

    @Inject
    SessionAccounts sessionAccounts;

    @Inject
    AccountLookup accounts;

    @Inject
    ConnectorRegistry registry;

    @Inject
    MessageCatalog catalog;

    @Inject
    TenantService tenants;

    /** What the connect UI shows for this session; {@code askedLocale} is the page's guess when the session has none. */
    SessionView describe(String token, String askedLocale) {
        ConnectSession session = sessions.usable(token);
        List<String> providers = session.providerList();
        List<ConnectorView> connectors = registry.descriptors().stream()
                .filter(d -> providers.isEmpty() || providers.contains(d.id()))
                .map(ConnectorView::of)
                .toList();
        RelinkView relink = null;
        List<ExistingAccount> existing = List.of();
        if (session.accountId != null) {
            LinkedAccount account = QuarkusTransaction.requiringNew()
                    .call(() -> accounts.requireUsable(session.tenantId, session.accountId));
            relink = new RelinkView(account.id, account.provider, accounts.nonSecretValues(session.tenantId, account));
        } else {
            existing = sessionAccounts.existing(session).stream()
                    .map(a -> new ExistingAccount(
                            a.id, a.provider, a.status, accounts.nonSecretValues(session.tenantId, a)))
                    .toList();
        }
        String locale = session.locale != null
                ? session.locale
                : MessageCatalog.supported(askedLocale).orElse(null);
        Map<String, String> messages = locale == null
                ? Map.of()
                : catalog.messages(
                        locale, connectors.stream().map(ConnectorView::id).toList());
        TenantView tenant = tenants.get(session.tenantId);
        Brand brand = Brand.effective(SessionBrand.fromMap(session.brand), tenant.brand());
        String tenantName = tenant.name();
        return new SessionView(
                tenantName,
                session.originOwnerName,
                session.expiresAt,
                connectors,
                relink,
                providers,
                brand,
                locale,
                messages,
                session.hosted,
                session.returnUrl,
                session.newAccount,
                existing);
    }
}
