/**
 * A scriptable SCIM 2.0 upstream that behaves like 1Password's SCIM endpoints, for tests, demos and
 * benchmarks.
 *
 * <p>{@link dev.keyline.connector.tck.upstream.ScimUpstream} is the server;
 * {@link dev.keyline.connector.tck.upstream.ScimDirectory} its seeded, mutable directory;
 * {@link dev.keyline.connector.tck.upstream.Quirk} the switchable departures from textbook SCIM;
 * {@link dev.keyline.connector.tck.upstream.Fault} scripted misbehaviour;
 * {@link dev.keyline.connector.tck.upstream.Mode} what the server is as a whole; and
 * {@link dev.keyline.connector.tck.upstream.RequestLog} what it received.
 */
package dev.keyline.connector.tck.upstream;
