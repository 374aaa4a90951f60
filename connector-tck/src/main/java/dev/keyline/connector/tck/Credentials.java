package dev.keyline.connector.tck;

/**
 * Which credentials a conformance test's {@code configFor} puts in the configuration; the
 * {@link UpstreamDouble} must answer each as the real API would.
 */
public enum Credentials {
    /** Accepted: the double serves the directory. */
    VALID,
    /** Unknown to the provider: the double answers 401 (or what the API answers for a bad credential). */
    WRONG,
    /** Known but without the rights the connector needs: the double answers 403. */
    FORBIDDEN
}
