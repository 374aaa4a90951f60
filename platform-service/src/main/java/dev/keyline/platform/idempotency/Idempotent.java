package dev.keyline.platform.idempotency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that creates something as honouring {@code Idempotency-Key}: its first complete answer is
 * replayed to the same caller sending the same key (see {@link IdempotencyFilter}). Every marked operation is listed
 * in {@link IdempotencyDocs}, which documents the header.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {}
