package dev.keyline.platform.people;

import java.time.Instant;

/** One linked account of an origin owner as the people view uses it; {@code syncedAt} is its last good sync. */
record OwnerAccount(String id, String provider, String status, Instant syncedAt) {}
