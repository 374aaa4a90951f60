package dev.keyline.platform.authconfig;

/**
 * The redirect URI of the authorization code kind, {@code <connect base>/oauth/callback}: what a tenant registers at
 * the provider for its own app. The connect base is the session package's to know, which comes after this one, so it
 * implements this.
 */
public interface OAuthRedirect {

    /** The absolute redirect URI, as sent to the provider. */
    String uri();
}
