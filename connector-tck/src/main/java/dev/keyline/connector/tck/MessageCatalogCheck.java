package dev.keyline.connector.tck;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a connector module's translated diagnoses ({@code META-INF/keyline/messages_<lang>.properties}) against the
 * message codes its sources raise, so a code added without translations, a translation of a code nobody raises, or
 * a placeholder the failure does not carry fails the build.
 *
 * <p>The module's test declares its codes with the parameters a translation may use; the check holds that list to
 * the sources both ways:
 *
 * <ul>
 *   <li>every code-shaped string literal of a declared namespace ({@code "okta.org_not_found"}), every code suffix
 *       appended to a namespace constant ({@code CODE + ".rate_limited"}) and every code made by a declared {@link
 *       #helper} ({@code invalid("url_missing", ...)}) must be declared;
 *   <li>every declared code must be made somewhere: its literal, or a literal head ({@code "onepassword"}, {@code
 *       "onepassword.token_rejected_"}) in the module plus its tail as a literal or constant name in the module or a
 *       library it builds on ({@code ".token_missing"} in connector-scim, {@code HOST_NOT_FOUND});
 *   <li>every declared parameter must be set somewhere with {@code param("name", ...)}, and where the code's literal
 *       sits in a statement that sets parameters, among those.
 * </ul>
 *
 * Then each language file must hold exactly the declared codes, each with a non-blank sentence whose {@code {name}}
 * placeholders are declared parameters. A parameter declared with a trailing {@code ?} may be absent (its value can be
 * null), so no sentence may use it.
 */
public final class MessageCatalogCheck {
    /** The connect page's languages besides English, which is the failure's own sentence. */
    public static final List<String> LANGUAGES = List.of("de", "fr", "es", "ja");

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern PARAM_CALL = Pattern.compile("\\bparam\\(\\s*$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private final Path sources;
    private final Path catalogues;
    private final List<Path> sharedSources = new ArrayList<>();
    private final Map<String, Set<String>> params = new LinkedHashMap<>();
    private final Map<String, Set<String>> optional = new LinkedHashMap<>();
    private final Set<String> notCodes = new LinkedHashSet<>();
    private final Set<String> callerSuffixes = new LinkedHashSet<>();
    private final Set<String> libraryCodes = new LinkedHashSet<>();
    private final List<Helper> helpers = new ArrayList<>();

    private record Helper(String method, int argument, String prefix) {}

    private record Literal(int start, int end, String value) {}

    /** A Java file with its comments blanked and its string literals found. */
    private record Source(Path path, String code, List<Literal> literals) {}

    private MessageCatalogCheck(Path sources, Path catalogues) {
        this.sources = requireNonNull(sources, "sources is null");
        this.catalogues = requireNonNull(catalogues, "catalogues is null");
    }

    /**
     * The check of the module in {@code moduleDir} (a test's working directory is its module's): sources under
     * {@code src/main/java}, catalogues under {@code src/main/resources/META-INF/keyline}.
     */
    public static MessageCatalogCheck forModule(Path moduleDir) {
        return new MessageCatalogCheck(
                moduleDir.resolve("src/main/java"), moduleDir.resolve("src/main/resources/META-INF/keyline"));
    }

    /** Sources of a library the module builds on, searched for the tails and parameters of its codes only. */
    public MessageCatalogCheck sharedSources(Path dir) {
        sharedSources.add(requireNonNull(dir, "dir is null"));
        return this;
    }

    /**
     * A code the module raises, with the parameters its translations may use; a name ending in {@code ?} is a
     * parameter that may be missing, which no translation may use.
     */
    public MessageCatalogCheck code(String code, String... names) {
        if (!CODE.matcher(code).matches() || params.containsKey(code)) {
            throw new IllegalArgumentException("not a message code, or declared twice: " + code);
        }
        Set<String> all = new LinkedHashSet<>();
        Set<String> maybe = new LinkedHashSet<>();
        for (String name : names) {
            String bare = name.endsWith("?") ? name.substring(0, name.length() - 1) : name;
            all.add(bare);
            if (!bare.equals(name)) {
                maybe.add(bare);
            }
        }
        params.put(code, all);
        optional.put(code, maybe);
        return this;
    }

    /**
     * A code that a library the module calls makes in the module's namespace ({@code BearerTokens.clean} raises
     * {@code <namespace>.token_missing}), for a module built without that library's sources at hand (a project made
     * by new-connector.sh): it must be translated like any other, but the sources are not searched for it.
     */
    public MessageCatalogCheck libraryCode(String code, String... names) {
        code(code, names);
        libraryCodes.add(code);
        return this;
    }

    /** Code-shaped literals of a declared namespace that are no message codes (an OAuth scope such as okta.users.read). */
    public MessageCatalogCheck notCodes(String... literals) {
        notCodes.addAll(Arrays.asList(literals));
        return this;
    }

    /**
     * Code suffixes ({@code ".token_missing"}) a library appends to its caller's namespace: the calling connectors
     * declare and translate those codes, the library does not.
     */
    public MessageCatalogCheck callerCodes(String... suffixes) {
        callerSuffixes.addAll(Arrays.asList(suffixes));
        return this;
    }

    /**
     * A method of the module that makes a code from a literal argument: each call {@code method(..., "kind", ...)}
     * with a literal at {@code argument} (0-based) raises {@code prefix + kind}.
     */
    public MessageCatalogCheck helper(String method, int argument, String prefix) {
        helpers.add(new Helper(method, argument, prefix));
        return this;
    }

    /** Runs every check, failing with all problems found. */
    public void verify() {
        List<Source> own = read(List.of(sources));
        List<Source> all = new ArrayList<>(own);
        all.addAll(read(sharedSources));
        List<String> problems = new ArrayList<>();
        checkSourcesDeclared(own, problems);
        checkDeclaredRaised(own, all, problems);
        checkParams(own, all, problems);
        for (String language : LANGUAGES) {
            checkCatalogue(language, problems);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "Message catalogue problems in " + catalogues + ":\n  " + String.join("\n  ", problems));
        }
    }

    /** The declared codes, for a test that looks further (sorted). */
    public Set<String> codes() {
        return new TreeSet<>(params.keySet());
    }

    private Set<String> namespaces() {
        return params.keySet().stream().map(c -> c.substring(0, c.indexOf('.'))).collect(Collectors.toSet());
    }

    private void checkSourcesDeclared(List<Source> own, List<String> problems) {
        Set<String> namespaces = namespaces();
        for (Source source : own) {
            for (Literal literal : source.literals()) {
                String value = literal.value();
                String before = source.code().substring(0, literal.start()).stripTrailing();
                boolean headOfSum =
                        source.code().substring(literal.end()).stripLeading().startsWith("+");
                if (!headOfSum
                        && CODE.matcher(value).matches()
                        && namespaces.contains(value.substring(0, value.indexOf('.')))
                        && !notCodes.contains(value)
                        && !params.containsKey(value)) {
                    problems.add(where(source, literal) + ": code " + value + " is raised but not declared");
                }
                boolean appended = value.startsWith(".")
                        && WORD.matcher(value.substring(1)).matches()
                        && before.endsWith("+");
                if (appended
                        && !callerSuffixes.contains(value)
                        && params.keySet().stream().noneMatch(c -> c.endsWith(value))) {
                    problems.add(where(source, literal) + ": no declared code ends in " + value);
                }
                boolean head = headOfSum
                        && CODE.matcher(value + "x").matches()
                        && namespaces.contains(value.substring(0, value.indexOf('.')));
                if (head && params.keySet().stream().noneMatch(c -> c.startsWith(value))) {
                    problems.add(where(source, literal) + ": no declared code starts with " + value);
                }
            }
            for (Helper helper : helpers) {
                for (String kind : helperKinds(source, helper)) {
                    if (!params.containsKey(helper.prefix() + kind)) {
                        problems.add(source.path().getFileName() + ": " + helper.method() + "(\"" + kind + "\") raises "
                                + helper.prefix() + kind + ", which is not declared");
                    }
                }
            }
        }
    }

    private void checkDeclaredRaised(List<Source> own, List<Source> all, List<String> problems) {
        Set<String> ownLiterals = literals(own);
        Set<String> allLiterals = literals(all);
        String allCode = all.stream().map(Source::code).collect(Collectors.joining("\n"));
        Set<String> helperCodes = new LinkedHashSet<>();
        for (Source source : own) {
            for (Helper helper : helpers) {
                helperKinds(source, helper).forEach(kind -> helperCodes.add(helper.prefix() + kind));
            }
        }
        for (String code : params.keySet()) {
            if (libraryCodes.contains(code)) {
                continue;
            }
            boolean raised = ownLiterals.contains(code) || helperCodes.contains(code) || constantCode(code, own);
            for (String head : ownLiterals) {
                if (raised) {
                    break;
                }
                String tail = null;
                if ((head.endsWith(".") || head.endsWith("_")) && code.startsWith(head)) {
                    tail = code.substring(head.length());
                } else if (code.startsWith(head + ".")) {
                    tail = code.substring(head.length() + 1);
                }
                raised = tail != null
                        && (allLiterals.contains(tail)
                                || allLiterals.contains("." + tail)
                                || Pattern.compile("\\b" + Pattern.quote(tail.toUpperCase(Locale.ROOT)) + "\\b")
                                        .matcher(allCode)
                                        .find());
            }
            if (!raised) {
                problems.add("code " + code + " is declared, but the sources do not raise it");
            }
        }
    }

    /** A code named by a constant in a messageCode call, such as {@code UserChangeFeed.WATERMARK_EXPIRED}. */
    private static boolean constantCode(String code, List<Source> own) {
        String constant = code.substring(code.lastIndexOf('.') + 1).toUpperCase(Locale.ROOT);
        Pattern call = Pattern.compile("messageCode\\(\\s*([A-Za-z_][\\w]*\\.)*" + constant + "\\s*\\)");
        return own.stream().anyMatch(s -> call.matcher(s.code()).find());
    }

    private void checkParams(List<Source> own, List<Source> all, List<String> problems) {
        Set<String> setAnywhere = new LinkedHashSet<>();
        for (Source source : all) {
            setAnywhere.addAll(paramNames(source, 0, source.code().length()));
        }
        params.forEach((code, names) -> {
            for (String name : libraryCodes.contains(code) ? Set.<String>of() : names) {
                if (!setAnywhere.contains(name)) {
                    problems.add("code " + code + ": no source sets the parameter " + name);
                }
            }
        });
        for (Source source : own) {
            for (Literal literal : source.literals()) {
                String value = literal.value();
                Set<String> declared = params.get(value);
                if (declared == null && value.startsWith(".")) {
                    declared = params.entrySet().stream()
                            .filter(e -> e.getKey().endsWith(value))
                            .map(Map.Entry::getValue)
                            .findFirst()
                            .orElse(null);
                }
                if (declared == null || declared.isEmpty()) {
                    continue;
                }
                Set<String> inStatement = statementParams(source, literal);
                if (!inStatement.isEmpty() && !inStatement.containsAll(declared)) {
                    problems.add(where(source, literal) + ": " + value + " is raised with " + inStatement
                            + ", not with all of the declared " + declared);
                }
            }
        }
    }

    /** The parameters set in the statement around a literal (from the last ';', '{' or '}' to the next ';'). */
    private static Set<String> statementParams(Source source, Literal literal) {
        String code = source.code();
        int from = Math.max(
                code.lastIndexOf(';', literal.start()),
                Math.max(code.lastIndexOf('{', literal.start()), code.lastIndexOf('}', literal.start())));
        int to = code.indexOf(';', literal.end());
        return paramNames(source, from + 1, to < 0 ? code.length() : to);
    }

    /** The names of {@code param("name", ...)} calls between two offsets. */
    private static Set<String> paramNames(Source source, int from, int to) {
        Set<String> names = new LinkedHashSet<>();
        for (Literal literal : source.literals()) {
            if (literal.start() >= from
                    && literal.end() <= to
                    && PARAM_CALL
                            .matcher(source.code().substring(Math.max(0, literal.start() - 40), literal.start()))
                            .find()
                    && WORD.matcher(literal.value()).matches()) {
                names.add(literal.value());
            }
        }
        return names;
    }

    private void checkCatalogue(String language, List<String> problems) {
        Path file = catalogues.resolve("messages_" + language + ".properties");
        if (!Files.isRegularFile(file)) {
            problems.add(file.getFileName() + " is missing");
            return;
        }
        Properties catalogue = new Properties();
        try {
            // Strict UTF-8, as the platform reads these files: a Latin-1 file must fail here, not show mojibake.
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
            catalogue.load(new StringReader(text));
        } catch (CharacterCodingException e) {
            problems.add(file.getFileName() + " is not UTF-8");
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = file.getFileName().toString();
        for (String code : params.keySet()) {
            if (!catalogue.containsKey(code)) {
                problems.add(name + ": no sentence for " + code);
            }
        }
        for (String key : catalogue.stringPropertyNames()) {
            Set<String> allowed = params.get(key);
            if (allowed == null) {
                problems.add(name + ": " + key + " is no code the module raises");
                continue;
            }
            String sentence = catalogue.getProperty(key);
            if (sentence.isBlank()) {
                problems.add(name + ": " + key + " has an empty sentence");
            }
            Matcher m = PLACEHOLDER.matcher(sentence);
            while (m.find()) {
                String placeholder = m.group(1);
                if (!allowed.contains(placeholder)) {
                    problems.add(
                            name + ": " + key + " uses {" + placeholder + "}, but the failure carries only " + allowed);
                } else if (optional.get(key).contains(placeholder)) {
                    problems.add(name + ": " + key + " uses {" + placeholder + "}, which the failure may lack");
                }
            }
            String rest = PLACEHOLDER.matcher(sentence).replaceAll("");
            if (rest.contains("{") || rest.contains("}")) {
                problems.add(name + ": " + key + " has an unmatched brace");
            }
        }
    }

    private static List<String> helperKinds(Source source, Helper helper) {
        List<String> kinds = new ArrayList<>();
        Matcher m =
                Pattern.compile("\\b" + Pattern.quote(helper.method()) + "\\(").matcher(source.code());
        while (m.find()) {
            List<int[]> arguments = arguments(source.code(), m.end());
            if (arguments.size() <= helper.argument()) {
                continue;
            }
            int[] span = arguments.get(helper.argument());
            for (Literal literal : source.literals()) {
                if (literal.start() >= span[0]
                        && literal.end() <= span[1]
                        && source.code().substring(span[0], span[1]).strip().length() == literal.end() - literal.start()
                        && WORD.matcher(literal.value()).matches()) {
                    kinds.add(literal.value());
                }
            }
        }
        return kinds;
    }

    /** The spans of a call's top-level arguments, from just after its '('. Literals are blanked in the code. */
    private static List<int[]> arguments(String code, int from) {
        List<int[]> spans = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if (c == ')' || c == ';') {
                spans.add(new int[] {start, i});
                return spans;
            } else if (c == ',' && depth == 0) {
                spans.add(new int[] {start, i});
                start = i + 1;
            }
        }
        return spans;
    }

    private static Set<String> literals(List<Source> sources) {
        Set<String> values = new LinkedHashSet<>();
        sources.forEach(s -> s.literals().forEach(l -> values.add(l.value())));
        return values;
    }

    private static String where(Source source, Literal literal) {
        long line = source.code()
                        .substring(0, literal.start())
                        .chars()
                        .filter(c -> c == '\n')
                        .count()
                + 1;
        return source.path().getFileName() + ":" + line;
    }

    private static List<Source> read(List<Path> dirs) {
        List<Source> read = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("no source directory " + dir.toAbsolutePath());
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                        .sorted()
                        .toList()) {
                    read.add(lex(file, Files.readString(file)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return read;
    }

    /**
     * Blanks comments and the insides of string and character literals (so searching the code never matches text),
     * keeping every offset, and collects the string literals with their unescaped values.
     */
    static Source lex(Path path, String text) {
        StringBuilder code = new StringBuilder(text);
        List<Literal> literals = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '/' && text.startsWith("//", i)) {
                int end = text.indexOf('\n', i);
                end = end < 0 ? text.length() : end;
                blank(code, i, end);
                i = end;
            } else if (c == '/' && text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
                blank(code, i, end);
                i = end;
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? text.length() : end + 3;
                blank(code, i + 3, end - 3);
                i = end;
            } else if (c == '"' || c == '\'') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != c && text.charAt(j) != '\n') {
                    if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                        value.append(unescape(text.charAt(j + 1)));
                        j += 2;
                    } else {
                        value.append(text.charAt(j++));
                    }
                }
                blank(code, i + 1, j);
                if (c == '"') {
                    literals.add(new Literal(i, j + 1, value.toString()));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return new Source(path, code.toString(), List.copyOf(literals));
    }

    private static char unescape(char c) {
        return switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            default -> c;
        };
    }

    private static void blank(StringBuilder code, int from, int to) {
        for (int k = from; k < to; k++) {
            if (code.charAt(k) != '\n') {
                code.setCharAt(k, ' ');
            }
        }
    }
}
