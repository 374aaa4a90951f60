package dev.keyline.platform.people;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.directory.CursorCodec;
import dev.keyline.platform.people.PeopleDtos.OwnerSnapshotDto;
import dev.keyline.platform.people.PeopleDtos.PersonDto;
import dev.keyline.platform.people.PeopleDtos.PersonPage;
import dev.keyline.platform.people.PeopleDtos.RemovedDto;
import dev.keyline.platform.people.PeopleDtos.SnapshotAccountDto;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * People across an origin owner's linked accounts, from synced data only. Each read correlates the owner's users
 * afresh in memory (bounded by the owner's users, never by the tenant's): nothing is stored, so a person is always
 * as the accounts' last syncs have them, and there is no second copy to keep in step.
 */
@ApplicationScoped
class PeopleService {
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;

    /** What one read of an owner found: its accounts, their users, and the people they make. */
    record OwnerView(List<OwnerAccount> accounts, List<AccountUser> users, List<Person> people) {}

    private final OwnerAccounts accounts;
    private final OwnerUsers users;
    private final Removals removals;
    private final CursorCodec cursors;

    PeopleService(OwnerAccounts accounts, OwnerUsers users, Removals removals, CursorCodec cursors) {
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.users = requireNonNull(users, "users is null");
        this.removals = requireNonNull(removals, "removals is null");
        this.cursors = requireNonNull(cursors, "cursors is null");
    }

    /** A page of the owner's people ({@code matched}) or of its unmatched ones, in id order. */
    PersonPage list(String tenantId, String ownerId, boolean matched, int pageSize, String cursor) {
        String scope = CursorCodec.scope("people", tenantId, ownerId, matched);
        String after = cursor == null ? null : cursors.decode(scope, cursor);
        List<PersonDto> data = new ArrayList<>();
        String next = null;
        for (Person person : view(tenantId, ownerId).people()) {
            if (person.matched() != matched || (after != null && person.id().compareTo(after) <= 0)) {
                continue;
            }
            if (data.size() == pageSize) {
                next = cursors.encode(scope, data.get(pageSize - 1).id());
                break;
            }
            data.add(PeopleDtos.person(person));
        }
        return new PersonPage(data, next);
    }

    /** One person, matched or not; 404 for an id that is no person of the tenant's (another tenant's included). */
    PersonDto get(String tenantId, String id) {
        String ownerPart = PersonIds.ownerPart(id).orElseThrow(() -> KeylineException.notFound("Person " + id));
        for (String ownerId : accounts.owners(tenantId)) {
            if (PersonIds.owner(tenantId, ownerId).equals(ownerPart)) {
                for (Person person : view(tenantId, ownerId).people()) {
                    if (person.id().equals(id)) {
                        return PeopleDtos.person(person);
                    }
                }
            }
        }
        throw KeylineException.notFound("Person " + id);
    }

    /** The owner's evidence for an access review; {@code removed} only when {@code since} is given. */
    OwnerSnapshotDto snapshot(String tenantId, String ownerId, Instant since, Instant generatedAt) {
        OwnerView view = view(tenantId, ownerId);
        List<PersonDto> people = new ArrayList<>();
        List<PersonDto> unmatched = new ArrayList<>();
        for (Person person : view.people()) {
            (person.matched() ? people : unmatched).add(PeopleDtos.person(person));
        }
        List<SnapshotAccountDto> owned = view.accounts().stream()
                .map(a -> new SnapshotAccountDto(a.id(), a.provider(), a.status(), a.syncedAt()))
                .toList();
        return new OwnerSnapshotDto(
                "owner",
                ownerId,
                generatedAt,
                since,
                owned,
                people,
                unmatched,
                since == null ? null : removed(tenantId, view, since));
    }

    /** Every account user's person id, for the snapshot's removals and CSV rows. */
    static Map<AccountUser, String> personIds(List<Person> people) {
        Map<AccountUser, String> ids = new IdentityHashMap<>();
        for (Person person : people) {
            person.accounts().forEach(user -> ids.put(user, person.id()));
        }
        return ids;
    }

    List<RemovedDto> removed(String tenantId, OwnerView view, Instant since) {
        Map<AccountUser, String> personOf = personIds(view.people());
        Map<String, Map<String, AccountUser>> byAccount = new LinkedHashMap<>();
        view.accounts().forEach(a -> byAccount.put(a.id(), new HashMap<>()));
        view.users().forEach(u -> byAccount.get(u.account().id()).put(u.remoteId(), u));
        List<RemovedDto> removed = new ArrayList<>();
        for (OwnerAccount account : view.accounts()) {
            removed.addAll(removals.since(tenantId, account, since, byAccount.get(account.id()), personOf));
        }
        removed.sort(Comparator.comparing(RemovedDto::at)
                .thenComparing(RemovedDto::accountId)
                .thenComparing(RemovedDto::remoteId));
        return removed;
    }

    /**
     * The owner's accounts, users and people; none for an owner without accounts. {@code 409 not_synced} listing
     * every account that never completed a sync: a view missing an account would look like access it lacks.
     */
    OwnerView view(String tenantId, String ownerId) {
        List<OwnerAccount> owned = accounts.of(tenantId, ownerId);
        List<Map<String, String>> unsynced = owned.stream()
                .filter(a -> a.syncedAt() == null)
                .map(a -> Map.of("id", a.id(), "provider", a.provider()))
                .toList();
        if (!unsynced.isEmpty()) {
            throw KeylineException.conflict(
                            FailureCode.NOT_SYNCED,
                            unsynced.size() + " of the owner's " + owned.size() + " linked accounts have not completed"
                                    + " a sync yet (listed in `accounts`), so the people view would miss their users."
                                    + " Start a sync of each with POST /accounts/{id}/syncs and retry when it"
                                    + " succeeded.")
                    .accounts(unsynced);
        }
        List<AccountUser> read = new ArrayList<>();
        for (OwnerAccount account : owned) {
            users.read(tenantId, account, read);
        }
        return new OwnerView(owned, read, Correlation.people(tenantId, ownerId, read));
    }
}
