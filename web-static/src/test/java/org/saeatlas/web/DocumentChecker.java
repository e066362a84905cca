package org.saeatlas.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a GraphQL executable document against a {@link SchemaIndex}: every selected field exists on its
 * parent type, every argument name exists on its field, leaves have no selection and objects have one,
 * fragments are defined and apply to the type they are spread in, variables are declared with known types.
 * Returns problems as readable strings instead of throwing, so one run reports them all.
 */
final class DocumentChecker {

  private static final Pattern TOKEN = Pattern.compile(
      "\\s+|,|#[^\\n]*|\"(?:[^\"\\\\]|\\\\.)*\"|\\.\\.\\.|[{}()\\[\\]:!=$@]|-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|\\w+");

  private final SchemaIndex schema;
  private final String name;
  private final List<String> tokens;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Integer> fragmentStarts = new LinkedHashMap<>();
  private final Set<String> declaredVariables = new LinkedHashSet<>();
  private final Set<String> usedVariables = new LinkedHashSet<>();
  private int pos;

  private DocumentChecker(SchemaIndex schema, String name, String document) {
    this.schema = schema;
    this.name = name;
    this.tokens = tokenize(document);
  }

  static List<String> check(SchemaIndex schema, String name, String document) {
    DocumentChecker checker = new DocumentChecker(schema, name, document);
    checker.run();
    return checker.problems;
  }

  private void run() {
    indexFragments();
    pos = 0;
    while (pos < tokens.size()) {
      String keyword = next();
      if (keyword.equals("fragment")) {
        String fragment = next();
        expect("on");
        String type = next();
        requireObject(type, "fragment " + fragment);
        selectionSet(type, "fragment " + fragment);
      } else if (keyword.equals("query")) {
        declaredVariables.clear();
        usedVariables.clear();
        String operation = peek().equals("(") || peek().equals("{") ? "(anonymous)" : next();
        if (peek().equals("(")) {
          variableDefinitions();
        }
        selectionSet("Query", "query " + operation);
        usedVariables.stream().filter(v -> !declaredVariables.contains(v))
            .forEach(v -> problem("query " + operation + " uses $" + v + " but does not declare it"));
      } else {
        problem("expected 'query' or 'fragment' but found '" + keyword + "' (mutations and subscriptions are not expected)");
        return;
      }
    }
  }

  private void indexFragments() {
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (tokens.get(i).equals("fragment") && (i == 0 || tokens.get(i - 1).equals("}"))) {
        if (fragmentStarts.put(tokens.get(i + 1), i) != null) {
          problem("fragment " + tokens.get(i + 1) + " is defined twice");
        }
      }
    }
  }

  private void variableDefinitions() {
    expect("(");
    while (!peek().equals(")")) {
      expect("$");
      String variable = next();
      declaredVariables.add(variable);
      expect(":");
      StringBuilder type = new StringBuilder();
      while (!peek().equals("$") && !peek().equals(")") && !peek().equals("=")) {
        type.append(next());
      }
      String named = type.toString().replaceAll("[\\[\\]!]", "");
      if (!schema.knows(named)) {
        problem("$" + variable + " has type " + type + " but the schema has no type " + named);
      }
      if (peek().equals("=")) {
        next();
        value();
      }
    }
    expect(")");
  }

  private void selectionSet(String type, String where) {
    expect("{");
    while (!peek().equals("}")) {
      if (peek().equals("...")) {
        next();
        spread(type, where);
        continue;
      }
      field(type, where);
    }
    expect("}");
  }

  private void spread(String type, String where) {
    if (peek().equals("on")) {
      next();
      String condition = next();
      requireObject(condition, where);
      selectionSet(condition, where + " ... on " + condition);
      return;
    }
    String fragment = next();
    Integer start = fragmentStarts.get(fragment);
    if (start == null) {
      problem(where + " spreads ..." + fragment + " but the document does not define it (interpolate it with ${...})");
      return;
    }
    String condition = tokens.get(start + 3);
    if (!condition.equals(type)) {
      problem(where + " spreads ..." + fragment + " (on " + condition + ") inside a selection on " + type);
    }
  }

  private void field(String type, String where) {
    String fieldName = next();
    if (peek().equals(":")) {
      next();
      fieldName = next();
    }
    SchemaIndex.Field field = fieldName.equals("__typename") ? new SchemaIndex.Field("__typename", Set.of(), "String")
        : schema.types().getOrDefault(type, Map.of()).get(fieldName);
    String path = where + " > " + type + "." + fieldName;
    if (field == null) {
      problem(path + ": the schema's type " + type + " has no field " + fieldName
          + "; it has " + schema.types().getOrDefault(type, Map.of()).keySet());
    }
    if (peek().equals("(")) {
      arguments(field, path);
    }
    boolean hasSelection = peek().equals("{");
    if (field == null) {
      if (hasSelection) {
        skipBalanced("{", "}");
      }
      return;
    }
    if (hasSelection && schema.isLeaf(field.type())) {
      problem(path + " is a " + field.type() + " and takes no sub-selection");
      skipBalanced("{", "}");
    } else if (hasSelection) {
      selectionSet(field.type(), path);
    } else if (schema.isObject(field.type())) {
      problem(path + " is an object (" + field.type() + ") and needs a sub-selection");
    }
  }

  private void arguments(SchemaIndex.Field field, String path) {
    expect("(");
    while (!peek().equals(")")) {
      String argument = next();
      expect(":");
      value();
      if (field != null && !field.arguments().contains(argument)) {
        problem(path + " has no argument " + argument + "; it takes " + field.arguments());
      }
    }
    expect(")");
  }

  private void value() {
    String token = next();
    if (token.equals("$")) {
      usedVariables.add(next());
    } else if (token.equals("[")) {
      pos--;
      skipBalanced("[", "]");
    } else if (token.equals("{")) {
      pos--;
      skipBalanced("{", "}");
    }
  }

  private void skipBalanced(String open, String close) {
    int depth = 0;
    do {
      String token = next();
      if (token.equals("$")) {
        usedVariables.add(next());
      }
      depth += token.equals(open) ? 1 : token.equals(close) ? -1 : 0;
    } while (depth > 0);
  }

  private void requireObject(String type, String where) {
    if (!schema.isObject(type)) {
      problem(where + " is on " + type + " but the schema has no object type " + type);
    }
  }

  private String peek() {
    return pos < tokens.size() ? tokens.get(pos) : "<end>";
  }

  private String next() {
    if (pos >= tokens.size()) {
      throw new IllegalArgumentException(name + ": the document ends early; is a brace or parenthesis unbalanced?");
    }
    return tokens.get(pos++);
  }

  private void expect(String token) {
    String found = next();
    if (!found.equals(token)) {
      throw new IllegalArgumentException(name + ": expected '" + token + "' but found '" + found + "' at token " + (pos - 1));
    }
  }

  private void problem(String text) {
    problems.add(name + ": " + text);
  }

  private static List<String> tokenize(String document) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(document);
    int at = 0;
    while (m.find()) {
      if (m.start() != at) {
        throw new IllegalArgumentException("unexpected character '" + document.charAt(at) + "' in " + document);
      }
      at = m.end();
      String token = m.group();
      if (!token.isBlank() && !token.equals(",") && !token.startsWith("#")) {
        out.add(token);
      }
    }
    if (at != document.length()) {
      throw new IllegalArgumentException("unexpected character '" + document.charAt(at) + "' in " + document);
    }
    return out;
  }
}
