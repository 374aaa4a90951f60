package dev.keyline.connector.tck;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.scimdouble.JsonParser;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** See {@link ReferenceScimConnectorFactory}. Package-private hooks let tests break it on purpose. */
class ReferenceScimConnector implements Connector, CredentialValidator, UserDirectory, GroupDirectory {
    /** Ways to get the contract wrong, each of which the kit must catch. */
    enum Flaw {
        NONE,
        DROPS_USER_TYPE,
        OVERLAPPING_PAGES,
        WRITES_WHILE_VALIDATING,
        EXPENSIVE_VALIDATION,
        WRONG_CODE_FOR_BAD_TOKEN,
        NO_RETRY_AFTER,
        EVERYONE_ENABLED,
        UNDECLARED_HEALTH_PROBE,
        LOGS_TOKEN,
        TOKEN_IN_MESSAGE
    }

    /** Implements a capability its descriptor does not declare. */
    static final class WithProbe extends ReferenceScimConnector implements HealthProbe {
        WithProbe(String base, String token, ConnectorContext context) {
            super(base, token, context, Flaw.UNDECLARED_HEALTH_PROBE);
        }

        @Override
        public HealthReport probe() {
            return new HealthReport(HealthReport.State.HEALTHY, null, List.of(), Instant.now());
        }
    }

    private final String base;
    private final String token;
    private final ConnectorContext context;
    private final Flaw flaw;

    ReferenceScimConnector(String base, String token, ConnectorContext context, Flaw flaw) {
        this.base = base;
        this.token = token;
        this.context = context;
        this.flaw = flaw;
    }

    @Override
    public Validation validate() {
        if (flaw == Flaw.WRITES_WHILE_VALIDATING) {
            context.http()
                    .send(new HttpRequest(
                            "PATCH",
                            URI.create(base + "/Users/none"),
                            Map.of("Authorization", "Bearer " + token),
                            Optional.empty()));
        }
        int count = flaw == Flaw.EXPENSIVE_VALIDATION ? 100 : 1;
        Map<String, Object> body = get("/Users?startIndex=1&count=" + count).orElseThrow();
        return new Validation("Reached a SCIM directory of " + body.get("totalResults") + " users.", Map.of());
    }

    @Override
    public Page<User> listUsers(UserQuery query) {
        return page(query.cursor(), query.pageSize(), "/Users", json -> user(json, query.includeRaw(), flaw));
    }

    @Override
    public Optional<User> getUser(String remoteId, boolean includeRaw) {
        return get("/Users/" + remoteId).map(json -> user(json, includeRaw, flaw));
    }

    @Override
    public Page<Group> listGroups(GroupQuery query) {
        return page(query.cursor(), query.pageSize(), "/Groups", json -> {
            if (query.includeMembers() && !json.containsKey("members")) {
                return getGroup(String.valueOf(json.get("id")), query.includeRaw())
                        .orElseThrow();
            }
            return group(json, query.includeRaw());
        });
    }

