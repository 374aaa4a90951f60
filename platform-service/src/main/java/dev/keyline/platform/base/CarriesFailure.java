package dev.keyline.platform.base;

/**
 * An exception of a component's own (it keeps its own message and fields for logs and callers) that also says how
 * it reads to a client. The problem mapper answers with {@link #failure()}, so it needs to know no component.
 */
public interface CarriesFailure {
    /** The failure a client is shown; never holds the exception's own message when that is for operators. */
    KeylineException failure();
}
