package dev.keyline.connector.tck.entra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small fixed tenant for demos and for tests that cannot script a double at run time (a Quarkus test loads its
 * class twice, so each copy starts its own double; fixed data makes them answer alike). Tenant
 * {@value #TENANT_DOMAIN}; five people (the fourth disabled, the fifth a guest), all but one with a last sign-in,
 * the first registered for MFA and a Global Administrator; one group "Engineering" with the first three; an app
 * registration {@value #CLIENT_ID} with {@value #CLIENT_SECRET}, and one {@value #EXPIRED_CLIENT_ID} whose secret has
 * expired.
 */
public final class GraphSample {
    public static final String TENANT_DOMAIN = "contoso.onmicrosoft.com";
    public static final String CLIENT_ID = "3c1f0d2e-5b6a-4c7d-8e9f-a0b1c2d3e4f5";
    public static final String CLIENT_SECRET = "Xy8~sample-client-secret-value";
    public static final String EXPIRED_CLIENT_ID = "4d2e1f3a-6c7b-4d8e-9fa0-b1c2d3e4f5a6";
    public static final String EXPIRED_CLIENT_SECRET = "Zq7~sample-expired-secret-value";
    public static final int USERS = 5;
    public static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

    private GraphSample() {}

    /** The sample's ids of its people, in listing order. */
    public static List<String> userIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            ids.add("0000000" + i + "-aaaa-4bbb-8ccc-00000000000" + i);
        }
        return ids;
    }

    /** The sample tenant's double, started. */
    public static GraphDouble start() {
        GraphDouble.Builder graph = GraphDouble.builder()
                .tenant("8b1c2a6e-3f4d-4e5a-9b7c-0d1e2f3a4b5c", TENANT_DOMAIN)
                .client(CLIENT_ID, CLIENT_SECRET)
                .expiredClient(EXPIRED_CLIENT_ID, EXPIRED_CLIENT_SECRET);
        List<String> ids = userIds();
        for (int i = 0; i < USERS; i++) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("id", ids.get(i));
            user.put("userPrincipalName", "person" + i + "@" + TENANT_DOMAIN);
            user.put("displayName", "Person " + i);
            user.put("givenName", "Person");
            user.put("surname", String.valueOf(i));
            user.put("mail", "person" + i + "@contoso.example");
            user.put("otherMails", List.of());
            user.put("accountEnabled", i != 3);
            user.put("userType", i == 4 ? "Guest" : "Member");
            user.put("jobTitle", i == 0 ? "Head of IT" : null);
            user.put("department", i < 3 ? "Engineering" : null);
            user.put("createdDateTime", "2026-0" + (i + 1) + "-01T00:00:00Z");
            if (i != 2) {
                user.put(
                        "signInActivity", Map.of("lastSuccessfulSignInDateTime", "2026-11-0" + (i + 1) + "T09:00:00Z"));
            }
            if (i > 0) {
                user.put("_manager", ids.get(0));
            }
            graph.user(user);
        }
        graph.registration(ids.get(0), true, List.of("microsoftAuthenticatorPush"));
        graph.registration(ids.get(1), false, List.of());
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("id", "9f000000-0000-4000-8000-000000000001");
        group.put("displayName", "Engineering");
        group.put("createdDateTime", "2026-01-15T00:00:00Z");
        group.put("groupTypes", List.of());
        group.put("securityEnabled", true);
        group.put("mailEnabled", false);
        graph.group(group, ids.subList(0, 3));
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("id", GLOBAL_ADMINISTRATOR);
        role.put("displayName", "Global Administrator");
        role.put("description", "Can manage all aspects of Microsoft Entra ID and Microsoft services.");
        role.put("isBuiltIn", true);
        role.put("isEnabled", true);
        role.put("resourceScopes", List.of("/"));
        role.put(
                "rolePermissions",
                List.of(Map.of(
                        "allowedResourceActions", List.of("microsoft.directory/allEntities/allProperties/allTasks"))));
        graph.roleDefinition(role, List.of(ids.get(0)));
        return graph.start();
    }
}
