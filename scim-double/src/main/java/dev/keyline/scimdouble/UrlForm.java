package dev.keyline.scimdouble;

/** The two ways 1Password exposes SCIM. An upstream serves both unless told otherwise. */
public enum UrlForm {
    /** 1Password-hosted provisioning: everything under {@code /scim/v2}. */
    HOSTED,
    /**
     * A self-hosted SCIM bridge: {@code /Users} with {@code /scim/Users} as an alias, plus {@code /ping} and
     * {@code /health}.
     */
    BRIDGE
}
