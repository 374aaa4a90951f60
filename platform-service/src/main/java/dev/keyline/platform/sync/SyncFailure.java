package dev.keyline.platform.sync;

import dev.keyline.platform.base.FailureCode;

/** Why a run failed, with the stable code recorded on it. The message is shown to clients. */
final class SyncFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    SyncFailure(FailureCode code, String message) {
        super(message, null, false, false);
        this.code = code.wire();
    }

    String code() {
        return code;
    }
}
