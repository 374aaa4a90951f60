package dev.keyline.platform.account;

import static dev.keyline.platform.account.AccountCalls.tx;
import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.platform.account.AccountDtos.AccountPage;
import dev.keyline.platform.account.AccountDtos.AccountView;
import dev.keyline.platform.api.KeysetCursor;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.cache.RecentlyRead;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.credential.CredentialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reading a tenant's accounts: one by id (404 for another tenant's id, 409 once unlinked), a page of them, and
 * this replica's memory of recently read rows and of accounts' providers.
 */
@ApplicationScoped
public class AccountLookup {
    private static final int MAX_RECENT_ACCOUNTS = 10_000;
    static final int MAX_PAGE_SIZE = 200;
    static final int DEFAULT_PAGE_SIZE = 50;
    static final List<String> STATUSES = List.of(LinkedAccount.ACTIVE, LinkedAccount.ERROR, LinkedAccount.UNLINKED);

    private record AccountKey(String tenantId, String accountId) {}

    private final LinkedAccountRepository accounts;
    private final CredentialStore credentials;
    private final ConnectorRegistry registry;

    /**
     * Usable accounts' rows as read a moment ago, for the read paths ({@link #requireRecentlyUsable}). Dropped
     * ({@link #forget}) whenever this replica commits a change to the row, so it never reads an account older than
     * its own last write; keyed by tenant, so another tenant's id is never answered from here.
     */
    private final RecentlyRead<AccountKey, LinkedAccount> recent;

    /**
     * Accounts' providers. An account never changes provider (re-linking another provider makes another account),
     * so these never go stale: a repeated check needs nothing from the row before it asks the provider, and the
     * row is judged under its lock when the outcome is written. Keyed by tenant like everything else.
     */
    private final Map<AccountKey, String> providers = new ConcurrentHashMap<>();

    AccountLookup(
            AccountsConfig config,
            LinkedAccountRepository accounts,
            CredentialStore credentials,
            ConnectorRegistry registry) {
        this.accounts = accounts;
        this.credentials = credentials;
        this.registry = registry;
        this.recent = new RecentlyRead<>(config.readCacheTtl().toNanos(), MAX_RECENT_ACCOUNTS);
    }

    /** The tenant's account, or a 404 problem (also for another tenant's id: ids cannot be probed). */
    public LinkedAccount require(String tenantId, String accountId) {
        requireNonNull(tenantId, "tenantId is null");
        return accounts.findForTenant(tenantId, accountId == null ? "" : accountId)
                .orElseThrow(() -> KeylineException.notFound("Account " + accountId));
    }

    /** As {@link #require}, and a 409 problem {@code account_not_active} when it was unlinked. */
    public LinkedAccount requireUsable(String tenantId, String accountId) {
        LinkedAccount account = require(tenantId, accountId);
        if (LinkedAccount.UNLINKED.equals(account.status)) {
            throw KeylineException.conflict(
                    FailureCode.ACCOUNT_NOT_ACTIVE, "This account was unlinked. Link it again to use it.");
        }
        return account;
    }

    /**
     * As {@link #requireUsable}, from a row read less than {@link AccountsConfig#readCacheTtl()} ago when there is
     * one: for reads, which trust it. The account is shared between requests and must not be changed.
     */
    public LinkedAccount requireRecentlyUsable(String tenantId, String accountId) {
        requireNonNull(tenantId, "tenantId is null");
        if (accountId == null) {
            return requireUsable(tenantId, null);
        }
        // A transaction of its own, so the row kept is detached: no caller's transaction can flush changes to it.
        return recent.get(
                new AccountKey(tenantId, accountId),
                () -> QuarkusTransaction.requiringNew().call(() -> requireUsable(tenantId, accountId)));
    }

    public AccountView get(String tenantId, String accountId) {
        return tx(() -> AccountView.of(require(tenantId, accountId)));
    }

    public AccountPage list(
            String tenantId, String originOwnerId, String provider, String status, String pageSize, String cursor) {
        int size = Params.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        String state = Params.oneOf("status", status, STATUSES);
        KeysetCursor after = KeysetCursor.decode(cursor);
        var filter = new LinkedAccountRepository.Filter(blankToNull(originOwnerId), blankToNull(provider), state);
        List<LinkedAccount> rows =
                tx(() -> accounts.page(tenantId, filter, KeysetCursor.atOf(after), KeysetCursor.idOf(after), size + 1));
        var page = KeysetCursor.slice(rows, size, a -> a.createdAt, a -> a.id);
        return new AccountPage(page.shown().stream().map(AccountView::of).toList(), page.next());
    }

    /** The stored values of the account's non-secret fields (such as its URL), for pre-filling a form. */
    public Map<String, String> nonSecretValues(String tenantId, LinkedAccount account) {
        Optional<ConnectorDescriptor> descriptor = registry.findDescriptor(account.provider);
        if (descriptor.isEmpty()) {
            return Map.of();
        }
        Set<String> shown = descriptor.get().fields().stream()
                .filter(f -> !f.secret())
                .map(CredentialField::key)
                .collect(Collectors.toSet());
        Map<String, String> values = new TreeMap<>();
        credentials.get(tenantId, account.id).orElse(Map.of()).forEach((k, v) -> {
            if (shown.contains(k)) {
                values.put(k, v);
            }
        });
        return values;
    }

    /** Drops this replica's recent read of the account: called once a change to its row is committed. */
    void forget(String tenantId, String accountId) {
        recent.forget(new AccountKey(tenantId, accountId));
    }

    /** Drops what this replica holds of an account another part of it changed (a tenant's deletion, say). */
    void onUnlinked(@Observes AccountUnlinked event) {
        forget(event.tenantId(), event.accountId());
    }

    /** The account's provider when this replica has seen it, else null. */
    String knownProvider(String tenantId, String accountId) {
        return providers.get(new AccountKey(tenantId, accountId));
    }

    void rememberProvider(String tenantId, String accountId, String provider) {
        if (providers.size() >= MAX_RECENT_ACCOUNTS) {
            // Bounded like the row cache; refilled one read per account.
            providers.clear();
        }
        providers.put(new AccountKey(tenantId, accountId), provider);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
