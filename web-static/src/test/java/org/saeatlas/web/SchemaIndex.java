package org.saeatlas.web;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a GraphQL SDL reader for the UI's query check: object/input types with their fields'
 * argument names and result type names, enums and scalars. Not a validator of the schema itself.
 */
record SchemaIndex(Map<String, Map<String, Field>> types, Set<String> enums, Set<String> scalars) {

  /** A field: its argument names and its named result type (list and non-null wrappers removed). */
  record Field(String name, Set<String> arguments, String type) {}

  private static final Set<String> BUILT_IN_SCALARS = Set.of("Int", "Float", "String", "Boolean", "ID");
  private static final Pattern BLOCK = Pattern.compile("\\b(type|input|interface|enum)\\s+(\\w+)[^{]*\\{([^}]*)}");
  private static final Pattern SCALAR = Pattern.compile("\\bscalar\\s+(\\w+)");
  private static final Pattern FIELD = Pattern.compile("(\\w+)\\s*(\\([^)]*\\))?\\s*:\\s*([\\w\\[\\]!\\s]+?)(?=\\s*(?:=|@|\\w+\\s*[(:]|$))");
  private static final Pattern ARGUMENT = Pattern.compile("(\\w+)\\s*:");

  static SchemaIndex parse(String sdl) {
    String text = stripDescriptionsAndComments(sdl);
    Map<String, Map<String, Field>> types = new LinkedHashMap<>();
    Set<String> enums = new LinkedHashSet<>();
    Set<String> scalars = new LinkedHashSet<>(BUILT_IN_SCALARS);
    Matcher s = SCALAR.matcher(text);
    while (s.find()) {
      scalars.add(s.group(1));
    }
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals("enum")) {
        enums.add(m.group(2));
        continue;
      }
      types.put(m.group(2), fields(m.group(3).trim()));
    }
    return new SchemaIndex(types, enums, scalars);
  }

  boolean isObject(String type) {
    return types.containsKey(type);
  }

  boolean isLeaf(String type) {
    return scalars.contains(type) || enums.contains(type);
  }

  boolean knows(String type) {
    return isObject(type) || isLeaf(type);
  }

  private static Map<String, Field> fields(String body) {
    Map<String, Field> fields = new LinkedHashMap<>();
    Matcher f = FIELD.matcher(body);
    while (f.find()) {
      Set<String> args = new LinkedHashSet<>();
      if (f.group(2) != null) {
        Matcher a = ARGUMENT.matcher(f.group(2));
        while (a.find()) {
          args.add(a.group(1));
        }
      }
      String type = f.group(3).replaceAll("[\\[\\]!\\s]", "");
      fields.put(f.group(1), new Field(f.group(1), Set.copyOf(args), type));
    }
    return fields;
  }

  private static String stripDescriptionsAndComments(String sdl) {
    return sdl.replaceAll("(?s)\"\"\".*?\"\"\"", " ")
        .replaceAll("\"(?:[^\"\\\\\\n]|\\\\.)*\"", " ")
        .replaceAll("#[^\\n]*", " ");
  }
}
