package dev.keyline.platform.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.platform.directory.IamDtos;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who is one person: shared addresses, transitively, across accounts; the rest unmatched. */
class CorrelationTest {
    private static final OwnerAccount OKTA = new OwnerAccount("acc_a", "okta", "active", Instant.EPOCH);
    private static final OwnerAccount OP = new OwnerAccount("acc_b", "onepassword", "active", Instant.EPOCH);
    private static final OwnerAccount GH = new OwnerAccount("acc_c", "github", "active", Instant.EPOCH);

    @Test
    void addressesMatchWithoutCaseAndWithGoogleMailFolded() {
        assertThat(Addresses.canonical(" Ann.Lee@Example.COM ")).isEqualTo("ann.lee@example.com");
        assertThat(Addresses.canonical("bob@googlemail.com")).isEqualTo("bob@gmail.com");
        assertThat(Addresses.canonical("bob+x@gmail.com"))
                .as("tags are other mailboxes")
                .isEqualTo("bob+x@gmail.com");
        assertThat(Addresses.canonical("bob")).as("no address").isNull();
        assertThat(Addresses.canonical("@example.com")).isNull();
        assertThat(Addresses.canonical("bob@")).isNull();
        assertThat(Addresses.canonical("a b@example.com")).isNull();
    }

    @Test
    void usersSharingAnyAddressAcrossAccountsAreOnePerson() {
        List<Person> people = people(
                user(OKTA, "1", "Ann.Lee@Example.com"),
                user(OP, "2", "ann.lee@example.com"),
                user(GH, "3", "ann@personal.example", "ANN.LEE@example.com"),
                user(OKTA, "4", "bob@example.com"));
        Person ann = only(people, true);
        assertThat(ann.accounts()).extracting(AccountUser::remoteId).containsExactly("1", "2", "3");
        assertThat(ann.emails()).containsExactly("ann.lee@example.com", "ann@personal.example");
        assertThat(ann.primaryEmailAddress()).isEqualTo("Ann.Lee@Example.com");
        Person bob = only(people, false);
        assertThat(bob.accounts()).extracting(AccountUser::remoteId).containsExactly("4");
    }

    @Test
    void aChainOfSharedAddressesJoinsPeopleTransitively() {
        // x shares an alias with y, y shares its primary with z: all three are one person.
        List<Person> people = people(
                user(OKTA, "x", "x@example.com", "alias@example.com"),
                user(OP, "y", "y@example.com", "alias@example.com"),
                user(GH, "z", "y@example.com"));
        assertThat(people).hasSize(1);
        assertThat(people.get(0).accounts()).hasSize(3);
        assertThat(people.get(0).matched()).isTrue();
    }

    @Test
    void twoUsersOfOneAccountSharingAnAddressStayTwoAccountsAndAloneAreUnmatched() {
        List<Person> people = people(user(OKTA, "1", "shared@example.com"), user(OKTA, "2", "Shared@example.com"));
        assertThat(people).hasSize(1);
        assertThat(people.get(0).accounts()).extracting(AccountUser::remoteId).containsExactly("1", "2");
        assertThat(people.get(0).matched())
                .as("found in one linked account only")
                .isFalse();

        List<Person> withOther = people(
                user(OKTA, "1", "shared@example.com"),
                user(OKTA, "2", "shared@example.com"),
                user(OP, "3", "shared@example.com"));
        assertThat(withOther).hasSize(1);
        assertThat(withOther.get(0).matched()).isTrue();
        assertThat(withOther.get(0).accounts()).hasSize(3);
    }

    @Test
    void usersWithoutAnAddressAreEachTheirOwnUnmatchedPerson() {
        List<Person> people = people(user(OKTA, "svc-1", "deploy-bot"), user(OP, "svc-2"));
        assertThat(people).hasSize(2).allSatisfy(p -> assertThat(p.matched()).isFalse());
        assertThat(people).extracting(Person::id).doesNotHaveDuplicates();
        assertThat(people).allSatisfy(p -> assertThat(p.emails()).isEmpty());
    }

