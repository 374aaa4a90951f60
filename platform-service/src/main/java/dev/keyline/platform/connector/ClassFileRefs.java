package dev.keyline.platform.connector;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one compiled class refers to, read from its constant pool: the classes it names and the fields and methods it
 * calls on other classes, each with its JVM descriptor. This is what the JVM will try to link when the class runs, so
 * checking it against the host before the plugin runs turns a later {@code NoClassDefFoundError} or
 * {@code NoSuchMethodError} into a refusal at load. Reads class files of any version (only the constant pool layout,
 * which has been stable since Java 11's {@code CONSTANT_Dynamic}, matters).
 *
 * @param name the class's own binary name, with dots
 * @param classes every class named in the constant pool (array types reduced to their element class), with dots
 * @param members every field and method reference, owner with dots
 */
record ClassFileRefs(String name, Set<String> classes, List<MemberRef> members) {

    /** A field or method a class uses on {@code owner}; {@code descriptor} as in the class file, e.g. {@code ()V}. */
    record MemberRef(String owner, String name, String descriptor, boolean field) {}

    ClassFileRefs {
        classes = Set.copyOf(classes);
        members = List.copyOf(members);
    }

    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;
    private static final int INTERFACE_METHODREF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    /** Parses a class file; throws {@link IOException} when the bytes are not one. */
    static ClassFileRefs read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        int[] tags = new int[count];
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case UTF8 -> utf8[i] = in.readUTF();
                case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> first[i] = in.readUnsignedShort();
                case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case INTEGER, FLOAT -> in.readInt();
                case LONG, DOUBLE -> {
                    in.readLong();
                    i++; // eight-byte constants take two slots
                }
                case METHOD_HANDLE -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        in.readUnsignedShort(); // access flags
        String self = dotted(utf8[first[in.readUnsignedShort()]]);
        Set<String> classes = new LinkedHashSet<>();
        List<MemberRef> members = new java.util.ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == CLASS) {
                String element = elementClass(utf8[first[i]]);
                if (element != null) {
                    classes.add(element);
                }
            } else if (tags[i] == FIELDREF || tags[i] == METHODREF || tags[i] == INTERFACE_METHODREF) {
                String owner = elementClass(utf8[first[first[i]]]);
                int nameAndType = second[i];
                if (owner != null) {
                    members.add(new MemberRef(
                            owner, utf8[first[nameAndType]], utf8[second[nameAndType]], tags[i] == FIELDREF));
                }
            }
        }
        classes.remove(self);
        return new ClassFileRefs(self, classes, members);
    }

    /** {@code java/lang/String} → {@code java.lang.String}; {@code [[Lx/Y;} → {@code x.Y}; {@code [I} → null. */
    private static String elementClass(String internal) {
        String name = internal;
        while (name.startsWith("[")) {
            name = name.substring(1);
        }
        if (name.equals(internal)) {
            return dotted(name);
        }
        return name.startsWith("L") && name.endsWith(";") ? dotted(name.substring(1, name.length() - 1)) : null;
    }

    private static String dotted(String internal) {
        return internal.replace('/', '.');
    }
}
