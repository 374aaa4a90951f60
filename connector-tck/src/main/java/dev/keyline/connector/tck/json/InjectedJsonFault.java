package dev.keyline.connector.tck.json;

import static java.util.Objects.requireNonNull;

/** A fault as injected into one double: it counts the requests it watched and hit, and can be removed. */
public final class InjectedJsonFault {
    private final JsonFault fault;
    private final Runnable removal;
    private int watched;
    private int hits;

    InjectedJsonFault(JsonFault fault, Runnable removal) {
        this.fault = requireNonNull(fault, "fault is null");
        this.removal = requireNonNull(removal, "removal is null");
    }

    public JsonFault fault() {
        return fault;
    }

    /** How many requests matched its collections and pages so far. */
    public synchronized int watched() {
        return watched;
    }

    /** How many requests it actually disturbed so far. */
    public synchronized int hits() {
        return hits;
    }

    /** Stops the fault; requests already disturbed stay disturbed. */
    public void remove() {
        removal.run();
    }

    synchronized boolean count() {
        watched++;
        return fault.hits(watched);
    }

    synchronized void hit() {
        hits++;
    }

    @Override
    public String toString() {
        return fault + " (" + hits + " hits)";
    }
}
