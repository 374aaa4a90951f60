package dev.keyline.platform.idempotency;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.db.NativeSql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Keys in PostgreSQL ({@code idempotency_key}), answers in the credential store's {@link Namespace#IDEMPOTENCY}
 * namespace.
 *
 * <p>Why the credential store: an answer may hold a secret shown once (createWebhook's signing secret,
 * createConnectSession's token, issueApiKey's key), which must never be in PostgreSQL in clear. Encrypting here
 * under a key derived from the local master key would not do, as in Vault mode there is no local master key; the
 * credential store is the one place that keeps secrets safely in every mode (AES-256-GCM under per-tenant keys
 * locally, Vault otherwise), bound to the caller's tenant, and deleting a tenant destroys its kept answers with
 * its other secrets. It costs one store write per keyed create, which already writes a secret there.
 */
@ApplicationScoped
public class IdempotencyStore {
    /** The credential store's tenant for answers given to operators, who act for no tenant. */
    static final String OPERATORS = "_operators";

    private static final int BATCH = 500;
    private static final int ATTEMPTS = 3;

    private final NativeSql sql;
    private final CredentialStore secrets;
    private final IdempotencyConfig config;

    IdempotencyStore(NativeSql sql, CredentialStore secrets, IdempotencyConfig config) {
        this.sql = requireNonNull(sql, "sql is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.config = requireNonNull(config, "config is null");
    }

    /** Who sent a key: keys of different callers never meet. {@code owner} is the credential store's tenant. */
    record Caller(String key, String owner) {}

    /** A key this request holds until it completes or releases it. */
    record Claim(Caller caller, String keyDigest, String id) {}

    /** What is replayed: the first answer, byte for byte. */
    record Answer(int status, String contentType, String location, byte[] body) {}

    sealed interface Outcome {}

    /** The key was free: run the request. */
    record Claimed(Claim claim) implements Outcome {}

    /** The key's first request completed: answer this. */
    record Replay(Answer answer) implements Outcome {}

    /** The key's first request is still running. */
    record InUse() implements Outcome {}

    /** The key was first sent with a different request. */
    record Reused() implements Outcome {}

    /** Decides what a request with this key does: the unique key on (caller, key) settles races between replicas. */
    Outcome claim(Caller caller, String key, String requestDigest, Instant now) {
        String keyDigest = IdempotencyKeys.digest(key);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String id = UUID.randomUUID().toString();
            int inserted = sql.update(
                    "insert into idempotency_key (caller, key_digest, id, owner, request_digest, state, locked_until,"
                            + " expires_at) values (?, ?, ?, ?, ?, 'running', ?, ?)"
                            + " on conflict (caller, key_digest) do nothing",
                    caller.key(),
                    keyDigest,
                    id,
                    caller.owner(),
                    requestDigest,
                    now.plus(config.lockTimeout()),
                    now.plus(config.ttl()));
            if (inserted == 1) {
                return new Claimed(new Claim(caller, keyDigest, id));
            }
            Optional<Object[]> row = sql.row(
                    "select id, request_digest, state, locked_until, expires_at from idempotency_key"
                            + " where caller = ? and key_digest = ?",
                    caller.key(),
                    keyDigest);
            if (row.isEmpty()) {
                continue;
            }
            String existing = NativeSql.string(row.get()[0]);
            boolean done = "done".equals(NativeSql.string(row.get()[2]));
            boolean expired = !NativeSql.instant(row.get()[4]).isAfter(now);
            boolean abandoned = !done && !NativeSql.instant(row.get()[3]).isAfter(now);
            if (expired || abandoned) {
                forget(caller.owner(), existing);
                continue;
            }
            if (!requestDigest.equals(NativeSql.string(row.get()[1]).strip())) {
                return new Reused();
            }
            if (!done) {
                return new InUse();
            }
            Optional<Answer> answer =
                    secrets.get(Namespace.IDEMPOTENCY, caller.owner(), existing).map(IdempotencyStore::answer);
            if (answer.isPresent()) {
                return new Replay(answer.get());
            }
            // The kept answer is gone (its tenant's secrets were destroyed): the key starts over.
            forget(caller.owner(), existing);
        }
        // Three rounds lost to concurrent takeovers of one key: report it busy rather than loop.
        return new InUse();
    }

    /** Keeps the claim's answer for replay. */
    void complete(Claim claim, Answer answer) {
        Map<String, String> values = new HashMap<>();
        values.put("status", Integer.toString(answer.status()));
        values.put("body", Base64.getEncoder().encodeToString(answer.body()));
        if (answer.contentType() != null) {
            values.put("content_type", answer.contentType());
        }
        if (answer.location() != null) {
            values.put("location", answer.location());
        }
        secrets.put(Namespace.IDEMPOTENCY, claim.caller().owner(), claim.id(), values);
        int updated = sql.update(
                "update idempotency_key set state = 'done', status = ? where caller = ? and key_digest = ? and id = ?",
                answer.status(),
                claim.caller().key(),
                claim.keyDigest(),
                claim.id());
        if (updated == 0) {
            // The claim was taken over (this request outlived the lock timeout): its answer is not the key's.
            secrets.delete(Namespace.IDEMPOTENCY, claim.caller().owner(), claim.id());
        }
    }

    /** Gives the key back without an answer, so the client may retry it (after a 5xx). */
    void release(Claim claim) {
        sql.update(
                "delete from idempotency_key where caller = ? and key_digest = ? and id = ?",
                claim.caller().key(),
                claim.keyDigest(),
                claim.id());
    }

    /** Deletes keys expired before {@code now} and their kept answers; how many. */
    public int purge(Instant now) {
        int total = 0;
        List<Object[]> rows;
        do {
            rows = sql.rows(
                    "select id, owner from idempotency_key where expires_at <= ? order by expires_at limit " + BATCH,
                    now);
            for (Object[] row : rows) {
                forget(NativeSql.string(row[1]), NativeSql.string(row[0]));
                total++;
            }
        } while (rows.size() == BATCH);
        return total;
    }

    /**
     * The answer first, then the row: a failure in between leaves a row the purge finds again, never an orphan. Also
     * for a row still running, whose request may have stored its answer just before it stopped.
     */
    private void forget(String owner, String id) {
        secrets.delete(Namespace.IDEMPOTENCY, owner, id);
        sql.update("delete from idempotency_key where id = ?", id);
    }

    private static Answer answer(Map<String, String> values) {
        return new Answer(
                Integer.parseInt(values.get("status")),
                values.get("content_type"),
                values.get("location"),
                Base64.getDecoder().decode(values.getOrDefault("body", "")));
    }
}
