package dev.keyline.connector.templatejson;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One configured connection: validation that says which field is wrong and how to fix it, and read-only
 * listing of users and groups. Exactly the capability interfaces the descriptor declares.
 */
final class TemplateConnector implements Connector, CredentialValidator, UserDirectory, GroupDirectory {
    static final String USERS = "/users";
    static final String GROUPS = "/groups";

    private final TemplateApi api;

    TemplateConnector(TemplateApi api) {
        this.api = requireNonNull(api, "api is null");
    }

    /**
     * One cheap request ({@code limit=1}); the kit fails a validation that lists everything. The same rule as
     * the shipped connectors: a failure to connect names the URL field, a refused token the token field.
     */
    @Override
    public Validation validate() {
        HttpResponse response;
        try {
            response = api.get(USERS + "?limit=1");
        } catch (ConnectorException e) {
            throw e.code() == ErrorCode.RATE_LIMITED ? e : e.withField(TemplateConnectorFactory.BASE_URL);
        }
        if (response.status() == 404
                || (response.successful() && !response.mediaType().equals("application/json"))) {
            throw ConnectorException.builder(
                            ErrorCode.NOT_AN_API_ENDPOINT,
                            "There is no HR API at " + api.base() + ". Check the API base URL.")
                    .messageCode("template.no_api")
                    .param("url", api.base().toString())
                    .field(TemplateConnectorFactory.BASE_URL)
                    .build();
        }
        api.require(response);
        api.json(response);
        return new Validation(
                "Connected to " + api.base().getHost() + ".",
                Map.of("api_base", api.base().toString()));
    }

    @Override
    public Page<User> listUsers(UserQuery query) {
        TemplateApi.Listing listing = api.list(USERS, query.pageSize(), query.cursor());
        List<User> users = listing.records().stream()
                .map(node -> TemplateMapping.user(node, query.includeRaw()))
                .filter(user -> matches(user, query))
                .toList();
        return Page.of(users, listing.next().orElse(null));
    }

    /** The API has no filters, so the connector applies the query's (exact, case-insensitive). */
    private static boolean matches(User user, UserQuery query) {
        if (query.email() != null
                && user.emails().stream().noneMatch(e -> query.email().equalsIgnoreCase(e.value()))
                && !query.email().equalsIgnoreCase(user.primaryEmailAddress())) {
            return false;
        }
        if (query.username() != null && !query.username().equalsIgnoreCase(user.username())) {
            return false;
        }
        return query.status() == null || query.status() == user.status().value();
    }

    @Override
    public Optional<User> getUser(String remoteId, boolean includeRaw) {
        return api.find(USERS, remoteId).map(node -> TemplateMapping.user(node, includeRaw));
    }

    @Override
    public Page<Group> listGroups(GroupQuery query) {
        TemplateApi.Listing listing = api.list(GROUPS, query.pageSize(), query.cursor());
        List<Group> groups = listing.records().stream()
                .filter(node -> query.name() == null
                        || query.name()
                                .toLowerCase(Locale.ROOT)
                                .equals(node.path("name").asText("").toLowerCase(Locale.ROOT)))
                .map(node -> group(node, query.includeMembers(), query.includeRaw()))
                .toList();
        return Page.of(groups, listing.next().orElse(null));
    }

    @Override
    public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        return api.find(GROUPS, remoteId).map(node -> group(node, true, includeRaw));
    }

    private Group group(JsonNode node, boolean includeMembers, boolean includeRaw) {
        List<JsonNode> members =
                includeMembers ? api.listAll(GROUPS + "/" + node.path("id").asText() + "/members") : null;
        return TemplateMapping.group(node, members, includeRaw);
    }

    /** Nothing to release: the transport belongs to the platform. */
    @Override
    public void close() {}
}
