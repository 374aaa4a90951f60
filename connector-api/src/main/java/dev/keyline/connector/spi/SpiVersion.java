package dev.keyline.connector.spi;

/**
 * The version of this SPI, and the manifest attribute through which a plugin jar says which version it was built
 * against. The platform refuses a plugin whose version it does not support, naming the jar, before any of its code
 * runs; it never finds out through a {@link NoSuchMethodError} in the middle of a request.
 *
 * <p>A plugin declares its version in its jar's manifest: {@code Keyline-Connector-SPI: 2}. The connector template's
 * build writes it. A jar without the attribute was built before SPI 2 and is taken to be SPI 1.
 *
 * <p>Versions, and what changed:
 *
 * <ul>
 *   <li>1: the first SPI (positional constructors, {@code ConnectorFactory.id()} implemented by each plugin, the JDK
 *       HTTP transport inside the API).
 *   <li>2: builders for descriptors, fields, auth kinds and queries; {@code id()} taken from the descriptor; stable
 *       message codes on {@link ConnectorException}; the JDK transport moved to the conformance kit. Every SPI 1 type
 *       and method a plugin could call is still here, so SPI 1 plugins load unchanged.
 *   <li>3: the access-review model: {@code User} gains privilege, MFA, last login, account type, manager,
 *       department and title, and its roles become {@code RoleRef}s; groups and group references carry a privilege
 *       mark; {@code Role}, {@code RoleDirectory} and {@link Capability#ROLES}. The SPI 1/2 constructors of
 *       {@code User}, {@code Group} and {@code GroupRef} stay, and role names handed to {@code User} become
 *       references, so SPI 1 and 2 plugins load and run unchanged.
 * </ul>
 */
public final class SpiVersion {
    /** The version this API is. */
    public static final int CURRENT = 3;

    /** The oldest version whose plugins still link against this API. */
    public static final int OLDEST_SUPPORTED = 1;

    /** The jar manifest attribute holding the version a plugin was built against. */
    public static final String MANIFEST_ATTRIBUTE = "Keyline-Connector-SPI";

    /** The version assumed for a jar that does not declare one: it predates the attribute. */
    public static final int UNDECLARED = 1;

    private SpiVersion() {}

    /** Whether plugins built against {@code version} can run on this API. */
    public static boolean supports(int version) {
        return version >= OLDEST_SUPPORTED && version <= CURRENT;
    }
}
