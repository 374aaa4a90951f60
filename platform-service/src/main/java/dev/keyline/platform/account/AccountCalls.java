package dev.keyline.platform.account;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** The two ways the account services run work: in the caller's transaction, and joined from another thread. */
final class AccountCalls {
    private AccountCalls() {}

    static <T> T tx(Supplier<T> work) {
        return QuarkusTransaction.joiningExisting().call(work::get);
    }

    /** The future's value; a runtime failure on the other thread is rethrown as it was thrown there. */
    static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
