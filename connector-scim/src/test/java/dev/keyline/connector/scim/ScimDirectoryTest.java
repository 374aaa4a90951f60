package dev.keyline.connector.scim;

import static dev.keyline.connector.scim.FakeTransport.scim;
import static dev.keyline.connector.scim.ScimClientTest.CLOCK;
import static dev.keyline.connector.scim.ScimClientTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserQuery;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScimDirectoryTest {
    final FakeTransport transport = new FakeTransport();
    final PagingServer users = new PagingServer();
    final ScimDirectory directory = new ScimDirectory(
            new ScimClient(transport, URI.create("https://scim.example.com"), "token-123456", CLOCK),
            ConnectorLogger.discarding(),
            new ScimDirectory.Options(100, 20));

    ScimDirectoryTest() {
        transport.on("/Users", users);
    }

    List<String> listAllUserIds(int pageSize) {
        List<String> ids = new ArrayList<>();
        int[] pages = {0};
        directory.streamUsers(pageSize, false, page -> {
            // A broken loop guard must fail the test, not hang it.
            if (++pages[0] > 200) {
                throw new AssertionError("the listing does not end: " + ids.size() + " users so far");
            }
            page.items().forEach(u -> ids.add(u.remoteId()));
        });
        return ids;
    }

    List<String> expectedIds(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(String.format("U%03d", i));
        }
        return ids;
    }

    @Test
    void listsEveryUserOnceAcrossPagesAndStopsAtTheTotal() {
        users.users(25);

        assertThat(listAllUserIds(10)).containsExactlyElementsOf(expectedIds(25));
        assertThat(transport.requests())
                .extracting(r -> r.uri().getRawQuery())
                .containsExactly("startIndex=1&count=10", "startIndex=11&count=10", "startIndex=21&count=10");
    }

    @Test
    void aFullPageLandingExactlyOnTheTotalCostsOneSingleRecordRequestToConfirmTheEnd() {
        users.users(20);

        assertThat(listAllUserIds(10)).hasSize(20);
        assertThat(transport.requests())
                .extracting(r -> r.uri().getRawQuery())
                .containsExactly("startIndex=1&count=10", "startIndex=11&count=10", "startIndex=21&count=1");
    }

    @Test
    void aTotalThatIsTooLowDoesNotEndTheListingEarly() {
        // Exactly on a page boundary (the single-record request finds more) and mid-page (records past it).
        users.users(25).totalOverride = 20;
        assertThat(listAllUserIds(10)).containsExactlyElementsOf(expectedIds(25));

        users.totalOverride = 13;
        assertThat(listAllUserIds(10)).containsExactlyElementsOf(expectedIds(25));
    }

    @Test
    void anEmptyPageWhereTheServerHasRecordsFailsInsteadOfEndingTheListing() {
        users.users(30);
        PagingServer server = users;
        transport.on("/Users", request -> {
            // The page is lost, the record at its start is not (one request for it shows that).
            if (request.uri().getRawQuery().equals("startIndex=11&count=10")) {
                PagingServer empty = new PagingServer();
                empty.totalOverride = 30;
                return empty.apply(request);
            }
            return server.apply(request);
        });

        ConnectorException e = failure(() -> listAllUserIds(10));

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
        assertThat(e.getMessage()).contains("startIndex=11").contains("cannot be read completely");
    }

    @Test
    void neverAsksTheServerToFilterOrSort() {
        users.users(3);

        directory.listUsers(new UserQuery(null, 10, "user1@example.com", "x", StatusValue.ENABLED, false));

        assertThat(transport.requests())
                .extracting(HttpRequest::uri)
                .allSatisfy(uri -> assertThat(uri.getRawQuery()).doesNotContain("filter", "sortBy"));
    }

    @Test
    void startIndexZeroInAnswersIsTolerated() {
        users.users(25).startIndexZero = true;

        assertThat(listAllUserIds(10)).containsExactlyElementsOf(expectedIds(25));
    }

    @Test
    void totalThatIsTooHighEndsAtTheFirstEmptyPageWithNothingAfterIt() {
        users.users(12).totalOverride = 1000;

        assertThat(listAllUserIds(5)).containsExactlyElementsOf(expectedIds(12));
        assertThat(transport.requests())
                .extracting(r -> r.uri().getRawQuery())
                .containsExactly(
                        "startIndex=1&count=5",
                        "startIndex=6&count=5",
                        "startIndex=11&count=5",
                        "startIndex=13&count=3",
                        "startIndex=13&count=1");
    }

    @Test
    void withoutATotalFewerThanAskedIsTheEnd() {
        users.users(12).omitTotal = true;

        assertThat(listAllUserIds(5)).containsExactlyElementsOf(expectedIds(12));
        assertThat(transport.requests()).hasSize(3);
    }

    @Test
    void serverCappingCountBelowThePageSizeStillFillsPages() {
        users.users(25).maxCount = 4;

        Page<User> first = directory.listUsers(UserQuery.all(10, false));

        assertThat(first.items()).hasSize(10);
        assertThat(listAllUserIds(10)).containsExactlyElementsOf(expectedIds(25));
    }

    @Test
    void serverIgnoringStartIndexAndSayingSoFailsRatherThanEndingShort() {
        users.users(25).ignoreStartIndex = true;
        Page<User> first = directory.listUsers(UserQuery.all(10, false));
        assertThat(first.items()).extracting(User::remoteId).containsExactlyElementsOf(expectedIds(10));

        ConnectorException e = failure(() -> directory.listUsers(
                UserQuery.all(10, false).withCursor(first.next().orElseThrow())));

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    }

    @Test
    void serverRepeatingThePreviousPageUnderANewStartIndexFailsRatherThanEndingShort() {
        users.users(25).ignoreStartIndexAndLie = true;
        users.totalOverride = Integer.MAX_VALUE;

        ConnectorException e = failure(() -> listAllUserIds(10));

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
        assertThat(e.getMessage()).contains("already listed").doesNotContain("token-123456");
        assertThat(transport.requests()).hasSize(2);
    }

    @Test
    void serverIgnoringCountIsReadInPagesOfTheAskedSize() {
        users.users(25).ignoreStartIndexAndLie = true; // returns everything from the start
        users.maxCount = Integer.MAX_VALUE;
        PagingServer all = new PagingServer();
        all.users(25);
        transport.on("/Users", request -> {
            // Honour startIndex but ignore count: the rest of the directory in one go.
            String query = request.uri().getRawQuery().replaceAll("count=\\d+", "count=1000");
            return all.apply(HttpRequest.get(URI.create("https://scim.example.com/Users?" + query)));
        });

        Page<User> first = directory.listUsers(UserQuery.all(10, false));

        assertThat(first.items()).hasSize(10);
        assertThat(listAllUserIds(10)).containsExactlyElementsOf(expectedIds(25));
    }

    @Test
    void recordsShiftedByAnInsertBetweenPagesAreNotReportedTwice() {
        users.users(20);
        Page<User> first = directory.listUsers(UserQuery.all(10, false));
        users.resources.add(0, PagingServer.user("U000", "new@example.com", true));

        Page<User> second = directory.listUsers(
                UserQuery.all(10, false).withCursor(first.next().orElseThrow()));

        assertThat(second.items())
                .extracting(User::remoteId)
                .containsExactlyElementsOf(expectedIds(20).subList(10, 20));
    }

    @Test
    void filterByEmailIsCaseInsensitiveAndReadsFurtherPagesToFillThePage() {
        users.users(250);

        Page<User> page = directory.listUsers(new UserQuery(null, 1, "USER207@Example.COM", null, null, false));

        assertThat(page.items()).extracting(User::remoteId).containsExactly("U207");
        assertThat(transport.requests())
                .extracting(r -> r.uri().getRawQuery())
                .containsExactly("startIndex=1&count=100", "startIndex=101&count=100", "startIndex=201&count=100");
    }

    @Test
    void filteredListingResumesRightAfterTheLastMatch() {
        users.users(30);
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Page<User> page = directory.listUsers(new UserQuery(cursor, 4, null, null, StatusValue.DISABLED, false));
            page.items().forEach(u -> ids.add(u.remoteId()));
            cursor = page.next().orElse(null);
        } while (cursor != null);

        assertThat(ids).containsExactly("U003", "U006", "U009", "U012", "U015", "U018", "U021", "U024", "U027", "U030");
    }

    @Test
    void filterByUsernameIsExactAndCaseInsensitive() {
        users.users(15);

        Page<User> page = directory.listUsers(new UserQuery(null, 10, null, "User1@example.com", null, false));

        assertThat(page.items()).extracting(User::remoteId).containsExactly("U001");
        assertThat(page.next()).isEmpty();
    }

    @Test
    void filteringStopsAfterTheRequestBudgetWithACursorToContinue() {
        users.users(30);
        ScimDirectory frugal = new ScimDirectory(
                new ScimClient(transport, URI.create("https://scim.example.com"), "token-123456", CLOCK),
                ConnectorLogger.discarding(),
                new ScimDirectory.Options(5, 2));
        UserQuery query = new UserQuery(null, 2, "user29@example.com", null, null, false);

        Page<User> first = frugal.listUsers(query);

        assertThat(first.items()).isEmpty();
        assertThat(first.next()).isPresent();
        assertThat(transport.requests())
                .extracting(r -> r.uri().getRawQuery())
                .containsExactly("startIndex=1&count=5", "startIndex=6&count=5");

        List<String> found = new ArrayList<>();
        Page.stream(
                cursor -> frugal.listUsers(query.withCursor(cursor)),
                page -> page.items().forEach(u -> found.add(u.remoteId())));
        assertThat(found).containsExactly("U029");
    }

    @Test
    void malformedCursorIsRejectedWithAClearMessage() {
        ConnectorException e =
                failure(() -> directory.listUsers(UserQuery.all(10, false).withCursor("not a cursor!")));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.getMessage()).contains("start the listing again");
        assertThat(transport.requests()).isEmpty();
    }

    @Test
    void userCursorIsNotAcceptedForGroups() {
        users.users(5);
        String cursor = directory.listUsers(UserQuery.all(2, false)).next().orElseThrow();

        assertThat(failure(() -> directory.listGroups(GroupQuery.all(2).withCursor(cursor)))
                        .code())
                .isEqualTo(ErrorCode.INVALID_CONFIG);
    }

    @Test
    void missingUserIsEmpty() {
        assertThat(directory.getUser("U404", false)).isEmpty();
    }

    @Test
    void rawIsKeptOnlyWhenAsked() {
        users.users(1);

        assertThat(directory.listUsers(UserQuery.all(5, true)).items().get(0).raw())
                .containsEntry("id", "U001");
        assertThat(directory.listUsers(UserQuery.all(5, false)).items().get(0).raw())
                .isNull();
    }

    PagingServer groupsWithoutMembers() {
        PagingServer groups = new PagingServer();
        for (String id : List.of("ga", "gb", "gc")) {
            ObjectNode group = PagingServer.user(id, id, true).objectNode();
            group.put("id", id).put("displayName", "Group " + id.toUpperCase(java.util.Locale.ROOT));
            groups.resources.add(group);
            transport.on(
                    "/Groups/" + id,
                    scim(
                            200,
                            "{\"id\":\"" + id + "\",\"displayName\":\"Group " + id
                                    + "\",\"members\":[{\"value\":\"U-" + id + "\",\"display\":\"" + id
                                    + "@example.com\"}]}"));
        }
        transport.on("/Groups", groups);
        return groups;
    }

    @Test
    void groupsListedWithoutMembersAreFetchedOneByOneWhenMembersAreWanted() {
        groupsWithoutMembers();

        Page<Group> page = directory.listGroups(new GroupQuery(null, 10, null, true, false));

        assertThat(page.items())
                .extracting(g -> g.members().get(0))
                .containsExactly(
                        new MemberRef("U-ga", "ga@example.com"),
                        new MemberRef("U-gb", "gb@example.com"),
                        new MemberRef("U-gc", "gc@example.com"));
        assertThat(transport.requests())
                .extracting(r -> r.uri().getRawPath())
                .containsExactly("/Groups", "/Groups/ga", "/Groups/gb", "/Groups/gc");
    }

    @Test
    void groupsAreNotFetchedOneByOneWhenMembersAreNotWanted() {
        groupsWithoutMembers();

        Page<Group> page = directory.listGroups(new GroupQuery(null, 10, null, false, false));

        assertThat(page.items()).allSatisfy(g -> assertThat(g.members()).isNull());
        assertThat(transport.requests()).hasSize(1);
    }

    @Test
    void groupNameFilterIsCaseInsensitiveAndFetchesMembersOnlyForMatches() {
        groupsWithoutMembers();

        Page<Group> page = directory.listGroups(new GroupQuery(null, 10, "group GB", true, false));

        assertThat(page.items()).extracting(Group::remoteId).containsExactly("gb");
        assertThat(transport.requests()).extracting(r -> r.uri().getRawPath()).containsExactly("/Groups", "/Groups/gb");
    }

    @Test
    void singleGroupWithoutMembersAttributeHasNoMembers() {
        transport.on("/Groups/empty", scim(200, "{\"id\":\"empty\",\"displayName\":\"Nobody\"}"));

        assertThat(directory.getGroup("empty", false).orElseThrow().members()).isEmpty();
    }
}