    @Override
    public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        return get("/Groups/" + remoteId).map(json -> group(json, includeRaw));
    }

    @Override
    public void close() {}

    @SuppressWarnings("unchecked")
    <T> Page<T> page(
            String cursor, int pageSize, String path, java.util.function.Function<Map<String, Object>, T> map) {
        long start = cursor == null ? 1 : Long.parseLong(cursor);
        Map<String, Object> body =
                get(path + "?startIndex=" + start + "&count=" + pageSize).orElseThrow();
        long total = ((Number) body.get("totalResults")).longValue();
        List<T> items = new ArrayList<>();
        for (Object resource : (List<Object>) body.get("Resources")) {
            items.add(map.apply((Map<String, Object>) resource));
        }
        long next = start + (flaw == Flaw.OVERLAPPING_PAGES ? Math.max(1, pageSize - 1) : pageSize);
        return Page.of(items, next > total ? null : String.valueOf(next));
    }

    Optional<Map<String, Object>> get(String path) {
        if (flaw == Flaw.LOGS_TOKEN) {
            context.logger().debug("GET " + path + " with Authorization: Bearer " + token);
        }
        HttpResponse response = context.http()
                .send(HttpRequest.get(URI.create(base + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/scim+json"));
        switch (response.status()) {
            case 200:
                return Optional.of(JsonParser.object(response.bodyText()));
            case 404:
                return Optional.empty();
            case 401:
            case 403:
                if (flaw == Flaw.WRONG_CODE_FOR_BAD_TOKEN) {
                    throw new ConnectorException(ErrorCode.UPSTREAM_ERROR, "The SCIM service said no.");
                }
                if (flaw == Flaw.TOKEN_IN_MESSAGE) {
                    throw ConnectorException.forField(
                            ErrorCode.INVALID_CREDENTIALS, "bearer_token", "The token " + token + " was not accepted.");
                }
                throw ConnectorException.forField(
                        ErrorCode.INVALID_CREDENTIALS, "bearer_token", "The bearer token was not accepted.");
            case 429:
                throw ConnectorException.rateLimited(
                        response.header("Retry-After")
                                .filter(s -> flaw != Flaw.NO_RETRY_AFTER)
                                .map(s -> Duration.ofSeconds(Long.parseLong(s)))
                                .orElse(null),
                        "The SCIM service asks us to slow down.");
            default:
                throw new ConnectorException(
                        response.status() >= 500 ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.UPSTREAM_ERROR,
                        "The SCIM service answered " + response.status() + ".");
        }
    }

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final Map<String, UserTypeValue> TYPES =
            Map.of("Employee", UserTypeValue.MEMBER, "Guest", UserTypeValue.GUEST, "Service", UserTypeValue.SERVICE);

    @SuppressWarnings("unchecked")
    static User user(Map<String, Object> json, boolean includeRaw, Flaw flaw) {
        Map<String, Object> name = (Map<String, Object>) json.getOrDefault("name", Map.of());
        List<Email> emails = new ArrayList<>();
        String primary = null;
        for (Object o : (List<Object>) json.getOrDefault("emails", List.of())) {
            Map<String, Object> e = (Map<String, Object>) o;
            boolean isPrimary = Boolean.TRUE.equals(e.get("primary"));
            emails.add(new Email((String) e.get("value"), (String) e.get("type"), isPrimary));
            if (isPrimary) {
                primary = (String) e.get("value");
            }
        }
        List<GroupRef> groups = new ArrayList<>();
        for (Object o : (List<Object>) json.getOrDefault("groups", List.of())) {
            Map<String, Object> g = (Map<String, Object>) o;
            groups.add(new GroupRef((String) g.get("value"), (String) g.get("display")));
        }
        List<RoleRef> roles = new ArrayList<>();
        for (Object o : (List<Object>) json.getOrDefault("roles", List.of())) {
            Map<String, Object> r = (Map<String, Object>) o;
            String value = (String) r.get("value");
            roles.add(new RoleRef(value, (String) r.getOrDefault("display", value), null));
        }
        Map<String, Object> enterprise = (Map<String, Object>) json.getOrDefault(ENTERPRISE, Map.of());
        Map<String, Object> manager = (Map<String, Object>) enterprise.getOrDefault("manager", Map.of());
        String userType = (String) json.get("userType");
        UserTypeValue type = userType == null || flaw == Flaw.DROPS_USER_TYPE ? null : TYPES.get(userType);
        boolean active = flaw == Flaw.EVERYONE_ENABLED || Boolean.TRUE.equals(json.get("active"));
        Map<String, Object> meta = (Map<String, Object>) json.getOrDefault("meta", Map.of());
        return User.builder((String) json.get("id"))
                .username((String) json.get("userName"))
                .name((String) json.get("displayName"))
                .firstName((String) name.get("givenName"))
                .lastName((String) name.get("familyName"))
                .primaryEmailAddress(primary)
                .emails(emails)
                .status(new UserStatus(active ? StatusValue.ENABLED : StatusValue.DISABLED, String.valueOf(active)))
                .groups(groups)
                .roles(roles)
                .type(type == null ? null : new UserType(type, userType))
                .title((String) json.get("title"))
                .department((String) enterprise.get("department"))
                .managerRemoteId((String) manager.get("value"))
                .createdAt(instant(meta.get("created")))
                .updatedAt(instant(meta.get("lastModified")))
                .raw(includeRaw ? json : null)
                .build();
    }

    @SuppressWarnings("unchecked")
    static Group group(Map<String, Object> json, boolean includeRaw) {
        List<MemberRef> members = null;
        if (json.containsKey("members")) {
            members = new ArrayList<>();
            for (Object o : (List<Object>) json.get("members")) {
                Map<String, Object> m = (Map<String, Object>) o;
                members.add(new MemberRef((String) m.get("value"), (String) m.get("display")));
            }
        }
        Map<String, Object> meta = (Map<String, Object>) json.getOrDefault("meta", Map.of());
        return new Group(
                (String) json.get("id"),
                (String) json.get("displayName"),
                null,
                null,
                members,
                null,
                instant(meta.get("created")),
                instant(meta.get("lastModified")),
                includeRaw ? json : null);
    }

    private static Instant instant(Object value) {
        return value instanceof String s && !s.isEmpty() ? Instant.parse(s) : null;
    }
}
