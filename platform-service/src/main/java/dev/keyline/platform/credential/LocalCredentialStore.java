package dev.keyline.platform.credential;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.credential.CredentialStoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * Standalone credential store: AES-256-GCM ciphertexts in PostgreSQL ({@code credential_secret}), under a key
 * derived per tenant (HKDF-SHA256) from a master key kept outside the database.
 *
 * <p>Stored value: {@code key version (1 byte) | nonce (12 bytes) | ciphertext and tag}. Tenant, id and (outside
 * {@link Namespace#ACCOUNTS}, whose rows predate namespaces) the namespace are associated data, so a value copied
 * to another row, tenant or namespace fails authentication instead of decrypting. Plain JDBC on the
 * application's datasource, so a write joins the caller's transaction.
 */
// Plain JDBC, not NativeSql: built on a bare DataSource by its producer and its tests, outside the ORM.
public final class LocalCredentialStore implements CredentialStore {
    /** Length in bytes of each master key the store is given. */
    public static final int KEY_LENGTH = MasterKey.LENGTH;

    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] HKDF_SALT = "keyline/credential-store/local".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FINGERPRINT_SALT =
            "keyline/credential-store/local/fingerprint".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> VALUES = new TypeReference<>() {};

    private final DataSource dataSource;
    private final Map<Integer, byte[]> masterKeys;
    private final int currentVersion;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param masterKeys master keys by version (1–255); {@code currentVersion} seals new values, the others only
     *     open what they sealed earlier
     */
    public LocalCredentialStore(DataSource dataSource, Map<Integer, byte[]> masterKeys, int currentVersion) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        requireNonNull(masterKeys, "masterKeys is null");
        if (currentVersion < 1 || currentVersion > 255) {
            throw new IllegalArgumentException("key version must be 1–255");
        }
        if (!masterKeys.containsKey(currentVersion)) {
            throw new IllegalArgumentException("no master key for the current key version " + currentVersion);
        }
        masterKeys.forEach((version, key) -> {
            if (version < 1 || version > 255 || key == null || key.length != MasterKey.LENGTH) {
                throw new IllegalArgumentException("master keys must be 32 bytes under versions 1–255");
            }
        });
        Map<Integer, byte[]> copy = new java.util.HashMap<>();
        masterKeys.forEach((version, key) -> copy.put(version, key.clone()));
        this.masterKeys = Map.copyOf(copy);
        this.currentVersion = currentVersion;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public void put(Namespace namespace, String tenantId, String accountId, Map<String, String> values) {
        requireNonNull(namespace, "namespace is null");
        CredentialIds.require(tenantId, "tenantId");
        CredentialIds.require(accountId, "accountId");
        requireNonNull(values, "values is null");
        byte[] sealed = seal(namespace, tenantId, accountId, values);
        execute("store credentials", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO credential_secret (namespace, tenant_id, account_id, key_version, sealed, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, now())"
                            + " ON CONFLICT (namespace, tenant_id, account_id) DO UPDATE"
                            + " SET key_version = excluded.key_version, sealed = excluded.sealed,"
                            + " updated_at = excluded.updated_at")) {
                statement.setString(1, namespace.segment());
                statement.setString(2, tenantId);
                statement.setString(3, accountId);
                statement.setShort(4, (short) currentVersion);
                statement.setBytes(5, sealed);
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Map<String, String>> get(Namespace namespace, String tenantId, String accountId) {
        requireNonNull(namespace, "namespace is null");
        CredentialIds.require(tenantId, "tenantId");
        CredentialIds.require(accountId, "accountId");
        byte[] sealed = execute("read credentials", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT sealed FROM credential_secret WHERE namespace = ? AND tenant_id = ? AND account_id = ?")) {
                statement.setString(1, namespace.segment());
                statement.setString(2, tenantId);
                statement.setString(3, accountId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getBytes(1) : null;
                }
            }
        });
        return sealed == null ? Optional.empty() : Optional.of(open(namespace, tenantId, accountId, sealed));
    }

    @Override
    public void delete(Namespace namespace, String tenantId, String accountId) {
        requireNonNull(namespace, "namespace is null");
        CredentialIds.require(tenantId, "tenantId");
        CredentialIds.require(accountId, "accountId");
        execute("delete credentials", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM credential_secret WHERE namespace = ? AND tenant_id = ? AND account_id = ?")) {
                statement.setString(1, namespace.segment());
                statement.setString(2, tenantId);
                statement.setString(3, accountId);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public void deleteTenant(String tenantId) {
        CredentialIds.require(tenantId, "tenantId");
        execute("delete the tenant's credentials", connection -> {
            try (PreparedStatement statement =
                    connection.prepareStatement("DELETE FROM credential_secret WHERE tenant_id = ?")) {
                statement.setString(1, tenantId);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public List<EntryKey> listEntries(Namespace namespace, EntryKey after, int limit) {
        requireNonNull(namespace, "namespace is null");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        // Primary-key order (namespace first), so each page is an index range scan however large the table.
        return execute("list credentials", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    after == null
                            ? "SELECT tenant_id, account_id FROM credential_secret WHERE namespace = ?"
                                    + " ORDER BY tenant_id, account_id LIMIT ?"
                            : "SELECT tenant_id, account_id FROM credential_secret WHERE namespace = ?"
                                    + " AND (tenant_id, account_id) > (?, ?) ORDER BY tenant_id, account_id LIMIT ?")) {
                int next = 1;
                statement.setString(next++, namespace.segment());
                if (after != null) {
                    statement.setString(next++, after.tenantId());
                    statement.setString(next++, after.accountId());
                }
                statement.setInt(next, limit);
                List<EntryKey> keys = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        keys.add(new EntryKey(rows.getString(1), rows.getString(2)));
                    }
                }
                return keys;
            }
        });
    }

    @Override
    public Optional<Instant> writtenAt(Namespace namespace, String tenantId, String accountId) {
        requireNonNull(namespace, "namespace is null");
        CredentialIds.require(tenantId, "tenantId");
        CredentialIds.require(accountId, "accountId");
        Timestamp written = execute("read a credential's age", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT updated_at FROM credential_secret WHERE namespace = ? AND tenant_id = ? AND account_id = ?")) {
                statement.setString(1, namespace.segment());
                statement.setString(2, tenantId);
                statement.setString(3, accountId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getTimestamp(1) : null;
                }
            }
        });
        return Optional.ofNullable(written).map(Timestamp::toInstant);
    }

    @Override
    public void ping() {
        execute("reach the credential table", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                            "SELECT count(*) FROM (SELECT 1 FROM credential_secret LIMIT 1) t");
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                return null;
            }
        });
    }

    @Override
    public String toString() {
        return "LocalCredentialStore[keyVersion=" + currentVersion + "]";
    }

    byte[] seal(String tenantId, String accountId, Map<String, String> values) {
        return seal(Namespace.ACCOUNTS, tenantId, accountId, values);
    }

    byte[] seal(Namespace namespace, String tenantId, String accountId, Map<String, String> values) {
        byte[] plaintext;
        try {
            plaintext = JSON.writeValueAsBytes(values);
        } catch (IOException e) {
            throw new IllegalArgumentException("credential values cannot be serialized");
        }
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] key = tenantKey(currentVersion, tenantId);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(namespace, currentVersion, tenantId, accountId));
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_LENGTH + ciphertext.length)
                    .put((byte) currentVersion)
                    .put(nonce)
                    .put(ciphertext)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    Map<String, String> open(String tenantId, String accountId, byte[] sealed) {
        return open(Namespace.ACCOUNTS, tenantId, accountId, sealed);
    }

    Map<String, String> open(Namespace namespace, String tenantId, String accountId, byte[] sealed) {
        if (sealed.length < 1 + NONCE_LENGTH + TAG_BITS / 8) {
            throw unreadable(tenantId, accountId, "it is truncated");
        }
        int version = Byte.toUnsignedInt(sealed[0]);
        if (!masterKeys.containsKey(version)) {
            throw unreadable(
                    tenantId, accountId, "it was sealed under key version " + version + ", which is not loaded");
        }
        byte[] key = tenantKey(version, tenantId);
        byte[] plaintext = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_LENGTH));
            cipher.updateAAD(associatedData(namespace, version, tenantId, accountId));
            plaintext = cipher.doFinal(sealed, 1 + NONCE_LENGTH, sealed.length - 1 - NONCE_LENGTH);
            return Map.copyOf(JSON.readValue(plaintext, VALUES));
        } catch (AEADBadTagException e) {
            throw unreadable(
                    tenantId, accountId, "authentication failed (wrong master key, or copied from another account)");
        } catch (IOException e) {
            throw unreadable(tenantId, accountId, "its content is not a credential map");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    /** The version new values are sealed under. */
    int currentVersion() {
        return currentVersion;
    }

    /**
     * Identifies the current master key without revealing it: HKDF-SHA256 of the key with its own salt and info,
     * so it shares no derivation with the tenant keys.
     */
    String fingerprint() {
        byte[] derived = Hkdf.derive(
                FINGERPRINT_SALT,
                masterKeys.get(currentVersion),
                ("master-key-fingerprint:v" + currentVersion).getBytes(StandardCharsets.UTF_8),
                32);
        try {
            return java.util.HexFormat.of().formatHex(derived);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** Whether the entry of the namespace, if any, opens with the loaded keys. */
    boolean opens(Namespace namespace, EntryKey entry) {
        try {
            get(namespace, entry.tenantId(), entry.accountId());
            return true;
        } catch (CredentialStoreException e) {
            if (e.reason() == Reason.UNREADABLE) {
                return false;
            }
            throw e;
        }
    }

    private byte[] tenantKey(int version, String tenantId) {
        byte[] info = ("tenant:" + tenantId).getBytes(StandardCharsets.UTF_8);
        return Hkdf.derive(HKDF_SALT, masterKeys.get(version), info, 32);
    }

    private static byte[] associatedData(Namespace namespace, int version, String tenantId, String accountId) {
        // Length-prefixed, so ("ab", "c") and ("a", "bc") can never produce the same bytes. Account rows keep the
        // form they had before namespaces, so what is stored still opens; other namespaces append theirs.
        byte[] tenant = tenantId.getBytes(StandardCharsets.UTF_8);
        byte[] account = accountId.getBytes(StandardCharsets.UTF_8);
        byte[] space = namespace == Namespace.ACCOUNTS
                ? new byte[0]
                : namespace.segment().getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(
                        1 + 4 + tenant.length + 4 + account.length + (space.length == 0 ? 0 : 4 + space.length))
                .put((byte) version)
                .putInt(tenant.length)
                .put(tenant)
                .putInt(account.length)
                .put(account);
        if (space.length > 0) {
            data.putInt(space.length).put(space);
        }
        return data.array();
    }

    private static CredentialStoreException unreadable(String tenantId, String accountId, String why) {
        return new CredentialStoreException(
                Reason.UNREADABLE,
                "The local credential store cannot open the entry of tenant " + tenantId + ", account " + accountId
                        + ": " + why + ".");
    }

    private <T> T execute(String what, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            // SQLState only: driver messages can quote parameter values.
            throw new CredentialStoreException(
                    Reason.UNAVAILABLE,
                    "The local credential store could not " + what + " (SQLState " + e.getSQLState() + ").");
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
