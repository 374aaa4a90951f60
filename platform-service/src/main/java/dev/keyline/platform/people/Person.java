package dev.keyline.platform.people;

import java.util.List;

/**
 * One person of an origin owner: the account users that share an address, directly or through one another.
 *
 * @param matched whether they span two or more linked accounts; otherwise the person is unmatched
 * @param emails every address of theirs, canonical, sorted
 * @param accounts in the owner's account order, then by remote id
 */
record Person(
        String id,
        boolean matched,
        String name,
        String primaryEmailAddress,
        List<String> emails,
        List<AccountUser> accounts) {

    Person {
        emails = List.copyOf(emails);
        accounts = List.copyOf(accounts);
    }
}
