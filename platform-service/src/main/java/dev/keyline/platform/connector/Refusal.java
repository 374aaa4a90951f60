package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Why a connector was not loaded: a stable code for tooling and one sentence for a person. The sentence names classes
 * and methods of the plugin, never a host path (the jar's path travels beside it, for operators only).
 */
record Refusal(Code code, String reason) {

    /** The stable reasons, shown in lower case ({@code spi_version_unsupported}). */
    enum Code {
        SPI_VERSION_UNSUPPORTED,
        SPI_METHOD_MISSING,
        CLASS_MISSING,
        ABSTRACT_METHOD,
        DUPLICATE_ID,
        FACTORY_FAILED,
        NO_FACTORY,
        INVALID_DESCRIPTOR;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Refusal {
        requireNonNull(code, "code is null");
        requireNonNull(reason, "reason is null");
    }
}
