package dev.keyline.platform.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Starts the Vault double before Quarkus and points the service at it with the Vault credential store. Tests
 * get the running double in a field annotated {@link InjectVault}.
 */
public class VaultDoubleResource implements QuarkusTestResourceLifecycleManager {
    public static final String TOKEN = "hvs.quarkus-test-token";

    private VaultKv2Double vault;

    @Override
    public Map<String, String> start() {
        vault = VaultKv2Double.start("secret", TOKEN);
        return Map.of(
                "keyline.credentials.store", "vault",
                "quarkus.vault.url", vault.url(),
                "quarkus.vault.authentication.client-token", TOKEN,
                "quarkus.vault.read-timeout", "2S",
                "quarkus.vault.connect-timeout", "2S");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(
                vault, new TestInjector.AnnotatedAndMatchesType(InjectVault.class, VaultKv2Double.class));
    }

    @Override
    public void stop() {
        if (vault != null) {
            vault.close();
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectVault {}
}
