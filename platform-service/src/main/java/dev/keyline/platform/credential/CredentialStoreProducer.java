package dev.keyline.platform.credential;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.observe.KeylineMetrics;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vault.client.VaultClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Builds the one {@link CredentialStore} that {@code keyline.credentials.store} selects, at runtime, so the same
 * build runs standalone (local) and in production (Vault). Test doubles annotated {@code @Mock} or enabled
 * {@code @Alternative}s take precedence over the produced bean.
 */
@ApplicationScoped
public class CredentialStoreProducer {
    private static final Logger LOG = Logger.getLogger(CredentialStoreProducer.class);

    private final CredentialsConfig config;
    private final Instance<AgroalDataSource> dataSource;
    private final Instance<VaultClient> vaultClient;
    private volatile CredentialStore configured;

    CredentialStoreProducer(
            CredentialsConfig config, Instance<AgroalDataSource> dataSource, Instance<VaultClient> vaultClient) {
        this.config = requireNonNull(config, "config is null");
        this.dataSource = dataSource;
        this.vaultClient = vaultClient;
    }

    @Produces
    @ApplicationScoped
    CredentialStore credentialStore(KeylineMetrics metrics, OpenTelemetry openTelemetry) {
        return new TimedCredentialStore(configured(), metrics, openTelemetry.getTracer("dev.keyline.platform"));
    }

    /** The configured store itself, bypassing any test double that replaced the {@link CredentialStore} bean. */
    public synchronized CredentialStore configured() {
        if (configured == null) {
            configured = create(System::getenv);
        }
        return configured;
    }

    /**
     * Opens the store at start-up, so a missing or unprotected master key stops the service right away, and so does
     * a master key that is not the one the stored credentials were sealed with (see {@link MasterKeyCheck}).
     */
    void onStart(@Observes StartupEvent event) {
        CredentialStore store = configured();
        LOG.infof("Credential store: %s", store.kind());
        if (store instanceof LocalCredentialStore local) {
            CredentialsConfig.Local settings = config.local();
            String source = System.getenv(settings.masterKeyEnv()) != null
                            && !System.getenv(settings.masterKeyEnv()).isBlank()
                    ? "environment variable " + settings.masterKeyEnv()
                    : settings.masterKeyFile().toAbsolutePath().toString();
            int reset = MasterKeyCheck.verify(dataSource.get(), local, settings.resetCredentials(), source);
            if (reset > 0) {
                LOG.warnf(
                        "--reset-credentials: %d stored credential(s) could not be opened with the master key and were"
                                + " destroyed; their accounts are in status 'error' (reauthorization_required).",
                        reset);
            }
        }
        // What a crash left without an account is destroyed by OrphanSweep, whose first run follows start-up.
    }

    CredentialStore create(UnaryOperator<String> environment) {
        return switch (config.store()) {
            case LOCAL -> {
                CredentialsConfig.Local local = config.local();
                byte[] key = MasterKey.load(
                        environment.apply(local.masterKeyEnv()), local.masterKeyEnv(), local.masterKeyFile());
                try {
                    yield new LocalCredentialStore(
                            dataSource.get(), Map.of(local.keyVersion(), key), local.keyVersion());
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            case VAULT -> {
                if (ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.vault.url", String.class)
                        .isEmpty()) {
                    throw new IllegalStateException(
                            "keyline.credentials.store=vault needs quarkus.vault.url (and a token or AppRole login).");
                }
                yield new VaultCredentialStore(
                        vaultClient.get(),
                        config.vault().mount(),
                        config.vault().pathPrefix());
            }
        };
    }
}
