package org.saeatlas.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The offline guarantee: nothing served points outside the server, and everything referenced is there. */
class WebAssetsTest {

  private static final Pattern EXTERNAL_URL = Pattern.compile("(?i)https?://[^\\s\"'`)<>]*");
  /** XML namespace names are identifiers, never fetched. */
  private static final Set<String> NAMESPACES = Set.of(
      "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml");
  private static final Pattern HTML_REF = Pattern.compile("\\s(?:src|href)\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern JS_IMPORT = Pattern.compile(
      "(?:\\bimport\\s*(?:[\\w*{}\\s,]+\\s*from\\s*)?|\\bimport\\s*\\(\\s*)['\"]([^'\"]+)['\"]");
  private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*['\"]?([^'\")]+)['\"]?\\s*\\)|@import\\s+['\"]([^'\"]+)['\"]");
  /** API endpoints the pages link to; the server answers them, they are not files. */
  private static final Set<String> ENDPOINTS = Set.of("/graphql", "/api/info");

  @Test
  void servedFilesReferenceNoExternalUrl() {
    List<String> offenders = new ArrayList<>();
    for (String path : ServedFiles.webPaths()) {
      Matcher m = EXTERNAL_URL.matcher(ServedFiles.read(path));
      while (m.find()) {
        if (!NAMESPACES.contains(m.group())) {
          offenders.add(path + ": " + m.group());
        }
      }
    }
    assertEquals(List.of(), offenders, "served files must work offline; serve these from the classpath instead");
  }

  @Test
  void everyAssetReachableFromTheEntryPagesExists() {
    Set<String> missing = new LinkedHashSet<>();
    Set<String> seen = crawl(List.of("/index.html", "/graphiql/index.html"), missing);
    assertEquals(Set.of(), missing, "referenced but not on the classpath (WebJar version drift? check web-static/pom.xml)");
    assertTrue(seen.contains("/js/queries.js"), "the app should load queries.js, found " + seen);
    assertTrue(seen.stream().anyMatch(p -> p.startsWith("/webjars/graphiql/") && p.endsWith("graphiql.min.js")), "GraphiQL bundle not loaded: " + seen);
  }

  @Test
  void webJarStylesheetsLoadNothingFromOutside() {
    Set<String> seen = crawl(List.of("/graphiql/index.html"), new LinkedHashSet<>());
    for (String path : seen) {
      if (path.startsWith("/webjars/") && path.endsWith(".css")) {
        Matcher m = CSS_URL.matcher(ServedFiles.read(path));
        while (m.find()) {
          String ref = m.group(1) != null ? m.group(1) : m.group(2);
          assertFalse(ref.matches("(?i)(https?:)?//.*"), path + " loads " + ref);
        }
      }
    }
  }

  @Test
  void entryPagesUseOnlyRootRelativeOrRelativeReferences() {
    for (String page : List.of("/index.html", "/graphiql/index.html")) {
      Matcher m = HTML_REF.matcher(ServedFiles.read(page));
      while (m.find()) {
        assertFalse(m.group(1).startsWith("//"), page + " has a protocol-relative reference " + m.group(1));
      }
    }
  }

  /** Follows HTML src/href, JS imports and CSS url()/@import from the entry pages; returns every path reached. */
  private static Set<String> crawl(List<String> entries, Set<String> missing) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(entries);
    while (!todo.isEmpty()) {
      String path = todo.pop();
      if (!seen.add(path)) {
        continue;
      }
      if (!ServedFiles.exists(path)) {
        missing.add(path);
        continue;
      }
      for (String ref : references(path)) {
        String target = resolve(path, ref);
        if (target != null) {
          todo.add(target);
        }
      }
    }
    return seen;
  }

  private static List<String> references(String path) {
    if (path.startsWith("/webjars/") && !path.endsWith(".css")) {
      return List.of(); // a bundle's own code is not crawled
    }
    Pattern pattern = path.endsWith(".html") ? HTML_REF : path.endsWith(".js") ? JS_IMPORT : path.endsWith(".css") ? CSS_URL : null;
    if (pattern == null) {
      return List.of();
    }
    List<String> refs = new ArrayList<>();
    Matcher m = pattern.matcher(ServedFiles.read(path));
    while (m.find()) {
      refs.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return refs;
  }

  /** The URL path a reference resolves to, or null for fragments, data: URIs and API endpoints. */
  private static String resolve(String from, String ref) {
    if (ref.isEmpty() || ref.startsWith("#") || ref.startsWith("data:") || ref.startsWith("mailto:")) {
      return null;
    }
    String target = URI.create(from).resolve(ref.replaceAll("[?#].*$", "")).getPath();
    return ENDPOINTS.contains(target) ? null : target;
  }
}
