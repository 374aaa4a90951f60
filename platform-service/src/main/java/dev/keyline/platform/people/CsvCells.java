package dev.keyline.platform.people;

/**
 * CSV cells by the per-account snapshot's rules (sync's {@code Snapshot.cell}, which is not visible here), after
 * OWASP's CSV-injection guidance: every cell quoted with quotes doubled, and a cell a spreadsheet could run as a
 * formula kept as text with a leading apostrophe: one whose first character after whitespace is a trigger, or that
 * holds a separator or quote followed (after whitespace) by one, where a splitting importer would start a cell.
 */
final class CsvCells {
    private static final String CELL_BREAKS = ",;\"'\r\n\t|";

    private CsvCells() {}

    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "\"\"";
        }
        String safe = formulaAt(value, 0) || formulaAfterSeparator(value) ? "'" + value : value;
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    private static boolean formulaAt(String value, int from) {
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isFormulaTrigger(c)) {
                return true;
            }
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                return false;
            }
        }
        return false;
    }

    private static boolean formulaAfterSeparator(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (CELL_BREAKS.indexOf(value.charAt(i)) >= 0 && formulaAt(value, i + 1)) {
                return true;
            }
        }
        return false;
    }

    /** OWASP's list and the full-width forms some spreadsheets normalise to the ASCII ones. */
    private static boolean isFormulaTrigger(char c) {
        return switch (c) {
            case '=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20' -> true;
            default -> false;
        };
    }
}
