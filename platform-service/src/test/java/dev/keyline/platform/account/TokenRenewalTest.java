package dev.keyline.platform.account;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.connector.spi.AuthKind.ClientAuthentication;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.connector.TokenFailureDiagnoses;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.db.NativeSql;
import dev.keyline.platform.oauth.KindGrants;
import dev.keyline.platform.oauth.OAuthClient;
import dev.keyline.platform.oauth.OAuthConfig;
import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.oauth.Pkce;
import dev.keyline.platform.oauth.TokenClient;
import dev.keyline.platform.oauth.TokenSet;
import dev.keyline.platform.observe.KeylineMetrics;
import dev.keyline.platform.observe.OperatorLog;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.LogCapture;
import dev.keyline.platform.support.OAuthServerDouble;
import dev.keyline.platform.support.OAuthTestConnectorFactory;
import dev.keyline.platform.support.TestApi;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A linked account's token life against an OAuth server double: renewal before expiry and after a 401, refresh-token
 * rotation, one renewal across two replicas, and a renewal refused for good.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class TokenRenewalTest {
    private static final String REFRESH = "refresh_token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ConnectorDescriptor DESCRIPTOR = new OAuthTestConnectorFactory().descriptor();
    private static OAuthServerDouble idp;

    @Inject
    AccountAuthorizations authorizations;

    @Inject
    InMemoryCredentialStore store;

    @Inject
    KindGrants grants;

    @Inject
    TokenFailureDiagnoses diagnoses;

    @Inject
    TokenClient tokenClient;

    @Inject
    NativeSql sql;

    @Inject
    OAuthConfig config;

    @Inject
    AccountStatusTransitions transitions;

    @Inject
    RecordedAccountEvents events;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void start() {
        idp = new OAuthServerDouble();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @AfterEach
    void resetDouble() {
        idp.accessTokenSeconds = 3600;
        idp.revoked = false;
        idp.tokenDelayMillis = 0;
    }

    @Test
    void aTokenExpiringWithinTheSkewIsRenewedBeforeTheNextRequest() {
        idp.accessTokenSeconds = 30; // within the 60 s skew
        Account account = consented("org-skew");
        idp.accessTokenSeconds = 3600;
        int before = idp.grants(REFRESH);
        Authorization authorization = account.authorization(authorizations);

        String header = authorization.header();

        assertThat(idp.grants(REFRESH) - before).isEqualTo(1);
        assertThat(header).isNotEqualTo(account.firstHeader());
        assertThat(call(authorization)).isEqualTo(200);
        assertThat(authorization.header()).isEqualTo(header);
        assertThat(idp.grants(REFRESH) - before).isEqualTo(1);
    }

    @Test
    void aRejectedTokenIsRenewedOnceAndARequestWithTheSameRejectedHeaderUsesTheRenewedOne() {
        Account account = consented("org-401");
        Authorization authorization = account.authorization(authorizations);
        assertThat(call(authorization)).isEqualTo(200);
        int before = idp.grants(REFRESH);
        idp.expireAccessTokens();

        assertThat(call(authorization)).isEqualTo(200);
        assertThat(idp.grants(REFRESH) - before).isEqualTo(1);

        // A second request that went out with the same token before the renewal was rejected too.
        String again = authorization.refreshAfterRejection(account.firstHeader());
        assertThat(again).isNotEqualTo(account.firstHeader()).isEqualTo(authorization.header());
        assertThat(idp.grants(REFRESH) - before).isEqualTo(1);
    }

    @Test
    void rotatedRefreshTokensAreStoredBeforeTheirAccessTokenIsUsedAndEachIsUsedOnce() {
        Account account = consented("org-rotate");
        List<Write> writes = new CopyOnWriteArrayList<>();
        CredentialStore recording = new RecordingStore(store, writes);
        AccountAuthorizations replica = replica(recording);
        Authorization authorization = account.authorization(replica);
        int firstRequest = idp.tokenRequests().size();

        for (int i = 0; i < 2; i++) {
            idp.expireAccessTokens();
            assertThat(call(authorization)).isEqualTo(200);
        }

        List<String> used = idp
                .tokenRequests()
                .subList(firstRequest, idp.tokenRequests().size())
                .stream()
                .filter(r -> REFRESH.equals(r.get("grant_type")))
                .map(r -> r.get("refresh_token"))
                .toList();
        Map<String, String> stored = store.get(account.tenantId(), account.id()).orElseThrow();
        assertThat(used).hasSize(2).doesNotHaveDuplicates().startsWith(account.firstRefreshToken());
        assertThat(stored.get(OAuthValues.REFRESH_TOKEN)).isNotIn(used).isIn(idp.liveRefreshTokens());
        assertThat(stored).containsEntry(OAuthValues.GENERATION, "3");
        assertThat(writes).hasSize(2);
        for (Write write : writes) {
            int firstUse = idp.protectedCalls().indexOf("Bearer " + write.accessToken());
            assertThat(firstUse).as("the renewed token was used").isGreaterThanOrEqualTo(0);
            assertThat(firstUse)
                    .as("stored before the protected API saw it")
                    .isGreaterThanOrEqualTo(write.protectedCallsBefore());
        }
    }

    @Test
    void twoReplicasRenewingTheSameExpiredAccountAtOnceAskTheTokenEndpointOnce() throws Exception {
        idp.accessTokenSeconds = 30;
        Account account = consented("org-race");
        idp.accessTokenSeconds = 3600;
        idp.tokenDelayMillis = 300; // widens the race
        List<Authorization> replicas =
                List.of(account.authorization(replica(store)), account.authorization(replica(store)));
        int before = idp.grants(REFRESH);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> headers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Authorization authorization = replicas.get(i % 2);
                headers.add(pool.submit(() -> {
                    go.await();
                    return authorization.header();
                }));
            }
            go.countDown();
            Set<String> seen = new java.util.HashSet<>();
            for (Future<String> header : headers) {
                seen.add(header.get());
            }
            assertThat(idp.grants(REFRESH) - before).isEqualTo(1);
            assertThat(seen).hasSize(1).doesNotContain(account.firstHeader());
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.get(account.tenantId(), account.id()).orElseThrow())
                .containsEntry(OAuthValues.GENERATION, "2");
    }

    @Test
    void aRefusedRenewalPutsTheAccountInReauthorizationRequiredOnce() {
        idp.accessTokenSeconds = 30;
        Account account = consented("org-revoked");
        idp.accessTokenSeconds = 3600;
        idp.revoked = true;
        List<Authorization> requests = List.of(
                account.authorization(authorizations),
                account.authorization(authorizations),
                account.authorization(replica(store)));
        int before = idp.grants(REFRESH);

        try (LogCapture operator = LogCapture.install(OperatorLog.class.getName())) {
            for (Authorization authorization : requests) {
                assertThatThrownBy(authorization::header).isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
                    assertThat(e.messageCode()).isEqualTo("auth.reauthorization_required");
                    assertThat(e.getMessage()).contains("invalid_grant").doesNotContain(account.firstRefreshToken());
                });
            }
            // The operator sees each refused renewal (one per replica that asked), by code, never the token.
            assertThat(operator.lines())
                    .filteredOn(line -> line.contains("token refresh failed"))
                    .hasSize(2)
                    .allSatisfy(line -> assertThat(line)
                            .contains("invalid_credentials", "account=" + account.id())
                            .doesNotContain(account.firstRefreshToken()));
        }

        // One request per replica reached the provider: the replica that failed remembers it.
        assertThat(idp.grants(REFRESH) - before).isEqualTo(2);
        assertThat(events.statusChanges(account.id())).singleElement().satisfies(e -> {
            assertThat(e.to()).isEqualTo("error");
            assertThat(e.code()).isEqualTo("reauthorization_required");
            assertThat(e.message()).doesNotContain(account.firstRefreshToken()).doesNotContain("Bearer");
        });
        as(account.tenant().apiKey())
                .get("/accounts/" + account.id())
                .then()
                .body("status", equalTo("error"))
                .body("status_reason.code", equalTo("reauthorization_required"))
                .body("status_reason.message", containsString("/accounts/" + account.id() + "/reconnect-link"));

        // A check of the account keeps the code, and is no new transition.
        as(account.tenant().apiKey())
                .post("/accounts/" + account.id() + "/check")
                .then()
                .body("status_reason.code", equalTo("reauthorization_required"));
        assertThat(events.statusChanges(account.id())).hasSize(1);
    }

    @Test
    void aReconnectedAccountIsServedItsNewTokenWithoutAskingTheProviderAgain() {
        idp.accessTokenSeconds = 30;
        Account account = consented("org-reconnect");
        idp.accessTokenSeconds = 3600;
        idp.revoked = true;
        Authorization authorization = account.authorization(authorizations);
        assertThatThrownBy(authorization::header).isInstanceOf(ConnectorException.class);
        idp.revoked = false;

        // A reconnect stores a new consent's tokens (on this replica or another: no event needed).
        TokenSet fresh = consent(account.tenantId());
        store.put(
                account.tenantId(),
                account.id(),
                OAuthValues.withTokens(
                        new TreeMap<>(Map.of(
                                "base_url",
                                idp.baseUrl(),
                                OAuthValues.KIND,
                                "oauth2_authorization_code",
                                OAuthValues.APP,
                                "operator")),
                        fresh));
        int before = idp.grants(REFRESH);

        assertThat(authorization.header()).isEqualTo(fresh.header());
        assertThat(call(authorization)).isEqualTo(200);
        assertThat(idp.grants(REFRESH)).isEqualTo(before);
    }

    @Test
    void aRenewalThatWaitsTooLongForAnotherReplicasLockFailsForNowAndLeavesTheAccountAlone() throws Exception {
        idp.accessTokenSeconds = 30;
        Account account = consented("org-lock");
        idp.accessTokenSeconds = 3600;
        OAuthConfig quick = new OAuthConfig() {
            @Override
            public Map<String, App> apps() {
                return config.apps();
            }

            @Override
            public Duration refreshSkew() {
                return config.refreshSkew();
            }

            @Override
            public Duration tokenTimeout() {
                return Duration.ofMillis(300);
            }
        };
        AccountAuthorizations replica = new AccountAuthorizations(
                new TokenRenewals(sql, grants, store, quick, diagnoses, new KeylineMetrics(new SimpleMeterRegistry())),
                store,
                quick,
                transitions);
        int before = idp.grants(REFRESH);

        try (Connection other = dataSource.getConnection()) {
            // Another replica is renewing this account.
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, TokenRenewals.lockKey(account.tenantId(), account.id()));
                lock.execute();
            }
            assertThatThrownBy(() -> account.authorization(replica).header())
                    .isInstanceOfSatisfying(
                            ConnectorException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
            other.rollback();
        }

        assertThat(idp.grants(REFRESH)).isEqualTo(before);
        assertThat(events.statusChanges(account.id())).isEmpty();
        assertThat(call(account.authorization(replica))).isEqualTo(200);
        assertThat(idp.grants(REFRESH) - before).isEqualTo(1);
    }

    @Test
    void aClientCredentialsAccountIsRenewedWithANewGrant() {
        CreatedTenant tenant = newTenant();
        String id = as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id", "org-cc-renew",
                        "origin_owner_name", "Org",
                        "provider", OAuthTestConnectorFactory.ID,
                        "auth_kind", "oauth2_client_credentials",
                        "credentials",
                                Map.of(
                                        "base_url", idp.baseUrl(),
                                        "client_id", OAuthServerDouble.CLIENT_ID,
                                        "client_secret", OAuthServerDouble.CLIENT_SECRET)))
                .post("/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, String> stored = store.get(tenant.id(), id).orElseThrow();
        Authorization authorization = authorizations.forAccount(tenant.id(), id, DESCRIPTOR, stored);
        int refreshes = idp.grants(REFRESH);
        int grantsBefore = idp.grants("client_credentials");
        idp.expireAccessTokens();

        assertThat(call(authorization)).isEqualTo(200);

        assertThat(idp.grants("client_credentials") - grantsBefore).isEqualTo(1);
        assertThat(idp.grants(REFRESH)).isEqualTo(refreshes);
        assertThat(store.get(tenant.id(), id).orElseThrow().get(OAuthValues.ACCESS_TOKEN))
                .isNotEqualTo(stored.get(OAuthValues.ACCESS_TOKEN));
    }

    // --- fixtures -------------------------------------------------------------------------------------------

    /** A second replica: its own cache and single flight, sharing the database, the store and the provider. */
    private AccountAuthorizations replica(CredentialStore credentials) {
        return new AccountAuthorizations(
                new TokenRenewals(
                        sql, grants, credentials, config, diagnoses, new KeylineMetrics(new SimpleMeterRegistry())),
                credentials,
                config,
                transitions);
    }

    private record Account(
            CreatedTenant tenant, String id, Map<String, String> stored, String firstHeader, String firstRefreshToken) {
        String tenantId() {
            return tenant.id();
        }

        Authorization authorization(AccountAuthorizations from) {
            return from.forAccount(tenant.id(), id, DESCRIPTOR, stored);
        }
    }

    /**
     * An account linked with the authorization code kind: linked headlessly (client credentials) for its row, then
     * given the tokens of a consent at the double, as a connect session would store them.
     */
    private Account consented(String owner) {
        CreatedTenant tenant = newTenant();
        String id = TestApi.linkClientCredentials(tenant, owner, OAuthTestConnectorFactory.ID, idp);
        TokenSet tokens = consent(tenant.id());
        Map<String, String> base = new TreeMap<>(Map.of(
                "base_url", idp.baseUrl(), OAuthValues.KIND, "oauth2_authorization_code", OAuthValues.APP, "operator"));
        Map<String, String> stored = OAuthValues.withTokens(base, tokens);
        store.put(tenant.id(), id, stored);
        return new Account(tenant, id, stored, tokens.header(), tokens.refreshToken());
    }

    private TokenSet consent(String tenantId) {
        String verifier = Pkce.verifier();
        String redirect = "http://127.0.0.1/connect/oauth/callback";
        String location = send(HttpRequest.newBuilder(URI.create(idp.baseUrl() + "/authorize?response_type=code"
                                + "&client_id=" + OAuthServerDouble.CLIENT_ID + "&redirect_uri=" + redirect
                                + "&code_challenge=" + Pkce.challenge(verifier) + "&code_challenge_method=S256"
                                + "&state=s1"))
                        .build())
                .headers()
                .firstValue("Location")
                .orElseThrow();
        String code = java.net.URLDecoder.decode(
                location.replaceAll(".*[?&]code=([^&]*).*", "$1"), java.nio.charset.StandardCharsets.UTF_8);
        TokenSet tokens = tokenClient.authorizationCode(
                tenantId,
                idp.baseUrl() + "/token",
                OAuthClient.withSecret(
                        OAuthServerDouble.CLIENT_ID,
                        OAuthServerDouble.CLIENT_SECRET,
                        ClientAuthentication.CLIENT_SECRET_BASIC),
                code,
                redirect,
                verifier,
                Map.of());
        assertThat(tokens.refreshToken()).isNotNull();
        return tokens;
    }

    /** What a connector does: one request with the header, retried once with a renewed one after a 401. */
    private static int call(Authorization authorization) {
        String sent = authorization.header();
        int status = get(sent);
        if (status == 401) {
            status = get(authorization.refreshAfterRejection(sent));
        }
        return status;
    }

    private static int get(String header) {
        return send(HttpRequest.newBuilder(URI.create(idp.baseUrl() + "/api/me"))
                        .header("Authorization", header)
                        .build())
                .statusCode();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Write(String accessToken, int protectedCallsBefore) {}

    /** The store, recording each write's access token and how many protected calls had been made before it. */
    private static final class RecordingStore implements CredentialStore {
        private final CredentialStore delegate;
        private final List<Write> writes;

        RecordingStore(CredentialStore delegate, List<Write> writes) {
            this.delegate = delegate;
            this.writes = writes;
        }

        @Override
        public void put(Namespace namespace, String tenantId, String id, Map<String, String> values) {
            int before = idp.protectedCalls().size();
            delegate.put(namespace, tenantId, id, values);
            writes.add(new Write(values.get(OAuthValues.ACCESS_TOKEN), before));
        }

        @Override
        public String kind() {
            return delegate.kind();
        }

        @Override
        public Optional<Map<String, String>> get(Namespace namespace, String tenantId, String id) {
            return delegate.get(namespace, tenantId, id);
        }

        @Override
        public void delete(Namespace namespace, String tenantId, String id) {
            delegate.delete(namespace, tenantId, id);
        }

        @Override
        public List<EntryKey> listEntries(Namespace namespace, EntryKey after, int limit) {
            return delegate.listEntries(namespace, after, limit);
        }

        @Override
        public Optional<Instant> writtenAt(Namespace namespace, String tenantId, String id) {
            return delegate.writtenAt(namespace, tenantId, id);
        }

        @Override
        public void deleteTenant(String tenantId) {
            delegate.deleteTenant(tenantId);
        }

        @Override
        public void ping() {
            delegate.ping();
        }
    }
}
