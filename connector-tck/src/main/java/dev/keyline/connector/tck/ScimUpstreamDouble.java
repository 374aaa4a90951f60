package dev.keyline.connector.tck;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.RecordedRequest;
import dev.keyline.scimdouble.ScimDirectory;
import dev.keyline.scimdouble.ScimEmail;
import dev.keyline.scimdouble.ScimGroup;
import dev.keyline.scimdouble.ScimRole;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SCIM double ({@link ScimUpstream}) as the kit drives it. It serves an {@link ExpectedDirectory} as SCIM
 * users and groups: {@code userName}, {@code name.givenName}/{@code familyName}, {@code displayName},
 * {@code active}, {@code emails} (a null type is served as {@code ""}), memberships and {@code meta} times, and
 * where a user has them its type's source value as {@code userType}, {@code title}, the enterprise extension's
 * {@code department} and {@code manager}, and {@code roles}.
 * The double keeps header names but never their values, so {@link #secrets()} lists every token it answers.
 */
public final class ScimUpstreamDouble implements UpstreamDouble {
    private final ScimUpstream upstream;
    private final String wrongToken;

    private ScimUpstreamDouble(ScimUpstream upstream) {
        this.upstream = upstream;
        this.wrongToken = "wrong-token-" + Integer.toHexString(upstream.token().hashCode());
    }

    /**
     * Starts {@code builder} with no generated records and fills it with {@code directory}; the builder's
     * sizes and seed are ignored, its quirks, URL forms and tokens kept.
     */
    public static ScimUpstreamDouble start(ScimUpstream.Builder builder, ExpectedDirectory directory) {
        ScimUpstream upstream = builder.users(0).groups(0).start();
        try {
            fill(upstream.directory(), directory);
        } catch (RuntimeException e) {
            upstream.close();
            throw e;
        }
        return new ScimUpstreamDouble(upstream);
    }

    private static void fill(ScimDirectory scim, ExpectedDirectory directory) {
        for (Group group : directory.groups()) {
            scim.addGroup(new ScimGroup(group.remoteId(), group.name(), group.createdAt(), group.updatedAt()));
        }
        for (User user : directory.users()) {
            scim.addUser(new ScimUser(
                            user.remoteId(),
                            user.username(),
                            user.firstName(),
                            user.lastName(),
                            user.name(),
                            user.status().value() == StatusValue.ENABLED,
                            user.emails().stream()
                                    .map(ScimUpstreamDouble::scimEmail)
                                    .toList(),
                            "en",
                            user.groups().stream().map(GroupRef::remoteId).toList(),
                            user.createdAt(),
                            user.updatedAt())
                    .withProfile(
                            user.type() == null ? null : user.type().sourceValue(),
                            user.title(),
                            user.department(),
                            user.managerRemoteId())
                    .withRoles(user.roles().stream()
                            .map(ScimUpstreamDouble::scimRole)
                            .toList()));
        }
    }

    /** A role whose name is its id is served without {@code display}, as SCIM servers that know no names do. */
    private static ScimRole scimRole(RoleRef role) {
        return new ScimRole(role.remoteId(), role.remoteId().equals(role.name()) ? null : role.name(), false);
    }

    private static ScimEmail scimEmail(Email email) {
        return new ScimEmail(email.value(), email.type() == null ? "" : email.type(), email.primary());
    }

    /** The SCIM double itself, for SCIM-only checks and quirks. */
    public ScimUpstream scim() {
        return upstream;
    }

    /** The token {@link Credentials} stands for: the accepted one, an unknown one (401) or a forbidden one (403). */
    public String token(Credentials credentials) {
        return switch (requireNonNull(credentials, "credentials is null")) {
            case VALID -> upstream.token();
            case WRONG -> wrongToken;
            case FORBIDDEN -> upstream.forbiddenToken();
        };
    }

    @Override
    public List<KitRequest> requests() {
        return upstream.requests().all().stream()
                .map(ScimUpstreamDouble::kitRequest)
                .toList();
    }

    private static KitRequest kitRequest(RecordedRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headerNames().forEach(name -> headers.put(name, List.of()));
        return new KitRequest(request.method(), request.path(), request.query(), headers);
    }

    @Override
    public void clearRequests() {
        upstream.requests().clear();
    }

    @Override
    public Set<String> secrets() {
        return Set.of(upstream.token(), wrongToken, upstream.forbiddenToken());
    }

    @Override
    public void rateLimitNext(Duration retryAfter) {
        upstream.inject(Fault.rateLimited(retryAfter).forNext(1));
    }

    @Override
    public void serverErrorNext() {
        upstream.inject(Fault.serverError().forNext(1));
    }

    @Override
    public void close() {
        upstream.close();
    }

    @Override
    public String toString() {
        return "ScimUpstreamDouble[" + upstream + "]";
    }
}
