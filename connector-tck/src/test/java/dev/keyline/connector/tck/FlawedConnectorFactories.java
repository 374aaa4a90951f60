package dev.keyline.connector.tck;

import dev.keyline.connector.tck.ReferenceScimConnector.Flaw;
import java.util.Locale;

/** One registered factory per {@link Flaw}, so the kit can find each through ServiceLoader. */
final class FlawedConnectorFactories {
    private FlawedConnectorFactories() {}

    static String idOf(Flaw flaw) {
        return "tck-flawed-" + flaw.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static final class OverlappingPages extends ReferenceScimConnectorFactory {
        public OverlappingPages() {
            super(idOf(Flaw.OVERLAPPING_PAGES), Flaw.OVERLAPPING_PAGES);
        }
    }

    public static final class WritesWhileValidating extends ReferenceScimConnectorFactory {
        public WritesWhileValidating() {
            super(idOf(Flaw.WRITES_WHILE_VALIDATING), Flaw.WRITES_WHILE_VALIDATING);
        }
    }

    public static final class ExpensiveValidation extends ReferenceScimConnectorFactory {
        public ExpensiveValidation() {
            super(idOf(Flaw.EXPENSIVE_VALIDATION), Flaw.EXPENSIVE_VALIDATION);
        }
    }

    public static final class WrongCodeForBadToken extends ReferenceScimConnectorFactory {
        public WrongCodeForBadToken() {
            super(idOf(Flaw.WRONG_CODE_FOR_BAD_TOKEN), Flaw.WRONG_CODE_FOR_BAD_TOKEN);
        }
    }

    public static final class NoRetryAfter extends ReferenceScimConnectorFactory {
        public NoRetryAfter() {
            super(idOf(Flaw.NO_RETRY_AFTER), Flaw.NO_RETRY_AFTER);
        }
    }

    public static final class EveryoneEnabled extends ReferenceScimConnectorFactory {
        public EveryoneEnabled() {
            super(idOf(Flaw.EVERYONE_ENABLED), Flaw.EVERYONE_ENABLED);
        }
    }

    public static final class LogsToken extends ReferenceScimConnectorFactory {
        public LogsToken() {
            super(idOf(Flaw.LOGS_TOKEN), Flaw.LOGS_TOKEN);
        }
    }

    public static final class TokenInMessage extends ReferenceScimConnectorFactory {
        public TokenInMessage() {
            super(idOf(Flaw.TOKEN_IN_MESSAGE), Flaw.TOKEN_IN_MESSAGE);
        }
    }

    public static final class UndeclaredHealthProbe extends ReferenceScimConnectorFactory {
        public UndeclaredHealthProbe() {
            super(idOf(Flaw.UNDECLARED_HEALTH_PROBE), Flaw.UNDECLARED_HEALTH_PROBE);
        }
    }

    public static final class DropsUserType extends ReferenceScimConnectorFactory {
        public DropsUserType() {
            super(idOf(Flaw.DROPS_USER_TYPE), Flaw.DROPS_USER_TYPE);
        }
    }
}
