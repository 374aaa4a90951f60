/**
 * A scriptable SCIM 2.0 upstream that behaves like 1Password's SCIM endpoints, for tests, demos and
 * benchmarks.
 *
 * <p>{@link dev.keyline.scimdouble.ScimUpstream} is the server;
 * {@link dev.keyline.scimdouble.ScimDirectory} its seeded, mutable directory;
 * {@link dev.keyline.scimdouble.Quirk} the switchable departures from textbook SCIM;
 * {@link dev.keyline.scimdouble.Fault} scripted misbehaviour;
 * {@link dev.keyline.scimdouble.Mode} what the server is as a whole; and
 * {@link dev.keyline.scimdouble.RequestLog} what it received.
 */
package dev.keyline.scimdouble;
