package org.saeatlas.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.ParseAndValidate;
import graphql.language.Document;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The UI asks only for what atlas.graphqls has: every document in queries.js is parsed and validated against it by
 * graphql-java, the engine the server runs (unknown fields and arguments, wrong or missing selections, undeclared
 * variables, argument types: everything the server would refuse).
 */
class QueriesMatchSchemaTest {

  private static final Pattern GQL_CONSTANT = Pattern.compile("export const (\\w+) = gql`([^`]*)`;");
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{(\\w+)}");
  private static final Pattern GRAPHQL_CALL = Pattern.compile("\\bgraphql\\(\\s*([^,)\\s]+)");

  private static final GraphQLSchema SCHEMA = UnExecutableSchemaGenerator.makeUnExecutableSchema(
      new SchemaParser().parse(ServedFiles.schemaText()));

  /** What the server's engine says of {@code text}, one line per problem, each naming the document. */
  static List<String> check(String name, String text) {
    Document document;
    try {
      document = Parser.parse(text);
    } catch (InvalidSyntaxException e) {
      return List.of(name + ": " + e.getMessage());
    }
    return ParseAndValidate.validate(SCHEMA, document, Locale.ENGLISH).stream()
        .map(e -> name + ": " + e.getMessage()).toList();
  }

  @Test
  void theSchemaIsTheAtlasSchema() {
    GraphQLFieldDefinition neighbours = SCHEMA.getObjectType("Feature").getFieldDefinition("neighbours");
    assertEquals("[Neighbour!]!", GraphQLTypeUtil.simplePrint(neighbours.getType()));
    assertTrue(neighbours.getArgument("stableOnly") != null);
    assertTrue(SCHEMA.getType("EdgeKind") instanceof graphql.schema.GraphQLEnumType);
  }

  @Test
  void everyDocumentInQueriesJsMatchesTheSchema() {
    Map<String, String> documents = documents();
    assertTrue(documents.size() >= 5, "expected the UI's documents in queries.js, found " + documents.keySet());
    List<String> problems = new ArrayList<>();
    documents.forEach((name, text) -> problems.addAll(check(name, text)));
    assertEquals(List.of(), problems);
  }

  @Test
  void everyGraphqlCallSendsADocumentFromQueriesJs() {
    Map<String, String> documents = documents();
    for (String path : ServedFiles.webPaths()) {
      if (!path.endsWith(".js") || path.equals("/js/queries.js")) {
        continue;
      }
      String source = ServedFiles.read(path);
      assertFalse(source.contains("gql`"), path + " defines a GraphQL document; keep them all in queries.js");
      Matcher call = GRAPHQL_CALL.matcher(source);
      while (call.find()) {
        String argument = call.group(1);
        if (path.equals("/js/api.js") && argument.equals("query")) {
          continue; // the definition of graphql(query, variables)
        }
        assertTrue(documents.containsKey(argument), path + " calls graphql(" + argument + ", ...), which is not a document of queries.js");
      }
    }
  }

  @Test
  void theCheckCatchesAnUnknownFieldAndArgument() {
    List<String> problems = check("probe",
        "query Probe { feature(id: \"x\", colour: 1) { id activationDensity sae { id } } }");
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("UnknownArgument") && p.contains("colour")),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("FieldUndefined") && p.contains("activationDensity")),
        problems.toString());
  }

  @Test
  void theCheckCatchesMissingAndSurplusSelectionsAndUndeclaredVariables() {
    List<String> problems = check("probe", "query Probe { models { id saes } sae(id: $x) { id { a } } }");
    assertTrue(problems.stream().anyMatch(p -> p.contains("SubselectionRequired")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("SubselectionNotAllowed")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("UndefinedVariable")), problems.toString());
    assertTrue(check("probe", "query Probe { models { id ").get(0).contains("Invalid syntax"));
  }

  /** Query documents of queries.js (fragments interpolated), by constant name; fragments alone are skipped. */
  private static Map<String, String> documents() {
    String source = ServedFiles.read("/js/queries.js");
    Map<String, String> raw = new LinkedHashMap<>();
    Matcher m = GQL_CONSTANT.matcher(source);
    while (m.find()) {
      raw.put(m.group(1), m.group(2));
    }
    Map<String, String> documents = new LinkedHashMap<>();
    raw.forEach((name, text) -> {
      String full = interpolate(text, raw);
      if (full.strip().startsWith("query")) {
        documents.put(name, full);
      }
    });
    return documents;
  }

  private static String interpolate(String text, Map<String, String> constants) {
    Matcher m = INTERPOLATION.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = constants.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("queries.js interpolates ${" + m.group(1) + "}, which is not a gql constant defined before it");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(interpolate(value, constants)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