    @Test
    void idsAreStableHideTheAddressAndDependOnTenantAndOwner() {
        String id = only(people(user(OKTA, "1", "ann@example.com"), user(OP, "2", "ANN@example.com")), true)
                .id();
        String again = only(people(user(OP, "9", "ann@example.com"), user(GH, "8", "ann@example.com")), true)
                .id();
        assertThat(again).as("the same address, other accounts").isEqualTo(id);
        assertThat(id).startsWith("per_").doesNotContain("ann").doesNotContain("example");
        assertThat(PersonIds.ofAddress("t2", "owner", "ann@example.com")).isNotEqualTo(id);
        assertThat(PersonIds.ofAddress("t1", "other", "ann@example.com")).isNotEqualTo(id);
        assertThat(PersonIds.ownerPart(id)).contains(PersonIds.owner("t1", "owner"));
        assertThat(PersonIds.ownerPart("per_nothex")).isEmpty();
        // An alias coming or going leaves the id alone: it is the primary address's.
        String withAlias = only(
                        people(user(OKTA, "1", "ann@example.com", "a@example.com"), user(OP, "2", "ann@example.com")),
                        true)
                .id();
        assertThat(withAlias).isEqualTo(id);
    }

    @Test
    void summariesSayUnknownRatherThanGuess() {
        AccountUser admin = withFacts(user(OKTA, "1", "a@example.com"), true, true, "enabled", false);
        AccountUser unknown = withFacts(user(OP, "2", "a@example.com"), null, null, "enabled", false);
        AccountUser noMfa = withFacts(user(GH, "3", "a@example.com"), false, false, "disabled", false);
        AccountUser deletedAdmin = withFacts(user(OKTA, "4", "a@example.com"), true, false, "enabled", true);

        var everyone = PeopleDtos.person(only(people(admin, unknown, noMfa), true));
        assertThat(everyone.isPrivilegedAnywhere()).isTrue();
        assertThat(everyone.mfaEverywhere()).isFalse();
        assertThat(everyone.activeIn()).isEqualTo(2);

        var unknownOnly =
                PeopleDtos.person(only(people(unknown, withFacts(noMfa, false, true, "enabled", false)), true));
        assertThat(unknownOnly.isPrivilegedAnywhere())
                .as("one false, one unknown")
                .isNull();
        assertThat(unknownOnly.mfaEverywhere()).as("one true, one unknown").isNull();

        var allKnown = PeopleDtos.person(only(
                people(
                        withFacts(admin, false, true, "enabled", false),
                        withFacts(noMfa, false, true, "enabled", false)),
                true));
        assertThat(allKnown.isPrivilegedAnywhere()).isFalse();
        assertThat(allKnown.mfaEverywhere()).isTrue();

        var deleted =
                PeopleDtos.person(only(people(withFacts(noMfa, false, true, "enabled", false), deletedAdmin), true));
        assertThat(deleted.isPrivilegedAnywhere())
                .as("a deleted account grants nothing")
                .isFalse();
        assertThat(deleted.mfaEverywhere()).as("a deleted account needs no MFA").isTrue();
        assertThat(deleted.activeIn()).isEqualTo(1);
    }

    private static Person only(List<Person> people, boolean matched) {
        List<Person> found = people.stream().filter(p -> p.matched() == matched).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static List<Person> people(AccountUser... users) {
        return Correlation.people("t1", "owner", new ArrayList<>(Arrays.asList(users)));
    }

    private static AccountUser user(OwnerAccount account, String remoteId, String... addresses) {
        List<Email> emails = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++) {
            emails.add(new Email(addresses[i], "work", i == 0));
        }
        User user = User.builder(remoteId)
                .username("user-" + remoteId)
                .name("Name " + remoteId)
                .primaryEmailAddress(addresses.length == 0 ? null : addresses[0])
                .emails(emails)
                .status(new UserStatus(StatusValue.ENABLED, null))
                .build();
        return AccountUser.of(account, IamDtos.user(user, null, null, false, null));
    }

    private static AccountUser withFacts(
            AccountUser u, Boolean privileged, Boolean mfa, String status, boolean deleted) {
        return new AccountUser(
                u.account(),
                u.userId(),
                u.remoteId(),
                u.username(),
                u.name(),
                u.primaryEmailAddress(),
                u.primaryKey(),
                u.keys(),
                status,
                privileged,
                mfa,
                u.lastLoginAt(),
                u.type(),
                deleted);
    }
}
