package dev.keyline.scimdouble;

import static java.util.Objects.requireNonNull;

/** A fault as injected into one upstream: it counts the requests it watched and hit, and can be removed. */
public final class InjectedFault {
    private final Fault fault;
    private final Runnable removal;
    private int watched;
    private int hits;

    InjectedFault(Fault fault, Runnable removal) {
        this.fault = requireNonNull(fault, "fault is null");
        this.removal = requireNonNull(removal, "removal is null");
    }

    public Fault fault() {
        return fault;
    }

    /** How many requests matched its endpoints and pages so far. */
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

    /** Counts a watched request and says whether this fault hits it. */
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
